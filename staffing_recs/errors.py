"""The staffing library's exception tree.

::

    StaffingError                 every error raised on purpose by staffing_recs
    ├── InvalidPeopleError        a people file/list that is not the contract's shape
    │   └── DuplicatePersonError  two people share a person_id
    ├── InvalidRequestError       a role request that cannot be staffed as given
    │   └── RequestWithoutSkillsError  no skills given and none readable from the description
    ├── TaxonomyError             a skill taxonomy file that cannot be used
    └── StaffingModelError        a saved ranking model that is missing or corrupt

Unknown skill names are not errors: they are matched by their normalised
spelling only and reported in ``Recommendation.unknown_skills``.
"""

from __future__ import annotations


class StaffingError(Exception):
    """Base of every error staffing_recs raises on purpose."""


class InvalidPeopleError(StaffingError, ValueError):
    """The people input is not a list of people in the contract's shape."""


class DuplicatePersonError(InvalidPeopleError):
    """Two people in one directory share a ``person_id``."""

    def __init__(self, person_ids: list[str]) -> None:
        self.person_ids = person_ids
        shown = ", ".join(person_ids[:5]) + (" …" if len(person_ids) > 5 else "")
        super().__init__(f"duplicate person_id in people: {shown}")


class InvalidRequestError(StaffingError, ValueError):
    """A role request that cannot be staffed as given."""


class RequestWithoutSkillsError(InvalidRequestError):
    """The request names no skills and none could be read from its description."""

    def __init__(self, request_id: str) -> None:
        self.request_id = request_id
        super().__init__(
            f"request {request_id!r} has no skills: give `skills`, or a `description` or `role` naming some"
        )


class TaxonomyError(StaffingError, ValueError):
    """A skill taxonomy file that is unreadable or inconsistent."""


class StaffingModelError(StaffingError):
    """A saved staffing ranking model that is missing or corrupt."""
