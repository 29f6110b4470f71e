"""One input's failure costs only that input: a reader raising something unexpected, the coder raising on one
article, the store refusing one article's row each become one failure and the run goes on; articles already read
are kept; an article the coder failed on is stored uncoded with the error, and `dragoman recode` codes it later.
Stories are never orphaned: a run re-assigns mentions it finds without a story, and story assignment loads only
the blocks it re-clusters."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

import dragoman.cli  # noqa: F401 - registers every command
import dragoman.jobs.ingest as ingest_job
from dragoman.cli.app import EXIT_NOTHING_DONE, EXIT_OK, EXIT_SOME_FAILED, main
from dragoman.ingest.sources import Reader
from dragoman.jobs.ingest import ingest
from dragoman.jobs.recode import recode
from dragoman.model import Actor, Article, Coder, EventDate, EventMention, Evidence, stable_id
from dragoman.store import articles as queries
from dragoman.store.db import Store

PLACES = ("Nairobi", "Lima", "Hanoi", "Oslo", "Accra", "Quito", "Dhaka", "Tunis", "Sofia", "Manila")


def story_text(n: int) -> str:
    """A short, distinct report (no two are near copies)."""
    place = PLACES[n % len(PLACES)]
    return (f"Report {n}: the envoy of country {n} arrived in {place} on day {n} for talks on fishing rights, "
            f"port fees and a customs union, officials in {place} said, adding that item {n * 7} and clause "
            f"{n * 13} would be settled at a second round in month {n % 12 + 1}.")


def write_jsonl(path: Path, ids: Iterable[str], start: int = 0, published: str = "2024-04-02") -> Path:
    rows = [{"id": i, "text": story_text(start + k), "source": f"outlet{k % 3}", "published": published}
            for k, i in enumerate(ids)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def mention(a: Article, cameo: str = "040", n: int = 0) -> EventMention:
    return EventMention(
        id=stable_id(a.article_id, "m", str(n), cameo), article_id=a.article_id,
        source=Actor(code="KEN", country="KEN"), target=Actor(code="PER", country="PER"),
        cameo=cameo, cameo_root=cameo[:2], plover="CONSULT" if cameo < "14" else "ASSAULT", plover_mode=None,
        quad_class=1 if cameo < "14" else 4, goldstein=1.0 if cameo < "14" else -9.0,
        date=EventDate(start=a.published, end=a.published, precision="day"), location=None,
        factuality="asserted", evidence=Evidence(sentence=a.text[:60], start=0, end=60),
        coder=Coder(version="test", lexicons="test"),
    )


class PickyCoder:
    """Codes each article into one mention (CAMEO ``cameo``), but raises on the ``bad`` ones the way spaCy does on
    a text it cannot take: inside the batch, so the generator dies with the articles after it uncoded; and gives
    the ``unstorable`` ones a mention the store must refuse (no CAMEO root)."""

    def __init__(self, bad: Iterable[str] = (), unstorable: Iterable[str] = (), cameo: str = "040") -> None:
        self.bad, self.unstorable, self.cameo = set(bad), set(unstorable), cameo
        self.seen: list[str] = []

    def code_articles(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[EventMention]]]:
        for a in articles:
            self.seen.append(a.article_id)
            if a.article_id in self.bad:
                raise ValueError(f"[E088] Text of length {len(a.text)} exceeds maximum of 1000000.\x1b[2J")
            m = mention(a, self.cameo)
            if a.article_id in self.unstorable:
                m.cameo_root = None  # type: ignore[assignment]  # NOT NULL in the store
            yield a, [m]


def dump(path: Path, without: tuple[str, ...] = ()) -> dict[str, list[tuple]]:
    """Every table's rows (but ``without``)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables ORDER BY table_name").fetchall() if r[0] not in without]
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}
    finally:
        con.close()


HISTORY = ("story_aliases",)


def articles_by_id(store: Store) -> dict[str, dict]:
    return {r["article_id"]: queries.get_article(store, r["article_id"]) for r in queries.list_articles(store)}


def no_orphans(path: Path) -> None:
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM mentions WHERE story_id IS NULL").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM mentions m WHERE story_id NOT IN (SELECT story_id FROM stories)"
                           ).fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM stories s WHERE NOT EXISTS "
                           "(SELECT 1 FROM mentions m WHERE m.story_id = s.story_id)").fetchone()[0] == 0
    finally:
        con.close()


# ---------------------------------------------------------------- the coder fails on one article


