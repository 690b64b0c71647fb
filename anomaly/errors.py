"""Errors raised by the anomaly package.

Every error derives from ``AnomalyError`` so a caller can catch the whole
package at once; the service maps each class to one problem+json ``type``.

::

    AnomalyError
    ├── InputError                  the batch as a whole cannot be read
    │   ├── MissingColumnsError     required columns absent (names them)
    │   ├── MalformedInputError     broken CSV quoting, JSON that does not parse, wrong shape
    │   ├── InputEncodingError      bytes that are not UTF-8
    │   ├── EmptyBatchError         no rows at all
    │   └── BatchTooLargeError      more rows than the caller's limit
    ├── ContextError                the scoring context does not validate
    ├── NotFittedError              a model used before ``fit``
    ├── TrainingDataError           too little or unusable history to learn from
    └── ModelArtifactError          a saved model folder that is missing or corrupt

Row-level problems (NaN hours, a date that does not parse, an unknown
currency, ...) are not exceptions: those rows are returned as
``RejectedRow`` beside the scored ones, so a mixed batch loses nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "AnomalyError",
    "BatchTooLargeError",
    "ContextError",
    "EmptyBatchError",
    "InputEncodingError",
    "InputError",
    "MalformedInputError",
    "MissingColumnsError",
    "ModelArtifactError",
    "NotFittedError",
    "TrainingDataError",
]


class AnomalyError(Exception):
    """Base class of every error the anomaly package raises."""


class InputError(AnomalyError):
    """The input batch as a whole cannot be read."""


class MissingColumnsError(InputError):
    """Required columns are absent from the input."""

    def __init__(self, missing: Sequence[str], *, what: str = "input") -> None:
        self.missing = sorted(missing)
        self.what = what
        super().__init__(f"{what} is missing required column(s): {', '.join(self.missing)}")


class MalformedInputError(InputError):
    """The input does not parse: broken CSV quoting, invalid JSON, or the wrong shape."""


class InputEncodingError(InputError):
    """The input bytes are not valid UTF-8."""


class EmptyBatchError(InputError):
    """The batch has no rows."""


class BatchTooLargeError(InputError):
    """The batch has more rows than the caller allows."""

    def __init__(self, rows: int, limit: int, *, what: str = "batch") -> None:
        self.rows = rows
        self.limit = limit
        super().__init__(f"{what} has {rows} rows; the limit is {limit}")


class ContextError(AnomalyError):
    """The scoring context (projects, people, holidays) does not validate."""


class NotFittedError(AnomalyError, ValueError):
    """A model was used before ``fit`` (also a ``ValueError``, as scikit-learn's is)."""


class TrainingDataError(AnomalyError):
    """The training history is too small or unusable."""


class ModelArtifactError(AnomalyError):
    """A saved model folder is missing, incomplete or corrupt."""
