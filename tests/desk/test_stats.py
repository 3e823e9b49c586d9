"""Counts on the scenario in conftest.py, worked out by hand:

In the 30 days before NOW: A (WhatsApp) has two conversations (days -10 and -1) and three
messages, B (SMS) one conversation and two, C (web) one and three; D's message (day -40)
is outside. So 4 conversations, 8 messages, 3 users, 1 returning (A: first seen day -10,
back on day -1). Unmatched: A's Belarus question and complaint, B's Belarus question and
out-of-scope message = 4, so half the messages matched. Encirclement: A and C, 2 askers.
One follow-up (C: sources?), one practice round (C). The Belarus questions of A and B are
one cluster of 2 askers; the complaint and B's message are clusters of one, texts hidden.
"""
from __future__ import annotations

from bot.desk import query
from tests.desk.conftest import NOW


def test_overview_counts(ingested):
    o = query.overview(ingested, NOW, 30)
    assert (o["conversations"], o["messages"], o["users"], o["returning"]) == (4, 8, 3, 1)
    assert o["unmatched"] == 4 and o["matched_share"] == 0.5
    assert (o["followups"], o["practice"]) == (1, 1)
    assert [(m["myth"], m["askers"], m["messages"]) for m in o["myths"]] == [("encirclement", 2, 2)]
    assert sum(o["myths"][0]["series"]) == 2 and len(o["myths"][0]["series"]) == 30
    channels = {c["name"]: (c["messages"], c["users"]) for c in o["by_channel"]}
    assert channels == {"whatsapp": (3, 1), "twilio": (2, 1), "webchat": (3, 1)}
    day = {d["day"]: d for d in o["by_day"]}
    assert day["2026-11-29"]["users"] == 2 and day["2026-11-29"]["returning"] == 1
    assert day["2026-11-20"]["conversations"] == 1


def test_period_picker_changes_the_window(ingested):
    assert query.overview(ingested, NOW, 7)["messages"] == 7  # A's day -10 message drops out
    o = query.overview(ingested, NOW, 90)
    assert o["messages"] == 9 and o["users"] == 4 and len(o["days"]) == 90


def test_clusters_sorted_by_askers_with_text_only_from_two_people(ingested):
    found = query.clusters(ingested, NOW, 30)
    assert [c["askers"] for c in found] == [2, 1, 1]
    top = found[0]
    assert "belarus" in top["text"].lower() and not top["hidden"]
    assert top["nearest"] == "nato_aggressive" and set(top["channels"]) == {"whatsapp", "twilio"}
    assert top["first"] == NOW - 10 * 86400 and top["last"] == NOW - 2 * 86400
    assert all(c["text"] is None and c["hidden"] for c in found[1:])


def test_a_label_is_kept_with_who_and_when(ingested):
    top = query.clusters(ingested, NOW, 30)[0]
    query.add_label(ingested, top["id"], "myth", "nato_aggressive", "editor-1", ["nato_aggressive"])
    query.add_label(ingested, top["id"], "new_claim", None, "editor-2", ["nato_aggressive"])
    assert query.clusters(ingested, NOW, 30)[0]["label"]["label"] == "new_claim"
    log = query.audit(ingested)
    assert [(r["who"], r["action"]) for r in log] == [("editor-2", "label"), ("editor-1", "label")]


def test_candidate_examples_from_myth_labels(ingested):
    top = query.clusters(ingested, NOW, 30)[0]
    query.add_label(ingested, top["id"], "myth", "nato_aggressive", "ed", ["nato_aggressive"])
    assert query.candidate_examples(ingested) == {"nato_aggressive": ["Will NATO invade Belarus next?"]}


def test_unknown_labels_are_refused(ingested):
    import pytest

    with pytest.raises(ValueError):
        query.add_label(ingested, 1, "delete_everything", None, "ed", [])
    with pytest.raises(ValueError):
        query.add_label(ingested, 1, "myth", "no_such_myth", "ed", ["encirclement"])
