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
def root(project_copy, nlp_path, monkeypatch):
    monkeypatch.setenv("FACTCHECK_NLP", str(nlp_path))
    return project_copy


MYTH_FIGURES = {
    "nato_at_war": "UN Charter", "enlargement_promise": "1949", "nato_aggressive": "2008",
    "pushing_war": "2014", "deployments_threat": "eight", "encirclement": "11%",
    "ukraine_membership": "32", "operations_not_defensive": "1973", "nato_troops_in_ukraine": "no-fly zone",
}


@pytest.mark.parametrize("myth_id", sorted(MYTH_FIGURES))
def test_each_myth_gets_its_rebuttal_and_sets_the_topic(root, kb, myth_id):
    messages, events = run(ActionAnswerMyth(root), tracker(f"myth_{myth_id}", text=kb.myths[myth_id].claim))
    assert len(messages) == 1
    assert messages[0]["answer_template"] == "rebuttal" and messages[0]["topic"] == myth_id
    assert MYTH_FIGURES[myth_id] in messages[0]["text"]
    assert messages[0]["facts"] and messages[0]["buttons"]
    assert events == [SlotSet("topic", myth_id)]


def test_a_second_myth_in_the_message_is_offered(root):
    ranking = [{"name": "myth_encirclement", "confidence": 0.45},
               {"name": "myth_enlargement_promise", "confidence": 0.35}]
    t = tracker("myth_encirclement", 0.45, ranking, text="NATO promised not to expand and now it encircles Russia")
    messages, events = run(ActionAnswerMyth(root), t)
    assert [m["answer_template"] for m in messages] == ["rebuttal", "also_raised"]
    assert messages[1]["buttons"][0]["payload"] == "/myth_enlargement_promise"
    assert events == [SlotSet("topic", "encirclement")]


def test_named_detail_of_the_current_myth_answers_the_facet(root):
    t = tracker("myth_encirclement", entities=["Finland"], topic="encirclement", text="but Finland joined")
    messages, _ = run(ActionAnswerMyth(root), t)
    assert messages[0]["answer_template"] == "facet" and "April 2023" in messages[0]["text"]


@pytest.mark.parametrize("question,question_id,figure", [
    ("How many troops are under NATO command on the eastern flank?", "eastern_flank_troops", "40,000"),
    ("How many fighter jets and ships do the Allies have in the east?", "jets_and_ships", "130"),
    ("How many US troops are in Europe?", "us_troops_in_europe", "100,000"),
    ("Where are NATO's eight battlegroups?", "battlegroup_locations", "Bulgaria, Hungary, Romania and Slovakia"),
    ("How many countries are in NATO?", "allies_count", "32"),
    ("When did Ukraine and NATO start working together?", "ukraine_relations", "1991"),
    ("What did Russia demand in December 2021?", "december_2021_demands", "December 2021"),
    ("What is Article 5?", "article_5", "Article 5"),
    ("What did the European Parliament say about NATO in March 2022?", "ep_position", "1 March 2022"),
])
def test_a_question_whose_fact_leads_a_curated_answer_gets_it(root, question, question_id, figure):
    messages, events = run(ActionAnswerQuestion(root), tracker("ask_fact", text=question))
    assert messages[0]["answer_template"] == "question" and figure in messages[0]["text"]
    assert events == [SlotSet("topic", question_id)]


@pytest.mark.parametrize("question,fact_id,figure", [
    ("When did Finland join NATO?", "finland_doubled_border", "April 2023"),
    ("When was the NATO-Russia Council set up?", "nato_russia_council_2002", "2002"),
    ("How many people died in the war in Bosnia?", "bosnia_1992_1995", "100,000"),
    ("What does Article 10 of the Washington Treaty say?", "article10_open_door", "Article 10"),
])
def test_any_other_question_gets_the_fact_that_answers_it(root, kb, question, fact_id, figure):
    messages, events = run(ActionAnswerQuestion(root), tracker("ask_fact", text=question))
    assert messages[0]["answer_template"] == "fact_answer"
    assert messages[0]["facts"][0] == fact_id and 1 <= len(messages[0]["facts"]) <= 3
    assert figure in messages[0]["text"] and "Sources:\n[1]" in messages[0]["text"]
    # follow-ups then refer to a myth whose answer cites the fact
    topic = messages[0]["topic"]
    assert events == [SlotSet("topic", topic)]
    assert any(fact_id in p.facts for p in kb.myths[topic].passages()) or fact_id in kb.myths[topic].more


def test_a_nato_question_the_sources_do_not_answer_says_so(root):
    messages, events = run(ActionAnswerQuestion(root), tracker("ask_fact", text="How many nuclear warheads does NATO have?"))
    assert messages[0]["answer_template"] == "not_covered" and messages[0]["facts"] == []
    assert "don't answer" in messages[0]["text"] and not any(ch.isdigit() for ch in messages[0]["text"])
    assert events == []


def test_not_covered_says_what_the_sources_say_nearby(root):
    t = tracker("ask_fact", text="What is the population of Finland?")
    messages, _ = run(ActionAnswerQuestion(root), t)
    assert messages[0]["answer_template"] == "not_covered_nearby"
    assert "finland_doubled_border" in messages[0]["facts"] and "is a myth" not in messages[0]["text"]


def test_another_disinformation_topic_gets_no_nato_rebuttal(root):
    t = tracker("myth_encirclement", 0.5, text="There is no evidence at all that Russia was involved in shooting down MH17")
    messages, events = run(ActionAnswerMyth(root), t)
    assert messages[0]["answer_template"] == "off_topic" and events == []
    assert "is a myth" not in messages[0]["text"]


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


def test_fallback_between_two_tied_myths_asks_which(root):
    ranking = [{"name": "nlu_fallback", "confidence": 0.2},
               {"name": "myth_pushing_war", "confidence": 0.18},
               {"name": "myth_nato_at_war", "confidence": 0.175}]
    t = tracker("nlu_fallback", 0.2, ranking, text="NATO is at war and drags Europe into it")
    messages, _ = run(ActionOfferTopics(root), t)
    assert messages[0]["answer_template"] == "clarify"
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/myth_pushing_war", "/myth_nato_at_war"]


def test_actions_read_the_knowledge_they_are_given(root):
    """Data written to tmp_path is what the action answers with."""
    path = root / "data" / "knowledge" / "myths" / "encirclement.yml"
    data = yaml.safe_load(path.read_text())
    data["claim"] = "NATO has Russia surrounded"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    messages, _ = run(ActionAnswerMyth(root), tracker("myth_encirclement", text="NATO has Russia surrounded"))
    assert '"NATO has Russia surrounded" is a myth' in messages[0]["text"]


def test_restart_forgets_the_conversation_and_says_so(root):
    from actions.actions import ActionRestart
    from rasa_sdk.events import Restarted

    messages, events = run(ActionRestart(root), tracker("restart", topic="encirclement"))
    assert messages[0]["answer_template"] == "restarted" and "restarted" in messages[0]["text"]
    assert events == [Restarted()]


def test_with_no_topic_a_followup_that_asks_for_a_fact_gets_it(root):
    t = tracker("ask_about", entities=["Baker"], text="What did James Baker say about NATO enlargement in 1990?")
    messages, _ = run(ActionAnswerFollowup(root), t)
    assert messages[0]["answer_template"] == "fact_answer" and messages[0]["facts"][0] == "baker_genscher_1990"
