"""Practice blocks of the myths (bot/knowledge/practice_spec.py): schema, validation on load,
cue grammar."""
from __future__ import annotations

import pytest
import yaml

from bot.knowledge.figures import parse_figure
from bot.knowledge import KnowledgeError, load_knowledge
from bot.knowledge import practice_spec as practice_spec_module
from bot.knowledge.practice_spec import parse_cue, practice_spec



def _edit_practice(project_copy, myth_id, edit):
    path = project_copy / "data" / "knowledge" / "myths" / f"{myth_id}.yml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(doc["practice"])
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _problems(project_copy):
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(project_copy / "data" / "knowledge")
    return err.value.problems


# --------------------------------------------------------------------------- the blocks


def test_every_myth_has_a_practice_block(kb):
    for myth in kb.myths.values():
        spec = practice_spec(myth)
        assert spec is not None, myth.id
        assert len(spec.voices) >= 3, myth.id
        assert len(spec.key_points) >= 3, myth.id
        assert spec.counter.text and spec.counter.answered_by, myth.id
        assert all(v.strip().rstrip(".") != myth.claim.rstrip(".") for v in spec.voices), myth.id


def test_key_points_rest_on_facts_with_cues(kb):
    for myth in kb.myths.values():
        for point in practice_spec(myth).key_points:
            assert point.facts and all(f in kb.facts for f in point.facts), (myth.id, point.id)
            assert point.cues and point.label, (myth.id, point.id)


def test_practice_figures_are_figures_of_the_facts(kb):
    """Labels and cues never invent a figure: each is a `numbers` entry of the point's facts."""
    for myth in kb.myths.values():
        for point in practice_spec(myth).key_points:
            allowed = [parse_figure(n) for f in point.facts for n in kb.facts[f].numbers]
            for cue in point.cues:
                for figure in cue.figures():
                    assert practice_spec_module._figure_known(figure, allowed), (myth.id, point.id, cue.text)


def test_bad_practice_block_names_file_entry_and_field(project_copy):
    def edit(block):
        block["nmaes"] = ["x"]
        block["counter"]["answered_by"] = ["no_such_point"]
        block["key_points"][0]["cues"].append("time||zone")

    path = _edit_practice(project_copy, "encirclement", edit)
    problems = _problems(project_copy)
    assert any(str(path) in p and "'encirclement.practice'" in p and "'nmaes'" in p for p in problems)
    assert any("'encirclement.practice.counter'" in p and "'answered_by'" in p and "no_such_point" in p
               for p in problems)
    assert any("key_points.small_border_share'" in p and "'cues'" in p and "time||zone" in p for p in problems)


def test_invented_figure_and_unknown_fact_are_reported(project_copy):
    def edit(block):
        block["key_points"][0]["cues"].append("15%")
        block["key_points"][0]["label"] = "Only about 15% of the border is NATO's."
        block["key_points"][1]["facts"].append("no_such_fact")
        block["voices"].append("NATO now borders half of Russia since 2005.")

    _edit_practice(project_copy, "encirclement", edit)
    problems = _problems(project_copy)
    assert any("small_border_share'" in p and "'cues'" in p and "15" in p for p in problems)
    assert any("small_border_share'" in p and "'label'" in p and "15" in p for p in problems)
    assert any("finland_included'" in p and "unknown fact 'no_such_fact'" in p for p in problems)
    assert any("'voices'" in p and "half" in p.lower() for p in problems)
    assert any("'voices'" in p and "2005" in p for p in problems)


def test_too_few_voices_and_catalogue_title_as_voice(project_copy, kb):
    claim = kb.myths["nato_at_war"].claim

    def edit(block):
        block["voices"] = [claim, "NATO is at war, everybody knows."]

    _edit_practice(project_copy, "nato_at_war", edit)
    problems = _problems(project_copy)
    assert any("'voices'" in p and "at least 3" in p for p in problems)


def test_catalogue_title_as_voice_is_reported(project_copy, kb):
    claim = kb.myths["nato_at_war"].claim

    def edit(block):
        block["voices"][0] = claim

    _edit_practice(project_copy, "nato_at_war", edit)
    assert any("catalogue title" in p for p in _problems(project_copy))


def test_a_myth_without_practice_block_still_loads(project_copy):
    path = project_copy / "data" / "knowledge" / "myths" / "encirclement.yml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    del doc["practice"]
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    kb = load_knowledge(project_copy / "data" / "knowledge")
    assert practice_spec(kb.myths["encirclement"]) is None
    assert not kb.myths["encirclement"].practice


# --------------------------------------------------------------------------- cues


def test_cue_grammar():
    cue = parse_cue("finland include*|count* april_2023 no_fly_zone")
    words, prefixes, figure, phrase = cue.terms
    assert words.alternatives[0].words == ("finland",)
    assert [a.prefix for a in prefixes.alternatives] == [True, True]
    assert figure.alternatives[0].figure.month == 4 and figure.alternatives[0].figure.year == 2023
    assert phrase.alternatives[0].words == ("no", "fly", "zone")
    assert parse_cue("resolution_1973").terms[0].alternatives[0].figure.kind == "resolution"
    for bad in ("", "a||b", "enc*ircle", "x|"):
        with pytest.raises(ValueError):
            parse_cue(bad)


def test_a_push_back_may_raise_one_of_the_myths_qualifications(kb, project_copy):
    assert practice_spec(kb.myths["operations_not_defensive"]).counter.qualification == "libya_regime_change"

    def edit(block):
        block["counter"]["qualification"] = "no_such_limit"

    _edit_practice(project_copy, "encirclement", edit)
    problems = _problems(project_copy)
    assert any("'encirclement.practice.counter'" in p and "'qualification'" in p and "no_such_limit" in p
               for p in problems)
