"""The fake Slack's files: the upload flow ``files_upload_v2`` drives, and the delay before a
freshly uploaded image may be shown.

Slack finishes an upload asynchronously: ``files.completeUploadExternal`` answers at once,
but until the file is processed ``files.info`` shows it without its image details, and a
message or view whose image block names it by ``slack_file`` is refused with
``invalid_blocks`` ("invalid slack file"). The fake does the same, for ``processing``
seconds after the upload completes, so the app's wait for a file is tested, not assumed.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Where a file's bytes go (files_upload_v2's step 2): the fake's own URL, then the file id.
UPLOAD_PATH = "/upload/"


@dataclass
class StoredFile:
    id: str
    name: str = ""
    title: str = ""
    alt_txt: str = ""
    length: int = 0
    content: bytes = b""
    ready_at: float | None = None  # set when the upload completes

    def ready(self) -> bool:
        return self.ready_at is not None and time.monotonic() >= self.ready_at


@dataclass
class FileStore:
    """Uploaded files by id; ``processing``: seconds until a completed upload is usable."""

    processing: float = 0.2
    files: dict[str, StoredFile] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def upload_url(self, file_id: str, upload_url: str, params: dict[str, Any]) -> dict[str, Any]:
        """files.getUploadURLExternal."""
        if not params.get("filename") or not str(params.get("length", "")).isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        with self.lock:
            self.files[file_id] = StoredFile(
                file_id,
                name=str(params["filename"]),
                alt_txt=str(params.get("alt_txt") or ""),
                length=int(params["length"]),
            )
        return {"upload_url": upload_url, "file_id": file_id}

    def receive(self, file_id: str, content: bytes) -> None:
        """The bytes posted to the upload URL."""
        with self.lock:
            stored = self.files.get(file_id)
            if stored is not None:
                stored.content = content

    def complete(self, params: dict[str, Any], *, team_id: str) -> dict[str, Any]:
        """files.completeUploadExternal: each file's details, as Slack answers them."""
        wanted = params.get("files") or "[]"
        wanted = json.loads(wanted) if isinstance(wanted, str) else wanted
        answered = []
        with self.lock:
            for item in wanted:
                stored = self.files.get(str(item.get("id")))
                if stored is None or len(stored.content) != stored.length:
                    return {"ok": False, "error": "file_not_found"}
                stored.title = str(item.get("title") or stored.name)
                stored.ready_at = time.monotonic() + self.processing
                answered.append(self._details(stored, team_id=team_id, full=False))
        return {"files": answered}

    def info(self, params: dict[str, Any], *, team_id: str) -> dict[str, Any]:
        """files.info: the image details appear once the file is processed."""
        with self.lock:
            stored = self.files.get(str(params.get("file") or ""))
            if stored is None or stored.ready_at is None:
                return {"ok": False, "error": "file_not_found"}
            return {"file": self._details(stored, team_id=team_id, full=stored.ready())}

    def delete(self, params: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            if self.files.pop(str(params.get("file") or ""), None) is None:
                return {"ok": False, "error": "file_not_found"}
        return {}

    def check_blocks(self, blocks: Any) -> dict[str, Any] | None:
        """Slack's answer to blocks whose image names a file it can't show yet, else None."""
        if isinstance(blocks, str):
            blocks = json.loads(blocks or "[]")
        for position, block in enumerate(blocks or []):
            slack_file = block.get("slack_file") if isinstance(block, dict) else None
            if not slack_file:
                continue
            with self.lock:
                stored = self.files.get(str(slack_file.get("id") or ""))
                usable = stored is not None and stored.ready()
            if not usable:
                pointer = f"invalid slack file [json-pointer:/blocks/{position}/slack_file]"
                return {
                    "ok": False,
                    "error": "invalid_blocks",
                    "errors": [pointer],
                    "response_metadata": {"messages": [f"[ERROR] {pointer}"]},
                }
        return None

    def png(self, file_id: str) -> bytes:
        with self.lock:
            return self.files[file_id].content

    @staticmethod
    def _details(stored: StoredFile, *, team_id: str, full: bool) -> dict[str, Any]:
        """The fields of the recorded files.completeUploadExternal answer that matter here;
        mimetype, filetype and the image sizes only once processed."""
        now = int(time.time())
        details: dict[str, Any] = {
            "id": stored.id,
            "created": now,
            "timestamp": now,
            "name": stored.name,
            "title": stored.title,
            "user": "U0BOT",
            "user_team": team_id,
            "size": len(stored.content),
            "is_public": False,
            "url_private": f"https://files.slack.com/files-pri/{team_id}-{stored.id}/{stored.name}",
            "permalink": f"https://demo.slack.com/files/U0BOT/{stored.id}/{stored.name}",
            "alt_txt": stored.alt_txt,
            "channels": [],
            "groups": [],
            "ims": [],
            "shares": {},
        }
        if full:
            is_png = stored.content.startswith(PNG_SIGNATURE)
            details |= {
                "mimetype": "image/png" if is_png else "application/octet-stream",
                "filetype": "png" if is_png else "binary",
                "pretty_type": "PNG" if is_png else "Binary",
                "original_w": 1200,
                "original_h": 600,
                "thumb_360": f"https://files.slack.com/files-tmb/{stored.id}-360.png",
            }
        return details
