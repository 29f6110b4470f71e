"""The geo stage: find place names in parsed text, resolve them against a GeoNames gazetteer, and place events.

``PlaceTagger`` is the entry point; ``gazetteer`` holds the compact name index it resolves against.
"""

from dragoman.geo.gazetteer import Gazetteer, load_gazetteer
from dragoman.geo.tagger import PlaceTagger

__all__ = ["Gazetteer", "PlaceTagger", "load_gazetteer"]
