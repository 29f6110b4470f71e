"""Analyst outputs: GDELT, ICEWS and PLOVER exports, aggregates, filters that combine, no silent truncation.

Two stores: invented mentions whose every exported field is known, and a store coded from Guardian articles
(`../shared`, skipped when absent) whose exports must round-trip with `dragoman events` counts."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from dragoman.cli import main
from dragoman.jobs.ingest import ingest
from dragoman.jobs.recode import replace_mentions
from dragoman.model import Actor, Coder, EventDate, EventMention, Evidence, Location
from dragoman.store import Store
from dragoman.store.aggregates import AggregateSpec, aggregate
from dragoman.store.events import EventFilter, count_mentions, query_mentions
from dragoman.store.exports import GDELT_COLUMNS, GDELT_EMPTY, ICEWS_COLUMNS, ExportSpec, export_events
from dragoman.store.stories import count_stories

PLOVER_TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
                "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
TEXT = ("Officials of the World Food Programme criticised the Iraqi army in Baghdad on 3 May 2024. "
        "Two days later the Iraqi army attacked protesters in Baghdad. "
        "On 9 June 2024 Jordan and Chile signed a trade deal in Portland, Oregon. "
        "Kenyan police arrested forty people on 2 July 2024.")


def mention(n: int, article_id: str, sentence: str, trigger: str, cameo: str, quad: int, goldstein: float,
            source: Actor | None, target: Actor | None, day: str, place: Location | None,
            factuality: str = "asserted") -> EventMention:
    at = TEXT.index(sentence)
    t = sentence.index(trigger)
    return EventMention(
        id=f"{n:016x}", article_id=article_id, source=source, target=target, cameo=cameo, cameo_root=cameo[:2],
        plover={"111": "ACCUSE", "190": "ASSAULT", "057": "AGREE", "173": "COERCE"}[cameo], plover_mode=None,
        quad_class=quad, goldstein=goldstein, date=EventDate(start=day, end=day, precision="day", text=day),
        location=place, factuality=factuality,  # type: ignore[arg-type]
        evidence=Evidence(sentence=sentence, start=at, end=at + len(sentence), trigger=trigger,
                          trigger_start=at + t, trigger_end=at + t + len(trigger)),
        coder=Coder(version="test", lexicons="test"), confidence=0.8,
    )


BAGHDAD = Location(name="Baghdad", country="IRQ", lat=33.34, lon=44.40, geonameid=98182, precision="city",
                   text="Baghdad", admin1="IQ.07")
PORTLAND = Location(name="Portland", country="USA", lat=45.52, lon=-122.68, geonameid=5746545, precision="city",
                    text="Portland", admin1="US.OR")
KENYA = Location(name="Kenya", country="KEN", lat=1.0, lon=38.0, geonameid=192950, precision="country", text="Kenyan")


@pytest.fixture(scope="module")
def invented(tmp_path_factory) -> Store:
    tmp = tmp_path_factory.mktemp("exports")
    source = tmp / "a.jsonl"
    source.write_text(json.dumps({"id": "inv1", "title": "Iraq", "published": "2024-07-03", "source": "Desk",
                                  "url": "https://news.example/inv1", "text": TEXT}) + "\n", encoding="utf-8")
    store = Store(tmp / "inv.duckdb")
    ingest([source], store, code=False)
    s1, s2, s3, s4 = (s.strip() + "." for s in TEXT.split(".")[:4])
    wfp = Actor(code="IGOUNOWFP", country=None, sector="IGO", name="World Food Programme", text="World Food Programme")
    army = Actor(code="IRQGOVMIL", country="IRQ", sector="MIL", name="Iraq", text="the Iraqi army")
    replace_mentions(store, "inv1", [
        mention(1, "inv1", s1, "criticised", "111", 3, -2.0, wfp, army, "2024-05-03", BAGHDAD),
        mention(2, "inv1", s2, "attacked", "190", 4, -10.0, army, Actor(code="IRQOPP", country="IRQ", sector="OPP",
                                                                       name=None, text="protesters"),
                "2024-05-05", BAGHDAD),
        mention(3, "inv1", s3, "signed", "057", 1, 8.0, Actor(code="JOR", country="JOR", name="Jordan", text="Jordan"),
                Actor(code="CHL", country="CHL", name="Chile", text="Chile"), "2024-06-09", PORTLAND),
        mention(4, "inv1", s4, "arrested", "173", 4, -5.0, Actor(code="KENCOP", country="KEN", sector="COP",
                                                                name="Kenya", text="Kenyan police"),
                None, "2024-07-02", KENYA, factuality="predicted"),
    ])
    return store


def read_gdelt(text: str) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert all(len(r) == len(GDELT_COLUMNS) == 61 for r in rows)
    return [dict(zip(GDELT_COLUMNS, r, strict=True)) for r in rows]


def export_text(store: Store, spec: ExportSpec, tmp_path: Path) -> str:
    path = tmp_path / f"out.{spec.fmt}"
    export_events(store, spec, path)
    return path.read_text(encoding="utf-8")


def test_gdelt_rows_split_actor_codes_and_places_as_gdelt_does(invented: Store, tmp_path: Path) -> None:
    rows = {r["EventCode"]: r for r in read_gdelt(export_text(invented, ExportSpec("gdelt", mentions=True), tmp_path))}
    criticise = rows["111"]
    assert (criticise["Actor1Code"], criticise["Actor1KnownGroupCode"], criticise["Actor1Type1Code"],
            criticise["Actor1CountryCode"]) == ("IGOUNOWFP", "WFP", "IGO", "")
    assert (criticise["Actor2CountryCode"], criticise["Actor2Type1Code"], criticise["Actor2Type2Code"]) == (
        "IRQ", "GOV", "MIL")
    assert (criticise["SQLDATE"], criticise["MonthYear"], criticise["Year"]) == ("20240503", "202405", "2024")
    assert criticise["FractionDate"] == "2024.3397"  # 3 May is day 124: 124 / 365
    assert (criticise["EventBaseCode"], criticise["EventRootCode"], criticise["QuadClass"]) == ("111", "11", "3")
    assert (criticise["ActionGeo_Type"], criticise["ActionGeo_CountryCode"], criticise["ActionGeo_ADM1Code"],
            criticise["ActionGeo_FeatureID"]) == ("4", "IZ", "IZ07", "98182")
    assert criticise["ActionGeo_FullName"].startswith("Baghdad, ") and criticise["ActionGeo_FullName"].endswith(
        ", Iraq")
    assert criticise["IsRootEvent"] == "1" and rows["190"]["IsRootEvent"] == "0"  # the lead sentence only
    assert criticise["DATEADDED"] == "20240703000000" and criticise["SOURCEURL"] == "https://news.example/inv1"
    assert (rows["190"]["Actor1Name"], rows["190"]["Actor2Name"]) == ("IRAQ", "PROTESTERS")  # no name: the words
    us = rows["057"]
    assert (us["ActionGeo_Type"], us["ActionGeo_CountryCode"], us["ActionGeo_ADM1Code"]) == ("3", "US", "USOR")
    kenya = rows["173"]
    assert (kenya["ActionGeo_Type"], kenya["ActionGeo_CountryCode"], kenya["ActionGeo_ADM1Code"],
            kenya["ActionGeo_FeatureID"], kenya["ActionGeo_FullName"]) == ("1", "KE", "KE", "KE", "Kenya")
    assert kenya["Actor2Code"] == ""
    for row in rows.values():
        assert all(row[c] == "" for c in GDELT_EMPTY)


def test_gdelt_header_option_and_story_rows(invented: Store, tmp_path: Path) -> None:
    text = export_text(invented, ExportSpec("gdelt", header=True), tmp_path)
    assert text.splitlines()[0].split("\t") == list(GDELT_COLUMNS)
    body = read_gdelt("\n".join(text.splitlines()[1:]))
    assert len(body) == count_stories(invented) and all(int(r["NumMentions"]) >= 1 for r in body)


def test_icews_rows(invented: Store, tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(export_text(invented, ExportSpec("icews", mentions=True), tmp_path)),
                               delimiter="\t", quoting=csv.QUOTE_NONE))
    assert list(rows[0]) == list(ICEWS_COLUMNS)
    by_code = {r["CAMEO Code"]: r for r in rows}
    criticise = by_code["111"]
    assert (criticise["Source Name"], criticise["Source Sectors"], criticise["Target Sectors"],
            criticise["Target Country"]) == ("World Food Programme", "Intergovernmental organisation",
                                             "Government,Military", "Iraq")
    assert criticise["Event Text"] == "Criticize or denounce" and criticise["Intensity"] == "-2.0"
    assert (criticise["City"], criticise["Country"], criticise["Publisher"]) == ("Baghdad", "Iraq", "Desk")
    assert criticise["Province"] and criticise["Sentence Number"] == "1" and by_code["190"]["Sentence Number"] == "2"
    assert by_code["173"]["City"] == "" and by_code["173"]["Country"] == "Kenya"


def test_plover_records(invented: Store, tmp_path: Path) -> None:
    records = [json.loads(line) for line in export_text(invented, ExportSpec("plover", mentions=True),
                                                        tmp_path).splitlines()]
    by_type = {r["event_type"]: r for r in records}
    assault = by_type["ASSAULT"]
    assert assault["actors"][0]["code"] == "IRQGOVMIL" and assault["actors"][0]["sectors"] == ["Government",
                                                                                               "Military"]
    assert assault["recipients"][0]["raw"] == "protesters" and assault["location"]["country"] == "IRQ"
    assert by_type["ASSAULT"]["recipients"][0]["antecedent"] is None
    assert assault["evidence"]["trigger"] == "attacked" and assault["event_date"] == "2024-05-05"
    assert by_type["COERCE"]["recipients"] == [] and by_type["COERCE"]["factuality"] == "predicted"


def test_filters_select_the_exported_events(invented: Store, tmp_path: Path) -> None:
    factual = ExportSpec("gdelt", mentions=True, flt=EventFilter(factual=True))
    assert {r["EventCode"] for r in read_gdelt(export_text(invented, factual, tmp_path))} == {"111", "190", "057"}
    several = ExportSpec("gdelt", mentions=True, flt=EventFilter(root="19,05", country=["IRQ", "JOR"]))
    assert {r["EventCode"] for r in read_gdelt(export_text(invented, several, tmp_path))} == {"190", "057"}


def test_aggregate_fills_empty_periods_and_counts_factual_events(invented: Store) -> None:
    result = aggregate(invented, AggregateSpec(by="country", period="month", unit="mentions",
                                               flt=EventFilter(factual=True)))
    rows = result.to_pylist()
    iraq = [r for r in rows if r["country"] == "IRQ"]
    assert [(r["period"], r["events"]) for r in iraq] == [("2024-05-01", 2), ("2024-06-01", 0)]
    assert iraq[0]["goldstein_sum"] == -12.0 and iraq[0]["quad4_share"] == 0.5 and iraq[1]["goldstein_mean"] is None
    assert {r["country"] for r in rows} == {"IRQ", "JOR", "CHL"}  # the forecast is left out
    everything = aggregate(invented, AggregateSpec(by="all", period="month", unit="mentions", flt=EventFilter()))
    assert [r["events"] for r in everything.to_pylist()] == [2, 1, 1]
    frame = everything.to_pandas()
    assert str(frame["period"].dtype).startswith("datetime64")


def test_an_aggregate_too_large_to_fill_is_refused_with_how_to_narrow_it(invented: Store) -> None:
    with pytest.raises(ValueError, match="narrow it"):
        aggregate(invented, AggregateSpec(by="dyad", period="day", flt=EventFilter(since="1990-01-01")), max_rows=100)


def test_cli_filters_combine_and_machine_formats_are_never_cut(invented: Store) -> None:
    runner = CliRunner()
    db = str(invented.path)
    repeated = runner.invoke(main, ["--db", db, "events", "--mentions", "--format", "jsonl", "--root", "19",
                                    "--root", "05"])
    commas = runner.invoke(main, ["--db", db, "events", "--mentions", "--format", "jsonl", "--root", "19,05"])
    assert repeated.exit_code == commas.exit_code == 0
    assert repeated.stdout == commas.stdout and len(repeated.stdout.splitlines()) == 2
    table = runner.invoke(main, ["--db", db, "events", "--mentions", "--limit", "1"])
    assert "1 of 4 mention(s)" in table.stderr
    bad = runner.invoke(main, ["--db", db, "events", "--factuality", "asserted,rumoured"])
    assert bad.exit_code == 2 and "rumoured" in bad.stderr
    counted = runner.invoke(main, ["--db", db, "aggregate", "--by", "all", "--count", "mentions", "--format", "jsonl"])
    assert [json.loads(line)["events"] for line in counted.stdout.splitlines()] == [2, 1]  # (the forecast is out)
    every = runner.invoke(main, ["--db", db, "aggregate", "--by", "all", "--count", "mentions", "--format", "jsonl",
                                 "--all-factualities"])
    assert [json.loads(line)["events"] for line in every.stdout.splitlines()] == [2, 1, 1]


def test_export_command_writes_every_row_and_says_how_many(invented: Store, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "e.tsv"
    result = runner.invoke(main, ["--db", str(invented.path), "export", "--format", "icews", "--mentions",
                                  "--factual", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "exported 3 mention(s) as icews" in result.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 4
    table = runner.invoke(main, ["--db", str(invented.path), "export", "--table", "mentions", "--format", "csv",
                                 "--root", "19"])
    assert table.exit_code == 0 and len(list(csv.reader(io.StringIO(table.stdout)))) == 2
    refused = runner.invoke(main, ["--db", str(invented.path), "export", "--table", "articles", "--root", "19"])
    assert refused.exit_code == 1 and "not articles" in refused.stderr


# ---------------------------------------------------------------- a store coded from Guardian articles


@pytest.fixture(scope="module")
def guardian(tmp_path_factory, shared: Path, coder) -> Store:
    corpus = shared / "corpus" / "guardian_syria" / "articles.jsonl"
    if not corpus.is_file():
        pytest.skip(f"{corpus} is absent: the Guardian corpus comes with ../shared")
    lines = corpus.read_text(encoding="utf-8").splitlines()
    tmp = tmp_path_factory.mktemp("guardian")
    sample = tmp / "sample.jsonl"
    sample.write_text("\n".join(lines[::21]) + "\n", encoding="utf-8")  # twelve articles across the corpus
    store = Store(tmp / "g.duckdb")
    ingest([sample], store, coder_factory=lambda: coder)
    return store


FILTERS = {"all": EventFilter(), "factual": EventFilter(factual=True),
           "two countries, three roots": EventFilter(country="SYR,IRQ", root=["18", "19", "20"])}


@pytest.mark.parametrize("name", list(FILTERS))
@pytest.mark.parametrize("mentions", [True, False], ids=["mentions", "stories"])
def test_every_format_round_trips_the_guardian_store(guardian: Store, tmp_path: Path, name: str,
                                                     mentions: bool) -> None:
    flt = FILTERS[name]
    expected = count_mentions(guardian, flt) if mentions else count_stories(guardian, flt)
    assert name != "all" or expected > 100
    import pandas as pd

    gdelt = tmp_path / "g.tsv"
    assert export_events(guardian, ExportSpec("gdelt", mentions=mentions, flt=flt), gdelt) == expected
    if expected:
        frame = pd.read_csv(gdelt, sep="\t", header=None, names=list(GDELT_COLUMNS), quoting=csv.QUOTE_NONE,
                            dtype=str, keep_default_na=False)
        assert len(frame) == expected
        for row in frame.to_dict("records"):
            check_gdelt_types(row)
    icews = tmp_path / "i.tsv"
    assert export_events(guardian, ExportSpec("icews", mentions=mentions, flt=flt), icews) == expected
    with icews.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert len(rows) == expected and all(date.fromisoformat(r["Event Date"]) for r in rows)
    plover = tmp_path / "p.jsonl"
    assert export_events(guardian, ExportSpec("plover", mentions=mentions, flt=flt), plover) == expected
    records = [json.loads(line) for line in plover.read_text(encoding="utf-8").splitlines()]
    assert len(records) == expected and all(r["event_type"] in PLOVER_TYPES for r in records)


def check_gdelt_types(row: dict[str, str]) -> None:
    """One row against GDELT's codebook: integer, float, code and date fields as GDELT writes them."""
    int(row["GLOBALEVENTID"])
    day = date(int(row["SQLDATE"][:4]), int(row["SQLDATE"][4:6]), int(row["SQLDATE"][6:]))
    assert row["MonthYear"] == f"{day.year:04d}{day.month:02d}" and int(row["Year"]) == day.year
    assert abs(float(row["FractionDate"]) - day.year) < 1.1
    assert row["IsRootEvent"] in ("0", "1")
    assert re.fullmatch(r"\d{3,4}", row["EventCode"]) and row["EventCode"].startswith(row["EventRootCode"])
    assert row["EventBaseCode"] == row["EventCode"][:3] and row["QuadClass"] in ("1", "2", "3", "4")
    assert -10 <= float(row["GoldsteinScale"]) <= 10
    assert all(int(row[c]) >= 1 for c in ("NumMentions", "NumSources", "NumArticles"))
    for n in (1, 2):
        code, country = row[f"Actor{n}Code"], row[f"Actor{n}CountryCode"]
        assert not country or code.startswith(country)
        assert all(not row[f"Actor{n}{t}"] or re.fullmatch("[A-Z]{3}", row[f"Actor{n}{t}"])
                   for t in ("KnownGroupCode", "Religion1Code", "Type1Code", "Type2Code", "Type3Code"))
    geo = int(row["ActionGeo_Type"])
    assert 0 <= geo <= 5
    if geo:
        assert re.fullmatch("[A-Z]{2}", row["ActionGeo_CountryCode"]) and row["ActionGeo_FullName"]
        assert row["ActionGeo_ADM1Code"].startswith(row["ActionGeo_CountryCode"])
        if row["ActionGeo_Lat"]:
            assert -90 <= float(row["ActionGeo_Lat"]) <= 90 and -180 <= float(row["ActionGeo_Long"]) <= 180
    assert re.fullmatch(r"\d{14}", row["DATEADDED"]) and row["SOURCEURL"]
    assert all(row[c] == "" for c in GDELT_EMPTY)


