"""Held-out weak-point questions: does the first answer name what the independent record says?

Each question of a YAML file (``questions: [{text, topic, must_mention}]``) is parsed by the
trained model and answered by the custom action its intent is routed to (data/stories/
rules.yml), as the first message of a conversation. An answer passes when it contains
every ``must_mention`` phrase (case-insensitive). Writes a Markdown report.

    python -m bench.weak_points HELDOUT.yml MODEL.tar.gz REPORT.md
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Dict, List

import yaml


def _routes() -> Dict[str, str]:
    """intent -> action, from the one-step rules of data/stories/rules.yml."""
    from bot.knowledge import project_root

    rules = yaml.safe_load((project_root() / "data" / "stories" / "rules.yml").read_text(encoding="utf-8"))
    routes = {}
    for rule in rules.get("rules", []):
        steps = rule.get("steps") or []
        if len(steps) == 2 and "intent" in steps[0] and "action" in steps[1]:
            routes.setdefault(steps[0]["intent"], steps[1]["action"])
    return routes


def _action(intent: str, routes: Dict[str, str]):
    """The custom action the rules route ``intent`` to, or None (a fixed response)."""
    from actions import actions

    name = routes.get(intent) or routes.get("nlu_fallback")
    for value in vars(actions).values():
        if isinstance(value, type) and getattr(value, "action_name", None) == name:
            return value()
    return None


def answer(parsed: Dict, routes: Dict[str, str]) -> str:
    """The text the bot sends for one parsed first message (all its replies joined)."""
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    intent = (parsed.get("intent") or {}).get("name") or "nlu_fallback"
    action = _action(intent, routes)
    if action is None:
        return ""
    tracker = Tracker("heldout", {}, parsed, [], False, None, None, "action_listen")
    dispatcher = CollectingDispatcher()
    action.run(dispatcher, tracker, {})
    return "\n\n".join(m.get("text") or "" for m in dispatcher.messages)


def run(heldout: Path, model: Path) -> List[Dict]:
    from bot.knowledge import load_content
    from bot.nlu.evaluate import parse_messages

    kb = load_content().kb
    known = " ".join([f.text for f in kb.facts.values()] + [s.title for s in kb.sources.values()]
                     + [q.text for m in kb.myths.values() for q in m.qualifications]).lower()
    questions = yaml.safe_load(heldout.read_text(encoding="utf-8"))["questions"]
    parsed = parse_messages(model, [q["text"] for q in questions])
    routes = _routes()
    rows = []
    for q, p in zip(questions, parsed):
        text = answer(p, routes).lower()
        missing = [m for m in q["must_mention"] if m.lower() not in text]
        rows.append({"text": q["text"], "topic": q["topic"], "intent": (p.get("intent") or {}).get("name"),
                     "missing": missing, "known": all(m.lower() in known for m in q["must_mention"])})
    return rows


def report(rows: List[Dict], command: str) -> str:
    passed = sum(1 for r in rows if not r["missing"])
    by_topic = Counter(r["topic"] for r in rows)
    ok_topic = Counter(r["topic"] for r in rows if not r["missing"])
    lines = ["# Held-out weak-point questions", "",
             f"Produced by `{command}`. Each question is the first message of a conversation; it",
             "passes when the answer contains every `must_mention` phrase of the held-out file.", "",
             f"**{passed} of {len(rows)} answers pass.** Of the {len(rows) - passed} that fail, "
             f"{sum(1 for r in rows if r['missing'] and r['known'])} ask for phrases that are all in the knowledge "
             "base (facts, qualifications, source titles): the message was routed to an answer that "
             "does not state them.", "",
             "| topic | pass | of |", "|---|---|---|"]
    lines += [f"| {t} | {ok_topic[t]} | {n} |" for t, n in sorted(by_topic.items())]
    # the questions themselves stay out of the repository, so that no one trains on them
    routed = Counter((r["topic"], r["intent"]) for r in rows if r["missing"])
    lines += ["", "Failures by where the message was routed:", "", "| topic | routed to | failures |", "|---|---|---|"]
    lines += [f"| {t} | {i} | {n} |" for (t, i), n in sorted(routed.items())]
    return "\n".join(lines) + "\n"


def main(argv: List[str]) -> int:
    heldout, model, out = Path(argv[1]), Path(argv[2]), Path(argv[3])
    rows = run(heldout, model)
    out.write_text(report(rows, "make weak-points"), encoding="utf-8")
    print(f"{sum(1 for r in rows if not r['missing'])}/{len(rows)} pass; report in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
