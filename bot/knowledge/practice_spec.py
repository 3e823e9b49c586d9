"""The `practice:` block of a myth (practice mode for trainers): its parsing and validation.

No I/O, no spaCy, no Rasa. The practice dialogue, scoring and wording are in bot/practice/.

The `practice:` block of data/knowledge/myths/<id>.yml::

    practice:
      voices: [...]          # 3+ ways the myth really circulates, in the spreader's voice
      names: [...]           # cues that name the myth in a request ("train me on encirclement")
      myth_cues: [...]       # cues that show an answer restates the myth
      key_points:            # what a strong rebuttal contains
        - id: small_border_share
          label: "..."       # the point in our own words; figures only from its facts
          facts: [border_share_11]
          cues: ["11%", "border small|fraction"]
      counter:               # the usual push-back, and the key points that answer it
        text: "..."
        answered_by: [finland_included]
        qualification: doubling   # optional: the myth's qualification the push-back raises;
                                  # the model reply grants it, with its source, first

Cue grammar. A cue is a list of terms separated by spaces; it matches when every term
occurs in one sentence, in any order. A term is one or more alternatives separated by
"|". An alternative is
  - a word, matched by its lemma or its lower-case form ("invaded" finds "invade");
  - a word prefix ending in "*" ("encircl*");
  - a phrase, words joined by "_", matched in sequence, hyphens allowed between
    ("no_fly_zone", "self_defence");
  - a figure or date, matched by value ("11%", "eleven", "april_2023", "article_5",
    "resolution_1973"). Figures in cues and labels must be `numbers` of the key point's
    facts, so that practice never invents a figure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from bot.knowledge.figures import Figure, find_figures, parse_figure, same_figure, simple_tokens

STAGES = ("answer", "counter")
MIN_VOICES = 3
PRACTICE_FIELDS = ("voices", "names", "myth_cues", "key_points", "counter")
KEY_POINT_FIELDS = ("id", "label", "facts", "cues")
COUNTER_FIELDS = ("text", "answered_by", "qualification")
_WORD = re.compile(r"^[^\W_][\w'.\-]*\*?$")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


# --------------------------------------------------------------------------- cues


@dataclass(frozen=True)
class Alternative:
    words: Tuple[str, ...] = ()
    prefix: bool = False          # the last word is a prefix (written with a trailing *)
    figure: Optional[Figure] = None

    @property
    def text(self) -> str:
        if self.figure is not None:
            return self.figure.text
        return "_".join(self.words) + ("*" if self.prefix else "")


@dataclass(frozen=True)
class Term:
    alternatives: Tuple[Alternative, ...]

    @property
    def text(self) -> str:
        return "|".join(a.text for a in self.alternatives)


@dataclass(frozen=True)
class Cue:
    text: str
    terms: Tuple[Term, ...]

    def figures(self) -> List[Figure]:
        return [a.figure for t in self.terms for a in t.alternatives if a.figure is not None]


def parse_alternative(text: str) -> Alternative:
    raw = text.strip().lower()
    if not raw:
        raise ValueError("empty alternative (look for '||' or a trailing '|')")
    figure = parse_figure(raw)
    if figure is not None:
        return Alternative(figure=figure)
    words = raw.split("_")
    for i, word in enumerate(words):
        if not _WORD.match(word) or ("*" in word and i != len(words) - 1):
            raise ValueError(f"'{text}' is not a word, prefix*, phrase_with_underscores or figure")
        if any(ch.isdigit() for ch in word) and not word.isalpha():
            if find_figures(simple_tokens(word)):
                raise ValueError(f"'{text}' looks like a figure the parser does not read")
    prefix = words[-1].endswith("*")
    words[-1] = words[-1].rstrip("*")
    return Alternative(tuple(words), prefix)


def parse_cue(text: str) -> Cue:
    """Parse one cue; raise ValueError saying what is wrong."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("a cue must be non-empty text")
    terms = tuple(Term(tuple(parse_alternative(a) for a in part.split("|"))) for part in text.split())
    return Cue(text, terms)


def _tokens_match(tokens: Sequence[str], alt: Alternative) -> bool:
    """Plain-text matching of a word, prefix or phrase (no lemmas): used for myth names."""
    n = len(alt.words)
    for i in range(len(tokens) - n + 1):
        ok = True
        for k, word in enumerate(alt.words):
            tok = tokens[i + k]
            last = k == n - 1
            if not (tok == word or (last and alt.prefix and tok.startswith(word))):
                ok = False
                break
        if ok:
            return True
    return False


def text_matches(cue: Cue, text: str) -> bool:
    """Does ``cue`` occur in ``text``? Lower-case words and prefixes only, no lemmas."""
    tokens = [t.lower() for t in simple_tokens(text) if t not in "-"]
    figures = find_figures(simple_tokens(text))
    for term in cue.terms:
        if not any(
            (a.figure is not None and any(same_figure(a.figure, f) for f in figures))
            or (a.figure is None and _tokens_match(tokens, a))
            for a in term.alternatives
        ):
            return False
    return True


