"""The applicant's receipt (Eingangsbestätigung) for an online application, by mail.

The confirmation text of the case files (reference, access code, status page)
plus the date the application was submitted through FIT-Connect: that date, not
the day we fetched it, is the date of receipt (§ 81 (4) AufenthG).
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from willkommen.cases import letters
from willkommen.cases.services.references import status_page_link
from willkommen.core.outbox import queue_mail


def queue_receipt(case, access_code: str) -> None:
    """Written in the caller's transaction (the one that opened the case)."""
    if not case.contact_email:
        return
    with translation.override(case.language):
        letter = letters.confirmation(case, access_code, status_page_link(case))
        received = _("Received on %(date)s (the day you submitted the application online).") % {
            "date": letters.local_date(case.opened_at)
        }
        queue_mail(
            to=case.contact_email,
            subject=letter.subject,
            body=f"{received}\n\n{letter.body}",
            dedupe_key=f"case:{case.pk}:fitconnect-receipt",
            language=case.language,
        )
