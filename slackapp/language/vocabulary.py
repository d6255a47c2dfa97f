"""The words ``/ssi`` understands in each language, mapped to the English ones the code
routes on. Any word works for anyone (a German speaker may type ``/ssi help``, an English one
``/ssi hilfe``): people mix languages, and a word must never mean two different things.

Words are compared without case or accents (``rückgängig`` = ``ruckgangig``), since people
type them on any keyboard.
"""

from __future__ import annotations

import unicodedata

from models.domain.languages import Language

# English word -> its words in each other language (the first is the one replies show).
WORDS: dict[str, dict[Language, tuple[str, ...]]] = {
    "help": {
        Language.DE: ("hilfe",),
        Language.ES: ("ayuda",),
        Language.IT: ("aiuto",),
        Language.NL: ("hulp",),
    },
    "me": {
        Language.DE: ("ich",),
        Language.ES: ("yo",),
        Language.IT: ("io",),
        Language.NL: ("ik",),
    },
    "board": {
        Language.DE: ("rangliste",),
        Language.ES: ("clasificación",),
        Language.IT: ("classifica",),
        Language.NL: ("ranglijst",),
    },
    "undo": {
        Language.DE: ("rückgängig",),
        Language.ES: ("deshacer",),
        Language.IT: ("annulla",),
        Language.NL: ("ongedaan",),
    },
    "setup": {
        Language.DE: ("einrichten",),
        Language.ES: ("configurar",),
        Language.IT: ("configura",),
        Language.NL: ("instellen",),
    },
    "remind": {
        Language.DE: ("erinnerung", "erinnerungen"),
        Language.ES: ("recordatorio", "recordatorios"),
        Language.IT: ("promemoria",),
        Language.NL: ("herinnering", "herinneringen"),
    },
    "on": {
        Language.DE: ("an", "ein"),
        Language.ES: ("sí",),
        Language.IT: ("sì",),
        Language.NL: ("aan",),
    },
    "off": {
        Language.DE: ("aus",),
        Language.ES: ("no",),
        Language.IT: ("no",),
        Language.NL: ("uit",),
    },
    "privacy": {
        Language.DE: ("privatsphäre",),
        Language.ES: ("privacidad",),
        Language.IT: ("privacy",),
        Language.NL: ("privacy",),
    },
    "public": {
        Language.DE: ("öffentlich",),
        Language.ES: ("público",),
        Language.IT: ("pubblico",),
        Language.NL: ("openbaar",),
    },
    "anonymous": {
        Language.DE: ("anonym",),
        Language.ES: ("anónimo",),
        Language.IT: ("anonimo",),
        Language.NL: ("anoniem",),
    },
    "hidden": {
        Language.DE: ("versteckt",),
        Language.ES: ("oculto",),
        Language.IT: ("nascosto",),
        Language.NL: ("verborgen",),
    },
    "forget-me": {
        Language.DE: ("vergiss-mich",),
        Language.ES: ("olvídame",),
        Language.IT: ("dimenticami",),
        Language.NL: ("vergeet-mij",),
    },
    "export": {
        Language.DE: ("exportieren",),
        Language.ES: ("exportar",),
        Language.IT: ("esporta",),
        Language.NL: ("exporteer",),
    },
    "team": {
        Language.DE: ("team",),
        Language.ES: ("equipo",),
        Language.IT: ("squadra",),
        Language.NL: ("team",),
    },
    "away": {
        Language.DE: ("abwesend",),
        Language.ES: ("ausente",),
        Language.IT: ("assente",),
        Language.NL: ("afwezig",),
    },
    "until": {
        Language.DE: ("bis",),
        Language.ES: ("hasta",),
        Language.IT: ("fino",),
        Language.NL: ("tot",),
    },
    "back": {
        Language.DE: ("zurück",),
        Language.ES: ("vuelvo",),
        Language.IT: ("rientro",),
        Language.NL: ("terug",),
    },
    "language": {
        Language.DE: ("sprache",),
        Language.ES: ("idioma",),
        Language.IT: ("lingua",),
        Language.NL: ("taal",),
    },
    "industry": {
        Language.DE: ("branche",),
        Language.ES: ("sector",),
        Language.IT: ("settore",),
        Language.NL: ("branche",),
    },
    "network": {
        Language.DE: ("netzwerk",),
        Language.ES: ("red",),
        Language.IT: ("rete",),
        Language.NL: ("netwerk",),
    },
}
# Small words people put between "until" and the date: "fino al", "hasta el".
FILLERS = frozenset({"al", "a", "el", "zum", "den"})


def plain(word: str) -> str:
    """``word`` as compared: lower case, accents off (``Rückgängig`` -> ``ruckgangig``)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _english_of() -> dict[str, str]:
    found = {plain(english): english for english in WORDS}
    for english, words in WORDS.items():
        for word in (w for each in words.values() for w in each):
            seen = found.setdefault(plain(word), english)
            if seen != english:  # caught at import, and by the tests
                raise ValueError(f"{word!r} would mean both {seen!r} and {english!r}")
    return found


ENGLISH_OF = _english_of()


def english(word: str) -> str:
    """The English command word ``word`` stands for, or ``word`` itself (lowered, plain)."""
    key = plain(word)
    return ENGLISH_OF.get(key, key)


def word(english_word: str, language: Language) -> str:
    """How replies in ``language`` write a command word."""
    if language is Language.EN:
        return english_word
    return WORDS[english_word][language][0]
