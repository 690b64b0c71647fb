"""Handoff's settings: one class, read from ``HANDOFF_*`` environment variables.

Settings are read once at an entry point (the CLI, ``create_app``) and passed
down; domain packages never read the environment themselves.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HANDOFF_", extra="ignore")

    home: Path = Field(
        default=Path(".handoff"), description="All local state: database, MLflow store, documents."
    )
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; SQLite under `home` when unset."
    )
    mlflow_uri: str | None = Field(
        default=None, description="MLflow tracking URI; a SQLite store under `home` when unset."
    )

    log_level: str = "INFO"
    log_json: bool = True

    # Request limits: a body over max_body_bytes is refused before it is read in full.
    max_body_bytes: int = 25 * 1024 * 1024
    max_pdf_pages: int = 500
    max_batch_items: int = 100_000

    # Anomaly scoring: the share of items the default threshold sends to review.
    review_budget: float = Field(default=0.02, gt=0, lt=1)

    # Models: train and register the defaults on first start when no champion exists.
    bootstrap_models: bool = True

    # Webhook delivery.
    webhook_max_attempts: int = Field(default=8, ge=1)
    webhook_backoff_base_seconds: float = Field(default=1.0, gt=0)
    webhook_backoff_max_seconds: float = Field(default=300.0, gt=0)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    webhook_poll_seconds: float = Field(default=0.5, gt=0)
    webhook_allow_private: bool = Field(
        default=True,
        description="Accept webhook URLs on loopback, private and link-local addresses (an engine on the"
        " firm's own network); false for a service other tenants can register webhooks on.",
    )

    # Policy files a firm may replace.
    playbook_path: Path | None = None
    skills_taxonomy_path: Path | None = None

    # The optional LLM extraction backend (any OpenAI-compatible server).
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout_seconds: float = Field(default=60.0, gt=0)
    llm_temperature: float = Field(default=0.0, ge=0, le=2)
    llm_max_tokens: int = Field(default=4096, gt=0)
    llm_deadline_seconds: float = Field(default=180.0, gt=0)
    llm_max_concurrency: int = Field(default=4, ge=1, description="LLM requests in flight at once.")
    llm_cache: Literal["memory", "folder", "none"] = Field(
        default="memory", description="Cache identical LLM requests in memory, in `home`/llm-cache, or not."
    )

    # The review console.
    session_ttl_minutes: int = Field(default=8 * 60, gt=0)

    # API keys verified in the last few seconds authenticate without a database read. A key revoked
    # by another process (`handoff keys revoke`, another worker) still works here for at most this long.
    api_key_cache_seconds: float = Field(
        default=5.0, ge=0, le=300, description="How long a verified API key is trusted; 0 turns it off."
    )

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'handoff.db').resolve()}"

    @property
    def resolved_mlflow_uri(self) -> str:
        if self.mlflow_uri:
            return self.mlflow_uri
        return f"sqlite:///{(self.home / 'mlflow' / 'mlflow.db').resolve()}"

    @property
    def mlflow_artifact_root(self) -> Path:
        return (self.home / "mlflow" / "artifacts").resolve()

    def ensure_home(self) -> Path:
        self.home.mkdir(parents=True, exist_ok=True)
        return self.home
