"""The pure decisions of a practice dialogue (bot/practice/dialogue.py): which myth, which
voice, the progress log, the summary, what counts as an answer."""
from __future__ import annotations

import pytest

from bot.knowledge.practice_spec import practice_spec
from bot.practice import dialogue
from bot.practice.dialogue import choose_myth, choose_voice, is_real_answer, myths_named, summarise

@pytest.mark.parametrize("text, myth", [
    ("train me on the encirclement myth", "encirclement"),
    ("let's practise the one about NATO promising not to expand", "enlargement_promise"),
    ("quiz me on the myth that NATO is aggressive", "nato_aggressive"),
    ("practise the no-fly zone myth with me", "nato_troops_in_ukraine"),
    ("drill me on the deployments myth", "deployments_threat"),
    ("let me train on the Ukraine membership myth", "ukraine_membership"),
    ("train me on the operations myth", "operations_not_defensive"),
    ("quiz me on the pushing Europe to war claim", "pushing_war"),
])
def test_a_myth_named_in_the_request_is_found(kb, text, myth):
    assert myths_named(kb, text)[0].id == myth


def test_no_myth_named_in_a_plain_request(kb):
    assert myths_named(kb, "let's practise") == []


def test_choose_myth_order_of_preference(kb, content):
    repeat = content.practice.repeat_words
    log = [{"myth": "encirclement", "stage": "answer", "score": 50}]
    # a button's myth wins over anything in the text
    assert choose_myth(kb, "pushing_war", "train me on encirclement", log, None, "s").id == "pushing_war"
    # then a myth named in the text
    assert choose_myth(kb, None, "train me on the enlargement myth", log, "encirclement", "s").id == "enlargement_promise"
    # "again" repeats the current myth
    assert choose_myth(kb, None, "again please", log, "encirclement", "s", repeat).id == "encirclement"
    # (the words that ask for the same myth again are the language's)
    assert choose_myth(kb, None, "again please", log, "encirclement", "s").id != "encirclement"
    # otherwise a random myth not practised yet, the same for the same seed
    first = choose_myth(kb, None, "let's practise", log, "encirclement", "conv-1:1")
    assert first.id != "encirclement"
    assert choose_myth(kb, None, "let's practise", log, "encirclement", "conv-1:1").id == first.id
    assert choose_myth(kb, "no_such_myth", "", [], None, "s") is not None


def test_random_choice_covers_every_myth_before_repeating(kb):
    log, current = [], None
    for i in range(len(kb.myths)):
        myth = choose_myth(kb, None, "another one", log, current, f"c:{i}")
        assert myth.id not in {e["myth"] for e in log}
        log.append({"myth": myth.id, "stage": "answer", "score": 0})
        current = myth.id


def test_voice_changes_when_a_myth_comes_round_again(kb):
    spec = practice_spec(kb.myths["encirclement"])
    log = []
    seen = []
    for _ in range(len(spec.voices)):
        seen.append(choose_voice(spec, log))
        log.append({"myth": "encirclement", "stage": "answer", "score": 0})
        log.append({"myth": "encirclement", "stage": "counter", "score": 0})
    assert seen == list(range(len(spec.voices)))


def test_log_is_appended_without_mutating_the_slot_value():
    old = [{"myth": "encirclement", "stage": "answer", "score": 40, "missing": ["russia_vast"]}]
    new = dialogue.add_to_log(old, dialogue.log_entry("encirclement", "counter", 70, ["a"], []))
    assert len(old) == 1 and len(new) == 2 and new[1]["stage"] == "counter"


def test_summary_lists_myths_scores_and_points_missed_most():
    log = [
        dialogue.log_entry("encirclement", "answer", 40, [], ["russia_vast", "finland_included"]),
        dialogue.log_entry("encirclement", "counter", 70, ["finland_included"], ["small_border_share"]),
        dialogue.log_entry("nato_at_war", "answer", 55, [], ["aid_from_allies"]),
        dialogue.log_entry("encirclement", "answer", 80, [], ["russia_vast"]),
    ]
    summary = summarise(log)
    assert [m.myth for m in summary.myths] == ["encirclement", "nato_at_war"]
    assert summary.myths[0].answer_scores == (40, 80) and summary.myths[0].counter_scores == (70,)
    assert summary.missed[0] == ("encirclement", "russia_vast", 2)
    assert summary.rounds == 3
    assert summarise([]).myths == ()


@pytest.mark.parametrize("text, real", [
    ("ok", False), ("no idea", False), ("/start_practice", False), (None, False),
    ("Only 11% of the border is NATO's.", True),
])
def test_too_short_answers_are_not_scored(text, real):
    assert is_real_answer(text) is real