def test_a_coder_error_on_one_article_stores_it_uncoded_and_the_rest_coded(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", ["a", "b", "c", "d", "e"])
    store = Store(tmp_path / "s.duckdb")
    reported = []
    summary = ingest([source], store, coder_factory=lambda: PickyCoder(bad={"c"}), batch_size=4,
                     on_failure=reported.append)
    assert summary.ingested == 5 and summary.coded == 4 and summary.mentions == 4
    assert [str(f) for f in reported] == [str(f) for f in summary.failures]
    (failure,) = summary.failures
    assert failure.origin == f"{source}:3"
    assert "not coded" in failure.reason and "ValueError" in failure.reason and "E088" in failure.reason
    assert "\x1b" not in str(failure)  # control characters never reach a terminal
    rows = articles_by_id(store)
    assert set(rows) == {"a", "b", "c", "d", "e"}
    assert not rows["c"]["coded"] and "E088" in rows["c"]["code_error"] and rows["c"]["mentions"] == 0
    assert all(rows[i]["coded"] and rows[i]["code_error"] is None and rows[i]["mentions"] == 1 for i in "abde")
    no_orphans(store.path)


def test_the_cli_names_the_failed_article_and_exits_1(tmp_path: Path, monkeypatch) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", ["a", "b", "c"])
    monkeypatch.setattr(ingest_job, "default_coder", lambda: PickyCoder(bad={"b"}))
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "s.duckdb"), "ingest", str(source)],
                                catch_exceptions=False)
    assert result.exit_code == EXIT_SOME_FAILED, result.output
    assert f"error: {source}:2: not coded" in result.stderr
    assert "ingested 3 new article(s)" in result.stdout and "failed: 1" in result.stdout


# ---------------------------------------------------------------- a reader fails unexpectedly


def test_a_reader_raising_unexpectedly_costs_only_that_input(tmp_path: Path, monkeypatch) -> None:
    good = write_jsonl(tmp_path / "good.jsonl", ["g1", "g2"], start=10)
    bad = write_jsonl(tmp_path / "bad.jsonl", ["b1", "b2", "b3"], start=20)
    original = Reader.read

    def read(self, item):
        found = original(self, item)
        if item.label == str(bad):
            yield next(found)
            raise RuntimeError("reader bug\x07 in the middle\nof a file")
        yield from found

    monkeypatch.setattr(Reader, "read", read)
    store = Store(tmp_path / "s.duckdb")
    summary = ingest([bad, good], store, code=False)
    (failure,) = summary.failures
    assert failure.origin == str(bad)
    assert "RuntimeError" in failure.reason and "reader bug" in failure.reason
    assert "\x07" not in str(failure) and "\n" not in str(failure)
    # the article read before the error is kept, and the next input is read
    assert {a.article_id for a in queries.read_articles(store)} == {"b1", "g1", "g2"}


def test_an_unexpected_error_on_one_article_costs_only_that_article(tmp_path: Path, monkeypatch) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", ["a", "b", "c"])
    original = ingest_job.finalise

    def finalise(article, fallback):
        if article.article_id == "b":
            raise KeyError("no such field")
        return original(article, fallback)

    monkeypatch.setattr(ingest_job, "finalise", finalise)
    store = Store(tmp_path / "s.duckdb")
    summary = ingest([source], store, code=False)
    assert [f.origin for f in summary.failures] == [f"{source}:2"]
    assert {a.article_id for a in queries.read_articles(store)} == {"a", "c"}


# ---------------------------------------------------------------- the store refuses one article's rows


