"""Practice mode actions (actions/practice.py) with rasa_sdk's CollectingDispatcher and
Tracker.from_dict: events, template names and the facts the replies state."""
from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.practice import (
    ActionAskPracticeAnswer, ActionAskPracticeReply, ActionPracticeRoundEnd, ActionStartPractice,
    ActionStopPractice, ValidatePracticeForm,
)
from bot.knowledge.practice_spec import practice_spec

REPO = Path(__file__).resolve().parents[2]
WEAK = "NATO borders about half of Russia now, and Finland joined in 2019."
STRONG = ("Only about 11% of Russia's land border touches NATO countries, and that already includes Finland. "
          "Russia is the largest country in the world, with eleven time zones, so this is no ring. "
          "The map trick hides scale. Source: NATO's fact-check page.")


@pytest.fixture(scope="module")
def domain() -> Dict[str, Any]:
    return yaml.safe_load((REPO / "responses" / "practice.yml").read_text(encoding="utf-8"))


def tracker(text: str = "", slots: Optional[Dict[str, Any]] = None, entities=None, intent: str = "start_practice",
            events: Optional[List[Dict[str, Any]]] = None, loop: Optional[str] = None) -> Tracker:
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities or []}
    user = {"event": "user", "text": text, "parse_data": message}
    return Tracker.from_dict({
        "sender_id": "trainee-1",
        "slots": slots or {},
        "latest_message": message,
        "events": [user] + (events or []),
        "paused": False,
        "followup_action": None,
        "active_loop": {"name": loop} if loop else {},
        "latest_action_name": "action_listen",
    })


def run(action, t: Tracker, domain=None):
    dispatcher = CollectingDispatcher()
    result = action.run(dispatcher, t, domain or {})
    if asyncio.iscoroutine(result):
        result = asyncio.run(result)
    return dispatcher.messages, {e["name"]: e["value"] for e in result if e.get("event") == "slot"}


def templates_of(messages) -> List[str]:
    return [m["answer_template"] for m in messages]


# --------------------------------------------------------------------------- starting


def test_start_from_the_rebuttal_button(kb):
    messages, slots = run(ActionStartPractice(REPO), tracker("/start_practice", entities=[
        {"entity": "myth", "value": "encirclement"}]))
    assert templates_of(messages) == ["practice_intro"]
    assert kb.myths["encirclement"].claim in messages[0]["text"]
    assert slots == {"practice_myth": "encirclement", "practice_voice": 0, "practice_answer": None,
                     "practice_reply": None, "topic": "encirclement"}


def test_start_with_the_myth_named_in_the_message():
    _, slots = run(ActionStartPractice(REPO), tracker("train me on the enlargement myth"))
    assert slots["practice_myth"] == "enlargement_promise"


def test_again_repeats_the_myth_with_another_voice():
    log = [{"myth": "encirclement", "stage": "answer", "score": 40, "missing": []}]
    _, slots = run(ActionStartPractice(REPO), tracker(
        "same one again", slots={"practice_myth": "encirclement", "practice_log": log}))
    assert slots["practice_myth"] == "encirclement" and slots["practice_voice"] == 1


def test_random_myth_prefers_one_not_practised(kb):
    log = [{"myth": m, "stage": "answer", "score": 50, "missing": []} for m in list(kb.myths)[:-1]]
    _, slots = run(ActionStartPractice(REPO), tracker("let's practise", slots={"practice_log": log}))
    assert slots["practice_myth"] == list(kb.myths)[-1]


def test_the_voice_is_a_realistic_variant_not_the_catalogue_title(kb):
    spec = practice_spec(kb.myths["encirclement"])
    messages, slots = run(ActionAskPracticeAnswer(REPO), tracker(
        slots={"practice_myth": "encirclement", "practice_voice": 2}))
    assert templates_of(messages) == ["practice_voice"] and slots == {}
    assert spec.voices[2] in messages[0]["text"]
    assert kb.myths["encirclement"].claim not in messages[0]["text"]
    assert "/stop_practice" in [b["payload"] for b in messages[0]["buttons"]]


