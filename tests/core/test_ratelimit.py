import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory, override_settings
from django.urls import path

from willkommen.core import clock, ratelimit
from willkommen.core.models import RateLimitWindow
from willkommen.urls import urlpatterns as project_urlpatterns

pytestmark = pytest.mark.django_db

MINUTE = timedelta(minutes=1)


def test_counts_up_to_the_limit_then_refuses_with_the_time_left(monkeypatch):
    start = clock.now().replace(second=10, microsecond=0)
    monkeypatch.setattr(clock, "now", lambda: start)
    results = [ratelimit.hit("t", "1.2.3.4", limit=3, period=MINUTE) for _ in range(4)]
    assert [r.allowed for r in results] == [True, True, True, False]
    assert [r.count for r in results] == [1, 2, 3, 4]
    assert results[-1].retry_after == 50


def test_a_new_window_starts_fresh(monkeypatch):
    start = clock.now().replace(second=0, microsecond=0)
    monkeypatch.setattr(clock, "now", lambda: start)
    for _ in range(3):
        ratelimit.hit("t", "a@example.org", limit=2, period=MINUTE)
    assert not ratelimit.hit("t", "a@example.org", limit=2, period=MINUTE).allowed
    monkeypatch.setattr(clock, "now", lambda: start + MINUTE)
    assert ratelimit.hit("t", "a@example.org", limit=2, period=MINUTE).allowed


def test_scopes_and_identities_are_counted_apart_and_normalised():
    ratelimit.hit("a", "X@Example.org ", limit=1, period=MINUTE)
    assert not ratelimit.hit("a", "x@example.org", limit=1, period=MINUTE).allowed
    assert ratelimit.hit("b", "x@example.org", limit=1, period=MINUTE).allowed
    assert ratelimit.hit("a", "y@example.org", limit=1, period=MINUTE).allowed


def test_identities_are_not_stored_in_clear():
    ratelimit.hit("login", "203.0.113.9", limit=5, period=MINUTE)
    stored = RateLimitWindow.objects.get()
    assert "203.0.113.9" not in stored.key
    assert len(stored.key) == 64


def test_enforce_raises_with_retry_after():
    ratelimit.enforce("t", "id", limit=1, period=MINUTE)
    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.enforce("t", "id", limit=1, period=MINUTE)
    assert 1 <= refused.value.retry_after <= 60


def test_nonsense_limits_are_refused():
    with pytest.raises(ValueError):
        ratelimit.hit("t", "id", limit=0, period=MINUTE)
    assert RateLimitWindow.objects.count() == 0


@override_settings(RATE_LIMITS_ENABLED=False)
def test_switched_off_counts_nothing():
    assert all(ratelimit.hit("t", "id", limit=1, period=MINUTE).allowed for _ in range(5))
    assert RateLimitWindow.objects.count() == 0


def test_purge_deletes_only_ended_windows(monkeypatch):
    start = clock.now()
    ratelimit.hit("old", "id", limit=5, period=MINUTE)
    ratelimit.hit("current", "id", limit=5, period=timedelta(hours=2))
    assert ratelimit.purge_expired(start + timedelta(minutes=2)) == 1
    assert RateLimitWindow.objects.count() == 1


def test_client_ip_ignores_forwarded_header_unless_trusted():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.7"
    )
    assert ratelimit.client_ip(request) == "10.0.0.2"
    with override_settings(TRUST_X_FORWARDED_FOR=True):
        assert ratelimit.client_ip(request) == "198.51.100.7"


@pytest.mark.django_db(transaction=True)
def test_parallel_hits_from_many_connections_are_all_counted():
    """The count must hold across processes: each thread has its own connection."""
    threads_n, hits_each = 8, 5
    errors = []

    def worker():
        try:
            for _ in range(hits_each):
                ratelimit.hit("parallel", "same-ip", limit=1000, period=timedelta(hours=1))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert RateLimitWindow.objects.get().count == threads_n * hits_each


def limited_page(request):
    ratelimit.enforce("page", "x", limit=1, period=MINUTE)
    from django.http import HttpResponse

    return HttpResponse("ok")


# The project's URLs (the base template links to them) plus one limited page.
urlpatterns = [path("de/limited/", limited_page), *project_urlpatterns]


@override_settings(ROOT_URLCONF=__name__)
def test_a_limited_page_answers_429_in_the_page_language(client):
    assert client.get("/de/limited/").status_code == 200
    response = client.get("/de/limited/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Zu viele Versuche" in response.content.decode()


def test_the_api_answers_429_json():
    from willkommen.api import rate_limited

    request = RequestFactory().get("/api/v1/x")
    response = rate_limited(request, ratelimit.RateLimited(42))
    assert response.status_code == 429
    assert response["Retry-After"] == "42"
    assert b'"retry_after": 42' in response.content
