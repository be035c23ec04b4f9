from decimal import Decimal

import pytest
from django.utils import translation

from willkommen.controlling.staffing import StaffingInputError, calculate, parse_task_csv


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English; the German ones are checked in test_views."""
    with translation.override("en"):
        yield


def test_hand_computed_example():
    # 1,000 cases x 60 min + 500 x 120 min = 120,000 min; a post: 100,000 min x (1 - 0.20) = 80,000.
    result = calculate([(1000, Decimal(60)), (500, Decimal(120))], 100_000, Decimal(20))
    assert result.required_minutes == Decimal("120000.0")
    assert result.available_minutes_per_post == Decimal("80000.0")
    assert result.fte_needed == Decimal("1.50")


def test_no_cases_needs_no_posts():
    assert calculate([], 95_000, Decimal(10)).fte_needed == Decimal("0.00")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (([(1, Decimal(1))], 0, Decimal(10)), "annual working minutes"),
        (([(1, Decimal(1))], 1000, Decimal(100)), "between 0 and 100"),
        (([(-1, Decimal(1))], 1000, Decimal(10)), "negative"),
    ],
)
def test_impossible_parameters_are_refused(args, message):
    with pytest.raises(StaffingInputError, match=message):
        calculate(*args)


def test_semicolon_csv_with_german_decimal_comma_and_bom():
    data = (
        "\ufeffcode;name;minutes_per_case;source\nA-1;Verlängerung;45,5;Studie 2025\nb;Kurz;8;S\n"
    )
    rows = parse_task_csv(data.encode("utf-8"))
    assert [(r.code, r.minutes_per_case) for r in rows] == [
        ("a-1", Decimal("45.5")),
        ("b", Decimal(8)),
    ]
    assert rows[0].name == "Verlängerung"


def test_comma_csv():
    rows = parse_task_csv(b"code,name,minutes_per_case,source\nx,Task,12.5,Study\n")
    assert rows[0].minutes_per_case == Decimal("12.5")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"code;name;minutes;source\nx;T;5;S\n", "Missing columns"),
        (b"code;name;hours_per_case;minutes_per_case;source\nx;T;1;60;S\n", "minutes per case"),
        (b"code;name;minutes_per_case;source\nx;T;zehn;S\n", "not a number"),
        (b"code;name;minutes_per_case;source\nx;T;-3;S\n", "between 0.1"),
        (b"code;name;minutes_per_case;source\nx;T;3;S\nx;U;4;S\n", "twice"),
        (b"code;name;minutes_per_case;source\nx;T;3;\n", "required"),
        (b"code;name;minutes_per_case;source\n", "no tasks"),
        (b"", "empty"),
        ("code;name;minutes_per_case;source\nx;Ä;3;S\n".encode("latin-1"), "UTF-8"),
    ],
)
def test_bad_csv_is_refused_with_line_numbers(data, message):
    with pytest.raises(StaffingInputError) as caught:
        parse_task_csv(data)
    assert message in str(caught.value)


def test_all_errors_are_reported_at_once():
    data = b"code;name;minutes_per_case;source\na;T;x;S\nb;T;0;S\nc;T;3;S\n"
    with pytest.raises(StaffingInputError) as caught:
        parse_task_csv(data)
    assert len(caught.value.errors) == 2
    assert "Line 2" in caught.value.errors[0] and "Line 3" in caught.value.errors[1]


def test_task_import_links_services_and_refuses_unknown_ones(db):
    from tests.catalog.factories import ServiceFactory
    from willkommen.controlling.models import StaffingTask
    from willkommen.controlling.services import import_tasks

    ServiceFactory(slug="blaue-karte-eu")
    ServiceFactory(slug="chancenkarte")
    header = "code;name;minutes_per_case;source;services\n"
    rows = parse_task_csv(
        (header + "fachkraefte;Fachkräfte;120;Studie 2025;blaue-karte-eu | chancenkarte\n").encode()
    )
    assert rows[0].services == ("blaue-karte-eu", "chancenkarte")
    import_tasks(rows)
    task = StaffingTask.objects.get(code="fachkraefte")
    assert sorted(task.services.values_list("slug", flat=True)) == [
        "blaue-karte-eu",
        "chancenkarte",
    ]
    bad = parse_task_csv((header + "neu;Neu;10;Studie;gibt-es-nicht\n").encode())
    with pytest.raises(StaffingInputError, match="gibt-es-nicht"):
        import_tasks(bad)
    assert not StaffingTask.objects.filter(code="neu").exists()
    assert StaffingTask.objects.get(code="fachkraefte").is_active  # nothing changed
