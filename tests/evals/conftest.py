"""Fixtures for the lifecycle tests: a temporary MLflow store per test (copied from a
migrated template) and the toy specs and suites of tests/lifecycle_toys.py."""

from tests.lifecycle_toys import mlflow_template_db, model_store

__all__ = ["mlflow_template_db", "model_store"]
