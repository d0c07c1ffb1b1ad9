"""The signal watch measured on news_lines.yaml: is a paraphrased news line matched to its trigger first?

`python -m tests.scenarios.signal_watch` prints the table behind MatchConfig's defaults (tuned and
held-out lines per current, and the best score any unrelated line reaches).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

NEWS_LINES = Path(__file__).with_name("news_lines.yaml")


@dataclass(frozen=True)
class NewsLine:
    text: str
    current: str | None = None
    trigger: str | None = None
    held_out: bool = False


def load_news_lines(path: Path = NEWS_LINES) -> tuple[list[NewsLine], list[NewsLine]]:
    """(paraphrases of a trigger, unrelated news)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [NewsLine(**line) for line in data["lines"]], [NewsLine(**line) for line in data["unrelated"]]


def is_hit(matcher, line: NewsLine) -> bool:
    """The line matches (above the threshold) and its first match is the expected trigger."""
    matches = matcher.match(line.text)
    return bool(matches) and matches[0].trigger.current == line.current and line.trigger in matches[0].trigger.signal


def measure(matcher) -> dict:
    """Hits per part ("tuned", "held_out") and per current, and the unrelated lines that matched anything."""
    lines, unrelated = load_news_lines()
    totals, hits = Counter(), Counter()
    for line in lines:
        part = "held_out" if line.held_out else "tuned"
        hit = is_hit(matcher, line)
        for key in (part, (part, line.current)):
            totals[key] += 1
            hits[key] += hit
    return {
        "totals": totals,
        "hits": hits,
        "unrelated_matched": [line.text for line in unrelated if matcher.match(line.text)],
        "unrelated_best_score": max(matcher.scores(line.text)[0].score for line in unrelated),
    }


def main() -> None:
    import os
    import tempfile

    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    from service.container import build_services
    from service.settings import PROJECT_ROOT, Settings

    # The index the test suite keeps between runs (tests/conftest.py: corpus_services), built there if missing.
    kept = PROJECT_ROOT / ".data" / "test-corpus-index"
    kept.mkdir(parents=True, exist_ok=True)
    data_dir = Path(tempfile.mkdtemp(prefix="signal-watch-"))
    (data_dir / "chroma").symlink_to(kept, target_is_directory=True)
    services = build_services(Settings(corpus_dir=PROJECT_ROOT / "corpus", data_dir=data_dir, embedded_preload=False))
    services.prepare_index()
    currents, matcher = services.scenarios._state()
    result = measure(matcher)
    totals, hits = result["totals"], result["hits"]
    print(f"{'current':<24} {'tuned':>7} {'held out':>9}")
    for current in currents:
        print(
            f"{current.name:<24} {hits['tuned', current.name]:>3}/{totals['tuned', current.name]:<3} {hits['held_out', current.name]:>4}/{totals['held_out', current.name]:<3}"
        )
    print(f"{'all':<24} {hits['tuned']:>3}/{totals['tuned']:<3} {hits['held_out']:>4}/{totals['held_out']:<3}")
    print(
        f"threshold {matcher.config.threshold}; best unrelated score {result['unrelated_best_score']:.3f}; unrelated matched: {result['unrelated_matched'] or 'none'}"
    )


if __name__ == "__main__":
    main()
