"""Serve without TensorFlow when the model does not need it.

Rasa 3.6 imports TensorFlow whatever the pipeline: `rasa.core.agent` reaches
`rasa.utils.train_utils`, which imports `rasa.utils.tensorflow.callback` and
`.data_generator` (both `import tensorflow` at module level), and loading a model imports
the training schema's `DefaultV1RecipeValidator`, which imports DIETClassifier,
ResponseSelector and TEDPolicy. TensorFlow is about 450 MB of memory and seconds of
start-up that this project's pipeline (spaCy, TF-IDF, rules) never uses.

`install(model)` (called by `python -m bot.server run|shell` before anything imports
Rasa) reads the model's metadata. If no component of its prediction graph
needs TensorFlow, it puts an import finder first on `sys.meta_path` that
- refuses `tensorflow` and its companions (spaCy's thinc then records "no TensorFlow",
  as it does when TensorFlow is not installed), and
- gives the five Rasa modules above placeholder classes of the same names, which raise
  if anything tries to build them: they exist only for import-time names and type hints.
If the model does use a TensorFlow component, nothing is installed and the returned
message says why: such a model is served exactly as Rasa serves it. Training
(`rasa train`) never runs this.
"""
from __future__ import annotations

import importlib.abc
import importlib.machinery
import json
import sys
import tarfile
import types
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

BLOCKED = ("tensorflow", "tensorflow_hub", "tensorflow_text", "tensorflow_addons", "keras",
           "tensorflow_probability", "tf_keras")
# Rasa modules that import TensorFlow at module level, with the names other Rasa modules
# import from them on the serving path (checked by tests/server/test_tf_guard.py).
PLACEHOLDERS: Dict[str, Tuple[str, ...]] = {
    "rasa.utils.tensorflow.callback": ("RasaTrainingLogger", "RasaModelCheckpoint"),
    "rasa.utils.tensorflow.data_generator": ("RasaDataGenerator", "RasaBatchDataGenerator"),
    "rasa.nlu.classifiers.diet_classifier": ("DIETClassifier",),
    "rasa.nlu.selectors.response_selector": ("ResponseSelector",),
    "rasa.core.policies.ted_policy": ("TEDPolicy",),
}
# Prediction components of Rasa 3.6 that need TensorFlow (module prefixes).
TF_COMPONENTS = (
    "rasa.nlu.classifiers.diet_classifier",
    "rasa.nlu.selectors.response_selector",
    "rasa.nlu.extractors.diet",
    "rasa.core.policies.ted_policy",
    "rasa.core.policies.unexpected_intent_policy",
    "rasa.nlu.featurizers.dense_featurizer.lm_featurizer",
    "rasa.nlu.featurizers.dense_featurizer.convert_featurizer",
    "rasa.utils.tensorflow",
)


class NeedsTensorFlow(RuntimeError):
    pass


def _placeholder_class(module: str, name: str) -> type:
    def refuse(*_args, **_kwargs):
        raise NeedsTensorFlow(f"{module}.{name} needs TensorFlow, which this server was started without "
                              "(bot/server/tf_guard.py); serve a model without TensorFlow components")

    return type(name, (), {"__module__": module, "__init__": refuse, "__init_subclass__": classmethod(
        lambda cls, **kw: None), "create": classmethod(refuse), "load": classmethod(refuse)})


class _Loader(importlib.abc.Loader):
    def create_module(self, spec):
        return types.ModuleType(spec.name)

    def exec_module(self, module) -> None:
        module.__doc__ = "Placeholder: the real module needs TensorFlow (bot/server/tf_guard.py)."
        module.TENSORFLOW_BLOCKED = True
        for name in PLACEHOLDERS[module.__name__]:
            setattr(module, name, _placeholder_class(module.__name__, name))


class TensorFlowBlocker(importlib.abc.MetaPathFinder):
    """Refuses TensorFlow; supplies placeholders for Rasa's TensorFlow-only modules."""

    def find_spec(self, fullname: str, path=None, target=None):
        if fullname.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named '{fullname}' (TensorFlow is kept out of this "
                                      "serving process by bot/server/tf_guard.py)", name=fullname)
        if fullname in PLACEHOLDERS:
            return importlib.machinery.ModuleSpec(fullname, _Loader())
        return None


def model_archive(model: Optional[str]) -> Optional[Path]:
    """The archive `rasa run --model` would load: a file, or the newest in a folder."""
    path = Path(model or "models")
    if path.is_dir():
        archives = sorted(path.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
        return archives[-1] if archives else None
    return path if path.is_file() else None


def components(archive: Path) -> List[str]:
    """Class paths of the model's prediction graph, from its metadata.json."""
    with tarfile.open(archive, "r:gz") as tar:
        member = next(m for m in tar.getmembers() if m.name.lstrip("/") == "metadata.json")
        metadata = json.load(tar.extractfile(member))
    return sorted({node["uses"] for node in metadata["predict_schema"]["nodes"].values()})


def tensorflow_components(uses: Iterable[str]) -> List[str]:
    return [u for u in uses if u.startswith(TF_COMPONENTS)]


def installed() -> bool:
    return any(isinstance(finder, TensorFlowBlocker) for finder in sys.meta_path)


def install(model: Optional[str]) -> str:
    """Keep TensorFlow out of this process if `model` does not need it; says what it did."""
    if installed():
        return "TensorFlow: not loaded (guard already installed)"
    archive = model_archive(model)
    if archive is None:
        return f"TensorFlow: guard off, no model found at {model or 'models'}"
    try:
        uses = components(archive)
    except (OSError, KeyError, StopIteration, ValueError, tarfile.TarError) as error:
        return f"TensorFlow: guard off, cannot read the metadata of {archive} ({error})"
    needing = tensorflow_components(uses)
    if needing:
        names = ", ".join(n.rsplit(".", 1)[-1] for n in needing)
        return f"TensorFlow: loaded, because {archive.name} uses {names}"
    already = sorted(name for name in sys.modules if name.split(".")[0] in BLOCKED or name in PLACEHOLDERS)
    if already:
        return f"TensorFlow: guard off, already imported ({', '.join(already[:3])})"
    sys.meta_path.insert(0, TensorFlowBlocker())
    return "TensorFlow: not loaded (the model has no TensorFlow component)"


def model_argument(argv: Sequence[str]) -> Optional[str]:
    """The value of `-m/--model` in a `rasa run` command line, if given."""
    for i, arg in enumerate(argv):
        if arg in ("-m", "--model") and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--model="):
            return arg.split("=", 1)[1]
    return None


def install_for_actions() -> str:
    """The action server (`run actions`): this project's actions need no TensorFlow, but
    spaCy would import it if it could (thinc/compat.py)."""
    if not installed():
        sys.meta_path.insert(0, TensorFlowBlocker())
    return "TensorFlow: not loaded (the actions need none)"
