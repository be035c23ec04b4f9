from django.core.management.base import BaseCommand

from willkommen.demo import outreach


class Command(BaseCommand):
    help = (
        "Demo persons whose permits expire soon, their expiry invitations and one online "
        "extension with its receipt (once)."
    )

    def handle(self, *args, **options):
        made = outreach.load()
        self.stdout.write(
            "outreach: {persons} persons, {invitations} invitations, "
            "{applications} online extension".format(**made)
        )
