"""Ingest time of the whole corpus: cold (empty data dir), no-op (unchanged), and readyz after start.

Run: make bench   (or .venv/bin/python benchmarks/ingest_time.py)
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

from _server import CLI, running_server, wait_ready


def timed_ingest(data_dir: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [CLI, "ingest"], env={**os.environ, "STRATEGY_DATA_DIR": str(data_dir)}, check=True, capture_output=True
    )
    return time.perf_counter() - started


def main() -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    cold = timed_ingest(data_dir)
    noop = [timed_ingest(data_dir) for _ in range(3)]
    with running_server(data_dir) as (url, _):
        ready = wait_ready(url)
    print(
        json.dumps(
            {
                "cold_ingest_s (whole command, model load included)": round(cold, 2),
                "unchanged_reingest_s (whole command)": round(min(noop), 2),
                "readyz_after_start_s (ingested index)": round(ready, 2),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
