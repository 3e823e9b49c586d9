"""Dialogue: the test stories (NLU of each line and the predicted actions) pass with the
trained model. `rasa test core` exits 1 on any wrong prediction."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.nlu.test_quality import MODEL

REPO = Path(__file__).resolve().parents[2]


def test_test_stories_pass(tmp_path):
    assert MODEL.exists(), "train the model first: make train"
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "rasa"), "test", "core", "--stories", "tests/stories",
         "--model", str(MODEL), "--fail-on-prediction-errors", "--out", str(tmp_path / "results")],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
    )
    failed = tmp_path / "results" / "failed_test_stories.yml"
    detail = failed.read_text() if failed.exists() else result.stdout[-3000:] + result.stderr[-3000:]
    assert result.returncode == 0, detail
    assert "None of the test stories failed" in failed.read_text()
