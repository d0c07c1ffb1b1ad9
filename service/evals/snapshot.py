"""Every labelled answer at once, and what a change did to them: the check each answering change is made with.

`python -m service.evals.snapshot write OUT.json` asks every question of the labelled sets a change may be chosen on
(golden dev, evals/training, every evals/fresh round; never golden heldout) with the offline default and writes each
answer with its scores (key facts, answering passage cited, supported). `python -m service.evals.snapshot diff
BEFORE.json AFTER.json` prints every answer that changed: for a read set its question and both answers, for the
fresh rounds' held-back halves (HELD_BACK_FRESH) only its id and how its scores moved, so that no change is chosen on
their text. A rule is kept when the diff shows the kind of message it was written for mended and nothing else lost.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

from service.evals.answers import score_answer
from service.evals.golden import ASKED_KINDS, FRESH_DIR, GOLDEN_DIR, TRAINING_DIR, RetrievalCase, load_cases

#: The fresh rounds' second halves, held back: never read case by case, no change chosen on them.
HELD_BACK_FRESH = ("tzb", "tfb", "tgb", "thb")
#: How much of each answer a diff shows.
SHOWN_CHARS = 600


def labelled_sets() -> Iterator[tuple[str, list[RetrievalCase]]]:
    """(name, cases) of every set a change may be checked on: golden dev, each training and each fresh file."""
    yield "golden", load_cases(GOLDEN_DIR, "dev")
    for folder in (TRAINING_DIR, FRESH_DIR):
        for path in sorted(folder.glob("*.yaml")):
            yield path.stem, load_cases(path)


async def answers(services, sets: Iterator[tuple[str, list[RetrievalCase]]], model: str = "extractive") -> dict:
    """Each asked case's scored answer, keyed "set/id", with the whole answer and the turns before it."""
    chunk_text = {c.id: c.text for c in services.retriever.chunks}
    chunk_section = {c.id: c.section_path for c in services.retriever.chunks}
    written = {}
    for name, cases in sets:
        for case in cases:
            if case.kind not in ASKED_KINDS or not case.question:
                continue
            answer = (await services.answers.ask(case.question, model, history=case.history_messages)).model_dump(
                mode="json"
            )
            outcome = score_answer(case, answer, chunk_text, chunk_section)
            outcome["answer"] = answer.get("answer", "")
            outcome["history"] = [turn.content for turn in case.history]
            written[f"{name}/{case.id}"] = outcome
    return written


def held_back(key: str) -> bool:
    return key.split("/", 1)[0] in HELD_BACK_FRESH


def changes(before: dict, after: dict) -> list[str]:
    """The lines a diff prints: for each answer whose text, support or citations changed, its id and how its scores
    moved, then, for a read set only, the conversation and both answers; last, how many changed."""
    lines = []
    changed = 0
    for key, old in before.items():
        new = after.get(key)
        if new is None or all(old.get(k) == new.get(k) for k in ("answer", "supported", "cited")):
            continue
        changed += 1
        moved = ", ".join(
            f"{metric} {old.get(metric)} -> {new.get(metric)}"
            for metric in ("key_fact_recall", "passage_cited", "supported")
            if metric in old or metric in new
        )
        lines.append(f"## {key} ({'must refuse' if old.get('must_refuse') else 'in scope'}): {moved}")
        if held_back(key):
            continue
        lines.append("  asked: " + " || ".join([*old.get("history", []), old.get("question", "")]))
        for label, outcome in (("before", old), ("after", new)):
            lines.append(f"  {label}: " + outcome.get("answer", "")[:SHOWN_CHARS].replace("\n", " / "))
    lines.append(f"{changed} of {len(before)} answers changed")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    write = commands.add_parser("write", help="answer every labelled set and write the answers")
    write.add_argument("out", type=Path)
    diff = commands.add_parser("diff", help="print the answers that changed between two writes")
    diff.add_argument("before", type=Path)
    diff.add_argument("after", type=Path)
    arguments = parser.parse_args()
    if arguments.command == "diff":
        before, after = (json.loads(p.read_text(encoding="utf-8")) for p in (arguments.before, arguments.after))
        print("\n".join(changes(before, after)))
        return
    from service.evals.runner import isolated_services
    from service.settings import get_settings

    # no query cache: every question is answered as a first-time one
    services = isolated_services(get_settings().model_copy(update={"query_cache_size": 0}), ["extractive"])
    try:
        services.prepare_index()
        written = asyncio.run(answers(services, labelled_sets()))
    finally:
        services.close()
    arguments.out.write_text(json.dumps(written, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"{len(written)} answers written to {arguments.out}")


if __name__ == "__main__":
    main()
