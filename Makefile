# Everyday tasks. `make site` installs and builds; `make test` runs every test.
# Both first check the system packages (tools/system-deps): as root they are installed with apt-get,
# otherwise the one command to run is printed and make stops with exit 2.
PY ?= .venv/bin/python

.PHONY: site test test-slow check golden bench lint types clean system-site system-test

system-site:
	@tools/system-deps site

system-test:
	@tools/system-deps test

.venv/bin/python:
	python3 -m venv .venv
	$(PY) -m pip install -q --upgrade pip

# Building the site needs the package alone, not the test and lint tools.
site: system-site .venv/bin/python
	$(PY) -m pip install -q -e .
	.venv/bin/scorecard build

# Every test but the slow ones (a PDF drawn and read back for every corpus policy); CI runs those too (test-slow).
test: system-test .venv/bin/python
	$(PY) -m pip install -q -e ".[test,dev]"
	npm ci --silent --no-audit --no-fund
	$(PY) -m pytest -n auto -m "not slow"

test-slow: system-test .venv/bin/python
	$(PY) -m pip install -q -e ".[test,dev]"
	$(PY) -m pytest -n auto -m slow

# Lint, types and the fast tests: what to run before a commit.
check: system-test .venv/bin/python
	$(PY) -m pip install -q -e ".[test,dev]"
	$(PY) -m ruff check scorecard tests bench
	$(PY) -m mypy --strict scorecard
	$(PY) -m pytest -n auto -m "not slow" --ignore=tests/integration/browser -q

# Rewrite tests/golden/expected from the current rules and templates (tests/golden/README.md): review the diff.
golden: .venv/bin/python
	$(PY) -m pip install -q -e ".[test,dev]"
	$(PY) -m pytest tests/golden --update-golden -q

bench: .venv/bin/python
	$(PY) -m pip install -q -e ".[test,dev]"
	$(PY) bench/bench_extract.py
	$(PY) bench/bench_build.py

lint:
	$(PY) -m ruff check scorecard tests bench

types:
	$(PY) -m mypy --strict scorecard

clean:
	rm -rf site .site-* build dist *.egg-info
