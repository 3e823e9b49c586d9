"""Figures and dates in free text: "11 %", "eleven percent", "half of", "April 2023",
"24 March 2022", "40,000", "40 000", "one billion", "Article 5", "Resolution 1973".

Pure functions over a list of word tokens (spaCy's tokens, or ``simple_tokens`` for short
strings), so that one parser reads the knowledge base's ``numbers``, the practice cues and
a trainee's answer. No I/O, no imports beyond the standard library.

A figure has a kind: ``percent``, ``count``, ``year``, ``date`` (a month or a day in a
year), ``article`` (of a treaty) or ``resolution`` (of the UN Security Council). Years and
dates are compared with each other ("2023" agrees with "April 2023"); other kinds only
with their own kind.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import List, Optional, Sequence, Tuple

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
SUFFIX_SCALES = {"k": 1_000, "m": 1_000_000, "bn": 1_000_000_000}
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}
# fractions said in words; "a third of", "half of"
FRACTIONS = {"half": 50.0, "third": 100 / 3, "thirds": 100 / 3, "quarter": 25.0, "quarters": 25.0}
PERCENT_WORDS = {"%", "percent", "pct", "per-cent"}
ARTICLE_WORDS = {"article", "art"}
RESOLUTION_WORDS = {"resolution", "resolutions", "unscr", "unscrs", "res"}
LIST_JOINERS = {"and", ",", "&", "/", "or"}
PERCENT_TOLERANCE = 1.0      # "about 11%" agrees with "11%", "10%" or "12%" do too
COUNT_TOLERANCE = 0.025      # "about 40,000" agrees with 39,500; only for 100 and above

_DIGITS = re.compile(r"^\d+$")
_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+$")
_DOTTED = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_DECIMAL = re.compile(r"^\d+\.\d+$")
_SUFFIXED = re.compile(r"^(\d+(?:\.\d+)?)(k|m|bn)$")
_PERCENT_TOKEN = re.compile(r"^(\d+(?:\.\d+)?)%$")
_ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)$")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*(?:st|nd|rd|th|k|bn)?|[^\W\d_]+(?:'[^\W\d_]+)?|%|\S")


@dataclass(frozen=True)
class Figure:
    kind: str
    value: float = 0.0
    year: Optional[int] = None
    month: Optional[int] = None
    day: Optional[int] = None
    start: int = 0
    end: int = 0
    text: str = ""

    @property
    def group(self) -> str:
        return "time" if self.kind in ("year", "date") else self.kind


def simple_tokens(text: str) -> List[str]:
    """Split a short string roughly as spaCy does ("11%" -> "11", "%")."""
    return _TOKEN.findall(text.replace("_", " "))


def comparable(a: Figure, b: Figure) -> bool:
    return a.group == b.group


def same_figure(a: Figure, b: Figure, exact: bool = False) -> bool:
    """Do two figures state the same thing (within rounding, unless ``exact``)?"""
    if a.group != b.group:
        return False
    if a.group == "time":
        if exact:
            return (a.year, a.month, a.day) == (b.year, b.month, b.day)
        return a.year == b.year and all(
            x is None or y is None or x == y for x, y in ((a.month, b.month), (a.day, b.day))
        )
    if exact:
        return a.value == b.value
    if a.kind == "percent":
        return abs(a.value - b.value) <= PERCENT_TOLERANCE
    if a.kind == "count":
        big = max(a.value, b.value)
        return a.value == b.value or (big >= 100 and abs(a.value - b.value) <= COUNT_TOLERANCE * big)
    return a.value == b.value


def _number_word(token: str) -> Optional[int]:
    if token in UNITS:
        return UNITS[token]
    if token in TENS:
        return TENS[token]
    return None


def _digits(token: str) -> Optional[float]:
    if _DIGITS.match(token):
        return float(token)
    if _GROUPED.match(token) or _DOTTED.match(token):
        return float(re.sub(r"[.,]", "", token))
    if _DECIMAL.match(token):
        return float(token)
    m = _SUFFIXED.match(token)
    if m:
        return float(m.group(1)) * SUFFIX_SCALES[m.group(2)]
    return None


def _read_words(words: Sequence[str], i: int) -> Tuple[Optional[float], int, bool]:
    """A number written in words from ``i``: (value, next index, had a scale word)."""
    total, current, j, seen, scaled = 0.0, 0.0, i, False, False
    n = len(words)
    while j < n:
        w = words[j]
        unit = _number_word(w)
        if unit is not None:
            current += unit
            seen = True
            j += 1
            # twenty-one, twenty one
            if unit >= 20 and j < n:
                k = j + 1 if words[j] == "-" else j
                nxt = _number_word(words[k]) if k < n else None
                if nxt is not None and 0 < nxt < 10:
                    current += nxt
                    j = k + 1
            continue
        if w in SCALES and seen:
            if SCALES[w] == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * SCALES[w]
                current = 0
            scaled = True
            j += 1
            continue
        # "one hundred and twenty"
        if w == "and" and scaled and j + 1 < n and _number_word(words[j + 1]) is not None:
            j += 1
            continue
        break
    if not seen:
        return None, i, False
    return total + current, j, scaled


def _read_number(words: Sequence[str], i: int) -> Tuple[Optional[float], int, bool, bool]:
    """(value, next index, written as bare digits, had a scale word) for a number at ``i``."""
    w, n = words[i], len(words)
    if w in ("a", "an"):
        # "a billion", "a hundred thousand"
        if i + 1 < n and words[i + 1] in SCALES:
            value, j = 1.0, i + 1
            while j < n and words[j] in SCALES:
                value *= SCALES[words[j]]
                j += 1
            return value, j, False, True
        return None, i, False, False
    value = _digits(w)
    if value is None:
        value, j, scaled = _read_words(words, i)
        return value, j, False, scaled
    j = i + 1
    plain = bool(_DIGITS.match(w))
    # "40 000": a group of three digits after one to three digits
    if plain and len(w) <= 3 and j < n and re.match(r"^\d{3}$", words[j]):
        value = value * 1000 + float(words[j])
        j += 1
        plain = False
    scaled = False
    while j < n and words[j] in SCALES:
        value *= SCALES[words[j]]
        j += 1
        scaled, plain = True, False
    return value, j, plain, scaled


def _year(value: Optional[float], plain: bool) -> Optional[int]:
    if value is not None and plain and value == int(value) and 1900 <= value <= 2099:
        return int(value)
    return None


def _after_percent(words: Sequence[str], j: int) -> int:
    """Index after a percent sign or word at ``j``, or ``j`` when there is none."""
    if j < len(words) and words[j] in PERCENT_WORDS:
        return j + 1
    if j + 1 < len(words) and words[j] == "per" and words[j + 1] == "cent":
        return j + 2
    return j


def _day(word: str) -> Optional[int]:
    m = _ORDINAL.match(word) or (re.match(r"^(\d{1,2})$", word))
    if m and 1 <= int(m.group(1)) <= 31:
        return int(m.group(1))
    return None


def _year_at(words: Sequence[str], j: int) -> Optional[int]:
    if j < len(words) and _DIGITS.match(words[j]):
        return _year(float(words[j]), True)
    return None


def _date_at(words: Sequence[str], i: int) -> Optional[Tuple[Figure, int]]:
    """Day-month-year, month-day-year or month-year starting at ``i``."""
    n = len(words)
    day = _day(words[i])
    if day is not None:
        j = i + 1
        if j < n and words[j] in ("th", "st", "nd", "rd"):
            j += 1
        if j < n and words[j] == "of":
            j += 1
        if j < n and words[j] in MONTHS:
            month = MONTHS[words[j]]
            k = j + 1 + (1 if j + 1 < n and words[j + 1] == "," else 0)
            year = _year_at(words, k)
            if year is not None:
                return Figure("date", year, year, month, day, i, k + 1), k + 1
        return None
    if words[i] in MONTHS:
        month = MONTHS[words[i]]
        j = i + 1
        if j < n and _day(words[j]) is not None and _year_at(words, j) is None:
            d = _day(words[j])
            k = j + 1 + (1 if j + 1 < n and words[j + 1] == "," else 0)
            year = _year_at(words, k)
            if year is not None:
                return Figure("date", year, year, month, d, i, k + 1), k + 1
            return None
        if j < n and words[j] in (",", "of"):
            j += 1
        year = _year_at(words, j)
        if year is not None:
            return Figure("date", year, year, month, None, i, j + 1), j + 1
    return None


def _fraction_at(words: Sequence[str], i: int) -> Optional[Tuple[Figure, int]]:
    """ "half of", "a third of", "two thirds of", "a quarter of" as a percentage."""
    w = words[i]
    n = len(words)
    if w == "half" and i + 1 < n and words[i + 1] in ("of", "the"):
        return Figure("percent", 50.0, start=i, end=i + 1), i + 1
    if w in ("a", "one", "two", "three") and i + 2 < n and words[i + 1] in FRACTIONS \
            and words[i + 1] != "half" and words[i + 2] == "of":
        times = {"a": 1, "one": 1, "two": 2, "three": 3}[w]
        return Figure("percent", times * FRACTIONS[words[i + 1]], start=i, end=i + 2), i + 2
    return None


def find_figures(tokens: Sequence[str]) -> List[Figure]:
    """Every figure and date in ``tokens``, with its token span [start, end)."""
    words = [t.lower() for t in tokens]
    out: List[Figure] = []
    i, n = 0, len(words)
    resolution_list = False
    while i < n:
        w = words[i]
        if w in RESOLUTION_WORDS:
            resolution_list = True
            i += 1
            continue
        found = _date_at(words, i)
        if found is None:
            found = _fraction_at(words, i)
        if found is None and w in ARTICLE_WORDS:
            j = i + 1 + (1 if i + 1 < n and words[i + 1] == "." else 0)
            if j < n:
                value, k, _, _ = _read_number(words, j)
                if value is not None:
                    found = Figure("article", value, start=i, end=k), k
        if found is None:
            m = _PERCENT_TOKEN.match(w)
            if m:
                found = Figure("percent", float(m.group(1)), start=i, end=i + 1), i + 1
        if found is None:
            value, j, plain, scaled = _read_number(words, i)
            if value is not None:
                k = _after_percent(words, j)
                if k > j:
                    found = Figure("percent", value, start=i, end=k), k
                elif resolution_list and plain:
                    found = Figure("resolution", value, start=i, end=j), j
                elif _year(value, plain) is not None and not scaled:
                    year = _year(value, plain)
                    found = Figure("year", year, year, start=i, end=j), j
                elif w == "one" and not scaled:
                    i = j  # "one of them", "no one": not a figure
                    continue
                else:
                    found = Figure("count", value, start=i, end=j), j
        if found is None:
            if resolution_list and w not in LIST_JOINERS:
                resolution_list = False
            i += 1
            continue
        figure, i = found
        out.append(replace(figure, text=" ".join(tokens[figure.start:figure.end])))
        if figure.kind != "resolution" or (i < n and words[i] not in LIST_JOINERS):
            resolution_list = False   # "Resolution 1973 10 votes to none": the list has ended
    return out


def parse_figure(text: str) -> Optional[Figure]:
    """The one figure that makes up all of ``text`` ("11%", "April 2023"), else None."""
    tokens = simple_tokens(text)
    figures = find_figures(tokens)
    lead = 1 if tokens and tokens[0].lower() in RESOLUTION_WORDS else 0
    if len(figures) == 1 and figures[0].start == lead and figures[0].end == len(tokens):
        return figures[0]
    return None


# --- figures we computed ourselves ("2,626 / 22,407" -> 11.7%) ---------------------------

_NUMBER = r"\d[\d,]*(?:\.\d+)?"
_FORMULA = re.compile(rf"^\s*{_NUMBER}(?:\s*[-+*/]\s*{_NUMBER})*\s*$")


def formula_inputs(formula: str) -> List[str]:
    """The numbers a formula is computed from, as written ("1,309")."""
    return re.findall(_NUMBER, formula)


def evaluate_formula(formula: str) -> Optional[float]:
    """The value of a sum such as "191 + 1,309" or "2,626 / 22,407"; None if malformed.

    Only + - * / on written numbers, with * and / binding tighter, and no division by 0.
    """
    if not _FORMULA.match(formula):
        return None
    tokens = re.findall(rf"{_NUMBER}|[-+*/]", formula)
    terms: List[float] = []
    sign, i = 1.0, 0
    while i < len(tokens):
        value = float(tokens[i].replace(",", ""))
        i += 1
        while i < len(tokens) and tokens[i] in "*/":
            operand = float(tokens[i + 1].replace(",", ""))
            if tokens[i] == "/" and operand == 0:
                return None
            value = value * operand if tokens[i] == "*" else value / operand
            i += 2
        terms.append(sign * value)
        if i < len(tokens):
            sign = 1.0 if tokens[i] == "+" else -1.0
            i += 1
    return sum(terms)


def derived_agrees(figure: str, formula: str) -> bool:
    """Does ``formula`` give ``figure`` to the precision it is written in? A figure ending
    in % is the formula's ratio as a percentage ("11.7%" for "2,626 / 22,407")."""
    value = evaluate_formula(formula)
    written = figure.strip()
    percent = written.endswith("%")
    number = written.rstrip("%").strip().replace(",", "")
    if value is None or not re.match(r"^\d+(?:\.\d+)?$", number):
        return False
    if percent:
        value *= 100
    decimals = len(number.split(".")[1]) if "." in number else 0
    return round(value, decimals) == float(number)
