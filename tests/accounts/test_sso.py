"""Staff single sign-on against a real OpenID provider on a loopback port."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.messages import get_messages

from tests.accounts.factories import TeamFactory, UserFactory
from tests.accounts.oidc_provider import CLIENT_ID, configure, discovery, s256, start_provider
from willkommen.accounts.models import GroupMapping, ProviderIdentity, User
from willkommen.accounts.roles import Role, roles_of

pytestmark = pytest.mark.django_db

CLERK_GROUPS = ["abh-sachbearbeitung", "abh-familie", "sportverein"]


def start(client, next_url=None):
    """Our login button: returns the provider's authorization address."""
    response = client.get("/sso/login/", {"next": next_url} if next_url else {})
    assert response.status_code == 302
    return response["Location"]


def sign_on(client, provider, sub):
    """The whole round trip; returns our answer to the provider's callback."""
    callback = provider.authorize(start(client), sub)
    parts = urlsplit(callback)
    assert parts.path == "/sso/callback/"
    return client.get(f"{parts.path}?{parts.query}")


def refusal(response):
    assert response.status_code == 302
    assert response["Location"] == "/de/staff/login/"
    assert "_auth_user_id" not in response.wsgi_request.session
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def familie():
    return TeamFactory(slug="familie", name="Familie")


def test_endpoints_match_the_providers_discovery_document(sso):
    document = discovery(sso)
    assert document["issuer"] == sso.url
    assert document["authorization_endpoint"] == f"{sso.url}/oauth2/authorize"
    assert document["token_endpoint"] == f"{sso.url}/oauth2/token"
    assert document["jwks_uri"] == f"{sso.url}/jwks"


def test_first_sign_on_creates_the_user_with_mapped_roles_and_teams(client, sso, familie):
    sso.set_person(
        "0f3c-4711",
        preferred_username="s.yilmaz",
        email="s.yilmaz@stadt.example",
        given_name="Selin",
        family_name="Yılmaz",
        groups=CLERK_GROUPS,
    )
    response = sign_on(client, sso, "0f3c-4711")
    assert response.status_code == 302
    assert response["Location"] == "/de/staff/"
    user = User.objects.get(username="s.yilmaz")
    assert (user.first_name, user.last_name, user.email) == (
        "Selin",
        "Yılmaz",
        "s.yilmaz@stadt.example",
    )
    assert not user.has_usable_password()
    assert not user.is_staff and not user.is_superuser
    assert roles_of(user) == {Role.CLERK}
    assert list(user.teams.all()) == [familie]
    identity = ProviderIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (sso.url, "0f3c-4711")
    assert client.get("/de/staff/").status_code == 200


def test_the_login_goes_back_to_where_it_started(client, sso):
    sso.set_person("p1", preferred_username="p1", groups=["abh-sachbearbeitung"])
    callback = sso.authorize(start(client, next_url="/de/staff/?tab=2"), "p1")
    parts = urlsplit(callback)
    response = client.get(f"{parts.path}?{parts.query}")
    assert response["Location"] == "/de/staff/?tab=2"


def test_a_removed_group_loses_the_role_at_the_next_sign_on(client, sso, familie):
    sso.set_person("p2", preferred_username="p2", groups=["abh-sachbearbeitung", "abh-leitung"])
    sign_on(client, sso, "p2")
    user = User.objects.get(username="p2")
    assert roles_of(user) == {Role.CLERK, Role.TEAM_LEAD}
    client.post("/de/staff/logout/")

    sso.set_person("p2", preferred_username="p2", groups=["abh-sachbearbeitung", "abh-familie"])
    sign_on(client, sso, "p2")
    user = User.objects.get(username="p2")
    assert roles_of(user) == {Role.CLERK}
    assert list(user.teams.all()) == [familie]
    assert User.objects.filter(username__startswith="p2").count() == 1


def test_a_person_without_any_mapped_group_is_refused_and_loses_every_role(client, sso):
    sso.set_person("p3", preferred_username="p3", groups=["abh-sachbearbeitung"])
    sign_on(client, sso, "p3")
    client.post("/de/staff/logout/")
    sso.set_person("p3", preferred_username="p3", groups=["sportverein"])
    messages = refusal(sign_on(client, sso, "p3"))
    assert messages == [
        "Ihr Dienstkonto hat keine Rolle in willkommen. Bitte wenden Sie sich für einen "
        "Zugang an Ihre Verwaltung."
    ]
    assert roles_of(User.objects.get(username="p3")) == frozenset()


def test_group_mappings_from_the_admin_count_too(client, sso, familie):
    GroupMapping.objects.create(group="/abh/controlling", role=Role.CONTROLLER)
    GroupMapping.objects.create(group="/abh/controlling", team=familie)
    sso.set_person("p4", preferred_username="p4", groups=["/abh/controlling"])
    sign_on(client, sso, "p4")
    user = User.objects.get(username="p4")
    assert roles_of(user) == {Role.CONTROLLER}
    assert list(user.teams.all()) == [familie]


