"""Start-up and memory of `make run`, step by step (the start-up and memory rows of
docs/benchmarks.md, in a minute instead of `make bench`'s fifteen):

    .venv/bin/python bench/startup.py            # three runs, medians
    .venv/bin/python bench/startup.py --runs 1

Each run starts `make run` on a free localhost port with a fresh SQLite tracker store and
measures: seconds until the server answers `/` (ready), until the first English answer,
the RSS of all its processes (make, bash, python) and of the server alone at each step,
then, once the server says it has loaded the other languages in the background
(bot/server/warm_up.py; at most --idle seconds without messages), the RSS again and a message in each of the
bot's other languages (first and second message of the language, so what is left of a
language's first-use cost shows), then the RSS after all of them. The load average is
printed with each run, since the machine is shared.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import load  # noqa: E402
from bench.benchmark import ENV, stop  # noqa: E402
from tests.bot_servers import free_port  # noqa: E402

FIRST = "NATO is encircling Russia"
BACKGROUND = "Loaded in the background"
LANGUAGES = {
    "ru": ("НАТО окружает Россию", "НАТО обещало не расширяться на восток"),
    "uk": ("НАТО оточує Росію", "НАТО обіцяло не розширюватися на схід"),
    "de": ("Die NATO kreist Russland ein", "Die NATO hat versprochen, sich nicht nach Osten auszudehnen"),
    "fr": ("L'OTAN encercle la Russie", "L'OTAN avait promis de ne pas s'étendre vers l'est"),
}


def timed_post(url: str, sender: str, text: str) -> float:
    import requests

    start = time.monotonic()
    r = requests.post(url, json={"sender": sender, "message": text}, timeout=120)
    r.raise_for_status()
    if not r.json():
        raise RuntimeError(f"no reply to {text!r}")
    return (time.monotonic() - start) * 1000


def wait_ready(base: str, process, start: float, timeout: float = 300) -> float:
    import requests

    while time.monotonic() - start < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            if requests.get(base + "/", timeout=5).status_code < 500:
                return time.monotonic() - start
        except requests.RequestException:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"{base} not ready within {timeout} s")


def server_rss(pids: List[int]) -> float:
    python = [p for p in pids if _comm(p).startswith("python")]
    return load.rss_mb(python)


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def one_run(work: Path, idle: float) -> Dict[str, float]:
    port = free_port()
    env = {**ENV, "RASA_PORT": str(port), "TRACKER_DB": str(work / f"startup-{port}.db")}
    env.pop("ACTIONS_PORT", None)
    base = f"http://127.0.0.1:{port}"
    url = base + "/webhooks/rest/webhook"
    out: Dict[str, float] = {"load before": os.getloadavg()[0]}
    start = time.monotonic()
    with open(work / f"run-{port}.log", "wb") as log:
        process = subprocess.Popen(["make", "--no-print-directory", "run"], cwd=REPO, env=env, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        out["ready s"] = wait_ready(base, process, start)
        pids = load.descendants(process.pid)
        out["cpu s until ready"] = load.cpu_seconds(pids)
        out["rss ready, all"], out["rss ready, server"] = load.rss_mb(pids), server_rss(pids)
        out["first answer ms"] = timed_post(url, "startup-en", FIRST)
        out["make run to first answer s"] = time.monotonic() - start
        out["cpu s until first answer"] = load.cpu_seconds(pids)
        time.sleep(1)  # anything started in the background after the first answer settles
        pids = load.descendants(process.pid)
        out["rss after first answer, all"], out["rss after first answer, server"] = load.rss_mb(pids), server_rss(pids)
        out["second English answer ms"] = timed_post(url, "startup-en", "source?")
        log_file = work / f"run-{port}.log"
        while time.monotonic() - start < out["ready s"] + idle and BACKGROUND not in log_file.read_text(errors="replace"):
            time.sleep(0.2)
        out["background loads done, s after ready"] = time.monotonic() - start - out["ready s"]
        time.sleep(1)
        pids = load.descendants(process.pid)
        out["rss idle, languages loaded, all"], out["rss idle, languages loaded, server"] = \
            load.rss_mb(pids), server_rss(pids)
        for code, (first, second) in LANGUAGES.items():
            out[f"{code} first ms"] = timed_post(url, f"startup-{code}", first)
            out[f"{code} second ms"] = timed_post(url, f"startup-{code}", second)
        pids = load.descendants(process.pid)
        out["rss after all languages, all"], out["rss after all languages, server"] = load.rss_mb(pids), server_rss(pids)
        out["rss peak, all"] = load.rss_mb(pids, "VmHWM")
    finally:
        stop(process)
    out["load after"] = os.getloadavg()[0]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--idle", type=float, default=60.0, help="seconds at most to wait for the background loads")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="startup-"))
    runs = []
    for n in range(args.runs):
        runs.append(one_run(work, args.idle))
        print(f"run {n + 1}: " + ", ".join(f"{k} {v:.2f}" if "load" in k else f"{k} {v:.1f}"
                                           for k, v in runs[-1].items()), flush=True)
    print(f"median of {len(runs)} run(s):")
    for key in runs[0]:
        print(f"  {key:34s} {statistics.median(r[key] for r in runs):8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
