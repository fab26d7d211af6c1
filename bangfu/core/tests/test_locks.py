"""The two lock files: requirements.lock holds what the platform runs on (a server and `./dev demo` install
only it), requirements-test.lock the test tools on top of it; `./dev test` installs both."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def pins(name: str) -> dict[str, str]:
    text = (ROOT / name).read_text()
    return {m[1].lower(): m[2] for m in re.finditer(r"^([A-Za-z0-9_.-]+)==(\S+)", text, re.M)}


def names(requirements: list[str]) -> set[str]:
    return {re.match(r"[A-Za-z0-9_.-]+", r)[0].lower() for r in requirements}


def test_the_runtime_lock_holds_no_test_tools_and_the_test_lock_holds_them():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    runtime, test = pins("requirements.lock"), pins("requirements-test.lock")
    assert names(project["project"]["dependencies"]) <= runtime.keys()
    assert names(project["build-system"]["requires"]) <= runtime.keys()  # pip install --no-build-isolation .
    extras = names(project["project"]["optional-dependencies"]["test"])
    tools = {"pytest", "pytest-django", "playwright", "pyspark", "hypothesis", "ruff"}
    assert tools <= extras and tools <= test.keys()
    assert not tools & runtime.keys()
    # A test extra the runtime needs anyway (jsonschema, through drf-spectacular) is pinned there once.
    assert extras <= test.keys() | runtime.keys()
    assert not runtime.keys() & test.keys()  # each package pinned once: the two install side by side
