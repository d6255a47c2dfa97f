"""Build the image and check it as an operator would (run by deploy/check-image.sh).

With podman (see ../shared/tools/container-engine.sh on machines without Docker):
- the image's size and what it adds to its base (at most ``MAX_ADDED_MB``);
- it runs as a non-root user;
- on SQLite in a ``/data`` volume, and on the machine's PostgreSQL: ``serve`` applies the
  migrations, ``/healthz`` and ``/readyz`` answer 200 with the fake Slack, a signed ``/ssi``
  is saved, ``podman healthcheck run`` passes, and ``serve`` and ``scheduler`` each stop on
  SIGTERM (``podman stop``) within ``MAX_STOP_SECONDS`` with exit code 0.

Every container uses the host's network, so the fake Slack and PostgreSQL on 127.0.0.1 are
reachable as they are from the tests. Prints a figure per check; exits 1 on the first
failure.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from slackapp.devtools.fake_slack.server import FakeSlack  # noqa: E402
from slackapp.devtools.slack_side import SlackSide  # noqa: E402

IMAGE = "ssi"
BASE = "docker.io/library/python:3.11-slim"
MAX_ADDED_MB = 300  # matplotlib (charts, issue 11) and Tesseract (screenshots, issue 25)
MAX_STOP_SECONDS = 5.0
# Every kind of chart, drawn as the app draws them, with names in scripts the font lacks or
# that need shaping (a missing glyph is an error): the image's trimmed plotting stack and
# the name packages (arabic-reshaper, python-bidi, anyascii) suffice.
DRAW_A_CHART = (
    "import warnings; warnings.simplefilter('error', UserWarning)\n"
    "from slackapp.render.charts.pictures import TeamSpreadSpec, TeamWeekSpec, TrendSpec\n"
    "from slackapp.render.charts.painting import draw_chart\n"
    "lines = (('team average 61.5', 61.5, '#111'),)\n"
    "team = TeamWeekSpec((('Ana $5 \U0001f680', 61.5, '61.5', '+1.5'),"
    " ('\u0645\u062d\u0645\u062f \u7530\u4e2d', 58.0, '58', 'Stand 2. Nov.')), lines,"
    " 'Stand einer fr\u00fcheren Woche', (1,))\n"
    "spread = TeamSpreadSpec((0,) * 10 + (5, 9, 3) + (0,) * 7, (0,) * 20, lines,"
    " ('SSI', 'Mitglieder', 'diese Woche', 'fr\u00fcher'))\n"
    "trend = TrendSpec((0, 7), ((0, '2. Nov.'), (7, '9. Nov.')), (('total', 'Gesamt',"
    " (60.0, 61.5)), ('brand', 'Marke', (15.0, 15.5))), ('Gesamt (von 100)', 'S\u00e4ulen"
    " (von 25)'), (45.0, 75.0))\n"
    "pngs = [draw_chart(team), draw_chart(spread), draw_chart(trend)]\n"
    "print('png' if all(p.startswith(b'\\x89PNG') for p in pngs) else 'not png')"
)
# A screenshot of the SSI page (German, a phone's, dark), read in the image as the app reads
# one: the picture on stdin, its text through the page's reader.
READ_A_SCREENSHOT = (
    "import sys\n"
    "from models.domain.languages import Language\n"
    "from models.domain.ssi_page.pasted_page import read_page_text\n"
    "from slackapp.ocr.screenshot_text import TESSERACT_LANGUAGES, _tesseract, check_picture\n"
    "content = sys.stdin.buffer.read(); check_picture(content)\n"
    "page = read_page_text(_tesseract(content, TESSERACT_LANGUAGES[Language.DE]))\n"
    "print(page.shown_total, sorted(str(v) for v in page.pillars.values()))"
)
SCREENSHOT = ROOT / "tests" / "data" / "ssi_screens" / "de-phone-dark.jpeg"
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
PG_ADMIN = os.environ.get("CHECK_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


class CheckFailed(RuntimeError):
    pass


def podman(*args: str, check: bool = True) -> str:
    done = subprocess.run(["podman", *args], capture_output=True, text=True)
    if check and done.returncode != 0:
        raise CheckFailed(f"podman {' '.join(args)}: {done.stderr.strip()[-2000:]}")
    return done.stdout.strip()


def ok(what: str) -> None:
    print(f"  ok  {what}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return error.code


def wait_for(url: str, container: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if get(url) == 200:
                return
        except OSError:
            pass
        if podman("inspect", "--format", "{{.State.Running}}", container) != "true":
            raise CheckFailed(f"{container} exited: {logs(container)[-3000:]}")
        time.sleep(0.3)
    raise CheckFailed(f"{url} never answered 200: {logs(container)[-3000:]}")


def logs(container: str) -> str:
    done = subprocess.run(["podman", "logs", container], capture_output=True, text=True)
    return done.stdout + done.stderr  # the app logs to stderr


def size_mb(image: str) -> float:
    return int(podman("image", "inspect", "--format", "{{.Size}}", image)) / 1e6


def run(name: str, env: dict[str, str], *command: str, volume: str | None = None) -> None:
    podman("rm", "-f", name, check=False)
    args = ["run", "-d", "--name", name, "--network", "host"]
    if command:  # not the web server: the image's HTTP health check doesn't apply
        args.append("--no-healthcheck")
    for key, value in env.items():
        args += ["-e", f"{key}={value}"]
    if volume:
        args += ["-v", f"{volume}:/data"]
    podman(*args, IMAGE, *command)


def stop(name: str) -> float:
    """``podman stop`` (SIGTERM, then SIGKILL after 10 s); returns the seconds it took."""
    started = time.monotonic()
    podman("stop", "--time", "10", name)
    took = time.monotonic() - started
    code = podman("inspect", "--format", "{{.State.ExitCode}}", name)
    podman("rm", "-f", name, check=False)
    if took > MAX_STOP_SECONDS or code != "0":
        raise CheckFailed(f"{name} took {took:.1f} s to stop, exit code {code}")
    return took


def check_deployment(label: str, database_url: str, fake: FakeSlack, volume: str | None) -> None:
    print(f"{label}:", flush=True)
    port = free_port()
    env = {
        "DATABASE_URL": database_url,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_BOT_TOKEN": "xoxb-image-check",
        "SLACK_API_URL": fake.api_url,
        "PORT": str(port),
        "LOG_LEVEL": "INFO",
    }
    serve = f"ssi-check-serve-{label}"
    # The default command: serve, with the weekly tick in the same process.
    run(serve, env, volume=volume)
    url = f"http://127.0.0.1:{port}"
    wait_for(url + "/healthz", serve)
    ok("/healthz 200")
    wait_for(url + "/readyz", serve, seconds=20)
    ok("/readyz 200 (migrations applied, Slack answers, the database takes a write)")
    slack = SlackSide(app_url=url, signing_secret=SECRET, fake=fake)
    answer = slack.command(user_id="U1", text="68 21 17 14 16", channel_id="C1")
    if answer.status != 200 or "Saved" not in answer.text:
        raise CheckFailed(f"/ssi answered {answer}")
    ok("a signed /ssi is saved")
    if volume:
        found = podman("exec", serve, "ls", "/data")
        if "ssi-leaderboard.db" not in found:
            raise CheckFailed(f"/data holds {found!r}")
        ok("the database lives in the /data volume")
    health = subprocess.run(["podman", "healthcheck", "run", serve], capture_output=True)
    if health.returncode != 0:
        raise CheckFailed(f"podman healthcheck run: {health.stdout!r} {health.stderr!r}")
    ok("podman healthcheck run passes")
    ok(f"serve stopped on SIGTERM in {stop(serve):.2f} s, exit code 0")

    scheduler = f"ssi-check-scheduler-{label}"
    run(scheduler, env, "ssi-leaderboard", "scheduler", volume=volume)
    deadline = time.monotonic() + 60
    while "executed successfully" not in logs(scheduler):
        if time.monotonic() > deadline:
            raise CheckFailed(f"the scheduler never ticked: {logs(scheduler)[-3000:]}")
        time.sleep(0.3)
    ok("scheduler ticked")
    ok(f"scheduler stopped on SIGTERM in {stop(scheduler):.2f} s, exit code 0")


def fresh_pg_database(name: str) -> str:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true", help="check the image already built")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    args = parser.parse_args()
    try:
        if not args.no_build:
            started = time.monotonic()
            subprocess.run(
                ["podman", "build", "--format", "docker", "-t", IMAGE, str(ROOT)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            print(f"built {IMAGE} in {time.monotonic() - started:.0f} s")
        image, base = size_mb(IMAGE), size_mb(BASE)
        print(f"image {image:.0f} MB, base {base:.0f} MB: adds {image - base:.0f} MB")
        if image - base > MAX_ADDED_MB:
            raise CheckFailed(f"the image adds over {MAX_ADDED_MB} MB to its base")
        user = podman("run", "--rm", IMAGE, "id", "-u")
        if user in ("", "0"):
            raise CheckFailed(f"runs as uid {user!r}")
        ok(f"runs as uid {user}, not root")
        drawn = podman("run", "--rm", IMAGE, "python", "-c", DRAW_A_CHART)
        if drawn != "png":
            raise CheckFailed(f"can't draw a chart in the image: {drawn!r}")
        ok("draws a chart (matplotlib, Agg) with what the image keeps of the plotting stack")
        read = subprocess.run(
            ["podman", "run", "-i", "--rm", IMAGE, "python", "-c", READ_A_SCREENSHOT],
            input=SCREENSHOT.read_bytes(),
            capture_output=True,
            check=False,
        )
        if read.stdout.decode().strip() != "23 ['1.948', '12.275', '3.1', '6']":
            raise CheckFailed(f"can't read a screenshot in the image: {read.stderr[-400:]!r}")
        ok("reads a screenshot of the SSI page (Tesseract, offline) in the image")
        (inspected,) = json.loads(podman("image", "inspect", IMAGE))
        if not inspected.get("Healthcheck"):
            raise CheckFailed("the image has no HEALTHCHECK (build with --format docker)")
        with FakeSlack(team_id="T0ACME") as fake:
            volume = "ssi-check-data"
            podman("volume", "rm", "-f", volume, check=False)
            podman("volume", "create", volume)
            try:
                check_deployment("sqlite", "sqlite:////data/ssi-leaderboard.db", fake, volume)
            finally:
                podman("volume", "rm", "-f", volume, check=False)
            if not args.no_postgres:
                database = fresh_pg_database("ssi_image_check")
                check_deployment("postgresql", database, fake, None)
    except (CheckFailed, subprocess.CalledProcessError) as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        return 1
    print("image check passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
