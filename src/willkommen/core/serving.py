"""The ASGI application: async views through Django's ASGI handler, the rest through
Django's WSGI handler on small thread pools.

Almost every view of willkommen is synchronous; only the display's event stream is
async (it waits for calls without holding a thread). Django's ASGI handler runs a
synchronous request by hopping between the event loop and a thread of its own for
every layer: the request signals, the middleware that are async-capable, each
``process_view``, the view. Each hop copies the context variables and wakes the
other side. Measured on the 2-core benchmark machine that was about 3 ms of CPU
per request, six times the whole work of a cached availability answer, and under a
rush the hundreds of threads it starts queue for the interpreter lock behind each
other (bench/README.md has the figures).

So the application here looks at what a request will run: an async view goes to
Django's ASGI handler as before; anything else runs through Django's WSGI handler in
one hop, on REQUEST_CONCURRENCY threads: half for reads (GET, HEAD, OPTIONS), half
for writes, so that a search for free times does not queue behind bookings. Requests
beyond that wait in arrival order in the pool's queue, costing nothing but memory,
so a rush cannot start more threads than the database pool has connections.
(asgiref's WsgiToAsgi would do the bridging too, but runs every request of a process
on one thread and hops back to the event loop for each message it sends.)

On the ASGI lifespan startup the process is warmed (``core/warmup.py``: URL
configuration, reverse tables per language, templates, database connections) before
uvicorn accepts connections, so its first requests are not the slow ones.

With SERVER_TIMING on, each such response says where its time went, in a
``Server-Timing`` header (W3C): ``queue`` (waiting for a thread of the pool), ``app``
(in the thread: Django and the view, database waits included) and ``cpu`` (the
thread's own CPU time in it), in milliseconds. ``bench/booking_rush.py`` reads it to
tell a slow machine (more CPU per request) from a queue (more waiting). Off by
default: it tells any client how busy the server is.

The request body is read before the view runs (spooled to a temporary file above
1 MB), at most MAX_REQUEST_BODY_BYTES; the response is collected in the thread and
sent as one body. The largest are file downloads (a case document, at most
CASE_UPLOAD_MAX_BYTES); the only stream, the display's, is an async view.
"""

import asyncio
import functools
import logging
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import iscoroutinefunction
from django.conf import settings
from django.core.asgi import get_asgi_application
from django.core.wsgi import get_wsgi_application
from django.urls import Resolver404, resolve
from django.utils import translation

from willkommen.core.warmup import warm_up

logger = logging.getLogger(__name__)

SPOOL_BYTES = 1024 * 1024
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
TOO_LARGE = "Die Anfrage ist zu groß. / The request is too large.\n".encode()


@functools.lru_cache(maxsize=4096)
def runs_async(path: str) -> bool:
    """Whether ``path`` resolves to an async view (the language prefix included).

    Remembered per path: the URL configuration does not change while serving.
    """
    language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            match = resolve(path)
    except Resolver404:
        return False
    return iscoroutinefunction(match.func)


def path_info(scope: dict) -> str:
    """The path below the mount point: ASGI's path includes it, WSGI's and Django's not."""
    root_path, path = scope.get("root_path", ""), scope["path"]
    return path[len(root_path) :] if root_path and path.startswith(root_path) else path


def build_environ(scope: dict, body) -> dict:
    """The WSGI environ (PEP 3333) for an ASGI HTTP scope."""
    server = scope.get("server") or ("localhost", 80)
    client = scope.get("client") or ("", 0)
    root_path = scope.get("root_path", "")
    path = path_info(scope)
    environ = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": root_path.encode().decode("latin-1"),
        # WSGI carries the (already percent-decoded) path as bytes in a latin-1 str.
        "PATH_INFO": path.encode().decode("latin-1"),
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1] or 80),
        "REMOTE_ADDR": client[0],
        "REMOTE_PORT": str(client[1]),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": body,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for raw_name, raw_value in scope.get("headers", []):
        name = raw_name.decode("latin-1").upper().replace("-", "_")
        value = raw_value.decode("latin-1")
        key = name if name in ("CONTENT_LENGTH", "CONTENT_TYPE") else f"HTTP_{name}"
        if key in environ:
            # Repeated headers are joined; cookies with "; " as browsers do.
            value = environ[key] + ("; " if key == "HTTP_COOKIE" else ",") + value
        environ[key] = value
    if body is not None and "CONTENT_LENGTH" not in environ:
        # A chunked body has no Content-Length, and WSGI reads no further than it says.
        environ["CONTENT_LENGTH"] = str(body.seek(0, 2))
        body.seek(0)
    return environ


