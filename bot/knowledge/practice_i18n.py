"""Practice mode in each language: data/knowledge/i18n/practice/<lang>.yml.

Each file holds what the scorer needs to read an answer in its language (``scoring``: the
cues that say why a myth misleads and that name a source, citation words, negations,
clause breaks, words too common to say which fact a figure belongs to; ``figures``: how the
language writes percentages, thousands, months, number words), the cues that ask for the
same myth again (``repeat_words``), and, for every language but English, each myth's
practice texts (``myths``: voices, names, myth cues, each key point's label and cues, the
push-back). Key point ids, their facts, which points answer the push-back and the
qualification it raises come from the English block of data/knowledge/myths/<id>.yml, so a
key point's facts are the same in every language.

Every problem is reported as ``<file> (<lang>): entry '<entry>': field '<field>': <what>``.
Pure: no Rasa, no spaCy; reads the file only when asked.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Mapping, Optional, Sequence, Tuple

import yaml

from bot.knowledge.figure_words import FigureWords, figure_reader
from bot.knowledge.figures import Figure, simple_tokens
from bot.knowledge.model import Knowledge, KnowledgeError
from bot.knowledge.practice_spec import Cue, cue_list, practice_problems, text_list

FILE_FIELDS = ("language", "scoring", "figures", "repeat_words", "myths")
CUE_FIELDS = ("explain_cues", "source_cues", "source_words")
WORD_FIELDS = ("citation_starts", "generic", "negations", "clause_breaks", "list_joiners")
SCORING_FIELDS = CUE_FIELDS + WORD_FIELDS + ("synonyms",)
FIGURE_FIELDS = ("percent", "article", "resolution", "scale", "numbers", "counters", "fractions", "months", "format")
FORMAT_FIELDS = ("thousands", "decimal", "percent", "article", "resolution")
MYTH_FIELDS = ("voices", "names", "myth_cues", "key_points", "counter")
KEY_POINT_FIELDS = ("label", "cues")


@dataclass(frozen=True)
class PracticeLanguage:
    """What the practice scorer and dialogue need to read one language."""

    code: str
    explain_cues: Tuple[Cue, ...]
    source_cues: Tuple[Cue, ...]
    source_words: Tuple[Cue, ...]
    citation_starts: FrozenSet[str]
    generic: FrozenSet[str]
    negations: FrozenSet[str]
    clause_breaks: FrozenSet[str]
    list_joiners: FrozenSet[str]
    synonyms: Mapping[str, str]
    repeat_words: Tuple[Cue, ...]
    figures: Optional[FigureWords] = None      # None: English, read by bot.knowledge.figures

    def find_figures(self, tokens: Sequence[str]) -> List[Figure]:
        return figure_reader(self.figures)(tokens)

    def figures_in(self, text: str) -> List[Figure]:
        tokens = self.figures.tokens(text) if self.figures is not None else simple_tokens(text)
        return self.find_figures(tokens)

    def write_figure(self, raw: str) -> str:
        """A figure of the knowledge base as this language writes it."""
        return self.figures.write(raw) if self.figures is not None else raw


class _Problems:
    def __init__(self, where: str, code: str) -> None:
        self.where, self.code, self.items = where, code, []

    def add(self, entry: str, fld: str, what: str) -> None:
        self.items.append(f"{self.where} ({self.code}): entry '{entry}': field '{fld}': {what}")

    def mapping(self, entry: str, raw: Any, fld: str) -> Mapping:
        value = raw.get(fld) if isinstance(raw, Mapping) else None
        if not isinstance(value, Mapping) or not value:
            self.add(entry, fld, "must be a non-empty mapping")
            return {}
        return value

    def texts(self, entry: str, raw: Mapping, fld: str) -> Tuple[str, ...]:
        return text_list(self, entry, raw, fld, unique=False)

    def cues(self, entry: str, raw: Mapping, fld: str) -> Tuple[Cue, ...]:
        return cue_list(self, entry, raw, fld, unique=False)

    def unknown(self, entry: str, raw: Mapping, allowed: Sequence[str]) -> None:
        for key in raw:
            if key not in allowed:
                self.add(entry, str(key), f"unknown field; expected one of {list(allowed)}")


def _numbers(p: _Problems, entry: str, raw: Mapping, fld: str) -> Dict[str, float]:
    value = raw.get(fld) or {}
    if not isinstance(value, Mapping):
        p.add(entry, fld, "must map words to numbers")
        return {}
    out = {}
    for word, number in value.items():
        if not isinstance(number, (int, float)) or isinstance(number, bool):
            p.add(entry, f"{fld}.{word}", "must be a number")
        else:
            out[str(word).lower()] = float(number)
    return out


def _figure_words(p: _Problems, raw: Any, language: Any) -> FigureWords:
    entry = "figures"
    raw = raw if isinstance(raw, Mapping) else {}
    if not raw:
        p.add("-", entry, "must be a mapping: how this language writes figures")
    p.unknown(entry, raw, FIGURE_FIELDS)
    months_raw = raw.get("months")
    months: List[Tuple[str, ...]] = []
    if not isinstance(months_raw, list) or len(months_raw) != 12:
        p.add(entry, "months", "must list the 12 months, January first, each as a list of forms or prefixes*")
    else:
        for i, forms in enumerate(months_raw):
            if not isinstance(forms, list) or not forms or not all(isinstance(f, str) and f.strip() for f in forms):
                p.add(entry, f"months#{i + 1}", "must be a non-empty list of forms or prefixes*")
                forms = []
            months.append(tuple(str(f).lower() for f in forms))
    fmt = raw.get("format") if isinstance(raw.get("format"), Mapping) else {}
    p.unknown(f"{entry}.format", fmt, FORMAT_FIELDS)
    for fld in FORMAT_FIELDS:
        if not isinstance(fmt.get(fld), str):
            p.add(f"{entry}.format", fld, "must be text")
    for fld in ("percent", "article", "resolution"):
        if isinstance(fmt.get(fld), str) and "{value}" not in fmt[fld]:
            p.add(f"{entry}.format", fld, "must contain {value}")
    words = {fld: tuple(str(w).lower() for w in p.texts(entry, raw, fld)) for fld in ("percent", "article", "resolution")}
    return FigureWords(
        words["percent"], words["article"], words["resolution"], _numbers(p, entry, raw, "scale"),
        _numbers(p, entry, raw, "numbers"), _numbers(p, entry, raw, "fractions"), tuple(months),
        str(fmt.get("thousands", " ")), str(fmt.get("decimal", ",")), str(fmt.get("percent", "{value} %")),
        str(fmt.get("article", "article {value}")), str(fmt.get("resolution", "resolution {value}")),
        _numbers(p, entry, raw, "counters"), language,
    )


def _scoring(p: _Problems, raw: Any) -> Dict[str, Any]:
    raw = raw if isinstance(raw, Mapping) else {}
    if not raw:
        p.add("-", "scoring", "must be a mapping of the scorer's words for this language")
    p.unknown("scoring", raw, SCORING_FIELDS)
    out: Dict[str, Any] = {fld: p.cues("scoring", raw, fld) for fld in CUE_FIELDS}
    for fld in WORD_FIELDS:
        out[fld] = frozenset(w.lower() for w in p.texts("scoring", raw, fld))
    synonyms = raw.get("synonyms") or {}
    if not isinstance(synonyms, Mapping):
        p.add("scoring", "synonyms", "must map a lemma to the lemma it counts as")
        synonyms = {}
    out["synonyms"] = {str(k).lower(): str(v).lower() for k, v in synonyms.items()}
    return out


def _myth_practice(p: _Problems, mid: str, raw: Any, english: Mapping) -> Optional[Dict[str, Any]]:
    """The myth's practice block in the English shape, with this language's texts."""
    if not isinstance(raw, Mapping) or not raw:
        p.add(mid, "myths", "missing: every myth with a practice block needs one in every language")
        return None
    p.unknown(mid, raw, MYTH_FIELDS)
    points_raw = p.mapping(mid, raw, "key_points")
    english_points = english.get("key_points") or []
    english_ids = [kp.get("id") for kp in english_points]
    for kid in points_raw:
        if kid not in english_ids:
            p.add(f"{mid}.key_points", str(kid), f"not a key point of the English block; expected {english_ids}")
    points = []
    for kp in english_points:
        local = points_raw.get(kp.get("id"))
        if not isinstance(local, Mapping):
            if points_raw:
                p.add(f"{mid}.key_points", str(kp.get("id")), "missing")
            continue
        p.unknown(f"{mid}.key_points.{kp.get('id')}", local, KEY_POINT_FIELDS)
        points.append({"id": kp.get("id"), "label": local.get("label"), "facts": kp.get("facts"),
                       "cues": local.get("cues")})
    counter = dict(english.get("counter") or {})
    counter["text"] = raw.get("counter")
    return {"voices": raw.get("voices"), "names": raw.get("names"), "myth_cues": raw.get("myth_cues"),
            "key_points": points, "counter": counter}


def practice_path(knowledge_dir: Path, code: str) -> Path:
    return Path(knowledge_dir) / "i18n" / "practice" / f"{code}.yml"


def load_practice_language(knowledge_dir: Path, code: str, kb: Knowledge,
                           language: Any = None) -> Tuple[PracticeLanguage, Dict[str, Dict[str, Any]]]:
    """Read and check one language's practice file against the English practice blocks of
    ``kb``. Returns the language and, unless it is English, each myth's practice block in
    the language. Raises KnowledgeError naming file, entry, field and language."""
    path = practice_path(knowledge_dir, code)
    p = _Problems(str(path), code)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    except yaml.YAMLError as exc:
        raise KnowledgeError([f"{path} ({code}): not valid YAML: {exc}"]) from exc
    if not isinstance(doc, Mapping):
        raise KnowledgeError([f"{path} ({code}): missing or empty: practice mode needs it"])
    p.unknown("-", doc, FILE_FIELDS)
    if doc.get("language") != code:
        p.add("-", "language", f"must be '{code}', as the file name")
    scoring = _scoring(p, doc.get("scoring"))
    repeat = p.cues("-", doc, "repeat_words")
    is_english = code == "en"
    figures = None if is_english and "figures" not in doc else _figure_words(p, doc.get("figures"), language)
    lang = PracticeLanguage(code, scoring["explain_cues"], scoring["source_cues"], scoring["source_words"],
                            scoring["citation_starts"], scoring["generic"], scoring["negations"],
                            scoring["clause_breaks"], scoring["list_joiners"], scoring["synonyms"], repeat, figures)
    blocks: Dict[str, Dict[str, Any]] = {}
    myths_raw = doc.get("myths") or {}
    if is_english:
        if myths_raw:
            p.add("-", "myths", "English practice texts live in data/knowledge/myths/<id>.yml")
    elif not isinstance(myths_raw, Mapping):
        p.add("-", "myths", "must map myth ids to their practice texts")
    else:
        for mid in myths_raw:
            if mid not in kb.myths or not kb.myths[mid].practice:
                p.add(str(mid), "myths", "no myth with a practice block has this id")
        for mid, myth in kb.myths.items():
            if not myth.practice:
                continue
            block = _myth_practice(p, mid, myths_raw.get(mid), myth.practice)
            if block is None:
                continue
            local = replace(myth, practice=block)
            for problem in practice_problems(f"{path} ({code})", local, kb, lang.figures_in):
                p.items.append(problem)
            blocks[mid] = block
    if p.items:
        raise KnowledgeError(p.items)
    return lang, blocks


def localize_practice(kb: Knowledge, blocks: Mapping[str, Mapping[str, Any]]) -> Knowledge:
    """``kb`` with each myth's practice block in the language of ``blocks``."""
    if not blocks:
        return kb
    myths = {mid: replace(m, practice=dict(blocks[mid])) if mid in blocks else m for mid, m in kb.myths.items()}
    return replace(kb, myths=myths)
