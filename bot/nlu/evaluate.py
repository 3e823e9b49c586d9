"""NLU quality on the held-out test set: per-intent accuracy, macro-F1, off-topic rejection.

`metrics` is pure; `evaluate_model` loads a trained Rasa model and parses every test
message; `report_markdown` writes the table that docs/nlu-report.md holds.
"""
from __future__ import annotations

import asyncio
import datetime as _dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Sequence, Tuple

import yaml

OUT_OF_SCOPE = "out_of_scope"
FALLBACK = "nlu_fallback"
OTHER_LANGUAGE = "use_other_language"


@dataclass(frozen=True)
class Prediction:
    text: str
    expected: str
    predicted: str
    confidence: float


FACT_INTENT = "ask_fact"


def as_trained(intent: str) -> str:
    """The intent the model is trained for: factual questions labelled ask_<question id>
    in older test sets all share ask_fact now."""
    return FACT_INTENT if intent.startswith("ask_") and intent not in FOLLOWUPS else intent


def load_test_set(path: Path) -> List[Tuple[str, str]]:
    """(text, intent) pairs from a Rasa NLU YAML file, intents as the model is trained."""
    doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    pairs = []
    for block in doc.get("nlu", []):
        intent = block.get("intent")
        for line in (block.get("examples") or "").splitlines():
            line = line.strip()
            if intent and line.startswith("- "):
                pairs.append((line[2:].strip(), as_trained(intent)))
    return pairs


def is_topic(intent: str) -> bool:
    """Whether the intent alone leads to a rebuttal or a curated answer. ask_fact does not:
    its answer (a fact, or "my sources don't say") is measured on answers, bot/answers/measure.py."""
    return intent.startswith("myth_") or (intent.startswith("ask_") and intent not in FOLLOWUPS | {FACT_INTENT})


FOLLOWUPS = {"ask_sources", "ask_more", "ask_trust", "ask_changes", "ask_about", "ask_capabilities"}


def metrics(predictions: Sequence[Prediction]) -> Dict:
    """Accuracy per intent, macro-F1 over intents, myth accuracy, off-topic rejection."""
    by_intent: Dict[str, List[Prediction]] = defaultdict(list)
    for p in predictions:
        by_intent[p.expected].append(p)
    tp, fp, fn = Counter(), Counter(), Counter()
    for p in predictions:
        if p.predicted == p.expected:
            tp[p.expected] += 1
        else:
            fn[p.expected] += 1
            fp[p.predicted] += 1
    per_intent = {}
    f1s = []
    for intent, items in sorted(by_intent.items()):
        precision = tp[intent] / (tp[intent] + fp[intent]) if tp[intent] + fp[intent] else 0.0
        recall = tp[intent] / len(items)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        f1s.append(f1)
        per_intent[intent] = {"n": len(items), "accuracy": recall, "precision": precision, "f1": f1}
    myths = [p for p in predictions if p.expected.startswith("myth_")]
    oos = [p for p in predictions if p.expected == OUT_OF_SCOPE]
    return {
        "n": len(predictions),
        "accuracy": sum(p.predicted == p.expected for p in predictions) / max(len(predictions), 1),
        "macro_f1": sum(f1s) / max(len(f1s), 1),
        "myth_accuracy": sum(p.predicted == p.expected for p in myths) / max(len(myths), 1),
        # an off-topic message is rejected when it gets no myth or question answer
        "oos_rejection": sum(not is_topic(p.predicted) for p in oos) / max(len(oos), 1),
        "per_intent": per_intent,
        "errors": [p for p in predictions if p.predicted != p.expected],
    }


async def _parse_all(model: Path, texts: Iterable[str]) -> List[Dict]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    return [await agent.parse_message(text) for text in texts]


def parse_messages(model: Path, texts: Sequence[str]) -> List[Dict]:
    """Rasa's parse result (intent, intent_ranking, entities) for each text."""
    import logging

    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    logging.getLogger("rasa").setLevel(logging.WARNING)
    return asyncio.run(_parse_all(model, texts))


def in_other_languages(texts: Iterable[str], languages: Sequence[str]) -> List[str]:
    """The texts that fastText (probability 0.5 or more, a fixed rule apart from the bot's
    own thresholds) or the letters put in one of ``languages``: the English
    set was written when the bot spoke only English, and expects `out_of_scope` for them;
    they are measured with the language sets instead."""
    from bot.nlu.lid import guess_language

    return [t for t in texts if guess_language(t, tuple(languages), default="", min_p=0.5) in languages]


