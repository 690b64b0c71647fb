from __future__ import annotations

import importlib
from pathlib import Path

import staffing_recs


def test_all_is_sorted_and_importable() -> None:
    names = staffing_recs.__all__
    assert names == sorted(names)
    for name in names:
        assert hasattr(staffing_recs, name), name


def test_library_imports_no_service_or_frameworks() -> None:
    import sys

    for module_name in ("staffing_recs.team", "staffing_recs.recommender", "staffing_recs.taxonomy"):
        importlib.import_module(module_name)
    forbidden = {"fastapi", "sqlalchemy", "mlflow", "service"}
    for name, module in list(sys.modules.items()):
        if name.startswith("staffing_recs") and module is not None:
            source = getattr(module, "__file__", "") or ""
            if source.endswith(".py"):
                text = Path(source).read_text(encoding="utf-8")
                for lib in forbidden:
                    assert f"import {lib}" not in text and f"from {lib}" not in text, (name, lib)
