"""A role request's skills as taxonomy ids: the listed skills plus those read from its description."""

from __future__ import annotations

from dataclasses import dataclass

from staffing_recs.errors import RequestWithoutSkillsError
from staffing_recs.schemas import RoleRequest
from staffing_recs.taxonomy import SkillTaxonomy

# Skills read out of a description: optional extras when skills are listed,
# the requirement itself when the description is all there is.
DESCRIBED_MIN_LEVEL = 2
DESCRIBED_EXTRA_WEIGHT = 0.5


@dataclass(frozen=True)
class Requirement:
    skill_id: str
    name: str  # as the request wrote it (what the explanation shows)
    min_level: int
    weight: float
    required: bool
    known: bool
    from_description: bool = False
    how: str = "name"  # how the taxonomy read the name (SkillMatch.how)


def resolve_requirements(
    request: RoleRequest, taxonomy: SkillTaxonomy
) -> tuple[list[Requirement], list[str]]:
    """The request's requirements, merged by skill, and the names the taxonomy does not know.

    Parameters
    ----------
    request : RoleRequest
    taxonomy : SkillTaxonomy

    Returns
    -------
    (list of Requirement, list of str)

    Raises
    ------
    RequestWithoutSkillsError
        When no skill is listed and none can be read from the description.
    """
    merged: dict[str, Requirement] = {}
    unknown: list[str] = []
    for skill in request.skills:
        match = taxonomy.resolve(skill.name)
        if not match.known:
            unknown.append(skill.name)
        previous = merged.get(match.skill_id)
        if previous is None:
            merged[match.skill_id] = Requirement(
                match.skill_id,
                skill.name,
                skill.min_level,
                skill.weight,
                skill.required,
                match.known,
                how=match.how,
            )
        else:
            merged[match.skill_id] = Requirement(
                match.skill_id,
                previous.name,
                max(previous.min_level, skill.min_level),
                max(previous.weight, skill.weight),
                previous.required or skill.required,
                previous.known,
                how=previous.how,
            )
    listed = bool(merged)
    # With skills listed the description only adds optional extras; with none, the
    # description and the role title are all there is to go on.
    texts = [request.description or ""] if listed else [request.description or "", request.role]
    for text in texts:
        for mention in taxonomy.extract(text):
            if mention.skill_id in merged:
                continue
            merged[mention.skill_id] = Requirement(
                mention.skill_id,
                taxonomy.display_name(mention.skill_id),
                DESCRIBED_MIN_LEVEL,
                DESCRIBED_EXTRA_WEIGHT if listed else 1.0,
                required=not listed,
                known=True,
                from_description=True,
            )
    if not merged:
        raise RequestWithoutSkillsError(request.request_id)
    return list(merged.values()), unknown
