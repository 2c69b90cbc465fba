# The two commands of the README: `make run` (set up, start the dashboard) and `make test` (set up, run all tests).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMPS := .make-stamps
PORT   ?= 8501
# Where `make run` listens: this machine only. Without login ([auth]) whoever reaches the dashboard works as
# staff, so another address (ADDRESS=0.0.0.0) also needs login or the explicit opt-in ALLOW_OPEN=1
# (STATSBIDRAG_ALLOW_OPEN=1), and then every page says in a banner that it is open on the network.
ADDRESS ?= 127.0.0.1
ALLOW_OPEN ?=

.PHONY: setup setup-dev browser postgres run test lint bench screenshots demo

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# The runtime packages only (what `make run` needs) ...
$(STAMPS)/runtime: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements.txt
	mkdir -p $(STAMPS) && touch $@

# ... and the test tools on top (pytest, Hypothesis, Playwright, the OIDC mock, ruff) for `make test`.
$(STAMPS)/dev: requirements-dev.txt $(STAMPS)/runtime
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	mkdir -p $(STAMPS) && touch $@

setup: $(STAMPS)/runtime
setup-dev: $(STAMPS)/dev

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser),
# and poppler-utils to render documents' pages in the tests.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; \
	fi
	@# Debian's poppler-utils: pdftoppm renders a document's pages as PNG (tests/test_documents.py).
	@if [ ! -x /usr/bin/pdftoppm ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq poppler-utils; \
	fi

# Debian's PostgreSQL server for the store's tests on PostgreSQL: tests/postgres.py starts a throwaway cluster
# of its own (initdb + pg_ctl in a temporary folder, on a Unix socket only) and never uses the package's.
# postgresql-common goes first so that the server package creates no default cluster "main" (Debian's
# create_main_cluster, as the official Docker image does); an existing machine's clusters are left alone.
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql-common && \
		$$SUDO sed -ri 's/^#?[[:space:]]*create_main_cluster[[:space:]]*=.*/create_main_cluster = false/' \
			/etc/postgresql-common/createcluster.conf && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql; \
	fi

# The store is created, migrated and seeded before the server starts (a second start writes nothing); init also
# refuses (exit 2) a network ADDRESS without login unless ALLOW_OPEN=1, before anything listens.
run: setup
	$(if $(ALLOW_OPEN),STATSBIDRAG_ALLOW_OPEN=$(ALLOW_OPEN)) $(BIN)/python -m cli init --address $(ADDRESS)
	$(if $(ALLOW_OPEN),STATSBIDRAG_ALLOW_OPEN=$(ALLOW_OPEN)) $(BIN)/streamlit run app.py --server.port $(PORT) --server.address $(ADDRESS)

# Example data (fictitious, labelled "Exempeldata – fiktiva uppgifter" on every page) in the default database;
# a second run writes nothing. Remove it: $(BIN)/python -m cli demo --remove --actor "Namn" --reason "Varför"
# Run it before `make run` (or with the dashboard stopped): the running dashboard holds the DuckDB file, and then
# this says so and names the dashboard's own button ("Läs in exempeldata", at the top of every page) instead.
demo: setup
	$(BIN)/python -m cli demo --actor "make demo" --reason "Exempeldata för visning (make demo)"

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint browser postgres
	$(BIN)/python -m pytest

bench: setup-dev browser
	$(BIN)/python bench/run_all.py

# The README's screenshots: every page and view, taken in headless Chromium.
screenshots: setup-dev browser
	rm -f docs/screenshots/*.png
	SCREENSHOT_DIR=docs/screenshots $(BIN)/python -m pytest -q tests/browser/test_pages.py tests/browser/test_login.py tests/browser/test_rounds.py tests/browser/test_example_data.py tests/browser/test_swedish.py tests/browser/test_decision_flow.py tests/browser/test_region_first_figure.py
