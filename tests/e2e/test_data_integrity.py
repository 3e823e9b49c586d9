"""The Rasa data agrees with the knowledge base: every myth and question has an intent,
NLU examples and a rule; every response and action used exists; `rasa data validate`
is clean."""
from __future__ import annotations

import importlib
import inspect
import pkgutil
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import actions

REPO = Path(__file__).resolve().parents[2]


def load_yaml_dir(folder: Path):
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.yml"))]


@pytest.fixture(scope="module")
def domain():
    from rasa.shared.core.domain import Domain

    return Domain.load(str(REPO / "responses"))


@pytest.fixture(scope="module")
def nlu_examples():
    counts = {}
    for doc in load_yaml_dir(REPO / "data" / "nlu"):
        for block in doc.get("nlu", []):
            if "intent" in block:
                raw = block["examples"]
                n = (len([l for l in raw.splitlines() if l.strip().startswith("- ")]) if isinstance(raw, str)
                     else len(raw))  # a list of {text, metadata} items
                counts[block["intent"]] = counts.get(block["intent"], 0) + n
    return counts


@pytest.fixture(scope="module")
def rules():
    out = []
    for doc in load_yaml_dir(REPO / "data" / "stories"):
        out += doc.get("rules", []) + doc.get("stories", [])
    return out


def rule_pairs(rules):
    """(intent, first action after it) for every step pair in rules and stories."""
    pairs = set()
    for rule in rules:
        steps = rule.get("steps", [])
        for a, b in zip(steps, steps[1:]):
            if "intent" in a and "action" in b:
                pairs.add((a["intent"], b["action"]))
    return pairs


def test_every_myth_and_question_has_intent_examples_and_rule(kb, domain, nlu_examples, rules):
    pairs = rule_pairs(rules)
    for myth in kb.myths.values():
        assert myth.intent in domain.intents, myth.intent
        assert nlu_examples.get(myth.intent, 0) >= 30, myth.intent
        assert (myth.intent, "action_answer_myth") in pairs, myth.intent
    # factual questions share one intent; the action finds the fact (bot/answers/retrieval.py)
    assert "ask_fact" in domain.intents and ("ask_fact", "action_answer_question") in pairs
    assert nlu_examples.get("ask_fact", 0) >= 20 * len(kb.questions)


def test_no_intent_without_a_topic_behind_it(kb, domain):
    for intent in domain.intents:
        if intent.startswith("myth_"):
            assert kb.myth_for_intent(intent), intent


def test_every_domain_intent_has_examples(domain, nlu_examples):
    for intent in domain.intents:
        if intent not in ("nlu_fallback", "restart", "back", "out_of_scope", "session_start"):
            assert nlu_examples.get(intent, 0) >= 20, intent
    assert nlu_examples["out_of_scope"] >= 150


def test_every_action_in_rules_exists(domain, rules):
    for rule in rules:
        for step in rule.get("steps", []):
            if "action" in step:
                assert step["action"] in domain.action_names_or_texts, (rule.get("rule"), step["action"])
                if step["action"].startswith("utter_"):
                    assert step["action"] in domain.responses


def action_modules():
    """Every module of the actions package, as `rasa run actions --actions actions` loads them."""
    return [importlib.import_module(f"actions.{m.name}") for m in pkgutil.iter_modules(actions.__path__)]


def test_custom_actions_match_the_domain(domain):
    classes = [
        cls for module in action_modules()
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if getattr(cls, "action_name", "")
    ]
    names = {cls.action_name for cls in classes}
    custom = {a for a in domain.user_actions if not a.startswith("utter_") and not a.startswith("validate_")}
    assert {"action_answer_myth", "action_answer_question", "action_answer_followup", "action_offer_topics"} <= names
    assert names <= set(domain.user_actions) | set(domain.form_names)
    assert custom - set(domain.form_names) <= names


def test_rasa_data_validate_is_clean():
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"}
    rasa = Path(sys.executable).parent / "rasa"
    result = subprocess.run(
        [str(rasa), "data", "validate", "--domain", "responses", "--data", "data/nlu", "data/stories",
         "--config", "config.yml", "--fail-on-warnings"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
