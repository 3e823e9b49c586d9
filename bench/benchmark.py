"""Benchmark: this bot as `make run` starts it against the stock `rasa init` bot, in the
same run, on this machine. `make bench` writes docs/benchmarks.md and
docs/benchmark-latency.png. Only talks to servers it starts on 127.0.0.1; every load is
bounded in requests.

Measured for both: time to the first answer, memory (RSS) of all the bot's processes
when idle and at peak, latency and throughput over REST at 1 to 100 concurrent
conversations, the cost of a turn early and late in one long conversation. For ours
also: 20 concurrent conversations with practice-mode answers mixed in (scored with
spaCy), and, with --scale-out, two servers behind nginx on PostgreSQL and Redis
(bench/scale_out.py). The stock bot is trained once and kept under build/stock/.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import load, stock  # noqa: E402
from tests.bot_servers import BIN, free_port  # noqa: E402

CONCURRENCY = (1, 5, 20, 50, 100)
PER_CONVERSATION = {1: 60, 5: 40, 20: 30, 50: 12, 100: 10}
LONG = 400  # turns of the one long conversation; cost compared for turns 0-50 and 350-400
LONG_RUNS = {"ours": 3, "stock": 1}  # long conversations, one after the other; medians over them
SCRIPT = ["NATO is encircling Russia", "source?", "NATO promised not to expand east",
          "tell me more", "how many troops are on the eastern flank?", "what changed since 2022?"]
PRACTICE = ["I want to practise", "Only about an eleventh of Russia's land border touches NATO members, and "
            "Finland and Sweden asked to join after 2022, NATO says in its fact sheet of July 2024.",
            "Nobody forced them: joining takes a request and every member's approval, and the border share "
            "is small, as NATO's own figures show."]
ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3",
       "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=60)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


def measure(process: subprocess.Popen, url: str, script, first: str, tag: str, practice: bool,
            long_runs: int) -> Dict:
    result: Dict = {"startup": load.wait_for_answer(url, first, process)}
    pids = load.descendants(process.pid)  # make, run.sh and the servers
    result["rss_idle"] = load.rss_mb(pids)
    result["processes"] = load.names(pids)
    for c in CONCURRENCY:
        print(f"   {c} concurrent", flush=True)
        result[c] = load.run(url, c, PER_CONVERSATION[c], load.cycle(script), tag)
    # one long conversation, long_runs times: latency is the target's measure, the servers'
    # CPU time per turn the one other agents' load does not inflate
    early, late, cpu_early, cpu_late = [], [], [], []
    for run in range(long_runs):
        long = load.run(url, 1, LONG, load.cycle(script), f"{tag}-long{run}", cpu=lambda: load.cpu_seconds(pids))
        early.append(statistics.median(long["per_turn_ms"][:50]))
        late.append(statistics.median(long["per_turn_ms"][350:400]))
        cpu_early.append(sum(long["cpu_ms"][:50]) / 50)
        cpu_late.append(sum(long["cpu_ms"][350:400]) / 50)
    result["turns_early"], result["turns_late"] = statistics.median(early), statistics.median(late)
    result["cpu_early"], result["cpu_late"] = statistics.median(cpu_early), statistics.median(cpu_late)
    if practice:
        def mixed(n: int, turn: int) -> str:
            return PRACTICE[turn % len(PRACTICE)] if n % 4 == 0 else script[turn % len(script)]

        result["mixed"] = load.run(url, 20, PER_CONVERSATION[20], mixed, f"{tag}-mixed",
                                   group=lambda n: "practice" if n % 4 == 0 else "facts")
    result["rss_peak"] = load.rss_mb(load.descendants(process.pid), "VmHWM")
    return result


def ours(work: Path) -> Dict:
    port = free_port()
    env = {**ENV, "RASA_PORT": str(port), "TRACKER_DB": str(work / "ours.db")}
    env.pop("ACTIONS_PORT", None)
    log = open(work / "ours.log", "wb")
    process = subprocess.Popen(["make", "--no-print-directory", "run"], cwd=REPO, env=env, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        return measure(process, f"http://127.0.0.1:{port}/webhooks/rest/webhook", SCRIPT, SCRIPT[0], "ours", True,
                       LONG_RUNS["ours"])
    finally:
        stop(process)


def stock_rasa(work: Path) -> Dict:
    project, model, train_seconds = stock.stock_bot(BIN, ENV)
    port = free_port()
    log = open(work / "stock.log", "wb")
    process = stock.serve(project, model, port, work / "stock.db", BIN, ENV, log)
    try:
        result = measure(process, f"http://127.0.0.1:{port}/webhooks/rest/webhook", stock.SCRIPT, stock.SCRIPT[0],
                         "stock", False, LONG_RUNS["stock"])
    finally:
        stop(process)
    result["train"] = train_seconds
    return result


def plot(results: Dict[str, Dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=110)
    for label, r in results.items():
        for key, style in (("p50", "-o"), ("p95", "--s")):
            ax.plot(CONCURRENCY, [r[c][key] for c in CONCURRENCY], style, label=f"{label} {key}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(CONCURRENCY)
    ax.set_xticklabels([str(c) for c in CONCURRENCY])
    ax.set_xlabel("concurrent conversations")
    ax.set_ylabel("latency per message (ms, log scale)")
    ax.set_title("REST latency against concurrency (2 cores, shared)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, Python {platform.python_version()}, rasa 3.6.21"


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(REPO / "docs" / "benchmarks.md"))
    parser.add_argument("--plot", default=str(REPO / "docs" / "benchmark-latency.png"))
    parser.add_argument("--scale-out", action="store_true", help="also two servers behind nginx (make services)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    before = uptime()
    print(f"== {before}", flush=True)
    results: Dict[str, Dict] = {}
    print("== ours, as `make run` starts it", flush=True)
    results["ours"] = ours(work)
    print(json.dumps(results["ours"]), flush=True)  # the figures so far, should a later step fail
    print("== stock rasa init", flush=True)
    results["stock rasa init"] = stock_rasa(work)
    print(json.dumps(results["stock rasa init"]), flush=True)
    scale = None
    if args.scale_out:
        from bench.scale_out import measure_cluster

        print("== two servers behind nginx on PostgreSQL and Redis", flush=True)
        scale = measure_cluster(work, SCRIPT)
    after = uptime()
    print(f"== {after}", flush=True)
    from bench.report import render_report

    report = render_report(results, scale, machine(), dt.date.today().isoformat(), before, after,
                           CONCURRENCY, PER_CONVERSATION, LONG)
    old = Path(args.out).read_text() if Path(args.out).exists() else ""
    if "<!-- desk-bench -->" in old:  # the section bench/desk_bench.py writes stays
        report = report.rstrip("\n") + "\n\n" + old[old.index("<!-- desk-bench -->"):]
    Path(args.out).write_text(report)
    plot(results, Path(args.plot))
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
