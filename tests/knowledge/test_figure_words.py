"""Figures written in another language (bot/knowledge/figure_words.py): read with the
language's words into the figures the English parser knows, with the original token
positions, and written back the language's way."""
from __future__ import annotations

import pytest

from bot.knowledge.figure_words import FigureWords
from bot.knowledge.figures import simple_tokens
from bot.knowledge.translations import Language

RU = FigureWords(
    percent=("%", "процент*"), article=("стать*",), resolution=("резолюц*",),
    scale={"тысяч*": 1000, "тыс": 1000, "млн": 1_000_000, "миллиард*": 1_000_000_000},
    numbers={"восемь": 8, "восьми": 8, "одиннадцать": 11, "две": 2, "два": 2, "полтора": 1.5, "тридцать": 30,
             "сто": 100, "сорок": 40, "один": 1},
    counters={"одна": 1},
    fractions={"половин*": 50, "треть": 33.3, "трети": 33.3, "четверт*": 25},
    months=(("январ*",), ("феврал*",), ("март", "марта", "марте"), ("апрел*",), ("май", "мая", "мае"), ("июн*",),
            ("июл*",), ("август*",), ("сентябр*",), ("октябр*",), ("ноябр*",), ("декабр*",)),
    thousands="\u00a0", decimal=",", percent_format="{value}%", article_format="статья {value}",
    dates=Language("ru", "Русский", ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
                                    "сентябрь", "октябрь", "ноябрь", "декабрь"),
                   ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
                    "октября", "ноября", "декабря"),
                   {"day_month_year": "{day} {month} {year}", "month_year": "{month} {year}", "year": "{year}"}, ()),
)
DE = FigureWords(percent=("%", "prozent"), article=("artikel", "art."), resolution=("resolution*",),
                 scale={"tausend": 1000, "millionen": 1_000_000}, numbers={"acht": 8}, fractions={"hälfte": 50},
                 months=tuple((m,) for m in ("januar", "februar", "märz", "april", "mai", "juni", "juli", "august",
                                             "september", "oktober", "november", "dezember")),
                 thousands=".", decimal=",", percent_format="{value} %")


def one(words: FigureWords, tokens):
    found = words.find(tokens)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("tokens, kind, value", [
    (["11", "%"], "percent", 11),
    (["11,7", "%"], "percent", 11.7),
    (["одиннадцать", "процентов"], "percent", 11),
    (["половина"], "percent", 50),
    (["две", "трети"], "percent", 66.6),
    (["полтора", "миллиарда"], "count", 1_500_000_000),
    (["40", "000"], "count", 40_000),
    (["40\u00a0000"], "count", 40_000),
    (["40", "тыс"], "count", 40_000),
    (["восьми"], "count", 8),
    (["статья", "5"], "article", 5),
    (["тридцать", "два"], "count", 32),
    (["сто", "сорок", "один"], "count", 141),
    (["сто", "сорок", "одна"], "count", 141),
    (["2015-м"], "year", 2015),
    (["резолюция", "№", "1973"], "resolution", 1973),
    (["резолюции", "1973"], "resolution", 1973),
])
def test_russian_figures(tokens, kind, value):
    figure = one(RU, tokens)
    assert figure.kind == kind and abs(figure.value - value) < 0.01 * value
    assert figure.end == len(tokens) and figure.start <= (len(tokens) - 1 if kind == "resolution" else 0)


def test_russian_dates_keep_the_original_positions():
    tokens = "Финляндия вступила в апреле 2023 года , договор подписан 4 апреля 1949 года".split()
    first, second = RU.find(tokens)
    assert (first.kind, first.year, first.month, first.start, first.end) == ("date", 2023, 4, 3, 5)
    assert (second.year, second.month, second.day) == (1949, 4, 4)
    assert " ".join(tokens[second.start:second.end]) == "4 апреля 1949"


def test_numbers_in_a_row_that_do_not_make_one_number_stay_apart():
    assert [f.value for f in RU.find(["два", "тридцать"])] == [2, 30]
    assert [f.value for f in RU.find(["одиннадцать", "два"])] == [11, 2]


def test_a_short_month_is_matched_only_by_its_forms():
    assert RU.find(["массы", "2023"])[0].kind == "year"
    assert RU.find(["мае", "2023"])[0].month == 5


def test_german_thousands_day_dots_and_years_ending_a_sentence():
    assert one(DE, ["40.000"]).value == 40_000
    assert one(DE, ["11", "Prozent"]).kind == "percent"
    date = one(DE, ["4.", "April", "1949"])
    assert (date.day, date.month, date.year) == (4, 4, 1949)
    assert one(DE, ["im", "April", "2023."]).year == 2023


@pytest.mark.parametrize("raw, written", [
    ("40,000", "40\u00a0000"), ("11%", "11%"), ("April 2023", "апрель 2023"), ("4 April 1949", "4 апреля 1949"),
    ("2014", "2014"), ("Article 5", "статья 5"), ("Resolution 1973", "resolution 1973"), ("2.5%", "2,5%"),
])
def test_the_bot_writes_figures_the_russian_way(raw, written):
    assert RU.write(raw) == written


def test_german_writes_thousands_with_a_dot_and_a_spaced_percent():
    assert (DE.write("40,000"), DE.write("11%")) == ("40.000", "11 %")


def test_simple_tokens_keep_words_of_every_alphabet():
    assert simple_tokens("в апреле 2023, 11%") == ["в", "апреле", "2023", ",", "11", "%"]


FR = FigureWords(percent=("%", "pour_cent"), article=("article",), resolution=("résolution*",),
                 scale={"milliard*": 1_000_000_000}, numbers={"trente": 30, "deux": 2, "onze": 11},
                 fractions={"tiers": 33.3, "quart": 25, "un_cinquième": 20}, months=DE.months, counters={"un": 1, "une": 1},
                 thousands="\u00a0", decimal=",", percent_format="{value} %")


@pytest.mark.parametrize("text, kind, value", [
    ("les deux tiers de la frontière", "percent", 66.6),
    ("un tiers", "percent", 33.3),
    ("un milliard de personnes", "count", 1_000_000_000),
    ("onze pour cent", "percent", 11),
    ("trente-deux alliés", "count", 32),
    ("un cinquième de la frontière", "percent", 20),
])
def test_french_shares_counters_phrases_and_hyphenated_numbers(text, kind, value):
    (figure,) = FR.find(FR.tokens(text))
    assert figure.kind == kind and abs(figure.value - value) < 0.01 * value


def test_an_article_is_not_a_number_unless_a_share_or_scale_follows():
    assert FR.find(FR.tokens("un pays, une alliance")) == []


def test_a_short_text_is_split_as_spacy_splits_it():
    assert DE.tokens("(EPRS, 22. April 2022) im April 2023.") == \
        ["(", "EPRS", ",", "22.", "April", "2022", ")", "im", "April", "2023."]
    date = DE.find(DE.tokens("22. April 2022"))[0]
    assert (date.day, date.month, date.year) == (22, 4, 2022)


def test_a_count_in_words_is_written_in_digits():
    assert DE.write("one billion") == "1.000.000.000" and DE.write("eight") == "8"
