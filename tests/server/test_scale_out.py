"""Scale-out, for real (docs/deploy.md): two Rasa servers share a PostgreSQL tracker store
and a Redis lock store, with the action server as its own process, behind nginx with the
sample configuration deploy/nginx.conf.

PostgreSQL, Redis and nginx are Debian's (`make services`), started privately for this
module by scripts/services.sh on free ports in their own folder; the Rasa servers use
deploy/endpoints.production.yml, configured by environment variables only. Checked: a
conversation started on one server continues on the other; messages sent at the same
time to one conversation on both servers are all recorded, each turn whole and answered
correctly (the lock store, bot/server/lock_store.py, serialises them); the widget's socket.io
(polling and WebSocket) works through nginx, whose `ip_hash` keeps each client on one
server, while REST requests are spread over both.
"""
from __future__ import annotations

import asyncio
import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
import requests
import socketio
import websockets

from bot.server.lock_store import AtomicRedisLockStore
from tests.server.cluster import running_cluster, services_installed

MYTH = "NATO is encircling Russia"
CONCURRENT = [  # message, a figure its answer must contain
    ("NATO is encircling Russia", "11%"),
    ("nato battlegroups in the baltics threaten russia", "eight"),
    ("NATO promised Moscow not to expand east", "1949"),
    ("ukraine will never join nato, its a lie", "32"),
    ("nato bombed libya so it is not defensive", "1973"),
    ("nato soldiers are fighting in ukraine right now", "no-fly zone"),
    ("NATO is at war with Russia", "UN Charter"),
    ("NATO is an aggressive alliance", "2008"),
    ("NATO is pushing Europe into war with Russia", "2014"),
    ("how many US troops are in Europe?", "100,000"),
]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if not services_installed():
        pytest.fail("PostgreSQL, Redis or nginx is missing: run `make services` (scripts/install-services.sh)")
    with running_cluster(tmp_path_factory.mktemp("scale_out")) as running:
        yield running


def texts(replies) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def test_a_conversation_continues_on_the_other_server(cluster):
    first, second = cluster.servers.urls
    sender = f"traveller-{uuid.uuid4().hex[:8]}"
    assert "11%" in texts(cluster.servers.say(sender, MYTH, url=first))
    sources = texts(cluster.servers.say(sender, "source?", url=second))
    assert f'Where the answer on "{MYTH}" comes from' in sources and "https://www.nato.int" in sources
    assert "April 2023" in texts(cluster.servers.say(sender, "but Finland joined", url=first))


def test_concurrent_messages_to_one_conversation_are_all_recorded_in_turns(cluster):
    sender = f"crowd-{uuid.uuid4().hex[:8]}"
    urls = cluster.servers.urls
    start = threading.Barrier(len(CONCURRENT))

    def send(i: int):
        message, _ = CONCURRENT[i]
        start.wait()  # all at once, alternating between the two servers
        return cluster.servers.say(sender, message, url=urls[i % 2])

    with ThreadPoolExecutor(len(CONCURRENT)) as pool:
        replies = list(pool.map(send, range(len(CONCURRENT))))
    for (message, figure), reply in zip(CONCURRENT, replies):  # each answered as itself
        assert figure in texts(reply), message

    events = cluster.events(sender)
    user_texts = [data_text(data) for kind, _, data in events if kind == "user"]
    assert sorted(user_texts) == sorted(m for m, _ in CONCURRENT)  # none lost, none twice
    figures = dict(CONCURRENT)
    turns, current = [], None
    for kind, action, data in events:
        if kind == "user":
            current = {"text": data_text(data), "bot": [], "listens": 0}
            turns.append(current)
        elif kind == "session_started":  # a new session (bot/server/sessions.py) between two turns
            current = None
        elif current is not None and kind == "bot":
            current["bot"].append(data_text(data))
        elif current is not None and action == "action_listen":
            current["listens"] += 1
    for turn in turns:  # each turn whole: its own answer, then back to listening, before the next
        assert turn["listens"] == 1, turn["text"]
        assert any(figures[turn["text"]] in text for text in turn["bot"]), turn["text"]
    stats = redis.Redis(port=int(cluster.env["REDIS_PORT"]), password=cluster.env["REDIS_PASSWORD"]).info("commandstats")
    assert stats.get("cmdstat_set", {}).get("calls", 0) >= len(CONCURRENT)  # the locks were Redis's


def data_text(data) -> str:
    return (json.loads(data) if isinstance(data, str) else data).get("text") or ""


def test_tickets_drawn_at_once_from_two_stores_are_all_different(cluster):
    """What Rasa's own RedisLockStore gets wrong across servers: one ticket drawn twice."""
    settings = dict(host="127.0.0.1", port=int(cluster.env["REDIS_PORT"]), password=cluster.env["REDIS_PASSWORD"],
                    db=2, key_prefix="ticketstest")
    stores = [AtomicRedisLockStore(**settings), AtomicRedisLockStore(**settings)]
    start = threading.Barrier(40)

    def draw(i: int) -> int:
        start.wait()
        return stores[i % 2].issue_ticket("one-conversation")

    with ThreadPoolExecutor(40) as pool:
        tickets = list(pool.map(draw, range(40)))
    assert sorted(tickets) == list(range(40))
    for i, ticket in enumerate(tickets):
        stores[i % 2].cleanup("one-conversation", ticket)
    assert stores[0].get_lock("one-conversation") is None  # the last one out deleted the lock


