"""The geo stage: find place names in parsed text, resolve them against a GeoNames gazetteer, place events.

``PlaceTagger`` is the entry point; ``recognisers`` finds the names, ``gazetteer`` holds the compact name index
they are resolved against, ``data_files`` and ``words`` read the data files (``validate_file`` checks one).
"""

from dragoman.geo.data_files import GEO_KINDS, validate_file
from dragoman.geo.distance import haversine_km
from dragoman.geo.gazetteer import Gazetteer, load_gazetteer
from dragoman.geo.tagger import PlaceTagger

__all__ = ["GEO_KINDS", "Gazetteer", "PlaceTagger", "haversine_km", "load_gazetteer", "validate_file"]
