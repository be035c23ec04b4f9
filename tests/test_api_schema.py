"""Schemathesis generates requests from the OpenAPI document and checks the answers.

Every operation of /api/v1/ is exercised with generated input (valid and
invalid) against the real application and database: no server errors, and
responses that match the documented schemas and status codes.
"""

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from willkommen.wsgi import application

# Generating the document needs no database; the calls below do. NUL characters are
# generated too: the document declares that every string refuses them (core.api.Text),
# so a request with one is invalid, and core's middleware answers it with 400.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def catalogue(db):
    call_command("load_demo_catalog", verbosity=0)
    # As Django's test client does: calls straight into the WSGI app must not
    # close the test's database connection at the end of each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("catalogue")
@schema.parametrize()
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_openapi_document(case):
    case.call_and_validate()


def test_migrations_match_the_models(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
