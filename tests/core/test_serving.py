"""The ASGI application (core/serving.py) and `manage.py serve`'s listening socket."""

import asyncio
import gc
import json
import socket

import pytest

from willkommen.core import serving
from willkommen.core.management.commands.serve import Config


def http_scope(path, method="GET", headers=(), query=b""):
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("203.0.113.7", 50123),
        "server": ("testserver", 80),
    }


def call(application, scope, chunks=(b"",), disconnect=False):
    """Run one request through the ASGI application; the messages it sent."""
    incoming = [
        {"type": "http.request", "body": chunk, "more_body": index < len(chunks) - 1}
        for index, chunk in enumerate(chunks)
    ]
    if disconnect:
        incoming = [{"type": "http.disconnect"}]
    sent = []

    async def receive():
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    asyncio.run(application(scope, receive, send))
    return sent


@pytest.fixture
def application(settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    app = serving.Application()
    yield app
    app.reads.shutdown(wait=True)
    app.writes.shutdown(wait=True)


def headers_of(message):
    return {name.decode(): value.decode() for name, value in message["headers"]}


def test_only_async_views_take_the_asgi_handler():
    assert serving.runs_async("/de/display/rathaus/events")
    assert serving.runs_async("/en/display/rathaus/events")
    assert not serving.runs_async("/de/display/rathaus/")
    assert not serving.runs_async("/api/v1/availability")
    assert not serving.runs_async("/healthz")
    assert not serving.runs_async("/no/such/page/")


def test_environ_carries_method_path_query_headers_and_client():
    scope = http_scope(
        "/de/straße/",
        method="POST",
        query=b"a=1&b=%C3%A4",
        headers=[
            (b"content-type", b"application/json"),
            (b"content-length", b"2"),
            (b"cookie", b"a=1"),
            (b"cookie", b"b=2"),
            (b"accept", b"text/html"),
            (b"accept", b"application/json"),
        ],
    )
    environ = serving.build_environ(scope, body=None)
    assert environ["REQUEST_METHOD"] == "POST"
    assert environ["PATH_INFO"].encode("latin-1").decode() == "/de/straße/"
    assert environ["QUERY_STRING"] == "a=1&b=%C3%A4"
    assert environ["CONTENT_TYPE"] == "application/json"
    assert environ["CONTENT_LENGTH"] == "2"
    assert environ["HTTP_COOKIE"] == "a=1; b=2"
    assert environ["HTTP_ACCEPT"] == "text/html,application/json"
    assert environ["REMOTE_ADDR"] == "203.0.113.7"
    assert environ["wsgi.url_scheme"] == "http"


def test_a_mount_point_becomes_the_script_name():
    scope = {**http_scope("/amt/de/"), "root_path": "/amt"}
    environ = serving.build_environ(scope, body=None)
    assert (environ["SCRIPT_NAME"], environ["PATH_INFO"]) == ("/amt", "/de/")


@pytest.mark.django_db(transaction=True)
def test_a_sync_view_answers_through_the_wsgi_handler(application):
    start, body = call(application, http_scope("/healthz"))
    assert start["type"] == "http.response.start"
    assert start["status"] == 200
    assert headers_of(start)["content-type"] == "application/json"
    assert json.loads(body["body"]) == {"status": "ok"}


@pytest.mark.django_db(transaction=True)
def test_a_body_in_several_chunks_reaches_the_view_whole(application):
    payload = json.dumps({"token": "x" * 40}).encode()
    scope = http_scope(
        "/api/v1/holds/confirm",
        method="POST",
        headers=[(b"content-type", b"application/json"), (b"content-length", b"%d" % len(payload))],
    )
    start, body = call(application, scope, chunks=[payload[:7], payload[7:20], payload[20:]])
    assert start["status"] == 404  # parsed, then refused as a forged link
    assert json.loads(body["body"])["code"] == "invalid_link"


@pytest.mark.django_db(transaction=True)
def test_a_chunked_body_without_content_length_reaches_the_view(application):
    payload = json.dumps({"token": "x" * 40}).encode()
    scope = http_scope(
        "/api/v1/holds/confirm", method="POST", headers=[(b"content-type", b"application/json")]
    )
    start, body = call(application, scope, chunks=[payload[:9], payload[9:]])
    assert start["status"] == 404  # parsed (a forged link), not a 422 for an empty body
    assert json.loads(body["body"])["code"] == "invalid_link"
    assert headers_of(start)["content-length"] == str(len(body["body"]))


def test_a_body_over_the_limit_is_refused_before_django(application, settings):
    settings.MAX_REQUEST_BODY_BYTES = 10
    declared = http_scope("/healthz", method="POST", headers=[(b"content-length", b"11")])
    start, body = call(application, declared)
    assert start["status"] == 413
    assert "zu groß" in body["body"].decode()
    undeclared = http_scope("/healthz", method="POST")  # chunked: counted while reading
    start, _body = call(application, undeclared, chunks=[b"123456", b"789012"])
    assert start["status"] == 413


@pytest.mark.django_db(transaction=True)
def test_reads_and_writes_run_on_pools_of_their_own(application, monkeypatch):
    """In a rush a search for free times must not queue behind the bookings."""
    import threading

    threads = []
    run = serving.run_wsgi

    def recording(*args):
        threads.append(threading.current_thread().name)
        return run(*args)

    monkeypatch.setattr(serving, "run_wsgi", recording)
    call(application, http_scope("/healthz"))
    call(application, http_scope("/healthz", method="POST"))
    assert threads[0].startswith("read") and threads[1].startswith("write")


def test_a_client_that_went_away_gets_nothing(application):
    assert call(application, http_scope("/healthz"), disconnect=True) == []


def test_serve_binds_a_tcp_socket_so_accepted_connections_get_nodelay():
    """uvicorn issue #3149: a listener without IPPROTO_TCP hands asyncio connections it
    does not recognise as TCP, and Nagle stays on."""
    config = Config("willkommen.asgi:application", host="127.0.0.1", port=0)
    listener = config.bind_socket()
    try:
        assert listener.proto == socket.IPPROTO_TCP
        host, port = listener.getsockname()[:2]

        async def accepted_nodelay():
            seen = asyncio.get_running_loop().create_future()

            def connected(reader, writer):
                sock = writer.get_extra_info("socket")
                seen.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                writer.close()

            server = await asyncio.start_server(connected, sock=listener)
            _reader, writer = await asyncio.open_connection(host, port)
            value = await asyncio.wait_for(seen, 5)
            writer.close()
            server.close()
            return value

        assert asyncio.run(accepted_nodelay()) != 0
    finally:
        listener.close()


@pytest.mark.parametrize(
    "arguments", [["--workers", "0"], ["--workers", "many"], ["--port", "70000"]]
)
def test_serve_refuses_bad_arguments_before_binding(arguments):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError):
        call_command("serve", *arguments)


