"""What the demo prints: headings, what each seller types, the app's replies and notes."""

from __future__ import annotations

from slackapp.devtools.demo.team import CHANNEL, Seller
from slackapp.devtools.demo.terminal import Terminal
from slackapp.devtools.slack_requests import Answer


class DemoPrinter:
    def __init__(self, team: list[Seller], color: bool) -> None:
        names = {s.user_id: s.name.split()[0].lower() for s in team} | {CHANNEL: "sales"}
        self.terminal = Terminal(names, color=color)
        self.color = color

    def heading(self, text: str) -> None:
        bar = "═" * len(text)
        print(f"\n{self._bold(text)}\n{bar}")

    def _bold(self, text: str) -> str:
        return f"\033[1m{text}\033[0m" if self.color else text

    def typed(self, seller: Seller, text: str) -> None:
        print(f"\n{self._bold(seller.name)} types  /ssi {text}".rstrip())

    def acts(self, seller: Seller, text: str) -> None:
        """What a seller does other than typing /ssi ("pastes their SSI page...")."""
        print(f"\n{self._bold(seller.name)} {text}")

    def reply(self, answer: Answer, *, full: bool) -> None:
        if answer.status != 200:
            print(f"  │ HTTP {answer.status}: {answer.body}")
            return
        body = answer.json
        if full and body.get("blocks"):
            print(self.terminal.blocks(body["blocks"]))
        else:
            print(f"  │ {body.get('text', '')}")

    def note(self, text: str) -> None:
        print(f"  ({text})")
