"""Which language a message is in: pure decisions over the detectors' outputs.

Order of evidence, strongest first:
1. an explicit choice: the channel's metadata (`{"language": "uk"}`, the widget's language
   button) or a switch phrase of data/knowledge/i18n/<lang>.yml ("по-русски", "in English");
2. letters only one of Russian and Ukrainian uses (і ї є ґ / ы э ё), in Cyrillic text;
3. fastText's language identification (lid.176, restricted to the languages the bot speaks)
   and the bot's own character n-gram model trained on its training examples (it knows
   transliterated Russian, which fastText does not);
4. nothing decisive ("ok", "11%?", "merci"): no decision, so the conversation keeps its
   language. A single Cyrillic word is decided only when the bot's own model is very sure
   and fastText also names that language among its best three ("привет" is Russian,
   "дякую" Ukrainian; "ок" stays undecided).

A message that fastText confidently puts in a language the bot does not speak, and that
the bot's own model does not claim, is marked `unsupported` with that language's code.
No Rasa, no I/O.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Optional, Sequence, Tuple

UKRAINIAN_ONLY = frozenset("іїєґ")
RUSSIAN_ONLY = frozenset("ыэё")   # not ъ: Bulgarian writes it often
# Chosen by 5-fold cross-validation on the training examples (`make tune-language`,
# docs/language-tuning.md): fewest messages answered in a wrong language or left undecided.
FASTTEXT_MIN = 0.95     # fastText's probability for a supported language to be taken
OWN_MIN = 0.3           # the bot's own model's probability to be taken
UNSUPPORTED_MIN = 0.8   # fastText's probability for a language the bot does not speak
# the own model, unless near-certain, decides only a language fastText also names among its
# best three: cross-validation keeps this off (it costs on real messages, transliterated
# Russian above all), so noise such as "'; DROP TABLE events; --" may read as a language
OWN_NEEDS_FASTTEXT = False
MIN_WORDS = 2           # fewer words: no decision unless explicit, by letters, or below
OWN_SURE = 0.9          # the own model this sure outweighs fastText's other language (transliterated
                        # Russian reads as Uzbek to fastText), and decides one Cyrillic word (set by hand)
UNSUPPORTED_MIN_WORDS = 3
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)


@dataclass(frozen=True)
class Detection:
    language: Optional[str]          # a supported language, or None (keep the conversation's)
    source: str                      # explicit, switch, letters, fasttext, own, none
    unsupported: Optional[str] = None  # a language code the bot does not speak
    switch: bool = False             # the user asked to change language


def words(text: str) -> Sequence[str]:
    return _WORD.findall(text or "")


def normalise(text: str) -> str:
    return " ".join(words(text.lower().replace("-", " - "))).replace(" - ", "-")


def switch_language(text: str, phrases: Mapping[str, Iterable[str]]) -> Optional[str]:
    """The language a message asks for ("answer in English", "по-русски"), if it is only
    that request (a few words around a switch phrase)."""
    said = normalise(text)
    if not said or len(words(said)) > 6:
        return None
    for code, options in phrases.items():
        for phrase in options:
            p = normalise(phrase)
            if p and (said == p or re.search(rf"(?:^|\s){re.escape(p)}(?:$|\s)", said)) and len(words(said)) <= len(words(p)) + 3:
                return code
    return None


def by_letters(text: str, supported: Iterable[str]) -> Optional[str]:
    letters = set((text or "").lower())
    uk, ru = bool(letters & UKRAINIAN_ONLY), bool(letters & RUSSIAN_ONLY)
    if uk and not ru and "uk" in supported:
        return "uk"
    if ru and not uk and "ru" in supported:
        return "ru"
    return None


def decide(text: str, supported: Sequence[str], explicit: Optional[str] = None,
           switch: Optional[str] = None, fasttext: Sequence[Tuple[str, float]] = (),
           own: Mapping[str, float] = None) -> Detection:
    """Combine the evidence (see the module's docstring)."""
    if explicit in supported:
        return Detection(explicit, "explicit")
    if switch in supported:
        return Detection(switch, "switch", switch=True)
    n = len(words(text))
    letters = by_letters(text, supported)
    if letters:
        return Detection(letters, "letters")
    best_own, p_own = max((own or {}).items(), key=lambda kv: kv[1], default=(None, 0.0))
    top, p_top = fasttext[0] if fasttext else (None, 0.0)
    if n < MIN_WORDS:
        cyrillic = any("\u0400" <= ch <= "\u04ff" for ch in text or "")
        if cyrillic and best_own in {lang for lang, _ in fasttext} and best_own in supported and p_own >= OWN_SURE:
            return Detection(best_own, "own")
        return Detection(None, "none")
    if top in supported and p_top >= FASTTEXT_MIN:
        return Detection(top, "fasttext")
    if top is not None and top not in supported and p_top >= UNSUPPORTED_MIN and n >= UNSUPPORTED_MIN_WORDS \
            and not (best_own in supported and p_own >= OWN_SURE):
        return Detection(None, "fasttext", unsupported=top)
    if best_own is not None and best_own not in supported and p_own >= OWN_SURE and n >= UNSUPPORTED_MIN_WORDS \
            and top not in supported:
        return Detection(None, "own", unsupported=top or best_own)
    agrees = best_own in {lang for lang, _ in fasttext}
    if best_own in supported and p_own >= OWN_MIN and (agrees or p_own >= OWN_SURE or not OWN_NEEDS_FASTTEXT):
        return Detection(best_own, "own")
    supported_ft = [(lang, p) for lang, p in fasttext if lang in supported]
    if supported_ft and supported_ft[0][1] >= FASTTEXT_MIN / 2 and supported_ft[0][0] == best_own:
        return Detection(best_own, "agree")
    return Detection(None, "none")
