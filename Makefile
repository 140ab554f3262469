# OCOP Storefront — `make run` serves the demo shop, `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
PG_TEST_URL ?= $(or $(TEST_DATABASE_URL),postgresql://postgres@127.0.0.1:5432/test)
export FLASK_APP := wsgi

.PHONY: install run test test-sqlite test-postgres lint translations bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Compiled translations are built here, never committed.
storefront/translations/%/LC_MESSAGES/messages.mo: storefront/translations/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d storefront/translations -l $* >/dev/null

VENDOR_FILES := storefront/static/vendor/chart.umd.min.js

install: $(VENV)/.installed $(patsubst %.po,%.mo,$(wildcard storefront/translations/*/LC_MESSAGES/messages.po)) $(VENDOR_FILES)

# Front-end libraries come from npm (package.json + package-lock.json, pinned) and are copied into
# storefront/static/vendor/, which is not committed.
storefront/static/vendor/chart.umd.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p storefront/static/vendor
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/LICENSE.md storefront/static/vendor/
	mv storefront/static/vendor/LICENSE.md storefront/static/vendor/chart.js-LICENSE.md

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	@echo "OCOP Storefront on http://127.0.0.1:$(PORT)  (stop with Ctrl+C)"
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: install lint test-sqlite test-postgres

test-sqlite: install
	@echo "== Test suite on SQLite"
	$(BIN)/pytest

test-postgres: install
	@if $(BIN)/python -m tests.postgres_available "$(PG_TEST_URL)"; then \
		echo "== Test suite on PostgreSQL"; \
		TEST_DATABASE_URL="$(PG_TEST_URL)" $(BIN)/pytest -m "not browser"; \
	elif [ "$$REQUIRE_POSTGRES" = "1" ]; then \
		echo "!! PostgreSQL is required (REQUIRE_POSTGRES=1) but $(PG_TEST_URL) does not answer." >&2; exit 1; \
	else \
		echo ""; echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
		echo "!!  PostgreSQL at $(PG_TEST_URL) does not answer:"; \
		echo "!!  the PostgreSQL half of the suite was SKIPPED."; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; echo ""; \
	fi

lint: install
	$(BIN)/ruff check .

# Extract messages from the code and merge them into the catalogues (then translate the .po).
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs='.* __pycache__' --no-location --sort-output -o storefront/translations/messages.pot storefront >/dev/null
	$(BIN)/pybabel update -i storefront/translations/messages.pot -d storefront/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache storefront/translations/*/LC_MESSAGES/*.mo node_modules storefront/static/vendor

# Benchmarks: numbers go to bench/results/ (ratios and timings, never assertions in tests).
bench: install
	$(BIN)/python -m bench.checkout_race --buyers 200 --units 50
