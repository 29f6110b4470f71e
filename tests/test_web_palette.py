"""The dashboard's colours stay apart for every kind of colour vision: each palette of app.css (the four
QuadClasses, the five shading classes) is simulated as seen with protanopia, deuteranopia and tritanopia
(Machado, Oliveira and Fernandes 2009, full severity, applied in linear RGB) and every pair of its colours must
still differ by a visible amount (CIE 1976 colour difference in CIELAB)."""

from __future__ import annotations

import re
from itertools import combinations

import pytest

from dragoman.web import STATIC_DIR

# Machado et al. (2009), severity 1.0: linear-RGB matrices of the three dichromacies.
SIMULATIONS = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}
# Beyond about 10 two flat colours are told apart at a glance; the shading classes are ordered steps of one hue,
# where a smaller step still reads as "more".
PALETTES = {"quad class": (("q1", "q2", "q3", "q4"), 10.0), "shading": (("shade1", "shade2", "shade3", "shade4", "shade5"), 6.0)}


def css_colours() -> dict[str, str]:
    css = (STATIC_DIR / "app.css").read_text(encoding="utf-8")
    return dict(re.findall(r"--([a-z0-9]+):\s*(#[0-9a-fA-F]{6})", css))


def linear(hex_colour: str) -> tuple[float, ...]:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    return tuple(channel(int(hex_colour[i:i + 2], 16)) for i in (1, 3, 5))


def lab(rgb: tuple[float, ...]) -> tuple[float, float, float]:
    r, g, b = (min(1.0, max(0.0, v)) for v in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def seen(hex_colour: str, matrix) -> tuple[float, float, float]:
    rgb = linear(hex_colour)
    return lab(tuple(sum(m * c for m, c in zip(row, rgb, strict=True)) for row in matrix))


def distance(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    return sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5


@pytest.mark.parametrize("palette", PALETTES)
def test_every_palette_stays_apart_in_every_colour_vision(palette: str) -> None:
    colours = css_colours()
    names, least = PALETTES[palette]
    assert set(names) <= set(colours), f"app.css lost a colour of the {palette} palette"
    identity = ((1, 0, 0), (0, 1, 0), (0, 0, 1))
    for vision, matrix in {"typical": identity, **SIMULATIONS}.items():
        for a, b in combinations(names, 2):
            gap = distance(seen(colours[a], matrix), seen(colours[b], matrix))
            assert gap >= least, f"{palette}: --{a} and --{b} differ by only {gap:.1f} with {vision}"


def test_the_check_tells_colours_apart_only_where_they_differ() -> None:
    """The simulation itself: red and green, apart in typical vision, nearly merge with deuteranopia."""
    red, green = "#d62728", "#2ca02c"
    typical = distance(seen(red, ((1, 0, 0), (0, 1, 0), (0, 0, 1))), seen(green, ((1, 0, 0), (0, 1, 0), (0, 0, 1))))
    deutan = distance(seen(red, SIMULATIONS["deuteranopia"]), seen(green, SIMULATIONS["deuteranopia"]))
    assert typical > 60 and deutan < typical / 2
