"""What happens once when the Rasa server has loaded its agent.

Rasa's `rasa run` loads the agent through `rasa.core.agent.load_agent` (looked up on
the module by `rasa.core.run.load_agent_on_start`); `install()` wraps it to
- run custom actions in this process when endpoints.yml names an `actions_module`
  (in_process_actions.py), before the agent is built with the action endpoint;
- refuse to start if the tracker store is not the class endpoints.yml names: Rasa falls
  back to an in-memory store, with only a warning, when a custom class cannot be
  imported, and the conversations would then be lost on restart;
- print one line saying what serves: model, tracker store, custom actions;
- load what the first messages need (warm_up.py): English before the server listens,
  the other languages in a background thread after it;
- `gc.freeze()`: the model, domain and libraries loaded at start-up (about 300,000
  objects) stay for the life of the server, so the garbage collector stops walking
  them; a full collection took about 100 ms here before and well under 1 ms after
  (with the memory freed while loading handed back first: warm_up.settle).
"""
from __future__ import annotations

import sys
from typing import Any

from bot.server import warm_up
from bot.server.in_process_actions import InProcessActions


class WrongTrackerStore(SystemExit):
    pass


def configured_store_class(endpoints: Any) -> str:
    store = getattr(endpoints, "tracker_store", None)
    kind = getattr(store, "type", None) or ""
    return kind if "." in kind else ""


def check_tracker_store(agent: Any, expected: str) -> str:
    """The class name of the agent's tracker store; exits if it is not `expected`."""
    store = agent.tracker_store
    store = getattr(store, "_tracker_store", store)  # Rasa wraps it in a FailSafeTrackerStore
    actual = f"{type(store).__module__}.{type(store).__name__}"
    if expected and actual != expected:
        raise WrongTrackerStore(f"tracker store is {actual}, not {expected} as endpoints.yml says; "
                                "see the warning above for why it could not be created")
    return type(store).__name__


def describe(agent: Any, store: str) -> str:
    actions = agent.action_endpoint
    if isinstance(actions, InProcessActions):
        where = f"in this process ({actions.module})"
    else:
        where = actions.url if actions is not None else "none"
    return f"Serving {agent.processor.model_filename if agent.processor else 'no model'}: " \
           f"tracker store {store}, custom actions {where}"


def install() -> None:
    import rasa.core.agent as agent_module

    if getattr(agent_module.load_agent, "_bot_server", False):
        return
    load_agent = agent_module.load_agent

    async def load_agent_and_settle(*args: Any, endpoints: Any = None, **kwargs: Any):
        if endpoints is not None:
            endpoints.action = InProcessActions.from_endpoint(endpoints.action)
        agent = await load_agent(*args, endpoints=endpoints, **kwargs)
        store = check_tracker_store(agent, configured_store_class(endpoints))
        actions_here = isinstance(agent.action_endpoint, InProcessActions)
        model = getattr(agent, "processor", None) is not None
        if model:
            await warm_up.before_ready(agent, actions_here)
        print(describe(agent, store), file=sys.stderr, flush=True)
        warm_up.settle()
        if model:
            warm_up.after_ready(actions_here)
        return agent

    load_agent_and_settle._bot_server = True
    agent_module.load_agent = load_agent_and_settle