def run_wsgi(application, environ: dict) -> tuple[int, list, bytes]:
    """Call the WSGI application in this thread; (status, headers, body).

    ``close()`` is called here too: Django sends request_finished from it, which
    returns the database connection to the pool.
    """
    started: dict = {}

    def start_response(status, headers, exc_info=None):
        if exc_info and started:
            raise exc_info[1].with_traceback(exc_info[2])
        started["status"] = int(status.split(" ", 1)[0])
        started["headers"] = headers
        return lambda data: chunks.append(data)  # the legacy write() callable

    chunks: list[bytes] = []
    result = application(environ, start_response)
    try:
        for chunk in result:
            if chunk:
                chunks.append(chunk)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    content = b"".join(chunks)
    headers = [
        (name.lower().encode("latin-1"), value.encode("latin-1"))
        for name, value in started["headers"]
    ]
    if not any(name == b"content-length" for name, _value in headers):
        # Sent as one body: say how long (file downloads stream in Django and have none).
        headers.append((b"content-length", str(len(content)).encode()))
    return started["status"], headers, content


def run_timed(application, environ: dict, arrived: float) -> tuple[int, list, bytes]:
    """``run_wsgi`` with a ``Server-Timing`` header: queue, app and cpu in ms (see above).
    ``arrived`` is the ``time.perf_counter()`` at which the request was handed to the pool."""
    started, cpu = time.perf_counter(), time.thread_time()
    status, headers, content = run_wsgi(application, environ)
    timing = (
        f"queue;dur={(started - arrived) * 1000:.2f}, "
        f"app;dur={(time.perf_counter() - started) * 1000:.2f}, "
        f"cpu;dur={(time.thread_time() - cpu) * 1000:.2f}"
    )
    headers.append((b"server-timing", timing.encode()))
    return status, headers, content


class Application:
    def __init__(self):
        self.asgi = get_asgi_application()
        self.wsgi = get_wsgi_application()
        # Reads (GET, HEAD) and writes get a pool each, half the threads each: in a rush
        # a search for free times should not queue behind a hundred bookings.
        threads = max(2, settings.REQUEST_CONCURRENCY)
        self.reads = ThreadPoolExecutor(max_workers=threads // 2, thread_name_prefix="read")
        self.writes = ThreadPoolExecutor(
            max_workers=threads - threads // 2, thread_name_prefix="write"
        )

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            return await self._lifespan(receive, send)
        if scope["type"] != "http" or runs_async(path_info(scope)):
            return await self.asgi(scope, receive, send)
        body = await self._read_body(scope, receive, send)
        if body is None:
            return  # the client went away, or the body was too large (answered)
        try:
            loop = asyncio.get_running_loop()
            pool = self.reads if scope["method"] in SAFE_METHODS else self.writes
            environ = build_environ(scope, body)
            if settings.SERVER_TIMING:
                call = (run_timed, self.wsgi, environ, time.perf_counter())
            else:
                call = (run_wsgi, self.wsgi, environ)
            status, headers, content = await loop.run_in_executor(pool, *call)
        finally:
            body.close()
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": content})

    async def _lifespan(self, receive, send):
        """ASGI lifespan: warm the process before uvicorn accepts connections
        (core/warmup.py); close the thread pools at shutdown."""
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    done = await asyncio.get_running_loop().run_in_executor(self.writes, warm_up)
                    logger.info("warmed up: %s", done)
                except Exception:  # a cold process still serves, only its first requests slower
                    logger.warning("warm-up failed; serving cold", exc_info=True)
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.reads.shutdown(wait=False, cancel_futures=True)
                self.writes.shutdown(wait=False, cancel_futures=True)
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _read_body(self, scope, receive, send):
        limit = settings.MAX_REQUEST_BODY_BYTES
        declared = next(
            (value for name, value in scope.get("headers", []) if name == b"content-length"), b""
        )
        if declared.isdigit() and int(declared) > limit:
            await self._too_large(scope, send)
            return None
        body = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (closed by __call__)
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                body.close()
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                body.close()
                await self._too_large(scope, send)
                return None
            body.write(chunk)
            if not message.get("more_body", False):
                break
        body.seek(0)
        return body

    async def _too_large(self, scope, send):
        # Before Django sees the request, so no page in the page's language: both.
        logger.warning("request body over MAX_REQUEST_BODY_BYTES refused: %s", scope["path"])
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": TOO_LARGE})
