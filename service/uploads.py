"""Multipart uploads, read the same way by every route that takes a file.

- a body that does not parse as multipart (no boundary, cut short) is the
  ``malformed-multipart`` problem (400), not the framework's bare 400;
- a part sent twice (two ``file`` parts) is a 422 naming it: which one was
  meant cannot be guessed, and taking the last one silently scored or
  extracted the wrong file;
- a filename keeps only its last path segment: a client's
  ``../../etc/passwd.txt`` or ``C:\\Users\\ana\\sow.pdf`` is stored and
  shown as ``passwd.txt`` or ``sow.pdf``.
"""

from __future__ import annotations

import re

from fastapi import Request
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException

from service.problems import ProblemError

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_FILENAME_CHARS = 255


async def read_form(request: Request) -> FormData:
    """The request's multipart (or urlencoded) form, or ``malformed-multipart``."""
    try:
        return await request.form()
    except MultiPartException as exc:
        reason = exc.message
    except HTTPException as exc:  # Starlette's own wrapping of the parser's error, inside an app
        if exc.status_code != 400:
            raise
        reason = str(exc.detail)
    raise ProblemError(
        400,
        "malformed-multipart",
        "Malformed multipart body",
        f"The multipart body cannot be read: {reason.rstrip('.')}.",
    )


def single_part(form: FormData, name: str) -> UploadFile | str | None:
    """The form's one ``name`` part (None when absent); 422 when it was sent more than once."""
    values = form.getlist(name)
    if len(values) > 1:
        raise ProblemError(
            422,
            "validation-error",
            "Invalid request",
            f"The multipart body has {len(values)} `{name}` parts; send exactly one.",
            errors=[{"loc": ["body", name], "msg": "sent more than once", "type": "duplicate_part"}],
        )
    return values[0] if values else None


def safe_filename(filename: str | None) -> str | None:
    """The last segment of a client's filename, without control characters; None when nothing is left."""
    if not filename:
        return None
    name = _CONTROL.sub("", re.split(r"[\\/]", filename)[-1]).strip()
    if name in ("", ".", ".."):
        return None
    return name[-MAX_FILENAME_CHARS:]
