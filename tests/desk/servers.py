"""Start tests/desk/serve.py (the desk's channels on a plain Sanic server) on a free
localhost port, with the environment a test chooses."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, Optional

from tests.bot_servers import REPO, free_port, wait_until


class DeskServer:
    def __init__(self, workdir: Path, tracker_db: Path, env: Dict[str, Optional[str]]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workdir, self.tracker_db = Path(workdir), Path(tracker_db)
        self.env = {k: v for k, v in {**os.environ, "SQLALCHEMY_SILENCE_UBER_WARNING": "1", **env}.items()
                    if v is not None}
        self.process: Optional[subprocess.Popen] = None

    def __enter__(self) -> "DeskServer":
        log = open(self.workdir / f"desk-{self.port}.log", "ab")
        self.process = subprocess.Popen([sys.executable, "-m", "tests.desk.serve", str(self.port),
                                         f"sqlite:///{self.tracker_db}"], cwd=REPO, env=self.env,
                                        stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until(self.url + "/claimreview.json", self.process, timeout=60)
        except Exception:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
