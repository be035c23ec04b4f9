from django.core.management.base import BaseCommand

from willkommen.outreach.services import send_due_invitations


class Command(BaseCommand):
    help = (
        "Mail the expiry invitations due today (settings.OUTREACH_LEAD_WEEKS), each at "
        "most once. Run by `manage.py worker` (settings.WORKER_SWEEPS)."
    )

    def handle(self, *args, **options):
        sent = send_due_invitations()
        self.stdout.write(f"invitations: {sent} sent")
