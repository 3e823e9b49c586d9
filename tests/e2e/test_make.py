"""`make run` with a current model starts the bot and nothing else; a change to the
knowledge base is checked again, a change to the training data, the configuration or the
classifier retrains first. Checked with `make -n`
(prints the commands without running them); `-W FILE` pretends FILE just changed."""
from __future__ import annotations

import subprocess

import pytest

from tests.bot_servers import REPO


def planned(*args: str) -> str:
    # under `make test` this make is nested: without --no-print-directory it would add
    # "Entering/Leaving directory" lines to the plan
    return subprocess.run(["make", "--no-print-directory", "-n", *args], cwd=REPO, capture_output=True, text=True,
                          check=True).stdout


def test_make_run_with_a_current_model_builds_and_trains_nothing():
    plan = planned("run")
    assert plan.strip().splitlines() == ["scripts/run.sh"], "model not current? run `make train` first"


def test_a_change_to_the_knowledge_checks_it_again_without_retraining():
    plan = planned("-W", "data/knowledge/facts.yml", "run")
    assert "-m bot check" in plan and "rasa train" not in plan


@pytest.mark.parametrize("changed", ["config.yml", "data/nlu/myths.yml", "data/stories/rules.yml",
                                     "responses/domain.yml", "bot/nlu/classifier.py"])
def test_a_change_retrains(changed):
    assert "rasa train" in planned("-W", changed, "run")


def test_a_change_to_the_entities_rebuilds_the_spacy_pipeline_then_retrains():
    plan = planned("-W", "data/knowledge/entities.yml", "run")
    assert plan.index("build-nlp") < plan.index("rasa train")


def test_the_readme_quotes_make_help_as_it_is():
    shown = subprocess.run(["make", "--no-print-directory", "-s", "help"], cwd=REPO, capture_output=True, text=True,
                           check=True).stdout
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("All commands (`make help`):\n\n```\n", 1)[1].split("```", 1)[0]
    assert block == shown
