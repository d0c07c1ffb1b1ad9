"""Two `serve` replicas over one `chroma run`, one Redis and one PostgreSQL: one truth for both.

The rate limit holds across them, a signal written through one is read through the other, a key created
or revoked with the CLI is honoured by both within 2 s, a Slack retry delivered to the second is answered
once; Redis and PostgreSQL stopped and started again mid-test are survived without restarting the API,
and a kill -9 of a replica during writes loses no acknowledged row.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from service.container import build_services
from service.security.keys import KeyStore
from service.settings import Settings
from service.storage.database import Database
from tests.backing_services import free_port
from tests.slack.conftest import BOT_TOKEN, CHANNEL, SIGNING_SECRET, event_body, mention, sign
from tests.slack.fake_slack import FakeSlack

pytestmark = pytest.mark.slow
CLI = str(Path(sys.executable).parent / "strategy-assistant")
RATE_LIMIT = 30


class Replica:
    def __init__(self, name: str, folder: Path, env: dict):
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = folder / f"{name}.log"
        data_dir = folder / f"{name}-data"  # its own: whatever they share goes through Redis and PostgreSQL
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [CLI, "serve", "--port", str(self.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**env, "STRATEGY_DATA_DIR": str(data_dir)},
            )
        self.client = httpx.Client(base_url=self.url, timeout=30, trust_env=False)

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"{self.name} exited; see {self.log_path}"
            try:
                if self.client.get("/readyz").status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)  # each poll is a request the loading replica serves: not much faster than this
        raise AssertionError(f"{self.name} not ready: see {self.log_path}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        self.client.close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def bearer(secret: str) -> dict:
    return {"authorization": f"Bearer {secret}"}


def until(condition, timeout: float, step: float = 0.05) -> float:
    """Seconds until condition() held; fails after timeout."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < timeout, f"not within {timeout} s"
        time.sleep(step)
    return time.monotonic() - start


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, chroma_server, redis_server, postgres_server, embedder):
    folder = tmp_path_factory.mktemp("replicas")
    corpus = folder / "corpus"
    corpus.mkdir()
    for name, title, body in (
        (
            "jevons.md",
            "The Jevons Paradox in AI",
            "Cheaper tokens increase total consumption: when prices fell tenfold, usage rose a hundredfold.",
        ),
        (
            "growth.md",
            "Blitzscaling Basics",
            "## The Death Zone\n\nCompanies with a middling number of GPUs face extinction.",
        ),
    ):
        (corpus / name).write_text(f'---\ntitle: "{title}"\nkind: essay\n---\n# {title}\n\n{body}\n', encoding="utf-8")
    redis_server.flush()
    database_url = postgres_server.create_database()
    prefix = f"replicas{os.getpid()}"
    settings = Settings(
        corpus_dir=corpus, data_dir=folder / "ingest", chroma_url=chroma_server, collection_prefix=prefix
    )
    build_services(settings, embedder=embedder).indexer.ingest()  # the one-off ingest job; replicas only read
    env = {
        **os.environ,
        "STRATEGY_CORPUS_DIR": str(corpus),
        "STRATEGY_CHROMA_URL": chroma_server,
        "STRATEGY_COLLECTION_PREFIX": prefix,
        "STRATEGY_REDIS_URL": redis_server.url,
        "STRATEGY_DATABASE_URL": database_url,
        "STRATEGY_RATE_LIMIT": f"{RATE_LIMIT}/minute",
        "STRATEGY_INGEST_ON_START": "false",
        "STRATEGY_EMBEDDED_PRELOAD": "false",
        "STRATEGY_LOG_FORMAT": "text",
        "OMP_NUM_THREADS": "1",
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
    }
    with FakeSlack() as slack:
        env["STRATEGY_SLACK_API_URL"] = slack.api_url
        replicas = [Replica(name, folder, env) for name in ("a", "b")]
        try:
            for replica in replicas:
                replica.wait_ready()
            yield {
                "a": replicas[0],
                "b": replicas[1],
                "env": env,
                "slack": slack,
                "keys": KeyStore(Database(database_url)),
                "database_url": database_url,
            }
        finally:
            for replica in replicas:
                replica.stop()


