import factory

from tests.accounts.factories import TeamFactory
from willkommen.catalog.models import (
    ChecklistCondition,
    ChecklistItem,
    Counter,
    FrequentQuestion,
    Location,
    Service,
    ServiceCategory,
)


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"standort-{n}")
    name = factory.LazyAttribute(lambda o: {"de": f"Standort {o.slug}", "en": f"Site {o.slug}"})
    street = "Musterstraße 1"
    postcode = "91052"
    city = "Erlangen"
    state = "BY"


class CounterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Counter

    location = factory.SubFactory(LocationFactory)
    name = factory.Sequence(lambda n: f"Raum {n}")


class ServiceCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCategory
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"gruppe-{n}")
    name = factory.LazyAttribute(lambda o: {"de": f"Gruppe {o.slug}", "en": f"Group {o.slug}"})


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"anliegen-{n}")
    category = factory.SubFactory(ServiceCategoryFactory)
    name = factory.LazyAttribute(lambda o: {"de": f"Anliegen {o.slug}", "en": f"Service {o.slug}"})
    short_description = {"de": "Kurzbeschreibung", "en": "Short description"}
    duration_minutes = 20
    max_persons = 4
    team = factory.SubFactory(TeamFactory)


class ChecklistConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistCondition
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"frage-{n}")
    question = factory.LazyAttribute(
        lambda o: {"de": f"Frage {o.key}?", "en": f"Question {o.key}?"}
    )


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistItem

    service = factory.SubFactory(ServiceFactory)
    position = factory.Sequence(int)
    title = factory.Sequence(lambda n: {"de": f"Dokument {n}", "en": f"Document {n}"})


class FrequentQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FrequentQuestion

    service = factory.SubFactory(ServiceFactory)
    position = factory.Sequence(int)
    question = factory.Sequence(lambda n: {"de": f"Frage {n}?", "en": f"Question {n}?"})
    answer = factory.Sequence(lambda n: {"de": f"Antwort {n}.", "en": f"Answer {n}."})
