"""Start a Rasa server on a free localhost port for a test, as `make run` does (custom
actions inside it, this project's SQLite tracker store in a temporary folder), and stop
it afterwards.

Options: a separate action server (`actions="server"`, also started on a free port),
another credentials file (channels), another endpoints file (e.g. PostgreSQL and Redis;
the environment variable ACTION_SERVER_URL names this action server), several Rasa
servers sharing them (`rasa_servers`, their URLs in `urls`), extra environment variables."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional

import requests

REPO = Path(__file__).resolve().parent.parent
MODEL = REPO / "models" / "nato-factcheck.tar.gz"
BIN = Path(sys.executable).parent
TRACKER_STORE = "bot.server.tracker_store.FastSQLTrackerStore"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(url: str, process: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server for {url} exited with {process.returncode}")
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


class BotServers:
    """`with BotServers(tmp) as bot:` gives bot.url (Rasa) and bot.say(sender, text)."""

    def __init__(self, workdir: Path, credentials: Optional[Path] = None, extra_args: List[str] = (),
                 api_token: Optional[str] = None, cors: List[str] = (), endpoints: Optional[Path] = None,
                 rasa_servers: int = 1, env: Optional[Dict[str, str]] = None, actions: str = "in-process") -> None:
        assert actions in ("in-process", "server")
        self.workdir = Path(workdir)
        self.actions = actions
        self.actions_process: Optional[subprocess.Popen] = None
        self.rasa_ports = [free_port() for _ in range(rasa_servers)]
        self.rasa_port, self.actions_port = self.rasa_ports[0], free_port()
        self.urls = [f"http://127.0.0.1:{port}" for port in self.rasa_ports]
        self.url = self.urls[0]
        self.tracker_db = self.workdir / "tracker.db"
        self.credentials = credentials or REPO / "credentials.yml"
        self.endpoints = endpoints
        self.api_token = api_token
        self.extra_args = list(extra_args) + (["--enable-api", "--auth-token", api_token] if api_token else [])
        self.extra_args += ["--cors", *cors] if cors else []
        self.processes: List[subprocess.Popen] = []
        self.env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3",
                    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
                    "ACTION_SERVER_URL": f"http://127.0.0.1:{self.actions_port}/webhook", **(env or {})}

    def _start(self, args: List[str], log: str) -> subprocess.Popen:
        out = open(self.workdir / log, "ab")
        process = subprocess.Popen(args, cwd=REPO, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def start_actions(self) -> None:
        process = self._start([sys.executable, "-m", "bot.server", "run", "actions", "--actions", "actions",
                               "--port", str(self.actions_port)], "actions.log")
        self.actions_process = process
        wait_until(f"http://127.0.0.1:{self.actions_port}/health", process)

    def start_rasa(self) -> None:
        endpoints = self.endpoints
        if endpoints is None:
            endpoints = self.workdir / "endpoints.yml"
            action = (f'url: "http://127.0.0.1:{self.actions_port}/webhook"' if self.actions == "server"
                      else "actions_module: actions")
            endpoints.write_text(
                f'action_endpoint:\n  {action}\n'
                f'tracker_store:\n  type: {TRACKER_STORE}\n  dialect: "sqlite"\n  db: "{self.tracker_db}"\n'
            )
        started = []
        for i, port in enumerate(self.rasa_ports):  # several servers start at the same time
            started.append(self._start([sys.executable, "-m", "bot.server", "run", "--model", str(MODEL), "--endpoints", str(endpoints),
                                        "--credentials", str(self.credentials), "--port", str(port),
                                        *self.extra_args], "rasa.log" if i == 0 else f"rasa-{i + 1}.log"))
        self.rasa_process = started[0]
        for url, process in zip(self.urls, started):
            wait_until(url + "/", process)

    def __enter__(self) -> "BotServers":
        assert MODEL.exists(), "train the model first: make train"
        self.workdir.mkdir(parents=True, exist_ok=True)
        try:
            if self.actions == "server":
                self.start_actions()
            self.start_rasa()
        except Exception:
            self.stop()
            raise
        return self

    def stop_process(self, process: subprocess.Popen, sig: int = signal.SIGINT) -> None:
        """Stop one of the servers (e.g. self.actions_process) to test faults."""
        process.send_signal(sig)
        process.wait(timeout=60)
        self.processes.remove(process)

    def pids(self) -> List[int]:
        """Process ids of the running servers."""
        return [p.pid for p in self.processes if p.poll() is None]

    def say(self, sender: str, text: str, url: Optional[str] = None) -> list:
        response = requests.post(f"{url or self.url}/webhooks/rest/webhook",
                                 json={"sender": sender, "message": text}, timeout=60)
        response.raise_for_status()
        return response.json()

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()

    def __exit__(self, *exc) -> None:
        self.stop()
