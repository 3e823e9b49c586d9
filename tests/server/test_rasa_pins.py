"""Every piece of Rasa 3.6.21 that bot/server/ patches, wraps or subclasses, pinned by a
hash of its source. When Rasa is upgraded and one of these changes, the test names it:
re-read it, check the module that depends on it, then update the hash here."""
from __future__ import annotations

import ast
import hashlib
import importlib.util
from pathlib import Path

import pytest

RASA_SDK = "3.6.2"
PINNED = {
    # tf_guard.py: the import chain to TensorFlow
    "rasa.utils.train_utils": "7ae337d7a78d2c16",
    "rasa.utils.tensorflow.callback": "745cf6fe393d9fcb",
    "rasa.utils.tensorflow.data_generator": "9d766a17c1ef507e",
    # sessions.py
    "rasa.core.processor:MessageProcessor._has_session_expired": "43037aef2d706f9b",
    "rasa.core.processor:MessageProcessor._update_tracker_session": "b93694b80142d40c",
    "rasa.core.actions.action:ActionSessionStart": "3cc145bba9025f28",
    # in_process_actions.py: RemoteAction only awaits action_endpoint.request(json=...)
    "rasa.core.actions.action:RemoteAction.run": "b530fc5a6789c82f",
    "rasa.core.actions.action:RemoteAction._validate_action_result": "24da0f6bdeb2d44f",
    "rasa.utils.endpoints:EndpointConfig.__init__": "98fc23d8a60f7730",
    "rasa.utils.endpoints:EndpointConfig.request": "bc49eb77a158ac1e",
    "rasa_sdk.executor:ActionExecutor.run": "470406b0934cf641",
    # startup.py: wraps load_agent, which run.py looks up on the module
    "rasa.core.agent:load_agent": "f4f12a1775e8902c",
    "rasa.core.run:load_agent_on_start": "315d39a25c4a44b0",
    "rasa.core.tracker_store:_load_from_module_name_in_endpoint_config": "338175cb10d79768",
    # warm_up.py: parses a message through the NLU graph without touching any tracker
    "rasa.core.agent:Agent.parse_message": "b417d04937754eed",
    # tracker_store.py
    "rasa.core.tracker_store:SQLTrackerStore.__init__": "7c89f1231aac70a1",
    "rasa.core.tracker_store:SQLTrackerStore._retrieve": "78c7e08ac30924b6",
    "rasa.core.tracker_store:SQLTrackerStore._event_query": "6484d8ac7d14284b",
    "rasa.core.tracker_store:SQLTrackerStore.save": "ded301e08f4c708e",
    "rasa.core.tracker_store:SQLTrackerStore.session_scope": "c9bfcdd595e4b02b",
    # graph_runner.py
    "rasa.engine.runner.dask:DaskGraphRunner": "baadaf6063fe4d22",
    "rasa.core.processor:MessageProcessor._load_model": "dc5cda8c01f32977",
    # __main__.py: Rasa's warning filters, set when its command line starts
    "rasa.utils.common:_filter_warnings": "4b378fad1ce248c9",
    "rasa.utils.common:configure_logging_and_warnings": "d7aa0405c6ca792f",
    # lock_store.py: the wait loop it replaces, and the ticket it renews
    "rasa.core.lock_store:LockStore.lock": "d84cf99f0517cbc1",
    "rasa.core.lock_store:LockStore._acquire_lock": "7accecf388022dd4",
    "rasa.core.lock:Ticket": "7d7388295c956383",
    # patches.py
    "rasa.shared.core.events:Event.resolve_by_type": "ffabe9999fc8f7f3",
}


def source_hash(target: str) -> str:
    """Hash of a module's file, or of one definition in it, read from the file (not the
    live object, which may already be patched; some modules import TensorFlow)."""
    module_name, _, path = target.partition(":")
    source = Path(importlib.util.find_spec(module_name).origin).read_text()
    if path:
        node = ast.parse(source)
        for name in path.split("."):
            node = next(n for n in node.body if isinstance(n, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                        and n.name == name)
        source = ast.get_source_segment(source, node)
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def test_rasa_is_the_pinned_version():
    import rasa
    import rasa_sdk

    assert (rasa.__version__, rasa_sdk.__version__) == ("3.6.21", RASA_SDK)


@pytest.mark.parametrize("target", sorted(PINNED))
def test_patched_rasa_code_is_the_pinned_version(target):
    assert source_hash(target) == PINNED[target], f"{target} changed: re-check bot/server/ before updating the hash"
