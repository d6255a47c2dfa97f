"""Many workspaces: Slack's OAuth v2 flow over real HTTP against the fake Slack, tokens from
the encrypted store per workspace (refreshed before expiry for the tick), two workspaces
that reuse user and channel ids never crossing, and uninstalling stops everything."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Engine, text

from models.domain.scope import Scope
from models.domain.teams import TeamSetup
from models.domain.weekly.members import Member
from models.store import members, teams
from slackapp.app import create_app
from slackapp.clock import ManualClock
from slackapp.devtools.fake_slack.server import FakeSlack
from slackapp.devtools.local_server import serving
from slackapp.devtools.slack_side import SlackSide
from slackapp.settings import Settings, load_settings
from slackapp.slack.calls.workspaces import InstalledWorkspaces, workspaces_for
from slackapp.weekly.posting.pacing import ChannelPacer
from slackapp.weekly.runner import WeeklyRunner
from tests.conftest import SIGNING_SECRET, RunningApp
from tests.factories import SET_UP, SLOT, channel_posts, submit

KEY = Fernet.generate_key().decode()


@dataclass
class MultiApp(RunningApp):
    settings: Settings | None = None

    def install(
        self,
        team_id: str,
        *,
        expires_in: int | None = None,
        enterprise_id: str | None = None,
        org_wide: bool = False,
    ) -> str:
        """Run the whole OAuth flow for ``team_id`` (or, ``org_wide``, for the Enterprise
        Grid org ``enterprise_id``); return the bot token Slack issued."""
        with urllib.request.urlopen(self.url + "/slack/install", timeout=5) as page:
            html = page.read().decode()
            cookie = page.headers["Set-Cookie"].split(";")[0]
        authorize = re.search(r'href="(https://slack.com/oauth/v2/authorize[^"]+)"', html)
        assert authorize, html
        query = parse_qs(urlparse(authorize.group(1).replace("&amp;", "&")).query)
        assert query["client_id"] == ["111.222"]
        assert "commands" in query["scope"][0].split(",")
        code = self.fake.approve_install(
            team_id=team_id, expires_in=expires_in, enterprise_id=enterprise_id, org_wide=org_wide
        )
        request = urllib.request.Request(
            self.url
            + "/slack/oauth_redirect?"
            + urlencode({"code": code, "state": query["state"][0]}),
            headers={"Cookie": cookie},
        )
        with urllib.request.urlopen(request, timeout=5) as done:
            assert done.status == 200
        owner = enterprise_id if org_wide else team_id
        return next(t for t in self.fake._state.tokens if t.startswith(f"xoxb-{owner}-"))

    def tokens_used(self, method: str) -> list[str | None]:
        return [call.token for call in self.fake.calls(method)]


def multi_settings(database_url: str, fake_slack: FakeSlack) -> Settings:
    """Many-workspace mode against the fake Slack."""
    return load_settings(
        database_url=database_url,
        slack_signing_secret=SIGNING_SECRET,
        slack_client_id="111.222",
        slack_client_secret="client-secret-abc",
        slack_token_keys=KEY,
        slack_api_url=fake_slack.api_url,
    )


@pytest.fixture
def multi(
    database_url: str, fake_slack: FakeSlack, engine: Engine, clock: ManualClock
) -> Iterator[MultiApp]:
    settings = multi_settings(database_url, fake_slack)
    with serving(create_app(settings, clock=clock)) as url:
        slack = SlackSide(app_url=url, signing_secret=SIGNING_SECRET, fake=fake_slack)
        yield MultiApp(
            url=url, slack=slack, fake=fake_slack, engine=engine, clock=clock, settings=settings
        )


def test_installing_stores_the_workspace_with_its_token_encrypted(multi: MultiApp) -> None:
    token = multi.install("T0ACME")
    assert multi.tokens_used("auth.test") == [token]  # Bolt checks the new token
    with multi.engine.connect() as db:
        stored = db.execute(text("SELECT team_id, bot_token FROM slack_bots")).all()
    assert [row[0] for row in stored] == ["T0ACME"]
    assert token not in stored[0][1] and not stored[0][1].startswith("xoxb")
    answer = multi.workspace("T0ACME").command(user_id="U1", text="68 21 17 14 16")
    assert answer.status == 200 and "Saved your SSI" in answer.text


def test_a_workspace_that_has_not_installed_gets_told_and_nothing_is_stored(
    multi: MultiApp,
) -> None:
    multi.install("T0ACME")
    answer = multi.workspace("T0NOPE").command(user_id="U1", text="68 21 17 14 16")
    assert (answer.status, answer.body) == (200, "")
    (told,) = multi.fake.wait_for("response_url")  # the answer goes to the response_url
    assert "isn't installed in this workspace" in told.params["text"]
    assert multi.submission_count() == 0


def test_a_forged_or_reused_state_is_refused(multi: MultiApp) -> None:
    code = multi.fake.approve_install(team_id="T0ACME")
    url = multi.url + "/slack/oauth_redirect?" + urlencode({"code": code, "state": "forged"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url, timeout=5)
    assert refused.value.code == 400
    with multi.engine.connect() as db:
        assert db.scalar(text("SELECT count(*) FROM slack_bots")) == 0


def test_two_workspaces_with_the_same_ids_never_cross(multi: MultiApp) -> None:
    acme_token, globex_token = multi.install("T0ACME"), multi.install("T0GLOBEX")
    acme, globex = multi.workspace("T0ACME"), multi.workspace("T0GLOBEX")
    acme.command(user_id="U1", text="70 20 20 15 15", channel_id="C1")
    globex.command(user_id="U1", text="40 10 10 10 10", channel_id="C1")
    assert "*70*" in acme.command(user_id="U2", text="board", channel_id="C1").body
    assert "*70*" not in globex.command(user_id="U2", text="board", channel_id="C1").body
    # Each workspace's Slack calls use its own token: the form opens with it.
    acme.open_view(user_id="U1")
    globex.open_view(user_id="U1")
    assert multi.tokens_used("views.open") == [acme_token, globex_token]


def team_in(engine: Engine, scope: Scope) -> None:
    with engine.begin() as db:
        team = teams.save_team(
            db=db,
            scope=scope,
            channel_id="C1",
            by="UBOSS",
            at=SET_UP,
            setup=TeamSetup(0, 540, "Europe/Berlin", ("UBOSS",)),
        )
        members.replace_members(
            db=db, team_id=team.id, members=[Member("U1", "Ana")], at=SET_UP + timedelta(days=99)
        )


def runner_for(multi: MultiApp) -> tuple[WeeklyRunner, InstalledWorkspaces]:
    assert multi.settings is not None
    workspaces = workspaces_for(multi.settings, multi.engine)
    assert isinstance(workspaces, InstalledWorkspaces)
    runner = WeeklyRunner(
        engine=multi.engine,
        client_for=workspaces.client_for,
        clock=ManualClock(SLOT),
        pacer=ChannelPacer(0),
    )
    return runner, workspaces


def test_the_tick_posts_with_each_workspaces_token_and_stops_after_uninstall(
    multi: MultiApp,
) -> None:
    acme_token, globex_token = multi.install("T0ACME"), multi.install("T0GLOBEX")
    for workspace in ("T0ACME", "T0GLOBEX"):
        team_in(multi.engine, Scope(workspace))
    submit(multi.engine, "U1", 60, SLOT - timedelta(hours=1))
    # Globex uninstalls: Slack sends app_uninstalled, and Bolt deletes its tokens.
    answer = multi.workspace("T0GLOBEX").event({"type": "app_uninstalled"})
    assert answer.status == 200
    runner, _ = runner_for(multi)
    report = runner.tick()
    assert report.sent["board"] == 1
    (post,) = channel_posts(multi.fake)
    assert post.token == acme_token and globex_token not in multi.tokens_used("chat.postMessage")


def test_expiring_tokens_are_refreshed_before_the_tick_uses_them(multi: MultiApp) -> None:
    first = multi.install("T0ACME", expires_in=12 * 3600)  # Slack's rotation: 12 hours
    with multi.engine.begin() as db:  # ...of which only ten minutes are left now
        db.execute(
            text("UPDATE slack_bots SET bot_token_expires_at = :soon"),
            {"soon": datetime.now(UTC).replace(tzinfo=None) + timedelta(minutes=10)},
        )
    team_in(multi.engine, Scope("T0ACME"))
    runner, workspaces = runner_for(multi)
    runner.tick()
    (post,) = channel_posts(multi.fake)
    assert post.token != first and post.token.startswith("xoxb-T0ACME")  # type: ignore[union-attr]
    refreshed = workspaces.store.find_bot(enterprise_id=None, team_id="T0ACME")
    assert refreshed is not None and refreshed.bot_token == post.token
    # Refreshed once: the new token has twelve hours ahead of it.
    assert len([c for c in multi.fake.calls("oauth.v2.access") if c.params.get("grant_type")]) == 1


def counts(engine: Engine, workspace: str) -> tuple[int, int, int]:
    """(submissions, teams, removal records) of a workspace."""
    with engine.connect() as db:
        return tuple(  # type: ignore[return-value]
            db.scalar(
                text(f"SELECT count(*) FROM {table} WHERE workspace_id = :w"), {"w": workspace}
            )
            for table in ("submission", "team", "workspace_removal")
        )


def test_a_removed_workspaces_data_is_purged_after_the_retention_period(
    multi: MultiApp,
) -> None:
    multi.install("T0ACME"), multi.install("T0GLOBEX")
    for workspace in ("T0ACME", "T0GLOBEX"):
        team_in(multi.engine, Scope(workspace))
        multi.workspace(workspace).command(user_id="U1", text="68 21 17 14 16")
    multi.workspace("T0GLOBEX").event({"type": "app_uninstalled"})  # at the app's clock
    removed_at = multi.clock()
    runner, _ = runner_for(multi)
    runner.tick(removed_at + timedelta(days=29))
    assert counts(multi.engine, "T0GLOBEX") == (1, 1, 1)  # kept: it may come back
    runner.tick(removed_at + timedelta(days=30, minutes=1))
    assert counts(multi.engine, "T0GLOBEX") == (0, 0, 0)
    assert counts(multi.engine, "T0ACME") == (1, 1, 0)


def test_reinstalling_within_the_retention_period_keeps_everything(multi: MultiApp) -> None:
    multi.install("T0ACME")
    team_in(multi.engine, Scope("T0ACME"))
    multi.workspace("T0ACME").command(user_id="U1", text="68 21 17 14 16")
    multi.workspace("T0ACME").event({"type": "tokens_revoked", "tokens": {"bot": ["B0BOT"]}})
    assert counts(multi.engine, "T0ACME") == (1, 1, 1)
    with multi.engine.connect() as db:  # no copy of a token is kept, not even encrypted
        for table in ("slack_installations", "slack_bots"):
            query = f"SELECT count(*) FROM {table} WHERE team_id = 'T0ACME'"
            assert db.execute(text(query)).scalar_one() == 0
    multi.install("T0ACME")
    runner, _ = runner_for(multi)
    runner.tick(multi.clock() + timedelta(days=31))
    assert counts(multi.engine, "T0ACME") == (1, 1, 0)


def test_revoking_only_peoples_tokens_keeps_the_workspace(multi: MultiApp) -> None:
    multi.install("T0ACME")
    multi.workspace("T0ACME").event({"type": "tokens_revoked", "tokens": {"oauth": ["U1"]}})
    assert counts(multi.engine, "T0ACME")[2] == 0
    assert "Saved" in multi.workspace("T0ACME").command(user_id="U1", text="68 21 17 14 16").text


def test_exports_and_deletion_stay_inside_their_workspace(multi: MultiApp) -> None:
    from slackapp.render import privacy

    acme_token, globex_token = multi.install("T0ACME"), multi.install("T0GLOBEX")
    acme, globex = multi.workspace("T0ACME"), multi.workspace("T0GLOBEX")
    acme.command(user_id="U1", text="70 20 20 15 15")
    globex.command(user_id="U1", text="40 10 10 10 10")
    globex.command(user_id="U1", text="export")
    multi.fake.wait_for("files.completeUploadExternal")
    (content,) = multi.fake.calls("file.upload")
    assert "40.00" in content.params["content"] and "70.00" not in content.params["content"]
    assert multi.tokens_used("files.completeUploadExternal") == [globex_token]
    prompt = acme.command(user_id="U1", text="forget-me")
    acme.click(user_id="U1", message=prompt.json, action_id=privacy.FORGET_CONFIRM)
    multi.fake.wait_for("response_url")
    assert counts(multi.engine, "T0ACME")[0] == 0
    assert counts(multi.engine, "T0GLOBEX")[0] == 1
    assert acme_token not in multi.tokens_used("files.completeUploadExternal")


def test_an_org_wide_install_serves_each_workspace_of_the_org_apart(multi: MultiApp) -> None:
    token = multi.install("", enterprise_id="E0GRID", org_wide=True)
    one = multi.workspace("T0ONE", "E0GRID", org_wide=True)
    two = multi.workspace("T0TWO", "E0GRID", org_wide=True)
    assert "Saved" in one.command(user_id="U1", text="70 20 20 15 15", channel_id="C1").text
    assert "Saved" in two.command(user_id="U1", text="40 10 10 10 10", channel_id="C1").text
    assert "*70*" not in two.command(user_id="U2", text="board", channel_id="C1").body
    with multi.engine.connect() as db:
        scopes = db.execute(
            text("SELECT enterprise_id, workspace_id FROM submission ORDER BY workspace_id")
        ).all()
    assert [tuple(row) for row in scopes] == [("E0GRID", "T0ONE"), ("E0GRID", "T0TWO")]
    team_in(multi.engine, Scope("T0ONE", "E0GRID"))
    runner, _ = runner_for(multi)
    runner.tick()
    (post,) = channel_posts(multi.fake)
    assert post.token == token


def test_removing_an_org_wide_install_purges_every_workspace_of_the_org(
    multi: MultiApp,
) -> None:
    multi.install("", enterprise_id="E0GRID", org_wide=True)
    for workspace in ("T0ONE", "T0TWO"):
        multi.workspace(workspace, "E0GRID", org_wide=True).command(
            user_id="U1", text="68 21 17 14 16"
        )
    multi.workspace("", "E0GRID", org_wide=True).event({"type": "app_uninstalled"})
    runner, _ = runner_for(multi)
    runner.tick(multi.clock() + timedelta(days=31))
    assert counts(multi.engine, "T0ONE")[0] == 0 and counts(multi.engine, "T0TWO")[0] == 0


def test_a_known_installation_costs_no_slack_call_per_request(multi: MultiApp) -> None:
    """Bolt's authorization is cached per token: auth.test once, not on every /ssi."""
    token = multi.install("T0ACME")
    acme = multi.workspace("T0ACME")
    before = len(multi.fake.calls("auth.test"))
    for n in range(5):
        assert "Saved your SSI" in acme.command(user_id=f"U{n}", text="68 21 17 14 16").text
    assert len(multi.fake.calls("auth.test")) - before <= 1
    assert multi.tokens_used("auth.test")[-1] == token


