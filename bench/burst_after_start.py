"""20 concurrent conversations (30 messages each, REST, closed loop) sent the moment
`make run` has given its first answer, then again once the server says it has loaded the
other languages in the background (bot/server/warm_up.py): whether serving right after a
start competes with that loading.

    .venv/bin/python bench/burst_after_start.py

Only talks to the server it starts on a free localhost port; prints the load average.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import load  # noqa: E402
from bench.benchmark import ENV, SCRIPT, stop  # noqa: E402
from bench.startup import BACKGROUND  # noqa: E402
from tests.bot_servers import free_port  # noqa: E402


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="burst-"))
    port = free_port()
    env = {**ENV, "RASA_PORT": str(port), "TRACKER_DB": str(work / "burst.db")}
    env.pop("ACTIONS_PORT", None)
    log_file = work / "run.log"
    with open(log_file, "wb") as log:
        process = subprocess.Popen(["make", "--no-print-directory", "run"], cwd=REPO, env=env, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
    try:
        first = load.wait_for_answer(url, SCRIPT[0], process)
        print(f"first answer {first:.1f} s after make run (load average {load.load_average()})")
        for label in ("right after the first answer", "once the background loads are done"):
            if label.startswith("once"):
                deadline = time.monotonic() + 120
                while BACKGROUND not in log_file.read_text(errors="replace") and time.monotonic() < deadline:
                    time.sleep(0.5)
            r = load.run(url, 20, 30, load.cycle(SCRIPT), f"burst-{label[:4]}")
            print(f"{label}: {r['throughput']:.1f} msg/s, p50 / p95 / p99 {r['p50']:.0f} / {r['p95']:.0f} / "
                  f"{r['p99']:.0f} ms, {r['failures']} failed (load average {load.load_average()})")
        print(*[line for line in log_file.read_text(errors="replace").splitlines() if BACKGROUND in line])
    finally:
        stop(process)
    return 0


if __name__ == "__main__":
    sys.exit(main())
