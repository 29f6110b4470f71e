"""The API's routes, one router per concern; :func:`dragoman.api.app.create_app` includes them in this order
(which is the order of the paths in the OpenAPI document)."""

from dragoman.api.routes import aggregates, articles, corrections, dashboard, events, meta, submit, watch

ROUTERS = (dashboard.router, meta.router, events.router, articles.router, aggregates.router, watch.router,
           submit.router, corrections.router)

__all__ = ["ROUTERS"]
