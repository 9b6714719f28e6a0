"""Boilerplate removal and metadata for text dumps: each step, then properties of the whole.

The pages here are written for these tests (no third-party text): a news page with the
usual furniture, articles in several languages, and generated prose for the properties.
"""

from __future__ import annotations

import itertools
import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normaliser.meta import phrases
from normaliser.meta.dates import parse_date
from normaliser.meta.stopwords import ALL_STOPWORDS
from normaliser.reasons import Removal
from normaliser.repair.whitespace import normalise_whitespace
from normaliser.text import boilerplate
from normaliser.text.boilerplate import clean_text_dump, strip_boilerplate
from normaliser.text.compiled import SYMBOLIC
from normaliser.text.features import FeatureVector
from normaliser.text.language import _WORD as _LETTERS
from normaliser.text.language import _letter_runs, guess_language
from normaliser.text.measure import _WORD, _kind, measure_line, measure_lines
from normaliser.text.metadata import find_metadata
from normaliser.text.model import MODEL_PATH, BoilerplateModel, expected_f1_keep, fill_gaps, shipped_model
from normaliser.text.page_measures import LineRecord, PageMeasures, main_region, page_measures
from normaliser.text.site_name import split_site_name

ARTICLE = [
    "The harbour council approved a plan on Tuesday to rebuild the old sea wall, which has been "
    "crumbling since the storms of last winter left large gaps along the northern pier.",
    "Engineers told the meeting that the work would take about two years and that the pier would stay "
    "open to walkers for most of that time, although the fishing platform will close in spring.",
    "Local traders, who had asked for the repairs for more than a decade, said they were relieved but "
    "worried about the noise and the lorries that will have to pass through the narrow streets.",
    "The council expects to publish the full timetable next month, after a final survey of the "
    "foundations has been carried out by an independent firm from the mainland.",
]

NEWS_PAGE = "\n".join(
    [
        "Skip to content",
        "Home",
        "News",
        "Sport",
        "Weather",
        "Sign in",
        "Home » Local » Council backs sea wall rebuild",
        "Council backs sea wall rebuild | Harbour Gazette",
        "By Ada Lovelace",
        "12 March 2024",
        "3 comments",
        *ARTICLE,
        "Share this article",
        "Facebook",
        "Twitter",
        "Email",
        "You may also like",
        "Leave a Comment",
        "Recent Posts",
        "Categories",
        "© 2024 Harbour Gazette. All rights reserved.",
        "Privacy Policy",
        "Terms of Use",
    ]
)

GERMAN = [
    "Der Stadtrat hat am Dienstag beschlossen, die alte Hafenmauer neu zu bauen, die seit den Stürmen "
    "des letzten Winters an vielen Stellen gebrochen ist.",
    "Die Ingenieure sagten, dass die Arbeiten etwa zwei Jahre dauern werden und der Steg für Spaziergänger "
    "die meiste Zeit offen bleiben soll.",
    "Die Händler, die seit mehr als zehn Jahren auf die Reparatur gewartet hatten, waren erleichtert, "
    "aber auch besorgt wegen des Lärms in den engen Straßen.",
]

SPANISH = [
    "El ayuntamiento aprobó el martes un plan para reconstruir el viejo muro del puerto, que se ha ido "
    "desmoronando desde las tormentas del invierno pasado.",
    "Los ingenieros dijeron que las obras durarán unos dos años y que el muelle seguirá abierto para los "
    "paseantes durante la mayor parte de ese tiempo.",
]


def test_phrase_key_reads_digits_as_zero_and_drops_punctuation() -> None:
    assert phrases.phrase_key("  Comments (12) ") == "comments 0"
    assert phrases.WHOLE_LINE[phrases.phrase_key("Leave a Comment")] == Removal.COMMENTS_WIDGET


def _measured(lines: list[str], model: BoilerplateModel | None = None) -> tuple[list[LineRecord[float]], PageMeasures]:
    """The records of a page's non-blank lines under ``model`` (the shipped one by default), and its measures."""
    compiled = (model or shipped_model()).compiled
    texts = [line for line in lines if line]
    records = [
        compiled.record(text, shape) for text, shape in zip(texts, measure_lines(texts, ALL_STOPWORDS), strict=True)
    ]
    return records, page_measures(records)


