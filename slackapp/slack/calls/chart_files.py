"""Charts into Slack: uploaded with ``files_upload_v2`` (no channel: the file stays the
app's until a message or view shows it) and shown by an image block's ``slack_file``, so
no public URL and no HTTP ingress are needed.

Slack processes an upload after ``files.completeUploadExternal`` has answered: a message
naming the file before that is refused (``invalid_blocks``, "invalid slack file"). So
after uploading, ``files.info`` is asked, with a growing pause, until the file shows its
image type; only then is the file recorded and shown. A chart refused for its rate is
waited for (the client's shared pace and retries), and the weekly run waits up to two
minutes for Slack's processing. What Slack refuses outright (a missing scope, the file
itself) leaves the message without its chart, saying nothing of it there (the log says
why): a chart never costs a post.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from models.domain.scope import Scope
from models.store.weekly import charts as chart_store
from slackapp.clock import Clock
from slackapp.render.blocks import Block
from slackapp.render.charts.pictures import Chart, image_block

log = logging.getLogger(__name__)

READY_WITHIN = 10.0  # seconds to wait for Slack to process an upload
FIRST_LOOK = 0.1  # seconds before the first files.info, doubling after each


class ChartFiles:
    """Shows charts in a workspace, uploading each picture once."""

    def __init__(
        self,
        *,
        engine: Engine,
        clock: Clock,
        wait: Callable[[float], None] = time.sleep,
        ready_within: float = READY_WITHIN,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.wait = wait
        self.ready_within = ready_within

    def known(self, scope: Scope, charts: list[Chart]) -> dict[str, str]:
        """Of ``charts``, the file ids of those uploaded before, by fingerprint."""
        with self.engine.connect() as db:
            return chart_store.known_files(
                db=db, scope=scope, fingerprints=[c.fingerprint for c in charts]
            )

    def shown_before(self, scope: Scope, chart: Chart) -> Block | None:
        """The image block for ``chart`` if it was uploaded before, else None."""
        file_id = self.known(scope, [chart]).get(chart.fingerprint)
        return None if file_id is None else image_block(file_id, chart)

    def show(
        self,
        client: WebClient,
        scope: Scope,
        chart: Chart,
        *,
        drawn: Future[bytes] | None = None,
        owner: str = "",
    ) -> Block | None:
        """The image block for ``chart``: its earlier upload's, or a new upload of the
        picture (``drawn`` if it is being drawn elsewhere). None if it can't be shown now."""
        file_id = self.known(scope, [chart]).get(chart.fingerprint)
        if file_id is not None:
            return image_block(file_id, chart)
        file_id = self.upload(client, chart, drawn=drawn)
        return None if file_id is None else self.shown(client, scope, chart, file_id, owner=owner)

    def upload(
        self, client: WebClient, chart: Chart, *, drawn: Future[bytes] | None = None
    ) -> str | None:
        """Draw (or take ``drawn``) and upload the chart; its file id, or None on failure.
        Slack processes it after this returns: ``shown`` waits for that."""
        try:
            png = drawn.result() if drawn is not None else chart.draw()
            uploaded = client.files_upload_v2(
                content=png,
                filename=chart.filename,
                title=chart.title,
                alt_txt=chart.alt_text[:1000],
            )
            return str(uploaded["file"]["id"])
        except SlackApiError as error:
            log.warning("chart upload failed: %s", error.response.get("error"))
        except Exception as error:  # a drawing or transport failure: the post goes without
            log.warning("chart not uploaded: %r", error)
        return None

    def shown(
        self, client: WebClient, scope: Scope, chart: Chart, file_id: str, *, owner: str = ""
    ) -> Block | None:
        """The image block for a new upload once Slack has processed it (recorded for
        reuse), or None if it is still processing after ``ready_within`` seconds."""
        try:
            if not self._ready(client, file_id):
                log.warning("chart %s still processing after %.0f s", file_id, self.ready_within)
                return None
        except SlackApiError as error:
            log.warning(
                "can't tell whether chart %s is ready: %s", file_id, error.response.get("error")
            )
            return None
        with self.engine.begin() as db:
            chart_store.remember(
                db=db,
                scope=scope,
                fingerprint=chart.fingerprint,
                file_id=file_id,
                user_id=owner,
                at=self.clock(),
            )
        return image_block(file_id, chart)

    def _ready(self, client: WebClient, file_id: str) -> bool:
        """Whether Slack has processed the upload (its image type is known), asking with a
        doubling pause for up to ``ready_within`` seconds."""
        pause, waited = FIRST_LOOK, 0.0
        while True:
            try:
                details = client.files_info(file=file_id).get("file") or {}
                if details.get("mimetype"):
                    return True
            except SlackApiError as error:
                if error.response.get("error") != "file_not_found":  # not visible yet
                    raise
            if waited >= self.ready_within:
                return False
            self.wait(pause)
            waited += pause
            pause = min(pause * 2, 2.0)

    def forget(self, scope: Scope, file_id: str) -> None:
        """Slack refused to show a file recorded as usable (deleted there): upload anew."""
        with self.engine.begin() as db:
            chart_store.forget_file(db=db, scope=scope, file_id=file_id)