def test_serve_refuses_several_workers_on_sqlite():
    from django.core.management import CommandError, call_command
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only (on PostgreSQL the command would serve)")
    with pytest.raises(CommandError, match="SQLite"):
        call_command("serve", "--workers", "2")


def test_serve_auto_workers_are_one_per_core(monkeypatch):
    from willkommen.core.management.commands import serve

    monkeypatch.setattr(serve.os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    assert serve.worker_count("auto") == 3
    assert serve.worker_count("2") == 2
    options = {
        "host": "127.0.0.1", "port": 8000, "workers": "auto", "proxy_headers": False,
        "forwarded_allow_ips": "127.0.0.1", "timeout_keep_alive": 5, "backlog": 16,
        "no_access_log": True, "log_level": "warning",
    }  # fmt: skip
    assert serve.build_config(options).workers == 3


def lifespan(application, *messages):
    """Run the lifespan protocol with ``messages``; what the application sent back."""
    incoming = [{"type": f"lifespan.{message}"} for message in messages]
    sent = []

    async def receive():
        return incoming.pop(0)

    async def send(message):
        sent.append(message["type"])

    asyncio.run(application({"type": "lifespan", "asgi": {"version": "3.0"}}, receive, send))
    return sent


@pytest.mark.django_db
def test_lifespan_warms_up_before_startup_completes_and_closes_the_pools(application, monkeypatch):
    done = []
    monkeypatch.setattr(serving, "warm_up", lambda: done.append("warm") or {})
    assert lifespan(application, "startup", "shutdown") == [
        "lifespan.startup.complete",
        "lifespan.shutdown.complete",
    ]
    assert done == ["warm"]
    with pytest.raises(RuntimeError):  # shut down: no new work
        application.writes.submit(print)


@pytest.mark.django_db
def test_a_failing_warm_up_still_starts_the_server(application, monkeypatch, caplog):
    def broken():
        raise OSError("database not reachable yet")

    monkeypatch.setattr(serving, "warm_up", broken)
    assert lifespan(application, "startup", "shutdown")[0] == "lifespan.startup.complete"
    assert "warm-up failed" in caplog.text


@pytest.mark.django_db
def test_warm_up_compiles_every_app_template_and_builds_every_language():
    from django.urls import get_resolver

    from willkommen.core.warmup import app_templates, warm_up

    try:
        done = warm_up()
        assert done["templates"] == len(app_templates()) > 50  # every one compiles on its own
        assert done["languages"] == ["de", "en"]
        assert {"de", "en"} <= set(get_resolver()._reverse_dict)  # built per language
        assert done["namespaces"] >= 3 and done["related_managers"] > 10
        # The start's objects are out of the collector's way (a process's first full
        # collection would otherwise walk them all during its first busy seconds).
        assert done["frozen_objects"] == gc.get_freeze_count() > 50_000
        assert gc.isenabled()  # what requests make is still collected
    finally:
        gc.unfreeze()  # the test process goes on as before


@pytest.mark.django_db
def test_after_warm_up_a_namespaced_link_and_a_related_manager_need_no_first_time_work(
    monkeypatch,
):
    from django.apps import apps
    from django.urls import URLResolver, reverse
    from django.utils import translation

    from willkommen.core.warmup import warm_up

    try:
        warm_up()
    finally:
        gc.unfreeze()
    populated = []
    original = URLResolver._populate
    monkeypatch.setattr(
        URLResolver, "_populate", lambda self: populated.append(self) or original(self)
    )
    for language in ("de", "en"):
        with translation.override(language):
            reverse("booking:confirm", kwargs={"token": "x"})
            reverse("booking:manage", kwargs={"token": "x"})
    assert populated == []  # the mails' links: tables built at the start, per language
    unmade = [
        (model.__name__, name)
        for model in apps.get_models()
        for klass in model.__mro__
        for name, attribute in vars(klass).items()
        if hasattr(type(attribute), "related_manager_cls")
        and "related_manager_cls" not in vars(attribute)
    ]
    assert unmade == []


def test_one_name_per_namespace_follows_nested_includes():
    from django.urls import include, path

    from willkommen.core.warmup import one_name_per_namespace

    def view(request):
        raise AssertionError("not called")

    inner = ([path("b/", view, name="leaf")], "inner")
    outer = ([path("a/", view, name="top"), path("x/", include(inner))], "outer")
    patterns = [path("", view, name="root"), path("o/", include(outer))]
    assert one_name_per_namespace(patterns) == {
        "outer": "outer:top",
        "outer:inner": "outer:inner:leaf",
    }


def test_an_app_whose_warm_up_fails_is_logged_and_the_others_still_warm(monkeypatch, caplog):
    from django.apps import apps

    from willkommen.core import warmup

    warmed = []

    def broken():
        raise RuntimeError("no database yet")

    booking, frontdesk = apps.get_app_config("booking"), apps.get_app_config("frontdesk")
    monkeypatch.setattr(booking, "warm_up", broken, raising=False)
    monkeypatch.setattr(frontdesk, "warm_up", lambda: warmed.append("frontdesk"), raising=False)
    done = warmup.warm_up_apps()
    assert "frontdesk" in done and "booking" not in done and warmed == ["frontdesk"]
    assert "warm-up of app booking failed" in caplog.text


def server_timing(start) -> dict[str, float]:
    """{"queue": ms, "app": ms, "cpu": ms} from a Server-Timing header."""
    parts = [part.strip().split(";dur=") for part in headers_of(start)["server-timing"].split(",")]
    return {name: float(value) for name, value in parts}


@pytest.mark.django_db(transaction=True)
def test_server_timing_is_off_by_default(application):
    start, _body = call(application, http_scope("/healthz"))
    assert start["status"] == 200
    assert "server-timing" not in headers_of(start)


@pytest.mark.django_db(transaction=True)
def test_server_timing_says_where_a_requests_time_went(application, settings, monkeypatch):
    import time

    settings.SERVER_TIMING = True
    run = serving.run_wsgi

    def slow(*args):
        time.sleep(0.05)  # waiting, not computing: app time, not CPU time
        return run(*args)

    monkeypatch.setattr(serving, "run_wsgi", slow)
    start, body = call(application, http_scope("/healthz"))
    assert start["status"] == 200 and json.loads(body["body"]) == {"status": "ok"}
    timing = server_timing(start)
    assert set(timing) == {"queue", "app", "cpu"}
    assert timing["app"] >= 50
    assert 0 <= timing["cpu"] < timing["app"] - 40
    assert 0 <= timing["queue"] < 1000