def test_prose_line_measures_as_prose_and_a_menu_item_does_not() -> None:
    (prose,), prose_page = _measured([ARTICLE[0]])
    (menu,), menu_page = _measured(["Weather"])
    assert prose_page.prose == [True] and prose.shape.sentence_end and prose.shape.stop_share > 0.25
    assert menu_page.prose == [False] and menu.shape.words == 1


def test_furniture_kinds_are_recognised_in_several_languages() -> None:
    kinds = {
        line: measure_line(line, ALL_STOPWORDS).kind
        for line in (
            "Leave a Comment",
            "Kommentare",
            "Compartir",
            "Lesen Sie auch:",
            "© 2024 Example Ltd",
            "by Jane Doe",
        )
    }
    assert kinds == {
        "Leave a Comment": Removal.COMMENTS_WIDGET,
        "Kommentare": Removal.COMMENTS_WIDGET,
        "Compartir": Removal.SHARE,
        "Lesen Sie auch:": Removal.RELATED,
        "© 2024 Example Ltd": Removal.LEGAL,
        "by Jane Doe": Removal.BYLINE,
    }


def test_byline_word_starting_a_sentence_is_not_a_byline() -> None:
    assert measure_line("By the end of the year prices had risen again in every region.", ALL_STOPWORDS).kind is None


def test_hard_wrapped_paragraph_is_measured_as_one_unit() -> None:
    _, page = _measured(
        ["The council said that the work on the", "wall would start in spring and end", "in two years.", "Weather"]
    )
    assert page.units == [0, 0, 0, 1]
    assert page.unit_words[0] == page.unit_words[2] == 18


def test_main_region_is_the_run_with_the_largest_total() -> None:
    assert main_region([-1.0, 2.0, -0.5, 3.0, -4.0, 1.0]) == (1, 4)
    assert main_region([-1.0, -2.0]) == (0, 0)


def test_news_page_keeps_the_article_and_drops_the_furniture() -> None:
    extraction = clean_text_dump(NEWS_PAGE)
    assert list(extraction.paragraphs) == ARTICLE


def _article_shaped(lines: list[str]) -> bool:
    model = shipped_model()
    config = boilerplate.CLEANER
    return boilerplate._looks_like_article(boilerplate._records(lines, range(len(lines)), model, config), config)


