"""Shared helpers of the time-entry and invoice specs: where training data comes from."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from training.firm_generator import Firm, generate_firm

LABEL_COLUMNS = ("label_kind",)


def quick_firm(seed: int, *, quick: bool) -> Firm:
    """The generated firm a spec trains on when it is given no history."""
    if quick:
        return generate_firm(seed=seed, n_people=20, n_projects=9, months=5)
    return generate_firm(seed=seed)


def without_labels(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=[c for c in LABEL_COLUMNS if c in frame.columns])


def resolve(path: Path, names: tuple[str, ...]) -> Path:
    """A file, or the first of ``names`` inside a folder."""
    if path.is_dir():
        for name in names:
            if (path / name).is_file():
                return path / name
        raise FileNotFoundError(f"{path.name}: none of {', '.join(names)} in the folder")
    return path


def sha256_of(*paths: Path | None) -> str:
    digest = hashlib.sha256()
    for path in paths:
        if path is not None and path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def frame_sha256(*frames: pd.DataFrame) -> str:
    digest = hashlib.sha256()
    for frame in frames:
        digest.update(pd.util.hash_pandas_object(frame.astype(str), index=False).to_numpy().tobytes())
    return digest.hexdigest()
