"""bot/nlu/classifier.py as loaded from the trained model: coefficients in Fortran order,
so that predicting does not copy them."""
from __future__ import annotations

import tempfile
from pathlib import Path

from rasa.engine.loader import load_predict_graph_runner
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage

from tests.bot_servers import MODEL


def test_loaded_coefficients_are_in_fortran_order():
    runner = load_predict_graph_runner(Path(tempfile.mkdtemp()), MODEL, LocalModelStorage, DaskGraphRunner)[1]
    node = next(n for name, n in runner._instantiated_nodes.items() if "LemmaTfidfIntentClassifier" in name)
    coef = node._component.parts["clf"].coef_
    assert coef.flags.f_contiguous and coef.T.flags.c_contiguous