def test_an_article_with_headings_and_a_short_list_is_kept_without_scoring_it(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [
        ARTICLE[0],
        "What happens next",
        ARTICLE[1],
        "Timetable",
        "Survey in spring",
        "Works for two years",
        ARTICLE[2],
        ARTICLE[3],
        "Harbour works",
    ]
    assert _article_shaped(lines)

    def no_round(*args: object) -> None:
        raise AssertionError("an article-shaped text is not scored")

    monkeypatch.setattr(boilerplate, "_one_round", no_round)
    assert list(clean_text_dump("\n".join(lines)).paragraphs) == lines


def test_a_round_that_would_drop_only_a_few_doubtful_lines_drops_none() -> None:
    keep = [True] * 98 + [False, False]
    config = boilerplate.CLEANER
    assert boilerplate._settled(keep, [2.0] * 98 + [-0.5, -0.9], config)
    assert not boilerplate._settled(keep, [2.0] * 98 + [-0.5, -1.5], config)  # one line is clearly out
    assert not boilerplate._settled([True] * 97 + [False] * 3, [2.0] * 97 + [-0.5] * 3, config)  # too many
    assert not boilerplate._settled([True] * 100, [2.0] * 100, config)  # nothing to drop


def test_menus_link_trails_and_furniture_phrases_are_not_article_shaped() -> None:
    assert not _article_shaped([line for line in NEWS_PAGE.split("\n") if line])
    assert not _article_shaped([*ARTICLE[:2], "Home", "News", "Sport", "Weather", *ARTICLE[2:]])
    assert not _article_shaped([*ARTICLE, "Home » Local » Council backs sea wall rebuild"])
    assert not _article_shaped([*ARTICLE, "Share this article"])
    assert _article_shaped([*ARTICLE[:2], "News", "Sport", "Weather", *ARTICLE[2:]])


def test_every_dropped_line_is_listed_with_a_reason() -> None:
    extraction = clean_text_dump(NEWS_PAGE)
    lines = [line for line in NEWS_PAGE.split("\n") if line]
    assert len(extraction.paragraphs) + len(extraction.removed) == len(lines)
    assert all(removed.reason for removed in extraction.removed)
    reasons = {removed.text: removed.reason for removed in extraction.removed}
    assert reasons["Council backs sea wall rebuild | Harbour Gazette"] == "title"
    assert reasons["Leave a Comment"] == Removal.COMMENTS_WIDGET
    assert reasons["Share this article"] == Removal.SHARE


def test_title_author_date_and_site_come_from_the_page() -> None:
    metadata = clean_text_dump(NEWS_PAGE).metadata
    assert metadata.title == "Council backs sea wall rebuild"
    assert metadata.author == "Ada Lovelace"
    assert metadata.published == "2024-03-12"
    assert metadata.site_name == "Harbour Gazette"
    assert metadata.language == "en"


def test_metadata_is_not_invented_when_the_page_states_none() -> None:
    metadata = clean_text_dump("\n".join(ARTICLE)).metadata
    assert metadata.author is None
    assert metadata.published is None
    assert metadata.site_name is None


def test_find_metadata_without_an_article_states_nothing() -> None:
    assert find_metadata(["Home", "News"], [])[0].title is None


def test_site_name_split_from_a_title_line() -> None:
    assert split_site_name("Council backs sea wall rebuild | Harbour Gazette") == (
        "Council backs sea wall rebuild",
        "Harbour Gazette",
    )
    assert split_site_name("Rebuild: what it means for the harbour and its traders") == (
        "Rebuild: what it means for the harbour and its traders",
        None,
    )


def test_dates_in_several_languages_and_orders() -> None:
    assert parse_date("Published 3 June 2021") == "2021-06-03"
    assert parse_date("Veröffentlicht am 3. Juni 2021") == "2021-06-03"
    assert parse_date("03/06/2021", "fr") == "2021-06-03"
    assert parse_date("06/03/2021", "en") == "2021-06-03"
    assert parse_date("no date here") is None


def test_language_is_guessed_from_function_words_and_scripts() -> None:
    assert guess_language(" ".join(ARTICLE)) == "en"
    assert guess_language(" ".join(GERMAN)) == "de"
    assert guess_language(" ".join(SPANISH)) == "es"
    assert guess_language("東京は日本の首都であり、多くの人が住んでいます。") == "ja"
    assert guess_language("Home News Sport") is None


def test_non_english_articles_are_kept_whole() -> None:
    for article in (GERMAN, SPANISH):
        assert list(clean_text_dump("\n".join(article)).paragraphs) == article


def test_empty_and_blank_text_give_an_empty_article() -> None:
    assert clean_text_dump("").paragraphs == ()
    assert clean_text_dump("\n\n").paragraphs == ()


def _symbolic(lines: list[str]) -> tuple[list[FeatureVector], list[FeatureVector], list[float], list[float]]:
    """Training's feature vectors of a page's lines (the scoring code run with symbolic
    weights), both stages, and the shipped model's logits of the lines, both stages."""
    model = shipped_model()
    records, page = _measured(lines, model)
    first = model.compiled.stage1(records, page)
    second, _ = model.compiled.logits(records)
    texts = [line for line in lines if line]
    symbolic = [SYMBOLIC.record(text, record.shape) for text, record in zip(texts, records, strict=True)]
    return SYMBOLIC.stage1(symbolic, page), SYMBOLIC.stage2(symbolic, page, first), first, second


def _assert_symbolic_scores_as_the_model(lines: list[str]) -> None:
    vectors1, vectors2, first, second = _symbolic(lines)
    model = shipped_model()
    assert [vector.logit(model.line) for vector in vectors1] == [pytest.approx(z, abs=1e-9) for z in first]
    assert [vector.logit(model.context) for vector in vectors2] == [pytest.approx(z, abs=1e-9) for z in second]


def test_training_features_score_a_page_as_the_cleaner_does() -> None:
    _assert_symbolic_scores_as_the_model(NEWS_PAGE.split("\n"))


def test_training_features_hold_the_page_flags() -> None:
    # The shipped weights may leave a page-level flag out: the lines below the comment and
    # related-stories headings must carry it all the same.
    vectors, _, _, _ = _symbolic(NEWS_PAGE.split("\n"))
    texts = [line for line in NEWS_PAGE.split("\n") if line]
    below = [text for text, vector in zip(texts, vectors, strict=True) if "after-related" in vector]
    assert below == texts[texts.index("You may also like") + 1 :]
    assert any("after-comments" in vector for vector in vectors)


def test_shipped_model_loads_from_the_package() -> None:
    model = shipped_model()
    assert model.line and model.context


def test_the_model_file_records_its_provenance_and_the_loader_reads_past_it() -> None:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert data["provenance"]["note"]
    assert BoilerplateModel.from_json(data) == BoilerplateModel.from_json(
        {key: value for key, value in data.items() if key != "provenance"}
    )


def test_model_file_keeps_the_decoding() -> None:
    model = shipped_model()
    assert model.decoding is not None
    again = BoilerplateModel.from_json(model.to_json())
    assert (again.threshold, again.decoding) == (model.threshold, model.decoding)
    assert BoilerplateModel.from_json({**model.to_json(), "decoding": None}).decoding is None


def test_model_file_keeps_the_gap_rule() -> None:
    model = shipped_model()
    assert BoilerplateModel.from_json(model.to_json()).gap == model.gap
    with_gap = BoilerplateModel(model.line, model.context, 0.0, (0.4, -0.75), -2.5)
    assert BoilerplateModel.from_json(with_gap.to_json()).gap == -2.5
    without = {key: value for key, value in model.to_json().items() if key != "gap"}
    assert BoilerplateModel.from_json(without).gap is None


# Four paragraphs of 20 words, then two short lines.
_WEIGHTS = [20, 20, 20, 20, 3, 3]


def test_expected_f1_adds_no_doubtful_line_on_a_page_the_model_is_sure_of() -> None:
    assert expected_f1_keep([5.0, 5.0, 5.0, -0.5, -5.0, -5.0], _WEIGHTS, 1.0, 0.0, 0.0) == [True] * 3 + [False] * 3
    assert expected_f1_keep([8.0, 8.0, 8.0, -0.5, -5.0, -5.0], _WEIGHTS, 0.4, -0.75, 0.0) == [True] * 3 + [False] * 3


def test_expected_f1_adds_doubtful_lines_on_a_page_the_model_is_unsure_of() -> None:
    # Only one line is clearly article: the three at -0.5, each a 38% chance, are worth keeping.
    assert expected_f1_keep([2.0, -0.5, -0.5, -0.5, -5.0, -5.0], _WEIGHTS, 1.0, 0.0, 0.0) == [True] * 4 + [False] * 2
    assert expected_f1_keep([2.5, -0.5, -0.5, -0.5, -5.0, -5.0], _WEIGHTS, 0.4, -0.75, 0.0) == [True] * 4 + [False] * 2


def test_expected_f1_keeps_every_line_above_the_threshold() -> None:
    # A line above the threshold stays even where its probability is below the cut.
    assert expected_f1_keep([8.0, 8.0, 8.0, 0.5, -5.0, -5.0], _WEIGHTS, 0.4, -0.75, 0.0) == [True] * 4 + [False] * 2
    assert expected_f1_keep([1.0, -1.0], [0, 0], 1.0, 0.0, 0.0) == [True, False]
    assert expected_f1_keep([], [], 1.0, 0.0, 0.0) == []


# An article paragraph, a listing of five short entries inside the article, another paragraph.
_LISTING_KEEP = [True, False, False, False, False, False, True]
_LISTING_WEIGHTS = [40, 3, 2, 3, 4, 2, 40]


def test_a_likely_run_inside_the_article_joins_it_whole() -> None:
    logits = [3.0, -1.0, -3.0, -2.0, -1.5, -2.5, 2.5]  # mean of the run, by words: -1.8
    assert fill_gaps(_LISTING_KEEP, logits, _LISTING_WEIGHTS, -2.5) == [True] * 7
    # Below a stricter bar the run stays out, though some of its lines score above it.
    assert fill_gaps(_LISTING_KEEP, logits, _LISTING_WEIGHTS, -1.5) == _LISTING_KEEP


def test_runs_before_and_after_the_article_and_short_gaps_are_left_alone() -> None:
    keep = [False, False, False, True, False, False, True, False, False, False]
    logits = [-1.0, -1.0, -1.0, 3.0, -1.0, -1.0, 3.0, -1.0, -1.0, -1.0]
    assert fill_gaps(keep, logits, [5] * 10, -2.5) == keep  # the two-line gap is short
    assert fill_gaps(keep, logits, [5] * 10, -2.5, min_lines=2) == [False] * 3 + [True] * 4 + [False] * 3
    assert fill_gaps([], [], [], -2.5) == []
    assert fill_gaps([False] * 4, [-1.0] * 4, [1] * 4, -2.5) == [False] * 4


def test_a_gap_of_furniture_between_two_paragraphs_stays_out() -> None:
    logits = [3.0, -4.0, -5.0, -3.5, -4.0, -6.0, 2.5]  # a share bar and related links
    assert fill_gaps(_LISTING_KEEP, logits, _LISTING_WEIGHTS, -2.5) == _LISTING_KEEP


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.floats(-6.0, 6.0), st.integers(1, 30)), max_size=12), st.floats(-4.0, 0.0))
def test_gap_filling_only_adds_whole_runs_inside_the_kept_region(
    lines: list[tuple[bool, float, int]], gap: float
) -> None:
    keep = [k for k, _, _ in lines]
    filled = fill_gaps(keep, [z for _, z, _ in lines], [w for _, _, w in lines], gap)
    assert all(f or not k for k, f in zip(keep, filled, strict=True))  # nothing kept is dropped
    if True in keep:
        first, last = keep.index(True), len(keep) - 1 - keep[::-1].index(True)
        assert filled[:first] == keep[:first] and filled[last:] == keep[last:]
    for i in range(1, len(keep)):  # a run joins whole or not at all
        if not keep[i] and not keep[i - 1]:
            assert filled[i] == filled[i - 1]
    assert fill_gaps(filled, [z for _, z, _ in lines], [w for _, _, w in lines], gap) == filled


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.floats(-6.0, 6.0), st.integers(0, 30)), min_size=1, max_size=8),
    st.sampled_from([(1.0, 0.0), (0.4, -0.75), (2.0, 0.5)]),
    st.sampled_from([0.0, 1.0, 10.0]),
)
def test_expected_f1_choice_scores_as_well_as_the_best_set_of_lines(
    lines: list[tuple[float, int]], decoding: tuple[float, float], threshold: float
) -> None:
    logits = [z for z, _ in lines]
    weights = [w for _, w in lines]
    scale, offset = decoding
    probabilities = [1.0 / (1.0 + math.exp(-(scale * z + offset))) for z in logits]
    expected = sum(p * w for p, w in zip(probabilities, weights, strict=True))
    above = {i for i, z in enumerate(logits) if z > threshold}

    def score(chosen: set[int]) -> float:
        return (
            2.0 * sum(probabilities[i] * weights[i] for i in chosen) / (sum(weights[i] for i in chosen) + expected)
            if expected
            else 0.0
        )

    keep = expected_f1_keep(logits, weights, scale, offset, threshold)
    chosen = {i for i, on in enumerate(keep) if on}
    assert above <= chosen
    best = max(
        score(above | set(others))
        for k in range(len(lines) + 1)
        for others in itertools.combinations(range(len(lines)), k)
    )
    assert score(chosen) == pytest.approx(best, rel=1e-9, abs=1e-12)