def test_the_rate_limit_holds_across_both_replicas(cluster):
    a, b = cluster["a"], cluster["b"]
    codes = [
        replica.client.get("/v1/currents").status_code for _ in range(20) for replica in (a, b)
    ]  # keyless, loopback
    assert codes.count(200) == RATE_LIMIT and codes.count(429) == 40 - RATE_LIMIT
    limited = b.client.get("/v1/currents")
    assert (
        limited.status_code == 429
        and limited.json()["error"]["code"] == "rate_limited"
        and int(limited.headers["retry-after"]) >= 1
    )


def test_a_key_created_and_revoked_with_the_cli_is_honoured_by_both_within_2_s(cluster):
    a, b, env = cluster["a"], cluster["b"], cluster["env"]
    cluster["keys"].create("stays")  # so that keys exist throughout, whatever this test revokes
    created = subprocess.run(
        [CLI, "keys", "create", "--name", "replicas"], env=env, capture_output=True, text=True, timeout=60
    )
    assert created.returncode == 0, created.stderr
    secret = created.stdout.strip()
    for replica in (a, b):
        assert until(lambda r=replica: r.client.get("/v1/currents", headers=bearer(secret)).status_code == 200, 2) < 2
        assert replica.client.get("/v1/currents").status_code == 401
    revoked = subprocess.run(
        [CLI, "keys", "revoke", secret.split("_")[1]], env=env, capture_output=True, text=True, timeout=60
    )
    assert revoked.returncode == 0, revoked.stderr
    for replica in (a, b):
        assert until(lambda r=replica: r.client.get("/v1/currents", headers=bearer(secret)).status_code == 401, 2) < 2


def test_a_signal_written_through_one_is_read_through_the_other(cluster):
    _, secret = cluster["keys"].create("signals")
    text = "A new sovereign-AI regulation requires on-shore inference for banks"
    written = cluster["a"].client.post(
        "/v1/signals", json={"text": text, "observed_on": "2026-01-15"}, headers=bearer(secret)
    )
    assert written.status_code == 201, written.text
    read = cluster["b"].client.get("/v1/signals", headers=bearer(secret)).json()
    assert [s for s in read["signals"] if s["id"] == written.json()["id"]][0]["text"] == text


def test_a_slack_retry_delivered_to_the_second_replica_after_the_first_answered_is_answered_once(cluster):
    slack = cluster["slack"]
    slack.reset()
    ts = f"{int(time.time())}.000100"
    body = json.dumps(event_body(mention("What is the Jevons paradox in AI?", ts), "Ev-replicas-1")).encode()
    first = cluster["a"].client.post(
        "/slack/events", content=body, headers={**sign(body), "content-type": "application/json"}
    )
    assert first.status_code == 200
    [answer] = slack.wait_for("chat.postMessage")
    assert answer["channel"] == CHANNEL and answer["thread_ts"] == ts
    retry_headers = {
        **sign(body),
        "content-type": "application/json",
        "x-slack-retry-num": "1",
        "x-slack-retry-reason": "http_timeout",
    }
    retry = cluster["b"].client.post("/slack/events", content=body, headers=retry_headers)
    assert retry.status_code == 200 and retry.headers.get("x-slack-no-retry") == "1"
    # No second answer can be on its way, so none is waited for: b acknowledged the retry from its duplicate
    # check, which returns before any listener starts (it alone sets x-slack-no-retry, and logs this line
    # before it does), and a's one listener ended with the one post above.
    assert "slack: event Ev-replicas-1 already handled (retry 1)" in cluster["b"].log()
    assert len(slack.calls_to("chat.postMessage")) == 1


