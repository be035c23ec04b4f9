import factory

from tests.accounts.factories import TeamFactory, UserFactory
from tests.catalog.factories import (
    ChecklistItemFactory,
    CounterFactory,
    LocationFactory,
    ServiceCategoryFactory,
    ServiceFactory,
)
from willkommen.accounts.roles import Role
from willkommen.core import clock
from willkommen.frontdesk import services
from willkommen.frontdesk.models import Origin, Priority, TicketSeries, Visit


class VisitFactory(factory.django.DjangoModelFactory):
    """A visit in any state, for tests of the table itself; flows use ``services``."""

    class Meta:
        model = Visit

    location = factory.SubFactory(LocationFactory)
    service = factory.SubFactory(ServiceFactory)
    team = factory.SelfAttribute("service.team")
    service_day = factory.LazyAttribute(lambda o: clock.local_today(o.location.timezone))
    ticket_prefix = "T"
    ticket_number = factory.Sequence(lambda n: n + 1)
    origin = Origin.WALK_IN
    priority = Priority.WALK_IN
    priority_rank = 2
    status = "waiting"
    created_at = factory.LazyFunction(clock.now)
    queued_at = factory.LazyFunction(clock.now)


def clerk_at(counter=None, **kwargs):
    """A clerk signed in at ``counter`` (a new one at a new location if not given)."""
    counter = counter or CounterFactory()
    user = UserFactory(roles=[Role.CLERK], **kwargs)
    services.sign_in(user=user, counter=counter)
    return user


def walk_in(location, service, **kwargs):
    kwargs.setdefault("persons_present", 1)
    kwargs.setdefault("actor", None)
    return services.issue_ticket(location=location, service=service, **kwargs)


def build_office():
    """One location, two teams with counters, services with ticket prefixes."""
    location = LocationFactory(slug="hauptstelle")
    family, work = TeamFactory(slug="familie", name="Familie"), TeamFactory(slug="arbeit")
    residence = ServiceCategoryFactory(slug="aufenthalt")
    TicketSeries.objects.create(category=residence, prefix="A")
    jobs = ServiceCategoryFactory(slug="arbeit")
    TicketSeries.objects.create(category=jobs, prefix="B")
    extend = ServiceFactory(slug="verlaengern", category=residence, team=family)
    ChecklistItemFactory(service=extend, title={"de": "Pass", "en": "Passport"})
    ChecklistItemFactory(service=extend, title={"de": "Foto", "en": "Photo"})
    blue_card = ServiceFactory(slug="blaue-karte", category=jobs, team=work)
    pickup = ServiceFactory(slug="abholung", category=residence, team=family, short_matter=True)
    return {
        "location": location,
        "family": family,
        "work": work,
        "extend": extend,
        "blue_card": blue_card,
        "pickup": pickup,
        "family_counter": CounterFactory(location=location, name="Raum 1", team=family),
        "family_counter_2": CounterFactory(location=location, name="Raum 2", team=family),
        "work_counter": CounterFactory(location=location, name="Raum 3", team=work),
    }
