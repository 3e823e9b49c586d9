"""Benchmark: our pipeline against stock Rasa (the defaults `rasa init` trains with), on
the same bot data, on this machine. Run with `make bench`; writes docs/benchmarks.md and
docs/benchmark-latency.png. Only talks to servers it starts on 127.0.0.1; every load
loop is bounded in requests.

For each configuration: training time (cold cache), start-up time to the first answer,
resident memory of the Rasa server, NLU accuracy / macro-F1 / off-topic rejection on the
held-out test set, and p50/p95/p99 latency and throughput over REST (action server in
the loop) at 1, 20 and 100 concurrent conversations.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.nlu.evaluate import evaluate_model, metrics  # noqa: E402
from tests.bot_servers import BIN, free_port, wait_until  # noqa: E402

CONCURRENCY = (1, 20, 100)
REQUESTS = {1: 60, 20: 400, 100: 1000}  # per level: bounded load
SCRIPT = ["NATO is encircling Russia", "source?", "NATO promised not to expand east",
          "tell me more", "how many troops are on the eastern flank?", "what changed since 2022?"]
ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3",
       "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}


def stock_config(path: Path) -> Path:
    """Rasa's default configuration, which `rasa init`'s empty config.yml trains with,
    with fixed random seeds so runs are repeatable."""
    import rasa.engine.recipes.default_recipe as recipe

    default = Path(recipe.__file__).parent / "config_files" / "default_config.yml"
    config = yaml.safe_load(default.read_text())
    config["assistant_id"] = "stock_rasa_init"
    for component in config["pipeline"] + config["policies"]:
        if "epochs" in component:
            component["random_seed"] = 42
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def train(config: Path, out: Path, name: str) -> float:
    cache = Path(tempfile.mkdtemp(prefix="rasa-cache-"))
    start = time.monotonic()
    subprocess.run([str(BIN / "rasa"), "train", "--domain", "responses", "--data", "data/nlu", "data/stories",
                    "--config", str(config), "--out", str(out), "--fixed-model-name", name],
                   cwd=REPO, env={**ENV, "RASA_CACHE_DIRECTORY": str(cache)}, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.monotonic() - start
    shutil.rmtree(cache, ignore_errors=True)
    return elapsed


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _load(url: str, concurrency: int, total: int, tag: str) -> Dict:
    import aiohttp

    latencies: List[float] = []
    failures = 0
    per_user = max(total // concurrency, 1)

    async def user(n: int, session) -> None:
        nonlocal failures
        for i in range(per_user):
            body = {"sender": f"{tag}-{concurrency}-{n}", "message": SCRIPT[i % len(SCRIPT)]}
            t0 = time.monotonic()
            try:
                async with session.post(url, json=body) as response:
                    replies = await response.json()
                    ok = response.status == 200 and bool(replies)
            except Exception:
                ok = False
            latencies.append(time.monotonic() - t0)
            failures += not ok

    timeout = aiohttp.ClientTimeout(total=300)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        start = time.monotonic()
        await asyncio.gather(*(user(n, session) for n in range(concurrency)))
        elapsed = time.monotonic() - start
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000

    return {"requests": len(ordered), "failures": failures, "throughput": len(ordered) / elapsed,
            "p50": pct(50), "p95": pct(95), "p99": pct(99), "mean": statistics.mean(ordered) * 1000}


def serve_and_measure(model: Path, workdir: Path, tag: str) -> Dict:
    actions_port, rasa_port = free_port(), free_port()
    endpoints = workdir / f"endpoints-{tag}.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{actions_port}/webhook"\n'
                         f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{workdir / (tag + ".db")}"\n')
    log = open(workdir / f"{tag}.log", "wb")
    actions = subprocess.Popen([str(BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(actions_port)],
                               cwd=REPO, env=ENV, stdout=log, stderr=subprocess.STDOUT)
    wait_until(f"http://127.0.0.1:{actions_port}/health", actions)
    url = f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook"
    start = time.monotonic()
    rasa = subprocess.Popen([sys.executable, "-m", "bot.server", "run", "--model", str(model), "--endpoints", str(endpoints),
                             "--credentials", str(REPO / "credentials.yml"), "--port", str(rasa_port)],
                            cwd=REPO, env=ENV, stdout=log, stderr=subprocess.STDOUT)
    try:
        import requests

        while True:
            if rasa.poll() is not None:
                raise RuntimeError(f"rasa exited; see {workdir / (tag + '.log')}")
            try:
                r = requests.post(url, json={"sender": "first", "message": SCRIPT[0]}, timeout=10)
                if r.status_code == 200 and r.json():
                    break
            except requests.RequestException:
                pass
            time.sleep(0.2)
        result = {"startup": time.monotonic() - start, "rss_idle": rss_mb(rasa.pid)}
        for c in CONCURRENCY:
            result[c] = asyncio.run(_load(url, c, REQUESTS[c], tag))
        result["rss_peak"] = rss_mb(rasa.pid, "VmHWM")
        return result
    finally:
        for process in (rasa, actions):
            process.send_signal(2)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()


def nlu_quality(model: Path) -> Dict:
    return metrics(evaluate_model(model, REPO / "tests" / "nlu" / "test_set.yml"))


def plot(results: Dict[str, Dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=110)
    for label, r in results.items():
        for key, style in (("p50", "-o"), ("p95", "--s")):
            ax.plot(CONCURRENCY, [r["serve"][c][key] for c in CONCURRENCY], style, label=f"{label} {key}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(CONCURRENCY)
    ax.set_xticklabels([str(c) for c in CONCURRENCY])
    ax.set_xlabel("concurrent conversations")
    ax.set_ylabel("latency per message (ms, log scale)")
    ax.set_title("REST latency with the action server in the loop (2 cores)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)


def machine() -> str:
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), platform.processor())
    mem = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, Python {platform.python_version()}, rasa 3.6.21"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(REPO / "docs" / "benchmarks.md"))
    parser.add_argument("--plot", default=str(REPO / "docs" / "benchmark-latency.png"))
    parser.add_argument("--only", choices=["ours", "stock"], help="measure one configuration (smoke runs)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the request counts (smoke runs)")
    args = parser.parse_args()
    for c in CONCURRENCY:
        REQUESTS[c] = max(c, int(REQUESTS[c] * args.scale))
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    configs = {"ours": REPO / "config.yml", "stock rasa init": stock_config(work / "stock_config.yml")}
    results: Dict[str, Dict] = {}
    load_before = os.getloadavg()
    for label, config in configs.items():
        tag = label.split()[0]
        if args.only and args.only != tag:
            continue
        print(f"== {label}: training", flush=True)
        seconds = train(config, work, tag)
        model = work / f"{tag}.tar.gz"
        print(f"== {label}: serving and load", flush=True)
        served = serve_and_measure(model, work, tag)
        print(f"== {label}: NLU quality", flush=True)
        results[label] = {"train": seconds, "serve": served, "nlu": nlu_quality(model)}
    from bench.report import render_report

    loads = f"load average (1 min) {load_before[0]:.2f} before the run, {os.getloadavg()[0]:.2f} after it"
    report = render_report(results, f"{machine()}; {loads}", dt.date.today().isoformat(), CONCURRENCY, REQUESTS)
    old = Path(args.out).read_text() if Path(args.out).exists() else ""
    if "<!-- desk-bench -->" in old:  # the section bench/desk_bench.py writes stays
        report = report.rstrip("\n") + "\n\n" + old[old.index("<!-- desk-bench -->"):]
    Path(args.out).write_text(report)
    plot(results, Path(args.plot))
    print(Path(args.out).read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
