"""Evaluation against the golden sets in evals/golden/."""
