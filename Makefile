# durable_rules 2.0.28 builds from source and does not import on Python 3.13: pin 3.11.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
PLANNER := $(VENV)/bin/planner

.PHONY: run test bench bench-sheet clean

# The project as a package (pyproject.toml), editable, with the test dependencies.
$(VENV)/.installed: pyproject.toml requirements-parser.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	$(PY) -m pip install -q --no-deps -r requirements-parser.txt
	touch $@

# The API's port: make run PORT=8001 when 8000 is taken.
PORT ?= 8000

run: $(VENV)/.installed
	@$(PY) -c "import socket; socket.create_server(('127.0.0.1', $(PORT))).close()" 2>/dev/null \
		|| { echo "port $(PORT) is busy: stop what uses it, or run: make run PORT=8001"; exit 1; }
	$(PLANNER) validate examples/fleet.xlsx
	mkdir -p out
	$(PLANNER) plan examples/fleet.xlsx --json out/plan.json --xlsx out/plan.xlsx
	$(FLASK) init-db
	$(FLASK) publish examples/fleet.xlsx --message "example fleet"
	@$(FLASK) create-token local-reader --role reader --rotate | tail -n 1 > out/reader-token
	@echo "reader token written to out/reader-token; in another shell:"
	@echo '  export TOKEN=$$(cat out/reader-token)'
	@echo '  curl -H "Authorization: Bearer $$TOKEN" http://127.0.0.1:$(PORT)/api/v1/schedule'
	# the webhook delivery worker beside the API; Ctrl-C stops both
	$(FLASK) deliver & trap "kill $$!" EXIT INT TERM; \
	  $(VENV)/bin/gunicorn -w 2 --threads 4 --timeout 60 --graceful-timeout 10 -b 127.0.0.1:$(PORT) wsgi:app

test: $(VENV)/.installed
	$(PY) -m pytest -q

# Plan, CLI and API benchmarks (minutes; bench/README.md); results in bench/results/.
bench: $(VENV)/.installed
	$(PY) -m bench.bench_plan
	$(PY) -m bench.bench_cli
	$(PY) bench/bench_api.py

# Edit-to-Violations-tab latency of the live Google Sheet, against the fake API.
bench-sheet: $(VENV)/.installed
	$(PY) -m bench.bench_sheet

clean:
	rm -rf $(VENV) out