# --------------------------------------------------------------------------- scoring


def answer_tracker(slot: str, text: str, log=None) -> Tracker:
    slots = {"practice_myth": "encirclement", "practice_voice": 0, "practice_log": log or [],
             "requested_slot": slot, slot: text}
    return tracker(text, slots=slots, intent="myth_encirclement", loop="practice_form",
                   events=[{"event": "slot", "name": slot, "value": text}])


def test_an_answer_is_scored_explained_and_logged(domain, pipelines):
    messages, slots = run(ValidatePracticeForm(REPO, pipelines), answer_tracker("practice_answer", WEAK), domain)
    assert templates_of(messages) == ["practice_feedback", "practice_model_answer"]
    feedback = messages[0]["text"]
    assert '"half"' in feedback and "11%" in feedback and '"2019"' in feedback and "April 2023" in feedback
    assert {"border_share_11", "finland_doubled_border"} <= set(messages[0]["facts"])
    assert "border_share_11" in messages[1]["facts"]
    assert slots["practice_answer"] == WEAK
    (entry,) = slots["practice_log"]
    assert entry["myth"] == "encirclement" and entry["stage"] == "answer" and entry["score"] < 30
    assert set(entry["missing"]) == {"small_border_share", "finland_included", "russia_vast"}


def test_a_strong_answer_scores_high(domain, pipelines):
    messages, slots = run(ValidatePracticeForm(REPO, pipelines), answer_tracker("practice_answer", STRONG), domain)
    (entry,) = slots["practice_log"]
    assert entry["score"] >= 85 and entry["missing"] == []
    assert "Score: " in messages[0]["text"]


def test_a_too_short_answer_is_asked_again(domain, pipelines):
    messages, slots = run(ValidatePracticeForm(REPO, pipelines), answer_tracker("practice_answer", "no idea"), domain)
    assert templates_of(messages) == ["practice_too_short"]
    assert slots == {"practice_answer": None}


def test_empty_slots_checked_when_the_form_starts_are_not_scored(domain, pipelines):
    slots = {"practice_myth": "encirclement", "practice_voice": 0, "practice_answer": None, "practice_reply": None}
    t = tracker("/start_practice", slots=slots, loop="practice_form", events=[
        {"event": "slot", "name": "practice_answer", "value": None},
        {"event": "slot", "name": "practice_reply", "value": None}])
    messages, events = run(ValidatePracticeForm(REPO, pipelines), t, domain)
    assert messages == [] and "practice_log" not in events


def test_the_push_back_and_the_reply_to_it(kb, domain, pipelines):
    spec = practice_spec(kb.myths["encirclement"])
    messages, _ = run(ActionAskPracticeReply(REPO), tracker(slots={"practice_myth": "encirclement"}))
    assert templates_of(messages) == ["practice_counter"] and spec.counter.text in messages[0]["text"]
    log = [{"myth": "encirclement", "stage": "answer", "score": 20, "missing": ["russia_vast"]}]
    reply = "Even after Finland joined in April 2023, only 11% of Russia's land border is shared with NATO."
    messages, slots = run(ValidatePracticeForm(REPO, pipelines), answer_tracker("practice_reply", reply, log), domain)
    assert templates_of(messages) == ["practice_feedback", "practice_model_reply"]
    assert {"finland_doubled_border", "border_share_11"} <= set(messages[1]["facts"])
    assert [e["stage"] for e in slots["practice_log"]] == ["answer", "counter"]
    assert slots["practice_log"][1]["missing"] == []


# --------------------------------------------------------------------------- ending


def test_round_end_offers_again_another_and_finish(kb):
    log = [{"myth": "encirclement", "stage": "answer", "score": 20, "missing": []},
           {"myth": "encirclement", "stage": "counter", "score": 90, "missing": []}]
    messages, slots = run(ActionPracticeRoundEnd(REPO), tracker(slots={"practice_myth": "encirclement",
                                                                       "practice_log": log}))
    assert templates_of(messages) == ["practice_round_end"]
    assert "20/100" in messages[0]["text"] and "90/100" in messages[0]["text"]
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads == ['/start_practice{"myth":"encirclement"}', "/start_practice", "/stop_practice"]
    assert slots == {"practice_answer": None, "practice_reply": None}


