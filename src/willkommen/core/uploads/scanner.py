"""The virus check: ClamAV's clamd, spoken to over its socket with INSTREAM (clamdpy).

``CLAMD_SOCKET`` (a unix socket) or ``CLAMD_HOST``/``CLAMD_PORT`` name the
daemon. A scanner that is configured but cannot answer refuses the upload
(fail closed). Without any configured scanner files are recorded as
``not_configured``; production start-up then warns, and ``check --deploy``
reports ``uploads.W001``.
"""

from __future__ import annotations

import io
import logging

from clamdpy import ClamdNetworkSocket, ClamdUnixSocket
from clamdpy.exceptions import BufferTooLongError, ClamdException
from django.conf import settings
from django.core import checks
from django.utils.translation import gettext_lazy as _

from willkommen.core.uploads.content import UploadRefused

logger = logging.getLogger(__name__)

# clamd reads a stream in chunks of at most this many bytes each.
CHUNK_BYTES = 64 * 1024


def is_configured() -> bool:
    return bool(settings.CLAMD_SOCKET or settings.CLAMD_HOST)


def _client():
    timeout = settings.CLAMD_TIMEOUT
    if settings.CLAMD_SOCKET:
        return ClamdUnixSocket(settings.CLAMD_SOCKET, timeout=timeout, max_chunk_size=CHUNK_BYTES)
    return ClamdNetworkSocket(
        settings.CLAMD_HOST, settings.CLAMD_PORT, timeout=timeout, max_chunk_size=CHUNK_BYTES
    )


def _unchecked() -> UploadRefused:
    return UploadRefused(_("The file could not be checked for viruses. Please try again later."))


def scan(content: bytes) -> str:
    """'clean', or 'not_configured' without a scanner; anything else refuses the file."""
    if not is_configured():
        return "not_configured"
    try:
        result = _client().instream(io.BytesIO(content))
    except BufferTooLongError as exc:
        logger.error(
            "clamd refused an upload of %s bytes as too long: raise its StreamMaxLength "
            "to at least UPLOAD_MAX_BYTES (%s)",
            len(content),
            settings.UPLOAD_MAX_BYTES,
        )
        raise _unchecked() from exc
    except (BrokenPipeError, ConnectionResetError) as exc:
        # clamd closes the stream when it passes its StreamMaxLength, often before
        # the reply can be read.
        logger.error(
            "clamd closed the connection during a scan of %s bytes (is its StreamMaxLength "
            "below UPLOAD_MAX_BYTES?); upload refused: %r",
            len(content),
            exc,
        )
        raise _unchecked() from exc
    except (ClamdException, OSError) as exc:  # OSError: refused, timed out
        logger.error("virus scanner unreachable, upload refused: %r", exc)
        raise _unchecked() from exc
    if result.status == "OK":
        return "clean"
    if result.status == "FOUND":
        logger.warning("virus scanner found %s in an upload; refused", result.reason)
        raise UploadRefused(_("The file contains malware and was not accepted."))
    logger.error("virus scan failed, upload refused: %s", result.reason)
    raise _unchecked()


UNSCANNED = (
    "Uploads are not scanned for viruses: set CLAMD_SOCKET or CLAMD_HOST "
    "(docs/configuration.md, 'Uploads')."
)


@checks.register(checks.Tags.security, deploy=True)
def scanner_check(app_configs=None, **kwargs):
    if is_configured():
        return []
    return [checks.Warning(UNSCANNED, hint="apt-get install clamav-daemon", id="uploads.W001")]


def warn_if_unscanned() -> bool:
    """At start-up with DEBUG off: say loudly that uploads go unscanned. True if it warned."""
    if settings.DEBUG or settings.TESTING or is_configured():
        return False
    logger.warning("*" * 72)
    logger.warning("WARNING: %s", UNSCANNED)
    logger.warning("*" * 72)
    return True
