"""Case types with a realistic status order, cases opened through the service, real files."""

import io
import zlib
from datetime import timedelta

from PIL import Image

from tests.accounts.factories import TeamFactory, UserFactory
from tests.catalog.factories import ChecklistItemFactory, ServiceFactory
from willkommen.accounts.roles import Role
from willkommen.cases import services
from willkommen.cases.models import CaseType, StatusType
from willkommen.core.pdf import OfficePDF

STATUSES = [
    # code, phase, notify, skippable, allows_return
    ("eingegangen", "received", False, False, False),
    ("unvollstaendig", "incomplete", True, True, True),
    ("vollstaendig", "complete", False, False, False),
    ("in-pruefung", "in_progress", False, False, True),
    ("beteiligung", "waiting", True, True, False),
    ("entschieden", "decided", True, False, False),
    ("abgeschlossen", "closed", False, False, False),
]


def make_case_type(service=None, *, items=2, norm_days=56, team=None):
    service = service or ServiceFactory(team=team or TeamFactory())
    for _ in range(items):
        ChecklistItemFactory(service=service)
    case_type = CaseType.objects.create(service=service, norm_days=norm_days, retention_days=30)
    for position, (code, phase, notify, skippable, allows_return) in enumerate(STATUSES):
        StatusType.objects.create(
            case_type=case_type,
            position=position,
            code=code,
            phase=phase,
            internal_name=code.replace("-", " ").title(),
            applicant_text={"de": f"Text {code}", "en": f"Text {code} (en)"},
            notify_applicant=notify,
            target_days=7,
            skippable=skippable,
            allows_return=allows_return,
        )
    return case_type


def status(case_type, code):
    return case_type.statuses.get(code=code)


def open_case(case_type, **kwargs):
    kwargs.setdefault(
        "applicant", {"given_name": "Amina", "family_name": "Haddad", "nationality": "syrisch"}
    )
    kwargs.setdefault("contact_email", "amina@example.org")
    return services.open_case(service=case_type.service, **kwargs)


def upload_all_required(case, actor=None):
    """Every required document of the case, as real PDF uploads through the service."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    for requirement in case.requirements.filter(required=True):
        services.upload_document(
            case,
            SimpleUploadedFile("pass.pdf", pdf_bytes()),
            requirement_id=requirement.pk,
            actor=actor,
        )


def staff(team, role=Role.CLERK, **kwargs):
    return UserFactory(roles=[role], member_of=[team] if team else [], **kwargs)


def pdf_bytes(pages=1) -> bytes:
    pdf = OfficePDF("Test")
    for page in range(pages - 1):
        pdf.paragraph(f"page {page}")
        pdf.add_page()
    pdf.paragraph("Test document")
    return pdf.render()


def png_bytes(width=20, height=10) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 30), "blue").save(buffer, "JPEG")
    return buffer.getvalue()


def png_pixel_bomb(width=100_000, height=100_000) -> bytes:
    """A tiny PNG whose header claims 10 gigapixels (the IDAT is a few bytes of zeros)."""
    import struct

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


def close_ago(case, days):
    """Mark an opened case as closed ``days`` after opening (forecast history)."""
    from willkommen.cases.models import Case

    Case.objects.filter(pk=case.pk).update(closed_at=case.opened_at + timedelta(days=days))
