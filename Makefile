# Two entry points, both safe on a fresh machine: each makes the virtual
# environment from the lock file first if it is missing or out of date.
PYTHON ?= python3
VENV := .venv
UV := $(VENV)/bin/uv
STAMP := $(VENV)/.synced

.PHONY: run test lint typecheck unit audit reliability-report bench bench-import bench-web fuzz bench-caseload bench-gait clean

run: $(STAMP)
	$(VENV)/bin/piri serve

test: $(STAMP) lint typecheck unit

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks fuzz scripts
	$(VENV)/bin/ruff format --check src tests benchmarks fuzz scripts

typecheck: $(STAMP)
	$(VENV)/bin/mypy src

unit: $(STAMP)
	$(VENV)/bin/pytest -n auto

# Known vulnerabilities in the locked versions (CI runs it; exits 1 on one).
audit: $(STAMP)
	$(VENV)/bin/python scripts/audit_dependencies.py

# docs/reliability.md, from a run of the reliability tests and the last fuzz run.
reliability-report: $(STAMP)
	$(VENV)/bin/python scripts/reliability_report.py

bench: $(STAMP)
	$(VENV)/bin/python benchmarks/cli_startup.py

bench-import: $(STAMP)
	$(VENV)/bin/python benchmarks/bench_import.py

bench-web: $(STAMP)
	$(VENV)/bin/python benchmarks/bench_web.py

bench-caseload: $(STAMP)
	$(VENV)/bin/python benchmarks/bench_caseload.py

bench-gait: $(STAMP)
	$(VENV)/bin/python benchmarks/bench_gait.py

fuzz: $(STAMP)
	$(VENV)/bin/python fuzz/run.py

$(STAMP): pyproject.toml uv.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Piri needs Python 3.11 or newer"'
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV) || \
		{ echo "Could not create a virtual environment: on Debian run 'apt-get install python3-venv'"; exit 1; }
	$(VENV)/bin/python -m pip install --quiet "uv==0.13.8"
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --extra video --python $(VENV)/bin/python
	@touch $(STAMP)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
