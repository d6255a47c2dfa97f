"""The deployment files say what the app can do: compose's commands are real CLI commands,
the image runs as a non-root user with a health check, and migrations run before serving."""

from __future__ import annotations

import yaml

from slackapp.cli import build_parser
from slackapp.settings import Settings
from tests.conftest import PROJECT_ROOT

ROOT = PROJECT_ROOT


def test_compose_runs_postgres_a_migration_step_the_app_and_a_scheduler() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "migrate", "app", "scheduler"}
    parser = build_parser()
    for name in ("migrate", "app", "scheduler"):
        command = services[name]["command"]
        assert command[0] == "ssi-leaderboard"
        parser.parse_args(command[1:])  # exits (fails the test) on anything unknown
        assert "postgresql://" in services[name]["environment"]["DATABASE_URL"]
    assert "--no-scheduler" in services["app"]["command"]
    for name in ("app", "scheduler"):
        waits = services[name]["depends_on"]["migrate"]["condition"]
        assert waits == "service_completed_successfully"


def test_compose_can_scale_the_app_as_its_comment_says() -> None:
    """A fixed host port made `--scale app=3` fail: the second replica found it taken."""
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    (published,) = compose["services"]["app"]["ports"]
    host, container = published.split(":")
    first, last = (int(port) for port in host.split("-"))
    assert container == "3000" and last - first + 1 >= 3
    assert "--scale app=3" in (ROOT / "compose.yaml").read_text()


def test_the_image_is_non_root_healthy_and_serves() -> None:
    lines = (ROOT / "Dockerfile").read_text().splitlines()
    user = [line for line in lines if line.startswith("USER ")]
    assert user and user[-1].split()[1] not in ("root", "0")
    assert any(line.startswith("HEALTHCHECK") for line in lines)
    assert lines[-1].startswith('CMD ["ssi-leaderboard", "serve"')


def test_only_the_whole_process_app_freezes_what_it_built(settings: Settings) -> None:
    """``serve``'s app (the process's only one) leaves what it built out of the collector's
    sweeps (``gc.freeze``); an app among a test run's many doesn't, or every test's objects
    would stay for the rest of the run."""
    import gc

    from slackapp.app import create_app

    before = gc.get_freeze_count()
    create_app(settings)
    assert gc.get_freeze_count() == before
    try:
        create_app(settings, whole_process=True)
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()
