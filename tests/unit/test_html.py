"""Article extraction from HTML: small pages written for these tests, one behaviour each."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from normaliser.html.extract import clean_html, visible_text
from normaliser.html.metadata import normalise_date
from normaliser.html.title import split_site_from_title

STORY = [
    "The river rose overnight after three days of heavy rain, and by morning the lower streets were under water.",
    "Residents moved furniture upstairs while volunteers filled sandbags outside the town hall, working in shifts.",
    "Officials said the flood barrier held, but warned that more rain was expected later in the week.",
]


def page(body: str, head: str = "", lang: str = "en") -> str:
    return f"<!doctype html><html lang='{lang}'><head>{head}</head><body>{body}</body></html>"


def article(paragraphs: list[str] = STORY) -> str:
    return "<article>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article>"


NAV = (
    "<nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li>"
    "<li><a href='/sport'>Sport</a></li></ul></nav>"
)


def reasons(html: str) -> dict[str, str]:
    return {line.text: line.reason for line in clean_html(html).removed}


def test_navigation_is_removed_and_the_article_kept() -> None:
    result = clean_html(page(NAV + article()))
    assert list(result.paragraphs) == STORY
    assert reasons(page(NAV + article()))["Home"] == "navigation"


def test_comments_below_the_article_are_removed_with_their_reason() -> None:
    comments = "<div id='comments'><p>Great article, thanks for writing it! I live near there, it was awful.</p></div>"
    html = page(article() + comments)
    assert list(clean_html(html).paragraphs) == STORY
    assert set(reasons(html).values()) == {"comments"}


POST_ZH = [
    "上週末我們一家人到山上的營地露營，沿路的楓樹已經轉紅，空氣清新又涼爽，孩子們一路上都很興奮。",
    "營地的主人很熱情，帶我們參觀了新蓋的木屋和餐廳，還介紹了附近幾條適合散步的小路。",
    "晚上氣溫很低，我們煮了一鍋熱湯，大家圍著火爐聊天，直到深夜才回帳篷休息。",
]
REPLIES_ZH = [
    "好美的照片！我們去年也去過那個營地，楓葉真的很漂亮，明年一定要再去一次。",
    "請問營地的衛浴設備乾淨嗎？我們家有小朋友，所以比較在意這個問題，謝謝分享。",
    "看起來天氣很冷，你們帶了什麼樣的睡袋呢？我們一直在考慮要不要買新的裝備。",
    "謝謝你的分享，文章寫得很生動，好像自己也跟著去了一趟，期待下一篇遊記。",
    "那條山路好開嗎？我們的車子比較小，擔心下雨天路況不好，不知道有沒有建議。",
]


def test_a_comment_thread_longer_than_the_post_is_removed_on_a_chinese_blog() -> None:
    post = "<div class='article-content'>" + "".join(f"<p>{p}</p>" for p in POST_ZH) + "</div>"
    replies = "".join(f"<ul class='single-post'><li class='post-text'><p>{r}</p></li></ul>" for r in REPLIES_ZH)
    thread = f"<div id='comment-box' class='user-post-box'><div class='user-post-text'>{replies}</div></div>"
    html = page(post + thread, lang="zh-Hant")
    assert list(clean_html(html).paragraphs) == POST_ZH
    assert set(reasons(html).values()) == {"comments"}


def test_replies_shaped_like_the_first_post_are_a_forum_thread_and_kept() -> None:
    question = "<div class='topic-body crawler-post' id='post_1'><p>" + STORY[0] + "</p></div>"
    answers = "".join(
        f"<div class='topic-body crawler-post comment' id='post_{n}'><p>{text} {text}</p></div>"
        for n, text in enumerate(STORY[1:], 2)
    )
    paragraphs = clean_html(page(f"<main>{question}{answers}</main>")).paragraphs
    assert paragraphs == (STORY[0], *(f"{text} {text}" for text in STORY[1:]))


def test_footer_and_link_lists_are_removed() -> None:
    footer = "<footer><p>Copyright 2024 Example News. All rights reserved.</p></footer>"
    links = "<div><a href='/a'>Another story about rain</a> <a href='/b'>And one about wind</a></div>"
    html = page(article() + links + footer)
    assert list(clean_html(html).paragraphs) == STORY
    assert reasons(html)["Copyright 2024 Example News. All rights reserved."] == "footer"


TOWNS = [
    "Ashford",
    "Bexley",
    "Carlow",
    "Dunmore",
    "Eastleigh",
    "Fenwick",
    "Galway",
    "Hexham",
    "Ilkley",
    "Jarrow",
    "Kendal",
    "Lisburn",
]
LISTING = [
    (
        f"{town} votes on its harbour",
        f"Councillors in {town} approved the harbour plans on Monday, after a year of meetings.",
    )
    for town in TOWNS
]


def listing_page() -> str:
    items = "".join(
        f"<div class='item'><h3><a href='/s{i}'>{head}</a></h3><p><a href='/s{i}'>{summary}</a></p></div>"
        for i, (head, summary) in enumerate(LISTING)
    )
    return page(NAV + f"<div id='main'>{items}</div>")


def test_a_listing_page_keeps_its_linked_summaries() -> None:
    # An index of stories: every summary is a link, so no container holds text of its own.
    kept = clean_html(listing_page()).paragraphs
    assert [summary for _, summary in LISTING] == [line for line in kept if line.endswith(".")]
    assert "Home" not in kept


def test_linked_summaries_beside_an_article_are_still_a_link_list() -> None:
    related = "".join(f"<p><a href='/s{i}'>{summary}</a></p>" for i, (_, summary) in enumerate(LISTING))
    html = page(article() + f"<div>{related}</div>")
    assert list(clean_html(html).paragraphs) == STORY
    assert {reasons(html)[summary] for _, summary in LISTING} == {"link-list"}


def test_headings_and_list_items_inside_the_article_are_kept() -> None:
    paragraphs = "".join(f"<p>{p}</p>" for p in STORY)
    body = f"<main><h2>What happened</h2>{paragraphs}<ul><li>Roads closed</li></ul></main>"
    assert list(clean_html(page(body)).paragraphs) == ["What happened", *STORY, "Roads closed"]


def test_a_page_that_is_all_article_keeps_every_paragraph() -> None:
    body = "".join(f"<p>{p}</p>" for p in STORY)
    assert list(clean_html(page(body)).paragraphs) == STORY


def test_non_english_article_is_kept() -> None:
    german = [
        "Der Fluss stieg über Nacht nach drei Tagen Starkregen, und am Morgen standen die Straßen unter Wasser.",
        "Die Bewohner trugen Möbel nach oben, während Freiwillige vor dem Rathaus Sandsäcke füllten.",
    ]
    chinese = ["连续三天的暴雨之后，河水在夜间上涨，到了早上，低处的街道已经被水淹没。居民们把家具搬到楼上。"]
    assert list(clean_html(page(NAV + article(german), lang="de")).paragraphs) == german
    assert list(clean_html(page(article(chinese), lang="zh-CN")).paragraphs) == chinese


def test_line_breaks_split_lines_within_a_block() -> None:
    html = page("<article><p>" + "<br>".join(STORY) + "</p></article>")
    assert list(clean_html(html).paragraphs) == STORY


def test_hidden_elements_are_not_text() -> None:
    html = page(article() + "<div style='display: none'>Secret menu text</div><p hidden>Also hidden</p>")
    assert "Secret menu text" not in visible_text(html)
    assert "Also hidden" not in visible_text(html)


def test_visible_text_excludes_script_and_style_but_keeps_boilerplate() -> None:
    html = page(NAV + "<script>var x = 1;</script><style>p { color: red }</style>" + article())
    lines = visible_text(html)
    assert lines == ["Home", "News", "Sport", *STORY]


def test_every_visible_line_is_either_kept_or_removed() -> None:
    html = page(NAV + article() + "<footer>Contact us</footer>")
    result = clean_html(html)
    assert Counter(result.paragraphs) + Counter(line.text for line in result.removed) == Counter(visible_text(html))


def test_metadata_from_meta_tags() -> None:
    head = (
        "<title>Flood waters rise in the lower town overnight | Example News</title>"
        "<meta property='og:site_name' content='Example News'>"
        "<meta name='author' content='Jane Doe'>"
        "<meta property='article:published_time' content='2024-03-05T07:30:00+01:00'>"
    )
    meta = clean_html(page(article(), head, lang="en-GB")).metadata
    assert meta.title == "Flood waters rise in the lower town overnight"
    assert meta.author == "Jane Doe"
    assert meta.published == "2024-03-05T07:30:00+01:00"
    assert meta.site_name == "Example News"
    assert meta.language == "en"


def test_metadata_from_json_ld() -> None:
    ld = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
        '{"@type": "WebPage", "name": "Page name"},'
        '{"@type": "NewsArticle", "headline": "Flood waters rise", "datePublished": "2024-03-05",'
        ' "author": [{"@type": "Person", "name": "Jane Doe"}, {"@type": "Person", "name": "Li Wei"}],'
        ' "publisher": {"@type": "Organization", "name": "Example News"}}]}</script>'
    )
    meta = clean_html(page(article(), ld)).metadata
    assert (meta.title, meta.author, meta.published, meta.site_name) == (
        "Flood waters rise",
        "Jane Doe, Li Wei",
        "2024-03-05",
        "Example News",
    )


def test_broken_json_ld_is_ignored() -> None:
    meta = clean_html(page(article(), '<script type="application/ld+json">{"headline": </script><title>T</title>'))
    assert meta.metadata.title == "T"


def test_a_page_without_dates_gets_no_date() -> None:
    assert clean_html(page(article(), "<meta name='date' content='last Tuesday'>")).metadata.published is None


def test_title_site_suffix_is_stripped_only_when_the_rest_is_a_title() -> None:
    assert split_site_from_title("Flood waters rise in the lower town - Example News") == (
        "Flood waters rise in the lower town"
    )
    assert split_site_from_title("Contact - Example News") == "Contact - Example News"
    assert split_site_from_title("Rain | Example News", site_name="Example News") == "Rain"


def _title(body: str, head: str, lang: str = "en") -> str | None:
    return clean_html(page(body + article(), head, lang)).metadata.title


def test_the_heading_that_repeats_the_title_cuts_the_site_name_from_it() -> None:
    head = "<title>Kayaks | Example Outfitters</title>"
    assert _title("<h1>Kayaks</h1>", head) == "Kayaks"
    # The site's name first, the heading later in the title: the heading's part is kept.
    assert _title("<h1>Flood waters rise</h1>", "<title>Example News | Flood waters rise</title>") == (
        "Flood waters rise"
    )


def test_the_heading_agrees_with_any_stated_title_in_spite_of_case_and_punctuation() -> None:
    head = (
        "<meta property='og:title' content='Weekend coding agent'>"
        "<meta name='twitter:title' content='WEEKEND CODING AGENT - a lab notebook'>"
    )
    assert _title("<h1>Weekend Coding Agent</h1>", head) == "Weekend coding agent"


def test_a_non_english_heading_picks_its_part_of_the_title() -> None:
    head = "<title>Четыре дня без света: как живёт посёлок — Пример Новости</title>"
    assert _title("<h1>Четыре дня без света: как живёт посёлок</h1>", head, "ru") == (
        "Четыре дня без света: как живёт посёлок"
    )
    head = "<meta property='og:title' content='台风过后，渔港重新开放 | 示例日报'>"
    assert _title("<h1>台风过后，渔港重新开放</h1>", head, "zh") == "台风过后，渔港重新开放"


def test_a_logo_heading_is_not_taken_for_the_headline() -> None:
    head = "<title>Flood waters rise in the lower town - Example News</title>"
    logo = "<header><h1 class='site-title'><a href='https://example.com/' rel='home'>Example News</a></h1></header>"
    assert _title(logo, head) == "Flood waters rise in the lower town"
    # A heading that repeats only the short last part of the title is the site's name too.
    assert _title("<h1>Example News</h1>", "<title>Flood waters rise | Example News</title>") != "Example News"


def test_the_site_name_is_cut_from_a_stated_title_by_name_or_by_host() -> None:
    head = (
        "<meta property='og:title' content='Rain | Island Courier'>"
        "<meta property='og:site_name' content='Island Courier'>"
    )
    assert _title("", head) == "Rain"
    head = (
        "<meta property='og:title' content='Ferry fares rise • islandcourier.example'>"
        "<link rel='canonical' href='https://www.islandcourier.example/news/ferry-fares'>"
    )
    assert _title("", head) == "Ferry fares rise"
    # A title that is only the site's name stays whole.
    assert _title("", "<title>Island Courier</title><meta property='og:site_name' content='Island Courier'>") == (
        "Island Courier"
    )


def test_without_an_h1_the_h2_that_repeats_the_title_gives_its_headline_part() -> None:
    head = "<title>Κρίση νερού στα νησιά | Παράδειγμα Ειδήσεις</title>"
    assert _title("<h2>Κρίση νερού στα νησιά</h2>", head, "el") == "Κρίση νερού στα νησιά"
    # An <h2> never stands in for a title the page does not state.
    assert _title("<h2>Residents move upstairs</h2>", "") is None


def test_a_title_differing_from_the_heading_is_kept_as_stated() -> None:
    head = "<meta property='og:title' content='Flood barrier holds as the river rises'>"
    assert _title("<h1>Residents move upstairs</h1>", head) == "Flood barrier holds as the river rises"


def test_an_unclosed_title_gives_the_title_and_not_the_page() -> None:
    # The <title> is never closed: the parser reads the rest of the page as its text.
    html = (
        "<html><head><title>Flood waters rise in the lower town | Example News<link rel=canonical href>"
        "<body><h1>Flood <b>waters</b> rise</h1><p>" + STORY[0]
    )
    assert clean_html(html).metadata.title == "Flood waters rise in the lower town"
    html = "<html><head><title>Flood waters rise in the lower town<meta charset=utf-8><body><p>" + STORY[0]
    assert clean_html(html).metadata.title == "Flood waters rise in the lower town"


def test_a_by_line_beside_the_heading_names_the_author_whatever_its_class() -> None:
    body = (
        "<header><h1>Flood waters rise</h1><div class='meta'><time>Mar 24, 2025</time>"
        "<p class='text-with-icon'>By Amy Lund</p></div></header>"
    )
    assert clean_html(page(body + article())).metadata.author == "Amy Lund"
    # The innermost element: its parent adds the date and a role.
    body = (
        "<header><h1>Flood waters rise</h1><div class='info'><span>Von Jana Novák</span> "
        "<span>Chefredakteurin</span></div></header>"
    )
    assert clean_html(page(body + article(), lang="de")).metadata.author == "Jana Novák"


def test_no_author_is_taken_from_a_line_without_by_or_far_from_the_heading() -> None:
    body = "<header><h1>Flood waters rise</h1><div class='meta'><p>Amy Lund</p></div></header>"
    assert clean_html(page(body + article())).metadata.author is None
    far = "<h1>Flood waters rise</h1>" + article() + "<aside><p>By Amy Lund</p></aside>"
    assert clean_html(page(far)).metadata.author is None


def test_a_by_line_in_unclosed_markup_still_gives_the_name() -> None:
    # The heading is never closed: the by-line is read from inside it.
    html = "<body><div><h1>Flood waters rise<div><p>By Amy Lund<p>" + STORY[0]
    assert clean_html(html).metadata.author == "Amy Lund"


def test_a_date_shown_beside_the_heading_is_the_date_when_no_tag_states_one() -> None:
    body = "<header><h1>Flood waters rise</h1><div class='meta'><span class='date'>Dec. 19, 2025</span></div></header>"
    assert clean_html(page(body + article())).metadata.published == "2025-12-19"
    body = "<div class='cabecera'><h1>Suben las aguas</h1><p>Publicado el 4 de mayo de 2020</p></div>"
    assert clean_html(page(body + article(), lang="es")).metadata.published == "2020-05-04"
    # A stated date wins over the shown one.
    head = "<meta property='article:published_time' content='2025-12-18T09:00:00Z'>"
    assert clean_html(page(body + article(), head, "es")).metadata.published == "2025-12-18T09:00:00Z"


def test_a_sentence_that_mentions_a_date_beside_the_heading_is_no_date() -> None:
    body = (
        "<header><h1>Flood waters rise</h1><p>The barrier, built after the great flood of March 3, 2004, "
        "held again this week.</p></header>"
    )
    assert clean_html(page(body + article())).metadata.published is None


def test_a_date_in_unclosed_markup_beside_the_heading_is_read() -> None:
    # The heading and the date are never closed: each holds the rest of the page.
    html = "<body><div><h1>Flood waters rise<div><span>14 March 2022<p>" + " ".join(STORY * 3)
    meta = clean_html(html).metadata
    assert (meta.title, meta.published) == ("Flood waters rise", "2022-03-14")


def test_dates_are_iso_or_nothing() -> None:
    assert normalise_date("2024-03-05T07:30:00+0100") == "2024-03-05T07:30:00+01:00"
    assert normalise_date("2024-13-05") is None
    assert normalise_date("March 5") is None


def test_empty_and_malformed_html_do_not_raise() -> None:
    for html in [
        "",
        " ",
        "<",
        "<html>",
        "<p>unclosed <b>bold <i>text",
        "</div></div>",
        "<!-- only a comment -->",
        "\x00\x01",
        "<table><tr><td>cell",
    ]:
        result = clean_html(html)
        assert isinstance(result.paragraphs, tuple)
        assert isinstance(visible_text(html), list)


def test_deeply_nested_markup_does_not_exhaust_the_stack() -> None:
    html = "<div>" * 5000 + "Deep text that is still visible to a reader of the page." + "</div>" * 5000
    assert "Deep text" in " ".join(visible_text(html))
    clean_html(html)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_clean_html_never_raises_on_arbitrary_text(text: str) -> None:
    result = clean_html(text)
    assert all(line.strip() for line in result.paragraphs)
    visible_text(text)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "<p>",
                "</p>",
                "<div class='nav'>",
                "</div>",
                "<a href=x>",
                "</a>",
                "<br>",
                "<li>",
                "<h1>",
                "word ",
                "Sentence here. ",
                "<script>",
                "</script>",
                "&amp;",
            ]
        ),
        max_size=60,
    )
)
def test_clean_html_never_raises_on_tag_soup(parts: list[str]) -> None:
    html = "".join(parts)
    result = clean_html(html)
    assert Counter(result.paragraphs) + Counter(r.text for r in result.removed) == Counter(visible_text(html))


def test_deeply_nested_json_ld_is_ignored() -> None:
    ld = '<script type="application/ld+json">' + "[" * 100_000 + "</script>"
    assert clean_html(page(article(), ld)).metadata.title is None


def author_of(body: str, head: str = "") -> str | None:
    return clean_html(page(body + article(), head)).metadata.author


def json_ld(data: str) -> str:
    return f'<script type="application/ld+json">{data}</script>'


def test_json_ld_in_a_cdata_section_is_read() -> None:
    ld = json_ld(
        '<![CDATA[ {"@type": "NewsArticle", "headline": "Flood waters rise", '
        '"author": {"@type": "Person", "name": "Jane Doe"}, '
        '"publisher": {"@type": "Organization", "name": "Example News"}} ]]>'
    )
    meta = clean_html(page(article(), ld)).metadata
    assert (meta.title, meta.author, meta.site_name) == ("Flood waters rise", "Jane Doe", "Example News")


def test_json_ld_author_reference_is_resolved_but_ranks_below_a_byline() -> None:
    graph = json_ld(
        '{"@graph": [{"@type": "Article", "headline": "Flood", "author": {"@id": "#/person/1"}},'
        ' {"@type": "Person", "@id": "#/person/1", "name": "Li Wei"}]}'
    )
    assert author_of("", graph) == "Li Wei"
    assert author_of("<p class='byline'>By Jane Doe</p>", graph) == "Jane Doe"
    assert author_of("", graph + "<meta name='author' content='Ana Lima'>") == "Ana Lima"


def test_og_article_author_is_read() -> None:
    assert author_of("", "<meta property='og:article:author' content='Example News'>") == "Example News"


def test_author_values_that_are_not_names_fall_through_to_the_next_source() -> None:
    for value in (
        "https://example.com/jane",
        "@janedoe",
        "jane@example.com",
        "jdoe84",
        "kevin-r",
        "admin",
        "2024-03-05",
    ):
        head = f"<meta name='author' content='{value}'>" + json_ld(f'{{"@type": "Article", "author": "{value}"}}')
        assert author_of("", head) is None, value
        assert author_of("<span class='byline'>By Jane Doe</span>", head) == "Jane Doe", value
    assert author_of("", "<meta name='author' content='By Jane Doe'>") == "Jane Doe"


def test_byline_from_class_or_id_naming_a_byline_or_author() -> None:
    assert author_of("<span class='pb-byline'>By <a href='/jane'>Jane Doe</a></span>") == "Jane Doe"
    assert author_of("<div class='article__author'>By\n\t\tJane Doe</div>") == "Jane Doe"
    assert author_of("<div id='byline'>By Jane Doe</div>") == "Jane Doe"
    assert author_of("<p class='storyAuthor'>by JANE DOE and LI WEI</p>") == "JANE DOE and LI WEI"
    assert author_of("<p class='author-bio'>Jane Doe</p>") is None
    assert author_of("<p class='byline-date'>Jane Doe</p>") is None


def test_byline_is_cut_before_dates_times_handles_and_other_credits() -> None:
    for text in (
        "Jane Doe Monday, March 4, 2024",
        "Jane Doe 1:39 PM ET",
        "Jane Doe on 03/04/24 at 4:00 PM",
        "Jane Doe November 19th, 2024 at 8:40 AM",
        "// posted by Jane Doe @ 9:51 PM",
        "Jane Doe @janedoe",
        "Written by Jane Doe Edited by Li Wei",
        "Jane Doe | Staff writer",
        "Jane Doe • 8h",
    ):
        assert author_of(f"<div class='byline'>{text}</div>") == "Jane Doe", text


def test_byline_text_that_is_not_a_name_is_skipped_for_the_next_candidate() -> None:
    standfirst = "<div class='article-byline'>Now that the rain has stopped, here is what to do next.</div>"
    assert author_of(standfirst + "<div class='article-author'>Jane Doe</div>") == "Jane Doe"
    role = "<div class='byline'><span class='byline__name'>Jane Doe</span> Example News Senior Staff Reporter</div>"
    assert author_of(role) == "Jane Doe"
    for text in (
        "Updated: March 4",
        "View my complete profile",
        "Promoted by",
        "JaneDoe77",
        "DictatorMao",
        "FLOODS: WHAT TO DO",
    ):
        assert author_of(f"<div class='byline'>{text}</div>") is None, text


def test_bylines_of_comments_sidebars_and_related_stories_are_not_the_author() -> None:
    assert author_of("<ol class='comment-list'><li><div class='comment-author'>Jane Doe</div></li></ol>") is None
    assert author_of("<div class='comments'><p class='author'>Jane Doe</p></div>") is None
    assert author_of("<div class='sidebar-item'><p class='author'>by Jane Doe</p></div>") is None
    assert author_of("<aside><p class='byline'>by Jane Doe</p></aside>") is None
    assert author_of("<div id='comments'><span itemprop='author'>Jane Doe</span></div>") is None
    assert author_of("<ul class='related-stories'><li class='byline'>Jane Doe</li></ul>") is None
    layout = "<div class='content-sidebar-wrap'><p class='byline'>By Jane Doe</p></div>"
    assert author_of(layout) == "Jane Doe"


def test_rel_author_and_microdata_come_before_class_names() -> None:
    body = (
        "<p class='byline'>By Li Wei</p>"
        "<span itemprop='author creator'><span itemprop='name'>Jane Doe</span>, Example News</span>"
    )
    assert author_of(body) == "Jane Doe"
    assert author_of("<a rel='author' href='/me'>View my complete profile</a><a rel='author'>Jane Doe</a>") == (
        "Jane Doe"
    )


def test_a_byline_label_alone_is_no_author() -> None:
    assert author_of("<span class='byline'>By</span>", "<meta name='author' content='Posted by'>") is None
