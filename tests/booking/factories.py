from datetime import timedelta

import factory

from tests.catalog.factories import LocationFactory, ServiceFactory
from willkommen.booking.models import Appointment, AppointmentEvent, Channel, Status
from willkommen.booking.states import Action
from willkommen.core import clock


class AppointmentFactory(factory.django.DjangoModelFactory):
    """A confirmed appointment without slot capacity behind it (for day plans, check-in).

    Tests of capacity book through ``booking.services`` instead.
    """

    class Meta:
        model = Appointment
        skip_postgeneration_save = True

    location = factory.SubFactory(LocationFactory)
    service = factory.SubFactory(ServiceFactory)
    persons = 1
    starts_at = factory.LazyFunction(lambda: clock.now() + timedelta(hours=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(minutes=20))
    status = Status.CONFIRMED
    channel = Channel.ONLINE
    applicant_name = factory.Sequence(lambda n: f"Applicant {n}")
    applicant_email = factory.Sequence(lambda n: f"applicant{n}@example.org")
    person_key = factory.Sequence(lambda n: f"key-{n:060d}")
    created_at = factory.LazyFunction(clock.now)

    @factory.post_generation
    def history(obj, create, extracted, **kwargs):
        if create:
            AppointmentEvent.objects.create(
                appointment=obj,
                action=Action.CREATE,
                to_status=obj.status,
                at=obj.created_at,
                starts_at=obj.starts_at,
            )
