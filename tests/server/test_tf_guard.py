"""The serve-only TensorFlow guard (bot/server/tf_guard.py), checked against the pinned
Rasa: which of its modules import TensorFlow and which names the serving path takes
from them, that a model of this project loads without TensorFlow, and that a model with
a TensorFlow component is left to Rasa."""
from __future__ import annotations

import ast
import io
import json
import subprocess
import sys
import tarfile
from importlib.util import find_spec
from pathlib import Path

import pytest

from bot.server import tf_guard

from tests.bot_servers import MODEL, REPO


def model_with(tmp_path: Path, *uses: str) -> Path:
    metadata = {"predict_schema": {"nodes": {f"node{i}": {"uses": u} for i, u in enumerate(uses)}}}
    data = json.dumps(metadata).encode()
    path = tmp_path / "model.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo("metadata.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return path


def module_source(name: str) -> str:
    return Path(find_spec(name).origin).read_text()


def imported_names(source: str, module: str):
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == module:
            yield from (alias.name for alias in node.names)


@pytest.mark.parametrize("module", sorted(tf_guard.PLACEHOLDERS))
def test_each_replaced_rasa_module_imports_tensorflow_at_module_level(module):
    tree = ast.parse(module_source(module))
    top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    names = [a.name for n in top if isinstance(n, ast.Import) for a in n.names]
    names += [n.module for n in top if isinstance(n, ast.ImportFrom) and n.module]
    assert any(name.split(".")[0] == "tensorflow" or name in tf_guard.PLACEHOLDERS for name in names), module


@pytest.mark.parametrize("importer", ["rasa.utils.train_utils",
                                      "rasa.graph_components.validators.default_recipe_validator"])
def test_placeholders_offer_every_name_the_serving_path_imports(importer):
    source = module_source(importer)
    for module, names in tf_guard.PLACEHOLDERS.items():
        assert set(imported_names(source, module)) <= set(names), (importer, module)


def test_a_model_with_a_tensorflow_component_is_served_with_tensorflow(tmp_path):
    model = model_with(tmp_path, "rasa.nlu.tokenizers.whitespace_tokenizer.WhitespaceTokenizer",
                       "rasa.nlu.classifiers.diet_classifier.DIETClassifier")
    said = tf_guard.install(str(model))
    assert not tf_guard.installed()
    assert said == "TensorFlow: loaded, because model.tar.gz uses DIETClassifier"


def test_no_model_or_an_unreadable_one_leaves_tensorflow_alone(tmp_path):
    assert "no model found" in tf_guard.install(str(tmp_path / "missing.tar.gz"))
    (tmp_path / "broken.tar.gz").write_text("not a model")
    assert "cannot read" in tf_guard.install(str(tmp_path / "broken.tar.gz"))
    assert not tf_guard.installed()


def test_the_model_a_folder_serves_is_its_newest(tmp_path):
    old = model_with(tmp_path, "a.B")
    newer = tmp_path / "newer.tar.gz"
    newer.write_bytes(old.read_bytes())
    assert tf_guard.model_archive(str(tmp_path)) == newer
    assert tf_guard.model_archive(str(tmp_path / "missing")) is None


def test_model_argument():
    assert tf_guard.model_argument(["run", "--model", "m.tar.gz", "--port", "1"]) == "m.tar.gz"
    assert tf_guard.model_argument(["shell", "-m", "x"]) == "x"
    assert tf_guard.model_argument(["run", "--model=y"]) == "y"
    assert tf_guard.model_argument(["run"]) is None


PROBE = """
import asyncio, json, sys
from bot.server import tf_guard
assert tf_guard.install(sys.argv[1]).startswith("TensorFlow: not loaded"), tf_guard.install(sys.argv[1])
from rasa.core.agent import Agent
import rasa.server
agent = Agent.load(sys.argv[1])
parsed = asyncio.run(agent.parse_message("NATO is encircling Russia"))
loaded = sorted(m for m in sys.modules if m.split(".")[0] in tf_guard.BLOCKED)
print(json.dumps({"intent": parsed["intent"]["name"], "loaded": loaded}))
try:
    import tensorflow
except ModuleNotFoundError as error:
    print(json.dumps({"refused": str(error)}))
"""


def test_this_projects_model_loads_and_parses_without_tensorflow():
    assert MODEL.exists(), "train the model first: make train"
    result = subprocess.run([sys.executable, "-c", PROBE, str(MODEL)], cwd=REPO, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines[0] == {"intent": "myth_encirclement", "loaded": []}
    assert "tf_guard" in lines[1]["refused"]


def test_placeholder_classes_refuse_to_be_built():
    cls = tf_guard._placeholder_class("rasa.core.policies.ted_policy", "TEDPolicy")
    with pytest.raises(tf_guard.NeedsTensorFlow):
        cls()
    with pytest.raises(tf_guard.NeedsTensorFlow):
        cls.load({}, None, None, None)


def test_training_and_other_commands_get_no_guard():
    from bot.server.__main__ import guard_tensorflow

    assert guard_tensorflow(["train", "--config", "config.yml"]) is None
    assert guard_tensorflow(["data", "validate"]) is None
    assert not tf_guard.installed()
