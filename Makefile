# Two commands for a newcomer: `make run` and `make test`. Everything else is set up on the way.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE := suppliernet.settings

.PHONY: run test setup install migrate demo lint format messages bench clean lock

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

var:
	mkdir -p var

migrate: install var
	DEBUG=1 $(BIN)/python manage.py migrate --noinput

demo: migrate
	DEBUG=1 $(BIN)/python manage.py seed_demo

setup: demo

run: setup
	DEBUG=1 $(BIN)/python bin/run-local

test: install var
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	DEBUG=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

lint:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install
	cd suppliernet && ../$(BIN)/python ../manage.py makemessages -l es --no-obsolete --add-location file
	cd suppliernet && ../$(BIN)/python ../manage.py compilemessages -l es

lock:
	$(BIN)/pip-compile --quiet --allow-unsafe --generate-hashes --extra dev --strip-extras -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) var

bench: install var
	DEBUG=1 $(BIN)/python bench/run.py $(BENCH_ARGS)
