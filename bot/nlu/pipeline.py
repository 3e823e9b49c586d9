"""Build the rule-based spaCy pipeline that Rasa's SpacyNLP loads from a local path, and
load it for practice scoring.

No pretrained model is used: a blank English pipeline, a lookup lemmatizer (tables from
spacy-lookups-data plus data/nlp/lemmas.yml) and an entity ruler generated from
data/knowledge/entities.yml.
"""
from __future__ import annotations

import hashlib
import os
import shutil
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Union

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


def build_pipeline(kb: Knowledge, lemma_file: Path, out_dir: Path):
    """Create the pipeline, save it to ``out_dir`` and return it."""
    import spacy

    nlp = spacy.blank("en")
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    ruler = nlp.add_pipe("entity_ruler", config={"validate": True})
    nlp.initialize()
    table = lemmatizer.lookups.get_table("lemma_lookup")
    for word, lemma in load_lemma_overrides(lemma_file).items():
        table.set(word, lemma)
    ruler.add_patterns(entity_patterns(nlp, kb))
    digest = hashlib.sha256(
        yaml.safe_dump([ruler.patterns, sorted(load_lemma_overrides(lemma_file).items())]).encode()
    ).hexdigest()[:12]
    nlp.meta["name"] = PIPELINE_NAME
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = f"rule-based pipeline, content {digest}"
    out_dir = Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out_dir)
    return nlp


def pipeline_path(root: Union[str, Path, None] = None) -> Path:
    """build/spacy_pipeline under the project root (env FACTCHECK_NLP overrides)."""
    return Path(os.environ.get("FACTCHECK_NLP") or project_root(root) / "build" / "spacy_pipeline")


@lru_cache(maxsize=4)
def load_pipeline(path: str):
    """The pipeline ``make nlp`` built, plus a sentencizer (in memory only)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if not (Path(path) / "meta.json").exists():
        raise FileNotFoundError(f"{path}: spaCy pipeline not found; build it with `make nlp`")
    import spacy

    nlp = spacy.load(path)
    if "sentencizer" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", first=True)
    return nlp
