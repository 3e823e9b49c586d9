"""The desk as one object: its stores, the ingestor, the knowledge base, and every page
and export rendered for a period. Used by the input channel and by the report command."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional

from bot.desk import pages, query
from bot.desk.ingest import Ingestor
from bot.desk.store import Stores, desk_url
from bot.knowledge import load_content

DEFAULT_DAYS = 30


def period(value: Any) -> int:
    """7, 30 or 90 days; anything else is the default (30)."""
    try:
        days = int(value)
    except (TypeError, ValueError):
        return DEFAULT_DAYS
    return days if days in pages.PERIODS else DEFAULT_DAYS


class Desk:
    def __init__(self, stores: Stores, secret: bytes, root: Optional[Path] = None) -> None:
        self.stores = stores
        self.secret = secret
        self.root = root
        self.ingestor = Ingestor(stores, secret)

    @classmethod
    def for_tracker(cls, tracker_url: str, env: Mapping[str, str], secret: bytes,
                    root: Optional[Path] = None) -> "Desk":
        return cls(Stores(tracker_url, desk_url(tracker_url, env)), secret, root)

    def refresh(self) -> int:
        return self.ingestor.run()

    def myths(self) -> List[str]:
        return list(load_content(self.root).kb.myths)

    def page(self, name: str, days: int, csrf: str = "", editor: str = "", links: Optional[Mapping[str, str]] = None,
             static: bool = False, now: Optional[float] = None, message: str = "") -> str:
        now = time.time() if now is None else now
        links = links or pages.server_links(days)
        if name == "overview":
            return pages.overview_page(query.overview(self.stores, now, days), days, csrf, editor, links, static)
        if name == "queue":
            return pages.queue_page(query.clusters(self.stores, now, days), self.myths(), days, csrf, editor,
                                    links, static, message)
        if name == "review":
            return pages.review_page(query.suspects(self.stores, now, days), days, csrf, editor, links, static)
        raise KeyError(name)

    def export(self, name: str, days: int, now: Optional[float] = None) -> str:
        now = time.time() if now is None else now
        if name == "overview.csv":
            return pages.overview_csv(query.overview(self.stores, now, days))
        if name == "myths.csv":
            return pages.myths_csv(query.overview(self.stores, now, days))
        if name == "clusters.csv":
            return pages.clusters_csv(query.clusters(self.stores, now, days))
        if name == "candidates.yml":
            return pages.candidates_yaml(query.candidate_examples(self.stores))
        raise KeyError(name)

    def label(self, cluster_id: int, label: str, myth: Optional[str], editor: str) -> None:
        query.add_label(self.stores, cluster_id, label, myth or None, editor, self.myths())

    def report(self, out: Path, days: int, now: Optional[float] = None) -> Dict[str, Path]:
        """The pages and exports as static files in `out` (no forms, no period picker)."""
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        written: Dict[str, Path] = {}
        names = {"index.html": "overview", "queue.html": "queue", "review.html": "review"}
        for filename, page in names.items():
            written[filename] = out / filename
            written[filename].write_text(self.page(page, days, editor="report", links=pages.STATIC_LINKS,
                                                   static=True, now=now),
                                         encoding="utf-8")
        for filename in ("overview.csv", "myths.csv", "clusters.csv", "candidates.yml"):
            written[filename] = out / filename
            written[filename].write_text(self.export(filename, days, now), encoding="utf-8")
        written["desk.css"] = out / "desk.css"
        written["desk.css"].write_text(pages.CSS.read_text(encoding="utf-8"), encoding="utf-8")
        return written
