"""actions/actions.py with CollectingDispatcher and Tracker.from_dict, on a copy of the
knowledge base in tmp_path."""
from __future__ import annotations

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import ActionAnswerFollowup, ActionAnswerMyth, ActionAnswerQuestion, ActionOfferTopics


def tracker(intent, confidence=0.9, ranking=None, entities=(), topic=None, text="..."):
    ranking = ranking if ranking is not None else [{"name": intent, "confidence": confidence}]
    return Tracker.from_dict({
        "sender_id": "test-user",
        "slots": {"topic": topic},
        "latest_message": {
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "intent_ranking": ranking,
            "entities": [{"entity": "x", "value": v} for v in entities],
        },
        "events": [],
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": "action_listen",
    })


def run(action, t):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, t, {})
    return dispatcher.messages, events


@pytest.fixture
def root(project_copy):
    return project_copy


MYTH_FIGURES = {
    "nato_at_war": "UN Charter", "enlargement_promise": "1949", "nato_aggressive": "2008",
    "pushing_war": "2014", "deployments_threat": "eight", "encirclement": "11%",
    "ukraine_membership": "32", "operations_not_defensive": "1973", "nato_troops_in_ukraine": "no-fly zone",
}


@pytest.mark.parametrize("myth_id", sorted(MYTH_FIGURES))
def test_each_myth_gets_its_rebuttal_and_sets_the_topic(root, myth_id):
    messages, events = run(ActionAnswerMyth(root), tracker(f"myth_{myth_id}"))
    assert len(messages) == 1
    assert messages[0]["answer_template"] == "rebuttal" and messages[0]["topic"] == myth_id
    assert MYTH_FIGURES[myth_id] in messages[0]["text"]
    assert messages[0]["facts"] and messages[0]["buttons"]
    assert events == [SlotSet("topic", myth_id)]


def test_a_second_myth_in_the_message_is_offered(root):
    ranking = [{"name": "myth_encirclement", "confidence": 0.45},
               {"name": "myth_enlargement_promise", "confidence": 0.35}]
    messages, events = run(ActionAnswerMyth(root), tracker("myth_encirclement", 0.45, ranking))
    assert [m["answer_template"] for m in messages] == ["rebuttal", "also_raised"]
    assert messages[1]["buttons"][0]["payload"] == "/myth_enlargement_promise"
    assert events == [SlotSet("topic", "encirclement")]


def test_named_detail_of_the_current_myth_answers_the_facet(root):
    t = tracker("myth_encirclement", entities=["Finland"], topic="encirclement", text="but Finland joined")
    messages, _ = run(ActionAnswerMyth(root), t)
    assert messages[0]["answer_template"] == "facet" and "April 2023" in messages[0]["text"]


@pytest.mark.parametrize("question_id,figure", [
    ("eastern_flank_troops", "40,000"), ("jets_and_ships", "130"), ("us_troops_in_europe", "100,000"),
    ("battlegroup_locations", "Bulgaria, Hungary, Romania and Slovakia"), ("allies_count", "32"),
    ("ukraine_relations", "1991"), ("december_2021_demands", "December 2021"), ("article_5", "Article 5"),
    ("ep_position", "1 March 2022"),
])
def test_each_factual_question_is_answered(root, question_id, figure):
    messages, events = run(ActionAnswerQuestion(root), tracker(f"ask_{question_id}"))
    assert messages[0]["answer_template"] == "question" and figure in messages[0]["text"]
    assert events == [SlotSet("topic", question_id)]


@pytest.mark.parametrize("intent,template", [
    ("ask_sources", "sources"), ("ask_more", "more"), ("ask_trust", "trust"), ("ask_changes", "changes"),
])
def test_followups_refer_to_the_topic_in_the_slot(root, intent, template):
    messages, events = run(ActionAnswerFollowup(root), tracker(intent, topic="operations_not_defensive"))
    assert messages[0]["answer_template"] == template
    assert messages[0]["topic"] == "operations_not_defensive"
    assert events == [SlotSet("topic", "operations_not_defensive")]


def test_what_about_libya_after_operations_answers_the_resolutions(root):
    t = tracker("ask_about", entities=["Libya"], topic="operations_not_defensive")
    messages, _ = run(ActionAnswerFollowup(root), t)
    assert messages[0]["answer_template"] == "facet"
    assert "1970 and 1973" in messages[0]["text"] and "Libya" in messages[0]["text"]


def test_followup_without_a_topic_offers_the_claims(root):
    messages, events = run(ActionAnswerFollowup(root), tracker("ask_sources"))
    assert messages[0]["answer_template"] == "no_topic" and events == []
    assert len(messages[0]["buttons"]) == 9


@pytest.mark.parametrize("intent,template", [
    ("ask_capabilities", "capabilities"), ("out_of_scope", "off_topic"), ("nlu_fallback", "unsure"),
])
def test_offer_topics_by_situation(root, intent, template):
    messages, events = run(ActionOfferTopics(root), tracker(intent, 0.2, ranking=[]))
    assert messages[0]["answer_template"] == template and events == []
    assert [b["payload"] for b in messages[0]["buttons"]][0] == "/myth_nato_at_war"


def test_fallback_between_two_close_myths_asks_which(root):
    ranking = [{"name": "nlu_fallback", "confidence": 0.2},
               {"name": "myth_pushing_war", "confidence": 0.18},
               {"name": "myth_nato_at_war", "confidence": 0.16}]
    messages, _ = run(ActionOfferTopics(root), tracker("nlu_fallback", 0.2, ranking))
    assert messages[0]["answer_template"] == "clarify"
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/myth_pushing_war", "/myth_nato_at_war"]


def test_actions_read_the_knowledge_they_are_given(root):
    """Data written to tmp_path is what the action answers with."""
    path = root / "data" / "knowledge" / "myths" / "encirclement.yml"
    data = yaml.safe_load(path.read_text())
    data["claim"] = "NATO has Russia surrounded"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    messages, _ = run(ActionAnswerMyth(root), tracker("myth_encirclement"))
    assert '"NATO has Russia surrounded" is a myth' in messages[0]["text"]