def test_a_token_slack_says_is_gone_is_dropped_from_the_authorization_cache() -> None:
    import logging

    from slack_bolt import BoltContext
    from slack_bolt.authorization.authorize import InstallationStoreAuthorize
    from slack_sdk.errors import SlackApiError
    from slack_sdk.oauth.installation_store import FileInstallationStore
    from slack_sdk.web import SlackResponse

    from slackapp.slack.bolt_app import token_forgetter

    authorize = InstallationStoreAuthorize(
        installation_store=FileInstallationStore(), logger=logging.getLogger(), cache_enabled=True
    )
    authorize.authorize_result_cache["xoxb-gone"] = object()  # type: ignore[assignment]
    authorize.authorize_result_cache["xoxb-fine"] = object()  # type: ignore[assignment]
    forget = token_forgetter(authorize)

    def failure(code: str) -> SlackApiError:
        response = SlackResponse(
            client=None,
            http_verb="POST",
            api_url="https://slack.com/api/chat.postMessage",
            req_args={},
            data={"ok": False, "error": code},
            headers={},
            status_code=200,
        )
        return SlackApiError(code, response)

    forget(failure("channel_not_found"), BoltContext({"bot_token": "xoxb-fine"}))
    forget(failure("token_revoked"), BoltContext({"bot_token": "xoxb-gone"}))
    assert set(authorize.authorize_result_cache) == {"xoxb-fine"}