def test_stop_shows_the_summary(kb):
    log = [{"myth": "encirclement", "stage": "answer", "score": 20, "missing": ["russia_vast"]},
           {"myth": "nato_at_war", "stage": "answer", "score": 70, "missing": ["aid_from_allies"]},
           {"myth": "encirclement", "stage": "answer", "score": 60, "missing": ["russia_vast"]}]
    messages, slots = run(ActionStopPractice(REPO), tracker("stop", intent="stop_practice",
                                                            slots={"practice_log": log}))
    assert templates_of(messages) == ["practice_summary"]
    text = messages[0]["text"]
    assert kb.myths["encirclement"].claim in text and kb.myths["nato_at_war"].claim in text
    assert "20, 60" in text and "70" in text
    label = practice_spec(kb.myths["encirclement"]).key_point("russia_vast").label
    assert text.index(label) < text.index(practice_spec(kb.myths["nato_at_war"]).key_point("aid_from_allies").label)
    assert "russia_size" in messages[0]["facts"]
    assert slots == {"requested_slot": None, "practice_answer": None, "practice_reply": None}


def test_stop_without_practice_says_how_to_start():
    messages, _ = run(ActionStopPractice(REPO), tracker("stop", intent="stop_practice"))
    assert templates_of(messages) == ["practice_nothing_yet"]


# --------------------------------------------------------------------------- other knowledge


def _keep_practice(project: Path, kept: set) -> None:
    """Remove the practice block of every myth not in ``kept``, in every language."""
    knowledge = project / "data" / "knowledge"
    for path in (knowledge / "myths").glob("*.yml"):
        if path.stem not in kept:
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
            doc.pop("practice", None)
            path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    for path in (knowledge / "i18n" / "practice").glob("*.yml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if doc.get("myths"):
            doc["myths"] = {k: v for k, v in doc["myths"].items() if k in kept}
            path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_actions_read_the_knowledge_under_their_root(project_copy, pipelines):
    """Only myths with a practice block are practised; with none, the bot says so."""
    _keep_practice(project_copy, {"nato_at_war"})
    _, slots = run(ActionStartPractice(project_copy, pipelines), tracker("train me on the encirclement myth"))
    assert slots["practice_myth"] == "nato_at_war"
    _keep_practice(project_copy, set())
    empty = project_copy.parent / "empty"
    shutil.copytree(project_copy, empty)
    messages, slots = run(ActionStartPractice(empty, pipelines), tracker("let's practise"))
    assert templates_of(messages) == ["practice_unavailable"] and slots == {"practice_myth": None}


def test_stop_in_the_middle_of_a_round_ends_the_form():
    t = tracker("stop", intent="stop_practice", loop="practice_form",
                slots={"practice_myth": "encirclement", "requested_slot": "practice_answer"})
    dispatcher = CollectingDispatcher()
    events = ActionStopPractice(REPO).run(dispatcher, t, {})
    assert templates_of(dispatcher.messages) == ["practice_nothing_yet"]
    assert {"event": "active_loop", "name": None} in [
        {"event": e["event"], "name": e.get("name")} for e in events if e["event"] == "active_loop"]
    assert any(e.get("name") == "requested_slot" and e.get("value") is None for e in events)


def test_a_long_answer_taken_for_stop_is_scored_and_the_round_goes_on(pipelines):
    text = "Honestly the weapons do make things worse, maybe NATO should stop sending them to Ukraine."
    t = tracker(text, intent="stop_practice", loop="practice_form",
                slots={"practice_myth": "nato_at_war", "requested_slot": "practice_answer", "practice_log": []})
    messages, slots = run(ActionStopPractice(REPO, pipelines), t)
    assert templates_of(messages) == ["practice_feedback", "practice_model_answer"]
    assert slots["practice_answer"] == text and slots["practice_log"][0]["myth"] == "nato_at_war"
    assert "requested_slot" not in slots
