# Lindungi — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q

.DEFAULT_GOAL := help
.PHONY: help run test install install-dev lint typecheck migrations-check check-deploy messages bench clean

help:
	@echo "make run    — install, migrate the embedded SQLite database, load regions and demo data, serve on http://127.0.0.1:8000"
	@echo "make test   — install the dev tools and run the whole test suite (PostgreSQL when DATABASE_URL is set)"

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PIP) install -e '.[dev]'
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_regions
	$(PY) manage.py seed_demo
	@echo "Lindungi berjalan di http://127.0.0.1:8000 — tekan Ctrl+C untuk berhenti."
	$(PY) manage.py serve --addr 127.0.0.1:8000

test: $(VENV)/.installed-dev
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: $(VENV)/.installed-dev
	$(VENV)/bin/mypy lindungi

migrations-check: $(VENV)/.installed-dev
	$(PY) manage.py makemigrations --check --dry-run

check-deploy: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=lindungi.settings.production \
	SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(60))') \
	ALLOWED_HOSTS=lindungi.example.go.id \
	$(PY) manage.py check --deploy --fail-level WARNING

messages: $(VENV)/.installed-dev
	cd lindungi && ../$(PY) ../manage.py makemessages -l en --no-obsolete && ../$(PY) ../manage.py compilemessages -l en

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .mypy_cache .ruff_cache
