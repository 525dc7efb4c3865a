# Two commands for a new user: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test install lint bench clean

# Install, build the demo SQLite file (data/lscp_qa.db) with the sample partnership if it is not
# there yet, and start the dashboard in demo mode. Production: see README, "Deployment".
run: $(STAMP)
	$(PY) -m dashboard.cli ensure-sample
	$(PY) -m dashboard.cli run --demo

# The whole test suite (PostgreSQL variants run when TEST_DATABASE_URL is set; browser tests need
# /usr/bin/chromium and are skipped with a reason without it). One worker per core (at most four):
# every test has its own store, database, server and port, so the workers share nothing; on this
# project's 2-core machines the suite takes 12.5 minutes in two workers against 20 in one.
# `make test PYTEST_ARGS=` runs it in one process.
PYTEST_ARGS ?= -n auto --maxprocesses 4
test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

lint: $(STAMP)
	$(VENV)/bin/ruff check dashboard data_access sample_data pages tests benchmarks

bench: $(STAMP)
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) data .pytest_cache test-artifacts