def test_a_dead_servers_ticket_runs_out_while_a_waiting_one_is_kept(cluster):
    """A ticket left by a server that died mid-turn expires; the next message, waiting on
    another server, gets the lock then, although it waited longer than its own lifetime."""
    settings = dict(host="127.0.0.1", port=int(cluster.env["REDIS_PORT"]), password=cluster.env["REDIS_PASSWORD"],
                    db=2, key_prefix="renewtest")
    dead, alive = AtomicRedisLockStore(**settings), AtomicRedisLockStore(**settings)
    dead.issue_ticket("orphaned", lock_lifetime=2)  # its server never finishes it

    async def next_message():
        async with alive.lock("orphaned", lock_lifetime=1, wait_time_in_seconds=0.5) as lock:
            return lock.now_serving

    assert asyncio.run(asyncio.wait_for(next_message(), 30)) == 1
    assert alive.get_lock("orphaned") is None


def test_rest_through_the_load_balancer_uses_both_servers(cluster):
    sender = f"balanced-{uuid.uuid4().hex[:8]}"
    lb = cluster.lb_url
    assert "11%" in texts(cluster.servers.say(sender, MYTH, url=lb))
    for _ in range(3):
        assert "https://www.nato.int" in texts(cluster.servers.say(sender, "source?", url=lb))
    upstreams = {line[3] for line in cluster.access_log() if line[1] == "/webhooks/rest/webhook"}
    assert upstreams == {f"127.0.0.1:{port}" for port in cluster.servers.rasa_ports}


def test_rasa_api_is_not_exposed_by_the_load_balancer(cluster):
    assert requests.get(f"{cluster.lb_url}/version", timeout=30).status_code == 404
    assert requests.get(f"{cluster.lb_url}/conversations/x/tracker", timeout=30).status_code == 404


def test_widget_page_through_the_load_balancer(cluster):
    page = requests.get(cluster.lb_url + "/", headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200 and "/widget/widget.js" in page.text
    assert requests.get(cluster.lb_url + "/widget/widget.js", timeout=30).status_code == 200


async def widget_conversation(url: str, transports) -> dict:
    """What the widget does: session_request, then a message; returns the bot's reply."""
    client = socketio.AsyncClient(reconnection=False)
    confirmed, replies = asyncio.Event(), asyncio.Queue()
    client.on("session_confirm", lambda *_: confirmed.set())

    async def on_reply(data):
        await replies.put(data)

    client.on("bot_uttered", on_reply)
    await client.connect(url, transports=transports, socketio_path="/socket.io", wait_timeout=30)
    try:
        session = uuid.uuid4().hex
        await client.emit("session_request", {"session_id": session})
        await asyncio.wait_for(confirmed.wait(), 60)
        await client.emit("user_uttered", {"message": MYTH, "session_id": session})
        return await asyncio.wait_for(replies.get(), 120)
    finally:
        await client.disconnect()


async def widget_conversation_over_websocket(url: str) -> dict:
    """The same over a bare WebSocket, speaking engine.io 4 / socket.io 5 packets directly.

    (python-engineio's own WebSocket client needs a newer aiohttp than rasa allows.)
    """
    async with websockets.connect(url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket",
                                  open_timeout=30) as ws:

        async def next_event(name: str):
            while True:
                packet = await asyncio.wait_for(ws.recv(), 120)
                if packet == "2":  # engine.io ping
                    await ws.send("3")
                elif packet.startswith("42") and json.loads(packet[2:])[0] == name:
                    return json.loads(packet[2:])[1]

        assert (await ws.recv()).startswith("0{")  # engine.io open
        await ws.send("40")  # socket.io connect
        assert (await ws.recv()).startswith("40")
        session = uuid.uuid4().hex
        await ws.send("42" + json.dumps(["session_request", {"session_id": session}]))
        assert await next_event("session_confirm") == session
        await ws.send("42" + json.dumps(["user_uttered", {"message": MYTH, "session_id": session}]))
        return await next_event("bot_uttered")


@pytest.mark.parametrize("transport", ["polling", "websocket"])
def test_widget_socketio_through_the_load_balancer_sticks_to_one_server(cluster, transport):
    seen = len(cluster.access_log())
    if transport == "polling":  # the widget's first transport: several HTTP requests per session
        reply = asyncio.run(widget_conversation(cluster.lb_url, ["polling"]))
    else:
        reply = asyncio.run(widget_conversation_over_websocket(cluster.lb_url))
    assert "11%" in reply["text"] and "https://www.nato.int" in reply["text"]
    socketio_lines = [line for line in cluster.access_log()[seen:] if line[1].startswith("/socket.io/")]
    assert {line[3] for line in socketio_lines} == {socketio_lines[0][3]}  # ip_hash: one server
    # no 400 "Invalid session" from a server that never saw this session; 499 is the last
    # long-poll, which the client itself hangs up when it disconnects
    assert {line[2] for line in socketio_lines} <= {"101", "200", "499"}
