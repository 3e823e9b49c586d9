"""Where the desk reads and keeps its data (SQLAlchemy Core).

The bot's tracker store (Rasa's `events` table) is only read, by id, never written,
except by `forget` and `purge` (retention.py), which delete a person's rows on request.
The desk's own tables all start with `desk_`. With a SQLite tracker store they live in a
separate file beside it (`<name>.desk.db`), so a desk write never locks the file the bot
writes its conversations to; with PostgreSQL they live in the same database, which every
bot server already shares. DESK_DB (an SQLAlchemy URL) overrides either.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Mapping, Optional

import sqlalchemy as sa
import yaml

metadata = sa.MetaData()

# One row per user message or conversation start the desk has read from `events`.
desk_event = sa.Table(
    "desk_event", metadata,
    sa.Column("event_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("kind", sa.String(8), nullable=False),  # "user" or "session"
    sa.Column("ts", sa.Float, nullable=False),
    sa.Column("day", sa.String(10), nullable=False),  # UTC date, YYYY-MM-DD
    sa.Column("pseudo", sa.String(16), nullable=False),
    sa.Column("channel", sa.String(40), nullable=False),
    sa.Column("lang", sa.String(12), nullable=False),
    sa.Column("intent", sa.String(80)),
    sa.Column("confidence", sa.Float),
    sa.Column("margin", sa.Float),  # top intent's confidence minus the second's
    sa.Column("nearest", sa.String(80)),  # best-ranked myth intent
    sa.Column("text", sa.Text),  # redacted; NULL when redaction withheld it
    sa.Column("unmatched", sa.Boolean, nullable=False, default=False),
    sa.Column("cluster_id", sa.Integer),
)
sa.Index("desk_event_ts", desk_event.c.ts)
sa.Index("desk_event_pseudo", desk_event.c.pseudo)
sa.Index("desk_event_cluster", desk_event.c.cluster_id)

# Near-identical unmatched texts folded together; `tokens` is the leader's token set.
desk_cluster = sa.Table(
    "desk_cluster", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("tokens", sa.Text, nullable=False),
    sa.Column("text", sa.Text),  # a redacted example
    sa.Column("event_id", sa.Integer),  # the desk_event the example comes from
)

# Editors' labels; the latest per cluster counts, all are kept (with desk_audit: the log).
desk_label = sa.Table(
    "desk_label", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("cluster_id", sa.Integer, nullable=False, index=True),
    sa.Column("label", sa.String(20), nullable=False),
    sa.Column("myth", sa.String(80)),
    sa.Column("editor", sa.String(60), nullable=False),
    sa.Column("at", sa.Float, nullable=False),
)

desk_audit = sa.Table(
    "desk_audit", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.Float, nullable=False),
    sa.Column("who", sa.String(60), nullable=False),
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
)

desk_progress = sa.Table(
    "desk_progress", metadata,
    sa.Column("name", sa.String(20), primary_key=True),
    sa.Column("last_event_id", sa.Integer, nullable=False),
)

events_meta = sa.MetaData()
# Rasa's tracker-store table, as rasa/core/tracker_store.py defines it (read here).
events = sa.Table(
    "events", events_meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)


def tracker_url(endpoints: Path, env: Mapping[str, str], root: Optional[Path] = None) -> str:
    """The SQLAlchemy URL of the SQL tracker store an endpoints file configures."""
    config = (yaml.safe_load(Path(endpoints).read_text(encoding="utf-8")) or {}).get("tracker_store") or {}
    kind = str(config.get("type", ""))
    if kind.upper() != "SQL" and not kind.endswith("SQLTrackerStore"):  # Rasa's, or a subclass by class path
        raise ValueError(f"{endpoints}: the desk needs a SQL tracker store (type: SQL)")
    dialect = _expand(config.get("dialect"), env) or "sqlite"
    db = _expand(config.get("db"), env) or "rasa.db"
    if env.get("TRACKER_DB") and dialect == "sqlite":
        db = env["TRACKER_DB"]
    if dialect == "sqlite":
        path = Path(db)
        if not path.is_absolute() and root is not None:
            path = Path(root) / path
        return f"sqlite:///{path}"
    port = _expand(config.get("port"), env)
    url = sa.engine.url.URL.create(
        drivername=dialect, username=_expand(config.get("username"), env),
        password=_expand(config.get("password"), env), host=_expand(config.get("url"), env),
        port=int(port) if port else None, database=db)
    return str(url.render_as_string(hide_password=False))


def _expand(value: Any, env: Mapping[str, str]) -> Optional[str]:
    if value is None:
        return None
    """A value with ${NAME} replaced from the environment, as Rasa expands endpoints."""
    text = re.sub(r"\$\{(\w+)\}", lambda m: env.get(m.group(1), ""), str(value))
    return text or None


def desk_url(tracker: str, env: Mapping[str, str]) -> str:
    """DESK_DB, else a SQLite file beside a SQLite tracker store, else the same database."""
    if env.get("DESK_DB"):
        return env["DESK_DB"]
    if tracker.startswith("sqlite:///"):
        path = Path(tracker[len("sqlite:///"):])
        return f"sqlite:///{path.with_name(path.stem + '.desk.db')}"
    return tracker


def engine(url: str) -> sa.engine.Engine:
    kwargs = {"future": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 10}
    return sa.create_engine(url, **kwargs)


class Stores:
    """The tracker store (read) and the desk's own database (read and write)."""

    def __init__(self, tracker: str, desk: str) -> None:
        self.tracker_url, self.desk_url = tracker, desk
        self.tracker = engine(tracker)
        self.desk = self.tracker if desk == tracker else engine(desk)
        metadata.create_all(self.desk)

    @classmethod
    def from_env(cls, endpoints: Path, env: Mapping[str, str], root: Optional[Path] = None) -> "Stores":
        tracker = tracker_url(endpoints, env, root)
        return cls(tracker, desk_url(tracker, env))

    def has_events(self) -> bool:
        return sa.inspect(self.tracker).has_table("events")

    def dispose(self) -> None:
        self.tracker.dispose()
        if self.desk is not self.tracker:
            self.desk.dispose()
