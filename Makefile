# The two commands: `make run` and `make test` (both set up first).
# `make setup` makes .venv at the repo root, installs requirements.txt and
# builds the taxonomy packages; it is cheap to run again.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed

.PHONY: setup run test bench taxonomies clean

setup: $(STAMP) taxonomies

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	@# The project's packages on the venv's path, so `.venv/bin/python -m validators` works from any folder.
	echo "$(CURDIR)" > "$$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/verantwoordingsportaal.pth"
	touch $(STAMP)

# Always rebuilt: the build is fast and reproducible, and a stale package is worse.
taxonomies: $(STAMP)
	$(PY) -m taxonomies.build

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
