"""The one LLM layer: every model call goes through LiteLLM's Router."""

import os

# Must be set before litellm is imported: no price-map fetch, no telemetry, offline by default.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("LITELLM_TELEMETRY", "False")
