"""The intake's writes: announce a submission, take it, send its event, poll a destination.

Taken once: the submission id is unique in our database, so a callback and a poll
announcing the same submission insert one row; taking it first claims the row with
one conditional UPDATE (a lease, as the outbox does), fetches and decrypts outside
any transaction, then opens the case and records ``accepting`` with the event's id
in one transaction on the locked row. The event is sent after the commit; if that
fails or the process dies, the row stays ``accepting`` and ``send_due_events``
(every poll) sends it again with the same ``jti``: never a second case.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q

from willkommen.cases.errors import CaseError
from willkommen.cases.services.opening import open_case
from willkommen.cases.uploads import CheckedFile, UploadRefused, check_upload
from willkommen.core import clock
from willkommen.intake import crypto, keys, problems
from willkommen.intake.metadata import Application, parse_application, parse_metadata
from willkommen.intake.models import Destination, ServiceMapping, Submission, SubmissionEvent
from willkommen.intake.problems import Refusal
from willkommen.intake.states import TABLE, Action, SubmissionState
from willkommen.intake.submission_api import (
    DeliveryServiceUnavailable,
    EventRefused,
    PayloadTooLarge,
    SubmissionApi,
)

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=1)
MIME_KINDS = {"application/pdf": "pdf", "image/jpeg": "jpeg", "image/png": "png"}


def _history(submission: Submission, note: str = "") -> None:
    SubmissionEvent.objects.create(
        submission=submission, at=clock.now(), state=submission.state, note=note[:2000]
    )


def announce(destination: Destination, submission_id: str, case_id: str) -> bool:
    """Record a submission FIT-Connect told us of; False if we knew it already."""
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                destination=destination,
                submission_id=submission_id,
                fitconnect_case_id=case_id,
                state=TABLE.start(Action.ANNOUNCE),
                announced_at=clock.now(),
            )
            _history(submission)
    except IntegrityError:  # the unique submission id: announced before (or concurrently)
        return False
    return True


@dataclass
class Fetched:
    """What a submission carried, decrypted and checked, ready for the case."""

    service_identifier: str = ""
    metadata: dict = field(default_factory=dict)
    tags: dict = field(default_factory=dict)
    delivered: dict = field(default_factory=dict)
    application: Application | None = None
    files: list[CheckedFile] = field(default_factory=list)
    submitted_at: object = None


def _fetch(api: SubmissionApi, submission: Submission, fetched: Fetched) -> None:
    """Fill ``fetched``; a Refusal says why it cannot be accepted (what arrived stays)."""
    sid = str(submission.submission_id)
    body = api.submission(sid)
    fetched.delivered = {"submission": body, "attachments": {}}
    if str(body.get("destinationId")) != str(submission.destination.destination_id):
        raise Refusal(problems.TECHNICAL_ERROR, "the submission is for another destination")
    fetched.submitted_at = api.submitted_at(str(submission.fitconnect_case_id), sid)
    metadata_jwe = body.get("encryptedMetadata", "")
    plain = crypto.decrypt(metadata_jwe, api.keys, "metadata")
    fetched.tags["metadata"] = crypto.authentication_tag(metadata_jwe)
    metadata = parse_metadata(plain)
    fetched.metadata = {
        "service": metadata.service_identifier,
        "attachments": [
            {"id": a.attachment_id, "filename": a.filename, "mimeType": a.mime_type}
            for a in metadata.attachments
        ],
    }
    fetched.service_identifier = metadata.service_identifier
    announced_ids = sorted(str(a) for a in body.get("attachments", []))
    if announced_ids != sorted(a.attachment_id for a in metadata.attachments):
        raise Refusal(
            problems.ATTACHMENTS_MISMATCH,
            "the attachments the metadata lists are not those of the submission",
            "metadata",
        )
    data_jwe = body.get("encryptedData", "")
    if not data_jwe:
        raise Refusal(problems.MISSING_DATA, "the submission carries no data", "data")
    data = crypto.decrypt(data_jwe, api.keys, "data")
    fetched.tags["data"] = crypto.authentication_tag(data_jwe)
    crypto.check_hash(data, metadata.data_hash, "data")
    fetched.application = parse_application(data, metadata.data_mime_type)
    fetched.tags["attachments"] = {}
    for entry in metadata.attachments:
        instance = f"attachment:{entry.attachment_id}"
        try:
            compact = api.attachment(sid, entry.attachment_id)
        except PayloadTooLarge as error:
            raise Refusal(problems.INVALID_ATTACHMENT, str(error), instance) from None
        fetched.delivered["attachments"][entry.attachment_id] = compact
        content = crypto.decrypt(compact, api.keys, instance)
        fetched.tags["attachments"][entry.attachment_id] = crypto.authentication_tag(compact)
        crypto.check_hash(content, entry.hash, instance)
        try:
            checked = check_upload(ContentFile(content, name=entry.filename))
        except UploadRefused as error:
            raise Refusal(problems.INVALID_ATTACHMENT, str(error.message), instance) from None
        if MIME_KINDS.get(entry.mime_type) != checked.kind:
            raise Refusal(
                problems.INVALID_ATTACHMENT,
                f"declared {entry.mime_type}, but the content is {checked.kind}",
                instance,
            )
        fetched.files.append(checked)
    if not ServiceMapping.objects.filter(identifier=metadata.service_identifier).exists():
        raise Refusal(
            problems.SERVICE_MISMATCH,
            f"the service {metadata.service_identifier} is not received here",
            "metadata",
        )


def _claim(submission: Submission) -> bool:
    now = clock.now()
    return bool(
        Submission.objects.filter(pk=submission.pk, state=SubmissionState.ANNOUNCED)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=now + LEASE)
    )


def take(submission: Submission, api: SubmissionApi) -> str | None:
    """Fetch, check and decide one announced submission; its new state, or None if not ours."""
    if not _claim(submission):
        return None
    fetched = Fetched()
    refusal = None
    try:
        _fetch(api, submission, fetched)
    except Refusal as found:
        refusal = found
    except DeliveryServiceUnavailable as error:
        Submission.objects.filter(pk=submission.pk).update(lease_until=None, last_error=str(error))
        logger.warning("FIT-Connect submission %s not fetched: %s", submission.submission_id, error)
        return None
    with transaction.atomic():
        row = Submission.objects.select_for_update().get(pk=submission.pk)
        if row.state != SubmissionState.ANNOUNCED:
            return None
        if refusal is None:
            try:
                with transaction.atomic():
                    _accept(row, fetched)
            except (CaseError, UploadRefused) as error:
                refusal = Refusal(problems.TECHNICAL_ERROR, str(getattr(error, "message", error)))
        if refusal is not None:
            _refuse(row, fetched, refusal)
        row.save()
        _history(row, refusal.detail if refusal else f"case {row.case.reference}")
    send_event(row, api)
    return row.state


def _accept(row: Submission, fetched: Fetched) -> None:
    from willkommen.intake.receipts import queue_receipt

    mapping = ServiceMapping.objects.select_related("service").get(
        identifier=fetched.service_identifier
    )
    application = fetched.application
    opened = open_case(
        service=mapping.service,
        applicant=application.applicant,
        permit_expires_on=application.permit_expires_on,
        contact_email=application.email,
        language=application.language,
        source="fitconnect",
        files=[(None, checked) for checked in fetched.files],
        send_confirmation=False,
        received_at=fetched.submitted_at,
    )
    queue_receipt(opened.case, opened.access_code)
    row.case = opened.case
    row.state = TABLE.target(row.state, Action.OPEN_CASE)
    _decided(row, fetched)


def _refuse(row: Submission, fetched: Fetched, refusal: Refusal) -> None:
    logger.warning("FIT-Connect submission %s refused: %s", row.submission_id, refusal)
    row.state = TABLE.target(row.state, Action.REFUSE)
    row.problem_type = refusal.problem.uri
    row.problem_detail = refusal.detail
    row.problem_instance = refusal.instance[:60]
    row.encrypted = fetched.delivered  # what arrived, still encrypted, for staff
    _decided(row, fetched)


def _decided(row: Submission, fetched: Fetched) -> None:
    row.service_identifier = fetched.service_identifier[:200]
    row.metadata = fetched.metadata
    row.authentication_tags = fetched.tags
    row.submitted_at = fetched.submitted_at
    row.event_jti = crypto.new_jti()
    row.lease_until = None
    row.next_attempt_at = clock.now()


def _event_for(row: Submission, destination_keys) -> str:
    if row.state == SubmissionState.ACCEPTING:
        event, body = crypto.ACCEPT, {"authenticationTags": row.authentication_tags}
    else:
        problem = {
            "type": row.problem_type,
            "title": problems.title_of(row.problem_type),
            "detail": row.problem_detail,
            "instance": row.problem_instance,
        }
        event, body = crypto.REJECT, {"problems": [problem]}
    return crypto.signed_event(
        keys=destination_keys,
        destination_id=str(row.destination.destination_id),
        submission_id=str(row.submission_id),
        case_id=str(row.fitconnect_case_id),
        jti=str(row.event_jti),
        event=event,
        body=body,
    )


def send_event(row: Submission, api: SubmissionApi) -> bool:
    """Deliver the decided event; on failure keep it due, with backoff."""
    if row.state not in (SubmissionState.ACCEPTING, SubmissionState.REJECTING):
        return False
    case_id = str(row.fitconnect_case_id)
    try:
        try:
            api.send_event(case_id, _event_for(row, api.keys))
        except EventRefused as refused:
            # 409: the submission moved on; if by our own event (sent before a crash
            # kept us from recording it), it is delivered.
            if refused.status != 409 or not api.event_logged(case_id, str(row.event_jti)):
                raise
    except (DeliveryServiceUnavailable, EventRefused) as error:
        attempts = row.event_attempts + 1
        delay = min(timedelta(seconds=30 * 2**attempts), MAX_BACKOFF)
        Submission.objects.filter(pk=row.pk).update(
            event_attempts=attempts, next_attempt_at=clock.now() + delay, last_error=str(error)
        )
        logger.warning("FIT-Connect event for %s not delivered: %s", row.submission_id, error)
        return False
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=row.pk)
        if locked.state != row.state:
            return False
        locked.state = TABLE.target(locked.state, Action.EVENT_SENT)
        locked.event_attempts += 1
        locked.last_error = ""
        locked.save(update_fields=["state", "event_attempts", "last_error"])
        _history(locked, f"event {locked.event_jti} delivered")
    row.state = locked.state
    return True


def send_due_events(api: SubmissionApi) -> int:
    due = Submission.objects.event_due().filter(
        destination=api.destination, next_attempt_at__lte=clock.now()
    )
    return sum(send_event(row, api) for row in due.select_related("destination"))


@dataclass
class PollResult:
    announced: int = 0
    accepted: int = 0
    rejected: int = 0
    events_sent: int = 0


def api_for(destination: Destination) -> SubmissionApi:
    return SubmissionApi(destination, keys.for_destination(destination))


def poll(destination: Destination) -> PollResult:
    """One round for a destination: due events, new announcements, then take them all."""
    api = api_for(destination)
    result = PollResult(events_sent=send_due_events(api))
    for found in api.announcements():
        result.announced += announce(destination, found.submission_id, found.case_id)
    waiting = Submission.objects.filter(
        destination=destination, state=SubmissionState.ANNOUNCED
    ).select_related("destination")
    for submission in waiting:
        try:
            state = take(submission, api)
        except Exception as error:  # one broken submission must not stop the others
            logger.exception("FIT-Connect submission %s not taken", submission.submission_id)
            Submission.objects.filter(pk=submission.pk).update(last_error=repr(error)[:2000])
            continue
        result.accepted += state in (SubmissionState.ACCEPTING, SubmissionState.ACCEPTED)
        result.rejected += state in (SubmissionState.REJECTING, SubmissionState.REJECTED)
    return result
