"""Build the rule-based spaCy pipelines, one per language, and load them.

No pretrained model is used: a blank pipeline of the language (its own tokenizer), a
lookup lemmatizer (English: spacy-lookups-data's table plus data/nlp/lemmas.yml; other
languages: a table built from their training words, bot/nlu/lemmas.py) and an entity
ruler generated from data/knowledge/entities.yml and the language's entity names.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import threading
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterator, List, Mapping, Optional, Union

import yaml

from bot.knowledge.content import project_root
from bot.knowledge.model import Knowledge

YEAR_PATTERN = {"TEXT": {"REGEX": r"^(19|20)\d\d$"}}
PIPELINE_NAME = "nato_factcheck_rules"


def _is_acronym(alias: str) -> bool:
    letters = [ch for ch in alias if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) >= 2 and " " not in alias


def entity_patterns(nlp, kb: Knowledge) -> List[Dict]:
    """Token patterns for every alias: acronyms match exact case, other names any case."""
    patterns = []
    for entity in kb.entities.values():
        for alias in entity.aliases:
            tokens = [t.text for t in nlp.make_doc(alias)]
            if _is_acronym(alias):
                pattern = [{"ORTH": tok} for tok in tokens]
            else:
                pattern = [{"LOWER": tok.lower()} for tok in tokens]
            patterns.append({"label": entity.label, "pattern": pattern, "id": entity.id})
    patterns.append({"label": "year", "pattern": [YEAR_PATTERN]})
    return patterns


def load_lemma_overrides(path: Path) -> Dict[str, str]:
    doc = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    lemmas = doc.get("lemmas")
    if not isinstance(lemmas, dict):
        raise ValueError(f"{path}: 'lemmas' must map words to lemmas")
    return {str(k).lower(): str(v) for k, v in lemmas.items()}


def build_pipeline(kb: Knowledge, lemma_file: Path, out_dir: Path, lang: str = "en",
                   lemmas: Optional[Mapping[str, str]] = None):
    """Create the pipeline of one language, save it to ``out_dir`` and return it.

    English uses spaCy's whole lookup table plus the overrides of ``lemma_file``; another
    language gets the table ``lemmas`` (bot.nlu.lemmas builds it from its training words)."""
    import spacy
    from spacy.lookups import Lookups

    nlp = spacy.blank(lang)
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    ruler = nlp.add_pipe("entity_ruler", config={"validate": True})
    overrides = sorted(load_lemma_overrides(lemma_file).items()) if lang == "en" else sorted((lemmas or {}).items())
    if lang == "en":
        nlp.initialize()
        table = lemmatizer.lookups.get_table("lemma_lookup")
    else:
        lookups = Lookups()
        table = lookups.add_table("lemma_lookup")
        lemmatizer.initialize(lookups=lookups)
        table = lemmatizer.lookups.get_table("lemma_lookup")
    for word, lemma in overrides:
        table.set(word, lemma)
    ruler.add_patterns(entity_patterns(nlp, kb))
    digest = hashlib.sha256(yaml.safe_dump([ruler.patterns, overrides], allow_unicode=True).encode()).hexdigest()[:12]
    nlp.meta["name"] = PIPELINE_NAME if lang == "en" else f"{PIPELINE_NAME}_{lang}"
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = f"rule-based pipeline, content {digest}"
    out_dir = Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out_dir)
    return nlp


def build_pipelines(content, root: Path, out_dir: Path) -> Dict[str, Path]:
    """One pipeline per language the bot speaks, under ``out_dir/<lang>``."""
    from bot.nlu.lemmas import language_vocabulary, lemma_table

    out: Dict[str, Path] = {}
    for code in content.codes or ("en",):
        localized = content.for_language(code)
        lemmas = None if code == "en" else lemma_table(code, language_vocabulary(root, code, localized))
        build_pipeline(localized.kb, Path(root) / "data" / "nlp" / "lemmas.yml", Path(out_dir) / code, code, lemmas)
        out[code] = Path(out_dir) / code
    return out


def pipeline_path(root: Union[str, Path, None] = None) -> Path:
    """The English pipeline under the project root (env FACTCHECK_NLP overrides)."""
    return Path(os.environ.get("FACTCHECK_NLP") or pipelines_dir(root) / "en")


def pipelines_dir(root: Union[str, Path, None] = None) -> Path:
    """build/spacy under the project root: one pipeline per language."""
    return project_root(root) / "build" / "spacy"


_LOCKS_LOCK = threading.Lock()
_LOCKS: Dict[Path, threading.Lock] = {}
_LOADED: Dict[Path, object] = {}  # resolved pipeline directory -> its one instance in this process


def shared_pipeline(path: Union[str, Path]):
    """The pipeline ``make nlp`` built at ``path``, plus a sentencizer (in memory only):
    one instance per process, whoever asks (the NLU components, fact retrieval, practice
    scoring). A pipeline asked for by two threads at once is loaded once (one lock per
    pipeline, so loading one language does not hold up a message in another)."""
    path = Path(path).resolve()
    nlp = _LOADED.get(path)
    if nlp is not None:
        return nlp
    if not (path / "meta.json").exists():
        raise FileNotFoundError(f"{path}: spaCy pipeline not found; build it with `make nlp`")
    with _LOCKS_LOCK:
        lock = _LOCKS.setdefault(path, threading.Lock())
    with lock:
        if path not in _LOADED:
            os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")   # before spaCy imports thinc, which imports TensorFlow
            import spacy

            nlp = spacy.load(path)
            if "sentencizer" not in nlp.pipe_names:
                nlp.add_pipe("sentencizer", first=True)
            _LOADED[path] = nlp
        return _LOADED[path]


class Pipelines(Mapping[str, object]):
    """Every language's pipeline under a directory, each loaded when first asked for: a
    message in English does not wait for the French tokenizer's rules to compile (3.7 s
    here), and a server that only ever reads English never holds the other four."""

    def __init__(self, directory: Path) -> None:
        found = sorted(p for p in directory.iterdir() if (p / "meta.json").exists()) if directory.is_dir() else []
        if not found:
            raise FileNotFoundError(f"{directory}: no spaCy pipelines; build them with `make nlp`")
        self._paths = {p.name: p for p in found}

    def __getitem__(self, language: str):
        return shared_pipeline(self._paths[language])

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def loaded(self) -> List[str]:
        """The languages whose pipeline this process has loaded so far."""
        return [code for code, path in self._paths.items() if path.resolve() in _LOADED]


@lru_cache(maxsize=4)
def load_pipelines(directory: str) -> Pipelines:
    """Every language's pipeline under ``directory``, loaded on first use (once per process)."""
    return Pipelines(Path(directory).resolve())


def load_pipeline(path: str):
    """The pipeline ``make nlp`` built at ``path``, with a sentencizer: the same instance
    as the NLU components' (`shared_pipeline`)."""
    return shared_pipeline(path)
