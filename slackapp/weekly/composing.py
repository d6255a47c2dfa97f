"""What a tick says: each due team's board and its managers' DMs, composed in the team's
language from the week's boards, the workspace's team standings and the team's momentum."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import Engine

from models.domain.teams import TeamRecord
from models.domain.weekly.board import WeeklyBoard
from models.domain.weekly.standings import TeamStanding
from models.domain.weeks import last_ended_week
from models.services.boards import workspace_boards
from models.services.momentum import Momentum, posting_momentum
from models.store.weekly.ledger import PostKey
from slackapp.language.speech import speaking
from slackapp.render.charts import pictures as charts
from slackapp.render.weekly import board as weekly_messages
from slackapp.render.weekly import coaching
from slackapp.weekly.due import Due, Post, in_order

Workspace = tuple[list[Due], dict[int, WeeklyBoard], list[TeamStanding]]


def workspaces_due(
    engine: Engine,
    due: list[Due],
    all_teams: list[TeamRecord],
    posted: dict[int, list[datetime]],
    now: datetime,
) -> Iterator[Workspace]:
    """The due boards, workspace by workspace, with every board of the workspace and its
    team standings. Team vs team needs every team of a workspace that has a board due, each
    standing with its own latest full week."""
    due_by_team = {d.team.id: d for d in due}
    scopes = {d.team.scope for d in due}
    involved = [t for t in all_teams if t.scope in scopes]
    weeks = {t.id: last_ended_week(t.schedule, now, posted=posted.get(t.id, [])) for t in involved}
    weeks.update({d.team.id: d.week for d in due})
    for boards, standings in workspace_boards(engine, involved, weeks):
        items = [due_by_team[team_id] for team_id in boards if team_id in due_by_team]
        yield items, boards, standings


def workspace_posts(
    engine: Engine, workspace: Workspace, now: datetime, *, with_charts: bool
) -> list[Post]:
    """A workspace's due boards and managers' DMs, each in its team's language."""
    items, boards, standings = workspace
    with engine.begin() as db:
        momenta = posting_momentum(db=db, teams=[i.team for i in items], boards=boards, now=now)
    posts: list[Post] = []
    for item in items:
        posts += board_posts(
            item, boards[item.team.id], standings, momenta[item.team.id], with_charts=with_charts
        )
    return posts


def board_posts(
    item: Due,
    board: WeeklyBoard,
    standings: list[TeamStanding],
    momentum: Momentum,
    *,
    with_charts: bool,
) -> list[Post]:
    """The channel's post (with its chart) and the managers' DMs, in the team's language."""
    team = item.team
    with speaking(team.language):
        post = weekly_messages.channel_board(
            board, team_id=team.id, standings=standings, momentum=momentum
        )
        chart = charts.team_week(board) if with_charts else None
        summary = coaching.manager_summary(
            board,
            team_id=team.id,
            channel_id=team.channel_id,
            standings=standings,
            momentum=momentum,
        )
    posts = [
        Post(team, PostKey(team.id, "board", item.week.key), team.channel_id, post, chart=chart)
    ]
    posts += [in_order(team, "manager", item.week.key, m, summary) for m in team.managers]
    return posts
