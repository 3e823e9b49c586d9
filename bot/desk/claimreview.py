"""schema.org ClaimReview for each myth, from the knowledge base (pure after loading).

data/knowledge/claimreview.yml holds what only editors can decide: the publisher's name
and, per myth, the verdict (`verdict`, shown as the rating's alternateName) and the day
the review was published. Everything else comes from the myth, its facts and sources:
claimReviewed is the myth's claim, the review body is the bot's own rebuttal with each
passage's "as of" dates and source numbers. `url` is the public page /claims/<myth>
under the base address the feed is served from, as Google asks (the page that carries
the markup). One ClaimReview per myth and per page.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Dict, List, Mapping, Sequence

import yaml

from bot.knowledge import Knowledge, KnowledgeError, Myth

REQUIRED = ("claimReviewed", "reviewRating", "author", "datePublished", "url")
CLAIM_REVIEWED_MAX = 75  # Google: ideally shorter than this


def load_reviews(path: Path, kb: Knowledge) -> Dict[str, Any]:
    """The publisher and one review entry per myth; KnowledgeError naming file, entry, field."""
    where = str(path)
    try:
        doc = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise KnowledgeError([f"{where}: entry '-': field '-': cannot be read ({error})"]) from None
    problems: List[str] = []
    publisher = doc.get("publisher") if isinstance(doc, dict) else None
    if not isinstance(publisher, dict) or not str(publisher.get("name") or "").strip():
        problems.append(f"{where}: entry 'publisher': field 'name': must be a non-empty text")
    reviews = doc.get("reviews") if isinstance(doc, dict) else None
    if not isinstance(reviews, dict):
        raise KnowledgeError(problems + [f"{where}: entry '-': field 'reviews': must be a mapping"])
    for myth_id in kb.myths:
        if myth_id not in reviews:
            problems.append(f"{where}: entry '{myth_id}': field 'verdict': missing (every myth needs a review)")
    for myth_id, entry in reviews.items():
        if myth_id not in kb.myths:
            problems.append(f"{where}: entry '{myth_id}': field '-': no such myth in myths/")
            continue
        if not isinstance(entry, dict) or not str(entry.get("verdict") or "").strip():
            problems.append(f"{where}: entry '{myth_id}': field 'verdict': must be a non-empty text")
            continue
        try:
            dt.date.fromisoformat(str(entry.get("published")))
        except ValueError:
            problems.append(f"{where}: entry '{myth_id}': field 'published': must be a date YYYY-MM-DD")
        unknown = set(entry) - {"verdict", "published"}
        problems += [f"{where}: entry '{myth_id}': field '{k}': is not a known field (typo?)" for k in sorted(unknown)]
    if problems:
        raise KnowledgeError(problems)
    return {"publisher": dict(publisher), "reviews": reviews}


def _sources(kb: Knowledge, myth: Myth) -> List[str]:
    ids: List[str] = []
    for passage in myth.passages():
        for fid in passage.facts:
            for sid in kb.facts[fid].source_ids:
                if sid not in ids:
                    ids.append(sid)
    return ids


def cited(kb: Knowledge, text: str, fact_ids: Sequence[str], order: Sequence[str]) -> str:
    """A passage followed by its facts' "as of" dates and source numbers."""
    facts = [kb.facts[f] for f in fact_ids]
    dates = list(dict.fromkeys(f.as_of for f in facts))
    numbers = sorted({order.index(s) + 1 for f in facts for s in f.source_ids})
    marks = "".join(f"[{n}]" for n in numbers)
    as_of = f" (as of {' and '.join(dates)})" if dates else ""
    return f"{text.rstrip()}{as_of} {marks}".rstrip()


def body(kb: Knowledge, myth: Myth) -> Dict[str, Any]:
    """The rebuttal as the public page shows it, with its sources."""
    order = _sources(kb, myth)
    return {"lead": cited(kb, myth.lead.text, myth.lead.facts, order),
            "fallacy": cited(kb, myth.fallacy.text, myth.fallacy.facts, order),
            "closing": cited(kb, myth.closing.text, myth.closing.facts, order),
            "sources": [kb.sources[s] for s in order]}


def claim_review(kb: Knowledge, reviews: Mapping[str, Any], myth_id: str, base_url: str) -> Dict[str, Any]:
    myth = kb.myths[myth_id]
    entry = reviews["reviews"][myth_id]
    base = base_url.rstrip("/")
    publisher = {"@type": "Organization", "name": reviews["publisher"]["name"], "url": base + "/"}
    text = body(kb, myth)
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{base}/claims/{myth_id}",
        "claimReviewed": myth.claim,
        "datePublished": str(entry["published"]),
        "author": publisher,
        "reviewRating": {"@type": "Rating", "alternateName": entry["verdict"], "name": entry["verdict"]},
        "itemReviewed": {"@type": "Claim", "name": myth.claim},
        "reviewBody": " ".join([text["lead"], text["fallacy"], text["closing"]]),
        "citation": [{"@type": "CreativeWork", "name": s.title, "url": s.url,
                      "publisher": {"@type": "Organization", "name": s.publisher}} for s in text["sources"]],
    }


def feed(kb: Knowledge, reviews: Mapping[str, Any], base_url: str) -> Dict[str, Any]:
    """All reviews, one per myth, as one JSON-LD document."""
    items = [claim_review(kb, reviews, m, base_url) for m in kb.myths]
    for item in items:
        item.pop("@context")
    return {"@context": "https://schema.org", "@graph": items}


def warnings(review: Mapping[str, Any]) -> List[str]:
    """Google's advice the review does not follow (not errors)."""
    if len(review["claimReviewed"]) >= CLAIM_REVIEWED_MAX:
        return [f"claimReviewed is {len(review['claimReviewed'])} characters; Google suggests under 75"]
    return []
