"""The SSI page's own data: the JSON the page loads from LinkedIn (``memberScore`` and
``groupScore``), pasted or shared as a file. Exact values, keyed on ``pillar`` and on
``groupType``, never on their order; every group and its extras optional. Pure; for any
input, either a checked ``PageReading`` or ``NotAnSsiPage``."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from models.domain.ssi import Pillar
from models.domain.ssi_page.page_reading import (
    NotAnSsiPage,
    PageReading,
    Source,
    checked,
    on_page,
    require_every_pillar,
)
from models.domain.words import N_

MAX_JSON = 200_000  # characters: the page's data is a few hundred; a saved response more
NAME_LIMIT = 80

PILLAR_KEYS = {
    "PROFESSIONAL_BRAND": Pillar.BRAND,
    "FIND_RIGHT_PEOPLE": Pillar.FIND,
    "INSIGHT_ENGAGEMENT": Pillar.ENGAGE,
    "STRONG_RELATIONSHIP": Pillar.RELATE,
}


def looks_like_page_json(text: str) -> bool:
    """Whether ``text`` is meant as the page's JSON (then it is read as that, or refused as
    that), rather than a paste of the page."""
    stripped = text.lstrip()
    return stripped.startswith("{") and "memberScore" in stripped[:MAX_JSON]


def _number(value: Any) -> Decimal | None:
    """A score or a rank, as the page shows it; None for anything that can't be one (a
    number far out of any SSI's range is left for ``checked`` to refuse, at 1,000)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    typed = str(value)
    if len(typed) > 32:
        return None
    try:
        number = Decimal(typed)
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    return on_page(number.max(Decimal(-1000)).min(Decimal(1000)))


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _find(data: Any) -> dict[str, Any] | None:
    """The object holding ``memberScore``: the top level, or one level down (a saved
    response wraps it, as in ``{"data": {...}}``)."""
    if isinstance(data, dict):
        if isinstance(data.get("memberScore"), dict):
            return data
        for value in data.values():
            if isinstance(value, dict) and isinstance(value.get("memberScore"), dict):
                return value
    return None


def read_page_json(text: str) -> PageReading:
    """Read the page's JSON. Raises ``NotAnSsiPage``."""
    if len(text) > MAX_JSON:
        raise NotAnSsiPage(N_("That file is far larger than an SSI page's data."))
    try:
        data = _find(json.loads(text))
    except (ValueError, RecursionError):
        data = None
    if data is None:
        raise NotAnSsiPage(
            N_("That isn't the SSI page's data: I looked for its memberScore and found none.")
        )
    member = data["memberScore"]
    pillars: dict[Pillar, Decimal] = {}
    for entry in _list(member.get("subScores")):
        if not isinstance(entry, dict):
            continue
        pillar, score = PILLAR_KEYS.get(str(entry.get("pillar"))), _number(entry.get("score"))
        if pillar is not None and score is not None:
            pillars[pillar] = score
    require_every_pillar(pillars)
    groups: dict[str, dict[str, Any]] = {}
    for group in _list(data.get("groupScore")):
        if isinstance(group, dict) and isinstance(group.get("groupType"), str):
            groups.setdefault(group["groupType"].upper(), group)
    industry, network = groups.get("INDUSTRY", {}), groups.get("NETWORK", {})
    overall = _number(member.get("overall"))
    name = industry.get("industry")
    return checked(
        PageReading(
            pillars={p: pillars[p] for p in Pillar},
            source=Source.JSON,
            total=overall,
            industry_top=_number(industry.get("rank")),
            network_top=_number(network.get("rank")),
            industry_average=_average(industry),
            network_average=_average(network),
            industry_name=" ".join(name.split())[:NAME_LIMIT] or None
            if isinstance(name, str)
            else None,
        )
    )


def _average(group: dict[str, Any]) -> Decimal | None:
    score = group.get("score")
    return _number(score.get("overall")) if isinstance(score, dict) else None
