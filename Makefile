# Two commands for a fresh clone (see README):
#   make render   set up venv/, validate the registry and stack files, check the tailnet policy,
#                 render every stack into build/
#   make test     set up venv/ and .venv-scan/, then lint (ruff), type-check (mypy --strict),
#                 scan the workflows (zizmor --offline, fails on medium/high) and run the tests
#                 (which run checkov over every manifest the project renders)
#   make report   write the access report (a static site) into build/report/
#   make verify-chart  template the real tailscale-operator chart with each stack's values (needs
#                      helm and network, or CHART=<local chart dir or .tgz>) and check the
#                      operator it yields
VENV ?= venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The scanners (zizmor, checkov) live in their own venv: checkov's dependency tree must not
# move the project's pins. Installed from the committed requirements-scan.txt.
SCAN_VENV ?= .venv-scan
SCAN_STAMP := $(SCAN_VENV)/.installed
export HFACCESS_SCAN_BIN := $(abspath $(SCAN_VENV))/bin

.PHONY: setup scan-setup scan-workflows render test verify-chart bench clean report

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

scan-setup: $(SCAN_STAMP)

$(SCAN_STAMP): requirements-scan.txt
	python3 -m venv $(SCAN_VENV)
	$(SCAN_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(SCAN_VENV)/bin/python -m pip install --quiet -r requirements-scan.txt
	touch $(SCAN_STAMP)

# Any medium or high finding fails; deliberate suppressions are inline `# zizmor: ignore[...]`
# comments with their reason.
scan-workflows: $(SCAN_STAMP)
	$(SCAN_VENV)/bin/zizmor --offline --min-severity medium .github/

render: $(STAMP)
	$(PY) -m hfaccess validate --stack-files .
	$(PY) -m hfaccess check
	$(PY) -m hfaccess render --all --out build

test: $(STAMP) $(SCAN_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(SCAN_VENV)/bin/zizmor --offline --min-severity medium .github/
	$(PY) -m pytest

# Figures against the scale budgets (prints; asserts nothing). Writes docs/performance.png and
# puts the printout, verbatim, between the markers in docs/performance.md.
bench: $(STAMP)
	$(PY) -m pip install --quiet -r benchmarks/requirements.txt
	$(PY) -m benchmarks.run --json build/benchmarks.json --plot docs/performance.png --doc docs/performance.md
	$(PY) benchmarks/kill_bench.py
	$(PY) -m benchmarks.report_bench

# The access report (static site, opens offline): build/report/index.html
report: $(STAMP)
	$(PY) -m hfaccess report --out build/report

verify-chart: $(STAMP) $(SCAN_STAMP)
	PYTHON=$(PY) scripts/verify-chart.sh $(if $(CHART),--chart $(CHART))

clean:
	rm -rf build .venv-scan .mypy_cache .ruff_cache .pytest_cache .hypothesis
