"""The languages the app speaks, and how a Slack locale (``de-DE``) maps to one."""

from __future__ import annotations

from enum import StrEnum


class Language(StrEnum):
    """The languages in which people write about SSI. English is the catalogs' source."""

    EN = "en"
    DE = "de"
    ES = "es"
    IT = "it"
    NL = "nl"

    @property
    def own_name(self) -> str:
        """The language's name in itself, as a picker shows it."""
        return OWN_NAMES[self]


OWN_NAMES = {
    Language.EN: "English",
    Language.DE: "Deutsch",
    Language.ES: "Español",
    Language.IT: "Italiano",
    Language.NL: "Nederlands",
}

DEFAULT = Language.EN


def language_of(locale: str | None) -> Language | None:
    """The language of a Slack locale (``de-DE``, ``es-LA``, ``en-GB``), or None for one we
    don't speak (``ja-JP``) or none at all."""
    if not locale:
        return None
    code = locale.replace("_", "-").split("-", 1)[0].strip().lower()
    try:
        return Language(code)
    except ValueError:
        return None
