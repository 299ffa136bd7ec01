# The two commands: `make run` and `make test` (both set up first).
# `make setup` makes .venv at the repo root, installs requirements.txt,
# compiles the translation catalogues and builds the taxonomy packages; it is
# cheap to run again. `make translations` updates the catalogues from the code.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed

.PHONY: setup run test bench taxonomies catalogues translations clean

setup: $(STAMP) catalogues taxonomies

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	@# The project's packages on the venv's path, so `.venv/bin/python -m validators` works from any folder.
	echo "$(CURDIR)" > "$$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/verantwoordingsportaal.pth"
	touch $(STAMP)

# Always rebuilt: the build is fast and reproducible, and a stale package is worse.
taxonomies: $(STAMP)
	$(PY) -m taxonomies.build

# The texts' catalogues, the portal's and the engine's (English msgids, Dutch in the .po files),
# compiled here and never committed. Fuzzy entries are left out (no --use-fuzzy), and the tests
# fail while any text lacks its Dutch.
catalogues: $(STAMP)
	$(VENV)/bin/pybabel compile --statistics -d portal/translations -D messages
	$(VENV)/bin/pybabel compile --domain validators --directory validators/translations --statistics

# For developers after changing texts: extract every msgid (English) from the code and templates
# and merge it into the Dutch catalogues; then translate the new entries and run `make setup`.
# The engine's keywords are those of validators/i18n.py (KEYWORDS).
translations: $(STAMP)
	$(VENV)/bin/pybabel extract -F portal/babel.cfg -k N_ -k text_in:2 -k both -k ServiceError:2 -k forbidden \
		--no-location --sort-output --project=verantwoordingsportaal -o portal/translations/messages.pot portal
	$(VENV)/bin/pybabel update -i portal/translations/messages.pot -d portal/translations -D messages \
		--no-fuzzy-matching --ignore-obsolete --width 120
	rm portal/translations/messages.pot
	$(VENV)/bin/pybabel extract --mapping-file validators/babel.cfg --no-default-keywords \
		--keywords both:1 --keywords both_p:1c,2 --keywords both_n:1,2 --keywords say:2 --keywords say_p:2c,3 \
		--keywords mark:1 --no-location --sort-output --project validators \
		--output-file $(VENV)/validators.pot validators
	$(VENV)/bin/pybabel update --input-file $(VENV)/validators.pot --domain validators \
		--output-dir validators/translations --locale nl --init-missing --ignore-obsolete

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
	$(PY) -m bench.bench_documents
	$(PY) -m bench.bench_forms
	$(PY) -m bench.bench_statements
	$(PY) -m bench.bench_compare

clean:
	rm -rf $(VENV) taxonomies/packages
	find portal/translations -name '*.mo' -delete
