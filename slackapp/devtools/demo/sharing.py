"""Sharing without retyping, in the demo's last week: one seller pastes their whole SSI page
into the app's Messages tab, another sends a screenshot of it (drawn here, and kept as a PNG
in a folder that outlives the demo). The app answers each with a preview; they press Save,
and what they saved is their score on that week's board."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from slackapp.devtools.demo.page_picture import draw_page
from slackapp.devtools.demo.printer import DemoPrinter
from slackapp.devtools.demo.ssi_page import page_lines, page_text
from slackapp.devtools.demo.team import Seller
from slackapp.devtools.fake_slack.server import FakeSlack
from slackapp.devtools.slack_side import SlackSide
from slackapp.render.sharing.page_preview import SAVE_ACTION

# The app gives Tesseract 30 s a picture; on a busy machine it may wait its turn first.
READ_SECONDS = 90.0
INSTALL = (
    "apt-get install tesseract-ocr tesseract-ocr-deu tesseract-ocr-spa tesseract-ocr-ita "
    "tesseract-ocr-nld"
)


def screenshots_folder() -> Path:
    """Beside the charts' folder (``home.write_charts``), which empties itself every run."""
    folder = Path(tempfile.gettempdir()) / "ssi-demo-screenshots"
    folder.mkdir(exist_ok=True)
    return folder


def paste_page(slack: SlackSide, fake: FakeSlack, seller: Seller, out: DemoPrinter) -> bool:
    """The seller copies their whole SSI page and pastes it into the app's DM. False when
    the app found nothing to save (then they type their SSI instead)."""
    text = page_text(seller)
    lines = text.splitlines()
    out.acts(
        seller,
        f"pastes their whole SSI page into the app's Messages tab ({len(lines)} lines; "
        "linkedin.com/sales/ssi, select all, copy):",
    )
    # Their own part, through the fourth pillar row; the industry's and network's cards
    # that follow read the same way and would only lengthen the demo.
    own = next(i for i, line in enumerate(lines) if "|" in line) + 4
    for line in lines[:own]:
        print(f"  > {line}")
    print(f"  > … {len(lines) - own} more lines: the industry's and the network's cards")
    held = len(fake.messages_in(_dm(seller)))
    slack.direct_message(user_id=seller.user_id, text=text)
    return _preview_and_save(slack, fake, seller, out, held, timeout=10)


def send_screenshot(slack: SlackSide, fake: FakeSlack, seller: Seller, out: DemoPrinter) -> bool:
    """The seller sends a screenshot of their SSI page to the app's DM. False when it wasn't
    read and saved (no Tesseract here, or a misread): then they type their SSI instead."""
    path = screenshots_folder() / f"{seller.name.split()[0].lower()}-ssi-page.png"
    png = draw_page(page_lines(seller, places=3))
    path.write_bytes(png)  # kept whatever happens next: the picture is the demo's to show
    out.acts(seller, f"sends a screenshot of their SSI page to the app's Messages tab: {path}")
    if shutil.which("tesseract") is None:
        out.note(f"reading screenshots needs Tesseract, not installed here (README): {INSTALL}")
        return False
    held = len(fake.messages_in(_dm(seller)))
    file = fake.share_file(user=seller.user_id, name=path.name, content=png, mimetype="image/png")
    slack.direct_message(user_id=seller.user_id, text="", subtype="file_share", files=[file])
    out.note("the app reads the picture with Tesseract, on its own thread, then answers")
    return _preview_and_save(slack, fake, seller, out, held, timeout=READ_SECONDS)


def _dm(seller: Seller) -> str:
    return "D" + seller.user_id  # the app's DM with them, as the fake Slack names it


def _preview_and_save(
    slack: SlackSide,
    fake: FakeSlack,
    seller: Seller,
    out: DemoPrinter,
    held: int,
    *,
    timeout: float,
) -> bool:
    """The app's preview in the DM (after the ``held`` messages it had), then Save and the
    answer that replaces it. False when the preview offered nothing to save."""
    preview = _next_message(fake, _dm(seller), held, timeout)
    print("\nThe app answers in the DM:")
    print(out.terminal.blocks(preview.get("blocks", [])))
    buttons = [e for b in preview.get("blocks", []) for e in b.get("elements", [])]
    if not any(button.get("action_id") == SAVE_ACTION for button in buttons):
        out.note("nothing to save: they type their SSI instead")
        return False
    updated = len(fake.calls("chat.update"))
    out.note("they check the numbers and press Save; the preview becomes the app's answer")
    slack.click_in_message(
        user_id=seller.user_id, message=preview, action_id=SAVE_ACTION, channel_id=_dm(seller)
    )
    answer = fake.wait_for("chat.update", updated + 1, timeout=10)[-1]
    print(out.terminal.blocks(answer.blocks))
    return True


def _next_message(fake: FakeSlack, dm: str, held: int, timeout: float) -> dict[str, Any]:
    """The app's next message in ``dm``, as Slack's client holds it (with its ``ts``, for
    pressing its buttons). Polled: the app answers from its own thread, after the ack."""
    deadline = time.monotonic() + timeout
    while len(messages := fake.messages_in(dm)) <= held:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the app didn't answer in {dm} within {timeout:.0f} s")
        time.sleep(0.05)
    return messages[held]


# Who shares their page in the last week instead of typing /ssi, and how: Ana pastes it (in
# Spanish, as her LinkedIn speaks), Emma sends a screenshot. Each returns False when nothing
# was saved, and then they type it as every week.
SHARES_PAGE: dict[str, Callable[[SlackSide, FakeSlack, Seller, DemoPrinter], bool]] = {
    "U0ANA": paste_page,
    "U0EMMA": send_screenshot,
}
