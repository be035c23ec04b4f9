"""The size limit while the request is read: an oversized file stops being kept.

First in ``FILE_UPLOAD_HANDLERS``. Once a file passes ``UPLOAD_MAX_BYTES`` the
handlers after this one get no more of it (at most the limit is spooled), and
the form receives an ``OversizedUpload`` in its place, which the form's file
field refuses with its own message in the page's language. The rest of the
request (other fields and files, the CSRF token) is read as usual. Whole
bodies above the server's limit are refused before they are read, by nginx
(``client_max_body_size``, deploy/nginx).

Signed-in staff (the admin, where the sign-language videos are uploaded) may send
files up to ``UPLOAD_VIDEO_MAX_BYTES``; each field's own check (``check_upload``:
``UPLOAD_MAX_BYTES``) still refuses a document above its limit.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class OversizedUpload(UploadedFile):
    """Stands for a file that was too large: its size, no content."""

    def __init__(self, name, size, content_type):
        super().__init__(io.BytesIO(), name=name, content_type=content_type, size=size)


def request_limit(request) -> int:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        return max(settings.UPLOAD_MAX_BYTES, settings.UPLOAD_VIDEO_MAX_BYTES)
    return settings.UPLOAD_MAX_BYTES


class UploadSizeLimit(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.limit = request_limit(self.request)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            return None  # dropped here: the handlers after this one never see it
        return raw_data

    def file_complete(self, file_size):
        if self.received > self.limit:
            return OversizedUpload(self.file_name, self.received, self.content_type)
        return None
