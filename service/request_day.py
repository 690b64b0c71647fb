"""The day a role request was made, for requests that do not say it.

A delivery manager writes ``"start": "ASAP"`` or ``"early Q3"``; staffing reads
them against the request's ``requested_on`` (or one of its spellings, e.g.
``request_date``), and refuses them without one. A request that reaches the
API or the CLI is made on the day it arrives, so both supply that day (UTC)
when the request names none; a request that gives its own day keeps it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from staffing_recs.exports import REQUEST_FIELDS, key_form, team_records


def today_utc() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def names_request_day(record: dict[str, Any]) -> bool:
    return any(isinstance(key, str) and REQUEST_FIELDS.get(key_form(key)) == "requested_on" for key in record)


def with_request_day(record: Any, day: dt.date) -> Any:
    """``record`` with ``requested_on`` = ``day`` when it is a request naming no day of its own."""
    if not isinstance(record, dict) or names_request_day(record):
        return record
    return {**record, "requested_on": day.isoformat()}


def team_with_request_day(data: Any, day: dt.date) -> Any:
    """A team request file (a list of requests, or a team with shared fields) with each role dated."""
    if isinstance(data, dict):
        roles = team_records(data)
        if roles is None:
            return data
        data = roles
    if isinstance(data, list):
        return [with_request_day(role, day) for role in data]
    return data
