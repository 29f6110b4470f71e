"""Analysts' corrections on a real store of the sample articles: a correction changes every query, aggregate and
export at once, never the coded row (``raw`` shows it), follows its mention through a recode that gives it a
new id, is undone; bad corrections are refused with their reason; the API needs the token; the CLI adds, lists,
undoes and exports; and the exported gold scores the coder as the analyst judged it."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from dragoman.cli import main
from dragoman.jobs.corrections import Correction, CorrectionError, NotFound, correct, export_gold, undo
from dragoman.jobs.ingest import ingest
from dragoman.jobs.recode import replace_mentions
from dragoman.model import Article
from dragoman.paths import SAMPLES_DIR
from dragoman.store import Store
from dragoman.store.aggregates import AggregateSpec, aggregate
from dragoman.store.analytics import actor_network, download_mentions, list_actors, list_places, series
from dragoman.store.articles import get_article
from dragoman.store.corrections import corrections_gold, list_corrections
from dragoman.store.events import EventFilter, count_mentions, get_mention, query_mentions
from dragoman.store.exports import ExportSpec, export_events
from dragoman.store.stories import count_stories, query_stories


@pytest.fixture(scope="module")
def coded_samples(tmp_path_factory, coder) -> Path:
    path = tmp_path_factory.mktemp("corrections") / "samples.duckdb"
    ingest([SAMPLES_DIR], Store(path), coder_factory=lambda: coder)
    return path


@pytest.fixture()
def store(coded_samples, tmp_path) -> Store:
    path = tmp_path / "store.duckdb"
    shutil.copy(coded_samples, path)
    return Store(path)


def _dyad_mention(store: Store) -> dict:
    """A located, dated mention with both actors: one every view counts."""
    for m in query_mentions(store, EventFilter()):
        if m["source"] and m["target"] and m["date"] and m["date"]["start"] and m["location"]:
            return m
    for m in query_mentions(store, EventFilter()):
        if m["source"] and m["target"] and m["date"] and m["date"]["start"]:
            return m
    raise AssertionError("the samples have no dated mention with two actors")


def _counts(store: Store, flt: EventFilter) -> dict[str, int]:
    gdelt = Path(store.path).with_suffix(".gdelt.tsv")
    return {
        "mentions": count_mentions(store, flt),
        "listed": len(query_mentions(store, flt)),
        "series": sum(p["count"] for p in series(store, flt, interval="month")),
        "network": sum(e["count"] for e in actor_network(store, flt)["edges"]),
        "places": sum(p["count"] for p in list_places(store, flt)[1]),
        "actors": sum(a["mentions"] for a in list_actors(store, flt, limit=10_000)[1]),
        "aggregate": sum(r["events"] for r in aggregate(store, AggregateSpec(by="all", unit="mentions", flt=flt))
                         .to_pylist()),
        "download": download_mentions(store, flt, "csv").count(b"\n") - 1,
        "export": export_events(store, ExportSpec("gdelt", mentions=True, flt=flt), gdelt),
    }


def test_marked_wrong_leaves_every_view_and_undo_brings_it_back(store) -> None:
    m = _dyad_mention(store)
    before = _counts(store, EventFilter())
    stories_before = count_stories(store)
    stored = correct(store, Correction("wrong", mention_id=m["id"], reason="a quoted rumour, not an event",
                                       analyst="ana"))
    assert stored["applied"] and stored["active"] and stored["analyst"] == "ana"
    after = _counts(store, EventFilter())
    # every view that counted the mention counts it no more: once, twice for the actors (source and target),
    # on the map only if it was located
    fewer = {view: 1 for view in before} | {"actors": 2, "places": 1 if m["location"] else 0}
    assert after == {view: n - fewer[view] for view, n in before.items()}
    assert get_mention(store, m["id"]) is None
    assert get_mention(store, m["id"], raw=True)["cameo"] == m["cameo"]  # the coded row is untouched
    assert _counts(store, EventFilter(raw=True)) == before
    assert count_stories(store) <= stories_before
    assert all(m["id"] not in s.get("mention_ids", []) for s in query_stories(store))
    undone = undo(store, stored["correction_id"], "ana")
    assert not undone["active"]
    assert _counts(store, EventFilter()) == before
    assert count_stories(store) == stories_before


def test_a_fix_changes_the_fields_everywhere_and_raw_shows_the_coding(store) -> None:
    m = _dyad_mention(store)
    new_root = "20" if m["cameo_root"] != "20" else "18"
    code = {"20": "200", "18": "180"}[new_root]
    fix = correct(store, Correction("fix", mention_id=m["id"], fields={
        "cameo": code, "target": "SYRREB", "date": "2019-05-06", "place": "Springfield", "place_country": "USA",
        "place_lat": "39.8", "place_lon": "-89.6", "factuality": "reported"}, reason="misread", analyst="ana"))
    assert fix["original"]["cameo"] == m["cameo"] and fix["fields"]["place_lat"] == 39.8
    now = get_mention(store, m["id"])
    assert (now["cameo"], now["cameo_root"], now["quad_class"], now["plover"]) == (code, new_root, 4, "ASSAULT")
    assert now["target"]["code"] == "SYRREB" and now["target"]["country"] == "SYR"
    assert now["date"]["start"] == now["date"]["end"] == "2019-05-06"
    assert now["location"]["name"] == "Springfield" and now["location"]["lat"] == 39.8
    assert now["factuality"] == "reported" and now["correction"]["fields"][0] == "cameo"
    assert count_mentions(store, EventFilter(root=new_root, target_country="SYR", since="2019-05-01",
                                             until="2019-05-31")) == 1
    assert count_mentions(store, EventFilter(root=new_root, target_country="SYR", raw=True)) == 0
    places = {p["name"] for p in list_places(store, EventFilter())[1]}
    assert "Springfield" in places
    # the story follows the corrected mention into the block of its new root
    assert any(s["cameo_root"] == new_root and m["id"] in s.get("mention_ids", [m["id"]])
               for s in query_stories(store, EventFilter(root=new_root)))
    assert count_stories(store, EventFilter(root=new_root)) >= 1
    assert count_stories(store, EventFilter(root=new_root, raw=True)) <= count_stories(store, EventFilter(root=new_root))


def test_corrections_follow_their_mention_through_a_recode(store, coder) -> None:
    m = _dyad_mention(store)
    correct(store, Correction("fix", mention_id=m["id"], fields={"target": "none"}, reason="no target"))
    article = m["article_id"]
    stored = get_article(store, article)
    text = Article(article_id=article, text=stored["text"], published=stored["published"], title=stored["title"])
    [(_a, coded)] = list(coder.code_articles([text]))
    assert m["id"] in {x.id for x in coded}
    # a new coder: every mention a new id, the same evidence
    renamed = [replace(x, id="new" + x.id[3:]) for x in coded]
    replace_mentions(store, article, renamed)
    moved = "new" + m["id"][3:]
    assert get_mention(store, m["id"], raw=True) is None
    assert get_mention(store, moved)["target"] is None
    assert get_mention(store, moved, raw=True)["target"] is not None
    [c] = list_corrections(store, active_only=True)[1]
    assert c["applies_to"] == moved and c["applied"]
    # a coder that no longer finds the event: the correction waits, unapplied, and comes back with the event
    replace_mentions(store, article, [x for x in renamed if x.id != moved])
    [c] = list_corrections(store, active_only=True)[1]
    assert not c["applied"]
    replace_mentions(store, article, renamed)
    assert get_mention(store, moved)["target"] is None


def test_a_story_correction_and_refusals(store) -> None:
    story = query_stories(store, EventFilter(factual=True), limit=1)[0]
    n, factual = count_stories(store), count_stories(store, EventFilter(factual=True))
    wrong = correct(store, Correction("wrong", story_id=story["story_id"], reason="duplicate of another"))
    assert count_stories(store) == n - 1 and count_stories(store, EventFilter(raw=True)) == n
    undo(store, wrong["correction_id"])
    correct(store, Correction("fix", story_id=story["story_id"], fields={"factuality": "predicted"}))
    assert count_stories(store, EventFilter(factual=True)) == factual - 1
    assert count_stories(store, EventFilter(factual=True, raw=True)) == factual
    m = query_mentions(store, EventFilter(), limit=1)[0]
    refusals = [
        (Correction("fix", mention_id=m["id"], fields={"cameo": "999"}), "not in the CAMEO table"),
        (Correction("fix", mention_id=m["id"], fields={"cameo": "19x"}), "not a CAMEO code"),
        (Correction("fix", mention_id=m["id"], fields={"colour": "red"}), "unknown field 'colour'"),
        (Correction("fix", mention_id=m["id"], fields={"date": "2020-02-30"}), "not a date"),
        (Correction("fix", mention_id=m["id"], fields={"date": "2020-03-02/2020-03-01"}), "ends before"),
        (Correction("fix", mention_id=m["id"], fields={"source": "syria"}), "not an actor code"),
        (Correction("fix", mention_id=m["id"], fields={"factuality": "rumoured"}), "not one of"),
        (Correction("fix", mention_id=m["id"], fields={"cameo": "none"}), "mark the mention wrong"),
        (Correction("fix", mention_id=m["id"]), "at least one field"),
        (Correction("wrong", mention_id=m["id"], fields={"cameo": "190"}), "sets no fields"),
        (Correction("erase", mention_id=m["id"]), "unknown action"),
        (Correction("wrong"), "exactly one"),
    ]
    for bad, reason in refusals:
        with pytest.raises(CorrectionError, match=reason):
            correct(store, bad)
    with pytest.raises(NotFound, match="no mention"):
        correct(store, Correction("wrong", mention_id="no-such-mention"))
    with pytest.raises(NotFound, match="no correction"):
        undo(store, "c000000000000")
    assert count_mentions(store) == count_mentions(store, EventFilter(raw=True))  # nothing refused was stored


def test_the_api_needs_the_token_to_correct(store) -> None:
    from test_api_http import TOKEN, LiveServer

    from dragoman.api import create_app

    m = _dyad_mention(store)
    with LiveServer(create_app(store.path, token=TOKEN)) as server, httpx.Client(base_url=server.url) as c:
        total = c.get("/api/mentions", params={"limit": 0}).json()["total"]
        body = {"action": "wrong", "mention_id": m["id"], "reason": "not an event", "analyst": "ana"}
        assert c.post("/api/corrections", json=body).status_code == 401
        assert c.post("/api/corrections", json=body, headers={"Authorization": "Bearer nope"}).status_code == 401
        auth = {"Authorization": f"Bearer {TOKEN}"}
        bad = c.post("/api/corrections", json={**body, "action": "fix", "fields": {"cameo": "999"}}, headers=auth)
        assert bad.status_code == 422 and "CAMEO" in bad.json()["reason"]
        assert c.post("/api/corrections", json={**body, "mention_id": "nothing"}, headers=auth).status_code == 404
        made = c.post("/api/corrections", json=body, headers=auth)
        assert made.status_code == 201, made.text
        cid = made.json()["correction_id"]
        assert c.get("/api/mentions", params={"limit": 0}).json()["total"] == total - 1
        assert c.get("/api/mentions", params={"limit": 0, "raw": "true"}).json()["total"] == total
        assert c.get(f"/api/mentions/{m['id']}").status_code == 404
        assert c.get(f"/api/mentions/{m['id']}", params={"raw": "true"}).status_code == 200
        assert c.get("/api/facets").json()["corrections"] == 1
        listed = c.get("/api/corrections", params={"active": "true"}).json()
        assert listed["total"] == 1 and listed["items"][0]["reason"] == "not an event"
        assert c.delete(f"/api/corrections/{cid}").status_code == 401
        assert c.delete(f"/api/corrections/{cid}", headers=auth).json()["active"] is False
        assert c.get("/api/mentions", params={"limit": 0}).json()["total"] == total
        assert c.delete(f"/api/corrections/{cid}", headers=auth).status_code == 422  # undone already
        stories_csv = c.get("/api/stories", params={"format": "csv"})
        assert stories_csv.status_code == 200 and stories_csv.text.splitlines()[0].startswith("\"story_id\",")
    with LiveServer(create_app(store.path)) as server:
        r = httpx.post(server.url + "/api/corrections", json=body)
        assert r.status_code == 403 and "off" in r.json()["reason"]


def test_the_cli_adds_lists_undoes_and_exports(store, tmp_path) -> None:
    runner = CliRunner()
    m = _dyad_mention(store)
    db = ["--db", str(store.path)]
    added = runner.invoke(main, [*db, "corrections", "add", m["id"], "--set", "cameo=042", "--set", "target=none",
                                 "-m", "a visit, not a sanction", "--analyst", "ana", "--format", "json"])
    assert added.exit_code == 0, added.output
    cid = json.loads(added.output)["correction_id"]
    listed = runner.invoke(main, [*db, "corrections", "list", "--format", "jsonl"])
    assert json.loads(listed.output.splitlines()[0])["fields"] == {"cameo": "042", "target": None}
    assert "a visit, not a sanction" in runner.invoke(main, [*db, "corrections", "list"]).output
    events = runner.invoke(main, [*db, "events", "--mentions", "--format", "jsonl", "--cameo", "042"])
    assert m["id"] in events.output
    raw = runner.invoke(main, [*db, "events", "--mentions", "--format", "jsonl", "--cameo", "042", "--raw"])
    assert m["id"] not in raw.output
    refused = runner.invoke(main, [*db, "corrections", "add", m["id"], "--set", "cameo=1234567"])
    assert refused.exit_code == 1 and "not a CAMEO code" in refused.output
    usage = runner.invoke(main, [*db, "corrections", "add", m["id"], "--wrong", "--set", "cameo=190"])
    assert usage.exit_code == 2
    out = tmp_path / "gold.jsonl"
    assert runner.invoke(main, [*db, "corrections", "export", str(out)]).exit_code == 0
    [record] = [json.loads(line) for line in out.read_text().splitlines()]
    assert record["text"] == m["evidence"]["sentence"] and any(e["cameo"] == "042" for e in record["events"])
    assert runner.invoke(main, [*db, "corrections", "undo", cid, "c000000000000"]).exit_code == 1
    runner.invoke(main, [*db, "corrections", "export", str(out)])
    assert out.read_text() == ""


def _root_score(gold: Path, preds: list[dict], tmp_path: Path) -> dict:
    pred = tmp_path / "pred.jsonl"
    pred.write_text("".join(json.dumps(p) + "\n" for p in preds))
    result = CliRunner().invoke(main, ["eval", "events", str(gold), "--pred", str(pred)])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_corrections_are_gold_that_scores_the_coder(store, tmp_path) -> None:
    """Twenty judged mentions, exported and scored: the coding scores perfectly against the analyst who
    confirmed it, and loses exactly what the analyst took away or changed."""
    by_sentence: dict[tuple, list[dict]] = {}
    for m in query_mentions(store, EventFilter()):
        by_sentence.setdefault((m["article_id"], m["evidence"]["start"], m["evidence"]["end"]), []).append(m)
    # one mention from each of 20 sentences (the samples have enough)
    picked = [ms[0] for ms in list(by_sentence.values())[:20]]
    assert len(picked) == 20
    for m in picked:
        correct(store, Correction("confirm", mention_id=m["id"], reason="checked"))
    gold = tmp_path / "gold.jsonl"
    assert export_gold(store, gold) == 20

    def coded_preds() -> list[dict]:
        """The coder's own mentions of the judged sentences, as predictions of the gold records."""
        out = []
        for record in corrections_gold(store):
            article, span = record["id"].rsplit(":", 1)
            start, end = (int(x) for x in span.split("-"))
            for key, ms in by_sentence.items():
                if key == (article, start, end):
                    out += [{**m, "article_id": record["id"]} for m in ms]
        return out

    preds = coded_preds()
    first = _root_score(gold, preds, tmp_path)
    assert first["records"] == 20 and first["gold_events"] == first["pred_events"] == len(preds)
    assert first["root_P"] == first["root_R"] == 1.0
    # the analyst takes five events away and moves five to a root no mention of their sentence has
    for m in picked[:5]:
        correct(store, Correction("wrong", mention_id=m["id"], reason="not an event"))
    for m in picked[5:10]:
        roots = {x["cameo_root"] for x in by_sentence[(m["article_id"], m["evidence"]["start"], m["evidence"]["end"])]}
        code = next(c for c in ("200", "180", "145", "120", "090", "061") if c[:2] not in roots)
        correct(store, Correction("fix", mention_id=m["id"], fields={"cameo": code}, reason="wrong code"))
    export_gold(store, gold)
    second = _root_score(gold, preds, tmp_path)
    n = len(preds)
    assert second["gold_events"] == n - 5 and second["pred_events"] == n
    assert second["root_P"] == round((n - 10) / n, 3)
    assert second["root_R"] == round((n - 10) / (n - 5), 3)