def test_the_admin_role_makes_staff_for_the_admin_site(client, sso, settings):
    settings.OIDC_GROUP_ROLES = {"abh-it": ["admin"]}
    sso.set_person("p5", preferred_username="p5", groups=["abh-it"])
    sign_on(client, sso, "p5")
    assert User.objects.get(username="p5").is_staff
    assert client.get("/admin/").status_code == 200


def test_a_local_account_of_the_same_name_is_never_taken_over(client, sso):
    local = UserFactory(username="admin", roles=[Role.ADMIN], is_superuser=True)
    sso.set_person("p6", preferred_username="admin", groups=["abh-sachbearbeitung"])
    sign_on(client, sso, "p6")
    created = ProviderIdentity.objects.get(subject="p6").user
    assert created != local and created.username.startswith("admin-")
    assert roles_of(created) == {Role.CLERK}
    local.refresh_from_db()
    assert local.is_superuser and not hasattr(local, "provider_identity")


def test_pkce_challenge_is_sent_and_the_verifier_matches_it(client, sso):
    sso.set_person("p7", preferred_username="p7", groups=["abh-sachbearbeitung"])
    authorization_url = start(client)
    authorization = parse_qs(urlsplit(authorization_url).query)
    assert authorization["code_challenge_method"] == ["S256"]
    assert authorization["client_id"] == [CLIENT_ID]
    assert authorization["nonce"][0] and authorization["state"][0]
    parts = urlsplit(sso.authorize(authorization_url, "p7"))
    assert client.get(f"{parts.path}?{parts.query}")["Location"] == "/de/staff/"
    token_request = sso.strict.token_requests[-1]
    assert token_request["grant_type"] == "authorization_code"
    assert 43 <= len(token_request["code_verifier"]) <= 128
    assert s256(token_request["code_verifier"]) == authorization["code_challenge"][0]


def test_a_code_without_its_verifier_is_refused_by_the_provider(client, sso):
    sso.set_person("p8", preferred_username="p8", groups=["abh-sachbearbeitung"])
    callback = sso.authorize(start(client), "p8")
    parts = urlsplit(callback)
    session = client.session
    state = parse_qs(parts.query)["state"][0]
    states = session["oidc_states"]
    states[state]["code_verifier"] = "x" * 64  # a verifier of another login
    session["oidc_states"] = states
    session.save()
    messages = refusal(client.get(f"{parts.path}?{parts.query}"))
    assert messages == [
        "Der Anmeldedienst ist nicht erreichbar. Bitte versuchen Sie es später noch einmal."
    ]
    assert not User.objects.filter(username="p8").exists()


def test_an_id_token_signed_with_a_foreign_key_is_refused(client, sso):
    sso.set_person("p9", preferred_username="p9", groups=["abh-sachbearbeitung"])
    sso.forge_tokens()
    messages = refusal(sign_on(client, sso, "p9"))
    assert messages == [
        "Die Anmeldung mit dem Dienstkonto ist fehlgeschlagen. Bitte versuchen Sie es noch einmal."
    ]
    assert not User.objects.filter(username="p9").exists()


def test_an_expired_id_token_is_refused(client, settings, monkeypatch):
    server, provider = start_provider(monkeypatch, access_token_max_age=timedelta(minutes=-5))
    try:
        configure(settings, provider)
        provider.set_person("p10", preferred_username="p10", groups=["abh-sachbearbeitung"])
        refusal(sign_on(client, provider, "p10"))
        assert not User.objects.filter(username="p10").exists()
    finally:
        server.shutdown()
        server.server_close()


def test_an_id_token_for_another_client_is_refused(client, sso, settings):
    sso.set_person("p11", preferred_username="p11", groups=["abh-sachbearbeitung"])
    callback = sso.authorize(start(client), "p11")
    settings.OIDC_RP_CLIENT_ID = "another-application"  # the token's aud is CLIENT_ID
    parts = urlsplit(callback)
    refusal(client.get(f"{parts.path}?{parts.query}"))
    assert not User.objects.filter(username="p11").exists()


def test_a_token_of_another_issuer_is_refused(client, sso, settings):
    settings.OIDC_ISSUER = "https://login.other-city.example"
    sso.set_person("p12", preferred_username="p12", groups=["abh-sachbearbeitung"])
    refusal(sign_on(client, sso, "p12"))
    assert not User.objects.filter(username="p12").exists()


def test_a_callback_with_a_state_this_browser_did_not_send_is_refused(client, sso):
    sso.set_person("p13", preferred_username="p13", groups=["abh-sachbearbeitung"])
    start(client)  # this browser has a login of its own under way
    other_browser = client.__class__()
    callback = sso.authorize(start(other_browser), "p13")
    parts = urlsplit(callback)
    refusal(client.get(f"{parts.path}?{parts.query}"))
    assert not User.objects.filter(username="p13").exists()


def test_a_callback_without_any_login_under_way_is_refused(client, sso):
    refusal(client.get("/sso/callback/", {"code": "abc", "state": "def"}))


