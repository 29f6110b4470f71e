"""Size fields: killed, injured, arrested counts from a mention's sentence."""

from __future__ import annotations

import pytest

from dragoman.events.sizes import parse_number, sizes_in


@pytest.fixture(scope="module")
def nlp():
    from dragoman.nlp import load_nlp

    return load_nlp()


CASES = [
    ("Gunmen fired on a police post in Kano, killing two officers and wounding at least five guards.",
     {"killed": (2, "exact"), "injured": (5, "at_least"), "arrested": None}),
    ("Dozens of miners were killed and hundreds hurt when the shaft collapsed.",
     {"killed": (24, "vague"), "injured": (200, "vague")}),
    ("Police arrested 40 people in Dhaka.", {"arrested": (40, "exact"), "killed": None}),
    ("At least 17 villagers were killed in the air raid.", {"killed": (17, "at_least")}),
    ("The attack left 12 dead and 30 injured.", {"killed": (12, "exact"), "injured": (30, "exact")}),
    ("Egyptian police rounded up 40 students after the protest.", {"arrested": (40, "exact")}),
    ("The death toll climbed to 17, the ministry said.", {"killed": (17, "exact")}),
    ("More than 1,400 activists have been detained since the strike began.", {"arrested": (1400, "at_least")}),
    ("Twenty-six miners died in the blast.", {"killed": (26, "exact")}),
    ("Two car bombs killed 31 people in Mogadishu.", {"killed": (31, "exact")}),
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
    assert parse_number("at least 17") == (17, "at_least")
    assert parse_number("about twenty") == (20, "vague")
    assert parse_number("1,200") == (1200, "exact")
    assert parse_number("dozens") == (24, "vague")
    assert parse_number("three thousand") == (3000, "exact")
    assert parse_number("the") is None
