"""Read the submission modal's fields into a ``Reading``, collecting an error per field so
Slack can show each beside its input (``response_action: errors``)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

from models.domain.ssi import (
    Benchmark,
    InvalidReading,
    Pillar,
    Reading,
    build_benchmark,
    build_reading,
    check_average,
    check_pillar,
    check_top_percent,
    check_total,
)
from models.domain.words import N_, Phrase
from slackapp.language.speech import explain
from slackapp.render.form import MODAL_FIELDS
from slackapp.slack.readers.forms import FormErrors
from slackapp.slack.readers.typed_numbers import parse_number, unescape_slack

# How a refusal names each field: a pillar by its LinkedIn name, the rest by their label.
LABELS: dict[str, Phrase | Pillar] = {
    block_id: Pillar(block_id) if not label else Phrase(label)
    for block_id, label, _p, _o in MODAL_FIELDS
}

# Each field's own rule, so that every wrong field is marked at once.
FIELD_CHECKS: dict[str, Callable[[Decimal], None]] = {
    "total": check_total,
    **{p.value: partial(check_pillar, p) for p in Pillar},
    **{f"{n}_average": partial(check_average, n) for n in ("industry", "network")},
    **{f"{n}_top": partial(check_top_percent, n) for n in ("industry", "network")},
}


def field_values(view: dict[str, Any]) -> dict[str, str]:
    """The typed text of each input in a submitted view, by block id (empty ones left out)."""
    values: dict[str, str] = {}
    for block_id, actions in (view.get("state", {}).get("values", {}) or {}).items():
        typed = (actions.get("value") or {}).get("value")
        if isinstance(typed, str) and typed.strip():
            values[block_id] = unescape_slack(typed.strip())
    return values


def reading_from_form(values: dict[str, str]) -> Reading:
    """Validate the form; raise ``FormErrors`` with every problem found."""
    errors: dict[str, str] = {}
    numbers: dict[str, Decimal] = {}
    for block_id, _label, _p, optional in MODAL_FIELDS:
        typed = values.get(block_id)
        if typed is None:
            if not optional:
                needed = InvalidReading(N_("{label} is needed."), label=LABELS[block_id])
                errors[block_id] = explain(needed)
            continue
        try:
            numbers[block_id] = parse_number(typed, LABELS[block_id], block_id)
            FIELD_CHECKS[block_id](numbers[block_id])
        except InvalidReading as error:
            errors[block_id] = explain(error)
    if errors:
        raise FormErrors(errors)
    try:
        benchmarks = {
            name: build_benchmark(name, numbers.get(f"{name}_average"), numbers.get(f"{name}_top"))
            for name in ("industry", "network")
        }
        return build_reading(
            numbers.get("total"),
            {p: numbers[p.value] for p in Pillar},
            industry=benchmarks.get("industry", Benchmark()),
            network=benchmarks.get("network", Benchmark()),
        )
    except InvalidReading as error:
        raise FormErrors({error.field or "total": explain(error)}) from None