def _states(engine: Engine) -> int:
    with engine.connect() as db:
        return db.scalar(text("SELECT count(*) FROM slack_oauth_states")) or 0


def _open_install_page(url: str) -> int:
    try:
        with urllib.request.urlopen(url + "/slack/install", timeout=5) as page:
            return page.status
    except urllib.error.HTTPError as error:
        return error.code


def test_expired_install_states_are_deleted(multi: MultiApp) -> None:
    for _ in range(20):
        assert _open_install_page(multi.url) == 200
    assert _states(multi.engine) == 20
    with multi.engine.begin() as db:  # ten minutes later, nobody came back from Slack
        db.execute(text("UPDATE slack_oauth_states SET expire_at = :past"), {"past": SET_UP})
    assert _open_install_page(multi.url) == 200
    assert _states(multi.engine) == 1
    multi.install("T0ACME")  # a real install still completes and uses its state up
    assert _states(multi.engine) == 1


def test_a_flood_of_install_attempts_is_bounded(
    database_url: str,
    fake_slack: FakeSlack,
    engine: Engine,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("models.store.installations.MAX_LIVE_STATES", 25)
    settings = multi_settings(database_url, fake_slack)
    with serving(create_app(settings, clock=clock)) as url:
        answers = [_open_install_page(url) for _ in range(60)]
        assert answers.count(200) == 25 and answers[25:] == [503] * 35
        assert _states(engine) == 25
        with engine.begin() as db:  # the flood's states expire: installs work again
            db.execute(text("UPDATE slack_oauth_states SET expire_at = :past"), {"past": SET_UP})
        assert _open_install_page(url) == 200
    assert _states(engine) == 1


def test_an_org_wide_removal_keeps_workspaces_that_have_their_own_installation(
    multi: MultiApp,
) -> None:
    multi.install("", enterprise_id="E0GRID", org_wide=True)
    multi.install("T0TWO", enterprise_id="E0GRID")  # T0TWO also installed the app itself
    for workspace in ("T0ONE", "T0TWO"):
        team_in(multi.engine, Scope(workspace, "E0GRID"))
        multi.workspace(workspace, "E0GRID", org_wide=True).command(
            user_id="U1", text="68 21 17 14 16"
        )
    multi.workspace("", "E0GRID", org_wide=True).event({"type": "app_uninstalled"})
    runner, _ = runner_for(multi)
    runner.tick(multi.clock() + timedelta(days=31))
    assert counts(multi.engine, "T0ONE") == (0, 0, 0)
    assert counts(multi.engine, "T0TWO") == (1, 1, 0)  # its own installation: kept
    assert counts(multi.engine, "") == (0, 0, 0)  # the org's removal record is done with
    answer = multi.workspace("T0TWO", "E0GRID").command(user_id="U1", text="me")
    assert answer.status == 200 and "68" in answer.text
