"""LiteLLM is imported on the first model call: the offline default (extractive) serves without it."""

import json
import os
import subprocess
import sys

CODE = """
import json, sys
from service.app import create_app
from service.settings import get_settings
app = create_app(get_settings())
before = "litellm" in sys.modules
router = app.state.services.gateway.router
print(json.dumps({"before": before, "after": "litellm" in sys.modules, "router": type(router).__name__}))
"""


def test_building_the_app_imports_no_litellm_and_the_router_loads_it_on_first_use(tmp_path):
    env = {**os.environ, "STRATEGY_DATA_DIR": str(tmp_path), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {"before": False, "after": True, "router": "Router"}
