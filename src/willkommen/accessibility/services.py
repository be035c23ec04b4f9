"""The writes: publish a statement, start a new version, add a video, barrier reports
and their retention."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import translation
from django.utils.translation import gettext as _

from willkommen.accessibility import selectors, signals, states
from willkommen.accessibility.models import (
    BarrierReport,
    BarrierReportEvent,
    NonAccessiblePart,
    ReportAction,
    ReportStatus,
    SignLanguageVideo,
    Statement,
)
from willkommen.core import clock
from willkommen.core.outbox import delete_sent_mails, queue_mail
from willkommen.core.uploads.video import CheckedCaptions, CheckedVideo

logger = logging.getLogger(__name__)

# The fields a new version takes over from the one before.
COPIED_FIELDS = [
    "conformance", "scope", "evaluation_method", "evaluation_detail", "evaluated_on",
    "prepared_on", "reviewed_on", "feedback_email", "feedback_phone", "feedback_address",
    "state_body_name", "state_body_url",
]  # fmt: skip


class AccessibilityError(Exception):
    http_status = 409

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def publish(statement: Statement, *, actor=None) -> Statement:
    """Make a draft the published version after the newest; a published one stays as it is."""
    with transaction.atomic():
        number = (Statement.objects.published().aggregate(n=Max("version"))["n"] or 0) + 1
        try:
            with transaction.atomic():
                published = (
                    Statement.objects.drafts()
                    .filter(pk=statement.pk)
                    .update(version=number, published_at=clock.now(), published_by=actor)
                )
        except IntegrityError:  # another version got this number at the same moment
            raise AccessibilityError(
                _("Another version was published just now. Try again.")
            ) from None
        if not published:
            raise AccessibilityError(_("This version has already been published."))
    statement.refresh_from_db()
    return statement


def create_draft(fields: dict, parts: list[dict]) -> Statement:
    """A new draft from given values (the demo, an office's import), checked like the admin."""
    with transaction.atomic():
        draft = Statement(**{f: fields[f] for f in COPIED_FIELDS if f in fields})
        draft.full_clean()
        draft.save()
        for position, values in enumerate(parts):
            part = NonAccessiblePart(statement=draft, position=position, **values)
            part.full_clean()
            part.save()
    return draft


def new_draft(source: Statement | None = None) -> Statement:
    """A draft to edit, copied from ``source`` (default: the current version) with its parts."""
    source = source or selectors.current_statement()
    if source is None:
        raise AccessibilityError(_("There is no statement to copy yet; add one."))
    with transaction.atomic():
        draft = Statement.objects.create(**{f: getattr(source, f) for f in COPIED_FIELDS})
        NonAccessiblePart.objects.bulk_create(
            NonAccessiblePart(
                statement=draft, part=p.part, reason=p.reason,
                alternative=p.alternative, position=p.position,
            )
            for p in source.parts.all()
        )  # fmt: skip
    return draft


def store_video(video: SignLanguageVideo, checked: CheckedVideo | None, captions=None) -> None:
    """Save a video row with the file that passed the gate (``None``: the file stays)."""
    if checked is not None:
        video.kind = checked.kind
        video.sha256 = checked.sha256
        video.size_bytes = len(checked.content)
        video.width, video.height = checked.width, checked.height
        video.scan_result = checked.scan_result
        if checked.duration_seconds is not None:
            video.duration_seconds = checked.duration_seconds
        video.file.save(checked.display_name, ContentFile(checked.content), save=False)
    if isinstance(captions, CheckedCaptions):
        video.captions.save(captions.display_name, ContentFile(captions.content), save=False)
    video.save()


def submit_report(
    *, page: str, problem: str, name: str, email: str, phone: str, language: str
) -> BarrierReport:
    """Store a barrier report and tell the statement's feedback contact (outbox)."""
    with transaction.atomic():
        report = BarrierReport.objects.create(
            page=page, problem=problem, name=name, email=email, phone=phone,
            language=language, status=states.TABLE.start(ReportAction.SUBMIT),
            created_at=clock.now(),
        )  # fmt: skip
        BarrierReportEvent.objects.create(
            report=report, action=ReportAction.SUBMIT, to_status=report.status, at=report.created_at
        )
        statement = selectors.current_statement()
        if statement is not None:
            queue_mail(
                to=statement.feedback_email,
                dedupe_key=f"barrier-report:{report.pk}:notice",
                **_notice(report),
            )
        # After the commit: a receiver (complaints) works on a report that surely exists,
        # and its failure cannot take the report back.
        transaction.on_commit(lambda: _announce(report))
    return report


def _announce(report: BarrierReport) -> None:
    results = signals.barrier_reported.send_robust(sender=BarrierReport, report=report)
    for receiver, result in results:
        if isinstance(result, Exception):
            logger.error(
                "barrier report %s: receiver %r failed", report.pk, receiver, exc_info=result
            )


def _notice(report: BarrierReport) -> dict:
    with translation.override("de"):  # for the office's staff
        contact = ", ".join(x for x in (report.name, report.email, report.phone) if x)
        body = "\n".join(
            [
                _("A barrier was reported on the website."),
                "",
                _("Page: %(page)s") % {"page": report.page},
                _("Language: %(language)s") % {"language": report.language},
                _("Contact: %(contact)s") % {"contact": contact or _("none given")},
                "",
                report.problem,
            ]
        )
        return {"subject": _("Barrier report no. %(number)s") % {"number": report.pk}, "body": body}


def move_report(report: BarrierReport, action: str, *, actor) -> BarrierReport:
    """One step of the table on the locked row, with its event; a refused edge changes nothing."""
    with transaction.atomic():
        locked = BarrierReport.objects.select_for_update().get(pk=report.pk)
        target = states.TABLE.target(locked.status, action)
        BarrierReportEvent.objects.create(
            report=locked, action=action, from_status=locked.status, to_status=target,
            at=clock.now(), actor=actor,
        )  # fmt: skip
        BarrierReport.objects.filter(pk=locked.pk).update(status=target)
    report.status = target
    return report


def anonymise_closed_reports() -> int:
    """Blank who reported and what they wrote, once a report has been closed for
    ACCESSIBILITY_REPORT_RETENTION_DAYS; returns how many.

    A report often says something about the reporter's disability, so it is kept no
    longer than the work on it and the yearly review of the statement need. The page,
    the language, the dates and the status history stay, for the count of reports.
    A report reopened and closed again counts from its last closing.
    """
    before = clock.now() - timedelta(days=settings.ACCESSIBILITY_REPORT_RETENTION_DAYS)
    last_closed = (
        BarrierReportEvent.objects.filter(report=OuterRef("pk"), action=ReportAction.CLOSE)
        .order_by("-at")
        .values("at")[:1]
    )
    due = (
        BarrierReport.objects.filter(status=ReportStatus.CLOSED, anonymised_at__isnull=True)
        .annotate(closed_at=Subquery(last_closed))
        .filter(closed_at__lt=before)
    )
    done = 0
    for pk in due.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            blanked = BarrierReport.objects.filter(pk=pk, anonymised_at__isnull=True).update(
                name="", email="", phone="", problem="", anonymised_at=clock.now()
            )
            delete_sent_mails(f"barrier-report:{pk}:")
            if blanked:
                signals.barrier_report_anonymised.send(sender=BarrierReport, report_id=pk)
            done += blanked
    return done