# An analyst's own reading of a trigger the package codes otherwise (a disapproval, 111, there).
TRIGGERS = """\
kind: trigger-lexicon
version: 1
entries:
  - trigger: criticise
    code: "120"
    example: "Norway criticised the plan of Portugal."
"""


def test_a_lexicon_is_tried_on_the_corrections_before_it_is_installed(store, coder, tmp_path) -> None:
    """The analyst recodes a mention; the exported gold shows whether a lexicon that codes its trigger their way
    would agree with them, before the lexicon is installed."""
    article = tmp_path / "article.jsonl"
    article.write_text(json.dumps({"id": "envoys-1", "published": "2021-05-03", "title": "Envoys",
                                   "text": "Norway criticised Portugal on Monday."}) + "\n")
    ingest([article], store, coder_factory=lambda: coder)
    [m] = query_mentions(store, EventFilter(article_id="envoys-1"))
    assert m["cameo_root"] == "11"
    correct(store, Correction("fix", mention_id=m["id"], fields={"cameo": "120"}, reason="a formal rejection"))
    gold = tmp_path / "gold.jsonl"
    assert export_gold(store, gold) == 1
    lexicon = tmp_path / "mine.yaml"
    lexicon.write_text(TRIGGERS, encoding="utf-8")
    scores = {}
    for name, extra in (("installed", []), ("trial", ["--lexicon", str(lexicon)])):
        result = CliRunner().invoke(main, ["eval", "events", str(gold), *extra])
        assert result.exit_code == 0, result.output
        scores[name] = json.loads(result.output)["root_R"]
    assert scores == {"installed": 0.0, "trial": 1.0}


def test_a_reader_of_a_store_from_before_corrections_upgrades_it(tmp_path) -> None:
    """A store written by a Dragoman without corrections (schema 5): opened read-only, as `dragoman serve`
    and `dragoman events` open it, it gains the corrections tables and reads as it did."""
    import duckdb

    from dragoman.store.schema import MIGRATIONS, SCHEMA_VERSION

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    for number, migration in enumerate(MIGRATIONS[:5], start=1):
        con.execute(migration)
        con.execute("INSERT INTO schema_version VALUES (?)", [number])
    con.execute("INSERT INTO articles (article_id, content_hash, text) VALUES ('a1', 'h', 'Text.')")
    con.close()
    store = Store(path, read_only=True)
    assert store.schema_version() == SCHEMA_VERSION
    assert count_mentions(store) == 0 and list_corrections(store) == (0, [])
