"""Documents of a case: storing checked uploads as new versions, what is still missing."""

from __future__ import annotations

import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from willkommen.cases.errors import CaseError
from willkommen.cases.models import Case, Document, Requirement
from willkommen.cases.uploads import CheckedFile, as_checked
from willkommen.core import clock


def store_document(
    case: Case, requirement: Requirement | None, checked: CheckedFile, actor, by_applicant: bool
) -> Document:
    """Save a checked file under our own name and record it, superseding the item's last one."""
    previous = None
    if requirement is not None:
        previous = (
            Document.objects.filter(case=case, requirement=requirement, superseded_by__isnull=True)
            .order_by("-version")
            .first()
        )
    extension = "jpg" if checked.kind == "jpeg" else checked.kind
    # Our own random name, below MEDIA_ROOT (outside the web root, never served directly).
    name = f"cases/{case.pk}/{uuid.uuid4().hex}.{extension}"
    saved_name = default_storage.save(name, ContentFile(checked.content))
    try:
        return Document.objects.create(
            case=case,
            requirement=requirement,
            supersedes=previous,
            version=(previous.version + 1) if previous else 1,
            stored_name=saved_name,
            original_name=checked.display_name,
            kind=checked.kind,
            size=len(checked.content),
            sha256=checked.sha256,
            pages=checked.pages,
            pixels=checked.pixels,
            scan_result=checked.scan_result,
            uploaded_at=clock.now(),
            uploaded_by=actor,
            by_applicant=by_applicant,
        )
    except Exception:
        default_storage.delete(saved_name)
        raise


def upload_document(case: Case, uploaded, *, requirement_id: int | None, actor) -> Document:
    """Check and store an upload for a case; ``actor`` None means the applicant uploaded it."""
    checked = as_checked(uploaded)  # raises UploadRefused before anything is stored
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.closed_at is not None:
            raise CaseError(_("The case is closed; documents can no longer be added."))
        requirement = None
        if requirement_id is not None:
            requirement = case.requirements.filter(pk=requirement_id).first()
            if requirement is None:
                raise CaseError(_("This document is not on the case's checklist."))
        return store_document(case, requirement, checked, actor, actor is None)


def missing_requirements(case: Case) -> list[Requirement]:
    fulfilled = set(
        Document.objects.filter(case=case, requirement__isnull=False).values_list(
            "requirement_id", flat=True
        )
    )
    return [r for r in case.requirements.all() if r.required and r.pk not in fulfilled]
