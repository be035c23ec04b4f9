import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from tests.cases.factories import close_ago, make_case_type, open_case, pdf_bytes
from willkommen.cases import casetypes, services
from willkommen.cases.forecast import forecast_for
from willkommen.cases.models import Case, CaseType, Document, Person, StatusChange

pytestmark = pytest.mark.django_db


def closed_cases(case_type, days, **kwargs):
    for value in days:
        close_ago(open_case(case_type, send_confirmation=False, **kwargs).case, value)


def test_forecast_uses_the_exact_group_when_it_is_big_enough(settings):
    settings.CASE_FORECAST_MIN_SAMPLE = 5
    case_type = make_case_type()
    closed_cases(case_type, [10, 20, 30, 40, 50], urgency="high", difficulty="complex")
    closed_cases(case_type, [100] * 5)
    forecast = forecast_for(case_type.pk, "high", "complex")
    assert (forecast.median_days, forecast.sample_size, forecast.level) == (30, 5, "exact")
    assert forecast.p80_days == pytest.approx(42)


def test_forecast_falls_back_to_coarser_groups_then_gives_up(settings):
    settings.CASE_FORECAST_MIN_SAMPLE = 4
    case_type = make_case_type()
    closed_cases(case_type, [10, 20], urgency="high", difficulty="complex")
    closed_cases(case_type, [30, 40], urgency="high", difficulty="simple")
    urgency_level = forecast_for(case_type.pk, "high", "complex")
    assert (urgency_level.level, urgency_level.sample_size) == ("urgency", 4)
    closed_cases(case_type, [50])
    settings.CASE_FORECAST_MIN_SAMPLE = 6
    assert forecast_for(case_type.pk, "normal", "normal") is None  # 5 cases of the type…
    settings.CASE_FORECAST_MIN_SAMPLE = 5
    assert forecast_for(case_type.pk, "normal", "normal").level == "case_type"  # …now enough
    assert forecast_for(make_case_type().pk, "normal", "normal") is None


def test_open_cases_do_not_count():
    case_type = make_case_type()
    open_case(case_type)
    assert forecast_for(case_type.pk, "normal", "normal") is None


def test_retention_anonymises_what_is_due_and_keeps_the_figures(
    media_root, django_capture_on_commit_callbacks
):
    case_type = make_case_type()
    case = open_case(case_type).case
    document = services.upload_document(
        case, SimpleUploadedFile("pass.pdf", pdf_bytes()), requirement_id=None, actor=None
    )
    keep = open_case(case_type).case
    Case.objects.filter(pk=case.pk).update(
        closed_at=case.opened_at, delete_after=datetime.date(2020, 1, 1)
    )
    path = Path(media_root) / document.stored_name
    from willkommen.core.models import OutboxMail

    OutboxMail.objects.filter(dedupe_key=f"case:{case.pk}:confirmation").update(status="sent")
    dry = services.apply_retention(dry_run=True)
    assert dry.cases == [case.reference] and path.exists()
    with django_capture_on_commit_callbacks(execute=True):  # files go once the rows are gone
        report = services.apply_retention()
    assert report.cases == [case.reference] and report.documents == 1
    case.refresh_from_db()
    assert case.anonymised_at is not None and case.contact_email == ""
    assert not Person.objects.filter(case=case).exists()
    assert not Document.objects.filter(case=case).exists()
    assert not path.exists()
    assert not OutboxMail.objects.filter(dedupe_key__startswith=f"case:{case.pk}:").exists()
    assert OutboxMail.objects.filter(dedupe_key=f"case:{keep.pk}:confirmation").exists()
    assert StatusChange.objects.filter(case=case).exists()  # the figures stay
    assert Person.objects.filter(case=keep).exists()
    assert services.apply_retention().cases == []  # nothing twice


def test_retention_command_reports(capsys):
    call_command("apply_case_retention", "--dry-run")
    assert "cases due: 0" in capsys.readouterr().out


def test_demo_cases_are_deterministic_and_idempotent(demo_catalog, settings, capsys):
    call_command("load_demo_cases")
    first = sorted(Case.objects.values_list("reference", "urgency", "difficulty"))
    call_command("load_demo_cases")
    assert "already there" in capsys.readouterr().out
    assert sorted(Case.objects.values_list("reference", "urgency", "difficulty")) == first
    assert CaseType.objects.count() == 20
    # Forecasts are meaningful for every case type of the demo catalogue.
    settings.CASE_FORECAST_MIN_SAMPLE = 10
    for case_type in CaseType.objects.all():
        forecast = forecast_for(case_type.pk, "normal", "normal")
        assert forecast is not None and forecast.sample_size >= 10, case_type
        assert forecast.p80_days >= forecast.median_days > 0


def test_forecast_sees_every_new_closing_at_once(settings):
    settings.CASE_FORECAST_MIN_SAMPLE = 2
    case_type = make_case_type()
    closed_cases(case_type, [10, 20])
    assert forecast_for(case_type.pk, "normal", "normal").sample_size == 2
    closed_cases(case_type, [30])
    assert forecast_for(case_type.pk, "normal", "normal").sample_size == 3


def test_a_closed_case_keeps_its_classification():
    case_type = make_case_type()
    case = open_case(case_type).case
    close_ago(case, 10)
    with pytest.raises(services.CaseError, match="closed"):
        services.change_classification(
            case, field="urgency", value="high", reason="late", actor=None
        )


def test_case_type_file_with_a_bad_status_order_changes_nothing(demo_catalog):
    from django.core.exceptions import ValidationError

    statuses = [
        {"code": "a", "phase": "received", "internal_name": "A", "applicant_text": {"de": "A"}},
        {"code": "b", "phase": "in_progress", "internal_name": "B", "applicant_text": {"de": "B"}},
    ]
    data = {"case_types": [{"service": "reiseausweis", "norm_days": 10, "retention_days": 30,
                            "statuses": statuses}]}  # fmt: skip
    with pytest.raises(ValidationError, match="complete"):
        casetypes.load_case_types(data)
    assert not CaseType.objects.exists()


def test_reloading_case_types_keeps_the_statuses_cases_use(demo_catalog):
    casetypes.load_case_types_file()
    case_type = CaseType.objects.get(service__slug="reiseausweis")
    case = open_case(case_type).case
    counts = casetypes.load_case_types_file()  # again: updated in place
    assert counts["case_types"] == 20
    case.refresh_from_db()
    assert case.status.code == "eingegangen" and case.status.position == 0
