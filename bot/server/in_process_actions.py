"""Custom actions inside the Rasa server process, without an action server.

Rasa 3.6 runs every custom action through `RemoteAction`, which only awaits
`action_endpoint.request(json=payload)` and reads the JSON answer (rasa/core/actions/
action.py, `RemoteAction.run`). `InProcessActions` is an `EndpointConfig` whose `request`
hands the same payload to rasa_sdk's `ActionExecutor` instead of sending it over HTTP.
That saves a process (and the memory of a second copy of spaCy), the HTTP hop and
encoding the whole tracker as JSON twice per action.

It is switched on by `actions_module: <package>` under `action_endpoint:` in
endpoints.yml, the key later Rasa versions use for the same thing; `url:` alone keeps the
separate action server (`rasa run actions`).

An action runs on the server's event loop, which for the usual action (a few
lookups and string formatting, well under a millisecond) is cheapest. An action whose
class sets `runs_in_thread = True` (practice mode, which scores an answer with spaCy and
loads its scorer on first use) runs in a small pool of threads, each with its own event
loop, so that while it works the event loop goes on serving every other conversation.
Errors come back the way the action server reports them: a rejected action as status
400 with its name, an unknown action as 404, any other failure as 500, so Rasa handles
them exactly as before.

Rasa checks every action server response against a JSON schema (about 0.8 ms a turn
here). Results of in-process actions are built by rasa_sdk from its own event classes
and checked by its `validate_events`, so `install()` lets them skip that check.
"""
from __future__ import annotations

import asyncio
import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, Optional, Text

from rasa.utils.endpoints import ClientResponseError, EndpointConfig

logger = logging.getLogger(__name__)
MODULE_KEY = "actions_module"
THREADS = 4


class InProcessActions(EndpointConfig):
    """An action endpoint that runs the actions of `module` in this process."""

    def __init__(self, module: Text, threads: int = THREADS, **kwargs: Any) -> None:
        kwargs.setdefault(MODULE_KEY, module)
        super().__init__(**kwargs)
        from rasa_sdk.executor import ActionExecutor

        self.module = module
        self.executor = ActionExecutor()
        registering = logging.getLogger("rasa_sdk.executor")
        level = registering.level
        registering.setLevel(logging.WARNING)  # one line per action otherwise
        try:
            self.executor.register_package(module)
        finally:
            registering.setLevel(level)
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="actions")
        self._local = threading.local()

    @classmethod
    def from_endpoint(cls, endpoint: Optional[EndpointConfig]) -> Optional[EndpointConfig]:
        """`endpoint` itself, or an InProcessActions if it names an `actions_module`."""
        if endpoint is None or isinstance(endpoint, cls) or not endpoint.kwargs.get(MODULE_KEY):
            return endpoint
        kwargs = dict(endpoint.kwargs)
        module = kwargs.pop(MODULE_KEY)
        return cls(module, url=endpoint.url, params=endpoint.params, headers=endpoint.headers,
                   basic_auth=endpoint.basic_auth, token=endpoint.token, token_name=endpoint.token_name, **kwargs)

    def runs_in_thread(self, action_name: Text) -> bool:
        action = getattr(self.executor.actions.get(action_name), "__self__", None)
        return bool(getattr(action, "runs_in_thread", False))

    def _run_in_thread(self, payload: Dict[Text, Any]) -> Optional[Dict[Text, Any]]:
        loop = getattr(self._local, "loop", None)
        if loop is None:
            loop = self._local.loop = asyncio.new_event_loop()
        return loop.run_until_complete(self.executor.run(payload))

    async def request(self, method: Text = "post", subpath: Optional[Text] = None, content_type: Optional[Text] = None,
                      compress: bool = False, **kwargs: Any) -> Optional[Any]:
        from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException

        payload = kwargs.get("json") or {}
        try:
            if not self.runs_in_thread(payload.get("next_action")):
                return await self.executor.run(payload)
            return await asyncio.get_running_loop().run_in_executor(self._pool, self._run_in_thread, payload)
        except ActionExecutionRejection as e:
            raise ClientResponseError(400, "rejected", json.dumps({"error": e.message, "action_name": e.action_name}))
        except ActionNotFoundException as e:
            logger.error(e)
            raise ClientResponseError(404, "not found", json.dumps({"error": e.message, "action_name": e.action_name}))
        except Exception as e:  # the action server answers 500; Rasa then reports the failed action
            logger.exception("custom action %s failed", payload.get("next_action"))
            raise ClientResponseError(500, "action failed", str(e)) from e

    def copy(self) -> "InProcessActions":
        return self


def install() -> None:
    """In-process results skip RemoteAction's schema check (see the module docstring)."""
    from rasa.core.actions.action import RemoteAction

    if getattr(RemoteAction, "_trusts_in_process_results", False):
        return
    validate = RemoteAction._validate_action_result

    def _validate_action_result(self, result: Dict[Text, Any]) -> bool:
        return isinstance(self.action_endpoint, InProcessActions) or validate(self, result)

    RemoteAction._validate_action_result = _validate_action_result
    RemoteAction._trusts_in_process_results = True
