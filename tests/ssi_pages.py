"""SSI pages for tests: LinkedIn's page as a person copies it, in each of our languages and
in the variants people's copies take (side-by-side rank cards, numbers after their labels or
on a line of their own, the hidden accessibility tables, no-break spaces, the bar
separators). Reconstructed from ``shared/reference/ssi-page/README.md``."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal as D

from models.domain.ssi import Pillar

NBSP = "\u00a0"


@dataclass(frozen=True)
class PageWords:
    title: str
    industry_rank: str
    network_rank: str
    top: str  # "Top {n}%"; {n} in the language's decimals
    current: str
    out_of: str  # "{n} out of 100"
    components: str
    pillars: tuple[str, str, str, str]
    industry_people: str
    industry_sentence: str  # {name}, {average}
    network_people: str
    network_sentence: str  # {average}
    comma: bool  # decimals with a comma


WORDS = {
    "en": PageWords(
        "Your Social Selling Index",
        "Industry SSI rank",
        "Network SSI rank",
        "Top {n}%",
        "Current Social Selling Index",
        "{n} out of 100",
        "Four components of your score",
        (
            "Establish your professional brand",
            "Find the right people",
            "Engage with insights",
            "Build relationships",
        ),
        "People in your industry",
        "Sales professionals in the {name} industry have an average SSI of {average}.",
        "People in your network",
        "People in your network have an average SSI of {average}.",
        False,
    ),
    "de": PageWords(
        "Ihr Social Selling Index",
        "Branchen-SSI-Rang",
        "Netzwerk-SSI-Rang",
        "Top {n} %",
        "Aktueller Social Selling Index",
        "{n} von 100",
        "Vier Komponenten Ihres Scores",
        (
            "Ihre professionelle Marke aufbauen",
            "Gezielt die richtigen Personen finden",
            "Durch Einblicke Interesse wecken",
            "Beziehungen aufbauen",
        ),
        "Personen in Ihrer Branche",
        "Vertriebsprofis in der Branche {name} haben einen durchschnittlichen SSI von {average}.",
        "Personen in Ihrem Netzwerk",
        "Personen in Ihrem Netzwerk haben einen durchschnittlichen SSI von {average}.",
        True,
    ),
    "es": PageWords(
        "Tu Social Selling Index",
        "Clasificación SSI del sector",
        "Clasificación SSI de la red",
        "{n} %",
        "Social Selling Index actual",
        "{n} de 100",
        "Cuatro componentes de tu puntuación",
        (
            "Establece tu marca profesional",
            "Encuentra a las personas adecuadas",
            "Interactúa ofreciendo información",
            "Crea relaciones",
        ),
        "Personas de tu sector",
        "Los profesionales de ventas del sector {name} tienen un SSI medio de {average}.",
        "Personas de tu red",
        "Las personas de tu red tienen un SSI medio de {average}.",
        True,
    ),
    "it": PageWords(
        "Il tuo Social Selling Index",
        "Posizione SSI nel settore",
        "Posizione SSI nella rete",
        "Top {n}%",
        "Social Selling Index attuale",
        "{n} su 100",
        "Quattro componenti del tuo punteggio",
        (
            "Crea il tuo marchio professionale",
            "Trova le persone giuste",
            "Interagisci con approfondimenti",
            "Costruisci relazioni",
        ),
        "Persone nel tuo settore",
        "I professionisti delle vendite nel settore {name} hanno un SSI medio di {average}.",
        "Persone nella tua rete",
        "Le persone nella tua rete hanno un SSI medio di {average}.",
        True,
    ),
    "nl": PageWords(
        "Je Social Selling Index",
        "SSI-ranking in de branche",
        "SSI-ranking in je netwerk",
        "Top {n}%",
        "Huidige Social Selling Index",
        "{n} van 100",
        "Vier componenten van je score",
        (
            "Bouw je professionele merk op",
            "Vind de juiste mensen",
            "Ga in gesprek met inzichten",
            "Bouw relaties op",
        ),
        "Mensen in je branche",
        "Verkoopprofessionals in de branche {name} hebben een gemiddelde SSI van {average}.",
        "Mensen in je netwerk",
        "Mensen in je netwerk hebben een gemiddelde SSI van {average}.",
        True,
    ),
}
LANGUAGES = tuple(WORDS)


@dataclass(frozen=True)
class Page:
    """What a page shows (the reference's example by default) and how the copy is laid out."""

    total: D = D(23)
    pillars: tuple[D, D, D, D] = (D("12.275"), D(6), D("3.1"), D("1.948"))
    industry_top: D = D(65)
    network_top: D = D(58)
    industry_average: D = D(31)
    network_average: D = D(30)
    industry_pillars: tuple[D, D, D, D] = (D("11.27"), D("8.4"), D("5.6"), D("5.73"))
    network_pillars: tuple[D, D, D, D] = (D("9.5"), D("7.25"), D("6.9"), D("6.35"))
    industry_name: str = "Software Development"
    side_by_side: bool = False  # the rank cards: two labels, then two values
    number_after: bool = False  # "Establish your professional brand 12.275"
    own_lines: bool = False  # a pillar's number on the line before its label
    tables: bool = False  # the hidden accessibility tables come along
    bars: bool = True  # "12.275 | Establish..."
    nbsp: bool = False  # no-break spaces where a copy has them
    english_labels: bool = False  # LinkedIn in English whatever the person's language

    @property
    def values(self) -> dict[Pillar, D]:
        return dict(zip(Pillar, self.pillars, strict=True))


def number(value: D, language: str) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",") if WORDS[language].comma else text


