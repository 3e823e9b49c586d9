"""Every fact can be reached: each question of data/knowledge/fact_questions.yml, asked of the
fact finder built from the repository's data and spaCy pipeline, brings its fact back first
and covered well enough to be answered."""
from __future__ import annotations

import pytest

from bot.answers import decide
from bot.answers.data import load_fact_questions, load_retrieval, paths


@pytest.fixture(scope="module")
def retrieval(repo, nlp_path):
    return load_retrieval(repo, str(nlp_path))


def questions(repo):
    from bot.knowledge import load_content

    kb = load_content(repo).kb
    return [(fid, q) for fid, qs in load_fact_questions(paths(repo)["fact_questions"], kb).items() for q in qs]


def test_every_fact_has_questions(kb, repo):
    asked = {fid for fid, _ in questions(repo)}
    assert asked == set(kb.facts)


@pytest.mark.parametrize("fact_id,question", questions(__import__("pathlib").Path(__file__).resolve().parents[2]))
def test_each_question_brings_its_fact_back(retrieval, fact_id, question):
    best = retrieval.finder.rank(question)[0]
    assert best.fact == fact_id
    assert decide.answer_strength(best) >= decide.ANSWER_MIN
