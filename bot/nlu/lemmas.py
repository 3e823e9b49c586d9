"""Lemma tables for languages other than English, built when the pipelines are built.

The intent classifier can only use lemmas of words it saw in training, so a language's
table holds the words of its training examples and translations, and every inflected
form of their lemmas ("окружение", "окружают", "окружила" → one lemma):
- Russian, German, French: spaCy's lookup tables (package spacy-lookups-data), inverted
  so that all forms of a seen lemma are kept;
- Ukrainian: pymorphy2 with its Ukrainian dictionaries (spacy-lookups-data has no table).
Keys and lemmas are lower case, as the pipeline lemmatizes lower-cased text. Runs at build
time only; serving loads the small tables from the saved pipelines.
"""
from __future__ import annotations

import gzip
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterable, Mapping, Set

import yaml

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)
LOOKUP_LANGUAGES = ("ru", "de", "fr")


def words_of(texts: Iterable[str]) -> Set[str]:
    out: Set[str] = set()
    for text in texts:
        for w in _WORD.findall(str(text).lower()):
            out.add(w)
            out.update(part for part in re.split(r"['’-]", w) if part)
    return out


def language_vocabulary(root: Path, code: str, content) -> Set[str]:
    """Words of the language's NLU examples (data/nlu/<code>/), of its translations and of
    its practice texts (voices, key points, push-backs, and the words of its cues)."""
    texts = []
    for path in sorted((Path(root) / "data" / "nlu" / code).glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in doc.get("nlu", []):
            texts.extend(line.strip()[1:] for line in str(item.get("examples", "")).splitlines()
                         if line.strip().startswith("-"))
    kb = content.kb
    texts += [f.text for f in kb.facts.values()] + [q.title for q in kb.questions.values()]
    texts += [p.text for m in kb.myths.values() for p in m.passages()] + [m.claim for m in kb.myths.values()]
    texts += [a for e in kb.entities.values() for a in e.aliases]
    for m in kb.myths.values():
        block = m.practice or {}
        texts += list(block.get("voices") or []) + [str((block.get("counter") or {}).get("text") or "")]
        for kp in block.get("key_points") or []:
            texts.append(str(kp.get("label") or ""))
            texts += [c.replace("_", " ").replace("*", "") for c in kp.get("cues") or []]
    tr = content.translations.get(code)
    if tr is not None:
        texts += [q for qs in tr.fact_questions.values() for q in qs]
    return words_of(texts)


@lru_cache(maxsize=4)
def _full_table(code: str) -> Dict[str, str]:
    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / f"{code}_lemma_lookup.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        raw = json.load(f)
    table: Dict[str, str] = {}
    for form, lemma in raw.items():
        lemma = lemma[0] if isinstance(lemma, list) else lemma
        table.setdefault(form.lower(), str(lemma).lower())
    return table


def _lookup_table(code: str, vocabulary: Iterable[str]) -> Dict[str, str]:
    full = _full_table(code)
    lemmas = {full[w] for w in vocabulary if w in full}
    out = {form: lemma for form, lemma in full.items() if lemma in lemmas}
    out.update({w: full[w] for w in vocabulary if w in full})
    return out


def _pymorphy_table(code: str, vocabulary: Iterable[str]) -> Dict[str, str]:
    import pymorphy2

    morph = pymorphy2.MorphAnalyzer(lang=code)
    out: Dict[str, str] = {}
    for word in sorted(vocabulary):
        parses = morph.parse(word)
        if not parses or not parses[0].is_known:
            continue
        lemma = parses[0].normal_form
        out[word] = lemma
        for form in parses[0].lexeme:
            out.setdefault(form.word.lower(), lemma)
    return out


def lemma_table(code: str, vocabulary: Iterable[str]) -> Mapping[str, str]:
    """The lemma table of language ``code`` for these words (empty for a language with
    no table: its words are then their own lemmas)."""
    words = set(vocabulary)
    if code in LOOKUP_LANGUAGES:
        return _lookup_table(code, words)
    if code == "uk":
        return _pymorphy_table(code, words)
    return {}