def test_aggregate_equals_an_independent_duckdb_query(guardian: Store) -> None:
    result = aggregate(guardian, AggregateSpec(by="dyad", period="month", flt=EventFilter(factual=True)))
    got = {(r["source"], r["target"], r["period"]): (r["events"], r["goldstein_sum"], r["articles"])
           for r in result.to_pylist() if r["events"]}
    con = duckdb.connect(str(guardian.path), read_only=True)
    want_rows = con.execute("""
        SELECT s.source_code, s.target_code, strftime(date_trunc('month', s.date_start), '%Y-%m-%d'),
               count(DISTINCT s.story_id), count(DISTINCT m.article_id)
        FROM stories s JOIN mentions m ON m.story_id = s.story_id
        WHERE s.factuality IN ('asserted', 'reported', 'historical') AND s.source_code IS NOT NULL
          AND s.target_code IS NOT NULL AND s.date_start IS NOT NULL
        GROUP BY 1, 2, 3""").fetchall()
    sums = dict(((a, b, c), round(g, 3)) for a, b, c, g in con.execute("""
        SELECT source_code, target_code, strftime(date_trunc('month', date_start), '%Y-%m-%d'), sum(goldstein)
        FROM stories WHERE factuality IN ('asserted', 'reported', 'historical') AND source_code IS NOT NULL
          AND target_code IS NOT NULL AND date_start IS NOT NULL GROUP BY 1, 2, 3""").fetchall())
    con.close()
    want = {(a, b, c): (n, sums[(a, b, c)], arts) for a, b, c, n, arts in want_rows}
    assert got == want and got
    # the zero rows: every dyad has every month from the first to the last
    months = {r["period"] for r in result.to_pylist()}
    dyads = {(r["source"], r["target"]) for r in result.to_pylist()}
    assert result.table.num_rows == len(months) * len(dyads)
    mentions = aggregate(guardian, AggregateSpec(by="country", period="year", unit="mentions", fill=False,
                                                 flt=EventFilter(factual=True)))
    by_country: dict[str, int] = {}
    for r in mentions.to_pylist():
        by_country[r["country"]] = by_country.get(r["country"], 0) + r["events"]
    records = query_mentions(guardian, EventFilter(factual=True))
    expected: dict[str, int] = {}
    for m in records:
        if not (m.get("date") or {}).get("start"):
            continue
        for c in {a["country"] for a in (m.get("source"), m.get("target")) if a and a.get("country")}:
            expected[c] = expected.get(c, 0) + 1
    assert by_country == expected


