"""Optional LLM-as-judge: faithfulness and correctness graded by a model named on the command line.

Model-graded scores are marked as such in the report; the deterministic metrics stay the gate."""

from __future__ import annotations

import json
import re

from service.evals.golden import RetrievalCase

PROMPT = """You grade an answer produced by a retrieval assistant.
Question: {question}
Reference passages (ground truth): {passages}
Key facts a correct answer contains: {facts}
Answer to grade: <<<{answer}>>>
Quotes the answer cites: {quotes}
Rate two things from 1 (bad) to 5 (perfect):
- faithfulness: every claim in the answer is supported by the cited quotes
- correctness: the answer answers the question consistently with the reference passages
Reply with JSON only: {{"faithfulness": n, "correctness": n}}"""


async def judge_answer(gateway, judge_model: str, case: RetrievalCase, answer: dict) -> dict | None:
    prompt = PROMPT.format(
        question=case.question,
        passages=json.dumps([p.passage for p in case.supporting], ensure_ascii=False),
        facts=json.dumps(case.key_facts, ensure_ascii=False),
        answer=answer.get("answer", ""),
        quotes=json.dumps([c["quote"] for c in answer.get("citations", [])], ensure_ascii=False),
    )
    completion = await gateway.complete(judge_model, [{"role": "user", "content": prompt}])
    match = re.search(r"\{.*?\}", completion.text, re.DOTALL)
    try:
        grades = json.loads(match.group(0)) if match else {}
        return {k: (float(grades[k]) - 1) / 4 for k in ("faithfulness", "correctness")}
    except (ValueError, KeyError, TypeError):
        return None
