"""Staffing recommendations: who can take a role, ranked and explained, and whole teams at once.

Public API::

    recommend(request, people, *, model=None, taxonomy=None, top=10) -> Recommendation
    assign_team(requests, people, *, model=None, taxonomy=None) -> TeamAssignment

Pure library: no HTTP, no database, no MLflow; settings (such as a firm's
taxonomy file) are passed in.
"""

from staffing_recs.errors import (
    DuplicatePersonError,
    InvalidPeopleError,
    InvalidRequestError,
    RequestWithoutSkillsError,
    StaffingError,
    StaffingModelError,
    TaxonomyError,
)
from staffing_recs.index import PeopleIndex
from staffing_recs.model import StaffingDecision, StaffingRankingModel
from staffing_recs.ranking import DEFAULT_WEIGHTS
from staffing_recs.recommender import DEFAULT_MODEL_VERSION, recommend
from staffing_recs.schemas import (
    FACTORS,
    Allocation,
    Assignment,
    Candidate,
    Exclusion,
    Fallback,
    LocationConstraint,
    NearMiss,
    Person,
    Recommendation,
    RoleRequest,
    ScoreBreakdown,
    Skill,
    SkillRequirement,
    StaffingFlag,
    TeamAssignment,
    TimeOff,
    Unfilled,
    parse_people,
    parse_request,
    parse_requests,
)
from staffing_recs.taxonomy import SkillMatch, SkillMention, SkillTaxonomy, normalise_skill_name
from staffing_recs.team import assign_team

__all__ = [  # noqa: RUF022  (plain sorted order, guarded by a test)
    "Allocation",
    "Assignment",
    "Candidate",
    "DEFAULT_MODEL_VERSION",
    "DEFAULT_WEIGHTS",
    "DuplicatePersonError",
    "Exclusion",
    "FACTORS",
    "Fallback",
    "InvalidPeopleError",
    "InvalidRequestError",
    "LocationConstraint",
    "NearMiss",
    "PeopleIndex",
    "Person",
    "Recommendation",
    "RequestWithoutSkillsError",
    "RoleRequest",
    "ScoreBreakdown",
    "Skill",
    "SkillMatch",
    "SkillMention",
    "SkillRequirement",
    "SkillTaxonomy",
    "StaffingDecision",
    "StaffingError",
    "StaffingFlag",
    "StaffingModelError",
    "StaffingRankingModel",
    "TaxonomyError",
    "TeamAssignment",
    "TimeOff",
    "Unfilled",
    "assign_team",
    "normalise_skill_name",
    "parse_people",
    "parse_request",
    "parse_requests",
    "recommend",
]
