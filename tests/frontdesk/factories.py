import factory

from tests.accounts.factories import UserFactory
from tests.catalog.factories import CounterFactory, LocationFactory, ServiceFactory
from willkommen.accounts.roles import Role
from willkommen.core import clock
from willkommen.frontdesk import services
from willkommen.frontdesk.models import Origin, Priority, Visit


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