def test_a_store_refusing_one_articles_rows_keeps_the_batch(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", ["a", "b", "c", "d"])
    store = Store(tmp_path / "s.duckdb")
    summary = ingest([source], store, coder_factory=lambda: PickyCoder(unstorable={"b"}), batch_size=4)
    (failure,) = summary.failures
    assert failure.origin == f"{source}:2" and "not coded" in failure.reason
    rows = articles_by_id(store)
    assert set(rows) == {"a", "b", "c", "d"} and summary.ingested == 4
    assert not rows["b"]["coded"] and rows["b"]["code_error"] and rows["b"]["mentions"] == 0
    assert all(rows[i]["coded"] and rows[i]["mentions"] == 1 for i in "acd")
    no_orphans(store.path)


# ---------------------------------------------------------------- dragoman recode


def test_recode_codes_the_failed_article_and_gives_the_store_of_a_clean_run(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", ["a", "b", "c", "d", "e"])
    clean = Store(tmp_path / "clean.duckdb")
    ingest([source], clean, coder_factory=PickyCoder, batch_size=2)
    store = Store(tmp_path / "s.duckdb")
    ingest([source], store, coder_factory=lambda: PickyCoder(bad={"b"}), batch_size=2)
    summary = recode(store, coder_factory=PickyCoder)
    assert summary.selected == 1 and summary.coded == 1 and summary.mentions == 1 and not summary.failures
    # (story aliases record a store's history, which differs: the clean run never lacked article b)
    assert dump(store.path, without=HISTORY) == dump(clean.path, without=HISTORY)
    # nothing left to recode
    again = recode(store, coder_factory=PickyCoder)
    assert again.selected == 0


def test_recode_after_no_code_equals_a_coded_ingest(tmp_path: Path) -> None:
    one = write_jsonl(tmp_path / "one.jsonl", ["a", "b", "c", "d"])
    fr = tmp_path / "two.jsonl"
    fr.write_text(json.dumps({"id": "fr", "text": "Le ministre des affaires étrangères a rencontré son homologue "
                                                  "à Dakar lundi pour parler de la pêche et des ports."}) + "\n"
                  + json.dumps({"id": "copy", "text": story_text(0), "source": "elsewhere"}) + "\n",
                  encoding="utf-8")
    coded = Store(tmp_path / "coded.duckdb")
    ingest([one, fr], coded, coder_factory=PickyCoder, batch_size=3)
    store = Store(tmp_path / "s.duckdb")
    ingest([one, fr], store, code=False, batch_size=3)
    coder = PickyCoder()
    summary = recode(store, coder_factory=lambda: coder, batch_size=3)
    assert sorted(coder.seen) == ["a", "b", "c", "d"]  # never the French article nor the copy
    assert summary.coded == 4
    assert dump(store.path, without=HISTORY) == dump(coded.path, without=HISTORY)


def test_recode_all_replaces_mentions_and_reassigns_stories(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", ["a", "b", "c"])
    expected = Store(tmp_path / "expected.duckdb")
    ingest([source], expected, coder_factory=lambda: PickyCoder(cameo="190"))
    store = Store(tmp_path / "s.duckdb")
    ingest([source], store, coder_factory=lambda: PickyCoder(cameo="040"))
    assert recode(store, coder_factory=PickyCoder).selected == 0  # all coded: nothing to do by default
    summary = recode(store, everything=True, coder_factory=lambda: PickyCoder(cameo="190"))
    assert summary.selected == 3 and summary.coded == 3
    assert (summary.recoded, summary.added, summary.removed, summary.unchanged) == (3, 0, 0, 0)
    no_orphans(store.path)
    # each new mention remembers the coder before; but for that, the store is the one a fresh ingest makes
    records = [json.loads(r[0]) for r in duckdb.connect(str(store.path), read_only=True).execute(
        "SELECT record FROM mentions").fetchall()]
    assert records and all(r["coder"]["previous"] == {"version": "test", "lexicons": "test"} for r in records)
    got, want = dump(store.path), dump(expected.path)
    for table in ("mentions", "stories", "story_links", "articles"):
        assert without_previous_coder(got[table]) == want[table], table


def without_previous_coder(rows: list[tuple]) -> list[tuple]:
    """Rows with the ``coder.previous`` provenance taken out of their JSON records."""
    def clean(cell):
        return re.sub(r',?\s*"previous":\s*\{[^{}]*\}', "", cell) if isinstance(cell, str) else cell
    return sorted(tuple(clean(c) for c in row) for row in rows)


def test_recode_command(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "s.duckdb"
    source = write_jsonl(tmp_path / "in.jsonl", ["a", "b", "c"])
    monkeypatch.setattr(ingest_job, "default_coder", lambda: PickyCoder(bad={"a", "c"}))
    runner = CliRunner()
    assert runner.invoke(main, ["--db", str(db), "ingest", str(source)]).exit_code == EXIT_SOME_FAILED
    monkeypatch.setattr(ingest_job, "default_coder", lambda: PickyCoder(bad={"c"}))
    result = runner.invoke(main, ["--db", str(db), "recode"], catch_exceptions=False)
    assert result.exit_code == EXIT_SOME_FAILED, result.output
    assert "error: c: not coded" in result.stderr and "recoded 1 of 2 article(s)" in result.stdout
    result = runner.invoke(main, ["--db", str(db), "recode", "nope"], catch_exceptions=False)
    assert result.exit_code == EXIT_NOTHING_DONE and "error: nope: no such article" in result.stderr
    monkeypatch.setattr(ingest_job, "default_coder", PickyCoder)
    result = runner.invoke(main, ["--db", str(db), "recode", "c", "b"], catch_exceptions=False)
    assert result.exit_code == EXIT_OK and "recoded 2 of 2 article(s)" in result.stdout
    result = runner.invoke(main, ["--db", str(db), "-q", "recode", "--all"], catch_exceptions=False)
    assert result.exit_code == EXIT_OK and result.stdout == ""
    result = runner.invoke(main, ["--db", str(db), "recode", "--all", "a"])
    assert result.exit_code == 2
    rows = articles_by_id(Store(db))
    assert all(r["coded"] and r["code_error"] is None and r["mentions"] == 1 for r in rows.values())


# ---------------------------------------------------------------- stories are never orphaned


class Killed(BaseException):
    """Stands in for SIGKILL in-process."""


def test_mentions_left_without_a_story_are_reassigned_by_the_next_run(tmp_path: Path, monkeypatch) -> None:
    """The state an older Dragoman left when killed between a batch's commit and its story assignment: the
    batch's mentions stored, without a story. The next run (which skips the stored articles) assigns them."""
    source = write_jsonl(tmp_path / "in.jsonl", [f"x{n}" for n in range(7)])
    clean = Store(tmp_path / "clean.duckdb")
    ingest([source], clean, coder_factory=PickyCoder, batch_size=2)

    store = Store(tmp_path / "s.duckdb")
    assign, apply = ingest_job.assign_stories_in, ingest_job.apply_plan
    now = {"batch": 0}

    def pause(stage: str, batch: int) -> None:
        now["batch"] = batch
        if (stage, batch) == ("commit", 3):
            raise Killed  # after the third batch's commit, which assigned no story (as an old version's kill)

    monkeypatch.setattr(ingest_job, "_pause", pause)
    monkeypatch.setattr(ingest_job, "assign_stories_in",
                        lambda con, ids, **kw: 0 if now["batch"] == 3 else assign(con, ids, **kw))
    monkeypatch.setattr(ingest_job, "apply_plan", lambda con, plan, fp: 0 if now["batch"] == 3 else apply(con, plan, fp))
    with pytest.raises(Killed):
        ingest([source], store, coder_factory=PickyCoder, batch_size=2)
    con = duckdb.connect(str(store.path), read_only=True)
    assert con.execute("SELECT count(*) FROM mentions WHERE story_id IS NULL").fetchone()[0] == 2
    con.close()
    monkeypatch.undo()
    ingest([source], store, coder_factory=PickyCoder, batch_size=2)
    assert dump(store.path) == dump(clean.path)


def test_story_assignment_loads_only_the_blocks_it_reclusters(tmp_path: Path, monkeypatch) -> None:
    from dragoman.store import stories as story_rows

    store = Store(tmp_path / "s.duckdb")
    ingest([write_jsonl(tmp_path / "one.jsonl", ["a", "b", "c"])], store, coder_factory=PickyCoder)
    loaded: list[str] = []
    original = story_rows.clustering_rows

    def recording(con, *args, **kwargs):
        rows = original(con, *args, **kwargs)
        loaded.extend(r["cameo_root"] for r in rows)
        return rows

    monkeypatch.setattr(story_rows, "clustering_rows", recording)
    ingest([write_jsonl(tmp_path / "two.jsonl", ["d", "e"], start=30)], store,
           coder_factory=lambda: PickyCoder(cameo="190"))
    assert loaded == ["19", "19"]  # the block of the new mentions, not the three mentions of block 04


def test_stories_planned_outside_the_lock_equal_stories_clustered_in_the_transaction(tmp_path: Path,
                                                                                     monkeypatch) -> None:
    sources = [write_jsonl(tmp_path / "one.jsonl", [f"p{n}" for n in range(5)]),
               write_jsonl(tmp_path / "two.jsonl", [f"q{n}" for n in range(5)], start=3)]  # q0..q1: copies
    planned = Store(tmp_path / "planned.duckdb")
    ingest(sources, planned, coder_factory=PickyCoder, batch_size=3)
    monkeypatch.setattr(ingest_job, "apply_plan", lambda con, plan, fingerprint: None)  # always re-cluster
    in_transaction = Store(tmp_path / "in_transaction.duckdb")
    ingest(sources, in_transaction, coder_factory=PickyCoder, batch_size=3)
    assert dump(planned.path) == dump(in_transaction.path)


def test_a_writer_between_the_plan_and_the_write_is_noticed(tmp_path: Path, monkeypatch) -> None:
    from dragoman.jobs.stories import assign_stories

    store = Store(tmp_path / "s.duckdb")
    ingest([write_jsonl(tmp_path / "one.jsonl", ["a", "b"])], store, coder_factory=PickyCoder)
    original = ingest_job.plan_batch
    applied: list[object] = []

    def plan_then_interfere(store_, rows, cache=None):
        plan = original(store_, rows, cache)
        other = write_jsonl(tmp_path / "other.jsonl", ["x"], start=50)
        monkeypatch.setattr(ingest_job, "plan_batch", original)
        ingest([other], store_, coder_factory=PickyCoder)  # another writer, in the same block
        return plan

    real_apply = ingest_job.apply_plan
    monkeypatch.setattr(ingest_job, "plan_batch", plan_then_interfere)
    monkeypatch.setattr(ingest_job, "apply_plan",
                        lambda con, plan, fp: applied.append(real_apply(con, plan, fp)) or applied[-1])
    ingest([write_jsonl(tmp_path / "two.jsonl", ["c"], start=60)], store, coder_factory=PickyCoder)
    assert applied[-1] is None  # the plan was stale: the stories were clustered again in the transaction
    no_orphans(store.path)
    before = dump(store.path)
    assign_stories(store)  # a full re-clustering changes nothing
    assert dump(store.path) == before


class VersionedCoder(PickyCoder):
    """A PickyCoder that says which coder it is (``info``), as the real coder does."""

    def __init__(self, lexicons: str, cameo: str = "040", stop_after: int | None = None) -> None:
        super().__init__(cameo=cameo)
        self.info = Coder(version="test", lexicons=lexicons)
        self.stop_after = stop_after

    def code_articles(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[EventMention]]]:
        for a, mentions in super().code_articles(articles):
            if self.stop_after is not None and len(self.seen) > self.stop_after:
                raise KeyboardInterrupt  # the user stops the run
            yield a, [replace(m, coder=self.info) for m in mentions]


def test_recode_all_codes_only_what_the_current_coder_has_not_and_resumes(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", ["a", "b", "c", "d", "e"])
    store = Store(tmp_path / "s.duckdb")
    ingest([source], store, coder_factory=lambda: VersionedCoder("old"))
    assert recode(store, everything=True, coder_factory=lambda: VersionedCoder("old")).selected == 0
    # a new lexicon, and the run is stopped after its first batch of two
    with pytest.raises(KeyboardInterrupt):
        recode(store, everything=True, batch_size=2, coder_factory=lambda: VersionedCoder("new", stop_after=2))
    con = duckdb.connect(str(store.path), read_only=True)
    done = dict(con.execute("SELECT article_id, coded_with FROM articles").fetchall())
    con.close()
    assert sorted(done.values()) == ["test+new", "test+new", "test+old", "test+old", "test+old"]
    again = VersionedCoder("new", cameo="190")
    summary = recode(store, everything=True, batch_size=2, coder_factory=lambda: again)
    assert summary.selected == summary.coded == 3 and sorted(again.seen) == sorted(
        a for a, v in done.items() if v == "test+old")
    assert (summary.recoded, summary.unchanged, summary.added, summary.removed) == (3, 0, 0, 0)
    con = duckdb.connect(str(store.path), read_only=True)
    coders = [json.loads(r[0]) for r in con.execute("SELECT json_extract(record, '$.coder') FROM mentions "
                                                     "ORDER BY article_id").fetchall()]
    con.close()
    assert all(c["lexicons"] == "new" and c["previous"]["lexicons"] in ("old", "new") for c in coders)
    assert sum(c["previous"]["lexicons"] == "old" for c in coders) == 5  # each article's own earlier coder
    forced = recode(store, everything=True, force=True, coder_factory=lambda: VersionedCoder("new", cameo="190"))
    # (the interrupted run coded a and b as 040; the others are 190 already)
    assert (forced.selected, forced.recoded, forced.unchanged) == (5, 2, 3)


def test_recode_narrows_by_outlet_and_date(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    ingest([write_jsonl(tmp_path / "april.jsonl", ["a", "b", "c"], published="2024-04-02"),
            write_jsonl(tmp_path / "may.jsonl", ["d", "e", "f"], start=3, published="2024-05-02")],
           store, code=False)
    coder = PickyCoder()
    summary = recode(store, since="2024-05-01", coder_factory=lambda: coder)
    assert sorted(coder.seen) == ["d", "e", "f"] and summary.added == 3
    coder = PickyCoder()
    recode(store, source="outlet1", coder_factory=lambda: coder)
    assert coder.seen == ["b"]  # (outlet1 in April; May's outlet1 is coded already)
