"""Practice mode end to end over REST: start on a named myth, answer, get a score with a
corrected figure, answer the push-back, and get the summary on "stop"."""
from __future__ import annotations

import re


def texts(replies) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def test_a_practice_round_over_rest(bot):
    who = "trainee-1"
    opening = texts(bot.say(who, "train me on the encirclement myth"))
    assert "Someone writes to you" in opening
    feedback = texts(bot.say(who, "NATO is not encircling Russia: only about 11% of Russia's land border "
                                  "touches NATO, even after Finland joined in 2019."))
    assert re.search(r"Score: \d+/100", feedback)
    assert '"2019"' in feedback and "April 2023" in feedback
    assert "push back" in feedback.lower() or "They push back" in feedback
    end = texts(bot.say(who, "Even counting Finland, which joined in April 2023, only 11% of Russia's land "
                             "border is shared with NATO, according to NATO, so the ring story misleads."))
    assert "Round finished" in end
    summary = texts(bot.say(who, "stop"))
    assert "summary" in summary.lower() and "NATO is encircling Russia" in summary


def test_practise_button_after_a_rebuttal(bot):
    replies = bot.say("trainee-2", "NATO is encircling Russia")
    payloads = [b["payload"] for b in replies[0]["buttons"]]
    practise = next(p for p in payloads if p.startswith("/start_practice"))
    assert "Someone writes to you" in texts(bot.say("trainee-2", practise))
