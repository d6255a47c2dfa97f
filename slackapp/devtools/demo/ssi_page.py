"""A demo seller's LinkedIn SSI page, line by line as the page lays it out (its layout and
words from ``shared/reference/ssi-page/README.md``): the text a select-all-and-copy gives,
and the lines ``page_picture`` draws as a screenshot. The numbers are the seller's that week.

The tests keep a richer builder (every layout a copy takes, ``tests/ssi_pages.py``); the demo
ships in the package and tests/ does not, so it has this small one of its own."""

from __future__ import annotations

from typing import NamedTuple

from slackapp.devtools.demo.team import Seller


class Words(NamedTuple):
    """The page's words in one language; ``{n}`` is a number, ``{name}`` the industry's."""

    title: str
    ranks: tuple[str, str, str]  # the industry's card, the network's, "Top {n}%"
    current: tuple[str, str, str]  # "Current Social Selling Index", "{n} out of 100", ...
    pillars: tuple[str, str, str, str]
    industry: tuple[str, str]  # its card's heading, its sentence
    network: tuple[str, str]
    industry_name: str
    comma: bool  # decimals with a comma


WORDS = {
    "en": Words(
        "Your Social Selling Index",
        ("Industry SSI rank", "Network SSI rank", "Top {n}%"),
        ("Current Social Selling Index", "{n} out of 100", "Four components of your score"),
        (
            "Establish your professional brand",
            "Find the right people",
            "Engage with insights",
            "Build relationships",
        ),
        (
            "People in your industry",
            "Sales professionals in the {name} industry have an average SSI of {n}.",
        ),
        ("People in your network", "People in your network have an average SSI of {n}."),
        "Software Development",
        False,
    ),
    "de": Words(
        "Ihr Social Selling Index",
        ("Branchen-SSI-Rang", "Netzwerk-SSI-Rang", "Top {n} %"),
        ("Aktueller Social Selling Index", "{n} von 100", "Vier Komponenten Ihres Scores"),
        (
            "Ihre professionelle Marke aufbauen",
            "Gezielt die richtigen Personen finden",
            "Durch Einblicke Interesse wecken",
            "Beziehungen aufbauen",
        ),
        (
            "Personen in Ihrer Branche",
            "Vertriebsprofis in der Branche {name} haben einen durchschnittlichen SSI von {n}.",
        ),
        (
            "Personen in Ihrem Netzwerk",
            "Personen in Ihrem Netzwerk haben einen durchschnittlichen SSI von {n}.",
        ),
        "Softwareentwicklung",
        True,
    ),
    "es": Words(
        "Tu Social Selling Index",
        ("Clasificación SSI del sector", "Clasificación SSI de la red", "{n} %"),
        ("Social Selling Index actual", "{n} de 100", "Cuatro componentes de tu puntuación"),
        (
            "Establece tu marca profesional",
            "Encuentra a las personas adecuadas",
            "Interactúa ofreciendo información",
            "Crea relaciones",
        ),
        (
            "Personas de tu sector",
            "Los profesionales de ventas del sector {name} tienen un SSI medio de {n}.",
        ),
        ("Personas de tu red", "Las personas de tu red tienen un SSI medio de {n}."),
        "Desarrollo de software",
        True,
    ),
    "it": Words(
        "Il tuo Social Selling Index",
        ("Posizione SSI nel settore", "Posizione SSI nella rete", "Top {n}%"),
        ("Social Selling Index attuale", "{n} su 100", "Quattro componenti del tuo punteggio"),
        (
            "Crea il tuo marchio professionale",
            "Trova le persone giuste",
            "Interagisci con approfondimenti",
            "Costruisci relazioni",
        ),
        (
            "Persone nel tuo settore",
            "I professionisti delle vendite nel settore {name} hanno un SSI medio di {n}.",
        ),
        ("Persone nella tua rete", "Le persone nella tua rete hanno un SSI medio di {n}."),
        "Sviluppo software",
        True,
    ),
    "nl": Words(
        "Je Social Selling Index",
        ("SSI-ranking in de branche", "SSI-ranking in je netwerk", "Top {n}%"),
        ("Huidige Social Selling Index", "{n} van 100", "Vier componenten van je score"),
        (
            "Bouw je professionele merk op",
            "Vind de juiste mensen",
            "Ga in gesprek met inzichten",
            "Bouw relaties op",
        ),
        (
            "Mensen in je branche",
            "Verkoopprofessionals in de branche {name} hebben een gemiddelde SSI van {n}.",
        ),
        ("Mensen in je netwerk", "Mensen in je netwerk hebben een gemiddelde SSI van {n}."),
        "Softwareontwikkeling",
        True,
    ),
}
# How an average splits over the pillars on the industry's and the network's cards (only
# the seller's own rows are read; these make the page whole).
SHARES = (0.3, 0.25, 0.2, 0.25)


class Line(NamedTuple):
    """One line of the page: ``kind`` says how it is drawn ("title", "heading", "label",
    "big", "row", "text"); a "row" is "number | label", as a copy keeps the page's bar."""

    kind: str
    text: str


def page_lines(seller: Seller, *, places: int | None = None) -> list[Line]:
    """The seller's page in their language (English for one the page isn't in): the rank
    cards, the total and the four pillar rows, then the industry's and the network's cards
    (those the seller has). ``places``: every pillar with that many decimals (a screenshot's
    sharp columns), else up to three, as the page writes them."""
    words = WORDS.get(seller.language, WORDS["en"])

    def num(value: float, fixed: int | None = None) -> str:
        text = f"{value:.{3 if fixed is None else fixed}f}"
        text = text if fixed is not None else text.rstrip("0").rstrip(".")
        return text.replace(".", ",") if words.comma else text

    def rows(values: list[float]) -> list[Line]:
        return [
            Line("row", f"{num(value, places)} | {label}")
            for value, label in zip(values, words.pillars, strict=True)
        ]

    industry_rank, network_rank, top = words.ranks
    lines = [Line("title", words.title)]
    for label, benchmark in ((industry_rank, seller.industry), (network_rank, seller.network)):
        if benchmark:
            lines += [Line("label", label), Line("big", top.format(n=benchmark[1]))]
    total = round(sum(seller.pillars))  # LinkedIn rounds the pillars' sum, as people type it
    lines += [Line("heading", words.current[0]), Line("big", words.current[1].format(n=total))]
    lines += [Line("heading", words.current[2]), *rows(seller.pillars)]
    for (heading, sentence), benchmark in (
        (words.industry, seller.industry),
        (words.network, seller.network),
    ):
        if benchmark:
            average = benchmark[0]
            lines += [Line("heading", heading), Line("big", words.current[1].format(n=average))]
            lines += rows([round(average * share, 2) for share in SHARES])
            said = sentence.format(name=words.industry_name, n=average)
            lines.append(Line("text", said))
    return lines


def page_text(seller: Seller) -> str:
    """The page as a select-all-and-copy gives it."""
    return "\n".join(line.text for line in page_lines(seller))
