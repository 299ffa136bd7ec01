# The two commands: `make run` and `make test` (both set up first).
# `make setup` makes .venv at the repo root, installs requirements.txt and
# builds the taxonomy packages; it is cheap to run again.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed

.PHONY: setup run test bench taxonomies catalogues translations clean

setup: $(STAMP) taxonomies catalogues

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	@# The project's packages on the venv's path, so `.venv/bin/python -m validators` works from any folder.
	echo "$(CURDIR)" > "$$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/verantwoordingsportaal.pth"
	touch $(STAMP)

# Always rebuilt: the build is fast and reproducible, and a stale package is worse.
taxonomies: $(STAMP)
	$(PY) -m taxonomies.build

# The texts' catalogues (English msgids, Dutch translations in the .po files) compiled for the
# running portal; compiled files are not committed. --statistics shows any text left untranslated.
catalogues: $(STAMP)
	$(VENV)/bin/pybabel compile --statistics -d portal/translations -D messages

# For developers after changing texts: extract every message from the code and templates and merge
# it into the Dutch catalogue; then translate the new entries in the .po file and run `make setup`.
translations: $(STAMP)
	$(VENV)/bin/pybabel extract -F portal/babel.cfg -k N_ -k text_in:2 -k both -k ServiceError:2 -k forbidden --no-location --sort-output \
		--project=verantwoordingsportaal -o portal/translations/messages.pot portal
	$(VENV)/bin/pybabel update -i portal/translations/messages.pot -d portal/translations -D messages \
		--no-fuzzy-matching --ignore-obsolete --width 120
	rm portal/translations/messages.pot

run: setup
	$(VENV)/bin/flask --app app seed-demo
	$(PY) app.py

test: setup
	$(PY) -m pytest -n auto

bench: setup
	$(PY) -m bench.bench_formula
	$(PY) -m bench.bench_engine
	$(PY) -m bench.bench_portal
	$(PY) -m bench.bench_channel

clean:
	rm -rf $(VENV) taxonomies/packages
	find portal/translations -name '*.mo' -delete
