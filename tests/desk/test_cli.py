"""python -m bot desk report / forget / purge on a tracker store the test fills."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.__main__ import main
from tests.desk.conftest import PHONE_A, save, scenario
from tests.desk.test_channel import personal_data


@pytest.fixture
def endpoints(tmp_path, monkeypatch) -> Path:
    save(tmp_path / "rasa.db", scenario())
    path = tmp_path / "endpoints.yml"
    path.write_text(f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{tmp_path / "rasa.db"}"\n')
    monkeypatch.setenv("DESK_SECRET", "cli secret")
    monkeypatch.delenv("TRACKER_DB", raising=False)
    monkeypatch.delenv("DESK_DB", raising=False)
    return path


def test_report_writes_pages_and_csvs_without_personal_data(endpoints, tmp_path, capsys):
    out = tmp_path / "report"
    assert main(["desk", "--endpoints", str(endpoints), "report", "--since", "90d", "--out", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["candidates.yml", "clusters.csv", "desk.css", "index.html", "myths.csv", "overview.csv",
                     "queue.html", "review.html"]
    for path in out.iterdir():
        assert personal_data(path.read_text()) == [], path.name
    assert "<form" not in (out / "queue.html").read_text()  # a static report has nothing to post to
    assert "14 new events read" in capsys.readouterr().out
    assert (tmp_path / "rasa.desk.db").exists()  # the desk's tables sit beside the tracker store


def test_forget_then_report(endpoints, tmp_path, capsys):
    assert main(["desk", "--endpoints", str(endpoints), "forget", PHONE_A]) == 0
    assert "18 tracker-store events" in capsys.readouterr().out
    out = tmp_path / "r"
    main(["desk", "--endpoints", str(endpoints), "report", "--since", "90d", "--out", str(out)])
    assert re.search(r"<b>3</b><span>people</span>", (out / "index.html").read_text())


def test_purge_and_bad_input(endpoints, capsys, monkeypatch):
    assert main(["desk", "--endpoints", str(endpoints), "purge", "--older-than", "30"]) == 0
    assert "purged:" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["desk", "--endpoints", str(endpoints), "purge", "--older-than", "soon"])
    monkeypatch.delenv("DESK_SECRET")
    monkeypatch.delenv("DESK_TOKEN", raising=False)
    assert main(["desk", "--endpoints", str(endpoints), "report", "--out", "x"]) == 2
    assert "DESK_SECRET" in capsys.readouterr().err
