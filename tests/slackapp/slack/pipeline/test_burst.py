"""A team answering a reminder at once (issue 23): 200 distinct people's ``/ssi`` within a
second, each on a connection of its own as Slack sends them, over signed HTTP to the real
app on SQLite and PostgreSQL. Every one is saved and answered; none is told "busy"."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import urlsplit

from slackapp.devtools.raw_requests import signed_http_post
from slackapp.devtools.slack_requests import slash_command_body
from tests.conftest import SIGNING_SECRET, RunningApp

PEOPLE, WITHIN = 200, 1.0


def _request(app: RunningApp, n: int) -> bytes:
    body = slash_command_body(
        team_id=app.slack.team_id,
        enterprise_id=app.slack.enterprise_id,
        user_id=f"UBURST{n:04d}",
        user_name=f"burst{n}",
        channel_id=f"C0TEAM{n // 25:03d}",
        text=f"{60 + n % 10} 15 15 15 {15 + n % 10}",
        response_url=app.fake.new_response_url(),
        org_wide=False,
    )
    return signed_http_post(urlsplit(app.url).netloc, body, SIGNING_SECRET, keep_alive=False)


async def _send(url: str, request: bytes, delay: float) -> bytes:
    await asyncio.sleep(delay)
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    writer.write(request)
    answer = await reader.read()
    writer.close()
    return answer


async def _burst(app: RunningApp) -> list[bytes]:
    requests = [_request(app, n) for n in range(PEOPLE)]
    return await asyncio.gather(
        *(_send(app.url, r, n * WITHIN / PEOPLE) for n, r in enumerate(requests))
    )


def test_two_hundred_people_at_once_are_all_saved(app: RunningApp) -> None:
    answers = asyncio.run(_burst(app))
    heads = [a.split(b"\r\n", 1)[0] for a in answers]
    assert all(h.startswith(b"HTTP/1.1 200") for h in heads), set(heads)
    bodies = [json.loads(a.split(b"\r\n\r\n", 1)[1]) for a in answers]
    assert not [b for b in bodies if "busy" in b["text"]]
    assert all(b["text"].startswith("Saved your SSI") for b in bodies)
    assert app.submission_count() == PEOPLE
