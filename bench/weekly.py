"""Weekly-run benchmark: computing every board, and posting them.

    uv run python bench/weekly.py [--teams 10000] [--post-teams 1000] [--postgres URL]

1. Computing: 10,000 teams of 20 members (100 workspaces of 100 teams) with two weeks of
   history, on SQLite and, with --postgres (default: TEST_DATABASE_URL if set), PostgreSQL.
   The boards are computed in a fresh process, which reports its time and peak memory; then
   one team's board alone, averaged over 200 teams.
2. Posting: 1,000 teams due at once (a channel post and one manager DM each) through one
   tick against the fake Slack answering every call in 50 ms, without and with the team
   charts (each drawn, uploaded and waited for), each tick in a fresh process. Memory is
   each process's own peak (VmHWM): the tick's, and, sampled, each drawing worker's.

``--beside COMMIT`` then runs COMMIT's own copy of this benchmark, checked out beside this
tree, with the same arguments, and prints the two sides' figures together.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# What the scheduler's entry point imports, and no more at module level: the tick's
# chart-drawing workers (spawned) import this file again, as they import the entry point.
import slackapp.cli  # noqa: E402, F401

GOALS = {"all_s": 2.0, "peak_mb": 250.0, "one_ms": 5.0, "post_s": 15.0, "chart_s": 60.0}
MEMBERS = 20
PER_WORKSPACE = 100
TZ = "Europe/Berlin"
SLOT = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)  # Monday 09:00 Berlin: the week Nov 9 to 16
SET_UP = datetime(2026, 11, 1, tzinfo=UTC)
FIRST = ["Ana", "Bruno", "Chiara", "Dev", "Elif", "Finn", "Grace", "Hiro", "Ines", "Jonas"]
LAST = ["Okafor", "Lindqvist", "Moreau", "Patel", "Kowalski", "Nakamura", "Silva", "Berg"]


def populate(
    url: str,
    teams: int,
    *,
    per_workspace: int = PER_WORKSPACE,
    members: int = MEMBERS,
    synced: datetime | None = SLOT + timedelta(days=365),
) -> None:
    """Teams, members and two weeks of submissions, inserted in bulk; ``synced``: when the
    members were last listed (None: never)."""
    from sqlalchemy import insert, text

    from models.store.db import create_db_engine
    from models.store.migrate import upgrade
    from models.store.tables import Submission, Team, TeamManager, TeamMember

    engine = create_db_engine(url)
    upgrade(engine)
    team_rows, member_rows, manager_rows, submission_rows = [], [], [], []
    for t in range(teams):
        workspace = f"T{t // per_workspace:05d}"
        team_rows.append(
            {
                "id": t + 1,
                "workspace_id": workspace,
                "enterprise_id": "",
                "channel_id": f"C{t:06d}",
                "post_weekday": 0,
                "post_minute": 540,
                "timezone": TZ,
                "reminders": False,
                "created_by": "bench",
                "created_at": SET_UP,
                "updated_at": SET_UP,
                "members_synced_at": synced,
            }
        )
        manager_rows.append({"team_id": t + 1, "user_id": f"UM{t:06d}"})
        for m in range(members):
            user = f"U{t:06d}{m:02d}"
            # Names as long as people's: the team chart draws each one.
            name = f"{FIRST[(t + m) % len(FIRST)]} {LAST[(t * 3 + m) % len(LAST)]}"
            if synced is not None:  # else never listed: no member cached
                member_rows.append({"team_id": t + 1, "user_id": user, "display_name": name})
            for week, base in ((1, 50_000), (0, 51_000)):
                total = base + (t * 7 + m * 13) % 20_000
                pillars = [total // 4] * 3 + [total - 3 * (total // 4)]
                submission_rows.append(
                    {
                        "workspace_id": workspace,
                        "enterprise_id": "",
                        "user_id": user,
                        "user_name": f"p{m}",
                        "channel_id": f"C{t:06d}",
                        "source": "command",
                        "submitted_at": SLOT - timedelta(days=7 * week, hours=3),
                        "total_thousandths": total,
                        "brand_thousandths": pillars[0],
                        "find_thousandths": pillars[1],
                        "engage_thousandths": pillars[2],
                        "relate_thousandths": pillars[3],
                        "industry_average_thousandths": 22_000 if week else None,
                        "industry_top_thousandths": None,
                        "network_average_thousandths": 37_000 if week else None,
                        "network_top_thousandths": None,
                        # Given in week 1, carried forward to week 0 (as record() does).
                        "carried_industry_average_thousandths": 22_000,
                        "carried_network_average_thousandths": 37_000,
                    }
                )
    with engine.begin() as db:
        db.execute(insert(Team.__table__), team_rows)  # type: ignore[attr-defined]
        db.execute(insert(TeamManager.__table__), manager_rows)  # type: ignore[attr-defined]
        if member_rows:
            db.execute(insert(TeamMember.__table__), member_rows)  # type: ignore[attr-defined]
        for start in range(0, len(submission_rows), 50_000):
            db.execute(insert(Submission.__table__), submission_rows[start : start + 50_000])  # type: ignore[attr-defined]
        if engine.dialect.name == "postgresql":
            db.execute(text("SELECT setval('team_id_seq', (SELECT max(id) FROM team))"))
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as db:
            db.execute(text("ANALYZE"))
    engine.dispose()


def compute_in_child(url: str) -> dict[str, float]:
    """Run ``--compute`` in a fresh process and read what it prints."""
    done = subprocess.run(
        [sys.executable, __file__, "--compute", url],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def compute(url: str) -> None:
    """(In the child.) Every board at once, then single boards; print JSON figures."""
    from bench.load import peak_rss_mb
    from models.domain.weeks import last_ended_week
    from models.services.boards import boards_for, workspace_boards
    from models.store import teams as team_queries
    from models.store.db import create_db_engine
    from slackapp.weekly.collector import relaxed_gc

    engine = create_db_engine(url)
    started = time.perf_counter()
    with engine.connect() as db:
        every = team_queries.all_teams(db=db)
    now = SLOT + timedelta(minutes=1)
    weeks = {t.id: last_ended_week(t.schedule, now, posted=[]) for t in every}
    computed = 0
    with relaxed_gc():  # as a tick does
        for boards, _ in workspace_boards(engine, every, weeks):
            assert all(len(b.entries) == MEMBERS for b in boards.values())
            computed += len(boards)
    all_s = time.perf_counter() - started
    assert computed == len(every)
    sample = every[:: max(1, len(every) // 200)][:200]
    started = time.perf_counter()
    for team in sample:
        boards_for(engine, [team], {team.id: weeks[team.id]})
    one_ms = (time.perf_counter() - started) / len(sample) * 1000
    peak = peak_rss_mb(os.getpid())
    print(json.dumps({"teams": len(every), "all_s": all_s, "one_ms": one_ms, "peak_mb": peak}))


def sample_children(peaks: dict[int, float], stop: threading.Event) -> None:
    """(A thread.) Each child process's peak memory (the drawing workers), until ``stop``.
    Read from /proc (VmHWM), not ru_maxrss: that also counts the parent's memory, copied by
    the fork before the exec."""
    from bench.load import peak_rss_mb

    while not stop.wait(0.2):
        for task in Path("/proc/self/task").iterdir():
            try:
                for pid in (task / "children").read_text().split():
                    # A worker, not multiprocessing's resource tracker.
                    if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                        peaks[int(pid)] = max(peaks.get(int(pid), 0.0), peak_rss_mb(int(pid)))
            except OSError:  # the thread or child ended meanwhile
                pass


def post_in_child(teams: int, charts: bool) -> dict[str, float]:
    """Run ``--post`` in a fresh process (its peak memory is the tick's own)."""
    command = [sys.executable, __file__, "--post", str(teams)]
    done = subprocess.run(
        command + (["--charts"] if charts else []),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def post(teams: int, charts: bool) -> None:
    """(In the child.) ``teams`` due teams, one tick, the fake Slack answering in 50 ms and
    processing each upload for half a second; with ``charts``, the team's chart in each
    post, the upload methods answering HTTP 429 ten times each (waited out). Then the same
    week posted again (its ledger cleared): its charts are unchanged, so none is drawn or
    uploaded again. Prints JSON figures."""
    from sqlalchemy import text

    from bench.load import peak_rss_mb
    from models.store.db import create_db_engine
    from slackapp.clock import ManualClock
    from slackapp.devtools.fake_slack.calls import Fault
    from slackapp.devtools.fake_slack.server import FakeSlack
    from slackapp.slack.calls.client import create_web_client
    from slackapp.weekly.runner import WeeklyRunner

    with tempfile.TemporaryDirectory() as folder, FakeSlack() as fake:
        url = f"sqlite:///{Path(folder) / 'post.db'}"
        populate(url, teams)
        fake.set_latency(0.05)
        fake.files.processing = 0.5
        if charts:
            for method in ("files.getUploadURLExternal", "files.completeUploadExternal"):
                fake.script(method, *[Fault(status=429, retry_after=1)] * 10)
        # A client per workspace, each with its own token: Slack's limits (and the app's
        # pace) are per workspace, and these are 100-team workspaces.
        clients: dict[object, object] = {}

        def client_for(scope: object):  # type: ignore[no-untyped-def]
            if scope not in clients:
                token = f"xoxb-bench-{getattr(scope, 'workspace_id', '')}"
                clients[scope] = create_web_client(token=token, base_url=fake.api_url)
            return clients[scope]

        engine = create_db_engine(url)
        runner = WeeklyRunner(
            engine=engine,
            client_for=client_for,
            clock=ManualClock(SLOT + timedelta(minutes=1)),
            charts=charts,
        )
        worker_peaks: dict[int, float] = {}
        sampled = threading.Event()
        sampler = threading.Thread(target=sample_children, args=(worker_peaks, sampled))
        sampler.start()
        started, cpu = time.perf_counter(), time.process_time()
        report = runner.tick()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        sampled.set()
        sampler.join()
        calls = fake.calls("chat.postMessage")
        per_channel: dict[str, list[float]] = {}
        for call in calls:
            per_channel.setdefault(call.params["channel"], []).append(call.at)
        assert report.sent["board"] == teams and report.sent["manager"] == teams, report
        with_image = sum(any(b["type"] == "image" for b in c.blocks) for c in calls)
        uploads = len(fake.calls("files.completeUploadExternal"))
        again_s = 0.0
        if charts:
            with engine.begin() as db:
                db.execute(text("DELETE FROM post_ledger"))
            started = time.perf_counter()
            runner.tick()
            again_s = time.perf_counter() - started
        print(
            json.dumps(
                {
                    "teams": teams,
                    "posts": len(calls),
                    "post_s": elapsed,
                    "cpu_s": cpu,  # this process's: the tick's threads and the fake Slack's
                    "with_chart": with_image,
                    "uploads": uploads,
                    "rate_limited": 10 * 2 if charts else 0,
                    "uploads_again": len(fake.calls("files.completeUploadExternal")) - uploads,
                    "again_s": again_s,
                    "concurrency": runner.concurrency,
                    "most_per_channel": max(len(t) for t in per_channel.values()),
                    "peak_mb": peak_rss_mb(os.getpid()),
                    "drawing_workers": len(worker_peaks),
                    "drawing_workers_peak_mb": max(worker_peaks.values(), default=0.0),
                }
            )
        )


def postgres_database(url: str) -> tuple[str, object]:
    from sqlalchemy import create_engine, text

    from models.store.db import normalise_url

    admin = create_engine(normalise_url(url), isolation_level="AUTOCOMMIT")
    name = f"ssi_bench_{os.getpid()}"
    with admin.connect() as db:
        db.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        db.execute(text(f"CREATE DATABASE {name}"))
    return normalise_url(url).set(database=name).render_as_string(False), (admin, name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--teams", type=int, default=10_000)
    parser.add_argument("--post-teams", type=int, default=1_000)
    parser.add_argument("--postgres", default=os.environ.get("TEST_DATABASE_URL"))
    parser.add_argument(
        "--beside",
        metavar="COMMIT",
        help="then run COMMIT's own bench/weekly.py (checked out beside this tree) with the "
        "same arguments and print both sides' figures",
    )
    parser.add_argument("--compute", help=argparse.SUPPRESS)
    parser.add_argument("--post", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--charts", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.compute:
        compute(args.compute)
        return 0
    if args.post:
        post(args.post, args.charts)
        return 0
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'weekly.db'}"
        started = time.perf_counter()
        populate(url, args.teams)
        print(
            f"SQLite: {args.teams} teams x {MEMBERS} members, two weeks of history "
            f"(loaded in {time.perf_counter() - started:.1f} s)"
        )
        results["sqlite"] = compute_in_child(url)
    if args.postgres:
        url, (admin, name) = postgres_database(args.postgres)
        try:
            started = time.perf_counter()
            populate(url, args.teams)
            print(f"PostgreSQL: loaded in {time.perf_counter() - started:.1f} s")
            results["postgresql"] = compute_in_child(url)
        finally:
            from sqlalchemy import text

            with admin.connect() as db:  # type: ignore[attr-defined]
                db.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    print(f"{'backend':<12}{'teams':>7}{'all boards s':>14}{'peak MB':>9}{'one board ms':>14}")
    for backend, r in results.items():
        print(
            f"{backend:<12}{r['teams']:>7}{r['all_s']:>14.2f}{r['peak_mb']:>9.1f}"
            f"{r['one_ms']:>14.2f}"
        )
    posting = post_in_child(args.post_teams, charts=False)
    charted = post_in_child(args.post_teams, charts=True)
    print(
        f"posting: {posting['teams']} teams, {posting['posts']} messages (board and manager "
        f"DM each) with {posting['concurrency']} concurrent senders, fake Slack answering in "
        f"50 ms; at most {posting['most_per_channel']} message(s) into one channel"
    )
    print(
        f"{'tick':<16}{'s':>7}{'CPU s':>7}{'charts shown':>14}{'uploads':>9}{'peak MB':>9}"
        f"{'drawing workers':>17}"
    )
    for name, r in (("without charts", posting), ("with charts", charted)):
        workers = f"{r['drawing_workers']} x {r['drawing_workers_peak_mb']:.0f} MB"
        print(
            f"{name:<16}{r['post_s']:>7.1f}{r['cpu_s']:>7.1f}{r['with_chart']:>14}"
            f"{r['uploads']:>9}{r['peak_mb']:>9.1f}{workers:>17}"
        )
    print("(CPU s: the tick's process, with the fake Slack's threads; peak MB: its own)")
    print(
        f"with charts: {charted['rate_limited']} HTTP 429s from the upload methods waited out; "
        f"the same week posted again: {charted['uploads_again']} charts drawn or uploaded "
        f"again, tick {charted['again_s']:.1f} s"
    )
    met = all(
        r["all_s"] < GOALS["all_s"]
        and r["peak_mb"] < GOALS["peak_mb"]
        and r["one_ms"] < GOALS["one_ms"]
        for r in results.values()
    )
    met = met and posting["post_s"] < GOALS["post_s"] and charted["post_s"] < GOALS["chart_s"]
    met = met and charted["peak_mb"] < GOALS["peak_mb"]
    print(
        f"goals (all boards < {GOALS['all_s']} s and < {GOALS['peak_mb']:.0f} MB, one board "
        f"< {GOALS['one_ms']} ms, posting < {GOALS['post_s']:.0f} s, with charts "
        f"< {GOALS['chart_s']:.0f} s): "
        f"{'met' if met else 'NOT met'}"
    )
    figures = {"compute": results, "posting": posting, "charts": charted}
    print(json.dumps(figures))
    if args.beside:
        print_beside(args, figures)
    return 0


def print_beside(args: argparse.Namespace, now: dict) -> None:
    """``args.beside``'s own benchmark, run after this one with the same arguments (its code
    computes and posts; the figures are its own), beside this tree's."""
    from bench.sides import checkout

    with checkout(args.beside) as base:
        command = [base.python, "bench/weekly.py", "--teams", str(args.teams), "--post-teams",
                   str(args.post_teams), "--postgres", args.postgres or ""]  # fmt: skip
        done = subprocess.run(command, cwd=base.root, capture_output=True, text=True, check=True)
    before = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"beside {base.name} (its own bench/weekly.py, run after this one):")
    print(f"{'figure':<34}{'this tree':>11}{base.name:>11}")
    rows = [(f"all boards s, {b}", "compute", b, "all_s") for b in now["compute"]]
    rows += [(f"one board ms, {b}", "compute", b, "one_ms") for b in now["compute"]]
    rows += [("posting s, no charts", "posting", None, "post_s")]
    rows += [("posting s, with charts", "charts", None, "post_s")]
    for label, part, backend, key in rows:
        mine = now[part][backend] if backend else now[part]
        theirs = before.get(part, {})
        theirs = theirs.get(backend, {}) if backend else theirs
        other = f"{theirs[key]:>11.2f}" if key in theirs else f"{'-':>11}"
        print(f"{label:<34}{mine[key]:>11.2f}{other}")


if __name__ == "__main__":
    raise SystemExit(main())
