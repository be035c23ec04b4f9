"""Files that passed the checks, held between two submissions of a form.

When one field of a form is refused (a hostile file, a missing date), the
browser cannot send the other chosen files again by itself. The files that
passed are stored under ``held/`` and the page carries a signed token for each
(with ``SECRET_KEY_FALLBACKS``, like every signature), so the applicant need not
choose them again. Only checked files are held; a token expires after
``UPLOAD_HOLD_SECONDS`` and its file is deleted at the next purge.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from willkommen.core.uploads import CheckedFile
from willkommen.core.uploads.content import UploadRefused

logger = logging.getLogger(__name__)

SALT = "willkommen.uploads.held"
FOLDER = "held"


def hold(checked: CheckedFile) -> str:
    """Store a checked file for a later submission; the token names it."""
    if checked.held:
        return checked.held
    purge()
    name = default_storage.save(
        f"{FOLDER}/{uuid.uuid4().hex}.{checked.extension}", ContentFile(checked.content)
    )
    fields = {
        "n": name, "k": checked.kind, "s": checked.sha256, "d": checked.display_name,
        "p": checked.pages, "x": checked.pixels, "v": checked.scan_result,
    }  # fmt: skip
    return signing.dumps(fields, salt=SALT)


def describe(token: str) -> str | None:
    """The display name a token holds, or None if it is not one of ours or expired."""
    try:
        return signing.loads(token, salt=SALT, max_age=settings.UPLOAD_HOLD_SECONDS)["d"]
    except (signing.BadSignature, KeyError, TypeError):
        return None


def _gone() -> UploadRefused:
    return UploadRefused(
        _("The file chosen earlier is no longer available; please choose it again.")
    )


def take(token: str) -> CheckedFile:
    """The held file a token names, as checked when it was held."""
    try:
        fields = signing.loads(token, salt=SALT, max_age=settings.UPLOAD_HOLD_SECONDS)
        with default_storage.open(fields["n"], "rb") as stored:
            content = stored.read(settings.UPLOAD_MAX_BYTES + 1)
    except (signing.BadSignature, KeyError, TypeError, OSError) as exc:
        raise _gone() from exc
    if hashlib.sha256(content).hexdigest() != fields["s"]:
        logger.warning("held upload %s changed on disk; refused", fields["n"])
        raise _gone()
    return CheckedFile(
        content=content,
        kind=fields["k"],
        sha256=fields["s"],
        pages=fields["p"],
        pixels=fields["x"],
        display_name=fields["d"],
        scan_result=fields["v"],
        held=token,
    )


def release(checked: CheckedFile) -> None:
    """Delete a held file once its content was stored for good."""
    if not checked.held:
        return
    try:
        default_storage.delete(signing.loads(checked.held, salt=SALT)["n"])
    except (signing.BadSignature, KeyError, OSError):
        logger.info("held upload already gone")


def purge() -> int:
    """Delete held files older than UPLOAD_HOLD_SECONDS; the number deleted."""
    try:
        _dirs, names = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - timedelta(seconds=settings.UPLOAD_HOLD_SECONDS)
    deleted = 0
    for name in names:
        path = f"{FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                deleted += 1
        except OSError:
            continue
    return deleted
