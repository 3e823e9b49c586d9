"""How well the bot's answers (not only its intents) do on held-out messages: factual
questions answered with the right fact, out-of-domain messages declined, myth messages
rebutted with the right myth, and how often a single-myth message is asked "which claim?".

Pure: the caller parses the messages with the trained model (bot/nlu/evaluate.py) and
passes the parse results; `judge` runs the same decision and rendering as the actions.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

import yaml

from bot.answers import decide as D
from bot.answers.data import Retrieval
from bot.answers.respond import decide_message, respond
from bot.knowledge import Knowledge
from bot.knowledge.templates import Templates

FACTUAL, OUT_OF_DOMAIN, MYTH = "factual", "out_of_domain", "myth"


@dataclass(frozen=True)
class Outcome:
    category: str
    text: str
    expected: Tuple[str, ...]  # fact ids, the myth intent, or () for out of domain
    kind: str  # the decision's kind (bot/answers/decide.py)
    answer: str  # the fact answered first, the myth rebutted, or the reply template
    right: bool
    in_reply: bool  # an expected fact is among the facts the reply states
    asked_back: bool  # "which claim did you mean?" or the menu of claims
    rebutted: bool  # got a myth rebuttal


def _items(doc, key: str) -> List[Mapping]:
    items = doc.get(key) if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        raise ValueError(f"expected a list under '{key}'")
    return items


def load_factual(path: Path) -> List[Tuple[str, Tuple[str, ...]]]:
    """(question, expected fact ids) from `questions: [{text, facts}]`."""
    doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return [(str(item["text"]), tuple(item["facts"])) for item in _items(doc, "questions")]


def load_out_of_domain(path: Path) -> List[Tuple[str, str]]:
    """(message, kind of message) from `messages: [{text, kind}]`."""
    doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return [(str(item["text"]), str(item.get("kind") or "")) for item in _items(doc, "messages")]


def judge(kb: Knowledge, t: Templates, retrieval: Retrieval, category: str, text: str,
          expected: Sequence[str], parsed: Mapping) -> Outcome:
    message = {**parsed, "text": text}
    decision, _ = decide_message(kb, retrieval, message)
    replies = respond(kb, t, retrieval, message)
    stated = {f for r in replies for f in r.facts}
    if decision.kind == D.FACT or (category == FACTUAL and decision.answer):
        answer = decision.answer
    elif decision.kind == D.REBUT:
        answer = decision.intent
    else:
        answer = replies[0].template if replies else decision.kind
    if category == FACTUAL:
        right = decision.answer in expected  # a fact answer, or a rebuttal led by the fact
    elif category == MYTH:
        right = decision.kind == D.REBUT and decision.intent == expected[0]
    else:
        right = decision.kind not in (D.REBUT, D.FACT, D.CLARIFY)
    return Outcome(category, text, tuple(expected), decision.kind, answer, right,
                   bool(stated & set(expected)), decision.kind in (D.CLARIFY, D.UNSURE), decision.kind == D.REBUT)


def rates(outcomes: Sequence[Outcome]) -> Dict[str, float]:
    n = max(len(outcomes), 1)
    return {"n": len(outcomes), "right": sum(o.right for o in outcomes) / n,
            "in_reply": sum(o.in_reply for o in outcomes) / n, "asked_back": sum(o.asked_back for o in outcomes) / n,
            "no_rebuttal": sum(not o.rebutted for o in outcomes) / n}


def report_lines(factual: Sequence[Outcome], ood: Sequence[Outcome], myths: Sequence[Outcome],
                 sets: Mapping[str, str], tuning: Optional[str] = None) -> List[str]:
    """The markdown section of docs/nlu-report.md on answers, with every error listed."""
    f, o, m = rates(factual), rates(ood), rates(myths)
    lines = ["## Answers: facts, declines, rebuttals", "",
             "What the bot answers (the decision of bot/answers/decide.py and the reply the actions send), "
             "not only the intent. Every threshold was chosen by cross-validation on the training data "
             f"({tuning or 'make tune'}), never on these sets. The first measurement on them was taken once, "
             "after that. These figures are no longer strictly held-out: the error lists below had been read "
             "when three settings were added, and again when the question-vs-claim signals, typo-tolerant "
             "matching and more paraphrases per fact were written (from the error categories, not by patching "
             "messages); the other languages' rebuttal rates, measured on their held-out sets, decided that "
             "the settings tuned before those signals stay as they were. The later answer shapes and signals "
             "(a question rebutted as a myth led by the fact that answers it, evidence words learnt from the "
             "intent examples, nearness to questions the sources do not answer, question words per language) "
             "were likewise designed from the error categories, and their settings chosen by cross-validation "
             "over every language's training data. A factual question counts as answered when the reply leads "
             "with an expected fact: a fact answer, or a rebuttal that opens with it. "
             "The README gives the first figures.", "",
             "| measure | set | n | value | target |", "|---|---|---|---|---|",
             f"| factual questions answered with the right fact first | `{sets[FACTUAL]}` | {f['n']} | {f['right']:.1%} | >= 95% |",
             f"| factual questions whose reply states an expected fact anywhere | `{sets[FACTUAL]}` | {f['n']} | {f['in_reply']:.1%} | |",
             f"| out-of-domain messages given no myth rebuttal | `{sets[OUT_OF_DOMAIN]}` | {o['n']} | {o['no_rebuttal']:.1%} | >= 98% |",
             f"| out-of-domain messages declined (no rebuttal and no fact either) | `{sets[OUT_OF_DOMAIN]}` | {o['n']} | {o['right']:.1%} | |",
             f"| myth messages rebutted with the right myth | `{sets[MYTH]}` | {m['n']} | {m['right']:.1%} | >= 96.7% |",
             f"| single-myth messages asked \"which claim?\" or shown the menu | `{sets[MYTH]}` | {m['n']} | {m['asked_back']:.1%} | <= 2% |",
             ""]
    for title, items in (("Factual questions not answered with an expected fact first", factual),
                         ("Out-of-domain messages not declined (a fact answer is listed here too)", ood),
                         ("Myth messages not rebutted with the right myth", myths)):
        errors = [x for x in items if not x.right]
        lines += [f"### {title} ({len(errors)})", "", "| message | expected | decision | answer |", "|---|---|---|---|"]
        for x in errors:
            text = x.text.replace("|", "\\|").replace("\n", " ")
            lines.append(f"| {text} | {', '.join(x.expected) or '-'} | {x.kind} | {x.answer} |")
        lines.append("")
    return lines
