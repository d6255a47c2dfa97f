"""Sharing without retyping, over signed HTTP against the fake Slack: a page pasted into the
app's Messages tab (in every language, or its JSON) is answered with a preview and stored
only on Save, as a typed /ssi would store it, once; Edit opens the form with what was read;
what isn't a page, and what isn't a person's own new message in the DM, stores nothing."""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import select

from models.store.tables import Submission
from slackapp.ocr import screenshot_text
from slackapp.render.form import PASTE_PAGE_ACTION
from slackapp.render.sharing.page_preview import EDIT_ACTION, SAVE_ACTION
from tests.blockkit import assert_valid_message
from tests.conftest import RunningApp
from tests.models.domain.ssi_page.test_page_json import REFERENCE
from tests.ssi_pages import LANGUAGES, page_text

DM = "DU1"


def _answers(app: RunningApp, count: int = 1) -> list[dict[str, Any]]:
    app.fake.wait_for("chat.postMessage", count)
    return app.fake.messages_in(DM)


def _stored(app: RunningApp) -> list[Any]:
    with app.engine.connect() as db:
        return list(db.execute(select(Submission.__table__)))  # type: ignore[attr-defined]


def _text(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_pasted_page_is_previewed_and_saved_once(app: RunningApp, language: str) -> None:
    app.slack.direct_message(user_id="U1", text=page_text(language))
    (preview,) = _answers(app)
    assert_valid_message(preview)
    assert "12.275" in _text(preview) or "12,275" in _text(preview)  # every decimal shown
    assert _stored(app) == []  # nothing until Save
    app.slack.click_in_message(user_id="U1", message=preview, action_id=SAVE_ACTION, channel_id=DM)
    app.fake.wait_for("chat.update")
    (row,) = _stored(app)
    assert row.source == "paste" and row.channel_id is None
    assert (row.total_thousandths, row.brand_thousandths, row.relate_thousandths) == (
        23000,
        12275,
        1948,
    )
    assert (row.industry_top_thousandths, row.network_average_thousandths) == (65000, 30000)
    assert row.industry_name == "Software Development"
    (answer,) = app.fake.messages_in(DM)  # the preview, replaced by the /ssi answer
    assert SAVE_ACTION not in _text(answer)
    # A second Save of the same preview (a double click, a redelivery) stores nothing more.
    app.slack.click_in_message(user_id="U1", message=preview, action_id=SAVE_ACTION, channel_id=DM)
    _answers(app, 2)
    assert len(_stored(app)) == 1


def test_a_page_pasted_after_ssi_in_a_channel_counts_there(app: RunningApp) -> None:
    answer = app.slack.command(user_id="U1", text=page_text("it"), channel_id="C1")
    preview = answer.json
    assert preview["response_type"] == "ephemeral" and "12.275" in _text(preview)  # English: U1's
    assert _stored(app) == []
    preview["ts"] = "1700000000.000900"  # the ts Slack gave the private answer
    for _click in range(2):  # a double click stores it once
        app.slack.click(user_id="U1", message=preview, action_id=SAVE_ACTION, channel_id="C1")
    (saved, again) = app.fake.wait_for("response_url", 2)
    (row,) = _stored(app)
    assert row.source == "paste" and row.channel_id == "C1"
    replies = sorted([saved.params, again.params], key=lambda p: not p.get("replace_original"))
    assert replies[0]["replace_original"] is True  # the preview becomes the /ssi answer


def test_a_long_text_after_ssi_that_isnt_a_page_is_refused(app: RunningApp) -> None:
    answer = app.slack.command(user_id="U1", text="x" * 2000, channel_id="C1")
    assert "doesn't read as your SSI page" in _text(answer.json)
    assert "/ssi 68 21 17 14 16" in _text(answer.json)  # how to share instead
    assert _stored(app) == []


def test_a_short_command_is_still_a_command(app: RunningApp) -> None:
    answer = app.slack.command(user_id="U1", text="68 21 17 14 16", channel_id="C1")
    assert SAVE_ACTION not in _text(answer.json)
    assert len(_stored(app)) == 1


def test_the_pages_json_is_read_exactly(app: RunningApp) -> None:
    app.slack.direct_message(user_id="U1", text=json.dumps(REFERENCE, indent=2))
    (preview,) = _answers(app)
    assert "13.118" in _text(preview) and "2.608" in _text(preview)
    app.slack.click_in_message(user_id="U1", message=preview, action_id=SAVE_ACTION, channel_id=DM)
    app.fake.wait_for("chat.update")
    (row,) = _stored(app)
    assert row.source == "json" and row.brand_thousandths == 13118


def test_edit_opens_the_form_filled_in_and_saves_as_the_page(app: RunningApp) -> None:
    app.slack.direct_message(user_id="U1", text=page_text("de"))
    (preview,) = _answers(app)
    app.slack.click_in_message(user_id="U1", message=preview, action_id=EDIT_ACTION, channel_id=DM)
    (opened,) = app.fake.wait_for("views.open")
    view = opened.view
    assert "12.275" in json.dumps(view)  # the form holds what was read
    app.slack.submit_view(user_id="U1", view=view, typed={})
    (row,) = _stored(app)
    assert row.source == "paste" and row.total_thousandths == 23000


@pytest.mark.parametrize(
    "text",
    [
        "hello there",
        page_text("en").replace("23 out of 100", "42 out of 100", 1),
        "Votre Social Selling Index\n12,2 | Établissez votre marque professionnelle",
    ],
)
def test_what_isnt_a_page_gets_a_specific_answer(app: RunningApp, text: str) -> None:
    app.slack.direct_message(user_id="U1", text=text)
    (answer,) = _answers(app)
    assert "/ssi 68 21 17 14 16" in _text(answer)
    assert SAVE_ACTION not in _text(answer)
    assert _stored(app) == []


@pytest.mark.parametrize(
    "fields",
    [
        {"bot_id": "B0BOT", "subtype": "bot_message"},  # a bot's, the app's own included
        {"subtype": "message_changed", "edited": {"user": "U1", "ts": "1.0"}},  # an edit
        {"subtype": "message_deleted"},  # a deletion
        {"thread_ts": "1700000000.000100"},  # a reply in a thread
        {"channel": "C0SALES", "channel_type": "channel"},  # a channel's message
        {"user": None},  # Slack's null where an id was expected
    ],
)
def test_only_a_persons_own_new_message_in_the_dm_is_read(
    app: RunningApp, fields: dict[str, Any]
) -> None:
    answer = app.slack.direct_message(user_id="U1", text=page_text("en"), **fields)
    assert answer.status == 200
    # A person's own message after it is answered, and it alone.
    app.slack.direct_message(user_id="U1", text="hello")
    (answer_to_hello,) = _answers(app)
    assert SAVE_ACTION not in _text(answer_to_hello)
    assert len(app.fake.calls("chat.postMessage")) == 1


def test_a_redelivered_event_is_answered_once(app: RunningApp) -> None:
    event = {
        "type": "message",
        "channel": DM,
        "user": "U1",
        "text": page_text("en"),
        "ts": "1700000000.000200",
        "channel_type": "im",
    }
    app.slack.event(event, event_id="Ev0SHARE")
    app.slack.event(event, event_id="Ev0SHARE", retry=1)
    _answers(app)
    assert len(app.fake.calls("chat.postMessage")) == 1


def test_a_forged_save_stores_nothing_wrong(app: RunningApp) -> None:
    app.slack.direct_message(user_id="U1", text=page_text("en"))
    (preview,) = _answers(app)
    forged = json.loads(json.dumps(preview))
    for block in forged["blocks"]:
        for element in block.get("elements", []):
            if element.get("action_id") == SAVE_ACTION:
                element["value"] = element["value"].replace('"12.275"', '"24.9"')
    app.slack.click_in_message(user_id="U1", message=forged, action_id=SAVE_ACTION, channel_id=DM)
    _answers(app, 2)
    assert _stored(app) == []  # the pillars no longer make the total: refused


def _share(app: RunningApp, name: str, content: bytes, mimetype: str, **changes: Any) -> None:
    file = {**app.fake.share_file(user="U1", name=name, content=content, mimetype=mimetype)}
    app.slack.direct_message(
        user_id="U1", text="", subtype="file_share", files=[{**file, **changes}]
    )


def test_the_pages_json_shared_as_a_file_is_fetched_with_the_bots_token(app: RunningApp) -> None:
    _share(app, "ssi.json", json.dumps(REFERENCE).encode(), "application/json")
    (preview,) = _answers(app)
    assert "13.118" in _text(preview) and SAVE_ACTION in _text(preview)
    (download,) = app.fake.calls("file.download")
    assert download.token and download.token.startswith("xoxb-")


@pytest.mark.parametrize(
    ("changes", "answer"),
    [
        ({"size": 11 * 1024 * 1024}, "didn't hand me that file"),  # refused before download
        ({"url_private_download": "http://169.254.169.254/latest/meta-data"}, "didn't hand me"),
    ],
)
def test_a_file_too_large_or_not_slacks_is_not_fetched(
    app: RunningApp, changes: dict[str, Any], answer: str
) -> None:
    _share(app, "ssi.json", json.dumps(REFERENCE).encode(), "application/json", **changes)
    (reply,) = _answers(app)
    assert answer in _text(reply)
    assert app.fake.calls("file.download") == []
    assert _stored(app) == []


@pytest.mark.parametrize(
    ("name", "mimetype", "answer"),
    [
        ("ssi.png", "image/png", "couldn't read that picture"),  # not really a PNG
        ("notes.pdf", "application/pdf", "is neither"),
        ("data.json", "application/json", "memberScore"),  # JSON, but not the page's
    ],
)
def test_other_files_get_a_specific_answer(
    app: RunningApp, name: str, mimetype: str, answer: str
) -> None:
    _share(app, name, b'{"hello": "world"}', mimetype)
    (reply,) = _answers(app)
    assert answer in _text(reply)
    assert _stored(app) == []


# CI installs Tesseract (REQUIRE_TESSERACT=1 there); elsewhere these wait for it.
needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None and not os.environ.get("REQUIRE_TESSERACT"),
    reason="Tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-deu ...)",
)
SCREENS = Path(__file__).resolve().parents[3] / "data" / "ssi_screens"