# Property tests. Prose is built from sentences of common words, as article text is.
_WORDS = [
    "the",
    "council",
    "said",
    "that",
    "work",
    "on",
    "a",
    "wall",
    "would",
    "start",
    "in",
    "spring",
    "and",
    "traders",
    "were",
    "worried",
    "about",
    "noise",
    "of",
    "lorries",
    "through",
    "streets",
    "it",
    "was",
    "expected",
    "to",
    "take",
    "two",
    "years",
    "with",
    "engineers",
    "for",
    "people",
    "who",
    "live",
    "there",
]
_sentence = st.lists(st.sampled_from(_WORDS), min_size=8, max_size=25).map(
    lambda words: " ".join(words).capitalize() + "."
)
_paragraph = st.lists(_sentence, min_size=1, max_size=4).map(" ".join)
# Paragraphs are distinct: one repeated word for word is the mark of page furniture, and the
# cleaner may treat it so.
_article = st.lists(_paragraph, min_size=1, max_size=12, unique=True)
_furniture = st.sampled_from(
    [
        "Home",
        "Share",
        "Sign in",
        "Leave a Comment",
        "Privacy Policy",
        "Menu",
        "Search",
        "You may also like",
        "© 2024 Example",
        "Next",
        "Tags:",
        "3 comments",
    ]
)
_page = st.lists(st.one_of(_paragraph, _furniture, st.text(min_size=1, max_size=60)), min_size=1, max_size=40)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_article)
def test_an_all_article_text_keeps_every_line(paragraphs: list[str]) -> None:
    assert list(clean_text_dump("\n".join(paragraphs)).paragraphs) == paragraphs


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_article)
def test_an_article_is_never_emptied(paragraphs: list[str]) -> None:
    assert clean_text_dump("\n".join(paragraphs)).paragraphs


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_page)
def test_cleaning_twice_changes_nothing(lines: list[str]) -> None:
    text = normalise_whitespace("\n".join(lines))
    once = "\n".join(clean_text_dump(text).paragraphs)
    assert "\n".join(clean_text_dump(once).paragraphs) == once


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_page)
def test_the_output_is_article_shaped_or_kept_whole_by_the_model(lines: list[str]) -> None:
    # Cleaning stops at a text that is article-shaped or that the model keeps whole: either
    # way, cleaning that text again starts and stops there.
    text = normalise_whitespace("\n".join(lines))
    kept = list(clean_text_dump(text).paragraphs)
    if kept and not _article_shaped(kept):
        model = shipped_model()
        config = boilerplate.CLEANER
        records = boilerplate._records(kept, range(len(kept)), model, config)
        step = boilerplate._one_round(kept, range(len(kept)), records, model, config)
        assert not step.removed


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_page)
def test_kept_and_removed_lines_account_for_every_line(lines: list[str]) -> None:
    text = normalise_whitespace("\n".join(lines))
    extraction = clean_text_dump(text)
    assert len(extraction.paragraphs) + len(extraction.removed) == sum(1 for line in text.split("\n") if line)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_page)
