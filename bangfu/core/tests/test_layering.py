"""The layers the code is built in, read from its import statements (every import, lazy ones included).

The area tree is the ground: its models and scope import nothing from the rest of the platform; so is
`exchange`, the plain-Python reading and writing of files. `core` is plumbing every app uses: it stands on
the ground only. The registry owns the values it stores and takes nothing from the apps built on it.
"""

import ast
from pathlib import Path

import bangfu

ROOT = Path(bangfu.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The bangfu modules `path` imports (`from bangfu.x import y` counts as bangfu.x and bangfu.x.y)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name == "bangfu" or name.startswith("bangfu.")}


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts or path.name == "conftest.py":
            continue
        yield _module_name(path), _imports(path)


SOURCES = dict(_sources())


def _within(name: str, *packages: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def _offending(modules, allowed):
    """For each of `modules` (exact names) that imports outside the `allowed` packages, what it imports."""
    found = {m: sorted(n for n in SOURCES[m] if not _within(n, *allowed)) for m in modules}
    return {module: names for module, names in found.items() if names}


def test_the_area_tree_is_the_ground():
    ground = ("bangfu.areas", "bangfu.areas.models", "bangfu.areas.scope", "bangfu.areas.dataset")
    # One exception: the designations file's batch model subclasses core's import batch, a model on the
    # ground itself (core/batches.py imports nothing above it; its audited steps are audit's).
    assert _offending(ground, ("bangfu.areas", "bangfu.core.batches")) == {}
    assert _offending(["bangfu.core.batches"], ("bangfu.areas.scope", "bangfu.core", "bangfu.exchange")) == {}


def test_exchange_is_ground_too():
    assert _offending([m for m in SOURCES if _within(m, "bangfu.exchange")], ("bangfu.exchange",)) == {}


def test_core_stands_on_the_ground_only():
    # The `bangfu demo` and `bangfu serve` commands start the whole platform: entry points, not plumbing.
    plumbing = [m for m in SOURCES if _within(m, "bangfu.core") and ".management." not in m]
    assert _offending(plumbing, ("bangfu.core", "bangfu.areas", "bangfu.exchange")) == {}


def test_the_registry_takes_nothing_from_the_apps_built_on_it():
    # Comparison, jobs, matching and referrals read and write the registry; the registry owns its values
    # and does not dispatch their work (`bangfu import` is core's, each app registers its importer).
    below = (
        "bangfu.registry",
        "bangfu.areas",
        "bangfu.accounts",
        "bangfu.audit",
        "bangfu.core",
        "bangfu.exchange",
        "bangfu.exports",
    )
    assert _offending([m for m in SOURCES if _within(m, "bangfu.registry")], below) == {}


def test_exports_are_plumbing_below_the_registry():
    # Every app's exports run through `exports` (each registers its kinds), so it imports none of them.
    below = (
        "bangfu.exports",
        "bangfu.areas",
        "bangfu.accounts",
        "bangfu.audit",
        "bangfu.core",
        "bangfu.exchange",
    )
    assert _offending([m for m in SOURCES if _within(m, "bangfu.exports")], below) == {}


def test_the_rules_see_every_module():
    # The walk above must not miss the modules it judges (a renamed folder would make every rule pass).
    assert {"bangfu.areas.scope", "bangfu.core.api", "bangfu.registry.forms"} <= set(SOURCES)
