# willkommen: `make run` to try it, `make test` to check it.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
export PYTHONDONTWRITEBYTECODE := 1
# The Makefile is for development and demos; production sets DEBUG=false and SECRET_KEY.
export DEBUG ?= true

.PHONY: run serve install migrate demo messages test test-sqlite test-postgres e2e lint format bench clean

# The virtualenv is rebuilt when the dependency list changes.
$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

messages: install
	@$(MANAGE) compiletranslations

migrate: messages
	$(MANAGE) migrate --no-input
	$(MANAGE) createcachetable

demo: migrate
	$(MANAGE) load_demo_catalog
	$(MANAGE) create_demo_staff
	$(MANAGE) load_demo_controlling
	$(MANAGE) load_demo_booking
	$(MANAGE) load_demo_frontdesk
	$(MANAGE) load_demo_cases
	$(MANAGE) load_demo_knowledge
	$(MANAGE) load_demo_accessibility
	$(MANAGE) load_demo_intake
	$(MANAGE) load_demo_outreach
	$(MANAGE) load_demo_complaints
	$(MANAGE) generate_demo_history --visits-per-day 40 --cases-per-day 8

# Serve on http://$(HOST):$(PORT) with SQLite (or DATABASE_URL), the demo data
# loaded: one uvicorn process serves everything (pages, API, the displays' event
# stream), and `manage.py worker` beside it does all background work. Links, QR codes
# and PDFs point to $(HOST):$(PORT) unless PUBLIC_BASE_URL says otherwise. Mails are
# written to var/mail/ instead of being sent, unless EMAIL_BACKEND is set.
run: demo serve

# The same without the install and demo steps. Ctrl-C stops both processes; when one
# of them ends, the other is stopped too. (The worker, a background job, ignores the
# terminal's Ctrl-C; the shell stops it with SIGTERM once the server has stopped.)
serve:
	$(MANAGE) collectstatic --no-input --verbosity 0
	@export EMAIL_BACKEND=$${EMAIL_BACKEND:-django.core.mail.backends.filebased.EmailBackend}; \
	export HOST="$(HOST)" PORT="$(PORT)"; logs=$${WILLKOMMEN_VAR_DIR:-var}; mkdir -p "$$logs"; \
	trap 'kill -TERM $$server $$worker 2>/dev/null; wait' EXIT; trap 'exit 130' INT TERM; \
	$(MANAGE) worker >"$$logs/worker.log" 2>&1 & worker=$$!; \
	$(PY) -m uvicorn willkommen.asgi:application --app-dir src --lifespan off \
	    --host "$(HOST)" --port "$(PORT)" & server=$$!; \
	echo "worker running (log in $$logs/worker.log); mails go to var/mail/"; \
	wait -n

# The whole suite on SQLite and on PostgreSQL side by side (two processes, one per
# core; each suite's output is printed whole when it ends), then the browser tests.
# Without CI=true, a missing PostgreSQL or Chromium skips that part with a
# message; with CI=true it fails the run.
test: messages
	@$(MAKE) --no-print-directory --output-sync=target -j2 test-sqlite test-postgres
	@$(MAKE) --no-print-directory e2e

test-sqlite: messages
	@echo "== tests on SQLite"
	$(VENV)/bin/pytest -m "not e2e" -q

test-postgres: messages
	@if $(PY) scripts/check-postgres "$(TEST_DATABASE_URL)"; then \
	    echo "== tests on PostgreSQL"; \
	    DATABASE_URL="$(TEST_DATABASE_URL)" $(VENV)/bin/pytest -m "not e2e" -q; \
	elif [ "$(CI)" = "true" ]; then \
	    echo "PostgreSQL at $(TEST_DATABASE_URL) is not reachable, and CI=true requires it." >&2; exit 1; \
	else \
	    echo "== SKIPPED tests on PostgreSQL: nothing answers at $(TEST_DATABASE_URL) (set TEST_DATABASE_URL)"; \
	fi

e2e: messages
	@if [ -x "$${CHROMIUM:-/usr/bin/chromium}" ]; then \
	    echo "== browser tests in Chromium"; \
	    $(VENV)/bin/pytest -m e2e -q; \
	elif [ "$(CI)" = "true" ]; then \
	    echo "Chromium is missing at $${CHROMIUM:-/usr/bin/chromium}, and CI=true requires it." >&2; exit 1; \
	else \
	    echo "== SKIPPED browser tests: no Chromium at $${CHROMIUM:-/usr/bin/chromium} (apt-get install chromium)"; \
	fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install
	@for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
