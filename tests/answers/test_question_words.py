"""Question words per language (signals.yml and each language's `signals.questions`): what
makes a message a question, an information question, or a claim to check, and how a bad
list is reported."""
from __future__ import annotations

import copy

import pytest
import yaml

from bot.answers.data import load_retrieval, paths, signals_from
from bot.knowledge import KnowledgeError


@pytest.fixture(scope="module")
def english_doc(repo):
    return yaml.safe_load(paths(repo)["signals"].read_text(encoding="utf-8"))


def test_every_field_is_read(kb, english_doc):
    q = signals_from(english_doc, "signals.yml", kb).questions
    assert {"when", "how", "many"} <= q.kept and "did" in q.starts and "who" in q.wh and "so" in q.lead_in
    assert ("is", "it", "true") in q.claim_checks


@pytest.mark.parametrize("change, message", [
    (lambda q: q.pop("wh"), "entry 'questions': field 'wh': must be a non-empty list"),
    (lambda q: q.update(starts=["is it"]), "entry 'questions': field 'starts': must list single words"),
    (lambda q: q.update(kept=[]), "entry 'questions': field 'kept': must be a non-empty list"),
])
def test_a_bad_list_names_file_entry_and_field(kb, english_doc, change, message):
    doc = copy.deepcopy(english_doc)
    change(doc["questions"])
    with pytest.raises(KnowledgeError) as err:
        signals_from(doc, "data/knowledge/i18n/xx.yml", kb)
    assert "data/knowledge/i18n/xx.yml" in str(err.value) and message in str(err.value)


@pytest.mark.parametrize("language, text, question, wh", [
    ("en", "so when did finland join nato", True, True),
    ("en", "is it true that nato is encircling russia?", False, False),
    ("en", "did finland join nato?", True, False),
    ("de", "Wann ist Finnland der NATO beigetreten", True, True),
    ("de", "Stimmt es, dass die NATO Russland einkreist?", False, False),
    ("fr", "combien de pays dans l'otan", True, True),
    ("ru", "а когда финляндия вступила в нато", True, True),
    ("ru", "правда ли, что нато окружает россию?", False, False),
    ("uk", "скільки країн в нато зараз", True, True),
    ("uk", "чи правда, що нато оточує росію?", False, False),
])
def test_each_language_tells_questions_from_claims(repo, pipelines, language, text, question, wh):
    if language != "en" and not (pipelines / language / "meta.json").exists():
        pytest.skip(f"the {language} pipeline is built by make nlp")
    a = load_retrieval(repo, language=language).analyse(text)
    assert (a.question, a.wh) == (question, wh)


def test_question_words_are_indexed_although_stop_words(repo, pipelines):
    if not (pipelines / "de" / "meta.json").exists():
        pytest.skip("the de pipeline is built by make nlp")
    assert "wie" in load_retrieval(repo, language="de").analyse("wie viele Mitglieder hat die NATO").terms
