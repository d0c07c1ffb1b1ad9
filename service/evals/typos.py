"""How the extractive answers hold up when a question has a typo: a measurement, run by hand.

Run `python -m service.evals.typos --split dev` (add `--no-spelling` for the same run without the typo corrector of
service/answering/spelling.py). Every golden question asked on its own (no history) gets one typo, the same each run:
two neighbouring letters swapped inside one of its lower-case words of MIN_LETTERS letters or more, chosen with a
fixed seed. It prints, for the in-scope questions, the share answered and the share whose first citation is in a
document the case names; for the out-of-scope ones, the share answered (wrongly); and the questions as written that
the corrector changes (a word it took for a typo that is none shows there).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
from dataclasses import dataclass

from service.evals.golden import GOLDEN_DIR, RetrievalCase, Split, load_cases

#: Words shorter than this are left alone: a swap in a short word makes another word as often as a typo.
MIN_LETTERS = 6
_WORD = re.compile(rf"\b[a-z]{{{MIN_LETTERS},}}\b")


def with_typo(question: str, rng: random.Random) -> str | None:
    """The question with two neighbouring inner letters of one of its long lower-case words swapped; None if it has
    no such word."""
    words = list(_WORD.finditer(question))
    if not words:
        return None
    word = rng.choice(words)
    text = word.group(0)
    places = [i for i in range(1, len(text) - 2) if text[i] != text[i + 1]]  # a swap of like letters changes nothing
    if not places:
        return None
    i = rng.choice(places)
    swapped = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return question[: word.start()] + swapped + question[word.end() :]


@dataclass
class Tally:
    asked: int = 0
    answered: int = 0
    cited: int = 0  # the first citation is in a document the case names

    def line(self, what: str, *, cited: bool = True) -> str:
        n = max(1, self.asked)
        right = f", first citation right {self.cited / n:.3f}" if cited else ""
        return f"{what}: {self.asked} questions, answered {self.answered / n:.3f}{right}"


async def measure(services, cases: list[RetrievalCase], seed: int = 0) -> tuple[Tally, Tally]:
    """(in scope, out of scope) tallies of the typo'd questions' extractive answers."""
    rng = random.Random(seed)
    in_scope, out_of_scope = Tally(), Tally()
    for case in cases:
        if case.history or not case.question or case.kind not in ("question", "out_of_scope"):
            continue
        question = with_typo(case.question, rng)
        if question is None:
            continue
        answer = await services.answers.ask(question, "extractive")
        tally = out_of_scope if case.must_refuse else in_scope
        tally.asked += 1
        tally.answered += answer.supported
        documents = {p.document for p in case.passages} | ({case.document} if case.document else set())
        tally.cited += bool(answer.citations) and answer.citations[0].document.id in documents
    return in_scope, out_of_scope


def changed_as_written(speller, cases: list[RetrievalCase]) -> list[tuple[str, str]]:
    """The golden questions, spelled as written, that the corrector changes: (as written, as corrected). Each is a
    word it took for a typo that is none, or a typo the case has."""
    return [
        (case.question, corrected)
        for case in cases
        if case.question and (corrected := speller.corrected(case.question)) != case.question
    ]


def main(split: Split, spelling: bool) -> None:
    from service.evals.runner import isolated_services
    from service.settings import get_settings

    if not spelling:
        from service.answering import spelling as module

        module.Speller.corrected = lambda self, text: text  # type: ignore[method-assign]
    services = isolated_services(get_settings(), ["extractive"])
    services.prepare_index()
    cases = load_cases(GOLDEN_DIR, split)
    in_scope, out_of_scope = asyncio.run(measure(services, cases))
    label = "with" if spelling else "without"
    print(f"{split} split, {label} the typo corrector")
    print(in_scope.line("in scope"))
    print(out_of_scope.line("out of scope", cited=False))
    if spelling:
        changed = changed_as_written(services.answers._speller(), cases)
        print(f"questions as written that the corrector changes: {len(changed)} of {len(cases)}")
        for written, corrected in changed:
            print(f"  {written!r} -> {corrected!r}")
    services.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "heldout", "all"], default="dev")
    parser.add_argument("--no-spelling", action="store_true", help="without the typo corrector, to compare")
    arguments = parser.parse_args()
    main(arguments.split, not arguments.no_spelling)
