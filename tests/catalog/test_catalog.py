import copy
import json

import pytest
from django.core.exceptions import ValidationError

from tests.catalog.factories import ChecklistConditionFactory, ChecklistItemFactory, ServiceFactory
from willkommen.catalog import selectors
from willkommen.catalog.models import ChecklistItem, Service
from willkommen.catalog.services import DEMO_CATALOG, load_catalog, load_catalog_file

pytestmark = pytest.mark.django_db


def test_demo_catalogue_is_a_realistic_office(demo_catalog):
    assert demo_catalog["services"] >= 15
    assert demo_catalog["locations"] == 2
    assert demo_catalog["teams"] == 5
    slugs = set(Service.objects.values_list("slug", flat=True))
    for required in [
        "aufenthaltserlaubnis-verlaengern",
        "niederlassungserlaubnis",
        "blaue-karte-eu",
        "familiennachzug",
        "arbeitgeberwechsel",
        "beschleunigtes-fachkraefteverfahren",
        "eat-abholung",
        "fiktionsbescheinigung",
        "verpflichtungserklaerung",
    ]:
        assert required in slugs
    for service in Service.objects.all():
        assert service.name.get("de") and service.name.get("en"), service.slug


def test_loading_twice_updates_in_place(demo_catalog):
    before = (Service.objects.count(), ChecklistItem.objects.count())
    load_catalog_file()
    assert (Service.objects.count(), ChecklistItem.objects.count()) == before


def test_invalid_catalogue_changes_nothing(demo_catalog):
    data = json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))
    broken = copy.deepcopy(data)
    service = broken["categories"][0]["services"][0]
    service["name"] = {"en": "no German name"}
    broken["categories"][-1]["services"][-1]["duration_minutes"] = 0
    original_name = Service.objects.get(slug=service["slug"]).name
    with pytest.raises(ValidationError):
        load_catalog(broken)
    assert Service.objects.get(slug=service["slug"]).name == original_name


def test_unknown_condition_is_refused():
    ServiceFactory(slug="x")
    data = {
        "teams": [{"slug": "t", "name": "T"}],
        "categories": [
            {
                "slug": "c",
                "name": {"de": "C"},
                "services": [
                    {
                        "slug": "neu",
                        "name": {"de": "Neu"},
                        "short_description": {"de": "k"},
                        "duration_minutes": 10,
                        "team": "t",
                        "checklist": [{"title": {"de": "Pass"}, "condition": "gibt-es-nicht"}],
                    }
                ],
            }
        ],
    }
    with pytest.raises(ValidationError):
        load_catalog(data)
    assert not Service.objects.filter(slug="neu").exists()


def test_checklist_item_conditions():
    employed = ChecklistConditionFactory(key="employed")
    always = ChecklistItemFactory()
    payslips = ChecklistItemFactory(condition=employed, applies_when=True)
    savings = ChecklistItemFactory(condition=employed, applies_when=False)
    assert always.applies({}) is True
    assert payslips.applies({}) is None
    assert payslips.applies({"employed": True}) is True
    assert payslips.applies({"employed": False}) is False
    assert savings.applies({"employed": False}) is True
    assert savings.applies({"employed": True}) is False


def test_personal_checklist_sorts_items_by_answer():
    employed = ChecklistConditionFactory(key="employed")
    children = ChecklistConditionFactory(key="children")
    service = ServiceFactory()
    passport = ChecklistItemFactory(service=service)
    payslips = ChecklistItemFactory(service=service, condition=employed)
    savings = ChecklistItemFactory(service=service, condition=employed, applies_when=False)
    birth = ChecklistItemFactory(service=service, condition=children)
    service = selectors.get_service(service.slug)
    assert selectors.conditions_of(service) == [employed, children]
    result = selectors.personal_checklist(service, {"employed": True})
    assert result.items == [passport, payslips]
    assert result.undecided == [birth]
    assert result.excluded == 1
    assert savings not in result.items


def test_search_finds_german_words_from_the_english_interface(demo_catalog):
    groups = selectors.find_services("Blaue Karte", "en")
    found = [s.slug for g in groups for s in g.services]
    assert "blaue-karte-eu" in found
    groups = selectors.find_services("naturalisation", "en")
    assert [s.slug for g in groups for s in g.services] == ["einbuergerung-unterlagen-einreichen"]


def test_search_without_match_is_empty(demo_catalog):
    assert selectors.find_services("Raumschiff Enterprise", "de") == []


def test_search_without_query_lists_every_active_service_grouped(demo_catalog):
    Service.objects.filter(slug="chancenkarte").update(is_active=False)
    groups = selectors.find_services("", "de")
    listed = [s.slug for g in groups for s in g.services]
    assert len(listed) == Service.objects.filter(is_active=True).count()
    assert "chancenkarte" not in listed
    assert len({g.category.pk for g in groups}) == len(groups)
