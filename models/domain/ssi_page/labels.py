"""The SSI page's words, per language (en, de, es, it, nl; see
``shared/reference/ssi-page/README.md`` for how certain each is), as the reader matches them:
lower case, accents folded, English always accepted. A pillar row is recognised by a part of
its label that only it has, so a label LinkedIn words a little differently still reads."""

from __future__ import annotations

import re
import unicodedata

from models.domain.ssi import Pillar


def folded(text: str) -> str:
    """Lower case, accents dropped (``Interactúa`` → ``interactua``), every kind of space a
    plain one: the form every label is matched in."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", plain.casefold())


PILLAR_WORDS: dict[Pillar, tuple[str, ...]] = {
    Pillar.BRAND: (
        "professional brand",
        "marca profesional",
        "professionelle marke",
        "marchio professionale",
        "brand professionale",
        "professionele merk",
        # Stems that survive OCR's misreads of the words around them.
        "professionelle",
        "marca prof",
        "marchio prof",
        "professionele",
    ),
    Pillar.FIND: (
        "right people",
        "personas adecuadas",
        "richtigen personen",
        "persone giuste",
        "juiste mensen",
        "juiste personen",
        "adecuadas",
        "richtigen",
        "giuste",
        "juiste",
    ),
    Pillar.ENGAGE: (
        "engage with insights",
        "insights",
        "ofreciendo informacion",
        "interactua",
        "einblicke",
        "approfondimenti",
        "informazioni",
        "inzichten",
        "ofreciendo",
        "interact",
    ),
    Pillar.RELATE: (
        "build relationships",
        "relationships",
        "relaciones",
        "beziehungen",
        "relazioni",
        "relaties",
    ),
}

# "23 out of 100", "23 von 100", "23 de 100", "23 su 100", "23 van 100".
OUT_OF = re.compile(r"(?<![\d.,])(\d{1,3}(?:[.,]\d{1,6})?)\s*(?:out of|von|de|su|van|/)\s*100\b")

# The rank cards' labels: "Industry SSI rank", "Branchen-SSI-Rang", "Clasificación SSI del
# sector", "Posizione SSI nel settore", "SSI-ranking in je branche": a line naming SSI and
# the industry or the network, and no average.
INDUSTRY = re.compile(r"\b(?:industry|branche\w*|sector|settore|industria|bedrijfstak)\b")
NETWORK = re.compile(r"\b(?:network|netzwerk\w*|red|rete|netwerk)\b")
AVERAGE = re.compile(r"\b(?:average|durchschnittlich\w*|medio|media|gemiddelde)\b")

# "Top 3%", "Top 14 %", "3 %" (es): a percentage is a rank, wherever it stands.
RANK = re.compile(r"(?:\btop\s*)?(?<![\d.,])(\d{1,3}(?:[.,]\d{1,3})?)\s*%")

# "...have an average SSI of 31.", "...durchschnittlichen SSI von 31.", "...SSI medio de
# 31.", "...SSI medio di 31.", "...gemiddelde SSI van 31."
AVERAGE_SSI = re.compile(
    r"(?:average ssi of|durchschnittlichen ssi von|ssi medio de|ssi medio di|"
    r"gemiddelde ssi van)\s*(\d{1,3}(?:[.,]\d{1,6})?)"
)

# The industry's name in its average's sentence, on one line (case kept: matched on the
# original text, case-insensitively). No digits, no "%" and no full stop in a name: a rank
# card's label ("Posizione SSI nel settore") is never taken for the sentence.
_NAME = r"([^\d%.\n]{1,80}?)"
INDUSTRY_NAME = re.compile(
    rf"(?:\bin the {_NAME} industry\b"
    rf"|\bin der branche {_NAME} (?:haben|hat)\b"
    rf"|\bdel sector (?:de )?{_NAME} tienen\b"
    rf"|\bnel settore (?:di |del |della )?{_NAME} hanno\b"
    rf"|\bin de (?:branche|sector) {_NAME} hebben\b)",
    re.IGNORECASE,
)
