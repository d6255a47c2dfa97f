"""Text as the charts' font can draw it: every name, in any script, readable in a PNG.

matplotlib draws text glyph by glyph from one font (DejaVu Sans, which the image keeps), in
the order of the string, left to right, with no shaping. So, before a name is drawn:

- Arabic is shaped (``arabic_reshaper``: each letter's joined form, as the font holds it)
  and right-to-left text is put in display order (``python-bidi``, the Unicode
  bidirectional algorithm); marks above right-to-left letters go, as they would land on
  the wrong letter once reordered.
- Whatever the font has no glyph for is replaced by something readable: letters of other
  scripts (CJK, Thai, Devanagari, Hangul...) are transliterated to Latin (``anyascii``),
  emoji and other pictures are left out (a name of emoji alone becomes their ``:names:``),
  and the invisible joiners and selectors of emoji sequences go with them.
- ``$`` is escaped, as it would start matplotlib's maths notation.

The font's coverage is read from the font file matplotlib itself picks (its character map),
so no "Glyph missing" warning can arise; that import is why this runs where charts are
drawn, not where they are described.
"""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache
from typing import Any

from anyascii import anyascii

from models.domain.names import clean_name

ELLIPSIS = "\u2026"
MARKS_KEPT = 2  # combining marks after one letter: more only stack into a smudge
# Invisible parts of emoji sequences: joiner, variation selectors, keycap.
_INVISIBLE = {0x200C, 0x200D, 0xFE0E, 0xFE0F, 0x20E3}
_ARABIC = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF))


@cache
def _coverage() -> frozenset[int]:
    """The code points the charts' font has glyphs for."""
    from matplotlib import font_manager, ft2font

    path = font_manager.findfont(font_manager.FontProperties())
    return frozenset(ft2font.FT2Font(path).get_charmap())


@cache
def _reshaper() -> Any:
    """An Arabic reshaper using only the ligatures the font has glyphs for."""
    from arabic_reshaper import ArabicReshaper
    from arabic_reshaper.ligatures import LIGATURES

    font = _coverage()
    configuration = {
        name: all(ord(form) in font for form in forms if form) for name, (_, forms) in LIGATURES
    }
    return ArabicReshaper(configuration=configuration)


def _is_picture(char: str) -> bool:
    """Emoji and other pictographs, flags' letters, skin tones, tags: left out."""
    point = ord(char)
    return (
        unicodedata.category(char).startswith("S")
        or 0x1F000 <= point <= 0x1FAFF
        or 0xE0000 <= point <= 0xE007F
    )


def _right_to_left(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


def _readable(text: str) -> str:
    """``text`` in logical order with only what the font has (or will have, once Arabic
    is shaped), the rest transliterated or left out."""
    font = _coverage()
    out: list[str] = []
    marks = 0
    base_kept = base_rtl = False
    for char in text:
        point = ord(char)
        if point in _INVISIBLE or unicodedata.category(char) == "Cf":
            continue
        if unicodedata.category(char) in ("Mn", "Me"):
            marks += 1
            if point not in font:  # a vowel sign of a transliterated script: its sound
                out.append(anyascii(char))
            elif marks <= MARKS_KEPT and base_kept and not base_rtl:
                out.append(char)
            continue
        marks = 0
        base_rtl = _right_to_left(char)
        base_kept = point in font
        if base_kept:
            out.append(char)
        elif not _is_picture(char):
            out.append(anyascii(char))
    return " ".join("".join(out).split())


def _shortened(text: str, limit: int | None) -> str:
    """At most ``limit`` characters, an ellipsis ending a cut (never between a letter and
    its marks)."""
    if limit is None or len(text) <= limit:
        return text
    cut = limit - 1
    while cut > 0 and unicodedata.category(text[cut]) in ("Mn", "Me"):
        cut -= 1
    return text[:cut].rstrip() + ELLIPSIS


def _shaped(text: str) -> str:
    """Arabic letters in their joined forms; any form the font lacks as the plain letter
    (it has those), else transliterated."""
    if not any(low <= ord(c) <= high for c in text for low, high in _ARABIC):
        return text
    font = _coverage()
    shaped = str(_reshaper().reshape(text))
    out = []
    for char in shaped:
        if ord(char) in font:
            out.append(char)
        else:
            plain = unicodedata.normalize("NFKC", char)
            out.append(plain if all(ord(c) in font for c in plain) else anyascii(char))
    return "".join(out)


@lru_cache(maxsize=4096)  # a tick draws the same names again and again
def chart_text(text: str, limit: int | None = None) -> str:
    """``text`` as a chart draws it: every character one the font has, in display order,
    at most ``limit`` characters (before shaping) with an ellipsis when cut."""
    name = unicodedata.normalize("NFC", clean_name(text))
    readable = _readable(name)
    if not any(c.isalnum() for c in readable):
        # Nothing but pictures (or nothing): their names, which say something.
        readable = " ".join(anyascii(name).split()) or readable or "?"
    shown = _shaped(_shortened(readable, limit))
    if any(_right_to_left(c) for c in shown):
        from bidi import get_display

        shown = get_display(shown)
    return shown.replace("$", r"\$")
