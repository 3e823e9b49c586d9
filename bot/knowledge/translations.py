"""The bot's languages: translations beside the English, their validation, and the
knowledge base and templates in each language.

English lives in the main files (data/knowledge/*.yml, responses/templates.yml). Every
other language has two files: ``data/knowledge/i18n/<lang>.yml`` (facts, myths, questions,
what changed, entity names a user may type, questions per fact, month names, how dates are
written, phrases that switch to the language) and ``responses/i18n/<lang>.yml`` (message
templates and the chat widget's strings), plus one variant of each fixed reply in
responses/utterances.yml (a Rasa response variation on the `language` slot).
``data/knowledge/i18n/en.yml`` holds English's own name, dates and switch phrases, and
responses/widget.yml the widget's English strings. Adding a language means adding data.

Every problem is reported as ``<file>: <entry>: <field> (<lang>): <what is wrong>``.
Pure: no Rasa, no I/O beyond reading those files when asked.
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Set, Tuple

import yaml

from bot.knowledge.figures import find_figures, parse_figure, simple_tokens
from bot.knowledge.model import Entity, Knowledge, KnowledgeError, Passage
from bot.knowledge.templates import Templates

DEFAULT_LANGUAGE = "en"
KNOWLEDGE_FIELDS = ("language", "name", "months", "months_of", "dates", "scales", "switch_phrases", "facts", "myths",
                    "questions", "changes", "entities", "fact_questions", "sources", "signals")
SOURCE_TEXT_FIELDS = ("weighing", "date_note")
RESPONSE_FIELDS = ("templates", "widget")
MYTH_TEXT_FIELDS = ("claim", "lead", "fallacy", "closing", "changes")
DATE_FORMATS = ("day_month_year", "month_year", "year")


@dataclass(frozen=True)
class Language:
    """One language the bot speaks: how it is called, written and switched to."""

    code: str
    name: str
    months: Tuple[str, ...]          # standalone month names, January first
    months_of: Tuple[str, ...]       # month names after a day ("22 апреля")
    dates: Mapping[str, str]         # day_month_year, month_year, year: with {day} {month} {year}
    switch_phrases: Tuple[str, ...]  # "по-русски", "auf Deutsch", ...
    scales: Mapping[str, float] = field(default_factory=dict)  # "миллиард" -> 1e9, for figure checks

    def format_date(self, text: str) -> str:
        """An English date of the knowledge base ("22 April 2022", "July 2024", "2022") as
        this language writes it; text that is not a date stays as it is."""
        figure = parse_figure(text)
        if figure is None or figure.year is None or figure.kind not in ("date", "year"):
            return text
        if figure.day and figure.month:
            return self.dates["day_month_year"].format(day=figure.day, month=self.months_of[figure.month - 1],
                                                       year=figure.year)
        if figure.month:
            return self.dates["month_year"].format(month=self.months[figure.month - 1], year=figure.year)
        return self.dates["year"].format(year=figure.year)


@dataclass(frozen=True)
class Translation:
    """A language's texts, keyed as the English ones."""

    language: Language
    facts: Mapping[str, str]
    myths: Mapping[str, Mapping[str, Any]]     # text fields, `qualifications` {id: text}, `second_voice_gap`
    questions: Mapping[str, str]
    changes: Tuple[str, ...]
    entities: Mapping[str, Tuple[str, ...]]
    fact_questions: Mapping[str, Tuple[str, ...]]
    sources: Mapping[str, Mapping[str, str]]   # weighing, date_note
    templates: Mapping[str, str]
    widget: Mapping[str, str]
    signals: Mapping[str, Any] = field(default_factory=dict)  # checked by bot.answers.data


