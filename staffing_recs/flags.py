"""Findings routed to a delivery lead: what falls outside policy.

- ``margin.below_policy``: the top-ranked candidate's margin at the offered
  bill rate is below the request's ``min_margin`` (high when negative).
- ``staffing.no_eligible``: nobody passes the hard constraints; the nearest
  misses come with what would make each eligible.
- ``margin.unconverted_currency``: some costs are in another currency and no
  exchange-rate table was given, so their margin is unknown.
"""

from __future__ import annotations

from collections.abc import Sequence

from staffing_recs.constraints import ExclusionDetail
from staffing_recs.schemas import Candidate, NearMiss, RoleRequest, StaffingFlag

DELIVERY = "delivery"
NEAREST_MISSES = 3


def margin_flag(
    request: RoleRequest, candidates: Sequence[Candidate], *, subject: str = "best available candidate"
) -> StaffingFlag | None:
    """``margin.below_policy`` when the first candidate's margin is under the policy, else None.

    Parameters
    ----------
    request : RoleRequest
    candidates : sequence of Candidate
        Ranked, best first (for a team: the assigned person alone).
    subject : str
        How the message names the first candidate.

    Returns
    -------
    StaffingFlag or None
    """
    if request.min_margin is None or not candidates or candidates[0].margin is None:
        return None
    best = candidates[0]
    assert best.margin is not None
    if best.margin >= request.min_margin - 1e-9:
        return None
    meeting = [c for c in candidates if c.margin is not None and c.margin >= request.min_margin - 1e-9]
    message = f"{subject} gives {best.margin:.0%} margin; policy is {request.min_margin:.0%}"
    if meeting:
        message += f" ({meeting[0].person_id}, ranked {meeting[0].rank}, meets it)"
    return StaffingFlag(
        rule="margin.below_policy",
        route=DELIVERY,
        severity="high" if best.margin < 0 else "medium",
        message=message,
        request_id=request.request_id,
        details={
            "person_id": best.person_id,
            "margin": round(best.margin, 4),
            "min_margin": request.min_margin,
            "bill_rate": request.bill_rate,
            "first_meeting_policy": meeting[0].person_id if meeting else None,
        },
    )


def nearest_misses(details: Sequence[ExclusionDetail], person_ids: Sequence[str]) -> list[NearMiss]:
    ordered = sorted(details, key=lambda d: (d.distance, person_ids[d.row]))
    return [NearMiss(person_id=person_ids[d.row], changes=d.changes) for d in ordered[:NEAREST_MISSES]]


def no_eligible_flag(request: RoleRequest, misses: Sequence[NearMiss], *, considered: int) -> StaffingFlag:
    """``staffing.no_eligible`` with the nearest misses and what would make each eligible."""
    label = f"{request.request_id} ({request.role})" if request.role else request.request_id
    if misses:
        nearest = "; ".join(f"{m.person_id}: {', '.join(m.changes)}" for m in misses)
        message = f"nobody of {considered} is eligible for {label}; nearest: {nearest}"
    else:
        message = f"nobody is eligible for {label}: the people directory is empty"
    return StaffingFlag(
        rule="staffing.no_eligible",
        route=DELIVERY,
        severity="high",
        message=message,
        request_id=request.request_id,
        details={"considered": considered, "nearest_misses": [m.model_dump() for m in misses]},
    )


def currency_flag(request: RoleRequest, currencies: Sequence[str], affected: int) -> StaffingFlag | None:
    if not currencies:
        return None
    return StaffingFlag(
        rule="margin.unconverted_currency",
        route=DELIVERY,
        severity="low",
        message=(
            f"{affected} candidate(s) cost in {', '.join(currencies)} "
            f"and the bill rate is in {request.currency}; "
            "give exchange rates to compute their margin"
        ),
        request_id=request.request_id,
        details={"currencies": list(currencies), "bill_currency": request.currency},
    )
