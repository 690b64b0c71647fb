"""Save a fitted anomaly model to a folder and read it back, refusing a
folder that is incomplete, tampered with or of another format."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import joblib

from anomaly.errors import ModelArtifactError
from anomaly.features import INVOICE_FEATURES, TIME_ENTRY_FEATURES
from anomaly.model import (
    InvoiceAnomalyModel,
    TimeEntryAnomalyModel,
    check_is_fitted,
    require_computed_features,
)

__all__ = ["FORMAT_VERSION", "load_model", "save_model"]

FORMAT_VERSION = 1
_MODEL_FILE = "model.joblib"
_META_FILE = "anomaly-model.json"
_KINDS: dict[str, type[TimeEntryAnomalyModel] | type[InvoiceAnomalyModel]] = {
    "time-entries": TimeEntryAnomalyModel,
    "invoices": InvoiceAnomalyModel,
}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save_model(model: TimeEntryAnomalyModel | InvoiceAnomalyModel, directory: Path) -> None:
    """Write a fitted model into ``directory`` (``model.joblib`` and a checksummed manifest).

    Parameters
    ----------
    model
        A fitted ``TimeEntryAnomalyModel`` or ``InvoiceAnomalyModel``.
    directory
        An existing folder.
    """
    check_is_fitted(model)
    kind = "time-entries" if isinstance(model, TimeEntryAnomalyModel) else "invoices"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / _MODEL_FILE
    joblib.dump(model, path, compress=3)
    manifest = {"format_version": FORMAT_VERSION, "kind": kind, "sha256": _sha256(path)}
    (directory / _META_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def load_model(directory: Path, *, kind: str | None = None) -> Any:
    """Read a model written by ``save_model``.

    Parameters
    ----------
    directory
        The folder ``save_model`` wrote.
    kind
        ``"time-entries"`` or ``"invoices"`` to insist on one kind.

    Returns
    -------
    TimeEntryAnomalyModel or InvoiceAnomalyModel

    Raises
    ------
    ModelArtifactError
        The folder is missing a file, its checksum does not match, or it holds another kind.
    """
    meta_path, path = directory / _META_FILE, directory / _MODEL_FILE
    if not meta_path.is_file() or not path.is_file():
        raise ModelArtifactError(
            f"{directory.name}: not an anomaly model folder ({_META_FILE} or {_MODEL_FILE} missing)"
        )
    try:
        manifest = json.loads(meta_path.read_text(encoding="utf-8"))
        expected_kind, digest, version = manifest["kind"], manifest["sha256"], manifest["format_version"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelArtifactError(f"{directory.name}: unreadable manifest ({exc})") from None
    if version != FORMAT_VERSION:
        raise ModelArtifactError(
            f"{directory.name}: format version {version}; this code reads {FORMAT_VERSION}"
        )
    if kind is not None and kind != expected_kind:
        raise ModelArtifactError(f"{directory.name}: holds a {expected_kind} model, not {kind}")
    if _sha256(path) != digest:
        raise ModelArtifactError(f"{directory.name}: {_MODEL_FILE} does not match its checksum (corrupt)")
    try:
        model = joblib.load(path)
    except Exception as exc:  # joblib raises many kinds for a damaged pickle
        raise ModelArtifactError(
            f"{directory.name}: cannot load {_MODEL_FILE} ({type(exc).__name__})"
        ) from None
    if not isinstance(model, _KINDS[expected_kind]):
        raise ModelArtifactError(f"{directory.name}: {_MODEL_FILE} holds a {type(model).__name__}")
    # Refused now, not at the first request it would score.
    computed = TIME_ENTRY_FEATURES if expected_kind == "time-entries" else INVOICE_FEATURES
    require_computed_features(list(model.feature_names_in_), computed, who=f"{directory.name}: the model")
    return model
