"""End to end: the servers started by this test answer over Rasa's REST channel with the
right rebuttal, numbers and citations, keep the topic for follow-ups, and decline
off-topic input."""
from __future__ import annotations

import pytest


def texts(replies) -> str:
    return "\n".join(r.get("text", "") for r in replies)


@pytest.mark.parametrize("myth,message,figure", [
    ("encirclement", "NATO is encircling Russia", "11%"),
    ("deployments_threat", "nato battlegroups in the baltics threaten russia", "eight"),
    ("enlargement_promise", "NATO promised Moscow not to expand east", "1949"),
    ("ukraine_membership", "ukraine will never join nato, its a lie", "32"),
    ("operations_not_defensive", "nato bombed libya so it is not defensive", "1973"),
    ("nato_troops_in_ukraine", "nato soldiers are fighting in ukraine right now", "no-fly zone"),
    ("nato_at_war", "NATO is at war with Russia", "UN Charter"),
    ("nato_aggressive", "NATO is an aggressive alliance", "2008"),
    ("pushing_war", "NATO is pushing Europe into war with Russia", "2014"),
])
def test_each_myth_is_rebutted_over_rest(bot, myth, message, figure):
    replies = bot.say(f"user-{myth}", message)
    answer = texts(replies)
    assert figure in answer and "is a myth" in answer
    assert "Sources:\n[1]" in answer and "https://" in answer
    assert [b["payload"] for b in replies[0]["buttons"]][:2] == ["/ask_sources", "/ask_more"]


def test_followups_refer_to_the_myth_under_discussion(bot):
    bot.say("follower", "NATO is encircling Russia")
    assert "April 2023" in texts(bot.say("follower", "but Finland joined"))
    sources = texts(bot.say("follower", "source?"))
    assert "NATO is encircling Russia" in sources and "one side of the dispute" in sources


def test_button_payload_works_like_typing(bot):
    answer = texts(bot.say("clicker", "/myth_encirclement"))
    assert "11%" in answer


def test_factual_question(bot):
    answer = texts(bot.say("asker", "how many US troops are in Europe?"))
    assert "100,000" in answer and "(as of 22 April 2022)" in answer


@pytest.mark.parametrize("message,figure", [
    ("When did Finland join NATO?", "April 2023"),
    ("When was the NATO-Russia Council set up?", "2002"),
    ("How many people died in the war in Bosnia?", "100,000"),
])
def test_a_question_the_sources_answer_gets_the_fact_over_rest(bot, message, figure):
    answer = texts(bot.say("curious", message))
    assert figure in answer and "Sources:\n[1]" in answer and "is a myth" not in answer


@pytest.mark.parametrize("message", [
    "There is no evidence at all that Russia was involved in shooting down MH17",
    "How many nuclear warheads does NATO have?",
    "the Bucha massacre was staged",
])
def test_other_topics_and_unanswered_questions_get_no_rebuttal(bot, message):
    answer = texts(bot.say("sceptic", message))
    assert "is a myth" not in answer and "Sources:" not in answer


def test_restart_starts_over_and_says_so(bot):
    bot.say("restarter", "NATO is encircling Russia")
    answer = texts(bot.say("restarter", "/restart"))
    assert "restarted" in answer and "not responding" not in answer
    assert "not sure which claim you mean" in texts(bot.say("restarter", "source?"))


@pytest.mark.parametrize("message", ["what's the weather in Paris tomorrow?", "Wie wird das Wetter morgen in Berlin?",
                                     "asdfgh jkl qwerty"])
def test_off_topic_is_declined_without_a_rebuttal(bot, message):
    replies = bot.say("stranger", message)
    answer = texts(replies)
    assert "is a myth" not in answer and "Sources:" not in answer
    assert len(replies[0]["buttons"]) == 9


def test_markup_in_a_message_is_never_echoed(bot):
    replies = bot.say("attacker", "<img src=x onerror=alert(1)>")
    assert "<img" not in texts(replies) and "onerror" not in texts(replies)


def test_bot_admits_to_being_a_bot(bot):
    assert "I am a bot" in texts(bot.say("curious", "are you a bot?"))
