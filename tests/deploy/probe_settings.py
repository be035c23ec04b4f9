"""willkommen's settings plus a few probe answers with chosen caching headers, for
checking what nginx caches (tests/deploy/test_stack.py)."""

from willkommen.settings import *  # noqa: F403

ROOT_URLCONF = "tests.deploy.probe_urls"
