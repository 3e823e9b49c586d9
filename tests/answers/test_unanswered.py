"""bot/answers/unanswered.py and its use in bot/answers/decide.py: a question nearer to one
the sources do not answer than to any they answer gets no fact, only what is said nearby."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from bot.answers import decide as D
from bot.answers.data import Retrieval, load_signals, paths
from bot.answers.retrieval import Analysis, Hit
from bot.answers.unanswered import Nearness, UnansweredFinder


def analyse(text: str) -> Analysis:
    words = tuple(w.strip("?").lower() for w in text.split())
    return Analysis(tuple(w for w in words if w not in ("the", "of", "is", "was", "did", "who", "when")), (),
                    words, words, text.endswith("?"))


FINDER = UnansweredFinder(analyse, ["Who was the first secretary general of NATO?", "How big is NATO's budget?"],
                          ["When did Finland join NATO?", "What did the secretary general say about Russia?"])


def test_an_unanswered_question_reworded_is_nearer_to_it_than_to_any_answered_one():
    near = FINDER.nearness(analyse("who was the very first secretary general?"))
    assert near.unanswered > near.answered > 0
    assert FINDER.nearness(analyse("Who was the first secretary general of NATO?")).unanswered == pytest.approx(1.0)


def test_an_answered_question_is_nearer_to_its_own_kind():
    near = FINDER.nearness(analyse("when did finland join?"))
    assert near.answered > near.unanswered


def test_a_word_no_labelled_question_holds_lowers_the_nearness():
    plain = FINDER.nearness(analyse("how big is nato's budget?")).unanswered
    assert FINDER.nearness(analyse("how big is nato's budget in zloty?")).unanswered < plain


def test_no_unanswered_questions_means_nothing_is_near():
    assert UnansweredFinder(analyse, [], ["When did Finland join NATO?"]).nearness(analyse("when?")) == Nearness()


def test_warming_builds_the_index_so_a_question_reads_no_labelled_question_again():
    read = []

    def counting(text):
        read.append(text)
        return analyse(text)
    built = []
    unanswered = UnansweredFinder(counting, ["Who was the first secretary general?"], ["When did Finland join NATO?"])
    Retrieval(SimpleNamespace(index=lambda: built.append("facts")), None, counting, unanswered).warm()
    assert built == ["facts"] and len(read) == 2
    unanswered.nearness(analyse("who was the first secretary general?"))
    assert len(read) == 2


@pytest.fixture(scope="module")
def signals(kb, repo):
    return load_signals(paths(repo)["signals"], kb)


def test_decide_gives_no_fact_to_a_question_nearer_an_unanswered_one(kb, signals, monkeypatch):
    monkeypatch.setattr(D, "UNANSWERED_MIN", 0.4)
    monkeypatch.setattr(D, "UNANSWERED_MARGIN", 0.0)
    question = analyse("who was the first secretary general of nato?")
    hits = [Hit("permanent_presence_plan", 10.0, 0.8, ("nato",))]  # quotes the Secretary General
    ranking = [{"name": "ask_fact", "confidence": 0.9}]
    assert D.decide(kb, signals, ranking, question, hits).kind == D.FACT
    unanswered = D.decide(kb, signals, ranking, question, hits, near=Nearness(0.9, 0.5))
    assert unanswered.kind == D.NOT_COVERED and unanswered.facts == ("permanent_presence_plan",)
    assert D.decide(kb, signals, ranking, question, hits, near=Nearness(0.9, 0.95)).kind == D.FACT
    assert D.decide(kb, signals, ranking, question, hits, near=Nearness(0.3, 0.0)).kind == D.FACT
