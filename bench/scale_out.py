"""Throughput of two Rasa servers behind nginx on PostgreSQL and Redis, with the action
server as its own process (tests/server/cluster.py, the set-up of
deploy/endpoints.production.yml), for bench/benchmark.py --scale-out."""
from __future__ import annotations

from pathlib import Path
from typing import Dict, Sequence

from bench import load
from tests.server.cluster import running_cluster, services_installed

LEVELS = {20: 30, 100: 10}


def measure_cluster(work: Path, script: Sequence[str]) -> Dict:
    if not services_installed():
        raise SystemExit("PostgreSQL, Redis or nginx is missing: run `make services`")
    results: Dict = {}
    with running_cluster(work / "cluster") as cluster:
        url = f"{cluster.lb_url}/webhooks/rest/webhook"
        load.run(url, 2, 3, load.cycle(script), "warm-up")
        results["rss_idle"] = load.rss_mb(cluster.servers.pids())
        for c, per in LEVELS.items():
            results[c] = load.run(url, c, per, load.cycle(script), "cluster")
    return results
