"""Run the Kubernetes manifests with ``podman kube play`` (run by deploy/check-kubernetes.sh).

The base and each overlay are rendered with ``kubectl kustomize`` and validated against the
schemas of ``KUBERNETES_VERSION``. Then the base runs, as an operator's overlay would make
it, on the image deploy/check-image.sh built, against the machine's PostgreSQL (a fresh
database) and the fake Slack on 127.0.0.1: the migration Job completes, the web pod turns
ready, a signed ``/ssi`` is saved, a team whose post is due gets exactly one channel post
from the scheduler pod (and none more after further ticks), each Deployment's pod runs as
uid 10001 on a read-only root filesystem with /tmp writable and serves /metrics on its own
port, and each stops on SIGTERM within ``MAX_STOP_SECONDS``.

The overlay for this run, and what podman 4.3 needs of the rendering, are kube_on_podman's;
docs/operating.md ("On Kubernetes") says what podman can't check of a cluster. Prints a
figure per check; exits 1 on the first failure.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from check_image import (  # noqa: E402  (beside this file)
    IMAGE,
    MAX_STOP_SECONDS,
    SECRET,
    CheckFailed,
    free_port,
    fresh_pg_database,
    get,
    logs,
    ok,
    podman,
)
from kube_manifests import (  # noqa: E402
    BASE,
    KUBERNETES_VERSION,
    OVERLAYS,
    Document,
    find,
    render,
    rendered,
    validate,
)
from kube_on_podman import TICK_SECONDS, check_overlay, for_podman, podman_secret  # noqa: E402

from models.store.revision import HEAD  # noqa: E402
from slackapp.devtools.fake_slack.server import FakeSlack  # noqa: E402
from slackapp.devtools.slack_side import SlackSide  # noqa: E402

WORKSPACE, CHANNEL = "T0ACME", "C0KUBE"
READINGS = "SELECT count(*) FROM submission WHERE user_id = 'U1'"
PLAYED = Path(tempfile.gettempdir()) / "ssi-kube-check.yaml"  # what `podman kube down` reads


def state(container: str) -> tuple[str, str]:
    found = podman("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", container)
    status, code = found.split()
    return status, code


def wait_until(what: str, test: Callable[[], bool], container: str, seconds: float) -> float:
    """Seconds until ``test()`` holds; fails with the container's log past ``seconds``."""
    started = time.monotonic()
    while not test():
        if time.monotonic() - started > seconds:
            raise CheckFailed(f"{what} not within {seconds:.0f} s: {logs(container)[-3000:]}")
        time.sleep(0.3)
    return time.monotonic() - started


def answers(url: str) -> bool:
    try:
        return get(url) == 200
    except OSError:
        return False


def check_pod_shape(container: str) -> None:
    """Non-root, read-only root filesystem, /tmp writable (the emptyDir)."""
    user = podman("exec", container, "id", "-u")
    wrote_root = subprocess.run(
        ["podman", "exec", container, "touch", "/app/x"], capture_output=True
    )
    podman("exec", container, "touch", "/tmp/x")
    if user != "10001" or wrote_root.returncode == 0:
        raise CheckFailed(f"{container}: uid {user}, root filesystem writable: {wrote_root}")
    ok(f"{container}: uid 10001, root filesystem read-only, /tmp writable")


def due_team(database_url: str) -> None:
    """A team in CHANNEL set up a week ago, whose weekly post was due two minutes ago, with
    the reading just sent as from an hour ago, within the week the post is about."""
    from models.domain.scope import Scope
    from models.domain.teams import TeamSetup
    from models.services.teams import set_up_by_operator
    from models.store.db import create_db_engine

    slot = datetime.now(UTC) - timedelta(minutes=2)
    setup = TeamSetup(slot.weekday(), slot.hour * 60 + slot.minute, "UTC", managers=())
    engine = create_db_engine(database_url)
    with engine.begin() as db:
        set_up_by_operator(
            db=db,
            scope=Scope(WORKSPACE),
            channel_id=CHANNEL,
            setup=setup,
            at=slot - timedelta(days=8),
        )
        db.execute(text("UPDATE submission SET submitted_at = submitted_at - interval '1 hour'"))
    engine.dispose()


def scalar(database_url: str, query: str) -> object:
    import psycopg

    with psycopg.connect(database_url) as db:
        row = db.execute(query).fetchone()
    return row[0] if row else None


def stop_pod(pod: str, container: str, grace: int) -> float:
    """``podman pod stop`` with the manifest's grace period: seconds taken (exit code 0)."""
    started = time.monotonic()
    podman("pod", "stop", "--time", str(grace), pod)
    took = time.monotonic() - started
    if took > MAX_STOP_SECONDS or state(container) != ("exited", "0"):
        raise CheckFailed(f"{pod} took {took:.1f} s to stop: {state(container)}")
    return took


