"""bot/nlu/language.py: which language a message is in, from the detectors' outputs."""
from __future__ import annotations

import pytest

from bot.nlu.language import by_letters, decide, switch_language

SUPPORTED = ("en", "de", "fr", "ru", "uk")
PHRASES = {"en": ["answer in english", "in english"], "ru": ["по-русски", "на русском"],
           "uk": ["українською"], "de": ["auf deutsch"], "fr": ["en français"]}


def test_an_explicit_choice_wins_over_everything():
    found = decide("NATO is at war with Russia", SUPPORTED, explicit="uk", fasttext=[("en", 0.99)])
    assert (found.language, found.source) == ("uk", "explicit")


def test_an_explicit_choice_of_an_unknown_language_is_ignored():
    assert decide("NATO is at war", SUPPORTED, explicit="pl", fasttext=[("en", 0.99)]).language == "en"


@pytest.mark.parametrize("text, code", [
    ("по-русски пожалуйста", "ru"), ("Answer in English", "en"), ("українською, будь ласка", "uk"),
    ("auf Deutsch bitte", "de"), ("en français svp", "fr"),
])
def test_switch_phrases(text, code):
    assert switch_language(text, PHRASES) == code
    found = decide(text, SUPPORTED, switch=code, fasttext=[("en", 0.5)])
    assert found.language == code and found.switch


def test_a_long_message_that_mentions_a_language_is_not_a_switch():
    assert switch_language("I read in English media that NATO is encircling Russia from all sides", PHRASES) is None


@pytest.mark.parametrize("text, code", [("НАТО оточує Росію", "uk"), ("Это объективный факт", "ru"),
                                         ("НАТО окружает Россию", None)])
def test_letters_only_one_of_russian_and_ukrainian_uses(text, code):
    assert by_letters(text, SUPPORTED) == code


def test_bulgarian_hard_sign_is_not_russian():
    assert by_letters("НАТО ни въвлича във война с Русия", SUPPORTED) is None


def test_fasttext_decides_a_supported_language():
    found = decide("Die NATO ist ein aggressives Bündnis", SUPPORTED, fasttext=[("de", 0.99)], own={"de": 0.9})
    assert (found.language, found.source) == ("de", "fasttext")


def test_own_model_knows_transliterated_russian():
    found = decide("nato okruzhaet rossiyu", SUPPORTED, fasttext=[("uz", 0.23), ("en", 0.11)],
                   own={"ru": 0.9, "en": 0.1})
    assert (found.language, found.source, found.unsupported) == ("ru", "own", None)
    sure = decide("nato okruzhaet rossiyu so vsekh storon", SUPPORTED, fasttext=[("uz", 0.7)], own={"ru": 0.95})
    assert sure.language == "ru" and sure.unsupported is None


@pytest.mark.parametrize("text, fasttext, own", [
    ("ok", [("en", 0.63), ("pl", 0.14)], {"en": 0.9}),
    ("11%?", [("en", 0.12), ("ca", 0.09)], {"en": 0.6}),
    ("да", [("mk", 0.68), ("bg", 0.29)], {"ru": 0.7, "uk": 0.3}),
    ("merci", [("fr", 0.46), ("it", 0.17)], {"fr": 0.99}),
])
def test_one_word_keeps_the_conversations_language(text, fasttext, own):
    found = decide(text, SUPPORTED, fasttext=fasttext, own=own)
    assert found.language is None and found.unsupported is None


def test_a_language_the_bot_does_not_speak_is_marked():
    found = decide("Czy NATO obiecało nie rozszerzać się na wschód?", SUPPORTED,
                   fasttext=[("pl", 0.99)], own={"ru": 0.4, "en": 0.3})
    assert found.language is None and found.unsupported == "pl"


def test_a_short_unknown_message_is_not_marked_unsupported():
    assert decide("Dzień dobry", SUPPORTED, fasttext=[("pl", 0.95)], own={"en": 0.4}).unsupported is None


def test_undecided_evidence_gives_no_language():
    found = decide("nato nato nato", SUPPORTED, fasttext=[("it", 0.4), ("en", 0.2)],
                   own={"en": 0.28, "de": 0.27, "fr": 0.25, "ru": 0.2})
    assert found.language is None and found.unsupported is None


def test_one_cyrillic_word_is_decided_only_when_the_own_model_is_sure():
    assert decide("привет", SUPPORTED, fasttext=[("ru", 0.79)], own={"ru": 0.95, "uk": 0.05}).language == "ru"
    assert decide("дякую", SUPPORTED, fasttext=[("ru", 0.78), ("uk", 0.19)], own={"uk": 0.97}).language == "uk"
    assert decide("ок", SUPPORTED, fasttext=[("ru", 0.58)], own={"ru": 0.5, "uk": 0.5}).language is None
    assert decide("merci", SUPPORTED, fasttext=[("fr", 0.46)], own={"fr": 0.99}).language is None
