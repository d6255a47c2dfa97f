"""The commits a benchmark serves side by side: this working tree, and another commit checked
out beside it (``--beside COMMIT``), each run as its own server with its own environment.

A benchmark talks to either over HTTP only, so an older commit is measured as a black box,
by the same load, in the same run: the machine's ups and downs fall on both.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Side:
    """A checkout to serve: where it is, the Python of its own environment, its name in a
    table."""

    name: str
    root: Path
    python: str

    def serve(self, port: int) -> list[str]:
        """The command line of its ``ssi-leaderboard serve``."""
        return [self.python, "-m", "slackapp.cli", "serve", "--host", "127.0.0.1", "--port",
                str(port)]  # fmt: skip

    def migrate(self, env: dict[str, str]) -> None:
        """Its own migrations on ``env``'s database (a newer commit's would leave a schema
        the older one doesn't know)."""
        command = [self.python, "-m", "slackapp.cli", "db", "upgrade"]
        subprocess.run(command, env=env, cwd=self.root, check=True, capture_output=True)


HERE = Side("this tree", ROOT, sys.executable)


def _git(*args: str) -> str:
    done = subprocess.run(["git", "-C", str(ROOT), *args], check=True, capture_output=True)
    return done.stdout.decode().strip()


@contextmanager
def checkout(commit: str) -> Iterator[Side]:
    """``commit`` checked out in a temporary worktree with its locked dependencies
    (``uv sync --frozen``), removed afterwards."""
    name = _git("rev-parse", "--short", commit)
    with tempfile.TemporaryDirectory(prefix="ssi-beside-") as folder:
        tree = Path(folder) / name
        _git("worktree", "add", "--quiet", "--detach", str(tree), commit)
        try:
            env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
            subprocess.run(["uv", "sync", "--frozen", "--quiet"], cwd=tree, env=env, check=True)
            yield Side(name, tree, str(tree / ".venv" / "bin" / "python"))
        finally:
            _git("worktree", "remove", "--force", str(tree))
