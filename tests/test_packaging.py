"""A non-editable install works: the wheel carries every file the service reads, and the installed package
finds its prompts and model catalog from anywhere (not only from a checkout)."""

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from service.settings import PROJECT_ROOT

pytestmark = pytest.mark.slow  # builds a wheel (about 10 s)


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """A copy of the sources, so the build leaves nothing in the work tree."""
    source = tmp_path_factory.mktemp("source")
    shutil.copy(PROJECT_ROOT / "pyproject.toml", source)
    shutil.copy(PROJECT_ROOT / "README.md", source)
    shutil.copytree(PROJECT_ROOT / "service", source / "service", ignore=shutil.ignore_patterns("__pycache__"))
    return source


@pytest.fixture(scope="module")
def wheel(source, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(source),
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--disable-pip-version-check",
            "--quiet",
            "-w",
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("strategy_assistant-*.whl")
    return built


def test_the_wheel_holds_every_file_of_the_package(source, wheel):
    shipped = set(zipfile.ZipFile(wheel).namelist())
    files = {p.relative_to(source).as_posix() for p in (source / "service").rglob("*") if p.is_file()}
    assert {"service/prompts/answer_system.j2", "service/llm/models.yaml"} <= files
    assert files - shipped == set(), "add the missing files to [tool.setuptools.package-data] in pyproject.toml"


def test_the_installed_package_finds_its_prompts_and_model_catalog(wheel, tmp_path):
    target, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "--disable-pip-version-check",
            "--quiet",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    probe = (
        "import json, service\n"
        "from service.answering.prompts import PromptLibrary, PROMPTS_DIR\n"
        "from service.llm.catalog import load_catalog\n"
        "from service.settings import Settings\n"
        "prompts = PromptLibrary()\n"
        "catalog = load_catalog(Settings().models_file)\n"
        "print(json.dumps({'package': service.__file__, 'prompts': str(PROMPTS_DIR), 'models_file': str(Settings().models_file),\n"
        "                  'refusal': prompts.render('refusal', nearest=[], instructions_only=False, needs_topic=False),\n"
        "                  'aliases': catalog.aliases}))\n"
    )
    # The venv's own dependencies, but this package only from the install target (the checkout is not on the path).
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=elsewhere,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    for key in ("package", "prompts", "models_file"):
        assert Path(found[key]).is_relative_to(target), (key, found[key])
    assert found["refusal"] and "extractive" in found["aliases"] and "smollm2" in found["aliases"]
