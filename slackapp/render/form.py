"""The ``/ssi`` submission form (a modal), prefilled from the person's last reading."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from models.domain.ssi import Pillar, Reading
from slackapp.render.blocks import Block, context_block, modal, score

SUBMISSION_CALLBACK = "ssi_submission"


MODAL_FIELDS: list[tuple[str, str, str, bool]] = [
    # (block id, label, placeholder, optional)
    ("total", "Total SSI (leave empty to add up the pillars)", "68", True),
    ("brand", Pillar.BRAND.title, "21.4", False),
    ("find", Pillar.FIND.title, "17.66", False),
    ("engage", Pillar.ENGAGE.title, "13.78", False),
    ("relate", Pillar.RELATE.title, "19.4", False),
    ("industry_average", "Industry SSI average", "22", True),
    ("industry_top", "Your industry rank: top … %", "5", True),
    ("network_average", "Network SSI average", "37", True),
    ("network_top", "Your network rank: top … %", "14", True),
]


def _prefill(reading: Reading | None) -> dict[str, str]:
    if reading is None:
        return {}
    values: dict[str, Decimal | None] = {
        "total": reading.total,
        **{p.value: reading.pillar(p) for p in Pillar},
    }
    for name, benchmark in (("industry", reading.industry), ("network", reading.network)):
        values[f"{name}_average"] = benchmark.average
        values[f"{name}_top"] = benchmark.top_percent
    return {key: score(value) for key, value in values.items() if value is not None}


def submission_modal(previous: Reading | None, metadata: dict[str, str]) -> dict[str, Any]:
    """The ``/ssi`` form, prefilled from the last submission."""
    prefill = _prefill(previous)
    blocks: list[Block] = [
        context_block(
            "Copy the numbers from linkedin.com/sales/ssi. Decimals with a comma or a point "
            "are both fine."
        )
    ]
    for block_id, label, placeholder, optional in MODAL_FIELDS:
        element: dict[str, Any] = {
            "type": "plain_text_input",
            "action_id": "value",
            "placeholder": {"type": "plain_text", "text": placeholder},
        }
        if block_id in prefill:
            element["initial_value"] = prefill[block_id]
        blocks.append(
            {
                "type": "input",
                "block_id": block_id,
                "optional": optional,
                "label": {"type": "plain_text", "text": label},
                "element": element,
            }
        )
    return modal(SUBMISSION_CALLBACK, "Your SSI", blocks, metadata)
