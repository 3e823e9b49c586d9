"""Shared fixtures: the repository's content, and writable copies of it in tmp_path."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.knowledge.content import load_content

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"  # seeds/ and sources/: the documents the knowledge cites
SEEDS = SHARED / "seeds"
ALLOWED_ORIGIN = "https://allowed.example"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def content():
    return load_content(REPO)


@pytest.fixture(scope="session")
def kb(content):
    return content.kb


@pytest.fixture(scope="session")
def templates(content):
    return content.templates


@pytest.fixture(scope="session")
def bot(tmp_path_factory):
    """The Rasa server as `make run` starts it (REST, widget channel, actions inside), shared by
    the tests that only talk to it."""
    import secrets

    from tests.bot_servers import BotServers

    token = secrets.token_hex(16)
    with BotServers(tmp_path_factory.mktemp("servers"), api_token=token, cors=[ALLOWED_ORIGIN]) as servers:
        yield servers


@pytest.fixture(scope="session")
def nlp_path(tmp_path_factory, kb):
    """The pipeline `make nlp` builds; built into a temporary folder when it is missing."""
    from bot.nlu.pipeline import build_pipeline
    from bot.nlu.pipeline import pipeline_path

    path = pipeline_path()
    if not (path / "meta.json").exists():
        path = tmp_path_factory.mktemp("nlp") / "en"
        build_pipeline(kb, REPO / "data" / "nlp" / "lemmas.yml", path)
    return path


@pytest.fixture(scope="session")
def pipelines(nlp_path):
    """The folder of the pipelines, one per language (build/spacy, or English only in a
    temporary folder when `make nlp` has not run)."""
    return nlp_path.parent


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of the knowledge base, templates, fixed replies and translations under
    tmp_path, safe to edit, with the labelled questions and synonyms the fact finder indexes."""
    shutil.copytree(REPO / "data" / "knowledge", tmp_path / "data" / "knowledge")
    for part in ("nlu/questions.yml", "nlp/synonyms.yml"):
        (tmp_path / "data" / part).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "data" / part, tmp_path / "data" / part)
    (tmp_path / "responses").mkdir()
    for name in ("templates.yml", "utterances.yml", "widget.yml"):
        shutil.copy(REPO / "responses" / name, tmp_path / "responses" / name)
    if (REPO / "responses" / "i18n").is_dir():
        shutil.copytree(REPO / "responses" / "i18n", tmp_path / "responses" / "i18n")
    return tmp_path
