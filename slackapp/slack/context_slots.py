"""Typed slots in Bolt's per-request context: what the middleware found for the listeners
(the workspace, the parsed ``/ssi`` text), and what an acknowledgement hands to its lazy
work (Bolt copies the context into the lazy listener's request). A slot is read back as the
type it was declared with, or as nothing: never an untyped ``context["..."]``."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from slack_bolt import BoltContext

T = TypeVar("T")


class Slot(Generic[T]):
    """One named value of type ``T`` in a request's context."""

    def __init__(self, name: str, kind: type[Any] | tuple[type[Any], ...]) -> None:
        self.name = name
        self.kind = kind  # what ``get`` accepts: T's class (or classes, for a union)

    def put(self, context: BoltContext, value: T) -> None:
        context[self.name] = value

    def get(self, context: BoltContext) -> T | None:
        """The value put there, or None when nothing (of the declared type) was."""
        value = context.get(self.name)
        return value if isinstance(value, self.kind) else None

    def of(self, context: BoltContext) -> T:
        """The value a middleware always puts before listeners run (a bug if missing)."""
        value = self.get(context)
        if value is None:
            raise LookupError(f"nothing in the request's context under {self.name!r}")
        return value