def run(
    documents: list[Document], database_url: str, fake: FakeSlack, ports: dict[str, int]
) -> None:
    web, scheduler = "ssi-leaderboard-web-pod-0", "ssi-leaderboard-scheduler-pod-0"
    migrate = "ssi-leaderboard-migrate-migrate"
    started = time.monotonic()
    podman("kube", "play", "--replace", str(PLAYED))  # pods a killed run left, replaced
    played = [d["kind"] for d in yaml.safe_load_all(PLAYED.read_text())]
    ok(f"podman kube play: {', '.join(played)} in {time.monotonic() - started:.1f} s")
    wait_until(
        "the migration Job's pod ending", lambda: state(migrate)[0] == "exited", migrate, 120
    )
    if state(migrate)[1] != "0":
        raise CheckFailed(f"the migration failed: {logs(migrate)[-3000:]}")
    ok(f"migration Job's pod completed, exit code 0, {time.monotonic() - started:.1f} s in")
    url = f"http://127.0.0.1:{ports['web']}"
    wait_until("the web pod's /readyz", lambda: answers(url + "/readyz"), f"{web}-web", 120)
    schema = scalar(database_url, "SELECT version_num FROM alembic_version")
    if schema != HEAD:
        raise CheckFailed(f"the web pod is ready on schema {schema}, its code's is {HEAD}")
    ok(f"web pod ready (/readyz 200) on schema {HEAD}, {time.monotonic() - started:.1f} s in")
    for container in (f"{web}-web", f"{scheduler}-scheduler"):
        check_pod_shape(container)
    for name, container in (("web", f"{web}-web"), ("scheduler", f"{scheduler}-scheduler")):
        metrics = f"http://127.0.0.1:{ports[name + '-metrics']}/metrics"
        wait_until(f"{metrics} answering", lambda url=metrics: answers(url), container, 60)
    ok("each Deployment's pod serves /metrics on its own port")

    slack = SlackSide(app_url=url, signing_secret=SECRET, fake=fake)
    answer = slack.command(user_id="U1", text="68 21 17 14 16", channel_id=CHANNEL)
    if answer.status != 200 or "Saved" not in answer.text or scalar(database_url, READINGS) != 1:
        raise CheckFailed(f"/ssi answered {answer}")
    ok("a signed /ssi is saved in PostgreSQL")

    due_team(database_url)
    posted = time.monotonic()
    board = lambda call: call.params.get("channel") == CHANNEL  # noqa: E731
    try:
        (post,) = fake.wait_for("chat.postMessage", 1, timeout=60, where=board)
    except TimeoutError as late:
        raise CheckFailed(f"no weekly post: {logs(f'{scheduler}-scheduler')[-3000:]}") from late
    if "Ana Kube" not in json.dumps(post.blocks):
        raise CheckFailed(f"the board lacks the reading: {post.blocks}")
    took = time.monotonic() - posted
    ok(f"the scheduler pod posted the team's board, Ana's reading on it, {took:.1f} s later")
    time.sleep(3 * TICK_SECONDS)
    count = len([c for c in fake.calls("chat.postMessage") if board(c)])
    if count != 1:
        raise CheckFailed(f"{count} posts in the team's channel after 3 more ticks")
    ok("and posted nothing more in 3 more ticks")
    cache = podman("exec", f"{scheduler}-scheduler", "ls", "/tmp/matplotlib")
    if "fontlist" not in cache:
        raise CheckFailed(f"matplotlib kept no font cache in /tmp/matplotlib: {cache!r}")
    ok("its chart was drawn with matplotlib's cache in the /tmp emptyDir")

    for pod, container, kind in ((web, "web", "web"), (scheduler, "scheduler", "scheduler")):
        grace = find(documents, "Deployment", f"ssi-leaderboard-{kind}")["spec"]["template"]
        seconds = grace["spec"]["terminationGracePeriodSeconds"]
        took = stop_pod(pod, f"{pod}-{container}", seconds)
        ok(f"{kind} pod stopped on SIGTERM in {took:.2f} s (grace {seconds} s), exit code 0")


def main() -> int:
    started = time.monotonic()
    try:
        for folder in (BASE, *OVERLAYS):
            rendered(folder)
            ok(f"{folder.relative_to(ROOT)} renders, valid for Kubernetes {KUBERNETES_VERSION}")
        if subprocess.run(["podman", "image", "exists", IMAGE]).returncode != 0:
            raise CheckFailed(f"no image {IMAGE}: run deploy/check-image.sh first")
        database_url = fresh_pg_database("ssi_kube_check")
        with FakeSlack(team_id=WORKSPACE) as fake, tempfile.TemporaryDirectory() as folder:
            fake.set_channel_members(CHANNEL, ["U1"])
            fake.add_user("U1", real_name="Ana Kube")
            ports = {name: free_port() for name in ("web", "web-metrics", "scheduler-metrics")}
            documents = render(check_overlay(Path(folder), ports, fake.api_url))
            validate(documents)
            PLAYED.write_text(yaml.safe_dump_all(for_podman(documents)))
            podman_secret(
                "ssi-leaderboard",
                {
                    "SLACK_SIGNING_SECRET": SECRET,
                    "SLACK_BOT_TOKEN": "xoxb-kube-check",
                    "DATABASE_URL": database_url,
                },
            )
            try:
                run(documents, database_url, fake, ports)
            finally:
                subprocess.run(["podman", "kube", "down", str(PLAYED)], capture_output=True)
                podman("secret", "rm", "ssi-leaderboard", check=False)
    except (CheckFailed, subprocess.CalledProcessError) as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        return 1
    print(f"kubernetes check passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
