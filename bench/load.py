"""Closed-loop REST load for bench/benchmark.py: `concurrency` conversations, each sending
its next message as soon as the previous one is answered. Bounded: every conversation
sends `per_conversation` messages. Only talks to the URL it is given (127.0.0.1)."""
from __future__ import annotations

import asyncio
import os
import statistics
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

Script = Callable[[int, int], str]  # (conversation, turn) -> message


def cycle(messages: Sequence[str]) -> Script:
    return lambda conversation, turn: messages[turn % len(messages)]


def percentile(ordered: List[float], p: float) -> float:
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def summary(latencies: List[float], failures: int, elapsed: float) -> Dict:
    ordered = sorted(latencies)
    return {"requests": len(ordered), "failures": failures, "throughput": len(ordered) / elapsed,
            "p50": percentile(ordered, 50) * 1000, "p95": percentile(ordered, 95) * 1000,
            "p99": percentile(ordered, 99) * 1000, "mean": statistics.mean(ordered) * 1000}


async def _run(url: str, concurrency: int, per_conversation: int, script: Script, tag: str,
               group: Optional[Callable[[int], str]] = None, cpu: Optional[Callable[[], float]] = None) -> Dict:
    import aiohttp

    by_group: Dict[str, List[float]] = {}
    latencies: List[float] = []
    turns: List[List[float]] = [[] for _ in range(per_conversation)]
    cpu_at: List[float] = []  # the servers' CPU seconds before each turn (one conversation)
    failures = 0

    async def conversation(n: int, session) -> None:
        nonlocal failures
        for turn in range(per_conversation):
            if cpu:
                cpu_at.append(cpu())
            body = {"sender": f"{tag}-{concurrency}-{n}", "message": script(n, turn)}
            start = time.monotonic()
            try:
                async with session.post(url, json=body) as response:
                    replies = await response.json()
                    ok = response.status == 200 and bool(replies)
            except Exception:  # noqa: BLE001 - every failure counts, whatever it is
                ok = False
            latency = time.monotonic() - start
            latencies.append(latency)
            turns[turn].append(latency)
            if group:
                by_group.setdefault(group(n), []).append(latency)
            failures += not ok

    timeout = aiohttp.ClientTimeout(total=300)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=concurrency)) as session:
        start = time.monotonic()
        await asyncio.gather(*(conversation(n, session) for n in range(concurrency)))
        elapsed = time.monotonic() - start
    result = summary(latencies, failures, elapsed)
    result["per_turn_ms"] = [statistics.median(t) * 1000 for t in turns]
    if cpu:
        cpu_at.append(cpu())
        result["cpu_ms"] = [(b - a) * 1000 for a, b in zip(cpu_at, cpu_at[1:])]
    for name, values in by_group.items():
        ordered = sorted(values)
        result[f"p50 {name}"], result[f"p95 {name}"] = percentile(ordered, 50) * 1000, percentile(ordered, 95) * 1000
    return result


def run(url: str, concurrency: int, per_conversation: int, script: Script, tag: str,
        group: Optional[Callable[[int], str]] = None, cpu: Optional[Callable[[], float]] = None) -> Dict:
    return asyncio.run(_run(url, concurrency, per_conversation, script, tag, group, cpu))


def cpu_seconds(pids: Sequence[int]) -> float:
    """User and system CPU time the processes used so far (not counting waiting)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            continue
    return total / ticks


def wait_for_answer(url: str, message: str, process, timeout: float = 300) -> float:
    """Seconds until `url` answers `message` with a non-empty reply."""
    import requests

    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            r = requests.post(url, json={"sender": "first", "message": message}, timeout=10)
            if r.status_code == 200 and r.json():
                return time.monotonic() - start
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def descendants(pid: int) -> List[int]:
    """`pid` and all processes below it."""
    children: Dict[int, List[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def names(pids: Sequence[int]) -> str:
    """The processes' command names, e.g. "make, run.sh, python"."""
    found = []
    for pid in pids:
        try:
            found.append(Path(f"/proc/{pid}/comm").read_text().strip())
        except OSError:
            continue
    return ", ".join(found)


def rss_mb(pids: Sequence[int], field: str = "VmRSS") -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith(field + ":"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"
