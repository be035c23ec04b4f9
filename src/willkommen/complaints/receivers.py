"""What complaints does when an app left of it reports something (Django signals)."""

from willkommen.complaints import services


def barrier_reported(sender, report, **kwargs):
    """A barrier report of the accessibility statement is a complaint "accessibility barrier"."""
    services.from_barrier_report(report)


def barrier_report_anonymised(sender, report_id, **kwargs):
    """Retention blanked a barrier report: its complaint is blanked in the same transaction."""
    services.anonymise_barrier_complaint(report_id)
