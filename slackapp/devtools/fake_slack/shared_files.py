"""Files people share in a conversation, served as Slack serves them: the file object a
``message`` event carries (``url_private_download`` and the rest), and its bytes at that URL
for a request with a bot token. Without one Slack answers its sign-in page (HTML, status
200), and so does the fake: a client that forgets the token gets a page, not the file."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from typing import Any

DOWNLOAD_PATH = "/files-pri/"
SIGN_IN_PAGE = b"<!DOCTYPE html><html><body>Sign in to Slack</body></html>"


@dataclass
class SharedFiles:
    """Shared files by their download path."""

    by_path: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def share(
        self, base_url: str, team_id: str, *, user: str, name: str, content: bytes, mimetype: str
    ) -> dict[str, Any]:
        """Keep ``content`` and return the file object Slack puts in the message event."""
        file_id = "F" + secrets.token_hex(5).upper()
        path = f"{DOWNLOAD_PATH}{team_id}-{file_id}/download/{name}"
        with self.lock:
            self.by_path[path] = (content, mimetype)
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        return {
            "id": file_id,
            "name": name,
            "title": name,
            "mimetype": mimetype,
            "filetype": {"jpg": "jpg", "jpeg": "jpg"}.get(extension, extension),
            "user": user,
            "size": len(content),
            "mode": "hosted",
            "is_external": False,
            "url_private": base_url + path.replace("/download/", "/"),
            "url_private_download": base_url + path,
        }

    def serve(self, path: str, token: str | None) -> tuple[int, bytes, str]:
        """Status, bytes and content type for a GET of ``path``."""
        if not (token or "").startswith("xoxb-"):
            return 200, SIGN_IN_PAGE, "text/html; charset=utf-8"
        with self.lock:
            found = self.by_path.get(path)
        if found is None:
            return 404, b"", "text/plain"
        content, mimetype = found
        return 200, content, mimetype
