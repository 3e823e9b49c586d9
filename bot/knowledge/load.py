"""Load and validate the knowledge base under data/knowledge/.

Every problem is reported as ``<file>: <entry>: <field>: <what is wrong>`` so that a
broken edit can be found without reading Python. Nothing is read at import time.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

import yaml

from bot.knowledge.model import (ID_RE, SOURCE_FOLDERS, SOURCE_KINDS, YEAR_RE, Entity, Evidence, Fact, Knowledge,
                                 KnowledgeError, Myth, Passage, Question, Source)
from bot.knowledge.qualifications import load_derived, load_qualifications, myth_limit_problems



class _Checker:
    """Collects problems while reading raw YAML into typed records."""

    def __init__(self) -> None:
        self.problems: List[str] = []

    def fail(self, where: str, entry: str, fld: str, what: str) -> None:
        self.problems.append(f"{where}: entry '{entry}': field '{fld}': {what}")

    def text(self, where: str, entry: str, raw: Mapping, fld: str, required=True) -> str:
        value = raw.get(fld)
        if value is None:
            if required:
                self.fail(where, entry, fld, "is missing")
            return ""
        if not isinstance(value, (str, int)) or not str(value).strip():
            self.fail(where, entry, fld, "must be non-empty text")
            return ""
        return str(value)

    def id_list(self, where: str, entry: str, raw: Mapping, fld: str, required=True) -> Tuple[str, ...]:
        value = raw.get(fld)
        if value is None:
            if required:
                self.fail(where, entry, fld, "is missing")
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(where, entry, fld, "must be a list of ids")
            return ()
        return tuple(value)

    def unknown_fields(self, where: str, entry: str, raw: Mapping, allowed: Iterable[str]) -> None:
        for key in set(raw) - set(allowed):
            self.fail(where, entry, key, "is not a known field (typo?)")

    def entries(self, where: str, doc: Any, key: str) -> List[Mapping]:
        if not isinstance(doc, dict) or not isinstance(doc.get(key), list):
            self.problems.append(f"{where}: entry '-': field '{key}': must be a list")
            return []
        good = []
        seen = set()
        for i, raw in enumerate(doc[key]):
            if not isinstance(raw, dict):
                self.problems.append(f"{where}: entry #{i + 1}: field '-': must be a mapping")
                continue
            entry_id = raw.get("id")
            if not isinstance(entry_id, str) or not ID_RE.match(entry_id):
                self.fail(where, f"#{i + 1}", "id", "must be a lower_snake_case id")
                continue
            if entry_id in seen:
                self.fail(where, entry_id, "id", "is not unique")
                continue
            seen.add(entry_id)
            good.append(raw)
        return good


def _read_yaml(path: Path, checker: _Checker) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        checker.problems.append(f"{path}: entry '-': field '-': file is missing")
    except yaml.YAMLError as exc:
        checker.problems.append(f"{path}: entry '-': field '-': not valid YAML ({exc})")
    return None


def _passage(c: _Checker, where: str, entry: str, raw: Mapping, fld: str, required=True) -> Optional[Passage]:
    value = raw.get(fld)
    if value is None:
        if required:
            c.fail(where, entry, fld, "is missing")
        return None
    if not isinstance(value, dict):
        c.fail(where, entry, fld, "must be a mapping with 'text' and 'facts'")
        return None
    c.unknown_fields(where, f"{entry}.{fld}", value, ("text", "facts"))
    return Passage(
        text=c.text(where, f"{entry}.{fld}", value, "text"),
        facts=c.id_list(where, f"{entry}.{fld}", value, "facts"),
    )


def _load_sources(c: _Checker, path: Path) -> Dict[str, Source]:
    out = {}
    fields = ("id", "publisher", "title", "kind", "weighing", "date", "date_note", "url", "folder", "document")
    for raw in c.entries(str(path), _read_yaml(path, c), "sources"):
        c.unknown_fields(str(path), raw["id"], raw, fields)
        values = {f: c.text(str(path), raw["id"], raw, f) for f in fields}
        if values["url"] and not values["url"].startswith(("https://", "http://")):
            c.fail(str(path), raw["id"], "url", "must be a web link (https://, or http:// where that is all there is)")
        if values["kind"] and values["kind"] not in SOURCE_KINDS:
            c.fail(str(path), raw["id"], "kind", f"'{values['kind']}' is not one of {list(SOURCE_KINDS)}")
        if values["folder"] and values["folder"] not in SOURCE_FOLDERS:
            c.fail(str(path), raw["id"], "folder", f"'{values['folder']}' is not one of {list(SOURCE_FOLDERS)}")
        out[raw["id"]] = Source(**values)
    return out


def _load_facts(c: _Checker, path: Path, sources: Mapping[str, Source]) -> Dict[str, Fact]:
    out = {}
    where = str(path)
    for raw in c.entries(where, _read_yaml(path, c), "facts"):
        fid = raw["id"]
        c.unknown_fields(where, fid, raw, ("id", "text", "sources", "as_of", "changes", "numbers", "derived"))
        evidence = []
        refs = raw.get("sources")
        if not isinstance(refs, list) or not refs:
            c.fail(where, fid, "sources", "must list at least one {source, evidence}")
            refs = []
        for ref in refs:
            if not isinstance(ref, dict) or set(ref) != {"source", "evidence"}:
                c.fail(where, fid, "sources", "each item needs exactly 'source' and 'evidence'")
                continue
            if ref["source"] not in sources:
                c.fail(where, fid, "sources", f"unknown source '{ref['source']}'")
            evidence.append(Evidence(str(ref["source"]), str(ref["evidence"])))
        numbers = raw.get("numbers", [])
        if not isinstance(numbers, list):
            c.fail(where, fid, "numbers", "must be a list")
            numbers = []
        changes = raw.get("changes", False)
        if not isinstance(changes, bool):
            c.fail(where, fid, "changes", "must be true or false")
        out[fid] = Fact(
            id=fid,
            text=c.text(where, fid, raw, "text"),
            sources=tuple(evidence),
            as_of=c.text(where, fid, raw, "as_of"),
            changes=bool(changes),
            numbers=tuple(str(n) for n in numbers),
            derived=load_derived(c, where, fid, raw),
        )
    return out


MYTH_FIELDS = ("id", "order", "claim", "lead", "fallacy", "closing", "more", "facets", "related", "changes", "practice",
               "qualifications", "second_voice_gap")


def _load_myth(c: _Checker, path: Path) -> Optional[Myth]:
    where = str(path)
    raw = _read_yaml(path, c)
    if not isinstance(raw, dict):
        if raw is not None:
            c.problems.append(f"{where}: entry '-': field '-': must be a mapping")
        return None
    mid = raw.get("id")
    if not isinstance(mid, str) or not ID_RE.match(mid):
        c.fail(where, str(mid), "id", "must be a lower_snake_case id")
        return None
    if path.stem != mid:
        c.fail(where, mid, "id", f"must match the file name '{path.stem}'")
    c.unknown_fields(where, mid, raw, MYTH_FIELDS)
    facets_raw = raw.get("facets") or {}
    facets: Dict[str, Tuple[str, ...]] = {}
    if not isinstance(facets_raw, dict):
        c.fail(where, mid, "facets", "must map entity ids to lists of fact ids")
    else:
        for key, value in facets_raw.items():
            facets[str(key)] = c.id_list(where, mid, {f"facets.{key}": value}, f"facets.{key}")
    practice = raw.get("practice") or {}
    if not isinstance(practice, dict):
        c.fail(where, mid, "practice", "must be a mapping")
        practice = {}
    order = raw.get("order")
    if not isinstance(order, int):
        c.fail(where, mid, "order", "must be a whole number (position in menus)")
        order = 0
    return Myth(
        id=mid,
        order=order,
        claim=c.text(where, mid, raw, "claim"),
        lead=_passage(c, where, mid, raw, "lead"),
        fallacy=_passage(c, where, mid, raw, "fallacy"),
        closing=_passage(c, where, mid, raw, "closing"),
        more=c.id_list(where, mid, raw, "more"),
        facets=facets,
        related=c.id_list(where, mid, raw, "related"),
        changes=_passage(c, where, mid, raw, "changes", required=False),
        practice=practice,
        qualifications=load_qualifications(c, where, mid, raw),
        second_voice_gap=c.text(where, mid, raw, "second_voice_gap", required=False),
    )


def _load_questions(c: _Checker, path: Path) -> Dict[str, Question]:
    out = {}
    where = str(path)
    for raw in c.entries(where, _read_yaml(path, c), "questions"):
        qid = raw["id"]
        c.unknown_fields(where, qid, raw, ("id", "title", "facts", "related"))
        out[qid] = Question(
            id=qid,
            title=c.text(where, qid, raw, "title"),
            facts=c.id_list(where, qid, raw, "facts"),
            related=c.text(where, qid, raw, "related"),
        )
    return out


def _load_entities(c: _Checker, path: Path) -> Tuple[Dict[str, Entity], Tuple[str, ...]]:
    where = str(path)
    doc = _read_yaml(path, c)
    labels = tuple(doc.get("labels", [])) if isinstance(doc, dict) else ()
    if not labels:
        c.problems.append(f"{where}: entry '-': field 'labels': must list the entity labels")
    out = {}
    for raw in c.entries(where, doc, "entities"):
        eid = raw["id"]
        c.unknown_fields(where, eid, raw, ("id", "label", "aliases"))
        label = c.text(where, eid, raw, "label")
        if label and label not in labels:
            c.fail(where, eid, "label", f"'{label}' is not one of {list(labels)}")
        aliases = raw.get("aliases")
        if not isinstance(aliases, list) or not aliases:
            c.fail(where, eid, "aliases", "must be a non-empty list")
            aliases = []
        out[eid] = Entity(eid, label, tuple(str(a) for a in aliases))
    return out, labels


def _load_changes(c: _Checker, path: Path) -> Tuple[Passage, ...]:
    out = []
    for raw in c.entries(str(path), _read_yaml(path, c), "changes"):
        c.unknown_fields(str(path), raw["id"], raw, ("id", "text", "facts"))
        out.append(Passage(c.text(str(path), raw["id"], raw, "text"), c.id_list(str(path), raw["id"], raw, "facts")))
    return tuple(out)


def _cross_check(c: _Checker, root: Path, kb: Knowledge) -> None:
    def need_facts(where: str, entry: str, fld: str, ids: Iterable[str]) -> None:
        for fid in ids:
            if fid not in kb.facts:
                c.fail(where, entry, fld, f"unknown fact '{fid}'")

    aliases: Dict[str, str] = {}
    for entity in kb.entities.values():
        for alias in entity.aliases:
            other = aliases.setdefault(alias.lower(), entity.id)
            if other != entity.id:
                c.fail(str(root / "entities.yml"), entity.id, "aliases", f"'{alias}' is also an alias of '{other}'")

    for myth in kb.myths.values():
        where = str(root / "myths" / f"{myth.id}.yml")
        for name in ("lead", "fallacy", "closing", "changes"):
            passage = getattr(myth, name)
            if passage is not None:
                need_facts(where, myth.id, f"{name}.facts", passage.facts)
                if name != "changes" and not passage.facts:
                    c.fail(where, myth.id, f"{name}.facts", "must cite at least one fact")
        need_facts(where, myth.id, "more", myth.more)
        for key, ids in myth.facets.items():
            if key not in kb.entities and not YEAR_RE.match(key):
                c.fail(where, myth.id, f"facets.{key}", "is neither an entity id in entities.yml nor a year")
            need_facts(where, myth.id, f"facets.{key}", ids)
        for rid in myth.related:
            if rid not in kb.myths or rid == myth.id:
                c.fail(where, myth.id, "related", f"'{rid}' is not another myth id")
        if myth.id in kb.questions:
            c.fail(where, myth.id, "id", "is also a question id; topic ids must be unique")
        c.problems.extend(myth_limit_problems(where, myth, kb))
        if myth.practice:
            from bot.knowledge.practice_spec import practice_problems
            c.problems.extend(practice_problems(where, myth, kb))
    for q in kb.questions.values():
        where = str(root / "questions.yml")
        need_facts(where, q.id, "facts", q.facts)
        if q.related not in kb.myths:
            c.fail(where, q.id, "related", f"'{q.related}' is not a myth id")
    for i, passage in enumerate(kb.changes):
        need_facts(str(root / "changes.yml"), f"#{i + 1}", "facts", passage.facts)


def load_knowledge(root: Path) -> Knowledge:
    """Read and validate every knowledge file below ``root``; raise KnowledgeError."""
    root = Path(root)
    c = _Checker()
    sources = _load_sources(c, root / "sources.yml")
    facts = _load_facts(c, root / "facts.yml", sources)
    myths: Dict[str, Myth] = {}
    myth_files = sorted((root / "myths").glob("*.yml"))
    if not myth_files:
        c.problems.append(f"{root / 'myths'}: entry '-': field '-': no myth files found")
    for path in myth_files:
        myth = _load_myth(c, path)
        if myth is not None:
            if myth.id in myths:
                c.fail(str(path), myth.id, "id", "is not unique")
            myths[myth.id] = myth
    myths = dict(sorted(myths.items(), key=lambda item: (item[1].order, item[0])))
    questions = _load_questions(c, root / "questions.yml")
    entities, labels = _load_entities(c, root / "entities.yml")
    changes = _load_changes(c, root / "changes.yml")
    kb = Knowledge(sources, facts, myths, questions, entities, labels, changes)
    if not c.problems:
        _cross_check(c, root, kb)
    if c.problems:
        raise KnowledgeError(c.problems)
    return kb
