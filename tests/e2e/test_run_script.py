"""The run command as a user runs it: scripts/run.sh starts the bot (custom actions
inside it, or in a separate action server when ACTIONS_PORT is set), answers over REST
with the conversation in SQLite, keeps Rasa's API closed without a token, and stops
everything on Ctrl-C."""
from __future__ import annotations

import os
import signal
import subprocess

import pytest
import requests

from tests.bot_servers import REPO, free_port, wait_until


@pytest.mark.parametrize("separate_actions", [False, True], ids=["actions-inside", "action-server"])
def test_run_script_serves_and_stops_on_ctrl_c(tmp_path, separate_actions):
    rasa_port, actions_port = free_port(), free_port()
    db = tmp_path / "conversations.db"
    env = {k: v for k, v in os.environ.items() if k not in ("RASA_API_TOKEN", "ACTIONS_PORT")}
    env.update(RASA_PORT=str(rasa_port), TRACKER_DB=str(db))
    if separate_actions:
        env.update(ACTIONS_PORT=str(actions_port))
    log = open(tmp_path / "run.log", "wb")
    process = subprocess.Popen(["scripts/run.sh"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        url = f"http://127.0.0.1:{rasa_port}"
        wait_until(url + "/", process)
        if separate_actions:
            wait_until(f"http://127.0.0.1:{actions_port}/health", process)
        replies = requests.post(url + "/webhooks/rest/webhook",
                                json={"sender": "runner", "message": "NATO is encircling Russia"}, timeout=60).json()
        assert "11%" in replies[0]["text"]
        assert db.exists() and db.stat().st_size > 0
        assert requests.get(url + "/conversations/runner/tracker", timeout=30).status_code in (403, 404)
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=60)
    leftovers = subprocess.run(["pgrep", "-f", f"--port {rasa_port}"], capture_output=True, text=True).stdout
    assert leftovers.strip() == ""
    output = (tmp_path / "run.log").read_text()
    assert "stopped." in output and "http://localhost:%d/" % rasa_port in output
    where = f"http://localhost:{actions_port}/webhook" if separate_actions else "in this process (actions)"
    assert f"tracker store FastSQLTrackerStore, custom actions {where}" in output
    assert "Warning" not in output
