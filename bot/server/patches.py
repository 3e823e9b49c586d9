"""The changes to Rasa 3.6 that `python -m bot.server` installs, and two of them.

`install()` puts in, each explained in its module: long sessions rotate and carry over
one value per slot (sessions.py), the prediction graph runs without Dask
(graph_runner.py), in-process action results skip the schema check
(in_process_actions.py), and the agent's start-up settles (startup.py: in-process
actions, tracker store check, gc.freeze). The three below are this module's own. (The
NLU components of bot/nlu/components.py load each language's spaCy pipeline once per
process themselves, so Rasa's SpacyNLP is not used and needs no change.)

Two measured fixes for Rasa 3.6's hot path (bench/profile_turns.py, docs/benchmarks.md).

`RemoteAction._validate_action_result` calls `jsonschema.validate`, which checks the
response *schema itself* against the JSON-Schema meta-schema before every validation.
With jsonschema 4.17 that was most of a turn's time on this 2-core machine
(bench/profile_turns.py; figures in docs/benchmarks.md). `install()`
swaps in a validator built once for the same schema: valid results pass as before; an
invalid one is handed to Rasa's original method, which raises the same error as before.

Loading a conversation from the tracker store turns every stored event back into an
object through `Event.resolve_by_type`, which walks all Event subclasses (calling
`inspect.isabstract` on each) for every single event. The classes do not change while
the server runs, so the lookup is remembered per type name; unknown names, defaults and
the legacy "topic" event behave exactly as before.

The bot's own files (knowledge, templates, every language's texts: about 30 YAML files)
are read with PyYAML's `yaml.safe_load`, whose parser is pure Python: 0.76 s of CPU at
start-up here. When PyYAML was built with libyaml, `install()` makes `yaml.safe_load` use
`CSafeLoader`: libyaml's parser with the same safe constructor and resolver, so the same
documents give the same objects (a test compares them for the whole content), in 0.09 s.
Rasa itself reads its YAML with ruamel.yaml and is not affected.
"""
from __future__ import annotations

from typing import Any, Dict


def install() -> None:
    """Idempotent; called by `python -m bot.server` before Rasa starts."""
    from bot.server import graph_runner, in_process_actions, sessions, startup

    _cache_action_result_validator()
    _cache_event_types()
    _parse_yaml_with_libyaml()
    sessions.install()
    graph_runner.install()
    in_process_actions.install()
    startup.install()


def _parse_yaml_with_libyaml() -> None:
    import yaml

    if not getattr(yaml, "__with_libyaml__", False) or getattr(yaml.safe_load, "_libyaml", False):
        return

    def safe_load(stream):
        return yaml.load(stream, Loader=yaml.CSafeLoader)

    safe_load._libyaml = True
    yaml.safe_load = safe_load


def _cache_event_types() -> None:
    from rasa.shared.core.events import Event

    if getattr(Event, "_types_cached", False):
        return
    original = Event.resolve_by_type
    known: Dict[str, Any] = {}

    def resolve_by_type(type_name, default=None):
        if type_name in known:
            return known[type_name]
        try:
            found = original(type_name)
        except ValueError:
            if default is not None:
                return default
            raise
        if found is not None:
            known[type_name] = found
        return found

    Event.resolve_by_type = staticmethod(resolve_by_type)
    Event._types_cached = True


def _cache_action_result_validator() -> None:
    import jsonschema
    from rasa.core.actions.action import RemoteAction

    if getattr(RemoteAction, "_validator_cached", False):
        return
    original = RemoteAction._validate_action_result
    schema = RemoteAction.action_response_format_spec()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)

    def validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
        if validator.is_valid(result):
            return True
        return original(self, result)  # raises Rasa's ValidationError with its message

    RemoteAction._validate_action_result = validate_action_result
    RemoteAction._validator_cached = True
