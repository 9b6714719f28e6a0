"""How the training tool chooses the decision rule from cross-validated scores, and what it
records of the corpus it trained on."""

from __future__ import annotations

from pathlib import Path

from train_boilerplate import Decision, Scores, best_decision, chosen_elsewhere, corpus_digest, mean_recall

PRECISE: Decision = (0.0, None, None)
GENEROUS: Decision = (-0.5, None, None)


def fold(general_recall: float, f1: float) -> Scores:
    return [("general", (0.9, general_recall, f1)), ("news", (0.9, 0.9, f1))]


# The precise rule has the better F1, but loses general pages' content; the generous one keeps it.
RESULTS: dict[Decision, list[Scores]] = {
    PRECISE: [fold(0.90, 0.95), fold(0.91, 0.95)],
    GENEROUS: [fold(0.96, 0.93), fold(0.97, 0.93)],
}


def test_the_best_f1_wins_among_the_decisions_that_keep_the_recall_floor() -> None:
    assert best_decision(RESULTS, ("general", 0.95)) == GENEROUS
    assert best_decision(RESULTS, ("", 0.0)) == PRECISE  # no floor


def test_the_best_f1_wins_when_no_decision_keeps_the_floor() -> None:
    assert best_decision(RESULTS, ("general", 0.99)) == PRECISE


def test_the_choice_cross_validated_chooses_on_the_other_folds() -> None:
    rows = chosen_elsewhere(RESULTS, ("general", 0.95))
    assert [score[2] for _, score in rows] == [0.93] * 4


def test_mean_recall_of_a_dataset_without_pages_is_no_constraint() -> None:
    assert mean_recall(fold(0.5, 0.9), "other") == 1.0
    assert mean_recall(fold(0.5, 0.9), "general") == 0.5


def test_the_corpus_digest_follows_its_manifest_or_else_its_files(tmp_path: Path) -> None:
    case = tmp_path / "dev" / "news-1"
    case.mkdir(parents=True)
    (case / "gold.txt").write_text("Some gold text.", encoding="utf-8")
    listed = corpus_digest(tmp_path)
    (case / "gold.txt").write_text("Some other gold text.", encoding="utf-8")
    assert corpus_digest(tmp_path) != listed  # a file changed size
    (tmp_path / "manifest.json").write_text("{}", encoding="utf-8")
    assert corpus_digest(tmp_path) == {
        "sha256": "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
        "of": "manifest.json",
    }
