from __future__ import annotations

import json
from pathlib import Path

import pytest

from staffing_recs import SkillTaxonomy, TaxonomyError, normalise_skill_name, recommend

from .conftest import make_person, make_request


@pytest.mark.parametrize(
    ("written", "skill_id"),
    [
        ("SFDC", "salesforce"),
        ("salesforce.com", "salesforce"),
        ("k8s", "kubernetes"),
        ("Postgres", "postgresql"),
        ("JS", "javascript"),
        ("GCP", "gcp"),
        ("node.js", "nodejs"),
        ("C#", "csharp"),
        ("C++", "cpp"),
        ("S/4HANA", "sap-s4hana"),
        ("ServiceNow", "servicenow"),
        ("D365 F&O", "dynamics-fo"),
        ("Workday HCM", "workday-hcm"),
        ("Lean Six Sigma", "six-sigma"),
        ("PMP", "pmp"),
        ("Español", "spanish"),
    ],
)
def test_resolve_synonyms_and_abbreviations(taxonomy: SkillTaxonomy, written: str, skill_id: str) -> None:
    assert taxonomy.resolve(written).skill_id == skill_id


def test_taxonomy_has_a_few_hundred_skills(taxonomy: SkillTaxonomy) -> None:
    assert len(taxonomy.skill_ids) >= 300


@pytest.mark.parametrize(
    ("a", "b"), [("Node.js", "nodejs"), ("Power BI", "power-bi"), ("  SAP  FI/CO ", "sap fico")]
)
def test_normalise_ignores_case_space_punctuation(a: str, b: str) -> None:
    assert normalise_skill_name(a) == normalise_skill_name(b)


def test_normalise_keeps_plus_and_sharp() -> None:
    assert len({normalise_skill_name(x) for x in ("C", "C++", "C#")}) == 3


def test_resolve_contains_and_unknown(taxonomy: SkillTaxonomy) -> None:
    contained = taxonomy.resolve("Apex development")
    assert (contained.skill_id, contained.how) == ("apex", "contains")
    unknown = taxonomy.resolve("Underwater Welding")
    assert not unknown.known and unknown.skill_id.startswith("custom:")


@pytest.mark.parametrize(
    ("held", "required", "low", "high"),
    [
        ("postgresql", "mysql", 0.5, 0.7),  # explicit close relation
        ("salesforce-sales-cloud", "salesforce", 1.0, 1.0),  # narrower counts in full
        ("salesforce", "salesforce-sales-cloud", 0.4, 0.6),  # broader: partial
        ("salesforce-sales-cloud", "salesforce-commerce-cloud", 0.3, 0.5),  # siblings under a skill
        ("python", "cobol", 0.1, 0.2),  # siblings under a category
        ("python", "payroll", 0.0, 0.0),
    ],
)
def test_similarity_credits(
    taxonomy: SkillTaxonomy, held: str, required: str, low: float, high: float
) -> None:
    assert low <= taxonomy.similarity(held, required) <= high


def test_extract_reads_skills_from_free_text(taxonomy: SkillTaxonomy) -> None:
    text = "Senior SFDC developer: Apex, LWC, k8s and Postgres. We go live in May; Go is a plus."
    mentions = taxonomy.extract(text)
    ids = [m.skill_id for m in mentions]
    assert ids == ["salesforce", "apex", "salesforce-lightning", "kubernetes", "postgresql", "go"]
    assert all(text[m.start : m.end] == m.text for m in mentions)


def test_firm_extension_file_adds_aliases_and_skills(tmp_path: Path) -> None:
    path = tmp_path / "firm.json"
    path.write_text(
        json.dumps(
            {
                "skills": [
                    {"name": "Salesforce", "aliases": ["Force Platform"]},
                    {
                        "id": "acme-billing",
                        "name": "AcmeBill",
                        "parent": "Accounts receivable",
                        "related": {"SAP FI/CO": 0.5},
                    },
                ]
            }
        )
    )
    taxonomy = SkillTaxonomy.load(path)
    assert taxonomy.resolve("force platform").skill_id == "salesforce"
    assert taxonomy.resolve("acmebill").skill_id == "acme-billing"
    assert taxonomy.similarity("sap-fico", "acme-billing") == pytest.approx(0.5)
    assert taxonomy.satisfies("acme-billing", "accounts-receivable")
    # The shipped taxonomy is unchanged.
    assert SkillTaxonomy.default().resolve("acmebill").how == "unknown"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not readable JSON"),
        ('{"skills": {"a": 1}}', "list of skills"),
        ('{"skills": [{"name": "X", "parent": "no-such-parent"}]}', "parent"),
        ('{"skills": [{"name": "X", "related": {"python": 3}}]}', "credit"),
    ],
)
def test_firm_extension_file_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "firm.json"
    path.write_text(content)
    with pytest.raises(TaxonomyError, match=message):
        SkillTaxonomy.load(path)


def test_missing_extension_file(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match="not found"):
        SkillTaxonomy.load(tmp_path / "absent.json")


