"""kill -9 of the embedded model server in the middle of an answer, against a real `serve` process.

Prints, per round: the status and model of the request in flight, whether the API answered throughout,
and the seconds until the embedded model answered again. Run: `.venv/bin/python benchmarks/embedded_kill.py`.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import ROOT, running_server, wait_ready  # noqa: E402

ROUNDS = 3
QUESTION = {"question": "Explain the Jevons paradox in AI in detail, with examples.", "model": "smollm2"}


def child_pid(server_pid: int) -> int:
    """The llama_cpp.server child of the API process."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().split()
                if int(stat[3]) == server_pid and b"llama_cpp.server" in (entry / "cmdline").read_bytes():
                    return int(entry.name)
            except (OSError, IndexError, ValueError):
                continue
    raise RuntimeError("no llama_cpp.server child found")


def main() -> None:
    data_dir = Path(os.environ.get("STRATEGY_DATA_DIR", ROOT / ".data"))
    with running_server(data_dir, {"STRATEGY_LLM_MAX_TOKENS": "400"}) as (url, process):
        wait_ready(url)
        client = httpx.Client(base_url=url, timeout=180)
        deadline = time.monotonic() + 90
        while not any(m["id"] == "smollm2" and m["available"] for m in client.get("/v1/models").json()["data"]):
            assert time.monotonic() < deadline, "embedded model never became available"
            time.sleep(0.2)
        print("round | in-flight status | answered by | API up throughout | embedded back after (s)")
        for n in range(1, ROUNDS + 1):
            victim = child_pid(process.pid)
            result: dict = {}
            worker = threading.Thread(
                target=lambda result=result: result.update(r=client.post("/v1/ask", json=QUESTION))
            )
            worker.start()
            while "strategy_embedded_queue_depth 1.0" not in client.get("/metrics").text:
                time.sleep(0.02)
            time.sleep(0.5)
            os.kill(victim, signal.SIGKILL)
            killed = time.monotonic()
            up = True
            while worker.is_alive():
                up &= client.get("/healthz").status_code == 200
                time.sleep(0.1)
            response = result["r"]
            answered_by = (
                response.json().get("model") if response.status_code == 200 else response.json()["error"]["code"]
            )
            while True:
                up &= client.get("/healthz").status_code == 200
                again = client.post(
                    "/v1/ask", json={"question": "What is the Jevons paradox in AI?", "model": "smollm2"}
                )
                if again.status_code == 200 and again.json()["model"] == "smollm2":
                    break
                time.sleep(0.2)
            print(f"{n} | {response.status_code} | {answered_by} | {up} | {time.monotonic() - killed:.1f}")


if __name__ == "__main__":
    main()
