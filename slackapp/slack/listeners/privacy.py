"""People control their data and their reminders: ``/ssi privacy``, ``/ssi remind on|off``,
``/ssi language``, ``/ssi away until``/``back``, and ``/ssi forget-me`` with its confirmation
buttons. Thin: the choices are stored by ``models.store``, the deletion done by
``readings.forget_person``."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from models.domain.languages import Language
from models.domain.privacy import Privacy
from models.domain.scope import Person
from models.domain.streaks import AwayDateError, away_until
from models.services import readings, settings
from slackapp.clock import Clock
from slackapp.language.speech import explain, speaking
from slackapp.render.blocks import Message
from slackapp.render.momentum import away_refused, away_reply, back_reply
from slackapp.render.notices import language_reply, reminders_reply
from slackapp.render.privacy import (
    FORGET_CANCEL,
    FORGET_CONFIRM,
    forget_me_prompt,
    forgotten_reply,
    kept_reply,
    privacy_reply,
)
from slackapp.slack.calls.home_publisher import Refresh
from slackapp.slack.context_slots import Slot
from slackapp.slack.pipeline.person_language import PersonLanguage
from slackapp.slack.pipeline.router import request_of
from slackapp.slack.readers.command_choices import AUTO
from slackapp.slack.readers.command_text import Subcommand
from slackapp.slack.readers.interaction import Interaction
from slackapp.slack.readers.scope import person_of, scope_of

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Forgetting:
    """What ``forget`` hands to ``tell``: the answer, and the chart files to delete."""

    reply: Message
    chart_files: tuple[str, ...]


FORGOTTEN = Slot[Forgetting]("ssi_forgotten", Forgetting)


def _choice(context: BoltContext) -> str:
    request = request_of(context)
    assert isinstance(request, Subcommand)
    return request.argument


class PersonalData:
    """The listeners for a person's own settings and data."""

    def __init__(
        self, *, engine: Engine, clock: Clock, languages: PersonLanguage, on_change: Refresh
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.on_change = on_change  # the person's App Home, published anew
        self.languages = languages

    def _changed(self, command: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        self.on_change(client, scope_of(context), command.get("user_id") or "")

    def remind(
        self, ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        person, on = person_of(command, context), _choice(context) == "on"
        with self.engine.begin() as db:
            settings.set_reminders(db=db, person=person, on=on)
        ack(**reminders_reply(on).ephemeral())
        self._changed(command, context, client)

    def language(
        self, ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        """``/ssi language de`` (or ``auto``): answered, and the Home redrawn, in the language
        now in force."""
        person, choice = person_of(command, context), _choice(context)
        chosen = None if choice == AUTO else Language(choice)
        with self.engine.begin() as db:
            settings.choose_language(db=db, person=person, language=chosen)
        now_speaking = self.languages.of(client, person.scope, person.user_id)
        with speaking(now_speaking):
            ack(**language_reply(choice, now_speaking.own_name).ephemeral())
            self._changed(command, context, client)

    def privacy(
        self, ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        person, privacy = person_of(command, context), Privacy(_choice(context))
        with self.engine.begin() as db:
            settings.set_privacy(db=db, person=person, privacy=privacy)
        ack(**privacy_reply(privacy).ephemeral())
        self._changed(command, context, client)

    def away(
        self, ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        person, day = person_of(command, context), date.fromisoformat(_choice(context))
        try:
            period = away_until(day, now=self.clock())
        except AwayDateError as refused:
            ack(**away_refused(explain(refused)).ephemeral())
            return
        with self.engine.begin() as db:
            settings.go_away(db=db, person=person, period=period)
        ack(**away_reply(day).ephemeral())
        self._changed(command, context, client)

    def back(
        self, ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        person = person_of(command, context)
        with self.engine.begin() as db:
            was_away = settings.come_back(db=db, person=person, now=self.clock())
        ack(**back_reply(was_away).ephemeral())
        self._changed(command, context, client)

    def forget_me(self, ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
        """The prompt, with what would be deleted: nothing is deleted before a click."""
        person = person_of(command, context)
        with self.engine.connect() as db:
            history = settings.shared_so_far(db=db, person=person)
        ack(**forget_me_prompt(history).ephemeral())

    def forget(self, ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        """The deletion runs in the request (a few statements); the answer replaces the
        prompt through its response_url afterwards (``tell``)."""
        ack()
        # The person who clicked, from Slack's signed payload: never an id from the message.
        person = Person(scope_of(context), Interaction.of(body).user_id)
        with self.engine.begin() as db:
            forgotten = readings.forget_person(db=db, person=person)
        log.info("forget-me: %d submissions deleted", forgotten.submissions.count)
        FORGOTTEN.put(context, Forgetting(forgotten_reply(forgotten), tuple(forgotten.chart_files)))

    @staticmethod
    def tell(context: BoltContext, respond: Respond, client: WebClient) -> None:
        """After the deletion: the answer, and the person's trend charts deleted in Slack
        too (they were the app's files, shown only to them)."""
        forgetting = FORGOTTEN.get(context)
        if forgetting is None:
            return
        reply = forgetting.reply
        respond(replace_original=True, text=reply.text, blocks=reply.blocks)
        for file_id in forgetting.chart_files:
            try:
                client.files_delete(file=file_id)
            except SlackApiError as error:
                log.warning("deleting chart %s failed: %s", file_id, error.response.get("error"))

    @staticmethod
    def keep(ack: Ack) -> None:
        ack()

    @staticmethod
    def tell_kept(respond: Respond) -> None:
        reply = kept_reply()
        respond(replace_original=True, text=reply.text, blocks=reply.blocks)

    def register(self, app: App) -> None:
        """The forget-me buttons (the commands are routed by ``router``)."""
        app.action(FORGET_CONFIRM)(ack=self.forget, lazy=[self.tell])
        app.action(FORGET_CANCEL)(ack=self.keep, lazy=[self.tell_kept])