def test_matching_is_by_meaning_end_to_end() -> None:
    person = make_person(skills=[{"name": "SFDC", "level": 4}, {"name": "apex code", "level": 3}])
    request = make_request(skills=[{"name": "Salesforce", "min_level": 3}, {"name": "Apex", "min_level": 2}])
    result = recommend(request, [person])
    # The explanation names the person's own skill strings and what each stands for.
    assert result.candidates[0].explanation.startswith("SFDC 4/3 for Salesforce, apex code 3/2 for Apex")


def test_close_skill_gives_partial_credit_but_not_eligibility() -> None:
    mysql = make_person("E-my", skills=[{"name": "MySQL", "level": 4}])
    postgres = make_person("E-pg", skills=[{"name": "PostgreSQL", "level": 4}])
    optional = make_request(skills=[{"name": "Postgres", "min_level": 3, "required": False}])
    ranked = recommend(optional, [mysql, postgres])
    by_id = {c.person_id: c for c in ranked.candidates}
    assert 0 < by_id["E-my"].breakdown.skills < by_id["E-pg"].breakdown.skills
    assert "MySQL 4 for Postgres (close)" in by_id["E-my"].explanation
    required = make_request(skills=[{"name": "Postgres", "min_level": 3, "required": True}])
    result = recommend(required, [mysql, postgres])
    assert [c.person_id for c in result.candidates] == ["E-pg"]
    assert "has MySQL 4, a close skill" in result.excluded[0].reasons[0]


def test_profile_and_certifications_are_read_as_skills() -> None:
    person = make_person(
        skills=[], certifications=["Salesforce Certified Administrator"], profile="Apex and LWC work"
    )
    result = recommend(make_request(), [person])
    assert result.candidates[0].explanation.startswith(
        "Salesforce Certified Administrator 3/3 for Salesforce, Apex 2/2"
    )


@pytest.mark.parametrize(("written", "skill_id"), [("Salesfroce", "salesforce"), ("Kubernets", "kubernetes")])
def test_resolve_close_misspellings(taxonomy: SkillTaxonomy, written: str, skill_id: str) -> None:
    match = taxonomy.resolve(written)
    assert (match.skill_id, match.how) == (skill_id, "fuzzy")


def test_short_names_are_not_fuzzy_matched(taxonomy: SkillTaxonomy) -> None:
    assert taxonomy.resolve("Jave").how == "unknown"


def test_shipped_taxonomy_has_no_alias_claimed_twice() -> None:
    data = json.loads(
        (Path(__file__).parents[2] / "staffing_recs" / "data" / "skills.json").read_text(encoding="utf-8")
    )
    owner: dict[str, str] = {}
    for record in data["skills"]:
        for written in (record["name"], record["id"], *record["aliases"]):
            key = normalise_skill_name(written)
            assert owner.setdefault(key, record["id"]) == record["id"], (written, owner[key], record["id"])


@pytest.mark.parametrize(
    ("written", "skill_id"),
    [
        ("Data Migration", "data-migration"),
        ("data conversion", "data-migration"),
        ("LSMW", "data-migration"),
        ("SAP Migration Cockpit", "data-migration"),
        ("SAP BODS", "sap-data-services"),
        ("Hypercare", "cutover-go-live"),
        ("Go-Live Support", "cutover-go-live"),
        ("Release Manager", "release-management"),
        ("Supplier Management", "vendor-management"),
        ("Technical Writer", "technical-writing"),
        ("Train the Trainer", "end-user-training"),
        ("Organisational Design", "organization-design"),
        ("Legacy Modernisation", "application-modernization"),
        ("JCL", "mainframe"),
        ("Data Analytics", "data-analysis"),
        ("Data Visualisation", "data-visualization"),
        ("Power Query M", "power-query"),
        ("BPR", "business-process-reengineering"),
        ("Bank Reconciliation", "account-reconciliation"),
        ("Effort Estimation", "estimation"),
        ("Bid Writing", "proposal-writing"),
        ("ZTNA", "zero-trust"),
    ],
)
def test_common_delivery_skills_resolve_with_their_synonyms(
    taxonomy: SkillTaxonomy, written: str, skill_id: str
) -> None:
    match = taxonomy.resolve(written)
    assert match.known and match.how in {"name", "alias"}
    assert match.skill_id == skill_id


def test_data_migration_sits_under_data_engineering_close_to_etl(taxonomy: SkillTaxonomy) -> None:
    assert taxonomy.display_name("data-migration") == "Data migration"
    assert 0.5 <= taxonomy.similarity("etl", "data-migration") < 1.0
    assert 0.5 <= taxonomy.similarity("sap-data-services", "data-migration") < 1.0
    assert taxonomy.similarity("payroll", "data-migration") == 0.0
    mentions = taxonomy.extract("Led the SAP data migration, cutover and hypercare; wrote the user guides.")
    assert [m.skill_id for m in mentions] == [
        "sap",
        "data-migration",
        "cutover-go-live",
        "cutover-go-live",
        "technical-writing",
    ]


