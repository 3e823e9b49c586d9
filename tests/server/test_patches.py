"""bot/server/patches.py: the cached validator accepts and rejects exactly what Rasa did."""
from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from bot.server import patches


@pytest.fixture(scope="module")
def action():
    patches.install()
    patches.install()  # idempotent
    return RemoteAction("action_answer_myth", EndpointConfig("http://127.0.0.1:1/webhook"))


def test_valid_results_pass(action):
    result = {"events": [{"event": "slot", "name": "topic", "value": "encirclement"}],
              "responses": [{"text": "Fact.", "buttons": []}]}
    assert action._validate_action_result(result) is True


@pytest.mark.parametrize("bad", [
    {"events": [{"event": "no_such_event"}], "responses": []},
    {"events": "not a list", "responses": []},
    {"events": [], "responses": ["not an object"]},
])
def test_invalid_results_raise_rasas_error(action, bad):
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result(bad)


def test_schema_is_not_checked_on_every_call(action, monkeypatch):
    calls = []
    validator_class = jsonschema.validators.validator_for(RemoteAction.action_response_format_spec())
    monkeypatch.setattr(validator_class, "check_schema", classmethod(lambda cls, s: calls.append(s)))
    for _ in range(3):
        action._validate_action_result({"events": [], "responses": []})
    assert calls == []


def test_event_types_resolve_as_before():
    from rasa.shared.core.events import ActionExecuted, Event, SlotSet

    patches.install()
    for _ in range(2):
        assert Event.resolve_by_type("slot") is SlotSet
        assert Event.resolve_by_type("action") is ActionExecuted
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")
    restored = Event.from_parameters({"event": "slot", "name": "topic", "value": "encirclement"})
    assert restored == SlotSet("topic", "encirclement")


def test_the_nlu_components_of_the_model_share_one_load_of_each_pipeline():
    import tempfile
    from pathlib import Path

    from rasa.engine.loader import load_predict_graph_runner
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.engine.storage.local_model_storage import LocalModelStorage

    from bot.nlu.pipeline import load_pipelines
    from tests.bot_servers import MODEL

    patches.install()
    runner = load_predict_graph_runner(Path(tempfile.mkdtemp()), MODEL, LocalModelStorage, DaskGraphRunner)[1]
    names = list(runner._instantiated_nodes)
    assert not any("SpacyNLP" in name for name in names)
    readers = [node._component for name, node in runner._instantiated_nodes.items()
               if "Tokenizer" in name or "RulerEntityExtractor" in name]
    assert len(readers) == 2
    dirs = {str(Path(r._config["pipelines"]).resolve()) for r in readers}
    assert len(dirs) == 1 and load_pipelines(dirs.pop()) is load_pipelines(str(Path("build/spacy").resolve()))



def test_yaml_read_with_libyaml_gives_the_same_content():
    import yaml

    from bot.knowledge import content as content_module

    pure = lambda stream: yaml.load(stream, Loader=yaml.SafeLoader)  # noqa: E731
    patches.install()
    assert getattr(yaml.safe_load, "_libyaml", False) is yaml.__with_libyaml__
    fast = content_module._load.__wrapped__(content_module.project_root().resolve())
    original, yaml.safe_load = yaml.safe_load, pure
    try:
        slow = content_module._load.__wrapped__(content_module.project_root().resolve())
    finally:
        yaml.safe_load = original
    assert fast.codes == slow.codes and len(fast.codes) > 1
    for code in fast.codes:
        a, b = fast.for_language(code), slow.for_language(code)
        assert a.kb == b.kb and a.templates == b.templates and a.widget_strings == b.widget_strings
        assert code == "en" or a.translations[code] == b.translations[code]
