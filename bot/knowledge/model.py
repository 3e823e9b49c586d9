"""The knowledge base as immutable records: sources, facts, myths, questions, entities.

Pure data types with small lookups; loading and validation are in ``load.py``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

YEAR_RE = re.compile(r"^(19|20)\d\d$")
ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class KnowledgeError(ValueError):
    """The knowledge base is malformed; the message names file, entry and field."""

    def __init__(self, problems: List[str]) -> None:
        self.problems = problems
        super().__init__("invalid knowledge base:\n  " + "\n  ".join(problems))


# What sort of voice a source is. Every kind but "nato" is independent of NATO; "eu_service"
# (EUvsDisinfo) may be a second voice but never the only independent one, and UN bodies,
# courts and treaties are the texts a point should rest on where one supports it.
SOURCE_KINDS = ("nato", "eu_parliament_research", "un_body", "court", "treaty", "government_reference",
                "allied_parliament", "eu_service")
PRIMARY_KINDS = ("un_body", "court", "treaty")
SOURCE_FOLDERS = ("seeds", "sources")


@dataclass(frozen=True)
class Source:
    id: str
    publisher: str
    title: str
    kind: str
    weighing: str
    date: str
    date_note: str
    url: str
    folder: str
    document: str

    @property
    def independent(self) -> bool:
        """Not NATO's own voice."""
        return self.kind != "nato"


@dataclass(frozen=True)
class Evidence:
    source: str
    evidence: str


@dataclass(frozen=True)
class Derived:
    """A figure no source states, computed from figures the sources do state."""

    figure: str
    formula: str


@dataclass(frozen=True)
class Fact:
    id: str
    text: str
    sources: Tuple[Evidence, ...]
    as_of: str
    changes: bool = False
    numbers: Tuple[str, ...] = ()
    derived: Tuple[Derived, ...] = ()

    @property
    def source_ids(self) -> Tuple[str, ...]:
        return tuple(dict.fromkeys(e.source for e in self.sources))


@dataclass(frozen=True)
class Passage:
    """A stretch of the bot's own wording and the facts that back it."""

    text: str
    facts: Tuple[str, ...]


@dataclass(frozen=True)
class Qualification:
    """Where the record qualifies a rebuttal: one plain sentence and the facts behind it.

    ``bears_on`` names the entities (or years) whose mention makes it part of the answer.
    """

    id: str
    text: str
    facts: Tuple[str, ...]
    bears_on: Tuple[str, ...]


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
    qualifications: Tuple[Qualification, ...] = ()
    second_voice_gap: str = ""

    @property
    def intent(self) -> str:
        return f"myth_{self.id}"

    def passages(self) -> Tuple[Passage, ...]:
        extra = (self.changes,) if self.changes else ()
        return (self.lead, self.fallacy, self.closing) + extra

    def rebuttal_facts(self) -> Tuple[str, ...]:
        return tuple(dict.fromkeys(f for p in (self.lead, self.fallacy, self.closing) for f in p.facts))

    @cached_property
    def stated_facts(self) -> frozenset:
        """Every fact the rebuttal and its follow-ups state: its passages (what changed
        included), "more detail" and its facets."""
        return frozenset(f for p in self.passages() for f in p.facts) | frozenset(self.more) | \
            frozenset(f for ids in self.facets.values() for f in ids)

    def qualifications_on(self, mentioned: Sequence[str]) -> Tuple[Qualification, ...]:
        """The qualifications that bear on what a message mentions (entity ids, years)."""
        return tuple(q for q in self.qualifications if set(q.bears_on) & set(mentioned))


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
