"""The translation catalogs: one gettext ``.po`` file per language under ``locales/``,
compiled in memory when first needed (``compile_all`` at start-up), so no binary ``.mo`` is
kept in the repository and an edited catalog takes effect on the next start.

English is the source language: its messages are the ``msgid``s themselves.
"""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from models.domain.languages import Language

LOCALES = Path(__file__).parent / "locales"
DOMAIN = "messages"
TEMPLATE = LOCALES / f"{DOMAIN}.pot"


def po_path(language: Language) -> Path:
    return LOCALES / language.value / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(language: Language) -> Catalog:
    """A language's catalog as Babel reads it (for compiling, and for the tests)."""
    with po_path(language).open("rb") as source:
        return read_po(source, locale=language.value, domain=DOMAIN)


@cache
def translations(language: Language) -> gettext.NullTranslations:
    """A language's compiled catalog. Fuzzy (unreviewed) entries are left out, so they
    show in English rather than half right."""
    if language is Language.EN:
        return gettext.NullTranslations()
    compiled = BytesIO()
    write_mo(compiled, read_catalog(language), use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def compile_all() -> None:
    """Compile every catalog now, so a broken one stops the start rather than a reply."""
    for language in Language:
        translations(language)
