"""bot/nlu/pipeline.py's loading: one instance of each pipeline per process, whoever asks,
and each language's pipeline loaded only when first asked for."""
from __future__ import annotations

import threading

import pytest
import spacy

from bot.nlu import pipeline


@pytest.fixture
def pipelines_dir(tmp_path):
    for code in ("de", "en"):
        spacy.blank(code).to_disk(tmp_path / code)
    (tmp_path / "notes").mkdir()  # no meta.json: not a pipeline
    return tmp_path


def test_languages_load_when_first_asked_for(pipelines_dir):
    found = pipeline.load_pipelines(str(pipelines_dir))
    assert sorted(found) == ["de", "en"] and len(found) == 2
    assert found.loaded() == []
    nlp = found["de"]
    assert found.loaded() == ["de"] and nlp.lang == "de"
    assert found.get("fr") is None


def test_nlu_retrieval_and_scoring_share_one_instance(pipelines_dir):
    found = pipeline.load_pipelines(str(pipelines_dir))
    shared = pipeline.load_pipeline(str(pipelines_dir / "en"))
    assert found["en"] is shared is pipeline.load_pipeline(str(pipelines_dir / "." / "en"))
    assert shared.pipe_names[0] == "sentencizer"
    assert pipeline.load_pipelines(str(pipelines_dir)) is found


def test_two_threads_asking_at_once_load_it_once(pipelines_dir, monkeypatch):
    loads = []
    real = spacy.load

    def counting(path, *args, **kwargs):
        loads.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(spacy, "load", counting)
    got = []
    threads = [threading.Thread(target=lambda: got.append(pipeline.shared_pipeline(pipelines_dir / "de")))
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(loads) == 1 and len({id(n) for n in got}) == 1


def test_missing_pipelines_say_how_to_build_them(tmp_path):
    with pytest.raises(FileNotFoundError, match="make nlp"):
        pipeline.load_pipelines(str(tmp_path / "nothing"))
    with pytest.raises(FileNotFoundError, match="make nlp"):
        pipeline.load_pipeline(str(tmp_path / "nothing"))
