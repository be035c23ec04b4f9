"""The shape of what a submission carries: FIT-Connect's metadata, and the application data.

The metadata is checked against the parts of FIT-Connect's metadata schema
(``metadata.schema.json`` 1.x) the intake relies on: ``contentStructure`` with the
data's hash and schema and each attachment's id, hash, file name and MIME type,
and ``publicServiceType.identifier``. The application data (``mimeType``
``application/json``) is read in the shape docs/intake.md documents.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from willkommen.intake import problems
from willkommen.intake.problems import Refusal

HEX_512 = re.compile(r"^[0-9a-fA-F]{128}$")
ALLOWED_ATTACHMENT_TYPES = {"application/pdf", "image/jpeg", "image/png"}


@dataclass(frozen=True)
class AttachmentEntry:
    attachment_id: str
    filename: str
    mime_type: str
    hash: dict


@dataclass(frozen=True)
class Metadata:
    service_identifier: str
    data_hash: dict
    data_mime_type: str
    attachments: tuple[AttachmentEntry, ...]


def _violation(detail: str) -> Refusal:
    return Refusal(problems.SCHEMA_VIOLATION, detail, "metadata")


def _object(value, where: str) -> dict:
    if not isinstance(value, dict):
        raise _violation(f"{where} must be an object")
    return value


def _hash(value, where: str) -> dict:
    value = _object(value, where)
    if value.get("type") != "sha512" or not HEX_512.match(str(value.get("content", ""))):
        raise _violation(f"{where} must be a sha512 hash in hex")
    return value


def _text(value, where: str, limit: int = 255) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise _violation(f"{where} must be a text of at most {limit} characters")
    return value


def parse_metadata(plaintext: bytes) -> Metadata:
    try:
        document = json.loads(plaintext)
    except ValueError as error:
        raise Refusal(
            problems.SYNTAX_VIOLATION, f"metadata is not JSON: {error}", "metadata"
        ) from None
    document = _object(document, "metadata")
    structure = _object(document.get("contentStructure"), "contentStructure")
    if "data" not in structure:
        raise Refusal(problems.MISSING_DATA, "the metadata declares no data", "metadata")
    data = _object(structure["data"], "contentStructure.data")
    schema = _object(data.get("submissionSchema"), "contentStructure.data.submissionSchema")
    _text(schema.get("schemaUri"), "submissionSchema.schemaUri", 2000)
    entries = structure.get("attachments", [])
    if not isinstance(entries, list):
        raise _violation("contentStructure.attachments must be a list")
    attachments = []
    for position, entry in enumerate(entries):
        where = f"contentStructure.attachments[{position}]"
        entry = _object(entry, where)
        attachment_id = _text(entry.get("attachmentId"), f"{where}.attachmentId", 36)
        try:
            uuid.UUID(attachment_id)
        except ValueError:
            raise _violation(f"{where}.attachmentId must be a UUID") from None
        attachments.append(
            AttachmentEntry(
                attachment_id=attachment_id,
                filename=_text(entry.get("filename", "anlage"), f"{where}.filename"),
                mime_type=_text(entry.get("mimeType"), f"{where}.mimeType", 100),
                hash=_hash(entry.get("hash"), f"{where}.hash"),
            )
        )
    service = _object(document.get("publicServiceType"), "publicServiceType")
    return Metadata(
        service_identifier=_text(service.get("identifier"), "publicServiceType.identifier", 200),
        data_hash=_hash(data.get("hash"), "contentStructure.data.hash"),
        data_mime_type=_text(schema.get("mimeType"), "submissionSchema.mimeType", 100),
        attachments=tuple(attachments),
    )


@dataclass(frozen=True)
class Application:
    """What the case needs from the application data."""

    applicant: dict
    email: str
    language: str
    permit_expires_on: date | None


def _data_violation(detail: str) -> Refusal:
    return Refusal(problems.DATA_SCHEMA_VIOLATION, detail, "data")


def _date(value, where: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise _data_violation(f"{where} must be a date (YYYY-MM-DD)") from None


def parse_application(plaintext: bytes, mime_type: str) -> Application:
    if mime_type != "application/json":
        raise _data_violation(f"data of type {mime_type} cannot be read; expected JSON")
    try:
        document = json.loads(plaintext)
    except ValueError as error:
        raise Refusal(problems.SYNTAX_VIOLATION, f"data is not JSON: {error}", "data") from None
    if not isinstance(document, dict) or not isinstance(document.get("applicant"), dict):
        raise _data_violation("data.applicant must be an object")
    person = document["applicant"]
    names = {}
    for field in ("given_name", "family_name"):
        value = person.get(field)
        if not isinstance(value, str) or not value.strip() or len(value) > 100:
            raise _data_violation(f"applicant.{field} must be a name of at most 100 characters")
        names[field] = value.strip()
    nationality = person.get("nationality", "")
    if not isinstance(nationality, str) or len(nationality) > 60:
        raise _data_violation("applicant.nationality must be a text of at most 60 characters")
    email = document.get("email", "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise _data_violation("email is not an e-mail address") from None
    language = document.get("language", "de")
    if not isinstance(language, str) or len(language) > 8:
        raise _data_violation("language must be a language tag")
    return Application(
        applicant={
            **names,
            "nationality": nationality.strip(),
            "date_of_birth": _date(person.get("date_of_birth"), "applicant.date_of_birth"),
            "email": email,
        },
        email=email,
        language=language,
        permit_expires_on=_date(document.get("permit_expires_on"), "permit_expires_on"),
    )
