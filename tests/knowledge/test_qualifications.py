"""bot/knowledge/qualifications.py: derived figures, qualifications and second voices are
validated on load, with errors that name file, entry and field."""
from __future__ import annotations

import pytest
import yaml

from bot.knowledge import PRIMARY_KINDS, KnowledgeError, load_knowledge
from bot.knowledge.figures import derived_agrees, evaluate_formula


def _edit(path, change):
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def _fact(data, fid):
    return next(f for f in data["facts"] if f["id"] == fid)


def test_every_source_has_a_known_kind_and_folder(kb):
    kinds = {s.kind for s in kb.sources.values()}
    assert {"nato", "un_body", "court", "treaty", "government_reference", "allied_parliament", "eu_service"} <= kinds
    assert kb.sources["nato_2024"].folder == "seeds" and kb.sources["icj_order_2022"].folder == "sources"
    assert not kb.sources["nato_2024"].independent and kb.sources["eprs_2022"].independent


def test_every_rebuttal_has_an_independent_voice_and_gaps_are_explained(kb):
    """A non-NATO source in every rebuttal; where no UN, court or treaty text stands beside
    NATO's page, the myth says why, and EUvsDisinfo is never the only independent voice
    unless that reason is given."""
    gaps = {}
    for myth in kb.myths.values():
        kinds = {kb.sources[s].kind for f in myth.rebuttal_facts() for s in kb.facts[f].source_ids}
        assert kinds - {"nato"}, f"{myth.id}: no independent source"
        if not kinds & set(PRIMARY_KINDS):
            assert myth.second_voice_gap, f"{myth.id}: no UN, court or treaty text and no reason given"
            gaps[myth.id] = myth.second_voice_gap
        if kinds - {"nato"} == {"eu_service"}:
            assert myth.id in gaps, f"{myth.id}: EUvsDisinfo is its only independent voice"
    assert set(gaps) == {"deployments_threat", "encirclement", "ukraine_membership"}


def test_known_qualifications_are_in_the_data(kb):
    ops = {q.id: q for q in kb.myths["operations_not_defensive"].qualifications}
    assert "kosovo_1999_no_mandate" in ops and "yugoslavia" in ops["kosovo_1999_no_mandate"].bears_on
    assert "regime change" in ops["libya_regime_change"].text
    border = {q.id for q in kb.myths["encirclement"].qualifications}
    assert {"which_border", "doubling"} <= border
    assert {"eastern_germany_limit"} <= {q.id for q in kb.myths["enlargement_promise"].qualifications}
    assert kb.myths["operations_not_defensive"].qualifications_on(["serbia"])[0].id == "kosovo_1999_no_mandate"
    assert kb.myths["operations_not_defensive"].qualifications_on(["bosnia"]) == ()


@pytest.mark.parametrize("formula,figure,ok", [
    ("191 + 1,309 + 324 + 332 + 261 + 209", "2,626", True),
    ("2,626 / 22,407", "11.7%", True),
    ("2,626 / 22,407", "11%", False),
    ("1,317 + 1,309", "2,626", True),
    ("2 * 3 + 1", "7", True),
])
def test_derived_figures_are_recomputed(formula, figure, ok):
    assert derived_agrees(figure, formula) is ok


def test_a_formula_must_be_plain_arithmetic():
    assert evaluate_formula("__import__('os')") is None
    assert evaluate_formula("1 / 0") is None


def test_a_wrong_derived_figure_names_file_entry_and_field(project_copy):
    root = project_copy / "data" / "knowledge"
    _edit(root / "facts.yml", lambda d: _fact(d, "border_share_derived")["derived"][1].update(figure="12.7%"))
    with pytest.raises(KnowledgeError, match=r"facts\.yml: entry 'border_share_derived': field 'derived': .* does not give 12\.7%"):
        load_knowledge(root)


def test_an_unknown_source_kind_is_reported(project_copy):
    root = project_copy / "data" / "knowledge"
    _edit(root / "sources.yml", lambda d: d["sources"][0].update(kind="blog"))
    with pytest.raises(KnowledgeError, match=r"sources\.yml: entry 'nato_2024': field 'kind': 'blog' is not one of"):
        load_knowledge(root)


def test_a_qualification_on_an_unknown_entity_is_reported(project_copy):
    root = project_copy / "data" / "knowledge"
    _edit(root / "myths" / "encirclement.yml", lambda d: d["qualifications"][0]["bears_on"].append("atlantis"))
    with pytest.raises(KnowledgeError, match=r"encirclement\.yml: entry 'encirclement\.qualifications\.which_border': "
                                             r"field 'bears_on': 'atlantis'"):
        load_knowledge(root)


def test_a_stale_second_voice_gap_is_reported(project_copy):
    root = project_copy / "data" / "knowledge"
    _edit(root / "myths" / "nato_at_war.yml", lambda d: d.update(second_voice_gap="no UN text"))
    with pytest.raises(KnowledgeError, match=r"nato_at_war\.yml: entry 'nato_at_war': field 'second_voice_gap': .*remove"):
        load_knowledge(root)


def test_a_rebuttal_without_a_primary_text_needs_a_reason(project_copy):
    root = project_copy / "data" / "knowledge"
    _edit(root / "myths" / "encirclement.yml", lambda d: d.pop("second_voice_gap"))
    with pytest.raises(KnowledgeError, match=r"encirclement\.yml: entry 'encirclement': field 'second_voice_gap'"):
        load_knowledge(root)
