"""The layout the README draws holds: imports point down the layers, never up and never in
a circle, so every change has one obvious room."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What each part must not import (prefixes of module names).
FORBIDDEN = {
    "models": ["slackapp"],
    # Services are the app's acts, whoever asks (a listener, the weekly run, the CLI): they
    # know no Slack.
    "models.services": ["slack_sdk", "slack_bolt"],
    "models.domain": ["models.store", "models.services", "sqlalchemy", "sqlmodel"],
    "models.store": ["models.services"],
    "slackapp.render": [
        "slackapp.slack",
        "slackapp.weekly",
        "slackapp.app",
        "slackapp.web",
        "models.store",
    ],
    "slackapp.slack": [
        "slackapp.weekly",
        "slackapp.app",
        "slackapp.web",
        "slackapp.cli",
        "slackapp.admin",
    ],
    # The Slack side's rooms: readers are pure; calls out to Slack know no request; the
    # pipeline knows no listener; listeners don't import each other (``routes`` lists them).
    "slackapp.slack.readers": [
        f"slackapp.slack.{room}"
        for room in ("pipeline", "listeners", "calls", "routes", "bolt_app")
    ],
    "slackapp.slack.calls": [
        f"slackapp.slack.{room}"
        for room in ("pipeline", "listeners", "readers", "routes", "bolt_app")
    ],
    "slackapp.slack.pipeline": [
        f"slackapp.slack.{room}" for room in ("listeners", "routes", "bolt_app")
    ],
    "slackapp.slack.listeners": [
        f"slackapp.slack.{room}" for room in ("listeners", "routes", "bolt_app")
    ],
    "slackapp.weekly": ["slackapp.app", "slackapp.web", "slackapp.cli", "slackapp.admin"],
    # Reading pictures knows nothing of Slack, of words or of the store.
    "slackapp.ocr": ["slackapp.slack", "slackapp.render", "slackapp.weekly", "models.store"],
    # Metrics are a leaf: everything may count into them, they know nothing of the app.
    "slackapp.metrics": [
        "models",
        *(
            f"slackapp.{part}"
            for part in ("slack", "render", "weekly", "ocr", "app", "web", "cli", "admin")
        ),
    ],
    "slackapp.app": ["slackapp.cli", "slackapp.admin", "slackapp.devtools"],
    "slackapp.web": ["slackapp.cli", "slackapp.admin", "slackapp.devtools"],
}


def _modules() -> dict[str, Path]:
    found = {}
    for package in ("models", "slackapp"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def _imports(path: Path, *, top_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text())
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    names = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


@pytest.mark.parametrize("part", sorted(FORBIDDEN))
def test_no_part_imports_upward(part: str) -> None:
    wrong = []
    for name, path in _modules().items():
        if not _within(name, part):
            continue
        for imported in _imports(path, top_level_only=False):
            wrong += [f"{name} imports {imported}" for f in FORBIDDEN[part] if _within(imported, f)]
    assert not wrong


# What of the store the weekly run and the CLI may touch themselves; everything else they
# read and write goes through ``models.services``. The run drives the exactly-once machinery
# (the post ledger, workspace leases, the database's clock) itself: it is the protocol of
# sending, not an act. The CLI makes engines and runs migrations.
STORE_ALLOWED = {
    "slackapp.weekly": (
        "models.store.weekly.ledger",
        "models.store.weekly.leases",
        "models.store.weekly.database_clock",
    ),
    "slackapp.cli": ("models.store.db", "models.store.migrate"),
    "slackapp.admin": ("models.store.db", "models.store.installations"),
    "slackapp.startup": ("models.store.db", "models.store.migrate"),
}


@pytest.mark.parametrize("part", sorted(STORE_ALLOWED))
def test_the_weekly_run_and_the_cli_use_the_services(part: str) -> None:
    allowed = STORE_ALLOWED[part]
    wrong = [
        f"{name} imports {imported}"
        for name, path in _modules().items()
        if _within(name, part)
        for imported in _imports(path, top_level_only=False)
        if _within(imported, "models.store")
        and not any(_within(imported, a) or _within(a, imported) for a in allowed)
    ]
    assert not wrong


def test_no_import_cycles() -> None:
    modules = _modules()
    graph = {
        name: {i for i in _imports(path, top_level_only=True) if i in modules and i != name}
        for name, path in modules.items()
    }
    state: dict[str, int] = {}  # 1: on the path, 2: done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                raise AssertionError(" -> ".join([*path, name, target]))
            if target not in state:
                visit(target, [*path, name])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])


def test_files_stay_small() -> None:
    """No module over 300 lines (migrations aside): past that, a module holds more than one
    idea and a newcomer reads it twice."""
    sizes = {n: len(p.read_text().splitlines()) for n, p in _modules().items()}
    assert {n: size for n, size in sizes.items() if size > 300} == {}


def test_folders_stay_small() -> None:
    """No folder of more than twelve modules side by side: past that, a folder wants rooms."""
    counts: dict[str, int] = {}
    for path in _modules().values():
        if path.name != "__init__.py":
            folder = str(path.parent.relative_to(ROOT))
            counts[folder] = counts.get(folder, 0) + 1
    assert {folder: n for folder, n in counts.items() if n > 12} == {}


def test_tests_mirror_the_source_tree() -> None:
    """A test lives in the folder of what it tests (``tests/models/store/`` for
    ``models/store/``); only whole-project checks sit at the top."""
    strays = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "tests").rglob("test_*.py")
        if path.parent != ROOT / "tests"
        and not (ROOT / path.parent.relative_to(ROOT / "tests") / "__init__.py").exists()
    ]
    assert not strays
