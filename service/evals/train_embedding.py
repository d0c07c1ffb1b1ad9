"""Fine-tune the embedding model on the golden set's dev questions, and measure what it changes: an experiment,
not what ships.

Run `make tune-embedding` (or `python -m service.evals.train_embedding --out DIR [--heldout]`). The packaged
all-MiniLM-L6-v2 (or STRATEGY_EMBEDDING_MODEL) is trained with in-batch negatives (the multiple-negatives ranking
loss of sentence-transformers) on (question, answering passage) pairs of the dev split of the files the coverage
classifier trains on, and saved as a sentence-transformers folder that STRATEGY_EMBEDDING_MODEL can name. It prints
dense retrieval alone (a question's embedding against each passage's, no BM25, no reranker) before and after, on
the dev questions of the files that train nothing (MEASURE_ONLY in service/evals/golden.py: other questions, though
about half are answered by a chunk some training question is answered by too; the epochs were chosen on them), and
with --heldout on the held-back split (reported, never tuned on: the one clean measure).

Why it does not ship: the coverage classifier, the reranker and the answer-sentence model read similarities, and
the classifier trains on the same questions, whose similarities the tuned model has learned (README, "Evaluation").
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from service.evals.golden import GOLDEN_DIR, MEASURE_ONLY, RetrievalCase, load_cases
from service.evals.retrieval import passage_holders


@dataclass(frozen=True)
class TuningConfig:
    """The training run's numbers, chosen on the measure-only dev questions (1-3 epochs tried: 3 best)."""

    epochs: int = 3
    learning_rate: float = 2e-5
    batch_size: int = 16
    scale: float = 20.0  # cosine similarities times this, as sentence-transformers' ranking loss does
    seed: int = 0


def asked(cases: list[RetrievalCase]) -> list[RetrievalCase]:
    """Questions asked on their own (a follow-up's meaning depends on its history) with an answering passage."""
    return [c for c in cases if c.kind in ("question", "multi_doc") and c.question and not c.history and c.supporting]


def training_pairs(cases: list[RetrievalCase], chunks) -> list[tuple[str, str]]:
    """(question, text of a chunk holding an answering passage), as the index embeds the chunk."""
    by_id = {c.id: c for c in chunks}
    pairs = []
    for case in cases:
        for holders in passage_holders(case, chunks):
            pairs += [(case.question or "", by_id[i].embedded_text) for i in sorted(holders)]
    return pairs


def dense_retrieval(model, cases: list[RetrievalCase], chunks) -> dict[str, float]:
    """Recall@1, Recall@5 and MRR of the question's embedding against every chunk's, alone."""
    if not cases:
        return {"questions": 0}
    passages = model.encode([c.embedded_text for c in chunks], normalize_embeddings=True, batch_size=32)
    questions = model.encode([c.question for c in cases], normalize_embeddings=True, batch_size=32)
    ranks = []
    for case, row in zip(cases, questions @ passages.T, strict=True):
        relevant = frozenset().union(*passage_holders(case, chunks))
        order = np.argsort(-row, kind="stable")
        ranks.append(next((k for k, i in enumerate(order) if chunks[i].id in relevant), len(order)))
    ranked = np.array(ranks)
    return {
        "questions": len(cases),
        "recall@1": round(float(np.mean(ranked < 1)), 3),
        "recall@5": round(float(np.mean(ranked < 5)), 3),
        "mrr": round(float(np.mean(1.0 / (ranked + 1))), 3),
    }


def fine_tune(model, pairs: list[tuple[str, str]], config: TuningConfig = TuningConfig()) -> None:
    """Train in place: each question against its passage, the batch's other passages as negatives."""
    import torch

    shuffler = random.Random(config.seed)
    torch.manual_seed(config.seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.learning_rate)
    order = list(pairs)

    def embed(texts: list[str]):
        return torch.nn.functional.normalize(model(model.tokenize(texts))["sentence_embedding"], dim=-1)

    for _ in range(config.epochs):
        model.train()
        shuffler.shuffle(order)
        for start in range(0, len(order), config.batch_size):
            batch = order[start : start + config.batch_size]
            logits = embed([q for q, _ in batch]) @ embed([p for _, p in batch]).T * config.scale
            # Another pair of the batch with the same question or passage is no negative: masked out.
            same = torch.tensor(
                [[i != j and (a[0] == b[0] or a[1] == b[1]) for j, b in enumerate(batch)] for i, a in enumerate(batch)]
            )
            logits = logits.masked_fill(same, float("-inf"))
            loss = torch.nn.functional.cross_entropy(logits, torch.arange(len(batch)))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    model.eval()


def main(out: Path | None, heldout: bool) -> None:
    from sentence_transformers import SentenceTransformer

    from service.container import build_services
    from service.retrieval.embedder import resolve_model_path
    from service.settings import get_settings

    settings = get_settings()
    services = build_services(settings)
    services.prepare_index()
    chunks = services.retriever.chunks
    measure_only = {c.id for name in MEASURE_ONLY for c in load_cases(GOLDEN_DIR / name, "all")}
    dev = asked(load_cases(GOLDEN_DIR, "dev"))
    train = [c for c in dev if c.id not in measure_only]
    unseen = [c for c in dev if c.id in measure_only]
    held = asked(load_cases(GOLDEN_DIR, "heldout")) if heldout else []

    model = SentenceTransformer(str(resolve_model_path(settings.embedding_model)), device="cpu")
    before = {"unseen_dev": dense_retrieval(model, unseen, chunks), "heldout": dense_retrieval(model, held, chunks)}
    pairs = training_pairs(train, chunks)
    fine_tune(model, pairs)
    after = {"unseen_dev": dense_retrieval(model, unseen, chunks), "heldout": dense_retrieval(model, held, chunks)}
    target = out or settings.data_dir / "models" / "tuned-embedding"
    model.save(str(target))
    report = {"pairs": len(pairs), "saved": str(target), "before": before, "after": after}
    print(json.dumps(report, indent=2))
    services.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="Where to save the tuned model (default: data_dir/models).")
    parser.add_argument("--heldout", action="store_true", help="Also report the held-back split (never tune on it).")
    args = parser.parse_args()
    main(args.out, args.heldout)
