import pytest

from tests.accounts.factories import UserFactory
from tests.cases.factories import make_case_type
from willkommen.accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(roles=[Role.ADMIN], is_staff=True))
    return client


def test_admin_edits_case_types_with_their_statuses(admin_client):
    case_type = make_case_type()
    assert admin_client.get("/admin/cases/casetype/").status_code == 200
    page = admin_client.get(f"/admin/cases/casetype/{case_type.pk}/change/")
    assert page.status_code == 200
    assert "applicant_text" in page.content.decode()
    for url in ("/admin/cases/routingrule/", "/admin/cases/contacttopic/"):
        assert admin_client.get(url).status_code == 200


def test_cases_themselves_are_not_in_the_admin(admin_client):
    # Reads of case files must be permission-checked and logged: only the staff pages do that.
    assert admin_client.get("/admin/cases/case/").status_code == 404


def test_a_status_order_without_closed_is_refused(admin_client):
    case_type = make_case_type()
    statuses = list(case_type.statuses.order_by("position"))
    data = {
        "service": case_type.service_id, "norm_days": 56, "retention_days": 30,
        "is_active": "on", "statuses-TOTAL_FORMS": len(statuses),
        "statuses-INITIAL_FORMS": len(statuses), "statuses-MIN_NUM_FORMS": 0,
        "statuses-MAX_NUM_FORMS": 1000,
    }  # fmt: skip
    for index, item in enumerate(statuses):
        prefix = f"statuses-{index}-"
        data.update({
            prefix + "id": item.pk, prefix + "case_type": case_type.pk,
            prefix + "position": item.position, prefix + "code": item.code,
            prefix + "phase": "in_progress" if item.phase == "closed" else item.phase,
            prefix + "internal_name": item.internal_name,
            prefix + "applicant_text_0": item.applicant_text["de"],
            prefix + "applicant_text_1": item.applicant_text["en"],
            prefix + "target_days": item.target_days,
        })  # fmt: skip
    response = admin_client.post(f"/admin/cases/casetype/{case_type.pk}/change/", data)
    assert response.status_code == 200  # the form again, with the error
    html = response.content.decode()
    assert "und nur er" in html or "and only it" in html
    assert case_type.statuses.filter(phase="closed").count() == 1
