"""The run command as a user runs it: scripts/run.sh starts both servers, answers over
REST with the conversation in SQLite, keeps Rasa's API closed without a token, and stops
everything on Ctrl-C."""
from __future__ import annotations

import os
import signal
import subprocess

import requests

from tests.bot_servers import REPO, free_port, wait_until


def test_run_script_serves_and_stops_on_ctrl_c(tmp_path):
    rasa_port, actions_port = free_port(), free_port()
    db = tmp_path / "conversations.db"
    env = {k: v for k, v in os.environ.items() if k != "RASA_API_TOKEN"}
    env.update(RASA_PORT=str(rasa_port), ACTIONS_PORT=str(actions_port), TRACKER_DB=str(db))
    log = open(tmp_path / "run.log", "wb")
    process = subprocess.Popen(["scripts/run.sh"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        url = f"http://127.0.0.1:{rasa_port}"
        wait_until(url + "/", process)
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
    assert "stopped." in (tmp_path / "run.log").read_text()
    assert "http://localhost:%d/" % rasa_port in (tmp_path / "run.log").read_text()