class _Problems:
    def __init__(self, lang: str) -> None:
        self.lang, self.items = lang, []  # type: str, List[str]

    def add(self, where: str, entry: str, fld: str, problem: str) -> None:
        self.items.append(f"{where}: {entry}: {fld} ({self.lang}): {problem}")

    def mapping(self, where: str, doc: Mapping, fld: str) -> Mapping:
        value = doc.get(fld)
        if not isinstance(value, dict):
            self.add(where, "-", fld, "must be a mapping")
            return {}
        return value

    def texts(self, where: str, entry: str, fld: str, value: Any, minimum: int = 1) -> Tuple[str, ...]:
        if not isinstance(value, list) or len(value) < minimum or not all(isinstance(v, str) and v.strip()
                                                                          for v in value):
            self.add(where, entry, fld, f"must be a list of at least {minimum} non-empty texts")
            return ()
        return tuple(value)

    def text(self, where: str, entry: str, fld: str, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            self.add(where, entry, fld, "must be a non-empty text")
            return ""
        return value


def _read(path: Path, problems: _Problems) -> Mapping:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        problems.add(str(path), "-", "-", f"cannot read the file ({exc})")
        return {}
    if not isinstance(doc, dict):
        problems.add(str(path), "-", "-", "must be a mapping")
        return {}
    return doc


def _language(p: _Problems, where: str, doc: Mapping, code: str) -> Language:
    if doc.get("language") != code:
        p.add(where, "-", "language", f"must be '{code}', the file's name")
    months = p.texts(where, "-", "months", doc.get("months"), 12)
    months_of = p.texts(where, "-", "months_of", doc.get("months_of"), 12)
    dates = p.mapping(where, doc, "dates")
    for key in DATE_FORMATS:
        if not isinstance(dates.get(key), str):
            p.add(where, "dates", key, "must be a text with {day} {month} {year} as needed")
    scales: Dict[str, float] = {}
    raw_scales = doc.get("scales") or {}
    if not isinstance(raw_scales, dict):
        p.add(where, "-", "scales", "must map a number to the words that multiply by it")
        raw_scales = {}
    for value, names in raw_scales.items():
        for name in p.texts(where, str(value), "scales", names):
            scales[name.lower()] = float(value)
    return Language(code, p.text(where, "-", "name", doc.get("name")), months[:12] or ("",) * 12,
                    months_of[:12] or ("",) * 12, {k: str(dates.get(k, "{year}")) for k in DATE_FORMATS},
                    p.texts(where, "-", "switch_phrases", doc.get("switch_phrases")), scales)


def _placeholders(text: str) -> List[str]:
    try:
        return sorted(f for _, f, _, _ in string.Formatter().parse(text) if f)
    except ValueError:
        return ["<unbalanced braces>"]


def load_language(knowledge_dir: Path, responses_dir: Path, code: str) -> Language:
    """Only the language's name, dates and switch phrases (used for English)."""
    p = _Problems(code)
    path = Path(knowledge_dir) / "i18n" / f"{code}.yml"
    language = _language(p, str(path), _read(path, p), code)
    if p.items:
        raise KnowledgeError(p.items)
    return language


def language_condition(variant: Mapping) -> Optional[str]:
    """The language a response variation of utterances.yml is for, if it has one."""
    for condition in variant.get("condition") or []:
        if condition.get("type") == "slot" and condition.get("name") == "language":
            return str(condition.get("value"))
    return None


def load_translation(knowledge_dir: Path, responses_dir: Path, code: str, kb: Knowledge,
                     templates: Templates, utterances: Mapping[str, Sequence[Mapping]],
                     widget_strings: Mapping[str, str]) -> Translation:
    """Read and check one language against the English: every fact, myth text, question,
    change, entity, template, fixed reply, button and widget string is there, and
    templates keep their placeholders. Raises KnowledgeError naming file, entry, field
    and language."""
    p = _Problems(code)
    kpath, rpath = Path(knowledge_dir) / "i18n" / f"{code}.yml", Path(responses_dir) / "i18n" / f"{code}.yml"
    kw, rw = str(kpath), str(rpath)
    kdoc, rdoc = _read(kpath, p), _read(rpath, p)
    for fld in kdoc:
        if fld not in KNOWLEDGE_FIELDS:
            p.add(kw, "-", str(fld), f"unknown field; expected one of {list(KNOWLEDGE_FIELDS)}")
    for fld in rdoc:
        if fld not in RESPONSE_FIELDS:
            p.add(rw, "-", str(fld), f"unknown field; expected one of {list(RESPONSE_FIELDS)}")
    language = _language(p, kw, kdoc, code)

    facts_raw = p.mapping(kw, kdoc, "facts")
    facts = {fid: p.text(kw, fid, "facts", facts_raw.get(fid)) for fid in kb.facts}
    for fid in set(facts_raw) - set(kb.facts):
        p.add(kw, str(fid), "facts", "no fact with this id in facts.yml")

    myths_raw = p.mapping(kw, kdoc, "myths")
    myths: Dict[str, Dict[str, str]] = {}
    for mid, myth in kb.myths.items():
        raw = myths_raw.get(mid) if isinstance(myths_raw.get(mid), dict) else {}
        if mid not in myths_raw:
            p.add(kw, mid, "myths", "missing")
        needed = [f for f in MYTH_TEXT_FIELDS if f != "changes" or myth.changes]
        myths[mid] = {f: p.text(kw, mid, f"myths.{f}", raw.get(f)) for f in needed} if raw else {}
        if raw and myth.second_voice_gap:
            myths[mid]["second_voice_gap"] = p.text(kw, mid, "myths.second_voice_gap", raw.get("second_voice_gap"))
        quals = raw.get("qualifications") if isinstance(raw.get("qualifications"), dict) else {}
        if raw and myth.qualifications:
            myths[mid]["qualifications"] = {q.id: p.text(kw, mid, f"myths.qualifications.{q.id}", quals.get(q.id))
                                            for q in myth.qualifications}
    for mid in set(myths_raw) - set(kb.myths):
        p.add(kw, str(mid), "myths", "no myth with this id")

    questions_raw = p.mapping(kw, kdoc, "questions")
    questions = {qid: p.text(kw, qid, "questions", questions_raw.get(qid)) for qid in kb.questions}

    changes = p.texts(kw, "-", "changes", kdoc.get("changes"), len(kb.changes))
    if changes and len(changes) != len(kb.changes):
        p.add(kw, "-", "changes", f"must have {len(kb.changes)} passages, as changes.yml")

    entities_raw = p.mapping(kw, kdoc, "entities")
    entities = {eid: p.texts(kw, eid, "entities", entities_raw.get(eid)) for eid in kb.entities}

    sources_raw = p.mapping(kw, kdoc, "sources")
    sources: Dict[str, Dict[str, str]] = {}
    for sid in kb.sources:
        raw = sources_raw.get(sid) if isinstance(sources_raw.get(sid), dict) else {}
        sources[sid] = {f: p.text(kw, sid, f"sources.{f}", raw.get(f)) for f in SOURCE_TEXT_FIELDS}
    for sid in set(sources_raw) - set(kb.sources):
        p.add(kw, str(sid), "sources", "no source with this id in sources.yml")

    fq_raw = p.mapping(kw, kdoc, "fact_questions")
    fact_questions = {fid: p.texts(kw, fid, "fact_questions", fq_raw.get(fid)) for fid in kb.facts}

    templates_raw = p.mapping(rw, rdoc, "templates")
    out_templates: Dict[str, str] = {}
    for name, english in templates.texts.items():
        raw_text = templates_raw.get(name)
        blank_ok = not english.strip() and isinstance(raw_text, str)   # separators such as " "
        text = raw_text if blank_ok else p.text(rw, name, "templates", raw_text)
        if text and _placeholders(text) != _placeholders(english):
            p.add(rw, name, "templates", f"placeholders {_placeholders(text)} differ from the English "
                                         f"{_placeholders(english)}")
        out_templates[name] = text
    for name in set(templates_raw) - set(templates.texts):
        p.add(rw, str(name), "templates", "no template with this name in responses/templates.yml")

    upath = str(Path(responses_dir) / "utterances.yml")
    for name, variants in utterances.items():
        english = [v for v in variants if language_condition(v) is None][:1]
        own = [v for v in variants if language_condition(v) == code]
        if not own:
            p.add(upath, name, "condition", "no variation for this language")
        elif english and len(own[0].get("buttons") or []) != len(english[0].get("buttons") or []):
            p.add(upath, name, "buttons", "must have as many buttons as the English variation")
        elif not str(own[0].get("text") or "").strip():
            p.add(upath, name, "text", "must be a non-empty text")

    widget_raw = p.mapping(rw, rdoc, "widget")
    widget = {key: p.text(rw, key, "widget", widget_raw.get(key)) for key in widget_strings}
    for key in set(widget_raw) - set(widget_strings):
        p.add(rw, str(key), "widget", "no such string in responses/widget.yml")
    for key, english in widget_strings.items():
        if widget[key] and _placeholders(widget[key]) != _placeholders(english):
            p.add(rw, key, "widget", f"placeholders differ from the English {_placeholders(english)}")
    signals = kdoc.get("signals") if isinstance(kdoc.get("signals"), dict) else {}
    if not signals:
        p.add(kw, "-", "signals", "must hold `nato` and `myths`: the words that show a message is about them")
    if p.items:
        raise KnowledgeError(p.items)
    return Translation(language, facts, myths, questions, changes, entities, fact_questions, sources,
                       out_templates, widget, signals)


def localize(kb: Knowledge, tr: Translation) -> Knowledge:
    """The knowledge base in the translation's language: same ids, facts and structure,
    the language's texts and dates; entity names of both languages are recognised."""
    lang = tr.language

    def passage(p: Optional[Passage], text: Optional[str]) -> Optional[Passage]:
        return replace(p, text=text) if p is not None and text else p

    facts = {fid: replace(f, text=tr.facts[fid], as_of=lang.format_date(f.as_of)) for fid, f in kb.facts.items()}
    myths = {}
    for mid, m in kb.myths.items():
        t = tr.myths[mid]
        quals = tuple(replace(q, text=t.get("qualifications", {}).get(q.id) or q.text) for q in m.qualifications)
        myths[mid] = replace(m, claim=t["claim"], lead=passage(m.lead, t["lead"]), fallacy=passage(m.fallacy, t["fallacy"]),
                             closing=passage(m.closing, t["closing"]), changes=passage(m.changes, t.get("changes")),
                             qualifications=quals, second_voice_gap=t.get("second_voice_gap", m.second_voice_gap))
    questions = {qid: replace(q, title=tr.questions[qid]) for qid, q in kb.questions.items()}
    changes = tuple(replace(c, text=text) for c, text in zip(kb.changes, tr.changes))
    entities = {eid: Entity(e.id, e.label, e.aliases + tuple(a for a in tr.entities[eid] if a not in e.aliases))
                for eid, e in kb.entities.items()}
    sources = {sid: replace(s, date=lang.format_date(s.date), **tr.sources[sid]) for sid, s in kb.sources.items()}
    return replace(kb, facts=facts, myths=myths, questions=questions, changes=changes, entities=entities,
                   sources=sources)


_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+(?!\d)|\d+(?:[.,]\d+)?")
_WORD_AFTER = re.compile(r"\s*([^\W\d_]+)", re.UNICODE)


_UNITS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
          "ninth": 9}