# --------------------------------------------------------------------------- the block


@dataclass(frozen=True)
class KeyPoint:
    id: str
    label: str
    facts: Tuple[str, ...]
    cues: Tuple[Cue, ...]


@dataclass(frozen=True)
class PushBack:
    text: str
    answered_by: Tuple[str, ...]
    qualification: str = ""


@dataclass(frozen=True)
class PracticeSpec:
    myth: str
    voices: Tuple[str, ...]
    names: Tuple[Cue, ...]
    myth_cues: Tuple[Cue, ...]
    key_points: Tuple[KeyPoint, ...]
    counter: PushBack

    def key_point(self, point_id: str) -> KeyPoint:
        return next(k for k in self.key_points if k.id == point_id)

    def points_for(self, stage: str) -> Tuple[KeyPoint, ...]:
        """The key points a reply at ``stage`` should make."""
        if stage == "counter":
            return tuple(self.key_point(i) for i in self.counter.answered_by)
        return self.key_points

    def facts(self) -> Tuple[str, ...]:
        return tuple(dict.fromkeys(f for k in self.key_points for f in k.facts))


class _Problems:
    def __init__(self, where: str, myth_id: str) -> None:
        self.where, self.myth_id, self.items = where, myth_id, []

    def add(self, entry: str, fld: str, what: str) -> None:
        self.items.append(f"{self.where}: entry '{entry}': field '{fld}': {what}")


def text_list(p: Any, entry: str, raw: Mapping, fld: str, minimum: int = 1, unique: bool = True) -> Tuple[str, ...]:
    """The list of texts ``raw[fld]``; what is wrong goes to ``p.add(entry, fld, what)``."""
    value = raw.get(fld)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        p.add(entry, fld, "must be a list of non-empty texts")
        return ()
    if len(value) < minimum:
        p.add(entry, fld, f"needs at least {minimum} items, has {len(value)}")
    if unique and len(set(value)) != len(value):
        p.add(entry, fld, "has the same item twice")
    return tuple(value)


def cue_list(p: Any, entry: str, raw: Mapping, fld: str, unique: bool = True) -> Tuple[Cue, ...]:
    """The cues ``raw[fld]``, parsed; what is wrong goes to ``p.add(entry, fld, what)``."""
    out = []
    for text in text_list(p, entry, raw, fld, unique=unique):
        try:
            out.append(parse_cue(text))
        except ValueError as exc:
            p.add(entry, fld, f"cue '{text}': {exc}")
    return tuple(out)


def read_practice(where: str, myth_id: str, raw: Any) -> Tuple[Optional[PracticeSpec], List[str]]:
    """Parse a `practice:` block; return (spec or None, problems naming file, entry, field)."""
    p = _Problems(where, myth_id)
    entry = f"{myth_id}.practice"
    if not isinstance(raw, dict) or not raw:
        p.add(myth_id, "practice", "must be a non-empty mapping")
        return None, p.items
    for key in set(raw) - set(PRACTICE_FIELDS):
        p.add(entry, key, "is not a known field (typo?)")
    for key in PRACTICE_FIELDS:
        if key not in raw:
            p.add(entry, key, "is missing")
    voices = text_list(p, entry, raw, "voices", MIN_VOICES) if "voices" in raw else ()
    names = cue_list(p, entry, raw, "names") if "names" in raw else ()
    myth_cues = cue_list(p, entry, raw, "myth_cues") if "myth_cues" in raw else ()
    points: List[KeyPoint] = []
    raw_points = raw.get("key_points")
    if "key_points" in raw and (not isinstance(raw_points, list) or not raw_points):
        p.add(entry, "key_points", "must be a non-empty list")
        raw_points = []
    seen = set()
    for i, kp in enumerate(raw_points or []):
        if not isinstance(kp, dict):
            p.add(f"{entry}.key_points#{i + 1}", "-", "must be a mapping")
            continue
        kid = kp.get("id")
        if not isinstance(kid, str) or not _ID.match(kid):
            p.add(f"{entry}.key_points#{i + 1}", "id", "must be a lower_snake_case id")
            continue
        kentry = f"{entry}.key_points.{kid}"
        if kid in seen:
            p.add(kentry, "id", "is not unique")
        seen.add(kid)
        for key in set(kp) - set(KEY_POINT_FIELDS):
            p.add(kentry, key, "is not a known field (typo?)")
        label = kp.get("label")
        if not isinstance(label, str) or not label.strip():
            p.add(kentry, "label", "must be non-empty text")
            label = ""
        facts = kp.get("facts")
        if not isinstance(facts, list) or not facts or not all(isinstance(f, str) for f in facts):
            p.add(kentry, "facts", "must be a non-empty list of fact ids")
            facts = []
        points.append(KeyPoint(kid, label, tuple(facts), cue_list(p, kentry, kp, "cues")))
    counter = PushBack("", ())
    raw_counter = raw.get("counter")
    if "counter" in raw:
        if not isinstance(raw_counter, dict):
            p.add(f"{entry}.counter", "-", "must be a mapping with 'text' and 'answered_by'")
        else:
            for key in set(raw_counter) - set(COUNTER_FIELDS):
                p.add(f"{entry}.counter", key, "is not a known field (typo?)")
            text = raw_counter.get("text")
            if not isinstance(text, str) or not text.strip():
                p.add(f"{entry}.counter", "text", "must be non-empty text")
                text = ""
            answered = raw_counter.get("answered_by")
            if not isinstance(answered, list) or not answered or not all(isinstance(a, str) for a in answered):
                p.add(f"{entry}.counter", "answered_by", "must be a non-empty list of key point ids")
                answered = []
            for kid in answered:
                if kid not in seen:
                    p.add(f"{entry}.counter", "answered_by", f"'{kid}' is not a key point id of this myth")
            counter = PushBack(text, tuple(answered), str(raw_counter.get("qualification") or ""))
    if p.items:
        return None, p.items
    return PracticeSpec(myth_id, voices, names, myth_cues, tuple(points), counter), []


