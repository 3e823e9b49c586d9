"""bot/answers/myth_words.py and its data file: which words are learnt as evidence of a
myth, how the file is checked on load, and that the repository's file is up to date."""
from __future__ import annotations

import pytest
import yaml

from bot.answers import decide as D
from bot.answers import myth_words as W
from bot.answers.data import Signals, learnt_myth_words, load_myth_words, with_words
from bot.answers.retrieval import Analysis, Hit
from bot.knowledge import KnowledgeError


def example(text: str, stop=("the", "is", "a", "to")) -> Analysis:
    tokens = tuple(text.lower().split())
    return Analysis(tuple(t for t in tokens if t not in stop), (), tokens, tokens, False)


EXAMPLES = [
    (example("the armour is a threat"), "myth_deployments_threat"),
    (example("armour at the border"), "myth_deployments_threat"),
    (example("armour rotating to the east"), "myth_deployments_threat"),
    (example("the border is long"), "myth_encirclement"),
    (example("border border 2024 ab"), "myth_deployments_threat"),
    (example("what a border"), "out_of_scope"),
]


def test_a_word_is_learnt_when_common_in_the_myth_and_absent_elsewhere():
    counts = W.count_words(EXAMPLES)
    assert counts.by_intent["myth_deployments_threat"]["border"] == 2  # counted once per example
    learnt = W.learn(counts, ["deployments_threat", "encirclement"], min_examples=2, min_share=1.0)
    assert learnt == {"deployments_threat": ("armour",), "encirclement": ()}
    # "border" is in 2 of its 4 examples: learnt only when half its examples may be elsewhere
    assert "border" in W.learn(counts, ["deployments_threat"], 2, 0.5)["deployments_threat"]
    assert W.learn(counts, ["deployments_threat"], 4, 0.5)["deployments_threat"] == ()


def test_stop_words_digits_and_short_words_are_never_learnt():
    words = W.example_words(example("the 2024 ab armour is a threat"))
    assert words == frozenset({"armour", "threat"})


def test_learnt_words_are_evidence_for_their_myth_only(kb):
    signals = with_words(Signals((("nato",),), {mid: (("zzz",),) for mid in kb.myths}), {"deployments_threat": ["armour"]})
    assert ("armour",) in signals.myths["deployments_threat"] and ("armour",) not in signals.myths["encirclement"]
    text = example("why park armour next to pskov")
    hits = [Hit("allies_32_2024", 1.0, 0.1, ())]
    r = [{"name": "myth_deployments_threat", "confidence": 0.5}]
    assert D.decide(kb, signals, r, text, hits).kind == D.REBUT
    other = [{"name": "myth_encirclement", "confidence": 0.5}]
    assert D.decide(kb, signals, other, text, hits).kind == D.DECLINE


def test_the_file_is_read_per_language(tmp_path, kb):
    path = tmp_path / "myth_words.yml"
    path.write_text(yaml.safe_dump({"languages": {"en": {"encirclement": ["noose"]}, "de": {"encirclement": ["Ring"]}}}))
    assert load_myth_words(path, kb, "en") == {"encirclement": ("noose",)}
    assert load_myth_words(path, kb, "de") == {"encirclement": ("ring",)}
    assert load_myth_words(path, kb, "fr") == {}
    assert load_myth_words(tmp_path / "absent.yml", kb, "en") == {}


@pytest.mark.parametrize("doc, message", [
    ({"languages": {"ru": {"no_such_myth": ["кольцо"]}}}, "(ru): entry 'no_such_myth': field 'id': not a myth id"),
    ({"languages": {"ru": {"encirclement": ["два слова"]}}}, "(ru): entry 'encirclement': field 'words'"),
    ({"languages": {"ru": ["encirclement"]}}, "(ru): entry 'ru': field 'words'"),
    ({"words": {}}, "entry '-': field 'languages'"),
])
def test_a_bad_file_names_file_language_entry_and_field(tmp_path, kb, doc, message):
    path = tmp_path / "myth_words.yml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(KnowledgeError) as err:
        load_myth_words(path, kb, "ru")
    assert str(path) in str(err.value) and message in str(err.value)


def test_the_repository_file_is_what_make_myth_words_writes(repo):
    doc = yaml.safe_load((repo / "data" / "knowledge" / "myth_words.yml").read_text(encoding="utf-8"))
    assert doc["languages"] == learnt_myth_words(repo), "data/knowledge/myth_words.yml is stale: run make myth-words"