@needs_tesseract
@pytest.mark.parametrize("name", sorted(p.name for p in SCREENS.iterdir()))
def test_a_screenshot_in_each_language_is_read_and_saved(app: RunningApp, name: str) -> None:
    mimetype = "image/png" if name.endswith(".png") else "image/jpeg"
    _share(app, name, (SCREENS / name).read_bytes(), mimetype)
    app.fake.wait_for("chat.postMessage", timeout=60)
    (preview,) = app.fake.messages_in(DM)
    assert SAVE_ACTION in _text(preview), _text(preview)
    app.slack.click_in_message(user_id="U1", message=preview, action_id=SAVE_ACTION, channel_id=DM)
    app.fake.wait_for("chat.update")
    (row,) = _stored(app)
    assert row.source == "screenshot"
    assert (row.total_thousandths, row.brand_thousandths, row.find_thousandths) == (
        23000,
        12275,
        6000,
    )
    assert (row.industry_top_thousandths, row.network_top_thousandths) == (65000, 58000)


@needs_tesseract
def test_a_webp_screenshot_is_read(app: RunningApp) -> None:
    webp = io.BytesIO()
    Image.open(SCREENS / "de-laptop-light.png").save(webp, "WEBP", quality=80)  # made here
    _share(app, "ssi.webp", webp.getvalue(), "image/webp")
    app.fake.wait_for("chat.postMessage", timeout=60)
    (preview,) = app.fake.messages_in(DM)
    assert SAVE_ACTION in _text(preview) and "12.275" in _text(preview)


