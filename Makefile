PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export LITELLM_LOCAL_MODEL_COST_MAP := True
export ANONYMIZED_TELEMETRY := False
export HF_HUB_OFFLINE := 1

.PHONY: install browser services run ingest lint test suite test-fast test-web eval eval-retrieval tune tune-adapter tune-coverage tune-rerank tune-answer tune-embedding bench load clean

# llama-cpp-python compiles llama.cpp from source. It is built for a portable x86-64 target (AVX2, FMA,
# F16C; no -march=native, no AVX-512, no AMX): a native build picks kernels that fault on other CPUs of
# this machine kind (AMX on some Xeons) or inside a VM. pip's wheel cache is bypassed for it, or a native
# wheel built earlier would come back whatever CMAKE_ARGS says. Rebuilt only when the installed build is
# not portable (tests/llm/test_portable_build.py checks the same on every run).
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
	-DGGML_AVX512=OFF -DGGML_AVX512_VBMI=OFF -DGGML_AVX512_VNNI=OFF -DGGML_AVX512_BF16=OFF \
	-DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF
LLAMA_REQUIREMENT := $(shell sed -n 's/^ *"\(llama-cpp-python\[server\]==[^"]*\)".*/\1/p' pyproject.toml)
LLAMA_IS_PORTABLE := import llama_cpp, sys; info = llama_cpp.llama_print_system_info().decode(); \
	sys.exit(0 if "AVX2 = 1" in info and "AVX512" not in info and "AMX" not in info else 1)

# The venv is (re)installed when pyproject.toml or this file changes. torch goes first, pinned to the CPU
# build on this machine kind's disk; a looser pin would pull a multi-GB CUDA build.
$(VENV)/.installed: pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -c '$(LLAMA_IS_PORTABLE)' 2>/dev/null || CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" \
		$(BIN)/python -m pip install --quiet --no-cache-dir --no-binary llama-cpp-python --force-reinstall --no-deps "$(LLAMA_REQUIREMENT)"
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -c '$(LLAMA_IS_PORTABLE)' || (echo "llama-cpp-python is not a portable build" >&2; exit 1)
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

# The suite starts its own redis-server and PostgreSQL on loopback (tests/backing_services.py): Debian's packages.
services:
	@(command -v redis-server >/dev/null && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1) || \
		(apt-get update -qq && apt-get install -y -qq redis-server postgresql)

## make lint: ruff (lint and format), mypy and the import-layer contracts of pyproject.toml (a cycle or an upward import fails)
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy service
	$(BIN)/lint-imports

## make test: install, then lint and the whole suite (it starts its own `chroma run`, redis-server and PostgreSQL on loopback)
# Lint runs beside the suite, which keeps about one core of two busy; either failing fails make test.
test: install browser services
	@$(MAKE) --no-print-directory -j2 lint suite

# Two worker processes (pytest-xdist), whole modules each (module fixtures are set up once, and a module's
# last test may read what its earlier ones recorded), the modules that took longest last time first
# (tests/longest_first.py); each worker keeps its own corpus index under .data/. Bytecode is written even
# where the environment says PYTHONDONTWRITEBYTECODE: without it pytest rewrote the asserts of ~450 modules
# (schemathesis's own among them) in every worker on every run, 2-3 s of each worker's collection.
suite: install
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder -p tests.longest_first

## make test-fast: every test not marked slow (no embedding model, corpus index, model server, chroma run or browser)
test-fast: install
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q -m "not slow"

test-web: install browser
	$(BIN)/python -m pytest -q tests/web

eval-retrieval: install
	$(BIN)/python -m service.evals.retrieval

eval: install
	$(BIN)/strategy-assistant eval

## make tune-coverage: retrain the coverage classifier on the golden dev split (prints cross-validated errors)
tune-coverage: install
	$(BIN)/python -m service.evals.train_coverage --heldout

## make tune: reproduce every tuned number: fusion variants compared, the reranker, the answer-sentence models, the coverage classifier and the query adapter retrained
tune: install
	$(BIN)/python -m service.evals.compare_fusion --split dev
	$(BIN)/python -m service.evals.train_rerank --heldout
	$(BIN)/python -m service.evals.train_answer --heldout
	$(BIN)/python -m service.evals.train_coverage --heldout
	$(BIN)/python -m service.evals.train_adapter --heldout
	$(BIN)/python -m service.evals.train_answer --heldout --adapted

## make tune-adapter: retrain the query adapter on the golden dev split and evals/training (prints cross-validated and held-back dense retrieval)
tune-adapter: install
	$(BIN)/python -m service.evals.train_adapter --heldout

## make tune-rerank: retrain the learned reranker on the golden dev split (prints cross-validated retrieval metrics)
tune-rerank: install
	$(BIN)/python -m service.evals.train_rerank --heldout

## make tune-answer: retrain the models that pick the answering sentence, for the plain question and for the query adapter's mapped one (prints cross-validated answer metrics)
tune-answer: install
	$(BIN)/python -m service.evals.train_answer --heldout
	$(BIN)/python -m service.evals.train_answer --heldout --adapted

## make tune-embedding: fine-tune the embedding model on the dev questions (a measurement: prints dense retrieval before and after, saves the model under data_dir/models; nothing ships it)
tune-embedding: install
	$(BIN)/python -m service.evals.train_embedding --heldout

bench: install
	$(BIN)/python benchmarks/search_latency.py
	$(BIN)/python benchmarks/ingest_time.py
	$(BIN)/python benchmarks/ask_latency.py

## make load: the bounded load test on loopback (rising concurrency over /v1/search and /v1/ask)
load: install
	$(BIN)/python benchmarks/load_test.py

clean:
	rm -rf .data