def test_training_features_score_any_page_as_the_cleaner_does(lines: list[str]) -> None:
    _assert_symbolic_scores_as_the_model(normalise_whitespace("\n".join(lines)).split("\n"))


_line = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\n"), min_size=1, max_size=80)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_line, _furniture, _sentence), min_size=1, max_size=10))
def test_measuring_lines_together_measures_each_as_alone(lines: list[str]) -> None:
    assert measure_lines(lines, ALL_STOPWORDS) == [measure_line(line, ALL_STOPWORDS) for line in lines]


@settings(max_examples=300, deadline=None)
@given(st.one_of(_line, _furniture, _line.map(str.title)))
def test_phrase_shortcuts_find_the_same_kind_as_the_full_lookup(line: str) -> None:
    key = phrases._NON_WORD.sub(" ", phrases._DIGITS.sub("0", line.casefold())).strip()
    assert phrases.phrase_key(line) == key
    lower = line.lower()
    words = len(_WORD.findall(line))
    if line.isascii():
        assert _kind(line, lower, words, _WORD.findall(lower)) == _kind(line, lower, words, None)


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=["Cs"]), max_size=200))
def test_language_letter_runs_are_the_regex_runs(text: str) -> None:
    assert _letter_runs(text) == _LETTERS.findall(text)


