"""50 concurrent conversations with interleaved follow-ups: each follow-up answers its own
conversation's myth (no cross-talk) and no request fails."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

MYTHS = {
    "encirclement": ("NATO is encircling Russia", "NATO is encircling Russia"),
    "ukraine_membership": ("Ukraine will never join NATO", "Ukraine will never join NATO"),
    "operations_not_defensive": ("NATO bombed Libya, so it is not defensive", "NATO's operations prove"),
    "nato_troops_in_ukraine": ("NATO soldiers are fighting in Ukraine", "NATO troops are fighting in Ukraine"),
    "enlargement_promise": ("NATO promised not to expand east", "NATO promised Russia"),
}


def conversation(bot, n):
    myth = list(MYTHS)[n % len(MYTHS)]
    message, claim = MYTHS[myth]
    sender = f"crowd-{n}"
    first = bot.say(sender, message)
    follow = bot.say(sender, "source?")
    return myth, claim, first, follow


def test_fifty_parallel_conversations_keep_their_own_topic(bot):
    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(lambda n: conversation(bot, n), range(50)))
    assert len(results) == 50
    for myth, claim, first, follow in results:
        assert "is a myth" in first[0]["text"], myth
        assert claim in follow[0]["text"], (myth, follow[0]["text"][:120])
