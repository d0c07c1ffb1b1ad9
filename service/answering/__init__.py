"""Grounded answers: coverage, prompts, extractive composition and citation checking."""
