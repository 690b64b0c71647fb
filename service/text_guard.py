"""Refuse text the databases cannot store: the NUL character.

PostgreSQL's ``text`` and ``jsonb`` reject U+0000 (SQLite keeps it), so a NUL
in a title, a reason or a JSON finding used to reach the database and come
back as a 500 on PostgreSQL only. It is refused where requests come in
instead, the same on both databases, before anything is written.
"""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import Request

from service.middleware import is_json_media_type, media_type_of
from service.problems import ProblemError

NUL = "\x00"
# A JSON escape of U+0000 (any hex case), not preceded by an escaping backslash.
_ESCAPED_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)
_JSON_WRITES = ("POST", "PUT", "PATCH")


def find_nul(value: Any, path: str = "") -> str | None:
    """The JSON path of the first string (or key) in ``value`` holding a NUL, else None."""
    if isinstance(value, str):
        return path or "(body)" if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and NUL in key:
                return where
            found = find_nul(item, where)
            if found is not None:
                return found
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = find_nul(item, f"{path}[{index}]")
            if found is not None:
                return found
    return None


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def find_lone_surrogate(value: Any, path: str = "") -> str | None:
    """The JSON path of the first string (or key) in ``value`` holding a lone UTF-16 surrogate.

    Python strings can hold one (from a ``"\\ud800"`` escape); no database driver can encode it.
    """
    if isinstance(value, str):
        return path or "(body)" if _LONE_SURROGATE.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            found = find_lone_surrogate(key, where) or find_lone_surrogate(item, where)
            if found is not None:
                return found
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = find_lone_surrogate(item, f"{path}[{index}]")
            if found is not None:
                return found
    return None


def reject_nul(value: Any) -> Any:
    """A pydantic after-validator: ``value`` unchanged, or a ValueError naming where the NUL (or a
    lone surrogate, which no database can store either) is."""
    where = find_nul(value)
    if where is not None:
        raise ValueError(f"text must not contain the NUL character (U+0000), found at {where}")
    where = find_lone_surrogate(value)
    if where is not None:
        raise ValueError(f"text must not contain a lone UTF-16 surrogate, found at {printable(where)}")
    return value


def printable(text: str) -> str:
    """``text`` with any lone surrogate written as its escape, so an error message can be encoded."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


async def refuse_nul_in_json(request: Request) -> None:
    """422 ``nul-character`` for a JSON request body with a NUL in any string or key."""
    if request.method not in _JSON_WRITES:
        return
    content_type = request.headers.get("content-type")
    if not content_type or not is_json_media_type(media_type_of(content_type)):
        return
    body = await request.body()
    if not _ESCAPED_NUL.search(body):
        return
    try:
        where = find_nul(json.loads(body))
    except (ValueError, RecursionError):
        # Malformed or too deeply nested JSON gets its own problem from the route's strict parsing.
        return
    if where is not None:
        raise ProblemError(
            422,
            "nul-character",
            "NUL character in text",
            f"The JSON body holds the NUL character (U+0000) at {where}; it cannot be stored. "
            "Remove it and send the request again.",
        )
