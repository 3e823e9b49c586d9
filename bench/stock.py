"""The stock bot bench/benchmark.py compares against: the project `rasa init --no-prompt`
creates (its default config with DIET, TED and UnexpecTED, its own small data, no custom
actions), trained once and kept under build/stock/ with the Rasa version it was trained
with, served by plain `rasa run` with a SQLite tracker store."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Tuple

REPO = Path(__file__).resolve().parent.parent
STOCK = REPO / "build" / "stock"
# what a user says to the rasa init bot, in turn: greet, mood, affirm, ...
SCRIPT = ["hello", "I am feeling sad", "yes", "great, thanks", "are you a bot?", "bye"]


def rasa_version() -> str:
    import rasa

    return rasa.__version__


def stock_bot(bin_dir: Path, env: dict) -> Tuple[Path, Path, float]:
    """(project folder, model, training seconds), training only if not done for this Rasa."""
    marker = STOCK / "trained.json"
    project = STOCK / "project"
    if marker.exists():
        done = json.loads(marker.read_text())
        model = project / done["model"]
        if done["rasa"] == rasa_version() and model.exists():
            return project, model, done["train_seconds"]
    shutil.rmtree(STOCK, ignore_errors=True)
    project.mkdir(parents=True)
    print("== stock rasa init: creating and training the bot once (about 2 minutes)", flush=True)
    start = time.monotonic()
    subprocess.run([str(bin_dir / "rasa"), "init", "--no-prompt", "--init-dir", str(project)], cwd=project,
                   env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.monotonic() - start
    model = max((project / "models").glob("*.tar.gz"), key=os.path.getmtime)
    marker.write_text(json.dumps({"rasa": rasa_version(), "model": str(model.relative_to(project)),
                                  "train_seconds": round(seconds, 1)}))
    return project, model, seconds


def serve(project: Path, model: Path, port: int, db: Path, bin_dir: Path, env: dict, log) -> subprocess.Popen:
    endpoints = db.parent / "stock-endpoints.yml"
    endpoints.write_text(f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{db}"\n')
    return subprocess.Popen([str(bin_dir / "rasa"), "run", "--model", str(model), "--endpoints", str(endpoints),
                             "--port", str(port)], cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
