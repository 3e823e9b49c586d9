"""bot/nlu/classifier.py: as loaded from the trained model, coefficients in Fortran order
(so that predicting does not copy them); the parts' files; the direct TF-IDF transform."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from rasa.engine.loader import load_predict_graph_runner
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage

from tests.bot_servers import MODEL


def test_loaded_coefficients_are_in_fortran_order():
    runner = load_predict_graph_runner(Path(tempfile.mkdtemp()), MODEL, LocalModelStorage, DaskGraphRunner)[1]
    for component in ("LemmaTfidfIntentClassifier", "LanguageIdentifier"):
        node = next(n for name, n in runner._instantiated_nodes.items() if component in name)
        coef = node._component.parts["clf"].coef_
        assert coef.flags.f_contiguous and coef.T.flags.c_contiguous, component


def test_a_vectorizers_vocabulary_is_saved_as_one_string_and_loads_the_same(tmp_path):
    import json
    import zipfile

    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from bot.nlu.classifier import load_parts, save_parts

    texts = ["nato be encircle russia", "нато окружает россию", "source please", "nato promise not to expand"]
    words = TfidfVectorizer(ngram_range=(1, 2)).fit(texts)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4)).fit(texts)
    clf = LogisticRegression().fit(chars.transform(texts), ["myth", "myth", "source", "myth"])
    save_parts({"words": words, "chars": chars, "clf": clf}, tmp_path / "parts.skops")
    schema = json.loads(zipfile.ZipFile(tmp_path / "parts.skops").read("schema.json"))
    assert "chars.vocabulary" in json.dumps(schema) and "vocabulary_" in json.dumps(schema)
    loaded = load_parts(tmp_path / "parts.skops")
    assert set(loaded) == {"words", "chars", "clf"}
    assert loaded["words"].vocabulary_ == words.vocabulary_ and loaded["chars"].vocabulary_ == chars.vocabulary_
    assert (loaded["chars"].transform(texts) != chars.transform(texts)).nnz == 0
    assert (loaded["clf"].predict_proba(loaded["chars"].transform(texts)) == clf.predict_proba(chars.transform(texts))).all()
    assert words.vocabulary_  # the saved copy was emptied, not the vectorizer itself


def test_a_vocabulary_with_a_newline_in_a_term_is_saved_as_it_is(tmp_path):
    from sklearn.feature_extraction.text import TfidfVectorizer

    from bot.nlu.classifier import load_parts, save_parts

    odd = TfidfVectorizer(vocabulary={"a\nb": 0, "c": 1}, token_pattern=r"\S+").fit(["c", "a\nb"])
    save_parts({"odd": odd}, tmp_path / "odd.skops")
    loaded = load_parts(tmp_path / "odd.skops")
    assert set(loaded) == {"odd"} and loaded["odd"].vocabulary_ == {"a\nb": 0, "c": 1}


@pytest.mark.parametrize("options", [
    {"ngram_range": (1, 2), "sublinear_tf": True},
    {"analyzer": "char_wb", "ngram_range": (2, 5), "sublinear_tf": True},
    {"sublinear_tf": False, "norm": "l1"},
    {"use_idf": False, "norm": None},
])
def test_tfidf_gives_what_the_vectorizer_gives(options):
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    from bot.nlu.classifier import tfidf

    train = ["nato be encircle russia", "нато окружает россию", "source please", "nato promise not to expand east"]
    vectorizer = TfidfVectorizer(**options).fit(train)
    texts = ["nato encircle russia again and again", "unknown words only", "", "нато россия нато"]
    ours, theirs = tfidf(vectorizer, texts), vectorizer.transform(texts)
    assert ours.shape == theirs.shape and ours.format == "csr"
    assert np.abs((ours - theirs).toarray()).max() < 1e-12
    assert ours.nnz > 0
