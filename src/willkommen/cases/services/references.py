"""Case references and access codes: how an applicant names and unlocks a case.

References read ``ABH-2026-000123``: the year is the office's year when the case
was opened (a case opened at 00:30 on 1 January, office time, belongs to the new
year even though it is still 31 December in UTC). The numbers are consecutive;
that they are guessable does not matter, because a reference alone unlocks
nothing and the status look-up's limits count per client address (see
``unlock``), so walking the references in order gains nothing.

One access code per case. It is shown or mailed when the case is opened and then
only its HMAC is kept; it changes only when staff rotate it (``rotate_access_code``),
which is logged and mails the applicant the new code.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _

from willkommen.cases import codes, letters, selectors
from willkommen.cases.errors import CaseError
from willkommen.cases.models import AccessLogEntry, Case, ReferenceCounter
from willkommen.core import clock, ratelimit
from willkommen.core.outbox import queue_mail

CASE_PREFIX = "ABH"
CONTACT_PREFIX = "KON"
HOUR = timedelta(hours=1)


def allocate_reference(prefix: str = CASE_PREFIX, year: int | None = None, count: int = 1) -> str:
    """The next reference of the year, e.g. ABH-2026-000123; never handed out twice.

    The increment is one UPDATE of the year's counter row, which locks that row
    until the surrounding transaction ends (PostgreSQL; SQLite locks the whole
    database for the write), so concurrent allocations queue instead of reading
    the same number. The first allocation of a year creates the row; a
    concurrent creator loses on the unique constraint and increments instead.
    ``count`` reserves that many numbers at once (bulk imports); the last is returned.
    """
    if not transaction.get_connection().in_atomic_block:
        raise CaseError("allocate_reference must run inside the transaction that uses it")
    year = year or clock.office_today().year
    counters = ReferenceCounter.objects.filter(prefix=prefix, year=year)
    if count < 1:
        raise CaseError("count must be at least 1")
    if not counters.update(last_number=F("last_number") + count):
        try:
            with transaction.atomic():
                ReferenceCounter.objects.create(prefix=prefix, year=year, last_number=count)
        except IntegrityError:
            counters.update(last_number=F("last_number") + count)
    number = counters.values_list("last_number", flat=True).get()
    return f"{prefix}-{year}-{number:06d}"


def status_page_link(case: Case) -> str:
    """The status page's address for mails: the reference only, never the code.

    A code in a URL ends up in server and proxy logs, browser history and
    Referer headers; the applicant types it (or pastes it) into the form.
    """
    from urllib.parse import urlencode

    query = urlencode({"reference": case.reference})
    return f"{settings.PUBLIC_BASE_URL}/{case.language}/status/?{query}"


def unlock(client_address: str, reference: str, code: str) -> Case | None:
    """The case if reference and code match; the look-up's rate limits first.

    Limits count per client address and per (address, reference), never per
    reference alone: whoever tries wrong codes for someone's reference uses up
    their own attempts, not the applicant's.
    """
    reference = codes.normalise_reference(reference)
    ratelimit.enforce(
        "case-status-ip",
        client_address,
        limit=settings.CASE_STATUS_ATTEMPTS_PER_HOUR,
        period=HOUR,
    )
    ratelimit.enforce(
        "case-status-ip-reference",
        f"{client_address}\x1f{reference}",
        limit=settings.CASE_STATUS_ATTEMPTS_PER_REFERENCE_PER_HOUR,
        period=HOUR,
    )
    case = selectors.case_for_applicant(reference, code)
    stored = case.access_code_hash if case is not None else ""
    if case is not None and not codes.hashed_with_current_key(reference, code, stored):
        # Matched under an earlier SECRET_KEY: store it under the current one, so the
        # code keeps working once the old key leaves SECRET_KEY_FALLBACKS.
        Case.objects.filter(pk=case.pk, access_code_hash=stored).update(
            access_code_hash=codes.hash_code(reference, code)
        )
    return case


def rotate_access_code(case: Case, *, actor) -> str:
    """A new access code for the case; the old one stops working. Logged and mailed.

    Returns the new code, to be shown once to the member of staff (for an
    applicant without e-mail address it is handed over on paper).
    """
    code = codes.new_access_code()
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.anonymised_at is not None:
            raise CaseError(_("The case has been anonymised; it has no access code any more."))
        Case.objects.filter(pk=locked.pk).update(
            access_code_hash=codes.hash_code(locked.reference, code)
        )
        entry = AccessLogEntry.objects.create(
            case=locked, user=actor, action=AccessLogEntry.Action.NEW_CODE, at=clock.now()
        )
        if locked.contact_email:
            with translation.override(locked.language):
                letter = letters.new_access_code(locked, code, status_page_link(locked))
            queue_mail(
                to=locked.contact_email,
                subject=letter.subject,
                body=letter.body,
                dedupe_key=f"case:{locked.pk}:access-code:{entry.pk}",
                language=locked.language,
            )
    case.refresh_from_db()
    return code
