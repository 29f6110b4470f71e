"""Count claims: extraction from varied sentences, and verdicts against a built store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dragoman.model import Article


@pytest.fixture(scope="module")
def extractor():
    from dragoman.analysis.claims import ClaimExtractor

    return ClaimExtractor()


def _claims(extractor, text: str, published: str = "2021-03-16"):
    return next(iter(extractor.extract([Article(article_id="t", text=text, published=published)])))[1]


# sentence -> (counted, plover, number, kind, target country, period start, period end)
CASES = [
    ("Militants carried out three rocket attacks on US bases this week.",
     ("events", "ASSAULT", 3, "exact", None, "2021-03-15", "2021-03-16")),
    ("Dozens of miners were killed in Potosi on Friday.", ("killed", "ASSAULT", 24, "vague", None, None, None)),
    ("At least 8 villagers were killed in the air raid.", ("killed", "ASSAULT", 8, "at_least", None, None, None)),
    ("It was the second such attack against American forces in Iraq this month.",
     ("events", "ASSAULT", 2, "exact", "USA", "2021-03-01", "2021-03-16")),
    ("Iraqi officials said the Monday attack was the fifth attack on US troops in Iraq since March 1.",
     ("events", "ASSAULT", 5, "exact", "USA", "2021-03-01", "2021-03-16")),
    ("Analysts say dozens of rocket attacks have targeted American forces since 2019.",
     ("events", "ASSAULT", 24, "vague", "USA", "2019-01-01", "2021-03-16")),
    ("It was the third protest in Basra this week.", ("events", "PROTEST", 3, "exact", None, "2021-03-15", None)),
    ("Police arrested more than 200 demonstrators in Tehran last month.",
     ("arrested", "COERCE", 200, "at_least", None, "2021-02-01", "2021-02-28")),
    ("There have been 12 Israeli airstrikes on Syria since January.",
     ("events", "ASSAULT", 12, "exact", "SYR", "2021-01-01", "2021-03-16")),
    ("Two car bombs killed 31 people in Mogadishu on Tuesday.", ("killed", "ASSAULT", 31, "exact", None, None, None)),
    ("The rally was the first in the capital since 2019.", None),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_claim_sentences(extractor, text: str, expected) -> None:
    claims = _claims(extractor, text)
    if expected is None:
        return
    counted, plover, number, kind, target, p0, p1 = expected
    got = [c for c in claims if c.counted == counted and c.number == number]
    assert got, [c.to_dict() for c in claims]
    c = got[0]
    assert (c.plover, c.number_kind) == (plover, kind)
    if target:
        assert c.target_country == target
    if p0:
        assert c.period_start == p0
    if p1:
        assert c.period_end == p1


def test_seed_claims_of_the_answer_key(extractor, shared: Path) -> None:
    """Every count claim of the seed article's answer key (read at run time) is extracted with its number,
    target country and period start."""
    seed = shared / "corpus" / "seed"
    if not (seed / "gold.json").exists():
        pytest.skip(f"{seed} absent")
    key = json.loads((seed / "gold.json").read_text(encoding="utf-8"))
    article = next(p for p in sorted(seed.glob("*.txt")))
    claims = _claims(extractor, article.read_text(encoding="utf-8"), key["published"])
    assert key["claims"]
    for want in key["claims"]:
        got = [c for c in claims if c.number == want["count"] and c.target_country == want["target_country"]]
        assert got, [c.anchor for c in claims]
        assert got[0].counted == "events" and got[0].period_start.startswith(want["since"])



def test_verdicts_on_a_built_store(extractor, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from dragoman.cli import main
    from dragoman.jobs.claims import stored_claims
    from dragoman.jobs.ingest import ingest
    from dragoman.jobs.recode import recode
    from dragoman.store import Store
    from dragoman.store.articles import read_articles
    from dragoman.store.claims import count_claims, query_claims

    store = Store(tmp_path / "c.duckdb")
    ingest([str(Path(__file__).parent / "data" / "stories" / "articles.jsonl")], store)
    # ingest read the claims as it coded, from the coder's own parse: the same as reading them apart
    arts = read_articles(store, ["st03", "st06", "st33"])
    apart = {c.claim_id: c.to_dict() for _a, cs in extractor.extract(arts) for c in cs}
    stored = {c["claim_id"]: c for c in query_claims(store) if c["article_id"] in {"st03", "st06", "st33"}}
    assert apart and stored == apart
    verdicts = {(c["article_id"], c["number"]): c["store"]["verdict"] for c in stored_claims(store)
                if c["counted"] == "events"}
    assert verdicts[("st06", 2)] == "supports"  # the second attack on US forces this month: the store holds 2
    assert verdicts[("st03", 1)] == "supports"  # the first this month, as of 1 March
    assert verdicts[("st33", 5)] == "contradicts"  # "the fifth since March 1": the store covers it and holds 2
    assert verdicts[("st33", 24)] == "cannot_judge"  # "dozens since 2019": the store covers two weeks of it
    # `dragoman claims` with no SOURCE lists the stored ones, judged
    listed = CliRunner().invoke(main, ["--db", str(store.path), "claims", "--format", "jsonl"])
    assert listed.exit_code == 0, listed.output
    rows = [json.loads(x) for x in listed.stdout.splitlines() if x.startswith("{")]
    assert len(rows) == count_claims(store) and all("verdict" in r["store"] for r in rows)
    # re-coding replaces an article's claims (none doubled, none lost)
    before = count_claims(store)
    assert recode(store, ["st33"]).coded == 1
    assert count_claims(store) == before
    assert {c["claim_id"] for c in query_claims(store) if c["article_id"] == "st33"} == {
        k for k, c in apart.items() if c["article_id"] == "st33"}
