"""Score fusion against reciprocal-rank fusion, measured on the golden set (the claim in hybrid.py's docstring).

Run `python -m service.evals.compare_fusion [--split dev|heldout|all]` (part of `make tune`). Both are measured
on the fused order alone (the learned reranker off, it was trained on the score-fused candidates), with the
shipped weights and with equal weights, and print Recall@1/@5, MRR and reached@Nw per variant.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace

from service.evals.golden import GOLDEN_DIR, load_cases
from service.evals.retrieval import metrics, rank_cases
from service.retrieval.hybrid import FusionWeights

VARIANTS = {
    "zscore (shipped)": FusionWeights(),
    "zscore, lexical 0.45": FusionWeights(dense=0.55, lexical=0.45),
    "zscore, equal weights": FusionWeights(dense=0.5, lexical=0.5),
    "zscore, lexical 0.6": FusionWeights(dense=0.4, lexical=0.6),
    "rrf, shipped weights": FusionWeights(fusion="rrf"),
    "rrf, equal weights": FusionWeights(fusion="rrf", dense=0.5, lexical=0.5),
    "rrf, no document pull": FusionWeights(fusion="rrf", dense=0.5, lexical=0.5, document=0.0),
}


def compare(retriever, cases) -> dict[str, dict[str, float]]:
    shipped_weights, shipped_reranker = retriever.weights, retriever.reranker
    retriever.reranker = None
    try:
        results = {}
        for name, weights in VARIANTS.items():
            retriever.weights = replace(weights)
            results[name] = {k: round(v, 4) for k, v in metrics(rank_cases(retriever, cases)).items()}
        return results
    finally:
        retriever.weights, retriever.reranker = shipped_weights, shipped_reranker


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "heldout", "all"], default="dev")
    args = parser.parse_args()

    from service.container import build_services
    from service.settings import get_settings

    services = build_services(get_settings())
    services.prepare_index()
    cases = [c for c in load_cases(GOLDEN_DIR, args.split) if c.kind in ("question", "multi_doc") and c.question]
    print(json.dumps({"split": args.split, "questions": len(cases), **compare(services.retriever, cases)}, indent=2))
    services.close()


if __name__ == "__main__":
    main()
