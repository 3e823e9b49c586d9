"""Every fact is traceable: its evidence phrases occur in the cited source document and
every figure the bot states occurs in that evidence. The documents are the copies in
../shared/seeds (beside the checkout, as in CI)."""
from __future__ import annotations

import re

import pytest

from tests.conftest import SEEDS

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"source documents not found at {SEEDS}")

WORD_NUMBERS = {"one", "two", "four", "six", "eight", "eleven", "twice"}


def normalise(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"(\d) (\d{3})\b", r"\1,\2", text)  # "40 000" -> "40,000"
    return " ".join(text.split())


def document(kb, source_id: str) -> str:
    return normalise((SEEDS / kb.sources[source_id].document).read_text(encoding="utf-8"))


def figures(text: str):
    """Digit groups ("11", "40,000", "1244") in a text."""
    return set(re.findall(r"\d[\d,]*\d|\d", text))


def test_every_evidence_phrase_occurs_in_its_document(kb):
    for fact in kb.facts.values():
        for ev in fact.sources:
            assert normalise(ev.evidence) in document(kb, ev.source), (fact.id, ev.evidence)


def test_every_figure_in_a_fact_occurs_in_its_sources(kb):
    for fact in kb.facts.values():
        docs = " ".join(document(kb, sid) for sid in fact.source_ids)
        for figure in figures(fact.text):
            assert figure in docs, f"{fact.id}: figure {figure} is not in its sources"


def cited_figures(kb, passage) -> set:
    """Figures of the cited facts, and the dates they were true on."""
    return figures(" ".join(kb.facts[f].text + " " + kb.facts[f].as_of for f in passage.facts))


def test_every_figure_in_a_myth_passage_comes_from_its_cited_facts(kb):
    for myth in kb.myths.values():
        for passage in myth.passages():
            for figure in figures(passage.text):
                assert figure in cited_figures(kb, passage), f"{myth.id}: {figure} not in cited facts"
    for i, passage in enumerate(kb.changes):
        for figure in figures(passage.text):
            assert figure in cited_figures(kb, passage), f"changes #{i + 1}: {figure}"


def test_bot_text_is_not_copied_from_the_sources(kb):
    """Own words: no run of 12 words from a source document appears in a fact."""
    docs = " ".join(document(kb, sid) for sid in kb.sources).lower()
    for fact in kb.facts.values():
        words = normalise(fact.text).lower().split()
        for i in range(len(words) - 11):
            run = " ".join(words[i:i + 12])
            assert run not in docs, f"{fact.id} copies: {run!r}"
