"""Serving the videos and captions: the stored type, and byte ranges for players.

Video players ask for ranges (Safari plays nothing without them; others need them
to seek). Django's ``FileResponse`` sends whole files only, so a single
``Range: bytes=a-b`` is answered here with 206; anything else gets the whole file
(RFC 9110 lets a server ignore a Range it does not support).
"""

from __future__ import annotations

import re

from django.http import FileResponse, HttpResponse, StreamingHttpResponse

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def _chunks(handle, remaining: int):
    with handle:
        while remaining > 0:
            data = handle.read(min(CHUNK, remaining))
            if not data:
                return
            remaining -= len(data)
            yield data


def file_answer(request, field_file, content_type: str, *, download_name: str = ""):
    size = field_file.size
    match = RANGE.match(request.headers.get("Range", "").strip())
    if match and (match[1] or match[2]):
        if match[1]:
            start = int(match[1])
            end = min(int(match[2]), size - 1) if match[2] else size - 1
        else:  # the last N bytes
            start, end = max(size - int(match[2]), 0), size - 1
        if start >= size or start > end:
            answer = HttpResponse(status=416)
            answer["Content-Range"] = f"bytes */{size}"
            return answer
        handle = field_file.open("rb")
        handle.seek(start)
        answer = StreamingHttpResponse(
            _chunks(handle, end - start + 1), status=206, content_type=content_type
        )
        answer["Content-Range"] = f"bytes {start}-{end}/{size}"
        answer["Content-Length"] = str(end - start + 1)
    else:
        answer = FileResponse(
            field_file.open("rb"),
            content_type=content_type,
            as_attachment=bool(download_name),
            filename=download_name or None,
        )
    answer["Accept-Ranges"] = "bytes"
    answer["X-Content-Type-Options"] = "nosniff"
    answer["Cache-Control"] = "public, max-age=3600"
    return answer
