"""Moving a case through its case type's statuses, and the receipt that completion issues."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from willkommen.cases import letters, transitions
from willkommen.cases.errors import CaseError, ConcurrentChange
from willkommen.cases.forecast import forecast_for
from willkommen.cases.models import Case, Phase, Receipt, StatusChange, StatusType
from willkommen.cases.services.documents import missing_requirements
from willkommen.cases.services.references import status_page_link
from willkommen.core import clock
from willkommen.core.outbox import queue_mail


def _changed_meanwhile() -> ConcurrentChange:
    return ConcurrentChange(
        _("The status was changed by someone else in the meantime. Please check it.")
    )


def change_status(
    case: Case,
    target: StatusType,
    *,
    actor,
    expected_status_id: int,
    note: str = "",
) -> StatusChange:
    """Move a case to ``target``, if the case type's transition table has that edge.

    ``expected_status_id`` is the status the person saw: if someone changed it
    in the meantime, the change is refused (nothing is stored) rather than
    applied on top of a status they did not see. A refused edge raises
    ``TransitionNotAllowed``.
    """
    with transaction.atomic():
        # No select_related here: PostgreSQL re-checks a joined row after waiting for the
        # lock, and the join on the old status would then find no row at all.
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.status_id != expected_status_id:
            raise _changed_meanwhile()
        if target.case_type_id != locked.case_type_id:
            raise CaseError(_("This status belongs to another case type."))
        transitions.check_move(locked.status, target, list(locked.case_type.statuses.all()))
        now = clock.now()
        updates = {"status": target}
        if target.phase == Phase.COMPLETE:
            missing = missing_requirements(locked)
            if missing:
                raise CaseError(
                    _("The case is not complete. Missing: %(items)s")
                    % {"items": ", ".join(str(r) for r in missing)}
                )
            updates["completed_at"] = locked.completed_at or now
        if target.phase == Phase.CLOSED:
            updates["closed_at"] = now
            updates["delete_after"] = clock.office_today() + timedelta(
                days=locked.case_type.retention_days
            )
        last = locked.history.order_by("-sequence").values_list("sequence", flat=True).first()
        # The conditional update is the guard on both databases: a second writer that
        # slipped past the check above updates nothing and is refused.
        if not Case.objects.filter(pk=locked.pk, status_id=expected_status_id).update(**updates):
            raise _changed_meanwhile()
        try:
            with transaction.atomic():
                change = StatusChange.objects.create(
                    case=locked,
                    sequence=(last or 0) + 1,
                    status=target,
                    changed_at=now,
                    actor=actor,
                    note=note[:500],
                )
        except IntegrityError as exc:
            raise _changed_meanwhile() from exc
        locked.refresh_from_db()
        if target.phase == Phase.COMPLETE and not hasattr(locked, "receipt"):
            issue_receipt(locked, actor=actor)
        elif target.notify_applicant and locked.notify_by_email and locked.contact_email:
            _queue_status_mail(locked, change)
    case.refresh_from_db()
    return change


def _queue_status_mail(case: Case, change: StatusChange) -> None:
    letter = letters.status_changed(case, change.status)
    queue_mail(
        to=case.contact_email,
        subject=letter.subject,
        body=letter.body,
        dedupe_key=f"case:{case.pk}:status:{change.sequence}",
        language=case.language,
    )


def issue_receipt(case: Case, *, actor) -> Receipt:
    """Eingangsbestätigung: PDF and mail, stored with the change that completed the case.

    The access code stays as it is (the one printed at the counter or mailed with
    the confirmation keeps working); neither the mail nor the PDF contains it,
    so the copy kept for staff and the one mailed are the same document.
    """
    forecast = forecast_for(case.case_type_id, case.urgency, case.difficulty)
    mail = None
    with translation.override(case.language):
        pdf = letters.receipt_pdf(case, forecast)
        forecast_text = letters.forecast_range(forecast)
        if case.contact_email:
            letter = letters.receipt_mail(case, forecast, status_page_link(case))
            mail = queue_mail(
                to=case.contact_email,
                subject=letter.subject,
                body=letter.body,
                attachments=[
                    (f"Eingangsbestaetigung-{case.reference}.pdf", pdf, "application/pdf")
                ],
                dedupe_key=f"case:{case.pk}:receipt",
                language=case.language,
            )
    return Receipt.objects.create(
        case=case,
        issued_at=clock.now(),
        issued_by=actor,
        pdf=pdf,
        mail=mail,
        forecast_text=forecast_text,
    )
