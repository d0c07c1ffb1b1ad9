PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export LITELLM_LOCAL_MODEL_COST_MAP := True
export ANONYMIZED_TELEMETRY := False
export HF_HUB_OFFLINE := 1

.PHONY: install browser run ingest test test-web eval eval-retrieval bench load clean

# The venv is (re)installed when pyproject.toml changes. torch goes first, pinned to the CPU
# build on this machine kind's disk; a looser pin would pull a multi-GB CUDA build.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

## make run: install, ingest the corpus, serve on 127.0.0.1:8000
run: install
	$(BIN)/strategy-assistant ingest
	$(BIN)/strategy-assistant serve

ingest: install
	$(BIN)/strategy-assistant ingest

# The browser tests drive Debian's chromium (Playwright never downloads a browser here).
browser:
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)

## make test: install, then the whole suite (it starts its own `chroma run` server on loopback)
test: install browser
	$(BIN)/python -m pytest

test-web: install browser
	$(BIN)/python -m pytest -q tests/web

eval-retrieval: install
	$(BIN)/python -m service.evals.retrieval

eval: install
	$(BIN)/strategy-assistant eval

bench: install
	$(BIN)/python benchmarks/search_latency.py
	$(BIN)/python benchmarks/ingest_time.py
	$(BIN)/python benchmarks/ask_latency.py

## make load: the bounded load test on loopback (rising concurrency over /v1/search and /v1/ask)
load: install
	$(BIN)/python benchmarks/load_test.py

clean:
	rm -rf .data
