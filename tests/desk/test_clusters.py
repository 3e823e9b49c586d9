"""Near-identical texts fold together; different questions stay apart; rising mark."""
from __future__ import annotations

from bot.desk.clusters import Clusterer, jaccard, rising, tokens


def test_near_identical_texts_share_a_cluster():
    c = Clusterer()
    first, new = c.assign(tokens("Will NATO invade Belarus next?"))
    assert new
    assert c.assign(tokens("will nato invade belarus next")) == (first, False)
    assert c.assign(tokens("NATO will invade Belarus!!")) == (first, False)
    other, new = c.assign(tokens("Who pays for the NATO budget?"))
    assert new and other != first


def test_placeholders_do_not_make_texts_alike():
    assert tokens("call [phone] now") == tokens("call [email] now")
    assert jaccard(tokens("is nato at war"), tokens("what is the weather")) < 0.6


def test_prefix_filtering_finds_what_a_full_scan_finds():
    texts = ["nato troops in ukraine", "are nato troops in ukraine", "troops of nato in ukraine now",
             "who pays nato", "nato pays who", "finland joined nato", "did finland join nato"]
    c = Clusterer()
    for t in texts:
        toks = tokens(t)
        full = [cid for cid, lead in c.leaders.items() if jaccard(toks, lead) >= c.threshold]
        found = c.find(toks)
        assert (found is None) == (not full)
        c.assign(toks)


def test_rising():
    assert rising(4, [1, 0, 1, 0])
    assert not rising(4, [3, 2, 3, 4])
    assert not rising(1, [0, 0, 0, 0])  # one person is not a trend
