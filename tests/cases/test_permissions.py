"""Who may see and do what, for every staff view and API endpoint of the case file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.accounts.factories import TeamFactory, UserFactory
from tests.cases.factories import make_case_type, open_case, pdf_bytes, staff
from willkommen.accounts.roles import Role
from willkommen.cases import services
from willkommen.cases.models import AccessLogEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    team_a, team_b = TeamFactory(slug="a"), TeamFactory(slug="b")
    case_type = make_case_type(team=team_a)
    case = open_case(case_type).case
    clerk_a = staff(team_a)
    document = services.upload_document(
        case,
        SimpleUploadedFile("pass.pdf", pdf_bytes()),
        requirement_id=case.requirements.first().pk,
        actor=clerk_a,
    )
    agency = services.add_agency_request(
        case, agency="BA", subject="Zustimmung", sent_on=case.opened_at.date(), due_on=None,
        actor=clerk_a,
    )  # fmt: skip
    users = {
        "anonymous": None,
        "reception": UserFactory(roles=[Role.RECEPTION], member_of=[team_a]),
        "controller": UserFactory(roles=[Role.CONTROLLER], member_of=[team_a]),
        "clerk_a": clerk_a,
        "clerk_b": staff(team_b),
        "lead_a": staff(team_a, role=Role.TEAM_LEAD),
        "lead_b": staff(team_b, role=Role.TEAM_LEAD),
        "admin": UserFactory(roles=[Role.ADMIN]),
    }
    return {"case": case, "document": document, "agency": agency, "users": users, "team_a": team_a}


def endpoints(world):
    case, ref = world["case"], world["case"].reference
    unlocked = case.status_id
    return [
        ("GET", reverse("cases:detail", args=[ref]), {}),
        ("GET", reverse("cases:download", args=[ref, world["document"].pk]), {}),
        ("POST", reverse("cases:change_status", args=[ref]),
         {"status": case.case_type.statuses.get(code="unvollstaendig").pk,
          "expected_status": unlocked}),
        ("POST", reverse("cases:change_classification", args=[ref]),
         {"urgency": "high", "difficulty": "normal", "reason": "Frist"}),
        ("POST", reverse("cases:take", args=[ref]), {}),
        ("POST", reverse("cases:add_note", args=[ref]), {"text": "Rückruf"}),
        ("POST", reverse("cases:add_agency", args=[ref]),
         {"agency": "BA", "subject": "Zustimmung", "sent_on": "2026-03-02"}),
        ("POST", reverse("cases:answer_agency", args=[ref, world["agency"].pk]),
         {"answered_on": "2099-03-02"}),
        ("POST", reverse("cases:add_certificate", args=[ref]),
         {"number": "F1", "issued_on": "2026-03-02", "valid_until": "2026-06-02"}),
        ("POST", reverse("cases:upload", args=[ref]), {"file": "pdf"}),
    ]  # fmt: skip


def call(client, method, url, data):
    if method == "GET":
        return client.get(url)
    if data.get("file") == "pdf":
        data = {"file": SimpleUploadedFile("scan.pdf", pdf_bytes())}
    return client.post(url, data)


@pytest.mark.parametrize("who", ["anonymous", "reception", "controller"])
def test_people_without_a_case_role_get_nothing(client, world, who):
    user = world["users"][who]
    if user:
        client.force_login(user)
    for method, url, data in [("GET", reverse("cases:list"), {}), *endpoints(world)]:
        response = call(client, method, url, data)
        if user is None:
            assert response.status_code == 302 and "/login/" in response["Location"], url
        else:
            assert response.status_code == 403, url


@pytest.mark.parametrize("who", ["clerk_b", "lead_b"])
def test_staff_of_another_team_cannot_tell_the_case_exists(client, world, who):
    client.force_login(world["users"][who])
    listing = client.get(reverse("cases:list"))
    assert listing.status_code == 200
    assert world["case"].reference not in listing.content.decode()
    for method, url, data in endpoints(world):
        assert call(client, method, url, data).status_code == 404, url
    assert client.post(reverse("cases:reassign", args=[world["case"].reference])).status_code in (
        403,
        404,
    )
    assert not AccessLogEntry.objects.filter(user=world["users"][who]).exists()


@pytest.mark.parametrize("who", ["clerk_a", "lead_a", "admin"])
def test_staff_of_the_team_and_admins_work_the_case(client, world, who):
    client.force_login(world["users"][who])
    listing = client.get(reverse("cases:list"))
    assert world["case"].reference in listing.content.decode()
    for method, url, data in endpoints(world):
        response = call(client, method, url, data)
        assert response.status_code in (200, 302), (url, response.status_code)
        if method == "POST":
            assert response["Location"].endswith(
                reverse("cases:detail", args=[world["case"].reference])
            ), url


def test_only_team_leads_and_admins_reassign_and_see_the_access_log(client, world):
    url = reverse("cases:reassign", args=[world["case"].reference])
    detail = reverse("cases:detail", args=[world["case"].reference])
    clerk, lead = world["users"]["clerk_a"], world["users"]["lead_a"]
    client.force_login(clerk)
    assert client.post(url, {"team": world["team_a"].pk}).status_code == 403
    assert "access-log" not in client.get(detail).content.decode()
    client.force_login(lead)
    page = client.get(detail).content.decode()
    assert 'id="access-log"' in page
    response = client.post(url, {"team": world["team_a"].pk, "clerk": clerk.pk, "reason": "x"})
    assert response.status_code == 302
    world["case"].refresh_from_db()
    assert world["case"].clerk == clerk


def test_a_team_lead_cannot_move_a_case_into_a_team_not_theirs(client, world):
    client.force_login(world["users"]["lead_a"])
    other = TeamFactory(slug="c")
    response = client.post(
        reverse("cases:reassign", args=[world["case"].reference]), {"team": other.pk}
    )
    assert response.status_code == 400
    world["case"].refresh_from_db()
    assert world["case"].team == world["team_a"]


def test_every_open_and_download_is_logged(client, world):
    clerk = world["users"]["clerk_a"]
    client.force_login(clerk)
    client.get(reverse("cases:detail", args=[world["case"].reference]))
    response = client.get(
        reverse("cases:download", args=[world["case"].reference, world["document"].pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    actions = list(AccessLogEntry.objects.filter(user=clerk).values_list("action", "document_id"))
    assert ("open", None) in actions
    assert ("download", world["document"].pk) in actions


# --- API ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "reception", "controller"])
def test_staff_api_refuses_people_without_a_case_role(client, world, who):
    if world["users"][who]:
        client.force_login(world["users"][who])
    assert client.get("/api/v1/staff/cases").status_code == 401
    assert client.get(f"/api/v1/staff/cases/{world['case'].reference}").status_code == 401


@pytest.mark.parametrize(("who", "sees"), [("clerk_a", True), ("lead_a", True), ("admin", True),
                                           ("clerk_b", False), ("lead_b", False)])  # fmt: skip
def test_staff_api_shows_what_the_pages_show(client, world, who, sees):
    client.force_login(world["users"][who])
    listing = client.get("/api/v1/staff/cases")
    assert listing.status_code == 200
    references = [row["reference"] for row in listing.json()]
    assert (world["case"].reference in references) == sees
    detail = client.get(f"/api/v1/staff/cases/{world['case'].reference}")
    assert detail.status_code == (200 if sees else 404)
    if sees:
        assert detail.json()["documents"] == 1
        assert AccessLogEntry.objects.filter(user=world["users"][who], action="api").exists()
