"""Command-line interface: a thin layer over the application layer (:mod:`dragoman.jobs`,
:mod:`dragoman.evaluation`), the store and the coder.

One module per command group, each registering its commands on :data:`dragoman.cli.app.main`; what they share
is in :mod:`dragoman.cli.app` (the group, the exit codes, opening the store), :mod:`dragoman.cli.inputs`
(reading the inputs) and :mod:`dragoman.cli.output` (printing).
"""

from dragoman.cli import aggregate as _aggregate  # noqa: F401
from dragoman.cli import alerts as _alerts  # noqa: F401
from dragoman.cli import articles as _articles  # noqa: F401
from dragoman.cli import batch as _batch  # noqa: F401
from dragoman.cli import claims as _claims  # noqa: F401
from dragoman.cli import code as _code  # noqa: F401
from dragoman.cli import corrections as _corrections  # noqa: F401
from dragoman.cli import dates as _dates  # noqa: F401
from dragoman.cli import demo as _demo  # noqa: F401
from dragoman.cli import evaluate as _evaluate  # noqa: F401
from dragoman.cli import events as _events  # noqa: F401
from dragoman.cli import export as _export  # noqa: F401
from dragoman.cli import feeds as _feeds  # noqa: F401
from dragoman.cli import ingest as _ingest  # noqa: F401
from dragoman.cli import lexicon as _lexicon  # noqa: F401
from dragoman.cli import places as _places  # noqa: F401
from dragoman.cli import recode as _recode  # noqa: F401
from dragoman.cli import serve as _serve  # noqa: F401
from dragoman.cli import stories as _stories  # noqa: F401
from dragoman.cli import watch as _watch  # noqa: F401
from dragoman.cli.app import main

__all__ = ["main"]
