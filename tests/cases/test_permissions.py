"""Who may see and do what, for every staff view and API endpoint of the case file."""

from datetime import timedelta

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
         {"urgency": "high", "difficulty": "normal", "language": "de", "reason": "Frist"}),
        ("POST", reverse("cases:take", args=[ref]), {}),
        ("POST", reverse("cases:add_note", args=[ref]), {"text": "Rückruf"}),
        ("POST", reverse("cases:add_family", args=[ref]),
         {"given_name": "Sami", "family_name": "Haddad", "date_of_birth": "2019-04-01",
          "nationality": "syrisch", "relation": "Sohn"}),
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
    general = [
        ("GET", reverse("cases:list"), {}),
        ("GET", reverse("cases:open"), {}),
        ("GET", reverse("cases:contact_requests"), {}),
        ("POST", reverse("cases:contact_answered", args=["KON-2026-000001"]), {}),
    ]
    for method, url, data in [*general, *endpoints(world)]:
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


def test_list_filters(client, world):
    from willkommen.cases.models import Case

    client.force_login(world["users"]["clerk_a"])
    reference = world["case"].reference
    filters = {
        "?clerk=none": True, "?clerk=me": False, "?waiting=on": True, "?expiring=on": False,
        "?overdue=on": False, "?closed=on": False, f"?q={reference}": True, "?q=Haddad": True,
        "?q=Nobody": False, "?status=eingegangen": True, "?status=entschieden": False,
        f"?team={world['team_a'].pk}&clerk=none&waiting=on": True,
    }  # fmt: skip
    for query, listed in filters.items():
        response = client.get(reverse("cases:list") + query)
        assert response.status_code == 200, query
        assert (reference in response.content.decode()) == listed, query
    Case.objects.filter(pk=world["case"].pk).update(
        permit_expires_on=world["case"].opened_at.date(),
        opened_at=world["case"].opened_at - timedelta(days=400),
    )
    for query in ("?expiring=on", "?overdue=on"):
        assert reference in client.get(reverse("cases:list") + query).content.decode(), query
    assert client.get(reverse("cases:list") + "?team=abc").status_code == 400


def test_clerk_opens_a_case_at_the_counter_and_sees_the_code_once(client, world):
    from willkommen.cases.models import Case

    client.force_login(world["users"]["clerk_a"])
    case_type = world["case"].case_type
    response = client.post(
        reverse("cases:open"),
        {"case_type": case_type.pk, "given_name": "Ivan", "family_name": "Petrov",
         "date_of_birth": "1990-01-01", "nationality": "serbisch", "email": "",
         "permit_expires_on": "2026-12-24", "urgency": "critical", "difficulty": "normal"},
    )  # fmt: skip
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    case = Case.objects.get(persons__family_name="Petrov")
    assert (case.urgency, case.team, case.source) == ("critical", world["team_a"], "staff")
    assert str(case.permit_expires_on) == "2026-12-24"
    code = response.context["access_code"]
    assert code in response.content.decode()
    assert code not in client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert client.post(reverse("cases:open"), {"case_type": ""}).status_code == 400


def test_family_members_are_linked_to_the_applicant(client, world):
    client.force_login(world["users"]["clerk_a"])
    reference = world["case"].reference
    response = client.post(
        reverse("cases:add_family", args=[reference]),
        {"given_name": "Sami", "family_name": "Haddad", "date_of_birth": "2019-04-01",
         "nationality": "syrisch", "relation": "Sohn"},
    )  # fmt: skip
    assert response.status_code == 302
    child = world["case"].persons.get(given_name="Sami")
    assert child.related_to == world["case"].applicant() and child.role == "family"
    bad = client.post(reverse("cases:add_family", args=[reference]), {"given_name": "X"})
    assert bad.status_code == 400


def test_contact_requests_are_seen_by_their_team_only(client, world):
    from willkommen.cases.models import ContactTopic
    from willkommen.cases.services import submit_contact_request

    topic = ContactTopic.objects.create(slug="t", name={"de": "Thema"}, team=world["team_a"])
    contact = submit_contact_request(
        topic=topic, name="Ana Silva", email="ana@example.org", message="Frage",
        case_reference="", language="de",
    )  # fmt: skip
    client.force_login(world["users"]["clerk_b"])
    assert "Ana Silva" not in client.get(reverse("cases:contact_requests")).content.decode()
    url = reverse("cases:contact_answered", args=[contact.reference])
    assert client.post(url).status_code == 404
    client.force_login(world["users"]["clerk_a"])
    assert "Ana Silva" in client.get(reverse("cases:contact_requests")).content.decode()
    assert client.post(url).status_code == 302
    contact.refresh_from_db()
    assert contact.answered_at is not None
    assert (
        "Ana Silva"
        in client.get(reverse("cases:contact_requests") + "?answered=1").content.decode()
    )


def test_an_unanswered_request_past_its_due_date_is_marked(client, world):
    from willkommen.cases.models import AgencyRequest

    AgencyRequest.objects.filter(pk=world["agency"].pk).update(
        sent_on="2020-01-01", due_on="2020-02-01"
    )
    client.force_login(world["users"]["clerk_a"])
    page = client.get(reverse("cases:detail", args=[world["case"].reference])).content.decode()
    assert 'kern-badge--danger">overdue<' in page
