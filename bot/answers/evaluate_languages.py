"""NLU quality per language on the held-out sets of tests/nlu/languages/ (written apart
from the training data): myth accuracy per language and myth, factual questions answered
with a right fact, the language the reply would be in, short messages that keep the
conversation's language, and messages in languages the bot does not speak.

Pure: the caller parses the messages with the trained model (`python -m bot
evaluate-languages`); `judged` answers them as the actions would, `language_metrics` adds
up the rates, `report_markdown` writes the section that `make evaluate` appends to
docs/nlu-report.md.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence

import yaml

OTHER_LANGUAGE_INTENT = "use_other_language"
TARGETS = {"myth": 0.95, "question": 0.90, "reply_language": 0.99}


def load_sets(directory: Path) -> Dict[str, Any]:
    sets = {}
    for path in sorted(Path(directory).glob("*.yml")):
        sets[path.stem] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return sets


def cases(sets: Mapping[str, Any]) -> List[Dict[str, Any]]:
    """Every message with what it should get: {text, language, kind, expected}."""
    out = []
    for code, doc in sets.items():
        if code == "other_languages":
            out += [{"text": m["text"], "language": m["language"], "kind": "other", "expected": OTHER_LANGUAGE_INTENT}
                    for m in doc["messages"]]
            continue
        out += [{"text": m["text"], "language": code, "kind": "myth", "expected": f"myth_{m['myth']}"}
                for m in doc.get("myths", [])]
        out += [{"text": q["text"], "language": code, "kind": "question", "expected": list(q["facts"])}
                for q in doc.get("questions", [])]
        out += [{"text": s["text"], "language": code, "kind": "short", "expected": None} for s in doc.get("short", [])]
    return out


def answered_facts(kb, parsed: Mapping[str, Any]) -> Sequence[str]:
    """The facts the bot would answer a factual question with, from its parse."""
    question = kb.question_for_intent((parsed.get("intent") or {}).get("name"))
    return question.facts if question else ()


def language_metrics(kb, items: Sequence[Mapping], parsed: Sequence[Mapping],
                     answered: Optional[Sequence[Optional[bool]]] = None) -> Dict[str, Any]:
    """Rates per language; ``answered`` says per item whether the bot's answer (as the actions
    give it) states a right fact, else the parse's curated question decides."""
    per: Dict[str, Dict[str, List]] = defaultdict(lambda: defaultdict(list))
    errors: List[Dict[str, Any]] = []
    for n, (item, result) in enumerate(zip(items, parsed)):
        code, kind = item["language"], item["kind"]
        intent = (result.get("intent") or {}).get("name")
        found = (result.get("language_detection") or {}).get("language")
        if kind == "myth":
            ok = intent == item["expected"]
            per[code]["myth"].append(ok)
            per[code][item["expected"]].append(ok)
            if answered is not None and answered[n] is not None:
                per[code]["rebutted"].append(answered[n])
        elif kind == "question":
            given = answered[n] if answered is not None else None
            ok = given if given is not None else bool(set(answered_facts(kb, result)) & set(item["expected"]))
            per[code]["question"].append(ok)
        elif kind == "short":
            ok = found in (None, code)
            per[code]["short"].append(ok)
        else:
            ok = intent == OTHER_LANGUAGE_INTENT
            per["other"]["other"].append(ok)
        if kind in ("myth", "question"):
            per[code]["reply_language"].append(found == code)
        if not ok:
            errors.append({"language": code, "kind": kind, "text": item["text"], "expected": item["expected"],
                           "predicted": intent, "detected": found})
    rates = {code: {k: (sum(v) / len(v), len(v)) for k, v in groups.items()} for code, groups in per.items()}
    return {"rates": rates, "errors": errors}


def judged(content, items: Sequence[Mapping], parsed: Sequence[Mapping], retrieval_for) -> List[Optional[bool]]:
    """Per item, whether the bot's answer, decided and rendered as the actions do in the
    item's language (bot/answers/measure.py), is right; None for items judged by the parse.
    ``retrieval_for(language)`` gives the language's fact finder."""
    from bot.answers import measure

    out: List[Optional[bool]] = []
    for item, result in zip(items, parsed):
        if item["kind"] not in ("question", "myth"):
            out.append(None)
            continue
        local = content.for_language(item["language"])
        category, expected = ((measure.FACTUAL, item["expected"]) if item["kind"] == "question"
                              else (measure.MYTH, (item["expected"],)))
        out.append(measure.judge(local.kb, local.templates, retrieval_for(local.language), category,
                                 item["text"], expected, result).right)
    return out


def _pct(value: Optional[tuple]) -> str:
    return f"{value[0]:.1%} ({value[1]})" if value else "–"


def report_markdown(result: Mapping[str, Any], directory: str) -> str:
    rates = result["rates"]
    codes = [c for c in rates if c != "other"]
    lines = ["", "## Languages: Russian, Ukrainian, German, French", "",
             f"Held-out messages in `{directory}/` (written apart from the training data, by people who did not "
             "see it). Targets per language: myth accuracy ≥ 95%, factual questions ≥ 90%, reply in the user's "
             "language ≥ 99%. A factual question counts as answered when the bot's answer, found and rendered as "
             "the actions do in that language, leads with one of the facts that answer it (bot/answers/measure.py). Reply language: the language identifier gave the message's language (a message it "
             "leaves undecided is answered in the conversation's language, English in a fresh conversation, so it "
             "counts as wrong here). Myths: the intent the classifier gives, and whether the bot really rebuts that myth (a "
             "rebuttal also needs the message to name NATO or that myth's words, bot/answers/decide.py). Short messages (\"ok\", \"11%?\") should leave the conversation's language "
             "as it is.", "",
             "| language | myths (intent) | myths rebutted | factual questions | reply language | short messages keep the language |",
             "|---|---|---|---|---|---|"]
    for code in codes:
        r = rates[code]
        lines.append(f"| {code} | {_pct(r.get('myth'))} | {_pct(r.get('rebutted'))} | {_pct(r.get('question'))} "
                     f"| {_pct(r.get('reply_language'))} | {_pct(r.get('short'))} |")
    if "other" in rates:
        lines += ["", f"Messages in languages the bot does not speak answered in English with the languages it "
                      f"speaks: {_pct(rates['other'].get('other'))}."]
    myths = sorted({k for c in codes for k in rates[c] if k.startswith("myth_")})
    lines += ["", "Myth accuracy per language and myth:", "", "| myth | " + " | ".join(codes) + " |",
              "|---|" + "---|" * len(codes)]
    for myth in myths:
        lines.append(f"| {myth[5:]} | " + " | ".join(f"{rates[c][myth][0]:.0%}" if myth in rates[c] else "–"
                                                    for c in codes) + " |")
    lines += ["", "### Errors", "", "| language | kind | message | expected | predicted | detected language |",
              "|---|---|---|---|---|---|"]
    for e in result["errors"]:
        expected = ", ".join(e["expected"]) if isinstance(e["expected"], list) else (e["expected"] or "keep")
        text = e["text"].replace("|", "\\|")
        lines.append(f"| {e['language']} | {e['kind']} | {text} | {expected} | {e['predicted']} | {e['detected']} |")
    return "\n".join(lines) + "\n"
