"""bot/server/startup.py, around a stand-in for Rasa's load_agent: the action endpoint
becomes in-process when endpoints.yml names a module, a tracker store other than the
configured class stops the server, and the loaded objects are frozen for the GC."""
from __future__ import annotations

import asyncio
import gc
from types import SimpleNamespace

import pytest
import rasa.core.agent
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore
from rasa.utils.endpoints import EndpointConfig

from bot.server import startup
from bot.server.in_process_actions import InProcessActions

FAST = "bot.server.tracker_store.FastSQLTrackerStore"


@pytest.fixture
def load(monkeypatch):
    seen = {}

    async def rasa_load_agent(model_path=None, endpoints=None, **kwargs):
        seen["action"] = endpoints.action
        return SimpleNamespace(tracker_store=FailSafeTrackerStore(InMemoryTrackerStore(None)),
                               action_endpoint=endpoints.action, processor=None)

    monkeypatch.setattr(rasa.core.agent, "load_agent", rasa_load_agent)
    startup.install()
    yield lambda endpoints: asyncio.run(rasa.core.agent.load_agent(model_path="m", endpoints=endpoints)), seen
    gc.unfreeze()


def endpoints(action, store_type=None):
    return SimpleNamespace(action=action, tracker_store=EndpointConfig(type=store_type) if store_type else None)


def test_actions_module_runs_the_actions_in_process(load):
    run, seen = load
    run(endpoints(EndpointConfig(actions_module="actions")))
    assert isinstance(seen["action"], InProcessActions) and seen["action"].module == "actions"
    assert gc.get_freeze_count() > 0


def test_an_action_server_url_stays(load):
    run, seen = load
    remote = EndpointConfig(url="http://127.0.0.1:1/webhook")
    run(endpoints(remote, store_type="in_memory"))
    assert seen["action"] is remote


def test_a_store_other_than_the_configured_class_stops_the_server(load):
    run, _ = load
    with pytest.raises(SystemExit, match="InMemoryTrackerStore, not bot.server.tracker_store.FastSQLTrackerStore"):
        run(endpoints(None, store_type=FAST))