def _rows(page: Page, words: PageWords, values: tuple[D, ...], language: str) -> list[str]:
    lines = []
    for label, value in zip(words.pillars, values, strict=True):
        shown = number(value, language)
        if page.own_lines:
            lines += [shown, label]
        elif page.number_after:
            lines.append(f"{label} {shown}")
        else:
            lines.append(f"{shown} | {label}" if page.bars else f"{shown} {label}")
    return lines


def page_text(language: str = "en", page: Page | None = None) -> str:
    """The page as a person's select-all-and-copy gives it."""
    page = page or Page()
    words = WORDS["en" if page.english_labels else language]
    shown_language = "en" if page.english_labels else language

    def num(value: D) -> str:
        return number(value, shown_language)

    def top(value: D) -> str:
        text = words.top.format(n=num(value))
        return text.replace(" %", f"{NBSP}%") if page.nbsp else text

    if page.side_by_side:
        cards = [
            f"{words.industry_rank}  {words.network_rank}",
            f"{top(page.industry_top)}  {top(page.network_top)}",
        ]
    else:
        cards = [words.industry_rank, top(page.industry_top), words.network_rank]
        cards.append(top(page.network_top))
    lines = [words.title, *cards, words.current, words.out_of.format(n=num(page.total))]
    lines.append(words.components)
    lines += _rows(page, words, page.pillars, shown_language)
    if page.tables:
        lines += ["Category\tvalue"]
        lines += [
            f"{label}\t{num(v)}" for label, v in zip(words.pillars, page.pillars, strict=True)
        ]
        lines.append(f"Remaining points\t{num(D(100) - sum(page.pillars))}")
    lines += [words.industry_people, words.out_of.format(n=num(page.industry_average))]
    lines += _rows(page, words, page.industry_pillars, shown_language)
    lines.append(
        words.industry_sentence.format(name=page.industry_name, average=num(page.industry_average))
    )
    lines += [words.network_people, words.out_of.format(n=num(page.network_average))]
    lines += _rows(page, words, page.network_pillars, shown_language)
    lines.append(words.network_sentence.format(average=num(page.network_average)))
    text = "\n".join(lines)
    return text.replace(" ", NBSP) if page.nbsp and language == "fr" else text


def variants() -> list[Page]:
    """Every layout a copy takes, one page each."""
    base = Page()
    return [
        base,
        replace(base, side_by_side=True),
        replace(base, number_after=True),
        replace(base, own_lines=True),
        replace(base, tables=True),
        replace(base, bars=False, nbsp=True),
        replace(base, english_labels=True),
    ]
