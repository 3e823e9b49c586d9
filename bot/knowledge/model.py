"""The knowledge base as immutable records: sources, facts, myths, questions, entities.

Pure data types with small lookups; loading and validation are in ``load.py``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union

YEAR_RE = re.compile(r"^(19|20)\d\d$")
ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class KnowledgeError(ValueError):
    """The knowledge base is malformed; the message names file, entry and field."""

    def __init__(self, problems: List[str]) -> None:
        self.problems = problems
        super().__init__("invalid knowledge base:\n  " + "\n  ".join(problems))


@dataclass(frozen=True)
class Source:
    id: str
    publisher: str
    title: str
    kind: str
    date: str
    date_note: str
    url: str
    document: str


@dataclass(frozen=True)
class Evidence:
    source: str
    evidence: str


@dataclass(frozen=True)
class Fact:
    id: str
    text: str
    sources: Tuple[Evidence, ...]
    as_of: str
    changes: bool = False
    numbers: Tuple[str, ...] = ()

    @property
    def source_ids(self) -> Tuple[str, ...]:
        return tuple(dict.fromkeys(e.source for e in self.sources))


@dataclass(frozen=True)
class Passage:
    """A stretch of the bot's own wording and the facts that back it."""

    text: str
    facts: Tuple[str, ...]


@dataclass(frozen=True)
class Myth:
    id: str
    order: int
    claim: str
    lead: Passage
    fallacy: Passage
    closing: Passage
    more: Tuple[str, ...]
    facets: Mapping[str, Tuple[str, ...]]
    related: Tuple[str, ...]
    changes: Optional[Passage] = None
    practice: Mapping[str, Any] = field(default_factory=dict)

    @property
    def intent(self) -> str:
        return f"myth_{self.id}"

    def passages(self) -> Tuple[Passage, ...]:
        extra = (self.changes,) if self.changes else ()
        return (self.lead, self.fallacy, self.closing) + extra


@dataclass(frozen=True)
class Question:
    id: str
    title: str
    facts: Tuple[str, ...]
    related: str

    @property
    def intent(self) -> str:
        return f"ask_{self.id}"


@dataclass(frozen=True)
class Entity:
    id: str
    label: str
    aliases: Tuple[str, ...]

    @property
    def name(self) -> str:
        return self.aliases[0]


@dataclass(frozen=True)
class Knowledge:
    sources: Mapping[str, Source]
    facts: Mapping[str, Fact]
    myths: Mapping[str, Myth]
    questions: Mapping[str, Question]
    entities: Mapping[str, Entity]
    labels: Tuple[str, ...]
    changes: Tuple[Passage, ...]

    def myth_for_intent(self, intent: Optional[str]) -> Optional[Myth]:
        if intent and intent.startswith("myth_"):
            return self.myths.get(intent[len("myth_"):])
        return None

    def question_for_intent(self, intent: Optional[str]) -> Optional[Question]:
        if intent and intent.startswith("ask_"):
            return self.questions.get(intent[len("ask_"):])
        return None

    def topic_intents(self) -> List[str]:
        return [m.intent for m in self.myths.values()] + [
            q.intent for q in self.questions.values()
        ]

    def entity_id(self, value: str) -> Optional[str]:
        """Map an extracted entity value (any alias, any case) to its canonical id."""
        text = " ".join(str(value).split())
        if YEAR_RE.match(text):
            return text
        return self._alias_index().get(text.lower())

    def _alias_index(self) -> Dict[str, str]:
        index = self.__dict__.get("_aliases")
        if index is None:
            index = {
                alias.lower(): entity.id
                for entity in self.entities.values()
                for alias in entity.aliases
            }
            object.__setattr__(self, "_aliases", index)
        return index


# A myth or a factual question: what a conversation can be about.
Topic = Union[Myth, Question]
