# accord — two commands from a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench clean venv warm fuzz adversarial serve

# The venv is (re)built when pyproject.toml changes; the stamp records that.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

# The demo's setup also compiles the numba kernels once (a minute or two), so that every
# later `make demo` runs warm; the stamp is rebuilt when the kernels change.
WARM_STAMP := $(VENV)/.kernels-warm
$(WARM_STAMP): $(STAMP) src/accord/analysis/kernels.py
	$(BIN)/python -m accord.analysis.warm
	touch $(WARM_STAMP)

demo: $(WARM_STAMP)
	$(BIN)/accord demo

# The mediation service with its pages, on http://127.0.0.1:8000/ (this machine only).  The first
# run creates accord.db and an administrator account, SERVE_EMAIL, and prints its password once.
SERVE_EMAIL ?= mediator@example.org
serve: $(STAMP)
	@if [ ! -f accord.db ]; then $(BIN)/accord serve --init --email $(SERVE_EMAIL); fi
	$(BIN)/accord serve $(SERVE_ARGS)

# Optional: compile the numba kernels once now (a minute or two) instead of on the
# first large problem; afterwards deal-existence checks use them at every size.
warm: $(STAMP)
	$(BIN)/python -m accord.analysis.warm
	touch $(WARM_STAMP)

# pytest exits 5 when it collects no tests: that is a failure, never a pass.
test: $(STAMP)
	@$(BIN)/python -m pytest -q $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; \
	exit $$status

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src

bench: $(STAMP)
	@for script in benchmarks/bench_*.py; do \
	  echo "== $$script"; $(BIN)/python $$script || exit $$?; done

# Hostile input (docs/explanation/hostile-input.md).  `make fuzz` mutates the examples through every
# reader for FUZZ_SECONDS and writes each new failing input to FUZZ_OUT; `make adversarial` runs
# the adversarial corpus through every command that reads each input and prints the summary.
FUZZ_SECONDS    ?= 600
FUZZ_OUT        ?= tests/data/malformed/fuzz
ADVERSARIAL_JOBS ?= 2
ADVERSARIAL_OUT ?= adversarial-results.jsonl

fuzz: $(STAMP)
	$(BIN)/python -m tests.adversarial.fuzz --seconds $(FUZZ_SECONDS) --out $(FUZZ_OUT) $(FUZZ_ARGS)

adversarial: $(STAMP)
	$(BIN)/python -m tests.adversarial.run_corpus --accord "$(BIN)/accord" --jobs $(ADVERSARIAL_JOBS) \
	  --out $(ADVERSARIAL_OUT) $(ADVERSARIAL_ARGS)

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
