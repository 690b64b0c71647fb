"""A role request's skills as taxonomy ids: the listed skills plus those read from its description.

A description may say what is a must and what is a plus ("Must have: PySpark,
Databricks. Nice to have: Airflow, k8s."): the skills of a "must have" list are
required, those of a "nice to have" list are optional extras, and skills named
elsewhere in a description with such lists are extras too (the lists say what is
required). A role title that is a skill's name or abbreviation ("PM", "BA") names
the skill when nothing else does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from staffing_recs.errors import RequestWithoutSkillsError
from staffing_recs.exports import split_level
from staffing_recs.schemas import LEVEL_WORDS, RoleRequest
from staffing_recs.taxonomy import SkillTaxonomy

# Skills read out of a description: optional extras when skills are listed,
# the requirement itself when the description is all there is.
DESCRIBED_MIN_LEVEL = 2
DESCRIBED_EXTRA_WEIGHT = 0.5
# A skill asked for with no level is ranked against this level (a skill written with no level is 3).
UNSTATED_RANK_LEVEL = 3

_MUST = r"must[\s-]*haves?|must[\s-]+have|required(?:\s+skills)?|requirements|essentials?|mandatory"
_NICE = (
    r"nice[\s-]+to[\s-]+haves?|preferred(?:\s+skills)?|desirable|desired|bonus(?:\s+points)?|optional"
    r"|a\s+plus"
)
_HEADING = re.compile(rf"(?i)\b(?:(?P<must>{_MUST})|(?P<nice>{_NICE}))\s*(?::|-|–|—)\s*")
_SECTION_END = re.compile(r"\.(?:\s|$)|\n")
_ITEM_SPLIT = re.compile(r"\s*(?:,|;|\band\b|\+(?=\s))\s*", re.IGNORECASE)
_ALTERNATIVE = re.compile(r"\bor\b", re.IGNORECASE)


@dataclass(frozen=True)
class _Listed:
    skill_id: str
    name: str
    min_level: int | None
    required: bool


def _description_lists(
    text: str, taxonomy: SkillTaxonomy
) -> tuple[list[_Listed], list[str], list[tuple[int, int]]]:
    """Skills of the "must have" / "nice to have" lists of a description, the items not
    understood, and the character spans the lists cover."""
    listed: list[_Listed] = []
    unknown: list[str] = []
    spans: list[tuple[int, int]] = []
    headings = list(_HEADING.finditer(text))
    for number, heading in enumerate(headings):
        stop = headings[number + 1].start() if number + 1 < len(headings) else len(text)
        end = _SECTION_END.search(text, heading.end(), stop)
        section = text[heading.end() : end.start() if end else stop]
        spans.append((heading.start(), heading.end() + len(section)))
        must = heading.group("must") is not None
        for item in (i.strip() for i in _ITEM_SPLIT.split(section)):
            if not item:
                continue
            # "PMP or PRINCE2": either will do, so neither alone is required.
            required = must and not _ALTERNATIVE.search(item)
            name, level = split_level(item, LEVEL_WORDS)
            match = taxonomy.resolve(name)
            if match.known and not _ALTERNATIVE.search(item):
                listed.append(_Listed(match.skill_id, name, level, required))
                continue
            mentions = taxonomy.extract(item)
            if not mentions:
                unknown.append(item)
            for mention in mentions:
                listed.append(_Listed(mention.skill_id, mention.text, level, required))
    return listed, unknown, spans


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
    level_stated: bool = True  # False: the request gave no level (min_level is a floor only)

    @property
    def rank_level(self) -> int:
        """The level fit is ranked against: the minimum when the request states one; else the
        working level (3), so that an expert still ranks above a beginner who also has it."""
        return self.min_level if self.level_stated else max(self.min_level, UNSTATED_RANK_LEVEL)


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
                level_stated="min_level" in skill.model_fields_set,
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
                level_stated=previous.level_stated or "min_level" in skill.model_fields_set,
            )
    description = request.description or ""
    sections, not_understood, spans = _description_lists(description, taxonomy)
    for item in sections:
        previous = merged.get(item.skill_id)
        level = item.min_level or DESCRIBED_MIN_LEVEL
        if previous is None:
            merged[item.skill_id] = Requirement(
                item.skill_id,
                item.name,
                level,
                1.0 if item.required else DESCRIBED_EXTRA_WEIGHT,
                required=item.required,
                known=True,
                from_description=True,
                level_stated=item.min_level is not None,
            )
        elif item.required and not previous.required and previous.from_description:
            merged[item.skill_id] = Requirement(
                item.skill_id,
                previous.name,
                max(level, previous.min_level),
                1.0,
                True,
                True,
                True,
                level_stated=item.min_level is not None,
            )
    unknown.extend(not_understood)
    listed = bool(merged)
    # With skills listed (or lists of musts in the description) the rest of the description
    # only adds optional extras; with none, the description and the role title are all there is.
    outside = description
    for start, end in reversed(spans):
        outside = outside[:start] + " " * (end - start) + outside[end:]
    texts = [outside] if listed else [outside, request.role]
    for text in texts:
        for mention in taxonomy.extract(text):
            if mention.skill_id in merged:
                continue
            merged[mention.skill_id] = Requirement(
                mention.skill_id,
                mention.text,
                DESCRIBED_MIN_LEVEL,
                DESCRIBED_EXTRA_WEIGHT if listed else 1.0,
                required=not listed,
                known=True,
                from_description=True,
                level_stated=False,
            )
    if not merged and request.role.strip():
        # A role that is a skill's name or abbreviation ("PM", "BA").
        match = taxonomy.resolve(request.role)
        if match.known and match.how in ("name", "alias", "qualifier"):
            merged[match.skill_id] = Requirement(
                match.skill_id,
                request.role,
                DESCRIBED_MIN_LEVEL,
                1.0,
                True,
                True,
                True,
                how=match.how,
                level_stated=False,
            )
    if not merged:
        raise RequestWithoutSkillsError(request.request_id)
    return list(merged.values()), unknown
