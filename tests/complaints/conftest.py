import pytest

from tests.accounts.factories import TeamFactory, UserFactory
from willkommen.accounts.roles import Role
from willkommen.complaints.models import AnswerTemplate


@pytest.fixture
def teams(db):
    return TeamFactory(slug="arbeit", name="Arbeit"), TeamFactory(slug="familie", name="Familie")


@pytest.fixture
def lead(teams):
    """A team lead of "Arbeit": handles complaints about every other team."""
    return UserFactory(username="lead", roles=[Role.TEAM_LEAD], member_of=[teams[0]])


@pytest.fixture
def templates(db):
    answer = AnswerTemplate.objects.create(
        title="Entschuldigung Wartezeit",
        kind=AnswerTemplate.Kind.ANSWER,
        subject={"de": "Ihre Beschwerde {reference}", "en": "Your complaint {reference}"},
        body={"de": "Guten Tag {name}, es tut uns leid.", "en": "Dear {name}, we are sorry."},
    )
    interim = AnswerTemplate.objects.create(
        title="Zwischennachricht",
        kind=AnswerTemplate.Kind.INTERIM,
        subject={"de": "Zwischennachricht {reference}"},
        body={"de": "Wir brauchen noch etwas Zeit."},
    )
    return answer, interim
