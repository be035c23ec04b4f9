"""gunicorn's settings for willkommen's WSGI application (deploy/systemd/willkommen-web.service):

    gunicorn -c deploy/gunicorn.conf.py willkommen.wsgi:application

Sync workers: nginx in front buffers slow clients' requests and responses, so a worker
is busy only while Django works, and a request waiting for the database blocks only its
own worker. The displays' event streams, the only long responses, go to uvicorn.
Command-line options (--bind, --workers) override what is set here.
"""

import os

# nginx connects over this socket (deploy/nginx/willkommen.conf, upstream willkommen_web).
bind = [os.environ.get("GUNICORN_BIND", "unix:/run/willkommen-web/gunicorn.sock")]

# gunicorn's own rule of thumb, 2 × cores + 1: while one worker waits for PostgreSQL
# another uses the core. WEB_CONCURRENCY (gunicorn's variable) sets another count.
try:
    _cores = len(os.sched_getaffinity(0))
except AttributeError:  # not on Linux
    _cores = os.cpu_count() or 1
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * _cores + 1)
worker_class = "sync"
# Load the application (Django, the URLconf, every view) once in the master and fork
# the workers from it: a new or replaced worker answers its first request at full
# speed and the workers share the loaded code's memory. Code changes need a restart
# of the service (systemctl restart), not a HUP.
preload_app = True

# A request that takes longer is cut off and its worker replaced (the largest work, a
# report export, stays well below this).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30

# nginx writes the access log; errors and start/stop go to the journal.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Forwarded headers come from nginx on the same machine; Django reads them itself
# (TRUST_X_FORWARDED_PROTO, TRUST_X_FORWARDED_FOR).
forwarded_allow_ips = "127.0.0.1,::1"
