"""One of two Rasa servers behind nginx dies under load (SIGKILL, as a crash or an
out-of-memory kill would): requests it was handling fail visibly (nginx answers 502,
never a silent drop), later requests are served by the other server, and every message
that was answered is in the PostgreSQL tracker store.

The dead server's Redis lock tickets run out after TICKET_LOCK_LIFETIME, 10 s here
(Rasa's default is 60 s); the next message of such a conversation waits for that and is
then answered (bot/server/lock_store.py keeps a waiting ticket alive)."""
from __future__ import annotations

import json
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from bot.channels.rest import apology_text
from tests.server.cluster import running_cluster, services_installed

CONVERSATIONS = 8
MESSAGES = ["NATO is encircling Russia", "source?", "NATO promised not to expand east", "tell me more"]
PER_CONVERSATION = 24


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if not services_installed():
        pytest.fail("PostgreSQL, Redis or nginx is missing: run `make services` (scripts/install-services.sh)")
    with running_cluster(tmp_path_factory.mktemp("failover"), {"TICKET_LOCK_LIFETIME": "10"}) as running:
        yield running


def test_a_server_killed_under_load(cluster):
    url = f"{cluster.lb_url}/webhooks/rest/webhook"
    outcomes = []  # (sender, message, sent, finished, status or None, replies)
    answered_some = threading.Event()
    lock = threading.Lock()

    def converse(n: int) -> None:
        sender = f"failover-{n}"
        for i in range(PER_CONVERSATION):
            message = MESSAGES[i % len(MESSAGES)]
            sent = time.monotonic()
            try:
                response = requests.post(url, json={"sender": sender, "message": message}, timeout=120)
                status, replies = response.status_code, (response.json() if response.status_code == 200 else None)
            except requests.RequestException:
                status, replies = None, None
            with lock:
                outcomes.append((sender, message, sent, time.monotonic(), status, replies))
                if sum(1 for o in outcomes if o[4] == 200) >= 3 * CONVERSATIONS:
                    answered_some.set()

    victim = cluster.servers.processes[-1]  # the second Rasa server
    victim_port = cluster.servers.rasa_ports[1]
    with ThreadPoolExecutor(CONVERSATIONS) as pool:
        running = [pool.submit(converse, n) for n in range(CONVERSATIONS)]
        assert answered_some.wait(300)
        killed = time.monotonic()
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=60)
        gone = time.monotonic()  # the process no longer exists: nobody can reach it
        for future in running:
            future.result()

    sorry = apology_text()

    def answered(o) -> bool:
        return o[4] == 200 and o[5][0].get("text") != sorry

    for sender, message, sent, finished, status, replies in outcomes:
        if status == 200:  # never an empty answer
            assert replies and replies[0].get("text"), (sender, message, sent - killed, replies)
    failed = [o for o in outcomes if not answered(o)]
    for o in failed:  # only the turns the dying server had, as errors the client sees
        assert o[4] in (502, 504) and o[2] < gone and o[3] > killed, (o, killed, gone)
    later = [o for o in outcomes if o[2] > gone]  # even those waiting for a dead server's lock
    assert later and all(answered(o) for o in later)
    # the last upstream nginx tried is the one that answered ($upstream_addr lists them all)
    upstreams = [line[-3] for line in cluster.access_log() if line[1] == "/webhooks/rest/webhook" and line[2] == "200"]
    assert upstreams[-len(later):] and f"127.0.0.1:{victim_port}" not in upstreams[-len(later):]

    for sender in {o[0] for o in outcomes}:  # every answered message is stored
        stored = [json.loads(data) if isinstance(data, str) else data
                  for kind, _, data in cluster.events(sender) if kind == "user"]
        stored_texts = [d.get("text") for d in stored]
        ok = [o[1] for o in outcomes if o[0] == sender and answered(o)]
        for message in set(ok):
            assert stored_texts.count(message) >= ok.count(message), (sender, message)
