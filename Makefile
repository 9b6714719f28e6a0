# One entry point for every job. `make test` is what CI (.ci/run) and the README run.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export PYTHONPATH := shared:functions/normalise
PAGES ?= samples
CORPUS ?= $(or $(NORMALISER_CORPUS),../shared/corpus)
TRAIN_ARGS ?=

.PHONY: venv browser test lint typecheck cfn-lint pytest demo local eval eval-baselines bench load-test report-bench train sam-validate clean

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

# Debian's Chromium for tests/browser, installed when missing where we are root (CI is); where
# it cannot be installed those tests skip, except in CI (CI set), where they fail.
CHROMIUM ?= /usr/bin/chromium
browser:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	  else echo "$(CHROMIUM) missing and not root: the browser tests will skip"; fi; }

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Strict over everything: what ships, the tools and the tests.
typecheck: venv
	$(VENV)/bin/mypy --strict shared functions tools tests

cfn-lint: venv
	$(VENV)/bin/cfn-lint template.yaml

pytest: venv browser
	$(VENV)/bin/pytest

demo: venv
	$(PY) tools/local_stack.py demo --pages $(PAGES)

local: venv
	$(PY) tools/local_stack.py serve

# Each writes its figures to docs/results/ (the results file that docs/RESULTS.md reads from).
eval: venv
	$(PY) tools/eval.py --corpus $(CORPUS) --json docs/results/eval.json

# The same, plus trafilatura, readability-lxml and jusText on the same HTML pages.
eval-baselines: venv $(VENV)/.bench-installed
	$(PY) tools/eval.py --corpus $(CORPUS) --format html --baselines --json docs/results/eval-baselines.json

$(VENV)/.bench-installed: requirements-bench.txt | venv
	$(PY) -m pip install --quiet -r requirements-bench.txt
	touch $@

bench: venv $(VENV)/.bench-installed
	$(PY) tools/bench.py --corpus $(CORPUS) --json docs/results/bench.json

load-test: venv
	$(PY) tools/load_test.py

# A 5,000-page review report from corpus pages: its size and load time in headless Chromium.
report-bench: venv browser
	$(PY) tools/report_bench.py --corpus $(CORPUS)

# Retrains the text-dump boilerplate model and rewrites shared/normaliser/data/boilerplate_model.json
# (over an hour on the full dev split); TRAIN_ARGS passes options on, e.g. TRAIN_ARGS="--pages 20 --no-cv --dry-run".
train: venv
	$(PY) tools/train_boilerplate.py --corpus $(CORPUS) $(TRAIN_ARGS)

# `sam validate --lint` in a venv of its own (the SAM CLI's pins clash with ours). It reads only
# the template: dummy credentials, no AWS call.
sam-validate:
	test -x .venv-sam/bin/sam || ($(PYTHON) -m venv .venv-sam && .venv-sam/bin/pip install --quiet aws-sam-cli==1.170.0)
	AWS_DEFAULT_REGION=us-east-1 AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing SAM_CLI_TELEMETRY=0 \
		.venv-sam/bin/sam validate --lint

clean:
	rm -rf $(VENV) .venv-sam .pytest_cache .mypy_cache .ruff_cache .hypothesis .aws-sam
