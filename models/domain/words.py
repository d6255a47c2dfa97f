"""Our own words in the domain: refusals that are shown to people in their language.

The domain stays free of any language machinery: it raises an ``Explained`` error with an
English template marked by ``N_`` (gettext's "no-op" marker, which the catalog extraction
looks for) and the values to put in it. The language layer translates the template and
writes each value the reader's way when the refusal is shown."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any


def N_(message: str) -> str:  # gettext's name for the marker
    """Mark ``message`` for the catalogs; it is translated where it is shown."""
    return message


def NP_(context: str, message: str) -> str:
    """Mark ``message`` for the catalogs in a ``context`` that tells it apart."""
    return message


class Phrase(str):
    """A value that is our own words (marked with ``N_``): translated when shown, unlike a
    value the person typed, which is quoted as it is."""

    __slots__ = ()


class Explained(ValueError):
    """A refusal with what to tell the person: ``template`` (English, ``{name}`` fields)
    and ``params``. ``str()`` gives the English text, for logs."""

    def __init__(self, template: str, **params: Any) -> None:
        self.template = template
        self.params = params
        super().__init__(template.format(**{k: _english(v) for k, v in params.items()}))

    @property
    def message(self) -> str:
        return str(self)


def _english(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, date):
        return f"{value:%b %-d, %Y}"
    title = getattr(value, "title", None)  # a Pillar: its LinkedIn name, then its short one
    if isinstance(title, str):
        return f"{title} ({value})"
    return str(value)
