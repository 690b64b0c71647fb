"""Generated staffing history: people, role requests, and which candidate a
simulated resource manager chose.

The manager has hidden preferences (``HIDDEN_PREFERENCES``, deliberately not
the library's defaults) over the same score breakdown the recommender
computes, plus noise; the ranking model should recover them. Skill names are
written with the taxonomy's aliases at random ("SFDC", "Postgres"), so the
history exercises matching by meaning, not by string.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from staffing_recs import FACTORS, PeopleIndex, Person, RoleRequest, SkillTaxonomy, StaffingDecision
from staffing_recs.recommender import evaluate_request

HIDDEN_PREFERENCES: dict[str, float] = {
    "skills": 0.30,
    "availability": 0.10,
    "margin": 0.25,
    "utilization": 0.20,
    "continuity": 0.10,
    "timezone": 0.05,
}

# role -> (core skills, optional extras)
ROLE_FAMILIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Salesforce Developer": (
        ("Salesforce", "Apex"),
        ("Salesforce Lightning", "Visualforce", "Salesforce CPQ", "MuleSoft"),
    ),
    "SAP Finance Consultant": (("SAP S/4HANA", "SAP FI/CO"), ("ABAP", "SAP MM", "IFRS", "Financial close")),
    "Data Engineer": (
        ("Python", "Apache Spark"),
        ("Databricks", "Snowflake", "Apache Airflow", "dbt", "SQL"),
    ),
    "Cloud Engineer": (
        ("Amazon Web Services", "Terraform"),
        ("Kubernetes", "Docker", "Python", "Microsoft Azure"),
    ),
    "Workday Consultant": (
        ("Workday HCM",),
        ("Workday integrations", "Workday Payroll", "Change management"),
    ),
    "ServiceNow Developer": (("ServiceNow", "JavaScript"), ("ServiceNow ITSM", "ITIL", "REST APIs")),
    "Project Manager": (("PMP", "Scrum"), ("Stakeholder management", "Risk management", "SAFe", "Jira")),
    "Dynamics Consultant": (
        ("Dynamics 365 Finance and Operations",),
        ("Power BI", "Power Apps", "SQL Server"),
    ),
    "BI Analyst": (("Power BI", "SQL"), ("Tableau", "Microsoft Excel", "Data modeling")),
    "Finance Transformation Lead": (
        ("FP&A", "Financial modeling"),
        ("Anaplan", "Oracle Hyperion", "Microsoft Excel"),
    ),
}
LOCATIONS: tuple[tuple[str, str], ...] = (
    ("Chicago, US", "America/Chicago"),
    ("New York, US", "America/New_York"),
    ("Austin, US", "America/Chicago"),
    ("San Francisco, US", "America/Los_Angeles"),
    ("Toronto, CA", "America/Toronto"),
    ("Vancouver, CA", "America/Vancouver"),
    ("London, GB", "Europe/London"),
    ("Dublin, IE", "Europe/Dublin"),
    ("Berlin, DE", "Europe/Berlin"),
    ("Madrid, ES", "Europe/Madrid"),
    ("Warsaw, PL", "Europe/Warsaw"),
    ("Bangalore, IN", "Asia/Kolkata"),
    ("Manila, PH", "Asia/Manila"),
    ("Mexico City, MX", "America/Mexico_City"),
)
TITLES = ("Analyst", "Consultant", "Senior Consultant", "Manager", "Senior Manager")
CLIENTS = tuple(f"C-{i}" for i in range(1, 16))
HORIZON_START = dt.date(2026, 1, 5)


def _written(name: str, taxonomy: SkillTaxonomy, rng: np.random.Generator) -> str:
    """The skill as a person might write it: its name or, a third of the time, an alias."""
    node = taxonomy.get(taxonomy.resolve(name).skill_id)
    if node is None or not node.aliases or rng.random() > 1 / 3:
        return name
    return str(rng.choice(list(node.aliases)))


def generate_people(
    n: int, *, rng: np.random.Generator, taxonomy: SkillTaxonomy | None = None, prefix: str = "E-"
) -> list[Person]:
    """``n`` people with skills from one or two role families, bookings, leave and client history.

    Parameters
    ----------
    n : int
    rng : numpy Generator
    taxonomy : SkillTaxonomy, optional
    prefix : str
        Person ids are ``prefix + number``.

    Returns
    -------
    list of Person
    """
    taxonomy = taxonomy or SkillTaxonomy.default()
    families = list(ROLE_FAMILIES)
    people: list[Person] = []
    for number in range(n):
        seniority = int(rng.integers(0, len(TITLES)))
        held: dict[str, int] = {}
        for family in rng.choice(families, size=1 + int(rng.random() < 0.3), replace=False):
            core, extras = ROLE_FAMILIES[str(family)]
            for skill in core:
                held[skill] = int(np.clip(rng.normal(2 + seniority * 0.6, 1.0), 1, 5).round())
            for skill in extras:
                if rng.random() < 0.5:
                    held[skill] = int(rng.integers(1, 5))
        location, zone = LOCATIONS[int(rng.integers(0, len(LOCATIONS)))]
        allocations = []
        for _ in range(int(rng.integers(0, 3))):
            start = HORIZON_START + dt.timedelta(weeks=int(rng.integers(0, 30)))
            allocations.append(
                {
                    "project_id": f"P-{int(rng.integers(1, 60))}",
                    "start_date": start.isoformat(),
                    "end_date": (start + dt.timedelta(weeks=int(rng.integers(2, 16)), days=4)).isoformat(),
                    "hours_per_week": float(rng.choice([8, 16, 20, 24, 32, 40])),
                }
            )
        time_off = []
        if rng.random() < 0.4:
            start = HORIZON_START + dt.timedelta(weeks=int(rng.integers(0, 40)))
            time_off.append(
                {"start_date": start.isoformat(), "end_date": (start + dt.timedelta(days=4)).isoformat()}
            )
        people.append(
            Person.model_validate(
                {
                    "person_id": f"{prefix}{number + 1}",
                    "name": f"Person {number + 1}",
                    "title": TITLES[seniority],
                    "level": seniority + 1,
                    "location": location,
                    "timezone": zone,
                    "cost_rate": round(float(55 + 22 * seniority + rng.normal(0, 10)), 2),
                    "currency": "USD",
                    "target_utilization": float(rng.choice([0.7, 0.75, 0.8, 0.85])),
                    "skills": [{"name": _written(s, taxonomy, rng), "level": lv} for s, lv in held.items()],
                    "clearances": ["Secret"] if rng.random() < 0.1 else [],
                    "allocations": allocations,
                    "time_off": time_off,
                    "client_history": [
                        str(c) for c in rng.choice(CLIENTS, size=int(rng.integers(0, 3)), replace=False)
                    ],
                    "hours_per_week": 40 if rng.random() < 0.9 else 32,
                }
            )
        )
    return people


def generate_request(rng: np.random.Generator, *, request_id: str, role: str | None = None) -> RoleRequest:
    """One role request of a random (or the given) family."""
    role = role or str(rng.choice(list(ROLE_FAMILIES)))
    core, extras = ROLE_FAMILIES[role]
    start = HORIZON_START + dt.timedelta(weeks=int(rng.integers(2, 30)))
    skills: list[dict[str, Any]] = [
        {"name": s, "min_level": int(rng.integers(2, 4)), "weight": 1.0, "required": True} for s in core
    ]
    for skill in rng.choice(list(extras), size=min(len(extras), int(rng.integers(0, 3))), replace=False):
        skills.append(
            {
                "name": str(skill),
                "min_level": 2,
                "weight": round(float(rng.uniform(0.3, 0.8)), 2),
                "required": False,
            }
        )
    draw = rng.random()
    if draw < 0.5:
        location: dict[str, Any] | None = {
            "countries": ["US", "CA"],
            "timezone": "America/New_York",
            "max_timezone_offset_hours": 3,
        }
    elif draw < 0.75:
        location = {"countries": ["GB", "IE", "DE", "ES", "PL"], "timezone": "Europe/London"}
    else:
        location = {"timezone": "America/New_York"}
    return RoleRequest.model_validate(
        {
            "request_id": request_id,
            "project_id": f"P-{int(rng.integers(60, 120))}",
            "client_id": str(rng.choice(CLIENTS)),
            "role": role,
            "start_date": start.isoformat(),
            "end_date": (start + dt.timedelta(weeks=int(rng.integers(3, 16)), days=4)).isoformat(),
            "hours_per_week": float(rng.choice([10, 20, 24, 30, 40])),
            "skills": skills,
            "bill_rate": float(rng.choice([150, 175, 200, 225, 250])),
            "currency": "USD",
            "min_margin": float(rng.choice([0.3, 0.35, 0.4, 0.45])),
            "location": location,
            "clearance": "Secret" if rng.random() < 0.05 else None,
        }
    )


@dataclass
class StaffingHistory:
    people: list[Person]
    requests: list[RoleRequest]
    # request_id -> chosen person_id
    chosen: dict[str, str] = field(default_factory=dict)
    decisions: list[StaffingDecision] = field(default_factory=list)


def decisions_for(
    requests: Sequence[RoleRequest],
    index: PeopleIndex,
    *,
    rng: np.random.Generator,
    preferences: Mapping[str, float] = HIDDEN_PREFERENCES,
    noise: float = 0.03,
    max_candidates: int = 40,
) -> tuple[dict[str, str], list[StaffingDecision]]:
    """Let the simulated manager choose among each request's eligible candidates."""
    vector = np.array([preferences[f] for f in FACTORS], dtype=np.float64)
    vector = vector / vector.sum()
    chosen: dict[str, str] = {}
    decisions: list[StaffingDecision] = []
    for request in requests:
        evaluation = evaluate_request(request, index)
        features = evaluation.factors.values[:max_candidates]
        if len(features) < 2:
            continue
        utility = features @ vector + rng.gumbel(0, noise, size=len(features))
        pick = int(np.argmax(utility))
        decisions.append(StaffingDecision(features=features, chosen=pick))
        chosen[request.request_id] = evaluation.person_id(int(evaluation.eligible[pick]))
    return chosen, decisions


def generate_history(
    *,
    seed: int = 42,
    n_people: int = 300,
    n_requests: int = 200,
    preferences: Mapping[str, float] = HIDDEN_PREFERENCES,
    noise: float = 0.03,
    taxonomy: SkillTaxonomy | None = None,
) -> StaffingHistory:
    """A firm's staffing history with the manager's choices.

    Parameters
    ----------
    seed : int
    n_people, n_requests : int
    preferences : mapping
        The manager's hidden factor weights.
    noise : float
        Gumbel noise on the manager's utility (0: always the utility's best).
    taxonomy : SkillTaxonomy, optional

    Returns
    -------
    StaffingHistory
    """
    rng = np.random.default_rng(seed)
    taxonomy = taxonomy or SkillTaxonomy.default()
    people = generate_people(n_people, rng=rng, taxonomy=taxonomy)
    requests = [generate_request(rng, request_id=f"R-{i + 1}") for i in range(n_requests)]
    index = PeopleIndex.build(people, taxonomy)
    chosen, decisions = decisions_for(requests, index, rng=rng, preferences=preferences, noise=noise)
    return StaffingHistory(people=people, requests=requests, chosen=chosen, decisions=decisions)
