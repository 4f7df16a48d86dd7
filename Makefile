# Everyday tasks. `make site` installs and builds; `make test` runs every test.
PY ?= .venv/bin/python

.PHONY: install site test bench lint clean

.venv/bin/python:
	python3 -m venv .venv

install: .venv/bin/python
	$(PY) -m pip install -q -e ".[test,dev]"

site: install
	.venv/bin/scorecard build

test: install
	npm ci --silent --no-audit --no-fund
	$(PY) -m pytest

bench: install
	$(PY) bench/bench_extract.py
	$(PY) bench/bench_build.py

lint:
	$(PY) -m ruff check scorecard tests bench

clean:
	rm -rf site .site-* build dist *.egg-info