def test_a_picture_over_10_mb_is_never_fetched(app: RunningApp) -> None:
    big = {"size": 11 * 1024 * 1024}
    _share(app, "ssi.png", (SCREENS / "en-laptop-light.png").read_bytes(), "image/png", **big)
    (reply,) = _answers(app)
    assert "larger than I read" in _text(reply)
    assert app.fake.calls("file.download") == []


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG")  # one bit a pixel: small to make
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "answer"),
    [
        (_png(8000, 6000), "larger than I read"),  # 48 megapixels: refused from its header
        (b"GIF89a" + b"\0" * 100, "couldn't read that picture"),
    ],
)
def test_a_picture_too_large_or_not_ours_is_refused_before_it_is_read(
    app: RunningApp, content: bytes, answer: str
) -> None:
    _share(app, "ssi.png", content, "image/png")
    (reply,) = _answers(app)
    assert answer in _text(reply)
    assert _stored(app) == []


@needs_tesseract
def test_a_picture_that_takes_too_long_gets_try_a_paste(
    app: RunningApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(screenshot_text, "SECONDS", 0.001)
    _share(app, "ssi.png", (SCREENS / "en-laptop-light.png").read_bytes(), "image/png")
    (reply,) = _answers(app)
    assert "couldn't read that picture" in _text(reply)


def test_past_the_queue_a_picture_is_turned_away_at_once(
    app: RunningApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(screenshot_text, "WAITING", 0)
    _share(app, "ssi.png", (SCREENS / "en-laptop-light.png").read_bytes(), "image/png")
    (reply,) = _answers(app)
    assert "Many pictures are being read right now" in _text(reply)


def test_the_forms_paste_fills_the_form_in_and_saving_it_stores_a_paste(app: RunningApp) -> None:
    _answer, opened = app.slack.open_view(user_id="U1", channel_id="C1")
    form = {**opened.view, "id": "V0FORM"}
    app.slack.click_in_view(user_id="U1", view=form, action_id=PASTE_PAGE_ACTION)
    (pushed,) = app.fake.wait_for("views.push")
    paste = {**pushed.view, "id": "V0PASTE", "previous_view_id": "V0FORM"}
    # Not a page: said beside the field.
    refused = app.slack.submit_view(user_id="U1", view=paste, typed={"page": "hello"})
    assert "doesn't read as your SSI page" in refused.json["errors"]["page"]
    # A page: the paste's view becomes the form, filled in with what was read (new
    # fields, so Slack shows their initial values), and nothing is stored yet.
    answer = app.slack.submit_view(user_id="U1", view=paste, typed={"page": page_text("nl")})
    assert answer.json["response_action"] == "update"
    filled = {**answer.json["view"], "id": "V0PASTE", "previous_view_id": "V0FORM"}
    assert "12.275" in json.dumps(filled) and _stored(app) == []
    saved = app.slack.submit_view(user_id="U1", view=filled, typed={})
    assert saved.json == {"response_action": "clear"}  # the form and the one beneath close
    (row,) = _stored(app)
    assert row.source == "paste" and row.channel_id == "C1" and row.total_thousandths == 23000
    assert row.industry_name == "Software Development"


def test_edit_then_save_on_the_preview_stores_once(app: RunningApp) -> None:
    app.slack.direct_message(user_id="U1", text=page_text("en"))
    (preview,) = _answers(app)
    app.slack.click_in_message(user_id="U1", message=preview, action_id=EDIT_ACTION, channel_id=DM)
    (opened,) = app.fake.wait_for("views.open")
    app.slack.submit_view(user_id="U1", view=opened.view, typed={})
    app.slack.click_in_message(user_id="U1", message=preview, action_id=SAVE_ACTION, channel_id=DM)
    _answers(app, 2)
    assert len(_stored(app)) == 1
