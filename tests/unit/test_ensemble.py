"""The second opinion on doubtful HTML pages (normaliser.html.ensemble) and the markup repairs it
relies on: pages written for these tests, one behaviour each."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import pytest

from corpus_cases import run_pipeline
from ensemble_cv import GRID
from normaliser import steps
from normaliser.config import NormaliserConfig
from normaliser.html import ensemble, settings
from normaliser.html.ensemble import decide, is_doubtful, medoid, second_opinion, tokens
from normaliser.html.extract import clean_html
from normaliser.html.markup import close_runaway_title
from normaliser.html.settings import PeerRule
from normaliser.page import Extraction, RemovedLine
from normaliser.pipeline import OutputLocation, SourceObject, normalise_page

POST = [
    "We walked the coast path from the harbour to the lighthouse on Sunday, about eleven kilometres in all.",
    "The wind dropped after lunch, and the last hour along the cliffs was the best of the whole day.",
]
PROFILE = ["Hi, I am Jo. I write about walks, trains and the odd cake. Subscribe for a weekly letter."]
# The same two-paragraph post in Greek: no rule may depend on English words.
GREEK_POST = [
    "Περπατήσαμε το μονοπάτι της ακτής από το λιμάνι ως τον φάρο την Κυριακή, περίπου έντεκα χιλιόμετρα.",
    "Ο άνεμος έπεσε μετά το μεσημέρι και η τελευταία ώρα πάνω στους βράχους ήταν η καλύτερη της μέρας.",
]


def asking(peers: dict[str, list[str] | None]) -> tuple[Callable[[str], list[str] | None], list[str]]:
    """A peer lookup for ``decide`` that notes which peers were asked."""
    asked: list[str] = []

    def ask(name: str) -> list[str] | None:
        asked.append(name)
        return peers.get(name)

    return ask, asked


def test_chinese_text_is_counted_one_character_a_word() -> None:
    assert tokens("渡轮停航了") == ["渡", "轮", "停", "航", "了"]
    assert tokens("Ferry, 渡轮!") == ["ferry", "渡", "轮"]


def test_medoid_is_the_extraction_closest_to_the_others() -> None:
    assert medoid([PROFILE, POST, [*POST, "Share this"]]) == 1


def test_a_short_extraction_is_doubtful_and_a_long_one_is_not() -> None:
    assert is_doubtful(Extraction(paragraphs=tuple(POST)))
    long = Extraction(paragraphs=tuple(POST * 10), removed=(RemovedLine("Home", "navigation"),))
    assert not is_doubtful(long)


def test_a_long_article_kept_from_a_small_share_of_the_page_is_doubtful() -> None:
    menu = tuple(RemovedLine(f"{word} walks and more walks in the hills", "navigation") for word in POST[0].split())
    ours = Extraction(paragraphs=tuple(POST * 3), removed=menu * 3)
    assert is_doubtful(ours, PeerRule(min_words=10, min_share=0.5))
    assert not is_doubtful(ours, PeerRule(min_words=10, min_share=0.0))


def test_the_rule_in_settings_is_read_when_a_page_is_judged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "PEER_RULE", replace(settings.PEER_RULE, min_words=10, min_share=0.0))
    assert not is_doubtful(Extraction(paragraphs=tuple(POST)))


def test_the_shipped_rule_is_one_the_tuning_tool_can_choose() -> None:
    assert settings.PEER_RULE in GRID


def test_trafilatura_agreeing_with_us_settles_the_page_without_readability() -> None:
    ask, asked = asking({"trafilatura": POST, "readability-lxml": PROFILE})
    assert decide(POST, ask) == ("ours", POST)
    assert asked == ["trafilatura"]


def test_a_fragment_of_the_post_gives_way_to_the_peer_that_found_all_of_it() -> None:
    ask, asked = asking({"trafilatura": POST + POST, "readability-lxml": PROFILE})
    assert decide(POST[:1][0].split()[:4], ask) == ("trafilatura", POST + POST)
    assert asked == ["trafilatura"]


def test_when_we_took_a_profile_box_the_two_peers_outvote_us() -> None:
    ask, asked = asking({"trafilatura": [*POST[:1], "Posted in Walks"], "readability-lxml": POST})
    winner, lines = decide(PROFILE, ask)
    assert winner in ("trafilatura", "readability-lxml")
    assert POST[0] in lines
    assert asked == ["trafilatura", "readability-lxml"]


def test_a_peer_that_fails_or_finds_nothing_has_no_say() -> None:
    cases: list[dict[str, list[str] | None]] = [
        {"trafilatura": None},
        {"trafilatura": PROFILE, "readability-lxml": None},
    ]
    for peers in cases:
        assert decide(POST, asking(peers)[0])[0] == "ours"


def test_the_chosen_extraction_lists_what_it_left_out_with_a_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    peers = {"trafilatura": POST, "readability-lxml": POST}
    monkeypatch.setattr(ensemble, "ask_peer", lambda name, html: peers[name])
    ours = Extraction(paragraphs=tuple(PROFILE), removed=(RemovedLine("Home", "navigation"),))
    chosen, winner = second_opinion("<p>unused</p>", ours)
    assert winner == "trafilatura"
    assert list(chosen.paragraphs) == POST
    assert set(chosen.removed) == {
        RemovedLine(PROFILE[0], ensemble.CONSENSUS_REASON),
        RemovedLine("Home", "navigation"),
    }


def blog(post: list[str], lang: str) -> str:
    """A blog page whose post sits in a 'widget'-classed box beside a longer profile blurb."""
    paragraphs = "".join(f"<p>{line}</p>" for line in post)
    return (
        f"<!doctype html><html lang='{lang}'><head><title>Walk</title></head><body>"
        f"<div class='widget post-body author-jo'>{paragraphs}</div>"
        f"<aside><p>{PROFILE[0]}</p></aside></body></html>"
    )


@pytest.mark.parametrize(("post", "lang"), [(POST, "en"), (GREEK_POST, "el")])
def test_a_short_post_comes_out_whole_with_the_peers_on(post: list[str], lang: str) -> None:
    page = run_pipeline(blog(post, lang).encode("utf-8"), "walk.html", "html")
    assert page.status == "normalised"
    assert page.text is not None
    for line in post:
        assert line in page.text
    assert PROFILE[0] not in page.text


def test_the_switch_keeps_the_peers_off(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(name: str, html: str) -> list[str] | None:
        raise AssertionError(f"{name} was asked with the peers off")

    monkeypatch.setattr(ensemble, "ask_peer", refuse)
    page = run_pipeline(blog(POST, "en").encode("utf-8"), "walk.html", "html", peer_extractors=False)
    assert page.status == "normalised"


def test_an_unclosed_title_no_longer_hides_the_page() -> None:
    html = (
        "<html><head><title>Κλειστό λιμάνι</head><body><article>"
        + "".join(f"<p>{line}</p>" for line in GREEK_POST)
        + "</article></body></html>"
    )
    result = clean_html(html)
    assert list(result.paragraphs) == GREEK_POST
    assert result.metadata.title == "Κλειστό λιμάνι"
    closed = "<title>Harbour</title><p>Text.</p>"
    assert close_runaway_title(closed) == closed


def test_an_article_only_inside_noscript_is_read_as_a_browser_without_scripts_shows_it() -> None:
    post = "".join(f"<p>{line}</p>" for line in GREEK_POST)
    html = f"<html><body><div id='app'></div><noscript><article>{post}</article></noscript></body></html>"
    assert list(clean_html(html).paragraphs) == GREEK_POST
    # Where the page has its article outside, what <noscript> holds stays hidden.
    shown = f"<html><body><article>{post}</article><noscript><p>{PROFILE[0]}</p></noscript></body></html>"
    assert list(clean_html(shown).paragraphs) == GREEK_POST


def test_the_pipeline_keeps_what_the_peers_agree_on_over_our_profile_box(monkeypatch: pytest.MonkeyPatch) -> None:
    # Our extractor reads the theme's "widget author-jo" post wrapper as a sidebar and keeps
    # the longer profile box; both peers (stood in for here) found the post.
    post = "".join(f"<p>{line}</p>" for line in POST)
    about = "".join(f"<p>{PROFILE[0]} {PROFILE[0]}</p>" for _ in range(2))
    html = (
        f"<html><head><title>Coast path</title></head><body><div class='content'>"
        f"<div class='widget author-jo'>{post}</div><div class='about-me'>{about}</div></div></body></html>"
    )
    alone = run_pipeline(html.encode("utf-8"), "walk.html", "html", peer_extractors=False)
    assert alone.text is not None and PROFILE[0] in alone.text
    monkeypatch.setattr(ensemble, "ask_peer", lambda name, page: POST if "author-jo" in page else None)
    page = run_pipeline(html.encode("utf-8"), "walk.html", "html")
    assert page.text == "\n".join(POST) + "\n"
    removed = [(line["text"], line["reason"]) for line in page.metadata["removed"]]
    assert (PROFILE[0] + " " + PROFILE[0], ensemble.CONSENSUS_REASON) in removed


def test_a_page_over_its_time_budget_is_rejected_before_a_peer_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow_clean_html(html: str) -> Extraction:
        time.sleep(0.5)  # our own extraction uses up the page's budget
        return clean_html(html)

    monkeypatch.setattr(steps, "clean_html", slow_clean_html)
    monkeypatch.setattr(ensemble, "ask_peer", lambda name, html: pytest.fail(f"{name} ran past the budget"))
    config = NormaliserConfig(format="html", max_seconds_per_page=0.3)
    page = normalise_page(
        blog(POST, "en").encode("utf-8"),
        SourceObject(key="walk.html"),
        OutputLocation(None, "walk.html.txt", "walk.html.json"),
        config,
    )
    assert page.status == "rejected"
    assert page.reason == "time-limit"
    assert "before second-opinion" in (page.metadata["detail"] or "")  # the step that asks the peers
