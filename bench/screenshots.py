"""Screenshots beside /ssi: does reading pictures hold up anyone's answer?

    uv run python bench/screenshots.py [--seconds 10] [--concurrency 8] [--pictures 20]

Starts ``ssi-leaderboard serve`` (SQLite in a temporary folder, the fake Slack) and sends
signed ``/ssi`` submissions over keep-alive HTTP/1.1 for ``--seconds``, twice: alone, then
while ``--pictures`` people each share a screenshot of their SSI page in the app's Messages
tab at once (``message.im`` events with ``tests/data/ssi_screens/`` pictures, served by the
fake Slack). Prints /ssi's rate and latency both times, their ratio, how many screenshots
were answered and how long the last took. Needs Tesseract (Debian's tesseract-ocr).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import (  # noqa: E402
    PEOPLE_PER_SECOND,
    SAVED,
    Load,
    free_port,
    run_load,
    seed_locales,
    start,
    stop,
)
from bench.sides import HERE  # noqa: E402
from slackapp.devtools.fake_slack.server import FakeSlack  # noqa: E402
from slackapp.devtools.slack_side import SlackSide  # noqa: E402

SCREENS = ROOT / "tests" / "data" / "ssi_screens"


def share_screenshots(
    fake: FakeSlack, port: int, secret: str, count: int
) -> tuple[list[float], int]:
    """``count`` people share a screenshot at once: when each answer came (seconds after
    the first was sent), and how many answers were previews (the page read)."""
    side = SlackSide(
        app_url=f"http://127.0.0.1:{port}", signing_secret=secret, fake=fake, team_id="T0BENCH"
    )
    pictures = sorted(SCREENS.iterdir())
    started = time.time()  # calls are stamped with the wall clock
    before = len(fake.calls("chat.postMessage"))
    for n in range(count):
        picture = pictures[n % len(pictures)]
        user = f"UPIC{n:04d}"
        mimetype = "image/png" if picture.suffix == ".png" else "image/jpeg"
        file = fake.share_file(
            user=user, name=picture.name, content=picture.read_bytes(), mimetype=mimetype
        )
        side.direct_message(user_id=user, text="", subtype="file_share", files=[file])
    answered = fake.wait_for("chat.postMessage", before + count, timeout=600)[before:]
    previews = sum("ssi_page_save" in json.dumps(call.params) for call in answered)
    return [call.at - started for call in answered], previews


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--pictures", type=int, default=20)
    args = parser.parse_args()
    secret = secrets.token_hex(16)
    results = {}
    with tempfile.TemporaryDirectory(prefix="ssi-bench-") as folder, FakeSlack() as fake:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{Path(folder) / 'bench.db'}",
            "SLACK_SIGNING_SECRET": secret,
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_API_URL": fake.api_url,
            "LOG_LEVEL": "WARNING",
        }
        port = free_port()

        def a_load(people: str) -> Load:
            return Load(port, secret, args.seconds, args.concurrency, (SAVED["en"],), people)

        for name in ("alone", "pictures"):
            seeded = PEOPLE_PER_SECOND * int(args.seconds + 1)
            seed_locales(env, a_load(name.upper()), seeded, ("en-US",), HERE)
        app = start(HERE.serve(port), env, port)
        try:
            results["alone"] = run_load(a_load("ALONE"))
            shared: list[tuple[list[float], int]] = []
            sharing = threading.Thread(
                target=lambda: shared.append(share_screenshots(fake, port, secret, args.pictures))
            )
            sharing.start()
            results["pictures"] = run_load(a_load("PICTURES"))
            sharing.join()
        finally:
            stop(app)
    answers, previews = shared[0] if shared else ([], 0)
    alone, beside = results["alone"], results["pictures"]
    print(f"/ssi, {args.concurrency} connections, {args.seconds:.0f} s each:")
    print(f"{'':28} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'failures':>8}")
    for label, figures in (("alone", alone), (f"while {args.pictures} screenshots", beside)):
        print(
            f"{label:28} {figures['rps']:7.0f} {figures['p50_ms']:7.1f} "
            f"{figures['p99_ms']:7.1f} {figures['failures']:8}"
        )
    print(
        f"rate beside the pictures: {beside['rps'] / alone['rps']:.2f} of alone; p99 "
        f"{beside['p99_ms'] / alone['p99_ms']:.2f}x"
    )
    print(
        f"screenshots answered: {len(answers)} of {args.pictures} ({previews} read as the "
        f"page), the first after {min(answers, default=0):.1f} s, the last after "
        f"{max(answers, default=0):.1f} s"
    )
    print(json.dumps({"alone": alone, "pictures": beside, "answers_s": answers}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