def evaluate_model(model: Path, test_set: Path, skip: Iterable[str] = ()) -> List[Prediction]:
    skipped = set(skip)
    pairs = [(t, i) for t, i in load_test_set(test_set) if t not in skipped]
    parsed = parse_messages(model, [t for t, _ in pairs])
    out = []
    for (text, expected), result in zip(pairs, parsed):
        intent = result.get("intent") or {}
        name = intent.get("name") or FALLBACK
        if name == OTHER_LANGUAGE and expected == OUT_OF_SCOPE:
            name = OUT_OF_SCOPE  # declined, in English, naming the languages the bot speaks
        out.append(Prediction(text, expected, name, float(intent.get("confidence") or 0.0)))
    return out


def load_two_myths(path: Path) -> List[Tuple[str, Tuple[str, str]]]:
    doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return [(item["text"], tuple(item["intents"])) for item in doc["two_myths"]]


def two_myth_rate(kb, cases: Sequence[Tuple[str, Tuple[str, str]]], parsed: Sequence[Dict]) -> Dict:
    """How often the bot answers one of the two myths and offers the other."""
    from bot.nlu.understand import second_myth

    answered = both = 0
    for (_, intents), result in zip(cases, parsed):
        main = (result.get("intent") or {}).get("name")
        if main in intents:
            answered += 1
            other = second_myth(kb, result.get("intent_ranking"), main, result.get("clause_intents"))
            both += other is not None and other.intent in intents
    n = max(len(cases), 1)
    return {"n": len(cases), "answered_one": answered / n, "offered_other": both / n}


def false_offer_rate(kb, parsed_single_myth: Sequence[Dict]) -> float:
    """Share of single-myth messages for which a second myth would wrongly be offered."""
    from bot.nlu.understand import second_myth

    offers = [
        second_myth(kb, r.get("intent_ranking"), (r.get("intent") or {}).get("name"), r.get("clause_intents"))
        for r in parsed_single_myth
    ]
    return sum(o is not None for o in offers) / max(len(offers), 1)


def report_markdown(result: Dict, test_set: str, command: str, two_myths: Dict = None,
                    skipped: Sequence[str] = ()) -> str:
    lines = [
        "# NLU accuracy on the held-out test set",
        "",
        f"Measured {_dt.date.today().isoformat()} with `{command}` on `{test_set}` "
        f"({result['n']} messages written separately from the training data).",
        "",
        "| measure | value |",
        "|---|---|",
        f"| myth accuracy | {result['myth_accuracy']:.1%} |",
        f"| off-topic rejection | {result['oos_rejection']:.1%} |",
        f"| overall accuracy | {result['accuracy']:.1%} |",
        f"| macro-F1 | {result['macro_f1']:.3f} |",
        "",
        "A prediction of `nlu_fallback` (low confidence) counts as wrong for every intent except "
        "that it does reject an off-topic message, and so does `ask_fact`: whether a fact or \"my "
        "sources don't say\" follows is measured on the answers (section below).",
        "",
    ]
    if skipped:
        lines += [f"Not counted here: {len(skipped)} messages of this set in Russian, Ukrainian, German or French. "
                  "The set was written when the bot spoke only English and expects `out_of_scope` for them; the "
                  "bot now answers them in their language, measured with the language sets below: "
                  + "; ".join(f"\"{t}\"" for t in skipped) + ".", ""]
    lines += [
        "| intent | n | accuracy | precision | F1 |",
        "|---|---|---|---|---|",
    ]
    for intent, m in result["per_intent"].items():
        lines.append(f"| {intent} | {m['n']} | {m['accuracy']:.0%} | {m['precision']:.0%} | {m['f1']:.2f} |")
    if two_myths:
        lines += ["", "## Two myths in one message", "",
                  f"On {two_myths['n']} messages that raise two myths (tests/nlu/two_myths.yml), the bot "
                  f"answered one of the two in {two_myths['answered_one']:.0%} and also offered the other "
                  f"in {two_myths['offered_other']:.0%}. On the {two_myths.get('single_n', 0)} single-myth "
                  f"messages of the test set it wrongly offered a second myth in "
                  f"{two_myths.get('false_offers', 0):.1%}. The thresholds in bot/nlu/understand.py were chosen "
                  "on these same messages, so these two figures are optimistic."]
    lines += ["", "## Errors", "", "| message | expected | predicted | confidence |", "|---|---|---|---|"]
    for p in result["errors"]:
        text = p.text.replace("|", "\\|")
        lines.append(f"| {text} | {p.expected} | {p.predicted} | {p.confidence:.2f} |")
    return "\n".join(lines) + "\n"