def test_a_batch_dataset_exports_and_aggregates_as_the_store_does(invented: Store, tmp_path: Path) -> None:
    from dragoman.store.parquet import ParquetDataset

    dataset = tmp_path / "dataset"
    con = duckdb.connect(str(invented.path), read_only=True)
    for table in ("articles", "mentions", "stories", "story_links"):
        (dataset / table).mkdir(parents=True)
        con.execute(f"COPY {table} TO '{dataset / table / 'part-0.parquet'}' (FORMAT parquet)")
    con.close()
    parquet = ParquetDataset(dataset)
    for fmt in ("gdelt", "icews", "plover"):
        spec = ExportSpec(fmt, mentions=True)
        (tmp_path / "p").mkdir(exist_ok=True)
        (tmp_path / "s").mkdir(exist_ok=True)
        assert export_text(parquet, spec, tmp_path / "p") == export_text(invented, spec, tmp_path / "s") != ""
    spec = AggregateSpec(by="dyad", period="month")
    assert aggregate(parquet, spec).to_pylist() == aggregate(invented, spec).to_pylist()
    runner = CliRunner()
    result = runner.invoke(main, ["export", "--parquet", str(dataset), "--format", "gdelt", "--mentions"])
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 4


def test_events_writes_every_match_as_parquet(invented: Store, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "events.parquet"
    result = CliRunner().invoke(main, ["--db", str(invented.path), "events", "--mentions", "--format", "parquet",
                                       "-o", str(out), "--quad-class", "3,4"])
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert table.num_rows == 3 and set(table.column("cameo").to_pylist()) == {"111", "190", "173"}
    refused = CliRunner().invoke(main, ["--db", str(invented.path), "events", "--format", "parquet"])
    assert refused.exit_code == 2 and "-o FILE" in refused.stderr
