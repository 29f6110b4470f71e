"""Command-line interface: a thin layer over the pipeline, the store and the query layer.

Each module registers its commands on :data:`dragoman.cli.app.main`.
"""

from dragoman.cli import batch as _batch  # noqa: F401
from dragoman.cli import code as _code  # noqa: F401
from dragoman.cli import dates as _dates  # noqa: F401
from dragoman.cli import demo as _demo  # noqa: F401
from dragoman.cli import ingest as _ingest  # noqa: F401
from dragoman.cli import places as _places  # noqa: F401
from dragoman.cli import serve as _serve  # noqa: F401
from dragoman.cli import stories as _stories  # noqa: F401
from dragoman.cli.app import main

__all__ = ["main"]
