"""Same data, seed and code -> the same model and the same metrics, for every registered
model in its quick configuration (no MLflow: what is compared is what the lifecycle logs)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from training.lifecycle import example_frame
from training.registry import get_model_spec, model_names
from training.spec import TrainingInputs


def _folder_digest(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.slow
@pytest.mark.parametrize("short_name", model_names())
def test_real_spec_trains_reproducibly_in_quick_mode(short_name: str, tmp_path: Path) -> None:
    spec = get_model_spec(short_name)
    inputs = TrainingInputs(seed=7, quick=True)
    first = spec.train(inputs)
    second = spec.train(inputs)

    assert first.data_sha256 == second.data_sha256 != ""
    assert first.metrics == second.metrics
    assert first.params == second.params
    for name, trained in (("one", first), ("two", second)):
        (tmp_path / name).mkdir()
        spec.save(trained.model, tmp_path / name)
    reloaded = [spec.load(tmp_path / "one"), spec.load(tmp_path / "two")]
    predict = getattr(spec, "predict", None)
    if predict is not None and first.input_example is not None:
        one, two = (predict(model, example_frame(first.input_example)) for model in reloaded)
        pd.testing.assert_frame_equal(pd.DataFrame(one), pd.DataFrame(two))
    else:
        assert _folder_digest(tmp_path / "one") == _folder_digest(tmp_path / "two")
