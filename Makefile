# Two commands for a new user: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test test-quick install lock audit lint format bench clean

# Install, build the demo SQLite file (data/lscp_qa.db) with the sample partnership if it is not
# there yet, and start the dashboard in demo mode. Production: see README, "Deployment".
run: $(STAMP)
	$(PY) -m dashboard.cli ensure-sample
	$(PY) -m dashboard.cli run --demo

# The whole test suite (PostgreSQL variants run when TEST_DATABASE_URL is set; browser tests need
# /usr/bin/chromium and are skipped with a reason without it). One worker per core (at most four):
# every test has its own store, database, server and port, so the workers share nothing; on this
# project's 2-core machines the whole suite (about 2,300 tests) takes about 40 minutes in two
# workers (README, "Tests").
# `make test PYTEST_ARGS=` runs it in one process.
PYTEST_ARGS ?= -n auto --maxprocesses 4
test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

# Everything but the browser and the PostgreSQL variants: the check to run while changing code.
test-quick: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS) -m "not browser and not postgres"

# Installs exactly the locked versions, every file checked against its hash, then the project
# itself (editable, no dependencies: they all come from the lock).
install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Refresh the lock after changing a range in pyproject.toml (or to take new releases): resolves
# the newest versions the ranges allow, with the hashes of every file PyPI has for them.
lock: $(STAMP)
	$(PY) -m pip install --quiet "pip-tools>=7.4"
	$(VENV)/bin/pip-compile --quiet --allow-unsafe --generate-hashes --strip-extras --extra test \
	  --no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml

# Known vulnerabilities in the locked packages; says so plainly when it cannot reach the database.
audit: $(STAMP)
	$(PY) scripts/audit_dependencies.py

# Format, lint and types: what `.ci/run` checks before the tests.
CODE := dashboard data_access sample_data pages tests benchmarks scripts
lint: $(STAMP)
	$(VENV)/bin/ruff format --check $(CODE)
	$(VENV)/bin/ruff check $(CODE)
	$(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff format $(CODE)
	$(VENV)/bin/ruff check --fix $(CODE)

bench: $(STAMP)
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache test-artifacts