def test_an_id_token_with_another_logins_nonce_is_refused(client, sso):
    sso.set_person("p14", preferred_username="p14", groups=["abh-sachbearbeitung"])
    callback = sso.authorize(start(client), "p14")
    parts = urlsplit(callback)
    session = client.session
    state = parse_qs(parts.query)["state"][0]
    states = session["oidc_states"]
    states[state]["nonce"] = "nonce-of-another-login"
    session["oidc_states"] = states
    session.save()
    refusal(client.get(f"{parts.path}?{parts.query}"))
    assert not User.objects.filter(username="p14").exists()


def test_a_callback_is_used_once(client, sso):
    sso.set_person("p15", preferred_username="p15", groups=["abh-sachbearbeitung"])
    callback = sso.authorize(start(client), "p15")
    parts = urlsplit(callback)
    assert client.get(f"{parts.path}?{parts.query}")["Location"] == "/de/staff/"
    client.post("/de/staff/logout/")
    refusal(client.get(f"{parts.path}?{parts.query}"))


def test_logout_ends_the_providers_session(client, sso):
    sso.set_person("p16", preferred_username="p16", groups=["abh-sachbearbeitung"])
    sign_on(client, sso, "p16")
    id_token = client.session["oidc_id_token"]
    response = client.post("/de/staff/logout/")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == (
        f"{sso.url}/oauth2/end_session"
    )
    query = parse_qs(location.query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://testserver/sso/logged-out/"]
    assert "_auth_user_id" not in client.session
    assert client.get("/sso/logged-out/")["Location"] == "/de/staff/login/"


def test_a_password_login_logs_out_locally_only(client, sso):
    UserFactory(username="erika", roles=[Role.RECEPTION])
    client.post(
        "/de/staff/login/", {"username": "erika", "password": "correct horse battery staple"}
    )
    assert client.post("/de/staff/logout/")["Location"] == "/de/staff/login/"


def test_the_login_page_offers_the_staff_account(client, sso):
    body = client.get("/de/staff/login/").content.decode()
    assert "Mit dem Dienstkonto anmelden" in body and 'href="/sso/login/"' in body
    assert 'name="password"' in body


def test_without_configuration_there_is_no_single_sign_on(client):
    body = client.get("/de/staff/login/").content.decode()
    assert "Dienstkonto" not in body
    # Not found (core's 404 first tries the path under a language prefix).
    assert client.get("/sso/login/", follow=True).status_code == 404
    assert client.get("/sso/callback/?code=a&state=b", follow=True).status_code == 404


def test_local_passwords_off_refuses_staff_but_not_the_break_glass_superuser(client, sso, settings):
    settings.LOCAL_PASSWORD_LOGIN = False
    UserFactory(username="erika", roles=[Role.RECEPTION])
    UserFactory(username="notfall", is_superuser=True, is_staff=True)
    password = "correct horse battery staple"
    response = client.post("/de/staff/login/", {"username": "erika", "password": password})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    body = client.get("/de/staff/login/").content.decode()
    assert "Notfallzugang für Administratoren" in body
    response = client.post("/de/staff/login/", {"username": "notfall", "password": password})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_a_deactivated_staff_member_loses_the_open_session(client, sso):
    sso.set_person("p17", preferred_username="p17", groups=["abh-sachbearbeitung"])
    sign_on(client, sso, "p17")
    assert client.get("/de/staff/").status_code == 200
    User.objects.filter(username="p17").update(is_active=False)
    assert client.get("/de/staff/")["Location"].startswith("/de/staff/login/")


def test_switching_local_passwords_off_ends_the_password_sessions(client, sso, settings):
    UserFactory(username="erika", roles=[Role.RECEPTION])
    client.post(
        "/de/staff/login/", {"username": "erika", "password": "correct horse battery staple"}
    )
    assert client.get("/de/staff/").status_code == 200
    settings.LOCAL_PASSWORD_LOGIN = False
    assert client.get("/de/staff/")["Location"].startswith("/de/staff/login/")


def test_the_way_back_never_leads_to_another_site(client, sso):
    sso.set_person("p18", preferred_username="p18", groups=["abh-sachbearbeitung"])
    callback = sso.authorize(start(client, next_url="https://evil.example/"), "p18")
    parts = urlsplit(callback)
    assert client.get(f"{parts.path}?{parts.query}")["Location"] == "/de/staff/"


def test_the_admin_lists_group_mappings_and_identities(client, sso, familie):
    sso.set_person("p19", preferred_username="p19", groups=["abh-sachbearbeitung"])
    sign_on(client, sso, "p19")
    client.force_login(UserFactory(roles=[Role.ADMIN], is_staff=True))
    response = client.post(
        "/admin/accounts/groupmapping/add/", {"group": "/abh/empfang", "role": "reception"}
    )
    assert response.status_code == 302
    assert GroupMapping.objects.get(group="/abh/empfang").role == Role.RECEPTION
    body = client.get("/admin/accounts/provideridentity/").content.decode()
    assert "p19" in body
    identity = ProviderIdentity.objects.get(subject="p19")
    page = client.get(f"/admin/accounts/provideridentity/{identity.pk}/change/")
    assert page.status_code == 200 and 'name="subject"' not in page.content.decode()


def test_a_group_mapping_that_grants_nothing_is_refused(db):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        GroupMapping.objects.create(group="/abh/leer")
