"""bot/server/graph_runner.py gives what Rasa's Dask runner gives, on this project's model."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.engine.loader import load_predict_graph_runner
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage

from bot.server.graph_runner import SequentialGraphRunner
from tests.bot_servers import MODEL

MESSAGES = ["NATO is encircling Russia", "source?", "hello", "how many US troops are in Europe?"]


def runner(cls):
    return load_predict_graph_runner(Path(tempfile.mkdtemp()), MODEL, LocalModelStorage, cls)[1]


@pytest.fixture(scope="module")
def runners():
    assert MODEL.exists(), "train the model first: make train"
    return runner(DaskGraphRunner), runner(SequentialGraphRunner)


def parsed(graph_runner, text: str) -> dict:
    output = graph_runner.run(inputs={"__message__": [UserMessage(text)]}, targets=["run_RegexMessageHandler"])
    return output["run_RegexMessageHandler"][0].as_dict(only_output_properties=True)


@pytest.mark.parametrize("text", MESSAGES)
def test_same_parse_as_rasas_runner(runners, text):
    dask, sequential = runners
    assert parsed(sequential, text) == parsed(dask, text)


def test_the_order_is_computed_once_per_set_of_targets(runners):
    _, sequential = runners
    parsed(sequential, "hello")
    parsed(sequential, "NATO is encircling Russia")
    assert list(sequential._orders) == [("run_RegexMessageHandler",)]
    names = [name for name, _ in sequential._orders[("run_RegexMessageHandler",)]]
    assert names[-1] == "run_RegexMessageHandler" and len(names) == len(set(names))
