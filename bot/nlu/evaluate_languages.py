"""NLU quality per language on the held-out sets of tests/nlu/languages/ (written apart
from the training data): myth accuracy per language and myth, factual questions answered
with a right fact, the language the reply would be in, short messages that keep the
conversation's language, and messages in languages the bot does not speak.

`language_metrics` is pure; `evaluate_languages` parses every message with a trained
model (bot.nlu.evaluate.parse_messages); `report_markdown` writes the section that
`make evaluate` appends to docs/nlu-report.md.
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


def language_metrics(kb, items: Sequence[Mapping], parsed: Sequence[Mapping]) -> Dict[str, Any]:
    per: Dict[str, Dict[str, List]] = defaultdict(lambda: defaultdict(list))
    errors: List[Dict[str, Any]] = []
    for item, result in zip(items, parsed):
        code, kind = item["language"], item["kind"]
        intent = (result.get("intent") or {}).get("name")
        found = (result.get("language_detection") or {}).get("language")
        if kind == "myth":
            ok = intent == item["expected"]
            per[code]["myth"].append(ok)
            per[code][item["expected"]].append(ok)
        elif kind == "question":
            ok = bool(set(answered_facts(kb, result)) & set(item["expected"]))
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


def evaluate_languages(model: Path, kb, directory: Path) -> Dict[str, Any]:
    from bot.nlu.evaluate import parse_messages

    items = cases(load_sets(directory))
    return language_metrics(kb, items, parse_messages(model, [i["text"] for i in items]))


def _pct(value: Optional[tuple]) -> str:
    return f"{value[0]:.1%} ({value[1]})" if value else "–"


def report_markdown(result: Mapping[str, Any], directory: str) -> str:
    rates = result["rates"]
    codes = [c for c in rates if c != "other"]
    lines = ["", "## Languages: Russian, Ukrainian, German, French", "",
             f"Held-out messages in `{directory}/` (written apart from the training data, by people who did not "
             "see it). Targets per language: myth accuracy ≥ 95%, factual questions ≥ 90%, reply in the user's "
             "language ≥ 99%. A factual question counts as answered when the bot's answer states one of the facts "
             "that answer it. Reply language: the language identifier gave the message's language (a message it "
             "leaves undecided is answered in the conversation's language, English in a fresh conversation, so it "
             "counts as wrong here). Short messages (\"ok\", \"11%?\") should leave the conversation's language "
             "as it is.", "",
             "| language | myths | factual questions | reply language | short messages keep the language |",
             "|---|---|---|---|---|"]
    for code in codes:
        r = rates[code]
        lines.append(f"| {code} | {_pct(r.get('myth'))} | {_pct(r.get('question'))} | {_pct(r.get('reply_language'))} "
                     f"| {_pct(r.get('short'))} |")
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
