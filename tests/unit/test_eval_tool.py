"""tools/eval.py's grouping of scores by the gold's language."""

from __future__ import annotations

from eval import by_language, figures, gold_language


def test_languages_are_listed_most_pages_first_with_their_mean_f1() -> None:
    rows = [("de", (1.0, 1.0, 0.8)), ("en", (1.0, 1.0, 0.9)), ("en", (1.0, 1.0, 0.7)), ("ru", (1.0, 1.0, 0.5))]
    assert by_language(figures(rows)) == "en 0.800 (2)  de 0.800 (1)  ru 0.500 (1)"


def testgold_language_reads_the_gold_and_admits_when_it_cannot_tell() -> None:
    assert gold_language("Der Hund ist nicht in dem Haus, weil er mit den Kindern auf der Wiese spielt.") == "de"
    assert gold_language("12345 67890") == "?"
