"""Tuning settings of a text dump's metadata: where the headline, byline, date and site name
are looked for, and the weights that choose the headline.

The code reads ``METADATA`` and ``WEIGHTS`` from this module at call time, so a test swaps
one with ``monkeypatch.setattr(settings, "METADATA", replace(settings.METADATA, ...))``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DumpMetadataConfig:
    """How far from the article each piece of metadata is looked for, and how much is read."""

    # How far above the article the headline may sit, in non-blank lines: some pages put a
    # photo gallery, a table of contents or a long share bar between the two.
    title_lines_above: int = 40
    # Lines of the article's start that may still be the headline (the model often keeps it).
    title_lines_inside: int = 3
    # A run of article lines is "the body" when it holds this many lines of this many words;
    # the model's first kept line is sometimes a stray caption or teaser far above the body.
    body_run: int = 3
    body_line_words: int = 12
    # The byline sits within this many non-blank lines under the headline (share buttons, a
    # standfirst and a picture caption may come in between), or above it (a name with
    # "3 min read" under it, over the headline).
    byline_lines_below: int = 20
    byline_lines_above: int = 16
    # A bare name (no "By") is taken for the author only this close under the headline.
    name_lines_below: int = 6
    # The dateline sits closer: dates further down are in captions, teasers and comments.
    date_lines_below: int = 13
    date_lines_above: int = 2
    # Longer lines than most headlines are penalised per extra word; much longer ones are none.
    long_title_words: int = 16
    max_title_words: int = 30
    # A date, alone or as a part of a dateline ("Posted: Dec 22, 2023 8:25 AM EST"), is short:
    # a longer line holding one is a headline about that day.
    max_date_words: int = 8
    # A one-word line near an article is a menu item or a section's name.
    min_title_words: int = 2
    # A line of this many words that ends as a sentence is a paragraph.
    paragraph_words: int = 20
    # Lines scored in full as headlines: the best by their overlap with the article and
    # closeness to it (the headline is near the top of that ranking).
    title_shortlist: int = 8
    # Only so much of the article is read for the words a headline shares with it.
    article_chars: int = 2000
    # A site name after a headline is short: at most this many words.
    max_site_words: int = 5
    # The copyright footer is among the page's last lines.
    footer_lines: int = 100
    # A copyright line may run on with a notice ("© 2021 Island Media. No part of this page…").
    max_copyright_line: int = 300
    # A site's name before the copyright sign starts the line: the sign is looked for only
    # this many characters in.
    max_copyright_lead: int = 60
    # The links by which a site names itself are in the first and last lines of a page
    # (menus, footer).
    edge_lines: int = 80


@dataclass(frozen=True)
class HeadlineWeights:
    """Weights of the headline score, set by hand on the dev pages (the Readability cases' gold
    titles and, for the news pages without gold metadata, the HTML's ``<h1>`` and ``<title>``):
    the words shared with the article matter most; then what sits under the line (a byline or
    a date right under a headline is its strongest sign); then the kinds of line that share a
    headline's words without being one (a standfirst, a caption, a quotation, a teaser)."""

    overlap: float = 2.0
    near: float = 0.5  # closeness to the article, halved at four lines away
    repeated: float = 0.4  # shown twice: a breadcrumb, a sticky header or a share prompt repeats it
    site: float = 0.5  # the site's name after a separator
    mark_next: float = 0.8  # a byline, date or author's name on the next line
    mark_near: float = 0.4  # ... or within the next three lines
    title_case: float = 0.2
    follows_prose: float = -0.6  # right under a line that already shares the article's words: a standfirst
    run_together: float = -0.8
    quote: float = -0.8
    teaser: float = -0.6
    upper: float = -0.5
    person: float = -1.0
    lower_start: float = -0.5
    long_word: float = -0.1  # per word beyond DumpMetadataConfig.long_title_words
    headline_length: float = 0.3  # five words up to long_title_words, as most headlines
    under_byline: float = -1.0  # under "By", "Author:" or a name: the byline's name or role, or a line under it
    two_words: float = -0.3  # a section, a button or a name more often than a headline
    after_paragraph: float = -0.6  # right under a paragraph: a subheading inside the article
    below_prose: float = -0.3  # under the article's first line of running text: a subheading too
    # Between lines of its own shape that also share the article's words (one above, one
    # under, a third next to either): an entry of a table of contents or of a list of
    # related pages.
    list_item: float = -0.6
    # The least score a headline needs.
    min_score: float = 1.0
    # A line shares the article's words "strongly" at this overlap (0 to 1).
    strong_overlap: float = 0.5
    # A name-shaped line ("Multiple Monitor Mounts") sharing this much of the article's words
    # (every word of three, three of four) names what the article is about, not its author.
    subject_overlap: float = 0.75

    @property
    def max_context_bonus(self) -> float:
        """The most the context of a line (what is above and under it, and repeats of it) can
        add to the score from the line alone."""
        return self.repeated + self.mark_next


METADATA = DumpMetadataConfig()
WEIGHTS = HeadlineWeights()
