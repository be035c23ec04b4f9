from django.core.management.base import BaseCommand

from willkommen.demo import accessibility


class Command(BaseCommand):
    help = "Publish the demo accessibility statement (once; in all nine languages)."

    def handle(self, *args, **options):
        self.stdout.write(f"accessibility statement: {accessibility.load()}")
