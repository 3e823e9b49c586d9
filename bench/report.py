"""The Markdown table of docs/benchmarks.md, from the figures bench/benchmark.py measured."""
from __future__ import annotations

from typing import Dict, Sequence

TARGETS = {
    "myth accuracy": "≥ 95%",
    "off-topic rejection": "≥ 95%",
    "training": "≤ 60 s",
    "first answer after start": "≤ 15 s",
    "server memory": "≤ 600 MB",
    "p95 at 20": "≤ 300 ms",
    "throughput at 20": "≥ 3× stock",
}


def rows(results: Dict[str, Dict], concurrency: Sequence[int]):
    def per(label, fn):
        return [fn(r) for r in results.values()], label

    yield per("training time (cold cache)", lambda r: f"{r['train']:.0f} s"), TARGETS["training"]
    yield per("start-up to first answer", lambda r: f"{r['serve']['startup']:.1f} s"), TARGETS["first answer after start"]
    yield per("Rasa server memory, idle (RSS)", lambda r: f"{r['serve']['rss_idle']:.0f} MB"), TARGETS["server memory"]
    yield per("Rasa server memory, peak under load", lambda r: f"{r['serve']['rss_peak']:.0f} MB"), TARGETS["server memory"]
    yield per("myth accuracy (test set)", lambda r: f"{r['nlu']['myth_accuracy']:.1%}"), TARGETS["myth accuracy"]
    yield per("off-topic rejection (test set)", lambda r: f"{r['nlu']['oos_rejection']:.1%}"), TARGETS["off-topic rejection"]
    yield per("overall accuracy / macro-F1", lambda r: f"{r['nlu']['accuracy']:.1%} / {r['nlu']['macro_f1']:.3f}"), ""
    for c in concurrency:
        yield per(f"p50 / p95 / p99 at {c} concurrent", lambda r, c=c: "{p50:.0f} / {p95:.0f} / {p99:.0f} ms".format(**r["serve"][c])), \
            TARGETS["p95 at 20"] if c == 20 else ""
        yield per(f"throughput at {c} concurrent", lambda r, c=c: f"{r['serve'][c]['throughput']:.1f} msg/s"), \
            TARGETS["throughput at 20"] if c == 20 else ""
        yield per(f"failed requests at {c} concurrent", lambda r, c=c: f"{r['serve'][c]['failures']} of {r['serve'][c]['requests']}"), ""


def render_report(results: Dict[str, Dict], machine: str, date: str, concurrency, requests) -> str:
    labels = list(results)
    lines = [
        "# Benchmarks: our pipeline against stock Rasa",
        "",
        f"Measured on {date} on this project's machine: {machine}. One run of `make bench`",
        "(`bench/benchmark.py`), both configurations trained on the same data (`data/nlu`, `data/stories`,",
        "`responses/`), served with the same action server over REST with a SQLite tracker store.",
        "\"Stock\" is Rasa's default configuration, which the empty `config.yml` of `rasa init` trains",
        "with (DIET, ResponseSelector, Memoization, Rule, UnexpecTED and TED policies), with random seeds fixed.",
        f"Load: {', '.join(f'{requests[c]} messages from {c} concurrent conversations' for c in concurrency)};",
        "each conversation sends, in turn, myths, follow-ups and a factual question.",
        "",
        "| measure | " + " | ".join(labels) + " | target for ours |",
        "|---|" + "---|" * len(labels) + "---|",
    ]
    for (values, label), target in rows(results, concurrency):
        lines.append(f"| {label} | " + " | ".join(values) + f" | {target} |")
    if len(labels) == 2:
        ours, stock = (results[l]["serve"][20]["throughput"] for l in labels)
        lines += ["", f"Throughput at 20 concurrent conversations: ours is {ours / stock:.1f}× stock."]
    lines += ["", "![latency against concurrency](benchmark-latency.png)", ""]
    return "\n".join(lines) + "\n"