def _parsed_numbers(fact) -> List[Figure]:
    out = []
    for number in fact.numbers:
        figure = parse_figure(number)
        if figure is not None:
            out.append(figure)
    return out


def _figure_known(figure: Figure, allowed: Iterable[Figure]) -> bool:
    # a fact's number "1973" or "1244" reads as a year or a count on its own; in a cue or
    # a label it may be a resolution
    return any(
        same_figure(figure, a, exact=figure.group != "time")  # "2022" agrees with "24 March 2022"
        or (figure.kind == "resolution" and a.kind in ("year", "count") and figure.value == a.value)
        for a in allowed
    )


def _english_figures(text: str) -> List[Figure]:
    return find_figures(simple_tokens(text))


def practice_problems(where: str, myth: Any, kb: Any,
                      read: Callable[[str], List[Figure]] = _english_figures) -> List[str]:
    """Every problem of ``myth.practice`` against the knowledge base ``kb``; ``read`` finds
    the figures of a label, voice or push-back in the block's language.

    Called by bot.knowledge's loader for each myth that has a practice block, and for
    each language's practice texts (bot.knowledge.practice_i18n)."""
    if not myth.practice:
        return []
    spec, problems = read_practice(where, myth.id, myth.practice)
    if spec is None:
        return problems
    p = _Problems(where, myth.id)
    granted = spec.counter.qualification
    if granted and granted not in {q.id for q in getattr(myth, "qualifications", ())}:
        p.add(f"{myth.id}.practice.counter", "qualification", f"'{granted}' is not a qualification id of this myth")
    every_number = [f for fact in kb.facts.values() for f in _parsed_numbers(fact)]
    for kp in spec.key_points:
        kentry = f"{myth.id}.practice.key_points.{kp.id}"
        known = []
        for fid in kp.facts:
            if fid not in kb.facts:
                p.add(kentry, "facts", f"unknown fact '{fid}'")
                continue
            known.extend(_parsed_numbers(kb.facts[fid]))
            for number in kb.facts[fid].numbers:
                if parse_figure(number) is None:
                    p.add(kentry, "facts", f"number '{number}' of fact '{fid}' is not a figure the scorer can read")
        for cue in kp.cues:
            for figure in cue.figures():
                if not _figure_known(figure, known):
                    p.add(kentry, "cues", f"cue '{cue.text}': figure '{figure.text}' is not among the `numbers` of {list(kp.facts)}")
        for figure in read(kp.label):
            if not _figure_known(figure, known):
                p.add(kentry, "label", f"figure '{figure.text}' is not among the `numbers` of {list(kp.facts)}")
    entry = f"{myth.id}.practice"
    for fld, cues in (("names", spec.names), ("myth_cues", spec.myth_cues)):
        for cue in cues:
            if cue.figures():
                p.add(entry, fld, f"cue '{cue.text}' must not contain figures")
    for fld, texts in (("voices", spec.voices), ("counter.text", (spec.counter.text,))):
        for text in texts:
            for figure in read(text):
                if not _figure_known(figure, every_number):
                    p.add(entry, fld, f"figure '{figure.text}' is not a `number` of any fact in facts.yml")
            if text.strip().lower().rstrip(".") == str(myth.claim).strip().lower().rstrip("."):
                p.add(entry, fld, "repeats the catalogue title; write how the myth really circulates")
    return p.items


_SPECS: Dict[int, Tuple[Any, PracticeSpec]] = {}


def practice_spec(myth: Any) -> Optional[PracticeSpec]:
    """The parsed practice block of ``myth`` (validated when the knowledge was loaded)."""
    if not myth.practice:
        return None
    cached = _SPECS.get(id(myth))
    if cached is not None and cached[0] is myth:
        return cached[1]
    spec, problems = read_practice(f"myths/{myth.id}.yml", myth.id, myth.practice)
    if spec is None:
        raise ValueError("; ".join(problems))
    _SPECS[id(myth)] = (myth, spec)
    return spec
