"""Size fields: killed, injured, arrested counts from a mention's sentence."""

from __future__ import annotations

import pytest

from dragoman.events.sizes import parse_number, sizes_in


@pytest.fixture(scope="module")
def nlp():
    from dragoman.nlp import load_nlp

    return load_nlp()


CASES = [
    ("Militants fired rockets at a US base, killing two contractors and wounding at least five soldiers.",
     {"killed": (2, "exact"), "injured": (5, "at_least"), "arrested": None}),
    ("Dozens of protesters were killed and hundreds wounded in Baghdad.",
     {"killed": (24, "vague"), "injured": (200, "vague")}),
    ("Police arrested 40 people in Istanbul.", {"arrested": (40, "exact"), "killed": None}),
    ("At least 13 civilians were killed in the airstrike.", {"killed": (13, "at_least")}),
    ("The attack left 12 dead and 30 injured.", {"killed": (12, "exact"), "injured": (30, "exact")}),
    ("Turkish authorities rounded up 40 people suspected of links to Islamic State.", {"arrested": (40, "exact")}),
    ("The death toll rose to 25, the ministry said.", {"killed": (25, "exact")}),
    ("More than 1,200 people have been detained since the protests began.", {"arrested": (1200, "at_least")}),
    ("Twenty-five people died in the blast.", {"killed": (25, "exact")}),
    ("Two suicide bombings killed 30 people in Kabul.", {"killed": (30, "exact")}),
    ("Israeli jets struck a research centre near Hama on Friday.",
     {"killed": None, "injured": None, "arrested": None}),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_sizes_in(nlp, text: str, expected: dict) -> None:
    sent = next(nlp(text).sents)
    got = sizes_in(sent, sent.root)
    assert set(got) == {"killed", "injured", "arrested"}
    for k, v in expected.items():
        assert got[k] == v, (k, got)


def test_parse_number() -> None:
    assert parse_number("at least 13") == (13, "at_least")
    assert parse_number("about twenty") == (20, "vague")
    assert parse_number("1,200") == (1200, "exact")
    assert parse_number("dozens") == (24, "vague")
    assert parse_number("three thousand") == (3000, "exact")
    assert parse_number("the") is None
