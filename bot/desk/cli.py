"""`python -m bot desk <command>`: the static report, erasure and retention.

    python -m bot desk report --since 30d --out build/desk-report
    python -m bot desk forget 'whatsapp:+4915112345678'     # or the pseudonym the desk shows
    python -m bot desk purge --older-than 90

They read the tracker store that endpoints.yml configures (TRACKER_DB and DESK_DB apply
as for the server) and need DESK_SECRET or DESK_TOKEN for the pseudonyms.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import Optional

from bot.desk.pseudonym import DeskConfigError, secret_from_env
from bot.desk.retention import DEFAULT_RETENTION_DAYS, forget, purge
from bot.desk.service import Desk
from bot.desk.store import Stores
from bot.knowledge import project_root


def since_days(value: str) -> int:
    """'30d', '30' -> 30; argparse error otherwise."""
    match = re.fullmatch(r"\s*(\d{1,4})\s*d?\s*", value or "")
    if not match or int(match.group(1)) < 1:
        raise argparse.ArgumentTypeError(f"expected a number of days such as 30d, not {value!r}")
    return int(match.group(1))


def add_parser(sub: "argparse._SubParsersAction") -> None:
    desk = sub.add_parser("desk", help="the editor's desk: report, forget, purge (docs/desk.md)")
    desk.add_argument("--endpoints", default=None, help="endpoints file (default: endpoints.yml)")
    cmds = desk.add_subparsers(dest="desk_command", required=True)
    report = cmds.add_parser("report", help="write the desk's pages and CSVs as static files")
    report.add_argument("--since", type=since_days, default=30, help="period, e.g. 7d, 30d, 90d")
    report.add_argument("--out", required=True, help="folder for index.html, queue.html, review.html, *.csv")
    report.set_defaults(run=_report)
    fg = cmds.add_parser("forget", help="remove one person everywhere (sender id or pseudonym)")
    fg.add_argument("sender")
    fg.set_defaults(run=_forget)
    pg = cmds.add_parser("purge", help="delete conversations inactive for DAYS and desk texts older than that")
    pg.add_argument("--older-than", type=since_days, default=DEFAULT_RETENTION_DAYS, metavar="DAYS")
    pg.set_defaults(run=_purge)


def _stores(args) -> Optional[Stores]:
    root = project_root(getattr(args, "root", None))
    endpoints = Path(args.endpoints) if args.endpoints else root / "endpoints.yml"
    try:
        return Stores.from_env(endpoints, os.environ, root)
    except (OSError, ValueError) as error:
        print(f"desk: {error}", file=sys.stderr)
        return None


def run(args) -> int:
    try:
        secret = secret_from_env(os.environ)
    except DeskConfigError as error:
        print(f"desk: {error}", file=sys.stderr)
        return 2
    stores = _stores(args)
    if stores is None:
        return 2
    try:
        return args.run(args, stores, secret)
    finally:
        stores.dispose()


def _report(args, stores: Stores, secret: bytes) -> int:
    desk = Desk(stores, secret, project_root(getattr(args, "root", None)))
    added = desk.refresh()
    written = desk.report(Path(args.out), args.since)
    print(f"desk report for the last {args.since} days ({added} new events read): "
          f"{', '.join(sorted(p.name for p in written.values()))} in {args.out}")
    return 0


def _forget(args, stores: Stores, secret: bytes) -> int:
    result = forget(stores, secret, args.sender)
    print(f"forgotten: {result['tracker_events']} tracker-store events and {result['desk_rows']} desk rows removed")
    return 0


def _purge(args, stores: Stores, secret: bytes) -> int:
    Desk(stores, secret).refresh()  # count what is there before it goes
    result = purge(stores, args.older_than)
    print(f"purged: {result['tracker_events']} events of conversations inactive for {args.older_than} days; "
          f"{result['desk_texts']} desk texts older than that withheld (counts kept)")
    return 0
