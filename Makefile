# One entry point for every job. `make test` is what CI (.ci/run) and the README run.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export PYTHONPATH := shared:functions/normalise
PAGES ?= samples
CORPUS ?= $(or $(NORMALISER_CORPUS),../shared/corpus)

.PHONY: venv test lint typecheck cfn-lint pytest demo local eval bench load-test clean

venv: $(VENV)/.installed

# Reinstalled whenever a requirements file changes; pins live in those files.
$(VENV)/.installed: requirements-dev.txt shared/requirements.txt functions/normalise/requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	# ftfy's published test cases, read by tests/unit/test_repair.py (not vendored).
	$(PY) -m pip download --quiet --no-deps --no-binary :all: -d $(VENV)/sdists \
		"ftfy==$$($(PY) -c 'import ftfy; print(ftfy.__version__)')"
	touch $@

test: lint typecheck cfn-lint pytest

lint: venv
	$(VENV)/bin/ruff check .

typecheck: venv
	$(VENV)/bin/mypy shared functions tools

cfn-lint: venv
	$(VENV)/bin/cfn-lint template.yaml

pytest: venv
	$(VENV)/bin/pytest

demo: venv
	$(PY) tools/local_stack.py demo --pages $(PAGES)

local: venv
	$(PY) tools/local_stack.py serve

eval: venv
	$(PY) tools/eval.py --corpus $(CORPUS)

$(VENV)/.bench-installed: requirements-bench.txt | venv
	$(PY) -m pip install --quiet --no-deps -r requirements-bench.txt
	touch $@

bench: venv $(VENV)/.bench-installed
	$(PY) tools/bench.py --corpus $(CORPUS)

load-test: venv
	$(PY) tools/load_test.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis .aws-sam