def test_redis_stopped_and_started_again_mid_test(cluster, redis_server):
    a, b = cluster["a"], cluster["b"]
    _, during = cluster["keys"].create("during-redis-outage")
    redis_server.stop()
    try:
        for replica in (a, b):  # served, counted in each process's memory
            assert all(replica.client.get("/v1/currents", headers=bearer(during)).status_code == 200 for _ in range(3))
            assert (
                replica.client.post("/v1/search", json={"query": "Jevons"}, headers=bearer(during)).status_code == 200
            )
            assert "cannot be reached" in replica.log()
    finally:
        redis_server.start()
    # Each replica tries Redis again a second after its last failure, on a request: probe (under a key of its
    # own, so the count below starts at zero) until both say Redis answers again.
    _, probe = cluster["keys"].create("probe-redis-outage")

    def shared_again(replica: Replica) -> bool:
        replica.client.get("/v1/currents", headers=bearer(probe))
        return "answers again" in replica.log()

    for replica in (a, b):
        until(lambda r=replica: shared_again(r), 10, step=0.1)
    _, after = cluster["keys"].create("after-redis-outage")
    codes = [
        replica.client.get("/v1/currents", headers=bearer(after)).status_code for _ in range(20) for replica in (a, b)
    ]
    assert codes.count(200) == RATE_LIMIT  # shared again, without restarting either replica
    assert all("answers again" in replica.log() for replica in (a, b))


def test_postgres_stopped_and_started_again_mid_test(cluster, postgres_server):
    a, b = cluster["a"], cluster["b"]
    _, secret = cluster["keys"].create("during-database-outage")
    for replica in (a, b):  # each replica has verified the key once
        assert replica.client.get("/v1/currents", headers=bearer(secret)).status_code == 200
    postgres_server.stop()
    try:
        for replica in (a, b):
            ready = replica.client.get("/readyz")
            assert ready.status_code == 503 and ready.json()["error"]["code"] == "database_unavailable"
            assert "cannot be reached" in ready.json()["error"]["message"]
            search = replica.client.post(
                "/v1/search", json={"query": "What did usage do when prices fell?"}, headers=bearer(secret)
            )
            assert search.status_code == 200 and search.json()["results"][0]["document"]["id"] == "jevons"
            ask = replica.client.post(
                "/v1/ask",
                json={"question": "What is the Jevons paradox in AI?", "model": "extractive"},
                headers=bearer(secret),
            )
            assert ask.status_code == 200 and ask.json()["model"] == "extractive"
            write = replica.client.post(
                "/v1/signals", json={"text": "Token prices fall tenfold again"}, headers=bearer(secret)
            )
            assert write.status_code == 503 and write.json()["error"]["code"] == "database_unavailable"
            assert int(write.headers["retry-after"]) > 0
    finally:
        postgres_server.start()
    for replica in (a, b):
        until(lambda r=replica: r.client.get("/readyz").status_code == 200, 15, step=0.2)
        write = replica.client.post(
            "/v1/signals", json={"text": "Token prices fall tenfold again"}, headers=bearer(secret)
        )
        assert write.status_code == 201


def test_a_kill_9_of_a_replica_during_writes_loses_no_acknowledged_row(cluster):
    a, b = cluster["a"], cluster["b"]
    acknowledged: list[int] = []
    lock = threading.Lock()
    stop = threading.Event()

    def write(replica: Replica, worker: int) -> None:
        _, secret = cluster["keys"].create(f"writer-{replica.name}-{worker}")
        with httpx.Client(base_url=replica.url, timeout=10, trust_env=False) as client:
            for n in range(RATE_LIMIT - 2):
                if stop.is_set():
                    return
                try:
                    response = client.post(
                        "/v1/signals", json={"text": f"kill test {replica.name}{worker} #{n}"}, headers=bearer(secret)
                    )
                except httpx.HTTPError:
                    continue  # the killed replica: nothing was acknowledged
                if response.status_code == 201:
                    with lock:
                        acknowledged.append(response.json()["id"])

    writers = [threading.Thread(target=write, args=(replica, w)) for replica in (a, b) for w in range(2)]
    for writer in writers:
        writer.start()
    until(lambda: len(acknowledged) >= 10, 30)
    a.process.kill()  # SIGKILL, mid-write
    a.process.wait(timeout=10)
    for writer in writers:
        writer.join(timeout=60)
    stop.set()
    with Database(cluster["database_url"]).connect() as connection:
        from service.storage.tables import signals

        stored = {row.id: row for row in connection.execute(signals.select().where(signals.c.text.like("kill test %")))}
    assert len(acknowledged) >= 10 and set(acknowledged) <= set(stored)  # every acknowledged row is there
    assert all(isinstance(json.loads(row.matches), list) for row in stored.values())  # and none is half-written
    assert b.client.get("/readyz").status_code == 200