def test_remembered_lines_change_nothing_and_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from normaliser.text import boilerplate

    records = shipped_model().compiled.records
    records.clear()
    cold = clean_text_dump(NEWS_PAGE)
    assert NEWS_PAGE.split("\n")[0] in records  # measured once, kept for the next page
    assert clean_text_dump(NEWS_PAGE) == cold  # the same verdicts from remembered records
    assert clean_text_dump(NEWS_PAGE, boilerplate.CleanerConfig(max_remembered_lines=3)) == cold
    assert not records  # over the bound: forgotten once the page is done


def test_a_page_the_model_keeps_nothing_of_keeps_the_region_of_its_best_sentence() -> None:
    # A model that keeps no line and scores prose below fragments (stage 1 holds prose
    # against a line, stage 2 passes stage 1 on; the threshold is out of reach): the fallback
    # region grows from the best-scoring sentence, not from the best line ("12 results"),
    # whose neighbours hold no sentence. A page without a sentence comes back empty.
    contrary = BoilerplateModel({"prose": -3.0}, {"logit": 4.0}, 50.0, None, None)
    listing = "\n".join(
        [
            "Home",
            "Jobs",
            "12 results",
            "Sort by",
            "Part-time baker wanted for early shifts, five mornings a week, no experience needed.",
            "Delivery driver needed for the valley routes; a clean licence and a van are provided.",
        ]
    )
    kept = strip_boilerplate(listing, contrary).paragraphs
    assert any(line.startswith("Part-time baker") for line in kept)
    assert not strip_boilerplate("Home\nJobs\n12 results\nSort by\nContact us\nPrivacy", contrary).paragraphs