def test_a_required_data_migration_skill_is_met_by_its_synonym() -> None:
    request = make_request(skills=[{"name": "Data Migration", "min_level": 3}])
    result = recommend(
        request,
        [
            make_person("E-conversion", skills=[{"name": "Data Conversion", "level": 4}]),
            make_person("E-etl", skills=[{"name": "ETL", "level": 5}]),
        ],
    )
    assert [c.person_id for c in result.candidates] == ["E-conversion"]
    assert result.excluded[0].person_id == "E-etl"
    assert result.excluded[0].reasons == ["no Data Migration (3 required); has ETL 5, a close skill"]
    assert result.unknown_skills == []


@pytest.mark.parametrize(
    ("written", "skill_id"),
    [
        ("Excel (advanced)", "excel"),
        ("Java 8", "java"),
        ("python3.x", "python"),
        ("Airflow 2", "airflow"),
        ("PMP certified", "pmp"),
        ("Salesforce Certified Administrator", "salesforce-admin"),
        ("Kubernetes (EKS)", "amazon-eks"),
        ("Serverless (AWS Lambda)", "aws-lambda"),
        ("Go-to-market", "go-to-market"),
    ],
)
def test_names_with_qualifiers_versions_and_brackets(
    taxonomy: SkillTaxonomy, written: str, skill_id: str
) -> None:
    assert taxonomy.resolve(written).skill_id == skill_id


@pytest.mark.parametrize(
    ("written", "skill_ids"),
    [
        ("C/C++", {"c", "cpp"}),
        ("Docker & Kubernetes", {"docker", "kubernetes"}),
        ("SSIS/SSRS", {"ssis", "ssrs"}),
        ("Salesforce / Sales Cloud", {"salesforce-sales-cloud"}),
    ],
)
def test_a_person_name_joining_skills_holds_each(
    taxonomy: SkillTaxonomy, written: str, skill_ids: set[str]
) -> None:
    assert {m.skill_id for m in taxonomy.resolve_all(written)} == skill_ids


def test_a_required_name_joining_unrelated_skills_is_not_read_as_one_of_them(taxonomy: SkillTaxonomy) -> None:
    assert not taxonomy.resolve("AWS/Azure").known


def test_a_person_listing_two_skills_in_one_name_is_eligible_for_either() -> None:
    person = make_person(skills=[{"name": "Docker & Kubernetes", "level": 4}])
    request = make_request(skills=[{"name": "k8s", "min_level": 3}])
    assert recommend(request, [person]).candidates


@pytest.mark.parametrize(
    ("written", "not_skill"),
    [("Go-to-market strategy", "go"), ("Security+", "security"), ("ServiceNow ITBM", "servicenow-itsm")],
)
def test_no_guess_from_an_everyday_word_or_a_short_differing_word(
    taxonomy: SkillTaxonomy, written: str, not_skill: str
) -> None:
    assert taxonomy.resolve(written).skill_id != not_skill


def test_misspellings_of_long_words_still_match(taxonomy: SkillTaxonomy) -> None:
    assert taxonomy.resolve("Salesfroce").skill_id == "salesforce"
    assert taxonomy.resolve("Kubernets").skill_id == "kubernetes"


def test_free_text_does_not_read_go_out_of_go_live(taxonomy: SkillTaxonomy) -> None:
    found = [m.skill_id for m in taxonomy.extract("Go-to-market lead for the go-live, Python")]
    assert found == ["go-to-market", "python"]


@pytest.mark.parametrize(
    ("held", "required"),
    [
        ("Confluence", "Jira"),
        ("Sentinel", "Splunk"),
        ("Active Directory", "Okta"),
        ("AKS", "EKS"),
        ("Corporate tax", "Transfer pricing"),
        ("Looker", "Looker Studio"),
        ("numpy", "pandas"),
        ("Terraform", "Terraform Cloud"),
    ],
)
def test_products_once_aliases_are_their_own_skills(
    taxonomy: SkillTaxonomy, held: str, required: str
) -> None:
    assert not taxonomy.satisfies(taxonomy.resolve(held).skill_id, taxonomy.resolve(required).skill_id)


def test_a_requirement_read_inside_a_longer_name_is_noted() -> None:
    request = make_request(skills=[{"name": "Salesforce Sales Cloud implementation", "min_level": 3}])
    result = recommend(request, [make_person(skills=[{"name": "Sales Cloud", "level": 4}])])
    assert result.candidates
    assert any("read as Salesforce Sales Cloud" in note for note in result.notes)


def test_the_explanation_names_a_close_skill_as_the_person_wrote_it() -> None:
    person = make_person(skills=[{"name": "Postgres 15", "level": 4}, {"name": "SFDC", "level": 4}])
    request = make_request(skills=[{"name": "SFDC", "min_level": 3}, {"name": "MySQL", "required": False}])
    explanation = recommend(request, [person]).candidates[0].explanation
    assert explanation.startswith("SFDC 4/3, Postgres 15 4 for MySQL (close)")
