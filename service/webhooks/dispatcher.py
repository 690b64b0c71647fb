"""Delivers outbox events to subscribers (interface; the webhooks owner implements it)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from service.settings import Settings


class WebhookDispatcher:
    """Runs in the service process: started in the FastAPI lifespan, stopped on shutdown."""

    def __init__(self, settings: Settings, session_factory: Callable[[], Session]) -> None:
        self.settings = settings
        self.session_factory = session_factory

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass
