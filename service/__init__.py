"""strategy-assistant: grounded answers over a fixed corpus of AI-strategy writing."""

__version__ = "0.1.0"
