"""The review console: server-rendered pages for the people who decide."""

from service.console.routes import router

__all__ = ["router"]
