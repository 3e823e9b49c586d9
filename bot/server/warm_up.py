"""Loading what messages need before they come, so that no user's message waits for it.

Everything the NLU components and the actions read is loaded on first use (nothing at
import time), which used to make the first answer after a start take 4.7 s. Now:

- before the server listens (`before_ready`, called by startup.py once the agent is
  loaded): one English message goes through the NLU graph (`Agent.parse_message`, which
  touches no tracker: fastText, the switch phrases, spaCy and the English pipeline, the
  classifier), and, when the actions run in this process, the content of every language
  and the English fact retrieval with its index (some 7,000 questions and examples read
  by spaCy) are loaded. Then gc.freeze() covers them too.
- after it (`after_ready`): a background thread loads each other language's spaCy
  pipeline and fact retrieval with its index, one language at a time, each only once the
  server has been idle for a moment (the process used under 5% of a core in the last
  half second): loading one takes 1 to 4 s of CPU, mostly holding the interpreter lock,
  and conversations must not wait behind it (in a benchmark that started 20 conversations
  while it ran, p95 rose from about 100 ms to 1.3 s). Until a language is loaded, its
  first message loads it (bot/nlu/pipeline.py's `Pipelines`, bot/answers/data.py), the
  way it always did; a server busy from the start loads them that way.

Loading leaves freed memory behind (the model's files are parsed, skops checks them, spaCy
builds and drops intermediate tables: about 37 MB here); `settle()` collects it and hands
it back to the system (glibc's `malloc_trim`; a no-op where there is no glibc), then
freezes what is left for the garbage collector (startup.py says why).

A failure here is logged and changes nothing else: the message that needs the piece
loads it (and reports the problem) as before.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import sys
import threading
import time
from typing import Any, Callable, Iterable

logger = logging.getLogger(__name__)
SAMPLE = "NATO is encircling Russia"
PAUSE = 2.0  # seconds after the server listens before the other languages load
IDLE_WINDOW, IDLE_SHARE = 0.5, 0.05  # idle: under 5% of a core used in the last half second


def wait_until_idle(window: float = IDLE_WINDOW, share: float = IDLE_SHARE) -> None:
    """Return once this process used less than ``share`` of a core during ``window`` seconds."""
    while True:
        used = time.process_time()
        time.sleep(window)
        if time.process_time() - used < share * window:
            return


def _languages() -> Iterable[str]:
    from bot.knowledge.content import load_content

    return [code for code in load_content().codes if code != "en"]


def settle() -> None:
    gc.collect()
    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
    gc.freeze()


async def before_ready(agent: Any, actions_here: bool) -> None:
    try:
        await agent.parse_message(SAMPLE)
        if actions_here:
            from bot.answers.data import load_retrieval

            load_retrieval(language="en").warm()
    except Exception as exc:  # noqa: BLE001 - the first message will load (and report) it
        logger.warning(f"warm-up skipped ({exc!r}); the first message loads what it needs")


def _load_languages(actions_here: bool, pause: float, idle: Callable[[], None]) -> None:
    from bot.nlu.pipeline import load_pipelines, pipelines_dir

    time.sleep(pause)
    start = time.monotonic()
    try:
        pipelines = load_pipelines(str(pipelines_dir()))
        codes = list(_languages())
        for code in codes:
            idle()
            if code in pipelines:
                pipelines[code]
            if actions_here:
                from bot.answers.data import load_retrieval

                load_retrieval(language=code).warm()
        settle()
        print(f"Loaded in the background: {', '.join(codes) or 'no other language'} "
              f"({time.monotonic() - start:.1f} s)", file=sys.stderr, flush=True)
    except Exception as exc:  # noqa: BLE001 - a message in that language will load (and report) it
        logger.warning(f"loading the other languages in the background stopped ({exc!r})")


def after_ready(actions_here: bool, pause: float = PAUSE,
                idle: Callable[[], None] = wait_until_idle) -> threading.Thread:
    thread = threading.Thread(target=_load_languages, args=(actions_here, pause, idle), name="warm-up", daemon=True)
    thread.start()
    return thread
