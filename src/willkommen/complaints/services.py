"""The writes of complaints: receiving one (public form, staff, imported e-mail),
moving it along the table, sending letters, logging reads. Each is one transaction;
every letter goes through the outbox in it (invariant 4)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from willkommen.complaints import deadlines, letters, states
from willkommen.complaints.email_import import ImportedMail
from willkommen.complaints.models import (
    Action,
    AnswerTemplate,
    Category,
    Channel,
    Complaint,
    ComplaintEvent,
    ComplaintLetter,
    ComplaintRead,
    Status,
)
from willkommen.core import clock
from willkommen.core.i18n import SOURCE_LANGUAGE, supported_language
from willkommen.core.outbox import delete_sent_mails, queue_mail

REFERENCE_PREFIX = "BES"  # Beschwerde


class ComplaintError(Exception):
    code = "complaint_refused"
    http_status = 409

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


@dataclass(frozen=True)
class Links:
    """What a complaint is about, where known; the team concerned follows from them."""

    case: object = None
    appointment: object = None
    visit: object = None

    def team(self):
        if self.case is not None:
            return self.case.team
        if self.visit is not None:
            return self.visit.team
        if self.appointment is not None:
            return self.appointment.capacity_team or self.appointment.service.team
        return None


def find_links(reference: str) -> Links:
    """A case reference (ABH-…) or booking reference the person gave, if it names one."""
    from willkommen.booking.models import Appointment
    from willkommen.cases.models import Case

    reference = (reference or "").strip().upper()
    if not reference:
        return Links()
    case = Case.objects.select_related("team").filter(reference=reference).first()
    if case is not None:
        return Links(case=case)
    appointment = (
        Appointment.objects.select_related("service__team", "capacity_team")
        .filter(reference=reference)
        .first()
    )
    return Links(appointment=appointment)


def _record(*, channel, category, message, language, links: Links, team=None, actor=None,
            received_at=None, acknowledge=True, **contact) -> Complaint:  # fmt: skip
    from willkommen.cases.services import allocate_reference

    received_at = received_at or clock.now()
    complaint = Complaint.objects.create(
        reference=allocate_reference(REFERENCE_PREFIX),
        channel=channel,
        category=category,
        message=message,
        language=supported_language(language) or SOURCE_LANGUAGE,
        team=team or links.team(),
        case=links.case,
        appointment=links.appointment,
        visit=links.visit,
        status=states.TABLE.start(Action.SUBMIT),
        received_at=received_at,
        due_on=deadlines.due_on(received_at),
        recorded_by=actor,
        **contact,
    )
    ComplaintEvent.objects.create(
        complaint=complaint, action=Action.SUBMIT, to_status=complaint.status,
        at=clock.now(), actor=actor,
    )  # fmt: skip
    if acknowledge and complaint.email:
        _acknowledge(complaint)
    return complaint


def _acknowledge(complaint: Complaint) -> None:
    """The automatic acknowledgement: the mail with the reference, then the status."""
    _send(complaint, letters.acknowledgement(complaint), ComplaintLetter.Kind.ACKNOWLEDGEMENT)
    _move(complaint, Action.ACKNOWLEDGE, actor=None)


@transaction.atomic
def submit(*, category, message, name="", email="", phone="", reference="", language) -> Complaint:
    """A complaint from the public form. Without an e-mail it is anonymous: no reply."""
    return _record(
        channel=Channel.WEB, category=category, message=message, language=language,
        links=find_links(reference), name=name, email=email, phone=phone,
        given_reference=reference.strip()[:40],
    )  # fmt: skip


@transaction.atomic
def record_for_caller(*, actor, category, message, language, links: Links, team=None,
                      name="", email="", phone="") -> Complaint:  # fmt: skip
    """A complaint staff take down on behalf of a caller or visitor."""
    return _record(
        channel=Channel.STAFF, category=category, message=message, language=language,
        links=links, team=team, actor=actor, name=name, email=email, phone=phone,
    )  # fmt: skip


@transaction.atomic
def import_email(mail: ImportedMail, *, actor, category, team=None, language="") -> Complaint:
    """A complaint that arrived by e-mail, read from its .eml file."""
    return _record(
        channel=Channel.EMAIL, category=category, message=mail.text, subject=mail.subject,
        language=language or mail.language or SOURCE_LANGUAGE, links=Links(), team=team,
        actor=actor, name=mail.name, email=mail.email, received_at=mail.sent_at,
    )  # fmt: skip


def from_barrier_report(report) -> Complaint:
    """The complaint of a barrier report (accessibility statement); one per report.

    Called once the report is committed. A second call, or two at the same moment,
    finds the first complaint (the link is unique) and records nothing more. No
    automatic acknowledgement: the barrier form promises no mail (so it has no
    per-e-mail limit, and must not become a way to mail any address); staff acknowledge
    or answer.
    """
    existing = Complaint.objects.filter(barrier_report=report).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return _record(
                channel=Channel.BARRIER, category=Category.ACCESSIBILITY,
                message=report.problem, subject=report.page[:250], language=report.language,
                links=Links(), received_at=report.created_at, barrier_report=report,
                acknowledge=False,
                name=report.name, email=report.email, phone=report.phone,
            )  # fmt: skip
    except IntegrityError:  # recorded at the same moment by another call
        return Complaint.objects.get(barrier_report=report)


@transaction.atomic
def anonymise_barrier_complaint(report_id: int) -> int:
    """Blank the complaint of a barrier report when retention blanks the report: its
    contact, text and letters, and the sent mails; the rest stays for the figures."""
    complaint = Complaint.objects.filter(barrier_report_id=report_id).first()
    if complaint is None:
        return 0
    Complaint.objects.filter(pk=complaint.pk).update(name="", email="", phone="", message="")
    ComplaintLetter.objects.filter(complaint=complaint).redact(to="", body="")
    ComplaintEvent.objects.filter(complaint=complaint).redact(note="")
    delete_sent_mails(f"complaint:{complaint.pk}:")
    return 1


def _move(complaint: Complaint, action: str, *, actor, note: str = "") -> Complaint:
    """One step of the table on the locked row, with its event (inside a transaction)."""
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    target = states.TABLE.target(locked.status, action)
    now = clock.now()
    ComplaintEvent.objects.create(
        complaint=locked, action=action, from_status=locked.status, to_status=target,
        at=now, actor=actor, note=note,
    )  # fmt: skip
    changes = {"status": target}
    if action == Action.ANSWER and locked.answered_at is None:
        changes["answered_at"] = now
    if target == Status.CLOSED:
        changes["closed_at"] = now
    elif action == Action.REOPEN:
        changes["closed_at"] = None
    Complaint.objects.filter(pk=locked.pk).update(**changes)
    for field, value in changes.items():
        setattr(complaint, field, value)
    return complaint


@transaction.atomic
def move(complaint: Complaint, action: str, *, actor, note: str = "") -> Complaint:
    """Acknowledge, start, close or reopen; a refused edge raises and changes nothing."""
    if action == Action.ANSWER:
        raise ComplaintError(_("A complaint is answered by sending an answer."))
    return _move(complaint, action, actor=actor, note=note)


def _send(complaint, letter: letters.Letter, kind, *, template=None, actor=None) -> ComplaintLetter:
    now = clock.now()
    stored = ComplaintLetter.objects.create(
        complaint=complaint, kind=kind, template=template, language=letter.language,
        to=complaint.email, subject=letter.subject, body=letter.body, sent_at=now, sent_by=actor,
    )  # fmt: skip
    queue_mail(
        to=complaint.email,
        subject=letter.subject,
        body=letter.body,
        language=letter.language,
        dedupe_key=f"complaint:{complaint.pk}:letter:{stored.pk}",
    )
    return stored


@transaction.atomic
def reply(complaint: Complaint, *, template: AnswerTemplate, subject: str, body: str, actor):
    """Send an answer or interim reply made from ``template`` (as staff edited it).

    An answer moves the complaint to "answered"; an interim reply changes no status
    but stops the interim prompt.
    """
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if not locked.can_be_answered:
        raise ComplaintError(_("This complaint gave no e-mail address; no reply can be sent."))
    is_answer = template.kind == AnswerTemplate.Kind.ANSWER
    if is_answer:
        states.TABLE.target(locked.status, Action.ANSWER)  # refused before anything is written
    elif locked.status not in (Status.ACKNOWLEDGED, Status.IN_PROGRESS):
        raise ComplaintError(_("An interim reply is only for a complaint still being worked on."))
    language = letters.from_template(template, locked).language
    letter = letters.Letter(subject=subject.strip(), body=body.strip(), language=language)
    kind = ComplaintLetter.Kind.ANSWER if is_answer else ComplaintLetter.Kind.INTERIM
    stored = _send(locked, letter, kind, template=template, actor=actor)
    if is_answer:
        _move(complaint, Action.ANSWER, actor=actor)
    elif locked.interim_sent_at is None:
        Complaint.objects.filter(pk=locked.pk).update(interim_sent_at=stored.sent_at)
        complaint.interim_sent_at = stored.sent_at
    return stored


def log_read(complaint: Complaint, *, user) -> None:
    """Every staff read of a complaint, like a case file's."""
    ComplaintRead.objects.create(complaint=complaint, user=user, at=clock.now())
