"""The team chart in each weekly post: the picture reused when it was uploaded before, or
drawn and uploaded ahead of the posts, and dropped if Slack no longer shows it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from models.domain.scope import Scope
from slackapp.render.blocks import Block, Message
from slackapp.render.charts.pictures import image_block
from slackapp.render.weekly.board import CHART_POSITION
from slackapp.slack.calls.chart_files import ChartFiles
from slackapp.weekly.drawing import ChartWorkers
from slackapp.weekly.due import Post
from slackapp.weekly.posting.delivery import post_metadata


class PostCharts:
    """Charts for a tick's posts (``client_for`` gives a workspace's client)."""

    def __init__(self, files: ChartFiles, client_for: Callable[[Scope], WebClient | None]) -> None:
        self.files = files
        self.client_for = client_for

    def prepare(self, posts: list[Post], workers: ChartWorkers) -> list[Post]:
        """Each channel post with its chart: the earlier upload of the same picture, or a
        new one under way. Uploads start before the posts are queued, so Slack processes
        them while the posts before them are sent (a post then seldom waits for its
        chart)."""
        charted = [p for p in posts if p.chart is not None]
        if not charted:
            return posts
        known = self.files.known(
            charted[0].team.scope, [p.chart for p in charted if p.chart is not None]
        )
        ready = []
        for post in posts:
            if post.chart is not None:
                file_id = known.get(post.chart.fingerprint)
                uploading = None
                client = self.client_for(post.team.scope)
                if file_id is None and client is not None:
                    drawn = workers.draw(post.chart)
                    upload = partial(self.files.upload, client, post.chart, drawn=drawn)
                    uploading = workers.upload(upload)
                post = replace(post, file_id=file_id, uploading=uploading)
            ready.append(post)
        return ready

    def charted(self, client: WebClient, post: Post) -> Message:
        """The post's message with its chart, if it has one that can be shown."""
        chart, scope = post.chart, post.team.scope
        if chart is None:
            return post.message
        block: Block | None
        if post.file_id is not None:
            block = image_block(post.file_id, chart)
        elif post.uploading is not None:
            file_id = post.uploading.result()
            block = None if file_id is None else self.files.shown(client, scope, chart, file_id)
        else:
            block = self.files.show(client, scope, chart)
        return post.message if block is None else post.message.inserted(CHART_POSITION, block)

    def post(self, client: WebClient, post: Post, message: Message) -> SlackResponse:
        send = partial(
            client.chat_postMessage,
            channel=post.channel,
            metadata=post_metadata(post.key),
            unfurl_links=False,
            unfurl_media=False,
        )
        try:
            return send(text=message.text, blocks=message.blocks)
        except SlackApiError as error:
            images = [b for b in message.blocks if b.get("type") == "image"]
            if error.response.get("error") != "invalid_blocks" or not images:
                raise
            # Slack no longer shows the chart (deleted there): refused, so nothing was
            # posted. Post without it now; the next week's is uploaded anew.
            for image in images:
                self.files.forget(post.team.scope, image["slack_file"]["id"])
            plain = message.without_images()
            return send(text=plain.text, blocks=plain.blocks)
