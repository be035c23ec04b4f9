"""The general contact form: a message to the team of its topic, and its answer."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from willkommen.cases import letters
from willkommen.cases.errors import CaseError
from willkommen.cases.models import ContactRequest, ContactTopic
from willkommen.cases.services.references import CONTACT_PREFIX, allocate_reference
from willkommen.core import clock
from willkommen.core.outbox import queue_mail

# Messages are personal data; they are deleted after a year (retention).
CONTACT_KEPT_FOR = timedelta(days=365)


def submit_contact_request(
    *, topic: ContactTopic, name: str, email: str, message: str, case_reference: str, language: str
) -> ContactRequest:
    with transaction.atomic():
        request = ContactRequest.objects.create(
            reference=allocate_reference(CONTACT_PREFIX),
            topic=topic,
            team=topic.team,
            name=name,
            email=email,
            message=message,
            case_reference=case_reference,
            language=language,
            created_at=clock.now(),
            delete_after=clock.office_today() + CONTACT_KEPT_FOR,
        )
        letter = letters.contact_confirmation(request)
        queue_mail(
            to=email,
            subject=letter.subject,
            body=letter.body,
            dedupe_key=f"contact:{request.pk}:confirmation",
            language=request.language,
        )
        if topic.team.email:
            queue_mail(
                to=topic.team.email,
                subject=f"[{request.reference}] {topic}",
                body=f"{name} <{email}>\n{case_reference}\n\n{message}",
                dedupe_key=f"contact:{request.pk}:team",
            )
    return request


def mark_contact_answered(request: ContactRequest) -> None:
    """Record that a message was answered; answering twice is refused."""
    if not ContactRequest.objects.filter(pk=request.pk, answered_at__isnull=True).update(
        answered_at=clock.now()
    ):
        raise CaseError(_("This message has already been marked as answered."))
