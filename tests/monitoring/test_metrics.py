"""/metrics: Prometheus text format, for the token or an allowed address only."""

import ipaddress
from datetime import timedelta

import pytest
from django.db import transaction
from prometheus_client.parser import text_string_to_metric_families

from tests.booking import conftest as booking
from tests.core.django_process import run_django
from tests.frontdesk.asgi_server import database_url_for_subprocess
from tests.frontdesk.factories import build_office, walk_in
from willkommen.core import health, outbox
from willkommen.core.tasks import deliver_mail
from willkommen.events.models import Subscriber

TOKEN = "a-long-random-scrape-token"
frozen_clock = booking.frozen_clock  # booking's fixture
pytestmark = pytest.mark.django_db


@pytest.fixture
def scraper(client, settings):
    settings.METRICS_TOKEN = TOKEN

    def scrape() -> dict:
        answer = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert answer.status_code == 200
        assert answer["Content-Type"].startswith("text/plain; version=")
        return samples(answer.content.decode())

    return scrape


def samples(text: str) -> dict:
    """{(name, (label pairs…)): value} of every sample."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_nobody_gets_it_unless_configured(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_ADDRESSES = []
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_a_wrong_token_gets_404_and_the_right_one_the_figures(client, settings):
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer guessed").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


def test_an_allowed_network_needs_no_token(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_ADDRESSES = [ipaddress.ip_network("10.20.0.0/16")]
    assert client.get("/metrics", REMOTE_ADDR="10.20.3.4").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.21.3.4").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404


def test_requests_are_counted_and_timed_by_view(client, scraper):
    key = (
        "willkommen_http_requests_total",
        (("method", "GET"), ("status", "200"), ("view", "healthz_live")),
    )
    before = scraper().get(key, 0)
    client.get("/healthz/live")
    client.get("/healthz/live")
    after = scraper()
    assert after[key] == before + 2
    count = (
        "willkommen_http_request_duration_seconds_count",
        (("method", "GET"), ("view", "healthz_live")),
    )
    assert after[count] >= 2
    for sample_key in after:  # paths (with references, tokens) never become labels
        assert "/" not in dict(sample_key[1]).get("view", "")


def test_waiting_visitors_and_the_longest_wait_per_location(scraper, frozen_clock):
    where = build_office()
    walk_in(where["location"], where["extend"])
    frozen_clock.return_value += timedelta(minutes=3)
    walk_in(where["location"], where["blue_card"], persons_present=2)
    frozen_clock.return_value += timedelta(minutes=2)
    figures = scraper()
    place = (("location", "hauptstelle"),)
    assert figures[("willkommen_waiting_visitors", place)] == 2
    assert figures[("willkommen_oldest_waiting_seconds", place)] == 300


def test_backlogs_of_outbox_webhooks_and_tasks(scraper, frozen_clock):
    empty = scraper()
    for name in ("outbox", "webhook", "task"):
        assert empty[(f"willkommen_{name}_backlog", ())] == 0
        assert empty[(f"willkommen_{name}_oldest_age_seconds", ())] == 0
    assert empty[("willkommen_worker_heartbeat_age_seconds", ())] == -1

    Subscriber.objects.create(name="Lager", url="http://127.0.0.1:9/", secret="x" * 20)
    where = build_office()
    walk_in(where["location"], where["extend"])
    with transaction.atomic():
        mail = outbox.queue_mail(to="ada@example.org", subject="Termin", body="Hallo")
    deliver_mail.enqueue(mail.pk)
    health.beat("worker-1:1", frozen_clock.return_value)
    figures = scraper()
    assert figures[("willkommen_outbox_backlog", ())] == 1
    assert figures[("willkommen_webhook_backlog", ())] == 1
    assert figures[("willkommen_task_backlog", ())] == 1
    assert figures[("willkommen_worker_heartbeat_age_seconds", ())] == 0


def test_several_processes_are_added_up_in_multi_process_mode(tmp_path):
    """Two processes answer requests; a third serves /metrics with both their counts."""
    environment = {
        "DATABASE_URL": database_url_for_subprocess(),
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
        "METRICS_TOKEN": TOKEN,
    }
    for _ in range(2):
        run_django("assert Client().get('/metrics').status_code == 404", **environment)
    run = run_django(
        f"print(Client().get('/metrics', HTTP_AUTHORIZATION='Bearer {TOKEN}').content.decode())",
        **environment,
    )
    figures = samples(run.stdout)
    key = (
        "willkommen_http_requests_total",
        (("method", "GET"), ("status", "404"), ("view", "metrics")),
    )
    assert figures[key] == 2
