"""bot/answers/retrieval.py and data.py on small data written to tmp_path, with a plain word
splitter for an analyser (the spaCy-backed one is exercised by test_reachability.py)."""
from __future__ import annotations

import re

import pytest
import yaml

from bot.answers.data import load_fact_examples, load_fact_questions, load_signals, load_synonyms, matches
from bot.answers.retrieval import Analysis, FactFinder, correction, pairs, slips
from bot.knowledge import Entity, Evidence, Fact, Knowledge, KnowledgeError

STOP = {"the", "a", "of", "in", "did", "does", "is", "to", "what"}


def analyse(text: str) -> Analysis:
    words = re.findall(r"[a-z0-9%]+", text.lower())
    entities = tuple(w for w in ("finland", "georgia", "nato") if w in words)
    return Analysis(tuple(w for w in words if w not in STOP), entities, tuple(words), tuple(words))


def fact(fid: str, text: str) -> Fact:
    return Fact(fid, text, (Evidence("src", text[:20]),), "July 2024")


@pytest.fixture
def kb() -> Knowledge:
    facts = {
        "finland_joined": fact("finland_joined", "Finland joined NATO in April 2023 and doubled the border."),
        "georgia_2008": fact("georgia_2008", "Russia invaded Georgia in 2008."),
        "allies_32": fact("allies_32", "NATO has 32 Allies."),
    }
    entities = {e: Entity(e, "country", (e.capitalize(),)) for e in ("finland", "georgia")}
    return Knowledge({}, facts, {}, {}, entities, ("country",), ())


@pytest.fixture
def questions():
    return {
        "finland_joined": ("When did Finland join?",),
        "georgia_2008": ("Who invaded Georgia?",),
        "allies_32": ("How many members does the alliance have?",),
    }


def test_the_fact_a_question_asks_for_ranks_first(kb, questions):
    finder = FactFinder(kb, analyse, questions)
    assert finder.rank("when did finland become a member")[0].fact == "finland_joined"
    assert finder.rank("who attacked georgia")[0].fact == "georgia_2008"
    assert finder.rank("how many members are there")[0].fact == "allies_32"


def test_a_named_entity_shared_with_the_question_counts(kb, questions):
    finder = FactFinder(kb, analyse, questions, entity_weight=5.0)
    best = finder.rank("what about finland")[0]
    assert best.fact == "finland_joined" and best.shared_entities == ("finland",)
    assert finder.rank("what about finland")[1].shared_entities == ()


def test_coverage_is_low_when_the_question_has_words_no_fact_knows(kb, questions):
    finder = FactFinder(kb, analyse, questions)
    assert finder.rank("when did finland join")[0].coverage == 1.0
    assert finder.rank("how many nuclear warheads")[0].coverage < 0.5


def test_labelled_examples_are_indexed_under_their_first_fact(kb, questions):
    plain = FactFinder(kb, analyse, questions)
    assert plain.rank("headcount of the club")[0].coverage == 0.0
    taught = FactFinder(kb, analyse, questions, [("headcount of the club", ("allies_32", "finland_joined"))])
    assert taught.rank("headcount of the club")[0].fact == "allies_32"


def test_the_index_is_built_on_first_use_not_before(kb, questions):
    calls = []
    finder = FactFinder(kb, lambda text: calls.append(text) or analyse(text), questions)
    assert calls == []
    finder.rank("when did finland join")
    assert calls


def write(tmp_path, name, doc):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return path


def test_fact_questions_load_when_every_fact_has_three_to_six(tmp_path, kb):
    doc = {"fact_questions": {f: [f"q{i} {f}?" for i in range(3)] for f in kb.facts}}
    loaded = load_fact_questions(write(tmp_path, "fq.yml", doc), kb)
    assert set(loaded) == set(kb.facts) and all(len(q) == 3 for q in loaded.values())


def test_a_fact_without_questions_names_file_entry_and_field(tmp_path, kb):
    doc = {"fact_questions": {"finland_joined": ["a?", "b?", "c?"], "georgia_2008": ["a?", "b?", "c?"]}}
    path = write(tmp_path, "fq.yml", doc)
    with pytest.raises(KnowledgeError) as err:
        load_fact_questions(path, kb)
    assert f"{path}: entry 'allies_32': field 'questions'" in str(err.value)


@pytest.mark.parametrize("entries,expected", [
    ({"allies_32": ["only one?"]}, "entry 'allies_32': field 'questions': has 1 questions, needs 3 to 6"),
    ({"allies_32": "not a list"}, "entry 'allies_32': field 'questions': must be a list"),
    ({"no_such_fact": ["a?", "b?", "c?"]}, "entry 'no_such_fact': field 'id': not a fact id"),
])
def test_bad_fact_questions_are_reported(tmp_path, kb, entries, expected):
    doc = {"fact_questions": {**{f: ["a?", "b?", "c?"] for f in kb.facts}, **entries}}
    with pytest.raises(KnowledgeError) as err:
        load_fact_questions(write(tmp_path, "fq.yml", doc), kb)
    assert expected in str(err.value)


