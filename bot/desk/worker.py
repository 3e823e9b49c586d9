"""The desk's work in a process of its own, so the bot's server never waits for it.

Reading the tracker store and rendering a page are CPU work in Python; in the server's
own process they would hold the interpreter lock that the bot's replies need. A
`DeskWorker` keeps one child process (started with "spawn", so it shares nothing with
the server but the environment, and at a lower priority) holding one `Desk`; each call
reads new events first, then does the work. If the child dies, the next call starts a new one.
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, Optional

from bot.desk.pseudonym import secret_from_env
from bot.desk.service import Desk

_DESK: Optional[Desk] = None


def _start(tracker_url: str, root: Optional[str]) -> None:
    global _DESK
    try:
        os.nice(10)  # the bot's replies go first when both want the processor
    except OSError:
        pass
    _DESK = Desk.for_tracker(tracker_url, os.environ, secret_from_env(os.environ), Path(root) if root else None)


def _call(method: str, args: tuple, kwargs: dict) -> Any:
    assert _DESK is not None
    _DESK.refresh()
    return getattr(_DESK, method)(*args, **kwargs)


class DeskWorker:
    METHODS = ("page", "export", "label", "refresh")

    def __init__(self, tracker_url: str, root: Optional[Path] = None) -> None:
        self.tracker_url = tracker_url
        self.root = str(root) if root else None
        self.pool: Optional[ProcessPoolExecutor] = None

    def _pool(self) -> ProcessPoolExecutor:
        if self.pool is None:
            self.pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_start, initargs=(self.tracker_url, self.root))
        return self.pool

    def submit(self, method: str, *args: Any, **kwargs: Any) -> "Future[Any]":
        """Run Desk.<method>(*args, **kwargs) in the child, after reading new events."""
        if method not in self.METHODS:
            raise ValueError(f"no desk method {method!r}")
        try:
            return self._pool().submit(_call, method, args, kwargs)
        except BrokenProcessPool:
            self.pool = None
            return self._pool().submit(_call, method, args, kwargs)

    def shutdown(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None
