# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.c360-installed

.PHONY: run test bench lint clean system-libs

$(STAMP): pyproject.toml
	@bash packaging/ensure-system-libs.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

system-libs:
	@bash packaging/ensure-system-libs.sh

run: $(STAMP)
	$(BIN)/c360-desktop

lint: $(STAMP)
	$(BIN)/lint-imports

# pytest exits 5 when no test ran: make treats that as a failure, as it should.
test: $(STAMP) lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

# Splink (the comparison of the match benchmark) is a benchmark-only dependency: installed here, not by run/test.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
