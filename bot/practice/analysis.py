"""Reading a text for practice scoring: sentences, lemmas, entity ids, figures, cue matches.

`TextAnalyser` compiles cues (the grammar of bot.knowledge.practice_spec) into one spaCy
Matcher; `analyse` reads a text once, and the cue queries say which sentences match.
Pure given the spaCy pipeline (bot.nlu.pipeline); no I/O.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Dict, FrozenSet, Iterable, List, Optional, Set, Tuple

from bot.knowledge.figures import Figure, same_figure
from bot.knowledge.practice_i18n import PracticeLanguage
from bot.knowledge.practice_spec import Alternative, Cue, Term

QUOTES = frozenset({'"', "“", "”", "«", "»", "„"})


def _enclosed(doc, opening: str, closing: str) -> Set[int]:
    """Indices of the tokens between matching opening and closing marks (nesting allowed)."""
    inside: Set[int] = set()
    depth = 0
    for i, token in enumerate(doc):
        if token.text == opening:
            depth += 1
        elif token.text == closing:
            depth = max(0, depth - 1)
        elif depth:
            inside.add(i)
    return inside


@dataclass
class Analysis:
    doc: Any
    sent_of: List[int]
    sents: List[Tuple[int, int]]
    keys: List[FrozenSet[str]]
    figures: List[Figure]
    term_hits: Dict[str, Set[int]]
    token_hits: Dict[str, Set[int]]
    quoted: Set[int]
    bracketed: Set[int]
    cited: Set[int]          # tokens of source markers "[1, 2]" and of citation sentences


def _alternative_patterns(alt: Alternative, lemma, entity_ids: FrozenSet[str]) -> List[List[Dict]]:
    if alt.figure is not None:
        return []
    words = alt.words
    patterns: List[List[Dict]] = []
    if len(words) == 1:
        w = words[0]
        if alt.prefix:
            rx = {"REGEX": "^" + re.escape(w)}
            return [[{"LOWER": rx}], [{"LEMMA": rx}]]
        patterns = [[{"LOWER": w}], [{"LEMMA": lemma(w)}]]
        if w in entity_ids:
            patterns.append([{"ENT_ID": w}])
        return patterns
    seq: List[Dict] = []
    for k, w in enumerate(words):
        if k:
            seq.append({"IS_PUNCT": True, "OP": "?"})
        if alt.prefix and k == len(words) - 1:
            seq.append({"LOWER": {"REGEX": "^" + re.escape(w)}})
        else:
            seq.append({"LEMMA": {"IN": sorted({lemma(w), w})}})
    patterns.append(seq)
    joined = "_".join(words)
    if joined in entity_ids:
        patterns.append([{"ENT_ID": joined}])
    return patterns


class TextAnalyser:
    """Cues compiled for one spaCy pipeline, and texts read with them in its language."""

    def __init__(self, nlp: Any, entity_ids: Iterable[str], cues: Iterable[Cue], language: PracticeLanguage) -> None:
        from spacy.matcher import Matcher

        self.nlp, self.language = nlp, language
        try:
            self._lookup = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
        except (KeyError, ValueError):
            self._lookup = {}
        self.entity_ids = frozenset(entity_ids)
        self.matcher = Matcher(nlp.vocab, validate=True)
        self._terms: Dict[str, Term] = {}
        for cue in cues:
            for term in cue.terms:
                if term.text in self._terms:
                    continue
                self._terms[term.text] = term
                patterns = [p for a in term.alternatives for p in _alternative_patterns(a, self.lemma, self.entity_ids)]
                if patterns:
                    self.matcher.add(term.text, patterns)

    def lemma(self, word: str) -> str:
        low = word.lower()
        return str(self._lookup.get(low, low)).lower()

    def _key(self, token) -> Optional[str]:
        if token.is_punct or token.is_space or token.like_num or token.is_stop:
            return None
        key = self.language.synonyms.get(token.lemma_, token.lemma_)
        return None if key in self.language.generic or len(key) < 2 else key

    def analyse(self, text: str) -> Analysis:
        doc = self.nlp(text)
        for token in doc:
            token.lemma_ = self.lemma(token.text)
        sents = [(s.start, s.end) for s in doc.sents] or [(0, len(doc))]
        sent_of = [0] * len(doc)
        for i, (a, b) in enumerate(sents):
            for j in range(a, b):
                sent_of[j] = i
        keys = []
        for token in doc:
            k = set()
            key = self._key(token)
            if key:
                k.add(key)
            if token.ent_id_ and token.ent_id_ not in self.language.generic:
                k.add(token.ent_id_)
            keys.append(frozenset(k))
        figures = [replace(f, text=doc[f.start:f.end].text) for f in self.language.find_figures([t.text for t in doc])]
        # number words inside a name ("Two Plus Four Treaty") are not figures
        named = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        figures = [f for f in figures if f.kind != "count" or not named.issuperset(range(f.start, f.end))]
        term_hits: Dict[str, Set[int]] = {}
        token_hits: Dict[str, Set[int]] = {}
        for match_id, start, end in self.matcher(doc):
            name = self.nlp.vocab.strings[match_id]
            term_hits.setdefault(name, set()).add(sent_of[start])
            token_hits.setdefault(name, set()).update(range(start, end))
        quoted = set()
        in_quote = 0
        for i, token in enumerate(doc):
            if token.text in QUOTES:
                in_quote = 1 - in_quote
            elif in_quote:
                quoted.add(i)
        bracketed = _enclosed(doc, "(", ")")
        cited: Set[int] = _enclosed(doc, "[", "]")
        for start, end in sents:
            words = [t for t in doc[start:end] if not t.is_punct and not t.is_space]
            if any(t.like_url for t in doc[start:end]) or (words and words[0].lower_ in self.language.citation_starts):
                cited.update(range(start, end))
        return Analysis(doc, sent_of, sents, keys, figures, term_hits, token_hits, quoted, bracketed, cited)

    def term_sentences(self, a: Analysis, term: Term) -> Set[int]:
        found = set(a.term_hits.get(term.text, ()))
        for alt in term.alternatives:
            if alt.figure is not None:
                found.update(a.sent_of[f.start] for f in a.figures if same_figure(alt.figure, f))
        return found

    def cue_sentences(self, a: Analysis, cue: Cue) -> Set[int]:
        result: Optional[Set[int]] = None
        for term in cue.terms:
            hits = self.term_sentences(a, term)
            result = hits if result is None else result & hits
            if not result:
                return set()
        return result or set()

    def cues_sentences(self, a: Analysis, cues: Iterable[Cue]) -> Set[int]:
        out: Set[int] = set()
        for cue in cues:
            out |= self.cue_sentences(a, cue)
        return out
