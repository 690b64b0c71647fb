"""The eval's rewritten directories: the same facts in other firms' forms rank the same."""

from __future__ import annotations

import numpy as np
import pytest

from evals.staffing import rewrite_directory
from staffing_recs import SkillTaxonomy, parse_people, recommend
from training.staffing_generator import generate_people, generate_request


def test_a_rewritten_directory_changes_the_forms_and_keeps_the_ranking(taxonomy: SkillTaxonomy) -> None:
    people = generate_people(60, rng=np.random.default_rng(5), taxonomy=taxonomy)
    rewritten = rewrite_directory(people, np.random.default_rng(6), taxonomy)
    records = rewritten["employees"]
    assert any(
        isinstance(s["rating"], str) and not s["rating"].isdigit() for r in records for s in r["skills"]
    )
    assert any("allocation_percent" in a for r in records for a in r["allocations"])
    assert any(r["timezone"] != p.timezone for r, p in zip(records, people, strict=True))
    assert [p.person_id for p in parse_people(rewritten)] == [p.person_id for p in people]
    request = generate_request(np.random.default_rng(7), request_id="R-1", role="Salesforce Developer")
    before, after = recommend(request, people), recommend(request, rewritten)
    assert [(c.person_id, c.score) for c in after.candidates] == [
        (c.person_id, c.score) for c in before.candidates
    ]
    assert {e.person_id for e in after.excluded} == {e.person_id for e in before.excluded}


@pytest.mark.parametrize("shape", ["hris", "table"])
def test_an_hr_report_or_a_table_export_reads_as_the_same_people(shape: str, taxonomy: SkillTaxonomy) -> None:
    people = generate_people(40, rng=np.random.default_rng(5), taxonomy=taxonomy)
    plain = parse_people(rewrite_directory(people, np.random.default_rng(6), taxonomy))
    rewritten = rewrite_directory(people, np.random.default_rng(6), taxonomy, shape=shape)
    assert ("workers" in rewritten) if shape == "hris" else ("columns" in rewritten)
    assert [p.model_dump() for p in parse_people(rewritten)] == [p.model_dump() for p in plain]
