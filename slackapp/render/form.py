"""The ``/ssi`` submission form (a modal), prefilled from the person's last reading."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from models.domain.ssi import Pillar, Reading
from models.domain.words import N_
from slackapp.language.speech import _, pillar_title
from slackapp.render.blocks import Block, button, context_block, modal, score

SUBMISSION_CALLBACK = "ssi_submission"
PASTE_PAGE_ACTION = "ssi_paste_page"  # the form's "Paste my SSI page instead" button
PASTE_PAGE_CALLBACK = "ssi_paste_page_view"
PASTE_LIMIT = 3000  # characters: Slack's most for a text input; a page's copy is about 1,000


MODAL_FIELDS: list[tuple[str, str, str, bool]] = [
    # (block id, label, placeholder, optional); a pillar's label is its LinkedIn name
    ("total", N_("Total SSI"), "68", True),
    ("brand", "", "21.4", False),
    ("find", "", "17.66", False),
    ("engage", "", "13.78", False),
    ("relate", "", "19.4", False),
    ("industry_average", N_("Industry SSI average"), "22", True),
    ("industry_top", N_("Your industry rank: top … %"), "5", True),
    ("network_average", N_("Network SSI average"), "37", True),
    ("network_top", N_("Your network rank: top … %"), "14", True),
]
HINTS = {"total": N_("Leave it empty to add up the pillars.")}


def field_label(block_id: str) -> str:
    """A form field's label in the active language."""
    if block_id in {p.value for p in Pillar}:
        return pillar_title(Pillar(block_id))
    return _(next(label for b, label, _p, _o in MODAL_FIELDS if b == block_id))


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


def submission_modal(
    previous: Reading | None, metadata: dict[str, str], *, from_page: bool = False
) -> dict[str, Any]:
    """The ``/ssi`` form, prefilled from the last submission (or, ``from_page``, from what
    was read off a pasted page, for the person to check before they save it)."""
    prefill = _prefill(previous)
    if from_page:
        intro = _("Read from your SSI page: check the numbers, then press Save.")
    else:
        intro = _(
            "Copy the numbers from linkedin.com/sales/ssi. Decimals with a comma or a point "
            "are both fine."
        )
    blocks: list[Block] = [
        context_block(intro),
        {
            "type": "actions",
            "block_id": "paste",
            "elements": [button(_("Paste my SSI page instead"), PASTE_PAGE_ACTION)],
        },
    ]
    for block_id, _label, placeholder, optional in MODAL_FIELDS:
        element: dict[str, Any] = {
            "type": "plain_text_input",
            "action_id": "value",
            "placeholder": {"type": "plain_text", "text": placeholder},
        }
        if block_id in prefill:
            element["initial_value"] = prefill[block_id]
        block = {
            "type": "input",
            "block_id": block_id,
            "optional": optional,
            "label": {"type": "plain_text", "text": field_label(block_id)},
            "element": element,
        }
        if block_id in HINTS:
            block["hint"] = {"type": "plain_text", "text": _(HINTS[block_id])}
        blocks.append(block)
    return modal(SUBMISSION_CALLBACK, _("Your SSI"), blocks, metadata)


def paste_page_modal(metadata: dict[str, str]) -> dict[str, Any]:
    """Pushed over the form: one field for the whole page as copied. Saving it fills the
    form in with what was read; nothing is stored until the form itself is saved."""
    field = {
        "type": "input",
        "block_id": "page",
        "label": {"type": "plain_text", "text": _("Your SSI page")},
        "hint": {
            "type": "plain_text",
            "text": _("On linkedin.com/sales/ssi: select all, copy, and paste it here."),
        },
        "element": {
            "type": "plain_text_input",
            "action_id": "value",
            "multiline": True,
            "max_length": PASTE_LIMIT,
        },
    }
    return modal(PASTE_PAGE_CALLBACK, _("Paste your SSI page"), [field], metadata)
