# OCOP Storefront — `make run` serves the demo shop, `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
PG_TEST_URL ?= $(or $(TEST_DATABASE_URL),postgresql://postgres@127.0.0.1:5432/test)
VENDOR := storefront/static/vendor
export FLASK_APP := wsgi

.PHONY: install run test test-sqlite test-postgres lint audit translations bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Compiled translations are built here, never committed.
storefront/translations/%/LC_MESSAGES/messages.mo: storefront/translations/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d storefront/translations -l $* >/dev/null

# Front-end libraries: exactly the versions in package-lock.json, from npm, copied next to our own
# static files (served by the shop itself, never committed). No install scripts are run.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR)/.copied: node_modules/.package-lock.json
	rm -rf $(VENDOR)/htmx $(VENDOR)/swagger-ui $(VENDOR)/chartjs
	mkdir -p $(VENDOR)/htmx $(VENDOR)/swagger-ui $(VENDOR)/chartjs
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/htmx.org/LICENSE $(VENDOR)/htmx/
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
		node_modules/swagger-ui-dist/LICENSE $(VENDOR)/swagger-ui/
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/LICENSE.md $(VENDOR)/chartjs/
	touch $@


# The counter's camera reader: the BarcodeDetector ponyfill and its ZXing WebAssembly file.
$(VENDOR)/barcode-detector/.copied: node_modules/.package-lock.json
	rm -rf $(VENDOR)/barcode-detector && mkdir -p $(VENDOR)/barcode-detector
	cp node_modules/barcode-detector/dist/iife/ponyfill.js node_modules/barcode-detector/LICENSE \
		node_modules/zxing-wasm/dist/reader/zxing_reader.wasm $(VENDOR)/barcode-detector/
	cp node_modules/zxing-wasm/LICENSE $(VENDOR)/barcode-detector/zxing-wasm-LICENSE
	touch $@

install: $(VENV)/.installed $(VENDOR)/.copied $(VENDOR)/barcode-detector/.copied $(patsubst %.po,%.mo,$(wildcard storefront/translations/*/LC_MESSAGES/messages.po))

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask regions sync  # the addresses to deliver to, in step with the pinned vietnam-provinces
	$(BIN)/flask seed-demo
	@echo "OCOP Storefront on http://127.0.0.1:$(PORT)  (stop with Ctrl+C)"
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: install lint audit test-sqlite test-postgres

# Both halves run on every core (pytest-xdist, a database per worker: tests/conftest.py). The
# scale-out tests need PostgreSQL and run in its half only.
PYTEST_WORKERS ?= auto

test-sqlite: install
	@echo "== Test suite on SQLite"
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m "not scaleout"

test-postgres: install
	@if $(BIN)/python -m tests.postgres_available "$(PG_TEST_URL)"; then \
		echo "== Test suite on PostgreSQL"; \
		TEST_DATABASE_URL="$(PG_TEST_URL)" $(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser"; \
	elif [ "$$REQUIRE_POSTGRES" = "1" ]; then \
		echo "!! PostgreSQL is required (REQUIRE_POSTGRES=1) but $(PG_TEST_URL) does not answer." >&2; exit 1; \
	else \
		echo ""; echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
		echo "!!  PostgreSQL at $(PG_TEST_URL) does not answer:"; \
		echo "!!  the PostgreSQL half of the suite was SKIPPED."; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; echo ""; \
	fi

# The production set-up, run here: PostgreSQL + Redis, two gunicorn instances (Ctrl+C stops both).
# Empties the databases it is given: SCALEOUT_ARGS="--database-url postgresql://…/scaleout_x
# --redis-url redis://127.0.0.1:6379/7 --workers 4" (see python -m scripts.scaleout --help).
.PHONY: scaleout
scaleout: install
	$(BIN)/python -m scripts.scaleout $(SCALEOUT_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .  # one layout: `ruff format .` writes it
	$(BIN)/lint-imports --no-cache  # the layers in pyproject.toml
	$(BIN)/mypy  # the service modules' signatures ([tool.mypy] in pyproject.toml)

# Known vulnerabilities in the pinned requirements (pip-audit, PyPI's advisory data); fails on
# one. REQUIRE_AUDIT=1 also fails when PyPI could not be asked about every package.
audit: install
	$(BIN)/python -m tests.audit_requirements

# Extract messages from the code and merge them into the catalogues (then translate the .po).
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs='.* __pycache__' --no-location --sort-output -o storefront/translations/messages.pot storefront >/dev/null
	$(BIN)/pybabel update -i storefront/translations/messages.pot -d storefront/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache node_modules $(VENDOR) storefront/translations/*/LC_MESSAGES/*.mo

# Benchmarks: numbers go to bench/results/ (ratios and timings, never assertions in tests).
# BENCH_DATABASE_URL=postgresql://…/bench_x runs them on PostgreSQL (the database is emptied).
bench: install
	@command -v wrk >/dev/null 2>&1 || { echo "== Installing wrk (Debian)"; apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python -m bench.http_pages
	$(BIN)/python -m bench.checkout_race --buyers 200 --units 50
	$(BIN)/python -m bench.search
	$(BIN)/python -m bench.labels
	$(BIN)/python -m bench.office_reports
