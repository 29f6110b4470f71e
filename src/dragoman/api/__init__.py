"""The HTTP face of Dragoman: a FastAPI app over the query layer (read endpoints, one guarded write endpoint)
that also serves the dashboard (:mod:`dragoman.web`). ``dragoman serve`` runs it."""

from dragoman.api.app import create_app

__all__ = ["create_app"]
