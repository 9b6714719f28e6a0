"""Metadata of text dumps: title, author, date and site name from the lines a page shows.

The pages are written for these tests (no third-party text). Each is given to
:func:`find_metadata` as a dump's lines (with the blank lines between them that dumps have)
and the indices of its article lines, so these tests do not depend on the boilerplate model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normaliser.meta.dates import parse_date
from normaliser.page import PageMetadata
from normaliser.text import language
from normaliser.text import settings as dump_settings
from normaliser.text.header import is_credit
from normaliser.text.metadata import find_metadata
from normaliser.text.site_name import split_site_name

ARTICLE = [
    "The harbour council approved a plan on Tuesday to rebuild the old sea wall, which has been "
    "crumbling since the storms of last winter left large gaps along the northern pier.",
    "Engineers told the meeting that the work on the sea wall would take about two years and that the pier "
    "would stay open to walkers for most of that time.",
    "Local traders, who had asked for the sea wall repairs for more than a decade, said they were relieved "
    "but worried about the noise and the lorries in the narrow streets.",
]

MENU = ["Skip to content", "Home", "News", "Sport", "Weather", "Sign in"]
FOOTER = [
    "Share this article",
    "Leave a Comment",
    "About Harbour Gazette",
    "Advertise with Harbour Gazette",
    "© 2024 Harbour Gazette. All rights reserved.",
]


def read(
    header: Sequence[str], article: Sequence[str] = ARTICLE, footer: Sequence[str] = FOOTER, language: str | None = "en"
) -> PageMetadata:
    """The metadata of a dump made of ``header``, ``article`` and ``footer`` lines."""
    lines: list[str] = []
    indices: list[int] = []
    for part, in_article in ((header, False), (article, True), (footer, False)):
        for line in part:
            if in_article:
                indices.append(len(lines))
            lines += [line, ""]
    return find_metadata(lines, indices, language)[0]


def test_news_header_gives_title_author_date_and_site() -> None:
    metadata = read([*MENU, "Council backs sea wall rebuild | Harbour Gazette", "By Ada Lovelace", "12 March 2024"])
    assert metadata.title == "Council backs sea wall rebuild"
    assert metadata.author == "Ada Lovelace"
    assert metadata.published == "2024-03-12"
    assert metadata.site_name == "Harbour Gazette"


def test_headline_shown_twice_wins_over_the_standfirst_under_it() -> None:
    metadata = read(
        [
            *MENU,
            "Home » Local » Council backs sea wall rebuild",
            "Council backs sea wall rebuild",
            "Engineers say the northern pier will stay open to walkers while the wall is rebuilt",
            "By Ada Lovelace",
        ]
    )
    assert metadata.title == "Council backs sea wall rebuild"


def test_picture_credit_is_neither_title_nor_author() -> None:
    metadata = read(
        [
            *MENU,
            "Council backs sea wall rebuild",
            "Updated 12 March 2024",
            "The northern pier and the sea wall after the winter storms (Photo: Grace Hopper)",
            "Photo by Grace Hopper",
        ],
        footer=[],
    )
    assert metadata.title == "Council backs sea wall rebuild"
    assert metadata.author is None


def test_section_before_a_bar_is_not_the_site_name() -> None:
    assert split_site_name("Local | Council backs sea wall rebuild") == ("Council backs sea wall rebuild", None)
    assert split_site_name("Council backs sea wall rebuild — Harbour Gazette") == (
        "Council backs sea wall rebuild",
        "Harbour Gazette",
    )


def test_site_named_by_its_own_links_and_copyright() -> None:
    metadata = read([*MENU, "Council backs sea wall rebuild", "By Ada Lovelace"])
    assert metadata.site_name == "Harbour Gazette"


def test_syndication_note_is_not_the_author() -> None:
    metadata = read([*MENU, "Council backs sea wall rebuild", "Provided by Coastal Wire Services"], footer=[])
    assert metadata.author is None


def test_name_above_reading_time_is_the_author() -> None:
    metadata = read(["Ada Lovelace", "4 min read", "Council backs sea wall rebuild"], footer=[])
    assert metadata.author == "Ada Lovelace"


def test_name_then_date_on_one_line_is_a_byline() -> None:
    metadata = read([*MENU, "Council backs sea wall rebuild", "Ada Lovelace - Apr 16, 2015 8:02 pm UTC"], footer=[])
    assert metadata.author == "Ada Lovelace"
    assert metadata.published == "2015-04-16T20:02"


GERMAN = [
    "Die neue Brücke über den Fluss verbindet seit Samstag die Altstadt mit dem Bahnhofsviertel und "
    "verkürzt den Weg für Pendler um zehn Minuten.",
    "Die Kosten für die Brücke lagen mit sechs Millionen Euro leicht über der ursprünglichen Planung, sagte "
    "die Bürgermeisterin bei der Eröffnung.",
    "Nach zwei Jahren Bauzeit kamen rund zweitausend Menschen zur Eröffnung der Brücke über den Fluss.",
]
SPANISH = [
    "El ayuntamiento aprobó el martes la reconstrucción del viejo puente sobre el río, dañado por las "
    "tormentas del invierno pasado.",
    "Los ingenieros dijeron que las obras del puente durarán dos años y que el paso peatonal seguirá "
    "abierto durante la mayor parte del tiempo.",
    "Los comerciantes, que pedían la reparación del puente desde hace una década, se mostraron aliviados.",
]


def test_german_byline_and_date() -> None:
    metadata = read(
        [
            "Startseite",
            "Lokales",
            "Neue Brücke über den Fluss eröffnet",
            "Von Jörg Weißmüller",
            "Veröffentlicht am 3. Juni 2024",
        ],
        GERMAN,
        [],
        "de",
    )
    assert metadata.title == "Neue Brücke über den Fluss eröffnet"
    assert metadata.author == "Jörg Weißmüller"
    assert metadata.published == "2024-06-03"


def test_spanish_byline_on_its_own_line_and_date_with_time() -> None:
    metadata = read(
        [
            "Inicio",
            "Noticias",
            "El ayuntamiento reconstruirá el puente del río",
            "Por",
            "María López",
            "4 de mayo de 2020 9:00",
        ],
        SPANISH,
        [],
        "es",
    )
    assert metadata.title == "El ayuntamiento reconstruirá el puente del río"
    assert metadata.author == "María López"
    assert metadata.published == "2020-05-04T09:00"


def test_bylines_in_other_languages() -> None:
    for byline, name in (
        ("Par Jeanne Dupont", "Jeanne Dupont"),
        ("Di Marco Rossi", "Marco Rossi"),
        ("Door Pieter de Vries", "Pieter de Vries"),
        ("Autor: Ana Souza", "Ana Souza"),
        ("Written by Ada Lovelace", "Ada Lovelace"),
    ):
        metadata = read([*MENU, "Council backs sea wall rebuild", byline], footer=[])
        assert metadata.author == name, byline


def test_chinese_byline_skips_a_job_title() -> None:
    metadata = read(
        ["首页", "城市公园的新桥今天正式开放", "2019-06-02 10:15 作者：张小明"],
        ["城市公园的新桥今天正式开放，附近的居民和游客可以步行穿过河流，去公园另一边的花园。"] * 3,
        [],
        "zh",
    )
    assert metadata.author == "张小明"
    assert metadata.published == "2019-06-02T10:15"


def test_never_invents_a_date() -> None:
    for dateline in (
        "Updated 2 hours ago",
        "Today",
        "Yesterday at 10:15",
        "vor 2 Stunden",
        "il y a 3 jours",
        "4/11/16 9:30am",
    ):
        metadata = read([*MENU, "Council backs sea wall rebuild", "By Ada Lovelace", dateline], footer=[])
        assert metadata.published is None, dateline


def test_copyright_year_is_not_a_publication_date() -> None:
    metadata = read([*MENU, "Council backs sea wall rebuild", "© 2024 Harbour Gazette"], footer=[])
    assert metadata.published is None


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.characters(categories=("L", "Zs", "P")), min_size=1, max_size=80), min_size=1, max_size=12
    )
)
def test_a_page_without_digits_has_no_date(header: list[str]) -> None:
    # Every date format needs digits: a page that shows none can state no date.
    assert read([line for line in header if line.strip()], footer=[]).published is None


def test_page_without_an_article_states_nothing() -> None:
    assert find_metadata(["Home", "", "News"], []) == (PageMetadata(), frozenset())


def test_dates_in_several_formats() -> None:
    assert parse_date("Monday 14 March 2022") == "2022-03-14"
    assert parse_date("posted on June 3, 2019, at 9:41 a.m.") == "2019-06-03T09:41"
    assert parse_date("14.mar.2020 às 08h05") == "2020-03-14T08:05"
    assert parse_date("Publié le 2 mai 2024") == "2024-05-02"
    assert parse_date("2024-05-02T10:30:00Z") == "2024-05-02T10:30"
    assert parse_date("02.05.2024", "de") == "2024-05-02"
    assert parse_date("2017年3月10日") == "2017-03-10"
    assert parse_date("32 May 2024") is None


# The title and the lines around it: each of these pages was read wrongly before the mechanism
# it is named after.


def test_version_number_before_a_dash_stays_in_the_headline() -> None:
    # "Seawall 2.0" is too short for a headline, so "The Harbour Rebuild" is not a site's name.
    assert split_site_name("Seawall 2.0 - The Harbour Rebuild") == ("Seawall 2.0 - The Harbour Rebuild", None)
    metadata = read(["Harbour Notes", "Powered by Quillpress", "Seawall 2.0 - The Harbour Rebuild"], footer=[])
    assert metadata.title == "Seawall 2.0 - The Harbour Rebuild"


def test_date_under_a_standfirst_is_the_headlines() -> None:
    metadata = read(
        [
            *MENU,
            "Council backs rebuild of the old sea wall",
            "The harbour council approved a plan to rebuild the old sea wall along the northern pier",
            "Copy link",
            "Photo",
            "12 March 2024",
        ],
        footer=[],
    )
    assert metadata.title == "Council backs rebuild of the old sea wall"
    assert metadata.published == "2024-03-12"


def test_name_shaped_headline_over_a_byline() -> None:
    # Three capitalised words look like a name, but a name does not stand over "Written by"
    # and another name.
    metadata = read([*MENU, "Seawall Works", "Harbour Wall Engineers", "Written by Ada Lovelace"], footer=[])
    assert metadata.title == "Harbour Wall Engineers"
    assert metadata.author == "Ada Lovelace"


def test_long_headline_under_a_name_shaped_menu_item() -> None:
    # A role under a byline's name is short ("News reporter"); a line of five words or more
    # under a two-word menu item that looks like a name is still a headline.
    metadata = read(
        [
            *MENU,
            "Watch Live",
            "Council backs rebuild of the old sea wall",
            "Ada Lovelace",
            "News reporter",
            "12 March 2024",
            "Image:",
            "Engineers at the northern pier, where the sea wall is to be rebuilt",
        ],
        footer=[],
    )
    assert metadata.title == "Council backs rebuild of the old sea wall"
    assert read(["Ada Lovelace", "News reporter", "Council backs sea wall rebuild"], footer=[]).title == (
        "Council backs sea wall rebuild"
    )


def test_line_under_the_byline_is_not_the_headline() -> None:
    # The headline is above the byline; a line two or three lines under "By X" (an agency's
    # name, a wire slug, a standfirst) is not, though it shares more of the article's words.
    metadata = read(
        [
            *MENU,
            "12 March 2024 6:02 AM",
            "Council backs wall plan",
            "By Ada Lovelace",
            "Coastal Wire",
            "Harbour council approves the northern sea wall rebuild plan",
        ],
        footer=[],
    )
    assert metadata.title == "Council backs wall plan"


# The site's name from the copyright footer and the page's own links.


def site(footer: Sequence[str], header: Sequence[str] = ()) -> str | None:
    return read([*header, *MENU, "Council backs sea wall rebuild", "By Ada Lovelace"], footer=footer).site_name


def test_site_name_before_the_copyright_sign() -> None:
    assert site(["Terms", "Harbourgazette.com © 2024 Island Media Group"]) == "Harbourgazette"
    assert site(["Harbour Gazette © Island Media Group Limited 2024"]) == "Harbour Gazette"
    # A lower-case name counts where the page's header shows it alone, as its logo.
    assert site(["harbournotes, 2018-2024 © All rights reserved."], header=["harbournotes"]) == "harbournotes"
    assert site(["harbournotes, 2018-2024 © All rights reserved."]) is None
    # Neither a credit nor the word "Copyright" is a site's name.
    assert site(["Illustration © 2024 Grace Hopper"]) == "Grace Hopper"
    assert site(["Copyright © 2024 Island Media Group"]) == "Island Media Group"


def test_copyright_owner_in_more_forms() -> None:
    assert site(["Copyright 1996-2024, Island Media, Inc."]) == "Island Media"
    # (a dot inside a word does not end the name; a long line is read up to its first sentence's end)
    assert site(
        [
            "Copyright Gazeta de S.Marco. No part of this page may be copied in print or online without "
            "the written leave of the editors, who answer letters about it within a week or two."
        ]
    ) == ("Gazeta de S.Marco")
    assert site(["© 2024 HarbourGazette.co.uk - All rights reserved"]) == "HarbourGazette"
    assert site(["Copyright © 2024 HarbourGazette.com Terms of Use"]) == "HarbourGazette"
    assert site(["© 2024 Guild of Pilots and Boatmen"]) == "Guild of Pilots and Boatmen"


def test_copyright_line_above_a_long_footer() -> None:
    # The copyright line may sit above some forty lines of footer links.
    assert site(["© 2024 Harbour Gazette, Inc", *(f"Footer link {n}" for n in range(40))]) == "Harbour Gazette"


def test_site_named_by_links_with_a_lower_case_initial() -> None:
    assert site(["About eGazette", "Write for us", "Advertise with eGazette", "© 2024 Island Media Group"]) == (
        "eGazette"
    )


# The settings are read at call time: a test swaps an instance for a changed copy.


def test_headline_further_above_than_the_window_is_not_looked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    header = [*MENU, "Council backs sea wall rebuild", "By Ada Lovelace", "12 March 2024"]
    assert read(header).title == "Council backs sea wall rebuild"
    monkeypatch.setattr(dump_settings, "METADATA", replace(dump_settings.METADATA, title_lines_above=2))
    assert read(header).title is None


def test_no_headline_below_the_least_score(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dump_settings, "WEIGHTS", replace(dump_settings.WEIGHTS, min_score=10.0))
    metadata = read([*MENU, "Council backs sea wall rebuild", "By Ada Lovelace", "12 March 2024"])
    assert metadata.title is None
    assert metadata.author == "Ada Lovelace"


def test_language_guess_needs_its_least_number_of_function_words(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "The cat sat on the mat and it was happy with the way that the day went."
    assert language.guess_language(text) == "en"
    monkeypatch.setattr(language, "GUESS", replace(language.GUESS, min_hits=100))
    assert language.guess_language(text) is None


POLISH_ARTICLE = [
    "Rada portu zatwierdziła we wtorek plan odbudowy starego falochronu, który kruszy się od zimowych "
    "sztormów, zostawiających duże wyrwy wzdłuż północnego mola.",
    "Inżynierowie powiedzieli na posiedzeniu, że prace przy falochronie potrwają około dwóch lat, a molo "
    "przez większość tego czasu pozostanie otwarte dla spacerowiczów.",
    "Miejscowi kupcy, którzy od ponad dekady prosili o naprawę falochronu, mówią, że odetchnęli z ulgą, "
    "ale martwią się hałasem i ciężarówkami w wąskich uliczkach.",
]
POLISH_MENU = ["Przejdź do treści", "Strona główna", "Wiadomości", "Sport", "Pogoda", "Zaloguj się"]


def test_byline_with_a_date_among_its_parts_is_not_the_headline() -> None:
    # The model keeps a long dateline as the article's first line, so it shares the article's
    # words and sits right over it; but one of its parts is a date.
    dateline = "Ada Lovelace · Harbour Gazette · Posted: Mar 12, 2024 8:25 AM"
    metadata = read(
        [*MENU, "Council backs sea wall rebuild", "Engineers give the pier two years"], article=[dateline, *ARTICLE]
    )
    assert metadata.title == "Council backs sea wall rebuild"


def test_polish_byline_with_a_date_is_not_the_headline() -> None:
    # With the date cut off as if it were the site's name, what is left is still no headline.
    dateline = "Anna Nowak · Gazeta Portowa · Dział Wiadomości Lokalnych · 12.03.2024, 08:25"
    metadata = read(
        [*POLISH_MENU, "Rada portu odbuduje stary falochron", "Inżynierowie dają molo dwa lata"],
        article=[dateline, *POLISH_ARTICLE],
        language="pl",
    )
    assert metadata.title == "Rada portu odbuduje stary falochron"


def test_name_shaped_headline_that_shares_the_articles_words_is_no_name() -> None:
    # Three capitalised words look like a person's name, but a name does not repeat the
    # article's words: this one says what the article is about.
    metadata = read(
        [*MENU, "Harbour Sea Wall", "12 March 2024", "Engineers plan two years of sea wall works"], footer=[]
    )
    assert metadata.title == "Harbour Sea Wall"


TABLE_OF_CONTENTS = [
    "Why the harbour sea wall is crumbling",
    "What the engineers told the council",
    "How long the northern pier stays open",
    "What the local traders say",
]


def test_entry_of_a_table_of_contents_is_not_the_headline() -> None:
    # Each entry shares the article's words and sits nearer to it than the headline.
    metadata = read([*MENU, "Your guide to the harbour rebuild", *TABLE_OF_CONTENTS], footer=[])
    assert metadata.title == "Your guide to the harbour rebuild"


def test_entry_of_a_polish_table_of_contents_is_not_the_headline() -> None:
    contents = [
        "Dlaczego falochron portu się kruszy",
        "Co inżynierowie powiedzieli radzie portu",
        "Jak długo molo pozostanie otwarte",
        "Co mówią miejscowi kupcy",
    ]
    metadata = read(
        [*POLISH_MENU, "Odbudowa falochronu: przewodnik dla mieszkańców", *contents],
        article=POLISH_ARTICLE,
        footer=[],
        language="pl",
    )
    assert metadata.title == "Odbudowa falochronu: przewodnik dla mieszkańców"


def test_subheading_under_the_articles_first_paragraph_is_not_the_headline() -> None:
    # The model starts the article at its first paragraph; the subheading under it is above
    # the body's run of long lines, as close to it as a headline would be.
    subheading = "Sea wall repairs along the northern pier"
    more = "The council will meet again in June to choose the builder and to set the dates of the works."
    article = [ARTICLE[0], "See the plan", subheading, *ARTICLE[1:], more]
    assert read([*MENU, "Council backs sea wall rebuild"], article=article, footer=[]).title == (
        "Council backs sea wall rebuild"
    )


def test_photography_credit_is_a_credit() -> None:
    assert is_credit("Photography by Grace Hopper")
    assert not is_credit("Photography of the harbour wins a prize")
