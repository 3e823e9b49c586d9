"""The desk on PostgreSQL, the tracker store of the several-servers set-up (docs/deploy.md):
the production endpoints file, configured by environment variables, leads the desk to the
same database, where its desk_ tables sit beside Rasa's `events`. PostgreSQL is Debian's
(`make services`), started privately on a free port by scripts/services.sh."""
from __future__ import annotations

import glob
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.desk import query, retention
from bot.desk.ingest import Ingestor
from bot.desk.store import Stores, events
from tests.bot_servers import REPO, free_port
from tests.desk.conftest import NOW, PHONE_A, SECRET, scenario

SERVICES = REPO / "scripts" / "services.sh"


@pytest.fixture(scope="module")
def env():
    if not (glob.glob("/usr/lib/postgresql/*/bin/initdb") and Path("/usr/bin/redis-server").exists()):
        pytest.fail("PostgreSQL or Redis is missing: run `make services` (scripts/install-services.sh)")
    rundir = Path(tempfile.mkdtemp(prefix="factcheck-desk-pg-", dir="/tmp"))  # the postgres user must reach it
    env = {"DB_HOST": "127.0.0.1", "DB_PORT": str(free_port()), "DB_NAME": "rasa", "DB_USER": "rasa",
           "DB_PASSWORD": secrets.token_urlsafe(16), "REDIS_PORT": str(free_port()),
           "REDIS_PASSWORD": secrets.token_urlsafe(16)}
    service_env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "PG_PORT": env["DB_PORT"], **env}
    try:
        subprocess.run([str(SERVICES), "start", str(rundir)], env=service_env, check=True, timeout=300)
        yield env
    finally:
        subprocess.run([str(SERVICES), "stop", str(rundir)], env=service_env, timeout=300)
        shutil.rmtree(rundir, ignore_errors=True)


def save_pg(env, conversations) -> None:
    import asyncio

    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    store = SQLTrackerStore(Domain.empty(), dialect="postgresql", host=env["DB_HOST"], port=int(env["DB_PORT"]),
                            db=env["DB_NAME"], username=env["DB_USER"], password=env["DB_PASSWORD"])

    async def run():
        for sender, evts in conversations.items():
            tracker = DialogueStateTracker(sender, [])
            for event in evts:
                tracker.update(event)
            await store.save(tracker)

    asyncio.run(run())
    store.engine.dispose()


def test_desk_on_postgresql_beside_the_events(env):
    save_pg(env, scenario())
    stores = Stores.from_env(REPO / "deploy" / "endpoints.production.yml", env)
    try:
        assert stores.desk_url == stores.tracker_url and stores.tracker_url.startswith("postgresql://")
        assert Ingestor(stores, SECRET).run() == 14
        assert Ingestor(stores, SECRET).run() == 0  # a second server's desk finds nothing new
        tables = set(sa.inspect(stores.desk).get_table_names())
        assert {"events", "desk_event", "desk_cluster", "desk_label", "desk_audit", "desk_progress"} <= tables
        o = query.overview(stores, NOW, 30)
        assert (o["conversations"], o["messages"], o["users"], o["returning"]) == (4, 8, 3, 1)
        assert [c["askers"] for c in query.clusters(stores, NOW, 30)] == [2, 1, 1]
        assert len(query.suspects(stores, NOW, 30)) == 2
        assert retention.forget(stores, SECRET, PHONE_A)["tracker_events"] == 18
        assert retention.purge(stores, 30, now=NOW)["tracker_events"] > 0
        with stores.tracker.connect() as conn:
            left = {s for (s,) in conn.execute(sa.select(events.c.sender_id).distinct())}
        assert left == {"+447700900123", "web-abc123"}
    finally:
        stores.dispose()
