"""Case documents go through the shared upload gate (``willkommen.core.uploads``).

The checks live in core because the emergency request (booking, left of cases)
must pass the same ones; case files add only where a checked file is stored
(``services._store_document``).
"""

from willkommen.core.uploads import (
    CheckedFile,
    UploadRefused,
    as_checked,
    check_upload,
    clean_display_name,
)

__all__ = ["CheckedFile", "UploadRefused", "as_checked", "check_upload", "clean_display_name"]
