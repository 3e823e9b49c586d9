"""The desk channel is in the generated credentials only when DESK_TOKEN is set, and the
token itself never goes into the file; the ClaimReview channel is always there."""
from __future__ import annotations

import os
import subprocess
import sys

from bot.channels.config import DESK, credentials, load_base
from rasa.shared.utils.common import class_from_module_path


def test_desk_only_with_desk_token(repo):
    base = load_base(repo / "credentials.yml")
    assert DESK not in credentials({}, base) and DESK not in credentials({"DESK_TOKEN": "  "}, base)
    on = credentials({"DESK_TOKEN": "t0ken"}, base)
    assert DESK in on and on[DESK] is None
    assert "bot.desk.channel.ClaimReviewInput" in credentials({}, base)
    for path in (DESK, "bot.desk.channel.ClaimReviewInput"):
        assert class_from_module_path(path).name() in ("desk", "claimreview")


def test_generated_file_never_holds_the_token(repo, tmp_path):
    out = tmp_path / "credentials.yml"
    env = {**os.environ, "DESK_TOKEN": "very-secret-desk-token"}
    done = subprocess.run([sys.executable, "-m", "bot.channels.config", "--base", str(repo / "credentials.yml"),
                           "--out", str(out)], cwd=repo, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "editor's desk on" in done.stdout
    text = out.read_text()
    assert DESK in text and "very-secret-desk-token" not in text
