"""Personal access tokens: shown once, stored as a digest, scoped by role, revocable,
expiring, rate-limited; the API treats a token call like the owner's session."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from tests.accounts.factories import TeamFactory, UserFactory
from tests.cases.factories import make_case_type, open_case, staff
from willkommen.accounts import tokens
from willkommen.accounts.models import AccessToken
from willkommen.accounts.roles import Role
from willkommen.cases.models import AccessLogEntry
from willkommen.core import clock

pytestmark = pytest.mark.django_db


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def two_teams():
    own, other = make_case_type(), make_case_type()
    return {
        "own": open_case(own).case,
        "other": open_case(other).case,
        "team": own.service.team,
    }


def test_the_secret_is_returned_once_and_only_its_digest_is_kept():
    clerk = UserFactory(roles=[Role.CLERK])
    new = tokens.create(clerk, name="Export", roles=[Role.CLERK], days=30)
    stored = AccessToken.objects.get()
    assert new.secret.startswith(f"wk_{stored.prefix}_") and len(new.secret) > 50
    assert new.secret not in str(AccessToken.objects.values().get())
    assert stored.roles == ["clerk"] and stored.expires_at - stored.created_at == timedelta(days=30)
    assert tokens.authenticate(new.secret) == clerk


@pytest.mark.parametrize(
    ("name", "roles", "days", "message"),
    [
        (" ", ["clerk"], 30, "name"),
        ("x", [], 30, "role"),
        ("x", ["admin"], 30, "roles you hold"),
        ("x", ["clerk", "nonsense"], 30, "role"),
        ("x", ["clerk"], 0, "1 to 365"),
        ("x", ["clerk"], 366, "1 to 365"),
    ],
)
def test_bad_requests_create_nothing(name, roles, days, message):
    clerk = UserFactory(roles=[Role.CLERK])
    with translation.override("en"), pytest.raises(tokens.TokenError, match=message):
        tokens.create(clerk, name=name, roles=roles, days=days)
    assert not AccessToken.objects.exists()


def test_a_clerk_token_reads_the_team_s_cases_and_the_read_is_logged(client, two_teams):
    clerk = staff(two_teams["team"])
    new = tokens.create(clerk, name="Export", roles=[Role.CLERK], days=30)
    listed = client.get("/api/v1/staff/cases", **bearer(new.secret))
    assert listed.status_code == 200
    assert [c["reference"] for c in listed.json()] == [two_teams["own"].reference]
    one = client.get(f"/api/v1/staff/cases/{two_teams['own'].reference}", **bearer(new.secret))
    assert one.status_code == 200
    entry = AccessLogEntry.objects.get(case=two_teams["own"])
    assert (entry.user, entry.action) == (clerk, AccessLogEntry.Action.API)
    other = client.get(f"/api/v1/staff/cases/{two_teams['other'].reference}", **bearer(new.secret))
    assert other.status_code == 404
    assert AccessToken.objects.get().last_used_at is not None


def test_a_token_acts_with_its_roles_only_even_for_a_superuser(client, two_teams):
    chief = UserFactory(is_superuser=True, member_of=[two_teams["team"]])
    new = tokens.create(chief, name="Team export", roles=[Role.CLERK], days=30)
    listed = client.get("/api/v1/staff/cases", **bearer(new.secret)).json()
    # As a clerk of the team, not as the administrator who sees every case.
    assert [c["reference"] for c in listed] == [two_teams["own"].reference]
    controller_only = tokens.create(chief, name="Figures", roles=[Role.CONTROLLER], days=30)
    assert client.get("/api/v1/staff/cases", **bearer(controller_only.secret)).status_code == 401


def test_revoked_expired_forged_and_orphaned_tokens_are_refused(client, two_teams, monkeypatch):
    clerk = staff(two_teams["team"])
    revoked = tokens.create(clerk, name="a", roles=[Role.CLERK], days=30)
    tokens.revoke(revoked.token, actor=clerk)
    expiring = tokens.create(clerk, name="b", roles=[Role.CLERK], days=1)
    forged = expiring.secret[:-4] + ("AAAA" if not expiring.secret.endswith("AAAA") else "BBBB")
    for secret in (revoked.secret, forged, "wk_nonsense", "Token abc"):
        assert client.get("/api/v1/staff/cases", **bearer(secret)).status_code == 401
    later = clock.now() + timedelta(days=1, seconds=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert client.get("/api/v1/staff/cases", **bearer(expiring.secret)).status_code == 401


def test_taking_the_role_from_the_owner_takes_it_from_the_token(client, two_teams):
    clerk = staff(two_teams["team"])
    new = tokens.create(clerk, name="a", roles=[Role.CLERK], days=30)
    assert client.get("/api/v1/staff/cases", **bearer(new.secret)).status_code == 200
    clerk.groups.clear()
    assert client.get("/api/v1/staff/cases", **bearer(new.secret)).status_code == 401
    clerk.groups.add(Group.objects.get(name=Role.CLERK))
    clerk.is_active = False
    clerk.save()
    assert client.get("/api/v1/staff/cases", **bearer(new.secret)).status_code == 401


def test_calls_per_token_and_refusals_per_address_are_limited(client, two_teams, settings):
    settings.API_TOKEN_REQUESTS_PER_MINUTE = 2
    settings.API_TOKEN_REFUSALS_PER_HOUR = 3
    clerk = staff(two_teams["team"])
    new = tokens.create(clerk, name="a", roles=[Role.CLERK], days=30)
    answers = [client.get("/api/v1/staff/cases", **bearer(new.secret)) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert int(answers[-1]["Retry-After"]) >= 1
    wrong = [client.get("/api/v1/staff/cases", **bearer("wk_x_y")).status_code for _ in range(4)]
    assert wrong == [401, 401, 401, 429]


def test_the_page_shows_a_new_secret_once_and_revokes_only_own_tokens(client):
    clerk = UserFactory(roles=[Role.CLERK, Role.RECEPTION], member_of=[TeamFactory()])
    client.force_login(clerk)
    url = reverse("accounts:tokens")
    assert client.get(url).status_code == 200
    refused = client.post(url, {"name": "Export", "roles": ["admin"], "days": 30})
    assert refused.status_code == 400 and not AccessToken.objects.exists()
    created = client.post(url, {"name": "Export", "roles": ["clerk"], "days": 30})
    body = created.content.decode()
    secret = body.split('id="new-token" dir="ltr">')[1].split("<")[0]
    assert tokens.authenticate(secret) == clerk
    assert "no-store" in created["Cache-Control"]
    assert secret not in client.get(url).content.decode()
    stranger = UserFactory(roles=[Role.CLERK])
    foreign = tokens.create(stranger, name="theirs", roles=[Role.CLERK], days=30)
    assert client.post(reverse("accounts:token_revoke", args=[foreign.token.pk])).status_code == 404
    own = AccessToken.objects.get(user=clerk)
    assert client.post(reverse("accounts:token_revoke", args=[own.pk])).status_code == 302
    own.refresh_from_db()
    assert own.revoked_at is not None and own.revoked_by == clerk
    foreign.token.refresh_from_db()
    assert foreign.token.revoked_at is None


def test_the_token_page_needs_a_login(client):
    response = client.get(reverse("accounts:tokens"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_administrator_revokes_tokens_in_the_admin_and_cannot_add_or_delete(client):
    admin_user = UserFactory(roles=[Role.ADMIN], is_staff=True)
    clerk = UserFactory(roles=[Role.CLERK])
    new = tokens.create(clerk, name="Export", roles=[Role.CLERK], days=30)
    client.force_login(admin_user)
    listing = client.get(reverse("admin:accounts_accesstoken_changelist"))
    assert listing.status_code == 200 and new.token.digest not in listing.content.decode()
    assert client.get(reverse("admin:accounts_accesstoken_add")).status_code == 403
    answer = client.post(
        reverse("admin:accounts_accesstoken_changelist"),
        {"action": "revoke", "_selected_action": [new.token.pk]},
    )
    assert answer.status_code == 302
    new.token.refresh_from_db()
    assert new.token.revoked_by == admin_user and tokens.authenticate(new.secret) is None
    delete = reverse("admin:accounts_accesstoken_delete", args=[new.token.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AccessToken.objects.filter(pk=new.token.pk).exists()
