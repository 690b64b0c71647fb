"""The day a role request was made, supplied by the API and the CLI only when the request has none."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from service.request_day import team_with_request_day, today_utc, with_request_day

DAY = dt.date(2026, 12, 1)


def test_a_request_without_a_day_is_dated() -> None:
    assert with_request_day({"request_id": "R-1", "start": "ASAP"}, DAY) == {
        "request_id": "R-1",
        "start": "ASAP",
        "requested_on": "2026-12-01",
    }


def test_a_day_under_any_of_its_spellings_is_kept() -> None:
    for key in ("requested_on", "Request Date", "submitted_on", "created_at", "As of"):
        record = {"request_id": "R-1", key: "2026-05-04"}
        assert with_request_day(record, DAY) == record, key


def test_what_is_not_a_request_object_is_left_to_validation() -> None:
    assert with_request_day(["R-1"], DAY) == ["R-1"]
    assert with_request_day(None, DAY) is None


def test_a_team_file_dates_each_role_and_keeps_a_team_day() -> None:
    listed = team_with_request_day([{"request_id": "R-1"}, {"request_id": "R-2", "as_of": "2026-01-05"}], DAY)
    assert [r.get("requested_on", r.get("as_of")) for r in listed] == ["2026-12-01", "2026-01-05"]
    shared = team_with_request_day({"request_date": "2026-02-02", "roles": [{"request_id": "R-3"}]}, DAY)
    assert shared == [{"requested_on": "2026-02-02", "request_id": "R-3"}]


def test_today_is_the_utc_date_whatever_the_machine_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    # A zone whose date differs from UTC's now (14 h ahead, or 12 h behind): a local "today" fails.
    now = dt.datetime.now(dt.UTC)
    zone = "Etc/GMT-14" if now.hour >= 10 else "Etc/GMT+12"
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        assert dt.date.today() != now.date() or dt.datetime.now(dt.UTC).date() != now.date()
        assert today_utc() in {now.date(), dt.datetime.now(dt.UTC).date()}
    finally:
        monkeypatch.undo()
        time.tzset()
