"""Profile Rasa turns in-process: where does a turn's time go? (bench/README in docs/benchmarks.md)

    .venv/bin/python bench/profile_turns.py                  # as served: bot/server/ changes
    .venv/bin/python bench/profile_turns.py --no-speedups    # Rasa's own code paths

Loads the trained model with a SQLite tracker store in a temporary folder, runs a
bounded number of turns and prints the time per turn, the number of function calls and
the top of the cProfile listing. As served: in-process actions and the tracker store of
bot/server/; with --no-speedups: Rasa's SQL store and an action server on a free
localhost port.
"""
from __future__ import annotations

import argparse
import asyncio
import cProfile
import logging
import pstats
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.bot_servers import BotServers  # noqa: E402

MESSAGES = ["NATO is encircling Russia", "source?", "NATO promised not to expand east", "tell me more"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-speedups", action="store_true")
    parser.add_argument("--turns", type=int, default=80)
    args = parser.parse_args()
    from rasa.core.agent import Agent
    from rasa.core.tracker_store import TrackerStore
    from rasa.utils.endpoints import EndpointConfig
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    logging.disable(logging.WARNING)
    if not args.no_speedups:
        from bot.server import patches as rasa_speedups

        rasa_speedups.install()
    work = Path(tempfile.mkdtemp(prefix="profile-"))
    with BotServers(work, actions="server") as servers:
        servers.stop_process(servers.rasa_process)  # the agent below replaces it
        if args.no_speedups:
            store_type, actions = "SQL", EndpointConfig(f"http://127.0.0.1:{servers.actions_port}/webhook")
        else:
            from bot.server.in_process_actions import InProcessActions

            store_type, actions = "bot.server.tracker_store.FastSQLTrackerStore", InProcessActions("actions")
        store = TrackerStore.create(EndpointConfig(type=store_type, dialect="sqlite", db=str(work / "p.db")))
        agent = Agent.load(str(REPO / "models" / "nato-factcheck.tar.gz"), tracker_store=store,
                           action_endpoint=actions)

        async def turns(n: int) -> None:
            for i in range(n):
                await agent.handle_text(MESSAGES[i % len(MESSAGES)], sender_id=f"user-{i // 8}")

        asyncio.run(turns(8))  # warm up
        start = time.monotonic()
        asyncio.run(turns(args.turns))
        print(f"{(time.monotonic() - start) / args.turns * 1000:.1f} ms per turn over {args.turns} turns")
        profiler = cProfile.Profile()
        profiler.runcall(asyncio.run, turns(args.turns))
    stats = pstats.Stats(profiler)
    print(f"{stats.total_calls} function calls for {args.turns} turns")
    stats.sort_stats("cumulative").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