def test_fact_examples_carry_their_facts_and_unknown_facts_are_reported(tmp_path, kb):
    good = {"nlu": [{"intent": "ask_fact", "metadata": {"facts": ["allies_32"]}, "examples": "- how many allies\n"},
                    {"intent": "ask_fact", "metadata": {"facts": []}, "examples": "- nato budget?\n"},
                    {"intent": "greet", "examples": "- hi\n"}]}
    assert load_fact_examples(write(tmp_path, "q.yml", good), kb) == [("how many allies", ("allies_32",)),
                                                                      ("nato budget?", ())]
    bad = {"nlu": [{"intent": "ask_fact", "metadata": {"facts": ["nope"]}, "examples": "- x\n"}]}
    with pytest.raises(KnowledgeError, match="field 'metadata.facts': unknown facts"):
        load_fact_examples(write(tmp_path, "bad.yml", bad), kb)


def test_synonyms_map_each_word_to_the_first_of_its_group(tmp_path):
    path = write(tmp_path, "syn.yml", {"synonyms": [["ally", "member", "country"], ["troop", "soldier"]]})
    assert load_synonyms(path) == {"ally": "ally", "member": "ally", "country": "ally", "troop": "troop",
                                   "soldier": "troop"}


def test_signals_need_an_entry_for_every_myth(tmp_path, kb, repo):
    from bot.knowledge import load_content

    real = load_content(repo).kb
    doc = {"nato": ["nato"], "myths": {m: ["word"] for m in list(real.myths)[1:]}}
    with pytest.raises(KnowledgeError, match=f"entry '{list(real.myths)[0]}': field 'myths': missing"):
        load_signals(write(tmp_path, "signals.yml", doc), real)


def test_patterns_match_prefixes_and_word_sequences():
    pats = (("encircl*",), ("not", "one", "inch"))
    assert matches(pats, [("nato", "be", "encircling", "russia")])
    assert matches(pats, [("they", "said", "not", "one", "inch")])
    assert not matches(pats, [("not", "one", "bit", "inch")])
    assert not matches(pats, [("circle",)])


def test_slips_counts_edits_and_a_swap_as_one():
    assert slips("finlnad", "finland", 2) == 1
    assert slips("georiga", "georgia", 1) == 1
    assert slips("nato", "finland", 2) == 3  # more than the limit: limit + 1


def test_a_typo_finds_the_word_and_the_entity_it_names(kb, questions):
    finder = FactFinder(kb, analyse, questions, entity_weight=5.0)
    best = finder.rank("when did finlnad join")[0]
    assert best.fact == "finland_joined" and best.shared_entities == ("finland",) and best.coverage == 1.0
    assert correction("xyzzy", ["finland"], {}) is None
    assert correction("defensiv", ["defensive"], {}) is None  # another form, not a slip


def test_short_unknown_words_do_not_lower_coverage_and_unknown_words_weigh_less_when_set(kb, questions, monkeypatch):
    finder = FactFinder(kb, analyse, questions)
    assert finder.rank("when did finland join rn")[0].coverage == 1.0
    full = finder.rank("how many nuclear warheads")[0].coverage
    monkeypatch.setattr("bot.answers.retrieval.UNKNOWN_WEIGHT", 0.3)
    assert finder.rank("how many nuclear warheads")[0].coverage > full


def test_pairs_join_neighbours_and_terms_one_apart_in_order():
    assert pairs(("forward", "presence", "warsaw")) == ["forward presence", "presence warsaw", "forward warsaw"]
    assert pairs(("nato",)) == []


@pytest.fixture
def near_duplicates():
    facts = {
        "battlegroups": fact("battlegroups", "The warsaw summit set up a forward presence."),
        "deployments": fact("deployments", "Which summit decided the presence of forces? Warsaw sent units forward."),
    }
    questions = {"battlegroups": ("Where are the battlegroups?",),
                 "deployments": ("Were the deployments requested by the hosts?",)}
    return FactFinder(Knowledge({}, facts, {}, {}, {}, ("country",), ()), analyse, questions)


def test_the_fact_holding_the_question_s_word_pairs_comes_first(near_duplicates, monkeypatch):
    question = "was the forward presence decided at the warsaw summit"
    monkeypatch.setattr("bot.answers.retrieval.PAIR_WEIGHT", 0.0)
    assert near_duplicates.rank(question)[0].fact == "deployments"  # more of the single words
    monkeypatch.setattr("bot.answers.retrieval.PAIR_WEIGHT", 0.5)
    assert near_duplicates.rank(question)[0].fact == "battlegroups"  # "forward presence", "warsaw summit"


def test_pairs_change_the_order_but_not_the_score_a_hit_carries(near_duplicates, monkeypatch):
    question = "was the forward presence decided at the warsaw summit"
    monkeypatch.setattr("bot.answers.retrieval.PAIR_WEIGHT", 0.0)
    words_only = {h.fact: h.score for h in near_duplicates.rank(question)}
    monkeypatch.setattr("bot.answers.retrieval.PAIR_WEIGHT", 0.5)
    with_pairs = near_duplicates.rank(question)
    assert {h.fact: h.score for h in with_pairs} == words_only
    assert with_pairs[0].score < with_pairs[1].score
