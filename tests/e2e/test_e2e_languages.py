"""End to end over REST in every language: the rebuttal, its follow-ups and the fixed
replies come in the user's language with the source's citation; short messages keep the
conversation's language; the user can switch; a language the bot does not speak gets
English; a whole practice round runs in Russian."""
from __future__ import annotations

import pytest

from tests.e2e.test_e2e_rest import texts

MYTH_IN = {
    "ru": ("НАТО окружает Россию со всех сторон, это же очевидно", "источник?"),
    "uk": ("НАТО оточує Росію з усіх боків", "а джерело?"),
    "de": ("Die NATO kreist Russland ein, das sieht doch jeder", "Quelle?"),
    "fr": ("L'OTAN encercle la Russie, c'est évident", "quelle est la source ?"),
}


@pytest.mark.parametrize("code", sorted(MYTH_IN))
def test_rebuttal_and_followup_in_the_users_language(bot, content, code):
    local = content.for_language(code)
    myth = local.kb.myths["encirclement"]
    message, followup = MYTH_IN[code]
    answer = texts(bot.say(f"lang-{code}", message))
    assert myth.lead.text.rstrip(".") in answer and myth.closing.text.rstrip(".") in answer
    assert "https://www.nato.int/" in answer and "11" in answer
    assert content.kb.myths["encirclement"].lead.text.rstrip(".") not in answer  # not the English
    sources = texts(bot.say(f"lang-{code}", followup))
    assert content.kb.sources["nato_2024"].title in sources  # titles stay as published
    assert local.kb.sources["nato_2024"].date in sources     # the date the language's way
    assert myth.claim in sources


def test_a_short_message_keeps_the_conversations_language(bot, content):
    bot.say("short-ru", "НАТО окружает Россию")
    ru = content.for_language("ru")
    answer = texts(bot.say("short-ru", "/ask_more"))
    assert any(ru.kb.facts[f].text.rstrip(".") in answer for f in ru.kb.myths["encirclement"].more)
    reply = texts(bot.say("short-ru", "ok"))
    assert sum("а" <= ch <= "я" for ch in reply.lower()) > len(reply) / 3  # still Russian


def test_switching_language_on_request(bot, content):
    bot.say("switcher", "NATO is encircling Russia")
    confirm = texts(bot.say("switcher", "по-русски, пожалуйста"))
    assert confirm == content.for_language("ru").templates.fill("language_switched", language="Русский")
    answer = texts(bot.say("switcher", "/myth_nato_at_war"))
    assert content.for_language("ru").kb.myths["nato_at_war"].lead.text.rstrip(".") in answer
    back = texts(bot.say("switcher", '/switch_language{"language":"en"}'))
    assert back == content.templates.fill("language_switched", language="English")
    assert content.kb.myths["encirclement"].lead.text.rstrip(".") in texts(bot.say("switcher", "/myth_encirclement"))


def test_a_language_the_bot_does_not_speak_gets_english_and_the_languages(bot, content):
    replies = bot.say("polish", "Czy to prawda, że NATO obiecało Rosji nie rozszerzać się na wschód?")
    answer = texts(replies)
    names = ", ".join(lang.name for lang in content.languages.values())
    assert answer == content.templates.fill("language_unsupported", languages=names)
    assert [b["title"] for b in replies[0]["buttons"]] == [lang.name for lang in content.languages.values()]


@pytest.mark.parametrize("code, message", [("ru", "привет"), ("de", "Hallo, wer bist du?"), ("uk", "дякую!")])
def test_fixed_replies_are_in_the_users_language(bot, code, message, repo):
    import yaml

    answer = texts(bot.say(f"fixed-{code}", message))
    doc = yaml.safe_load((repo / "responses" / "utterances.yml").read_text(encoding="utf-8"))
    variations = [v["text"] for vs in doc["responses"].values() for v in vs
                  if any(c.get("value") == code for c in v.get("condition") or [])]
    assert answer in variations


def test_a_practice_round_in_russian(bot, content):
    """Start, a Russian voice, an answer with a wrong figure and its correction with the
    source, the push-back, the reply, the round's end and the summary, all in Russian."""
    local = content.for_language("ru")
    myth = local.kb.myths["encirclement"]
    block = myth.practice
    who = "practice-ru"
    opening = texts(bot.say(who, "потренируй меня на мифе об окружении"))
    assert local.templates.fill("practice_intro", claim=myth.claim) in opening
    assert any(voice in opening for voice in block["voices"])
    feedback = texts(bot.say(who, "НАТО не окружает Россию: на альянс приходится лишь около 30% сухопутной "
                                  "границы России, и это с учётом Финляндии, которая вступила в апреле 2023 года."))
    assert feedback.startswith("Оценка: ")
    assert "«30%»" in feedback and "11%" in feedback and local.kb.sources["nato_2024"].date in feedback
    assert block["counter"]["text"] in feedback
    end = texts(bot.say(who, "Даже с Финляндией, вступившей в апреле 2023 года, на НАТО приходится лишь около 11% "
                             "сухопутной границы России, по данным НАТО, так что разговоры о кольце вводят в заблуждение."))
    assert local.templates.fill("practice_round_end", claim=myth.claim, scores="").split(":")[0] in end
    summary = texts(bot.say(who, "стоп"))
    assert summary.startswith("Итоги вашей тренировки") and myth.claim in summary
    assert content.kb.myths["encirclement"].claim not in summary   # not the English
