"""Benchmark of the editor's desk: ingest of a large tracker store and each page's render
time at that size. Run with `make desk-bench`; writes the "Editor's desk" section of
docs/benchmarks.md (between its markers) and prints it.

The tracker store is generated: Rasa creates the `events` table (SQLTrackerStore on
SQLite), then rows shaped as Rasa 3.6 writes them are inserted in bulk: per conversation
a session start, per turn a user message (with parse_data and an intent ranking), the
featurization marker, the action, the bot's reply and action_listen. Senders include
WhatsApp and SMS phone numbers; texts are myths, questions, follow-ups and unmatched
messages, many of them near-identical, some with phone numbers and e-mail addresses.
Pages are rendered in-process (desk.page), without HTTP, median of repeated runs.

With --latency (what `make desk-bench` runs) it then starts the bot with the desk on that
tracker store (tests/bot_servers.py) and times the bot's REST replies with and without an
editor loading desk pages over HTTP in a loop, in alternating rounds.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")

import sqlalchemy as sa  # noqa: E402

from bot.desk.service import Desk  # noqa: E402
from bot.desk.store import Stores, events  # noqa: E402

START, END = "<!-- desk-bench -->", "<!-- /desk-bench -->"
MYTHS = {
    "myth_encirclement": ["NATO is encircling Russia", "nato surrounds russia", "Russia is surrounded by NATO bases"],
    "myth_enlargement_promise": ["they promised not to expand", "NATO promised no eastward expansion"],
    "myth_nato_at_war": ["NATO is at war with Russia", "is nato fighting russia in ukraine"],
    "myth_pushing_war": ["the west is pushing war", "NATO provoked the war"],
    "myth_nato_troops_in_ukraine": ["NATO troops are in Ukraine", "are there nato soldiers in ukraine"],
}
FOLLOW = {"ask_sources": ["source?", "where is that from"], "ask_more": ["tell me more", "more detail"],
          "greet": ["hi", "hello"], "start_practice": ["/start_practice"]}
SUBJECTS = ["NATO", "the US", "Poland", "the Baltic states", "Finland", "Germany", "the alliance", "Sweden"]
CLAIMS = ["will invade {c}", "is building bases in {c}", "is sending nukes to {c}", "plans to attack {c}",
          "controls the government of {c}", "is paying protesters in {c}", "has labs in {c}"]
PLACES = ["Belarus", "Kaliningrad", "Moldova", "Georgia", "Serbia", "Crimea", "the Arctic", "Transnistria"]
WORDS = "weather football recipe price bitcoin crypto movie music holiday train ticket visa school".split()


def machine() -> str:
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), platform.processor())
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


def make_tracker(path: Path) -> None:
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(path)).engine.dispose()


def user_text(rng: random.Random) -> tuple:
    roll = rng.random()
    if roll < 0.45:
        intent = rng.choice(list(MYTHS))
        text = rng.choice(MYTHS[intent])
        conf = rng.uniform(0.45, 0.99)
    elif roll < 0.62:
        intent = rng.choice(list(FOLLOW))
        text, conf = rng.choice(FOLLOW[intent]), rng.uniform(0.5, 0.99)
    else:
        intent, conf = rng.choice(["nlu_fallback", "nlu_fallback", "out_of_scope"]), rng.uniform(0.05, 0.3)
        if rng.random() < 0.85:
            text = f"{rng.choice(SUBJECTS)} {rng.choice(CLAIMS).format(c=rng.choice(PLACES))}"
            text = rng.choice(["is it true that ", "", "I heard ", ""]) + text + rng.choice(["?", "", "!!", " ?"])
        else:
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 6)))
        if rng.random() < 0.03:
            text += rng.choice([" call me +49 151 %08d" % rng.randrange(10 ** 8), " mail x%d@example.org" % rng.randrange(999)])
    if rng.random() < 0.3:
        text = text.lower()
    return text, intent, conf


def rows_for(sender: str, channel: str, start: float, turns: int, rng: random.Random) -> List[Dict]:
    out, ts = [], start
    def row(type_name, data, intent=None, action=None):
        data = {"event": type_name, "timestamp": data.pop("_ts"), **data}
        out.append({"sender_id": sender, "type_name": type_name, "timestamp": data["timestamp"],
                    "intent_name": intent, "action_name": action, "data": json.dumps(data)})
    meta = {"model_id": "bench", "assistant_id": "nato_factcheck"}
    for name in ("action_session_start",):
        row("action", {"_ts": ts, "metadata": meta, "name": name, "policy": None, "confidence": 1.0})
    row("session_started", {"_ts": ts + 0.01, "metadata": meta})
    row("action", {"_ts": ts + 0.02, "metadata": meta, "name": "action_listen", "policy": None, "confidence": None})
    for _ in range(turns):
        ts += rng.uniform(5, 300)
        text, intent, conf = user_text(rng)
        second = rng.choice(list(MYTHS))
        ranking = [{"name": intent, "confidence": conf}, {"name": second, "confidence": conf * rng.uniform(0.2, 1.0)}]
        parse = {"intent": {"name": intent, "confidence": conf}, "entities": [], "text": text,
                 "message_id": f"{rng.getrandbits(64):x}", "metadata": {}, "intent_ranking": ranking}
        row("user", {"_ts": ts, "metadata": {"model_id": "bench"}, "text": text, "parse_data": parse,
                     "input_channel": channel, "message_id": parse["message_id"]}, intent=intent)
        row("user_featurization", {"_ts": ts + 0.01, "metadata": meta, "use_text_for_featurization": False})
        action = "action_answer_myth" if intent.startswith("myth_") else "action_offer_topics"
        row("action", {"_ts": ts + 0.02, "metadata": meta, "name": action, "policy": "RulePolicy", "confidence": 1.0},
            action=action)
        row("bot", {"_ts": ts + 0.03, "metadata": {"utter_action": "utter_x", **meta}, "text": "An answer [1].",
                    "data": {"elements": None, "quick_replies": None, "buttons": None}})
        row("action", {"_ts": ts + 0.04, "metadata": meta, "name": "action_listen", "policy": "RulePolicy",
                       "confidence": 1.0}, action="action_listen")
    return out


def generate(engine, n_events: int, end: float, rng: random.Random) -> int:
    rows: List[Dict] = []
    people = [("whatsapp:+49151%08d" % i, "whatsapp") if i % 3 == 0 else
              ("+44770090%04d" % i, "twilio") if i % 3 == 1 else (f"web-{i:06x}", "webchat")
              for i in range(n_events // 25)]
    while len(rows) < n_events:
        sender, channel = rng.choice(people)
        start = end - 90 * 86400 * rng.random() ** 1.5
        rows += rows_for(sender, channel, start, rng.randint(1, 6), rng)
    rows = rows[:n_events]
    with engine.begin() as conn:
        for i in range(0, len(rows), 5000):
            conn.execute(events.insert(), rows[i:i + 5000])
    return len(rows)


def timed(fn, runs: int = 5) -> Dict[str, float]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return {"median": statistics.median(times), "max": max(times)}


def run(n_events: int, work: Path) -> Dict:
    rng = random.Random(14)
    end = time.time()
    db = work / "rasa.db"
    make_tracker(db)
    stores = Stores(f"sqlite:///{db}", f"sqlite:///{work / 'rasa.desk.db'}")
    inserted = generate(stores.tracker, n_events, end, rng)
    desk = Desk(stores, b"bench secret")
    t = time.perf_counter()
    written = desk.refresh()
    ingest = time.perf_counter() - t
    more = generate(stores.tracker, 1000, end, rng)
    t = time.perf_counter()
    desk.refresh()
    incremental = time.perf_counter() - t
    with stores.desk.connect() as conn:
        clusters = conn.execute(sa.text("select count(*) from desk_cluster")).scalar()
        users = conn.execute(sa.text("select count(*) from desk_event where kind='user'")).scalar()
    pages = {}
    for name in ("overview", "queue", "review"):
        for days in (7, 30, 90):
            pages[f"{name}, {days} days"] = timed(lambda: desk.page(name, days, csrf="x", editor="bench", now=end))
    for name in ("overview.csv", "clusters.csv"):
        pages[f"{name}, 90 days"] = timed(lambda: desk.export(name, 90, now=end))
    stores.dispose()
    return {"events": inserted, "desk_rows": written, "messages": users, "clusters": clusters, "ingest": ingest,
            "more": more, "incremental": incremental, "pages": pages}


TURNS = ["NATO is encircling Russia", "source?", "tell me more", "they promised not to expand",
         "why should I trust NATO on this?"]


def percentile(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def bot_latency(n_events: int, work: Path, rounds: int = 4, turns: int = 25) -> Dict:
    """REST reply times alone and while desk pages load in a loop, alternating rounds."""
    import threading

    import requests
    import yaml

    from tests.bot_servers import BotServers

    rng = random.Random(15)
    make_tracker(work / "tracker.db")
    generate(sa.create_engine(f"sqlite:///{work / 'tracker.db'}"), n_events, time.time(), rng)
    creds = yaml.safe_load((REPO / "credentials.yml").read_text()) or {}
    creds["bot.desk.channel.DeskInput"] = None
    (work / "credentials.yml").write_text(yaml.safe_dump(creds))
    token = "bench-token"
    headers = {"Authorization": f"Bearer {token}"}
    conditions = {"alone": None, "paced": 1.0, "flat out": 0.0}  # editor's pause between pages, s
    times: Dict[str, List[float]] = {c: [] for c in conditions}
    page_times: Dict[str, List[float]] = {c: [] for c in conditions}
    with BotServers(work, credentials=work / "credentials.yml",
                    env={"DESK_TOKEN": token, "DESK_SECRET": "bench"}) as bot:
        t = time.perf_counter()
        requests.get(bot.url + "/desk/", headers=headers, timeout=300).raise_for_status()  # first full ingest
        first = time.perf_counter() - t
        for i in range(turns):  # warm-up turns, not counted
            bot.say(f"warm-{i % 5}", TURNS[i % len(TURNS)])
        for r in range(rounds):
            for condition, pause in conditions.items():
                stop = threading.Event()

                def editor(pause: float = pause, condition: str = condition) -> None:
                    pages = ["/desk/?days=90", "/desk/queue?days=90", "/desk/review?days=90", "/desk/?days=30"]
                    k = 0
                    while not stop.is_set():
                        t0 = time.perf_counter()
                        requests.get(bot.url + pages[k % len(pages)], headers=headers, timeout=60)
                        page_times[condition].append((time.perf_counter() - t0) * 1000)
                        k += 1
                        stop.wait(pause)

                worker = threading.Thread(target=editor) if pause is not None else None
                if worker:
                    worker.start()
                for i in range(turns):
                    t0 = time.perf_counter()
                    reply = bot.say(f"bench-{r}-{condition}-{i // 5}", TURNS[i % len(TURNS)])
                    times[condition].append((time.perf_counter() - t0) * 1000)
                    assert reply and reply[0].get("text"), reply
                stop.set()
                if worker:
                    worker.join()
    return {"first_page": first, "turns": turns * rounds,
            "rows": [(c, percentile(times[c], 0.5), percentile(times[c], 0.95), len(page_times[c]),
                      percentile(page_times[c], 0.5) if page_times[c] else None) for c in conditions]}


def section(r: Dict, load: str) -> str:
    lines = [START, "## Editor's desk", "",
             f"Measured on {dt.date.today().isoformat()} with `make desk-bench` (`bench/desk_bench.py`) on "
             f"{machine()}; {load}. A generated SQLite tracker store of {r['events']:,} events "
             f"({r['messages']:,} user messages over 90 days; see the script's docstring for their shape), "
             f"read by the desk from scratch; then {r['more']:,} more events read incrementally. Pages rendered "
             "in-process, median and slowest of 5 runs. Targets: ingest under 30 s, pages under 300 ms.",
             "", "| measure | result | target |", "|---|---|---|",
             f"| ingest of {r['events']:,} events (full) | {r['ingest']:.1f} s ({r['events'] / r['ingest']:,.0f} events/s), "
             f"{r['desk_rows']:,} desk rows, {r['clusters']:,} clusters | < 30 s |",
             f"| ingest of {r['more']:,} new events (incremental) | {r['incremental'] * 1000:.0f} ms | |"]
    for name, t in r["pages"].items():
        lines.append(f"| {name} | {t['median']:.0f} ms (slowest {t['max']:.0f} ms) | < 300 ms |")
    lat = r.get("latency")
    if lat:
        lines += ["", f"The bot while the desk is used: the bot served with the desk on a tracker store of "
                  f"{r['events']:,} generated events; {lat['turns']} REST turns (myths and follow-ups) in each "
                  "condition, in alternating rounds: alone; while an editor loads overview, queue and review "
                  "pages (90 and 30 days) one per second; and while an editor loads them without pause. The "
                  f"first desk page, which reads all events, took {lat['first_page']:.1f} s. The desk reads and "
                  "renders in a process of its own at a lower priority (bot/desk/worker.py).", "",
                  "| condition | bot reply p50 | bot reply p95 | desk pages loaded (p50 each, over HTTP) |",
                  "|---|---|---|---|"]
        for name, p50, p95, pages_n, page_p50 in lat["rows"]:
            loaded = f"{pages_n} ({page_p50:.0f} ms)" if page_p50 is not None else "none"
            lines.append(f"| {name} | {p50:.0f} ms | {p95:.0f} ms | {loaded} |")
    lines += ["", "The figures are for one run on a shared machine (see the load average).", END]
    return "\n".join(lines) + "\n"


def write_section(path: Path, text: str) -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if START in old and END in old:
        new = old[:old.index(START)] + text.rstrip("\n") + old[old.index(END) + len(END):]
    else:
        new = old.rstrip("\n") + "\n\n" + text
    path.write_text(new, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--out", default=str(REPO / "docs" / "benchmarks.md"))
    parser.add_argument("--latency", action="store_true", help="also time the bot's replies while the desk is used")
    args = parser.parse_args()
    before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="desk-bench-") as work:
        result = run(args.events, Path(work))
        if args.latency:
            (Path(work) / "bot").mkdir()
            result["latency"] = bot_latency(args.events, Path(work) / "bot")
    text = section(result, f"load average (1 min) {before:.2f} before the run, {os.getloadavg()[0]:.2f} after it")
    write_section(Path(args.out), text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
