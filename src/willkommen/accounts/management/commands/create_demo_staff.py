from django.core.management.base import BaseCommand

from willkommen.accounts.services import create_demo_staff


class Command(BaseCommand):
    help = "Create one demo staff account per role and print new passwords once."

    def handle(self, *args, **options):
        rows = create_demo_staff()
        self.stdout.write("Demo staff accounts (log in at /de/staff/):")
        for username, role, password in rows:
            shown = password or "(exists; unchanged; `manage.py changepassword " + username + "`)"
            self.stdout.write(f"  {role!s:<14} {username:<16} {shown}")
