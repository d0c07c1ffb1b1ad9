"""Keeping people out: API keys, rate limits and request limits."""
