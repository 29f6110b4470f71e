"""Great-circle distance between two points of the Earth (the one formula geo and its evaluation share)."""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0  # mean radius: the figure GeoNames-based scorers use


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Kilometres between two points given in degrees, by the haversine formula."""
    la1, lo1, la2, lo2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    # Rounding can push h a hair above 1 for antipodal points; asin would then fail.
    return EARTH_RADIUS_KM * 2 * math.asin(min(1.0, math.sqrt(h)))
