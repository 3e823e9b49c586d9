"""bot/server/in_process_actions.py: custom actions run in the Rasa process and answer as
the action server would (results, rejections, unknown actions, failures); an action
marked `runs_in_thread` does not hold up the event loop. The actions are a package
written to tmp_path."""
from __future__ import annotations

import asyncio
import json
import sys

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from bot.server import in_process_actions
from bot.server.in_process_actions import InProcessActions

ACTIONS = '''
import threading

from rasa_sdk import Action
from rasa_sdk.events import SlotSet
from rasa_sdk.interfaces import ActionExecutionRejection

GATE = threading.Event()


class Greet(Action):
    def name(self):
        return "action_greet"

    def run(self, dispatcher, tracker, domain):
        dispatcher.utter_message(text="hello " + (tracker.latest_message.get("text") or ""))
        return [SlotSet("topic", "greeting")]


class Slow(Action):
    runs_in_thread = True

    def name(self):
        return "action_slow"

    def run(self, dispatcher, tracker, domain):
        assert GATE.wait(30), "the fast action never ran while this one waited"
        dispatcher.utter_message(text="slow done")
        return []


class Refuse(Action):
    def name(self):
        return "action_refuse"

    def run(self, dispatcher, tracker, domain):
        raise ActionExecutionRejection("action_refuse", "not now")


class Broken(Action):
    def name(self):
        return "action_broken"

    def run(self, dispatcher, tracker, domain):
        raise ValueError("bug")
'''


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    root = tmp_path_factory.mktemp("inproc")
    (root / "inproc_actions").mkdir()
    (root / "inproc_actions" / "__init__.py").write_text(ACTIONS)
    sys.path.insert(0, str(root))
    try:
        yield InProcessActions.from_endpoint(EndpointConfig(actions_module="inproc_actions"))
    finally:
        sys.path.remove(str(root))


def call(name: str, text: str = "there") -> dict:
    tracker = {"sender_id": "t", "slots": {}, "latest_message": {"text": text, "intent": {}, "entities": []},
               "events": [], "paused": False, "followup_action": None, "active_loop": {},
               "latest_action_name": "action_listen"}
    return {"next_action": name, "sender_id": "t", "tracker": tracker, "domain": {}, "version": "3.6.21"}


def test_only_an_endpoint_naming_a_module_runs_in_process(endpoint):
    assert isinstance(endpoint, InProcessActions) and endpoint.module == "inproc_actions"
    remote = EndpointConfig(url="http://127.0.0.1:1/webhook")
    assert InProcessActions.from_endpoint(remote) is remote
    assert InProcessActions.from_endpoint(None) is None
    assert InProcessActions.from_endpoint(endpoint) is endpoint


def test_an_action_answers_as_the_action_server_would(endpoint):
    result = asyncio.run(endpoint.request(json=call("action_greet"), method="post"))
    assert result["responses"][0]["text"] == "hello there"
    assert result["events"] == [{"event": "slot", "timestamp": None, "name": "topic", "value": "greeting"}]


@pytest.mark.parametrize("name, status", [("action_refuse", 400), ("action_missing", 404), ("action_broken", 500)])
def test_errors_come_back_as_the_action_server_reports_them(endpoint, name, status):
    with pytest.raises(ClientResponseError) as error:
        asyncio.run(endpoint.request(json=call(name)))
    assert error.value.status == status
    if status != 500:
        assert json.loads(error.value.text)["action_name"] == name


def test_a_slow_action_in_a_thread_leaves_the_event_loop_free(endpoint):
    gate = sys.modules["inproc_actions"].GATE
    gate.clear()

    async def both():
        slow = asyncio.ensure_future(endpoint.request(json=call("action_slow")))
        await asyncio.sleep(0)
        fast = await endpoint.request(json=call("action_greet"))  # answered while the slow one waits
        gate.set()
        return fast, await slow

    fast, slow = asyncio.run(both())
    assert fast["responses"][0]["text"] == "hello there"
    assert slow["responses"][0]["text"] == "slow done"
    assert endpoint.runs_in_thread("action_slow") and not endpoint.runs_in_thread("action_greet")


def test_rasa_runs_the_action_through_the_endpoint(endpoint):
    in_process_actions.install()
    action = RemoteAction("action_greet", endpoint)
    assert action._validate_action_result({"events": "not checked"}) is True
    remote = RemoteAction("action_greet", EndpointConfig(url="http://127.0.0.1:1/webhook"))
    with pytest.raises(Exception):
        remote._validate_action_result({"events": "not a list"})


def test_this_projects_practice_scoring_runs_in_a_thread():
    endpoint = InProcessActions("actions")
    threaded = {name for name in endpoint.executor.actions if endpoint.runs_in_thread(name)}
    assert {"action_start_practice", "validate_practice_form", "action_stop_practice"} <= threaded
    assert not threaded & {"action_answer_myth", "action_answer_question", "action_answer_followup",
                           "action_offer_topics", "action_ask_practice_answer", "action_practice_round_end"}
