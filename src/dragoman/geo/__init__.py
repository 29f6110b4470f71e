"""The geo stage: find place names in parsed text, resolve them against a GeoNames gazetteer, place events.

``PlaceTagger`` is the entry point; ``recognisers`` finds the names, ``gazetteer`` holds the compact name index
they are resolved against, ``data_files`` and ``words`` read the data files (``validate_file`` checks one).
"""

from typing import TYPE_CHECKING, Any

from dragoman.geo.data_files import GEO_KINDS, validate_file
from dragoman.geo.distance import haversine_km

if TYPE_CHECKING:
    from dragoman.geo.gazetteer import Gazetteer, load_gazetteer
    from dragoman.geo.tagger import PlaceTagger

# The tagger loads spaCy and the gazetteer its index: imported when first asked for, so what reads only the data
# files (the exports' country codes, the data checker) starts fast.
_WHERE = {"Gazetteer": "gazetteer", "load_gazetteer": "gazetteer", "PlaceTagger": "tagger"}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"dragoman.geo.{module}"), name)

__all__ = ["GEO_KINDS", "Gazetteer", "PlaceTagger", "haversine_km", "load_gazetteer", "validate_file"]
