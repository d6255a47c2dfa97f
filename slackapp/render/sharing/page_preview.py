"""The preview of a shared SSI page (a paste, the page's JSON): what was read, what
wasn't found, and Save and Edit. Nothing is stored until Save. And the answer to what
isn't an SSI page: why, and how to share instead."""

from __future__ import annotations

from models.domain.ssi import Pillar
from models.domain.ssi_page.page_reading import PART_NAMES, NotAnSsiPage, PageReading, to_value
from slackapp.language.speech import _, as_read, explain, pillar_title
from slackapp.render.blocks import EXAMPLE, Block, Message, button, context_block, escape, section

SAVE_ACTION = "ssi_page_save"
EDIT_ACTION = "ssi_page_edit"


def _benchmark_lines(page: PageReading) -> list[str]:
    lines = []
    if page.industry_name:
        lines.append(_("Industry: {name}").format(name=escape(page.industry_name)))
    if page.industry_top is not None:
        lines.append(_("Industry rank: top {top}%").format(top=as_read(page.industry_top)))
    if page.industry_average is not None:
        average = as_read(page.industry_average)
        lines.append(_("Industry average: {average}").format(average=average))
    if page.network_top is not None:
        lines.append(_("Network rank: top {top}%").format(top=as_read(page.network_top)))
    if page.network_average is not None:
        average = as_read(page.network_average)
        lines.append(_("Network average: {average}").format(average=average))
    return lines


def page_preview(page: PageReading) -> Message:
    """What was read, for the person to check, with Save and Edit."""
    intro = _("Here's what I read from your SSI page. Nothing is saved until you press Save.")
    total = _("*{total}* out of 100").format(total=as_read(page.shown_total))
    pillars = "\n".join(f"• {pillar_title(p)}: *{as_read(page.pillars[p])}*" for p in Pillar)
    blocks: list[Block] = [section(intro), section(f"{total}\n{pillars}")]
    if benchmarks := _benchmark_lines(page):
        blocks.append(section("\n".join(benchmarks)))
    if page.missing:
        parts = ", ".join(_(PART_NAMES[name]) for name in page.missing)
        blocks.append(context_block(_("Not found in what you sent: {parts}.").format(parts=parts)))
    value = to_value(page)
    blocks.append(
        {
            "type": "actions",
            "elements": [
                button(_("Save"), SAVE_ACTION, value, style="primary"),
                button(_("Edit"), EDIT_ACTION, value),
            ],
        }
    )
    return Message(text=f"{intro} {total}", blocks=blocks)


def not_a_page(refused: NotAnSsiPage) -> Message:
    """Why what was sent isn't read as an SSI page, and how to share instead."""
    how = _(
        "To share your SSI, paste your whole SSI page here (linkedin.com/sales/ssi: select "
        "all, copy), or type `{example}`."
    ).format(example=EXAMPLE)
    text = f"{explain(refused)} {how}"
    return Message(text=text, blocks=[section(f":mag: {text}")])


def already_saved() -> Message:
    text = _("That reading is saved already.")
    return Message(text=text, blocks=[section(text)])


def picture_not_read(reason: str) -> Message:
    """Why a screenshot wasn't read (``NotRead.reason``), and how to share instead."""
    if reason == "too large":
        text = _(
            "That picture is larger than I read (10 MB, 40 megapixels). Send a smaller "
            "screenshot, or paste the page's text instead."
        )
    elif reason == "busy":
        text = _(
            "Many pictures are being read right now. Send it again in a minute, or paste the "
            "page's text instead: it is read at once."
        )
    else:
        text = _(
            "I couldn't read that picture. Paste your SSI page's text instead: on "
            "linkedin.com/sales/ssi select all, copy, and paste it here."
        )
    return Message(text=text, blocks=[section(f":frame_with_picture: {text}")])


def file_not_read(name: str) -> Message:
    text = _(
        "I read an SSI page pasted as text, or the page's own data as a .json file; "
        "“{name}” is neither, so nothing was read."
    ).format(name=escape(name[:80]))
    return Message(text=text, blocks=[section(text)])


def file_not_fetched() -> Message:
    text = _(
        "Slack didn't hand me that file (or it is larger than an SSI page's data), so nothing "
        "was read. Paste the page's text instead."
    )
    return Message(text=text, blocks=[section(text)])
