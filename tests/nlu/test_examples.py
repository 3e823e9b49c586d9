"""bot/nlu/examples.py: each language's questions per fact become ask_fact training examples."""
from __future__ import annotations

import yaml

from bot.nlu.examples import dump, fact_question_examples


def test_every_language_but_english_gives_one_block_per_fact(content):
    data = fact_question_examples(content)
    languages = {b["metadata"]["language"] for b in data["nlu"]}
    assert languages == set(content.codes) - {"en"}
    ru = [b for b in data["nlu"] if b["metadata"]["language"] == "ru"]
    assert {b["metadata"]["facts"][0] for b in ru} == set(content.kb.facts)
    block = next(b for b in ru if b["metadata"]["facts"] == ["border_share_11"])
    questions = content.translations["ru"].fact_questions["border_share_11"]
    assert block["intent"] == "ask_fact" and block["examples"].splitlines() == [f"- {q}" for q in questions]


def test_the_file_is_rasa_training_data(content, tmp_path):
    from rasa.shared.nlu.training_data.loading import load_data

    path = tmp_path / "fact_questions.yml"
    path.write_text(dump(fact_question_examples(content)), encoding="utf-8")
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["version"] == "3.1"
    data = load_data(str(path))
    assert data.intents == {"ask_fact"} and len(data.intent_examples) >= 4 * 3 * len(content.kb.facts) - 10
