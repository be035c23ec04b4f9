"""Reading a complaint that arrived by e-mail from its ``.eml`` file (RFC 5322, MIME).

The stdlib ``email`` package parses it (``policy.default``: headers decoded, the
text part found by ``get_body``). Only the text is kept: the sender, the subject,
the date and the plain text (an HTML-only mail is reduced to its text). The file and
its attachments are not stored, so nothing of it is shown or forwarded but the text;
the whole file still passes the virus scanner first (invariant 9).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.errors import MessageError
from email.parser import BytesParser
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from willkommen.core import clock
from willkommen.core.i18n import supported_language
from willkommen.core.uploads import UploadRefused, scanner


@dataclass(frozen=True)
class ImportedMail:
    name: str
    email: str
    subject: str
    text: str
    sent_at: datetime | None
    language: str | None  # from Content-Language, if it names an offered language
    attachments: int  # how many were left out


def read_eml(uploaded) -> ImportedMail:
    """The complaint's parts of an uploaded ``.eml``; UploadRefused with the reason."""
    limit = settings.COMPLAINT_EML_MAX_BYTES
    content = uploaded.read(limit + 1)
    if len(content) > limit:
        raise UploadRefused(
            _("The file is larger than %(limit)s KB.") % {"limit": round(limit / 1024)}
        )
    if not (uploaded.name or "").lower().endswith(".eml"):
        raise UploadRefused(_("Please choose an e-mail saved as an .eml file."))
    scanner.scan(content)
    try:
        message = BytesParser(policy=policy.default).parsebytes(content)
        name, address = parseaddr(str(message.get("From", "")))
        subject = str(message.get("Subject", "")).strip()
        body = message.get_body(preferencelist=("plain", "html"))
        text = body.get_content() if body is not None else ""
        if body is not None and body.get_content_type() == "text/html":
            text = strip_tags(text)
        attachments = sum(1 for _part in message.iter_attachments())
        sent_at = _date(message)
    except (MessageError, LookupError, UnicodeError, ValueError, TypeError):
        raise UploadRefused(_("This file could not be read as an e-mail.")) from None
    if message.defects and not message.keys():
        raise UploadRefused(_("This file could not be read as an e-mail."))
    try:
        validate_email(address)
    except ValidationError:
        raise UploadRefused(_("The e-mail has no valid sender address (From).")) from None
    text = "\n".join(line.rstrip() for line in text.strip().splitlines())
    if not text:
        raise UploadRefused(_("The e-mail contains no text."))
    language = supported_language(str(message.get("Content-Language", "")).split(",")[0])
    return ImportedMail(
        name=name.strip()[:200],
        email=address,
        subject=subject[:250],
        text=text[:10000],
        sent_at=sent_at,
        language=language,
        attachments=attachments,
    )


def _date(message) -> datetime | None:
    """The Date header, if it is a real moment not in the future (else: the import time)."""
    header = message.get("Date")
    if header is None:
        return None
    moment = getattr(header, "datetime", None)
    if moment is None or moment.tzinfo is None or moment > clock.now():
        return None
    return moment
