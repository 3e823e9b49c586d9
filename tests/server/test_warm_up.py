"""bot/server/warm_up.py with stand-ins: English goes through the NLU graph and the English
fact index is built before the server listens; the other languages load in a background
thread; a failure is logged, never raised."""
from __future__ import annotations

import asyncio
import gc
import logging
import threading
from types import SimpleNamespace

import pytest

import bot.answers.data
import bot.nlu.pipeline
from bot.server import warm_up


class Recorder:
    def __init__(self):
        self.calls = []

    def retrieval(self, root=None, nlp_path=None, language=None):
        self.calls.append(("retrieval", language))
        return SimpleNamespace(warm=lambda: self.calls.append(("index", language)))


@pytest.fixture
def recorder(monkeypatch):
    rec = Recorder()
    monkeypatch.setattr(bot.answers.data, "load_retrieval", rec.retrieval)
    yield rec
    gc.unfreeze()


def agent(parsed):
    async def parse_message(text):
        parsed.append(text)
        return {}

    return SimpleNamespace(parse_message=parse_message)


def test_before_ready_parses_english_and_builds_the_english_index(recorder):
    parsed = []
    asyncio.run(warm_up.before_ready(agent(parsed), actions_here=True))
    assert parsed == [warm_up.SAMPLE]
    assert recorder.calls == [("retrieval", "en"), ("index", "en")]


def test_with_an_action_server_only_the_nlu_is_warmed(recorder):
    parsed = []
    asyncio.run(warm_up.before_ready(agent(parsed), actions_here=False))
    assert parsed == [warm_up.SAMPLE] and recorder.calls == []


def test_a_failing_warm_up_is_logged_and_the_server_goes_on(recorder, caplog):
    async def broken(text):
        raise RuntimeError("no pipeline")

    with caplog.at_level(logging.WARNING):
        asyncio.run(warm_up.before_ready(SimpleNamespace(parse_message=broken), actions_here=True))
    assert "warm-up skipped" in caplog.text and "no pipeline" in caplog.text


def test_the_other_languages_load_in_the_background(recorder, monkeypatch, capsys):
    asked = []

    class Pipelines(dict):
        def __getitem__(self, code):
            asked.append(code)
            return object()

    monkeypatch.setattr(bot.nlu.pipeline, "load_pipelines", lambda directory: Pipelines(de=1, fr=1))
    monkeypatch.setattr(warm_up, "_languages", lambda: ["de", "fr", "ru"])
    waits = []
    thread = warm_up.after_ready(actions_here=True, pause=0, idle=lambda: waits.append(len(asked)))
    assert thread.daemon and thread.name == "warm-up"
    thread.join(30)
    assert asked == ["de", "fr"]  # ru has no pipeline here: its messages would use English's
    assert waits == [0, 1, 2]  # the server was idle before each language
    assert recorder.calls == [("retrieval", "de"), ("index", "de"), ("retrieval", "fr"), ("index", "fr"),
                              ("retrieval", "ru"), ("index", "ru")]
    assert "Loaded in the background: de, fr, ru" in capsys.readouterr().err
    assert gc.get_freeze_count() > 0


def test_a_failing_background_load_is_logged(recorder, monkeypatch, caplog):
    def missing(directory):
        raise FileNotFoundError("no spaCy pipelines")

    monkeypatch.setattr(bot.nlu.pipeline, "load_pipelines", missing)
    monkeypatch.setattr(warm_up, "_languages", lambda: ["de"])
    with caplog.at_level(logging.WARNING):
        warm_up.after_ready(actions_here=True, pause=0, idle=lambda: None).join(30)
    assert "stopped" in caplog.text and "no spaCy pipelines" in caplog.text


def test_idle_means_little_cpu_used_in_the_window():
    warm_up.wait_until_idle(window=0.05, share=0.5)  # this test only sleeps meanwhile: returns

    busy = threading.Thread(target=lambda: [sum(range(10_000)) for _ in range(10_000)])
    busy.start()
    warm_up.wait_until_idle(window=0.2, share=0.05)  # returns only once the busy thread is done
    finished_before = not busy.is_alive()
    busy.join()
    assert finished_before