_TEENS = {"tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
          "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
          "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_COMPOUND_ORDINAL = re.compile(r"\b(" + "|".join(_TENS) + r")-(" + "|".join(_UNITS) + r")\b", re.I)
_TEEN_ORDINAL = re.compile(r"\b(" + "|".join(_TEENS) + r")\b", re.I)
_DIGIT_ORDINAL = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b")
_FRACTION = re.compile(r"\b(two|three)-(thirds|quarters)\b", re.I)
_SMALL = {"two": 2, "three": 3, "thirds": 3, "quarters": 4}
_ONE_PART = re.compile(r"\b(?:a|an|one)\s+(" + "|".join(_TEENS) + r")\b", re.I)   # "a sixteenth": 1/16


def english_figures(text: str) -> Set[float]:
    """The values of the figures and dates in an English text (numbers, percentages,
    years, days of dates, articles, resolutions, ordinals such as "sixty-eighth" or "31st",
    fractions such as "two-thirds"), as a translation writes them in digits."""
    values: Set[float] = set()

    def ordinal(value: int) -> str:
        values.add(float(value))
        return " "

    text = _FRACTION.sub(lambda m: ordinal(_SMALL[m.group(1).lower()]) + ordinal(_SMALL[m.group(2).lower()]), text)
    text = _ONE_PART.sub(lambda m: ordinal(1) + ordinal(_TEENS[m.group(1).lower()]), text)
    text = _COMPOUND_ORDINAL.sub(lambda m: ordinal(_TENS[m.group(1).lower()] + _UNITS[m.group(2).lower()]), text)
    text = _TEEN_ORDINAL.sub(lambda m: ordinal(_TEENS[m.group(1).lower()]), text)
    for match in _DIGIT_ORDINAL.finditer(text):
        if not re.match(r"\s+(?:January|February|March|April|May|June|July|August|September|October|November|"
                        r"December)\b", text[match.end():]):
            values.add(float(match.group(1)))
    for f in find_figures(simple_tokens(text)):
        if f.kind == "date":
            values.update(float(v) for v in (f.year, f.day) if v)
        elif f.kind == "year":
            values.add(float(f.year))
        elif f.value is not None:
            values.add(float(f.value))
    return values


def translated_figures(text: str, language: Language) -> Set[float]:
    """The values of the figures in a translation, written in digits as the language
    writes them ("40 000", "40.000", "11 %", "1 миллиард")."""
    values: Set[float] = set()
    for match in re.finditer(r"(\d+)\s*/\s*(\d+)", text):   # "2/3", "1/16": a fraction in digits
        values.update((float(match.group(1)), float(match.group(2))))
    for match in _NUMBER.finditer(text):
        raw = match.group(0)
        if re.fullmatch(r"\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+", raw):
            value = float(re.sub(r"[ \u00a0\u202f.,]", "", raw))
        else:
            value = float(raw.replace(",", "."))
        word = _WORD_AFTER.match(text, match.end())
        scale = language.scales.get(word.group(1).lower()) if word else None
        values.add(value * scale if scale else value)
    return values
