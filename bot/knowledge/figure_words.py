"""Figures written in another language: "11 %", "40 000", "восемь", "im April 2023",
"4. April 1949", "1er avril", "в апреле 2023 года", "статья 5".

A language's figure words (``figures:`` of data/knowledge/i18n/practice/<lang>.yml) turn
its tokens into the ones bot.knowledge.figures reads ("апреле" -> "April", "процентов" ->
"%", "восемь" -> "8", "40" "000" -> "40,000"), so one parser reads every language; the
figures keep the token positions of the original text. The bot writes a figure it corrects
in the language's format ("40 000", "11 %", "апрель 2023"). Pure; no I/O.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable, List, Mapping, Optional, Sequence, Tuple

from bot.knowledge.figures import Figure, find_figures, parse_figure

ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December")
ENGLISH_SCALES = {1_000.0: "thousand", 1_000_000.0: "million", 1_000_000_000.0: "billion"}
_SMALL_GROUP = re.compile(r"^\d{1,3}$")
_GROUP = re.compile(r"^\d{3}$")
_SPACED = re.compile(r"^\d{1,3}(?:[ \u00a0\u202f]\d{3})+$")
_DECIMAL_COMMA = re.compile(r"^\d+,\d+$")
_NUMBER_DOT = re.compile(r"^(\d+)\.$")     # German "2023." at the end of a sentence
_CASE_ENDING = re.compile(r"^(\d+)-?[^\W\d_]{1,3}$")   # "2015-м", "2014-го", "1990-х", "1er"
_TOKENS = re.compile(r"\d+(?:[.,]\d+)*(?:[^\W\d_]{1,3}\b|\.(?!\d))?|[^\W\d_]+(?:['’-][^\W\d_]+)*|%|\S")
NUMBER_SIGNS = frozenset({"№", "no.", "nr.", "n°"})   # "резолюция № 1973", "Resolution Nr. 1973"
_ORDINAL_DAY = re.compile(r"^(\d{1,2})(?:er|re|e|\.|-?го|-?е|-?й)$")


def word_matches(pattern: str, word: str) -> bool:
    """An exact word form, or a prefix written with a trailing "*"."""
    return word.startswith(pattern[:-1]) if pattern.endswith("*") else word == pattern


def _first(patterns: Sequence[str], word: str) -> bool:
    return any(word_matches(p, word) for p in patterns)


@dataclass(frozen=True)
class FigureWords:
    """How one language writes figures (all words lower case)."""

    percent: Tuple[str, ...]
    article: Tuple[str, ...]
    resolution: Tuple[str, ...]
    scale: Mapping[str, float]
    numbers: Mapping[str, float]
    fractions: Mapping[str, float]
    months: Tuple[Tuple[str, ...], ...]
    thousands: str = " "
    decimal: str = ","
    percent_format: str = "{value} %"
    article_format: str = "article {value}"
    resolution_format: str = "resolution {value}"
    counters: Mapping[str, float] = field(default_factory=dict)   # read only before a share or scale
                                          # word: "un tiers", "deux tiers", "un milliard", "eine Milliarde"
    dates: Any = None   # the language's bot.knowledge.translations.Language, which writes its dates

    def month_of(self, word: str) -> Optional[int]:
        for index, patterns in enumerate(self.months):
            if _first(patterns, word):
                return index
        return None

    def _lookup(self, table: Mapping[str, float], word: str) -> Optional[float]:
        for pattern, value in table.items():
            if word_matches(pattern, word):
                return value
        return None

    @staticmethod
    def _phrase(patterns, tokens: Sequence[str], i: int) -> Tuple[int, str]:
        """How many tokens from ``i`` make a phrase of several words ("pour_cent",
        "п'яту_частину") of ``patterns``, and which pattern; (0, "") when none does."""
        for pattern in patterns:
            words = pattern.split("_")
            if len(words) > 1 and i + len(words) <= len(tokens) and all(
                    word_matches(w, t.lower()) for w, t in zip(words, tokens[i:i + len(words)])):
                return len(words), pattern
        return 0, ""

    def _compound(self, tokens: Sequence[str], i: int) -> Tuple[int, float]:
        """A number written in several words ("тридцать два", "сто сорок один"): the end of
        its tokens and its value. A word adds to a round ten or hundred before it."""
        value = self.numbers[tokens[i].lower()]
        place, j = value, i + 1
        while j < len(tokens) and (tokens[j].lower() in self.numbers or tokens[j].lower() in self.counters):
            nxt = self.numbers.get(tokens[j].lower(), self.counters.get(tokens[j].lower(), 0.0))
            round_place = place >= 20 and place % _place(place) == 0   # "тридцать", "сто", not "одиннадцать"
            if not (round_place and _place(nxt) < _place(place)):
                break
            value, place, j = value + nxt, nxt, j + 1
        return j, value

    def english(self, tokens: Sequence[str]) -> Tuple[List[str], List[Tuple[int, int]]]:
        """The tokens as the English parser reads them, and the span of the original tokens
        each one stands for."""
        out: List[str] = []
        spans: List[Tuple[int, int]] = []
        i, n = 0, len(tokens)
        while i < n:
            tok = tokens[i]
            low = tok.lower()
            nxt = tokens[i + 1].lower() if i + 1 < n else ""
            if _SMALL_GROUP.match(tok) and i + 1 < n and _GROUP.match(tokens[i + 1]):
                j = i + 1
                while j < n and _GROUP.match(tokens[j]):
                    j += 1
                out.append(",".join(tokens[i:j]))
                spans.append((i, j))
                i = j
                continue
            phrase, _ = self._phrase(self.percent, tokens, i)
            if phrase:
                out.append("%")
                spans.append((i, i + phrase))
                i += phrase
                continue
            phrase, share = self._phrase(self.fractions, tokens, i)
            if phrase:
                out += [f"{float(self.fractions[share]):.4g}", "%"]   # "п'яту частину": 20 %
                spans += [(i, i + phrase)] * 2
                i += phrase
                continue
            if tok.isdigit() and nxt == "." and i + 2 < n and self.month_of(tokens[i + 2].lower()) is not None:
                out.append(tok)              # "22. April" read word by word
                spans.append((i, i + 2))
                i += 2
                continue
            if "-" in low and all(part in self.numbers for part in low.split("-")):
                j, value = self._compound(low.split("-"), 0)   # "trente-deux", "vingt-et-un" below
                if j == len(low.split("-")):
                    out.append(_number_text(value))
                    spans.append((i, i + 1))
                    i += 1
                    continue
            if low in self.counters and (self._lookup(self.scale, nxt) is not None
                                         or self._lookup(self.fractions, nxt) is not None):
                out.append(_number_text(self.counters[low]))   # "un milliard", "deux tiers"
                spans.append((i, i + 1))
                i += 1
                continue
            mapped = tok
            if _SPACED.match(tok):
                mapped = re.sub(r"[ \u00a0\u202f]", ",", tok)
            elif _DECIMAL_COMMA.match(tok):
                mapped = tok.replace(",", ".")
            elif _ORDINAL_DAY.match(low) and self.month_of(nxt) is not None:
                mapped = _ORDINAL_DAY.match(low).group(1)
            elif _NUMBER_DOT.match(tok):
                mapped = _NUMBER_DOT.match(tok).group(1)
            elif _CASE_ENDING.match(low):
                mapped = _CASE_ENDING.match(low).group(1)
            elif low in NUMBER_SIGNS and i + 1 < n and tokens[i + 1][:1].isdigit():
                i += 1    # the sign says nothing the number does not
                continue
            elif self.month_of(low) is not None:
                mapped = ENGLISH_MONTHS[self.month_of(low)]
            elif _first(self.percent, low):
                mapped = "%"
            elif _first(self.article, low):
                mapped = "article"
            elif _first(self.resolution, low):
                mapped = "resolution"
            elif low in self.numbers:
                j, value = self._compound(tokens, i)
                out.append(_number_text(value))
                spans.append((i, j))
                i = j
                continue
            elif self._lookup(self.scale, low) is not None:
                mapped = ENGLISH_SCALES.get(float(self._lookup(self.scale, low)), tok)
            elif self._lookup(self.fractions, low) is not None:
                # a share in words is a percentage: "половина" 50 %, "две трети" 2 x 33.3 %
                value, start = float(self._lookup(self.fractions, low)), i
                before = tokens[i - 1].lower() if i else ""
                counted = self.numbers.get(before, self.counters.get(before))
                if i and spans and spans[-1] == (i - 1, i) and counted is not None:
                    value *= counted
                    start = i - 1
                    out.pop()
                    spans.pop()
                out += [f"{value:.4g}", "%"]
                spans += [(start, i + 1), (start, i + 1)]
                i += 1
                continue
            out.append(mapped)
            spans.append((i, i + 1))
            i += 1
        return out, spans

    def tokens(self, text: str) -> List[str]:
        """Split a short string roughly as spaCy splits this language ("22." and "1er" stay
        whole, "11 %" is two tokens)."""
        return _TOKENS.findall(text.replace("_", " "))

    def find(self, tokens: Sequence[str]) -> List[Figure]:
        """The figures of ``tokens``, with start and end in ``tokens``."""
        english, spans = self.english(tokens)
        return [replace(f, start=spans[f.start][0], end=spans[f.end - 1][1]) for f in find_figures(english)
                if f.end > f.start]

    def write(self, raw: str) -> str:
        """A figure of the knowledge base ("40,000", "11%", "April 2023") as this language
        writes it; anything else stays as it is."""
        figure = parse_figure(raw)
        if figure is None:
            return raw
        if figure.group == "time":
            return self.dates.format_date(raw) if self.dates is not None else raw
        if figure.kind == "percent":
            return self.percent_format.format(value=self._number(figure.value))
        if figure.kind == "article":
            return self.article_format.format(value=int(figure.value))
        if figure.kind == "resolution":
            return self.resolution_format.format(value=int(figure.value))
        if figure.kind == "count":
            return self._number(figure.value)   # "one billion" -> "1 000 000 000"
        return raw

    def _number(self, value: float) -> str:
        if value != int(value):
            return f"{value:g}".replace(".", self.decimal)
        whole = int(value)
        text = f"{whole:,}" if whole >= 10_000 else str(whole)
        return text.replace(",", self.thousands)


def _place(value: float) -> int:
    """1 for units, 10 for tens (10 to 19 count as tens), 100 for hundreds."""
    return 1 if value < 10 else 10 if value < 100 else 100 if value < 1000 else 1000


def _number_text(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def figure_reader(words: Optional[FigureWords]) -> Callable[[Sequence[str]], List[Figure]]:
    """The figure parser for a language: English's own when it has no figure words."""
    return words.find if words is not None else find_figures
