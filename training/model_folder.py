"""A saved model folder as the scikit-learn specs write it: the pickled estimator beside a
small JSON of what it is (format version, library version, what its spec checks on load).

Loading reads the metadata first and the pickle second, and turns every way a folder can be
damaged (a file missing, unreadable JSON, another format, a truncated or foreign pickle) into
the domain's own error, so a corrupt model is refused by name instead of crashing the caller.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import joblib
import sklearn

MODEL_FILE = "model.joblib"
META_FILE = "meta.json"


def save_model_folder(model: Any, directory: Path, meta: dict[str, Any], *, format_version: int) -> None:
    """Write ``model`` and ``meta`` (with the format and scikit-learn versions) into ``directory``."""
    directory = Path(directory)
    joblib.dump(model, directory / MODEL_FILE)
    meta = {"format_version": format_version, **meta, "sklearn": sklearn.__version__}
    (directory / META_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True), encoding="utf-8")


def load_model_folder(
    directory: Path, *, what: str, format_version: int, error: type[Exception]
) -> tuple[Any, dict[str, Any]]:
    """The unpickled model and its metadata; ``error`` (a message naming ``what``) when damaged."""
    directory = Path(directory)
    meta_path, model_path = directory / META_FILE, directory / MODEL_FILE
    if not meta_path.is_file() or not model_path.is_file():
        raise error(f"{what} folder {directory.name!r} lacks {META_FILE} or {MODEL_FILE}")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise error(f"{what} metadata is unreadable: {exc}") from None
    if not isinstance(meta, dict) or meta.get("format_version") != format_version:
        found = meta.get("format_version") if isinstance(meta, dict) else "?"
        raise error(f"{what} format {found} is not {format_version}")
    try:
        model = joblib.load(model_path)
    except Exception as exc:  # truncated or foreign pickle: any error means corrupt
        raise error(f"{what} file is corrupt: {type(exc).__name__}: {exc}") from None
    return model, meta
