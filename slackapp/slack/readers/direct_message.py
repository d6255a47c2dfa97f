"""A message a person sent the app in its Messages tab (a ``message.im`` event), or nothing:
only a person's own new message in the DM is read as something to share. Bots (the app's own
answers included), edits, deletions, thread replies, joins and every channel's messages are
not. Pure; any event reads without raising."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# The subtypes that are still a person's own new message: plain, or with a file.
_OWN = (None, "", "file_share")


@dataclass(frozen=True, slots=True)
class SharedFile:
    """A file shared with the message, as the event describes it (its bytes are fetched
    from ``url``, with the bot's token)."""

    name: str
    mimetype: str
    size: int  # bytes, as Slack says: checked before anything is downloaded
    url: str  # url_private_download

    @property
    def json(self) -> bool:
        return self.mimetype == "application/json" or self.name.lower().endswith(".json")

    @property
    def picture(self) -> bool:
        return self.mimetype in ("image/png", "image/jpeg", "image/webp")

    @classmethod
    def of(cls, file: object) -> SharedFile | None:
        if not isinstance(file, Mapping):
            return None
        name, mimetype, size = file.get("name"), file.get("mimetype"), file.get("size")
        url = file.get("url_private_download")
        if not (isinstance(url, str) and url and isinstance(size, int) and size >= 0):
            return None
        return cls(
            name if isinstance(name, str) else "",
            mimetype if isinstance(mimetype, str) else "",
            size,
            url,
        )


@dataclass(frozen=True, slots=True)
class DirectMessage:
    """What the person sent: who, in which DM, when (its ``ts``), the text, and the files
    shared with it (those Slack describes fully)."""

    user_id: str
    channel_id: str
    ts: str
    text: str
    files: tuple[SharedFile, ...] = ()
    unreadable_files: bool = False  # files listed that Slack didn't describe enough to fetch

    @classmethod
    def of(cls, event: Mapping[str, Any]) -> DirectMessage | None:
        if event.get("type") != "message" or event.get("channel_type") != "im":
            return None
        if event.get("subtype") not in _OWN or event.get("bot_id") or event.get("edited"):
            return None
        ts, thread = event.get("ts"), event.get("thread_ts")
        if thread and thread != ts:  # a reply in a thread
            return None
        user, channel, text = event.get("user"), event.get("channel"), event.get("text")
        if not (isinstance(user, str) and user and isinstance(channel, str) and channel):
            return None
        if not isinstance(ts, str):
            return None
        listed = event.get("files")
        files = tuple(
            found
            for file in (listed if isinstance(listed, list) else [])
            if (found := SharedFile.of(file)) is not None
        )
        unreadable = isinstance(listed, list) and len(files) < len(listed)
        return cls(user, channel, ts, text if isinstance(text, str) else "", files, unreadable)
