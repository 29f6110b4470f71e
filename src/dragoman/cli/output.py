"""How the commands print: event records as JSON Lines, CSV or a table; fixed-width listings; articles, stories,
claims and the ingest summary as text. Every command's output goes through here, so the formats stay alike."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any

import click

from dragoman.store.cells import safe_cell

if TYPE_CHECKING:
    from dragoman.jobs.ingest import IngestSummary

# ---------------------------------------------------------------- event records (mentions and stories)

FORMATS = click.Choice(["jsonl", "table", "csv"])
CSV_COLUMNS = (
    "id", "article_id", "source", "target", "cameo", "cameo_root", "plover", "plover_mode", "quad_class",
    "goldstein", "date_start", "date_end", "date_precision", "location", "location_country", "factuality",
    "confidence", "trigger", "sentence",
)


def actor_label(a: dict[str, Any] | None) -> str:
    if not a:
        return "-"
    return a.get("code") or a.get("name") or "-"


def flat_row(r: dict[str, Any]) -> dict[str, Any]:
    d = r.get("date") or {}
    loc = r.get("location") or {}
    ev = r.get("evidence") or {}
    return {
        "id": r["id"], "article_id": r["article_id"], "source": actor_label(r.get("source")),
        "target": actor_label(r.get("target")), "cameo": r["cameo"], "cameo_root": r["cameo_root"],
        "plover": r["plover"], "plover_mode": r.get("plover_mode"), "quad_class": r["quad_class"],
        "goldstein": r["goldstein"], "date_start": d.get("start"), "date_end": d.get("end"),
        "date_precision": d.get("precision"), "location": loc.get("name"), "location_country": loc.get("country"),
        "factuality": r["factuality"], "confidence": r.get("confidence"), "trigger": ev.get("trigger"),
        "sentence": ev.get("sentence"),
    }


def write_parquet(records: Iterable[dict[str, Any]], path: str) -> int:
    """Write records' flat columns (those of the CSV) as a Parquet file; returns how many were written."""
    import pyarrow as pa

    from dragoman.store.cells import write_table

    rows = [flat_row(r) for r in records]
    write_table(pa.table({c: [row[c] for row in rows] for c in CSV_COLUMNS}), "parquet", path)
    return len(rows)


def emit(records: Iterable[dict[str, Any]], fmt: str, out) -> int:
    """Write records as JSON Lines, CSV or a readable table; returns how many were written."""
    n = 0
    if fmt == "jsonl":
        for r in records:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
            n += 1
        return n
    if fmt == "csv":  # text cells that would start a spreadsheet formula are neutralised
        writer = csv.DictWriter(out, fieldnames=list(CSV_COLUMNS))
        writer.writeheader()
        for r in records:
            writer.writerow({k: safe_cell(v) for k, v in flat_row(r).items()})
            n += 1
        return n
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for col in ("date", "source", "event", "target", "where", "fact.", "evidence"):
        table.add_column(col, overflow="fold")
    for r in records:
        f = flat_row(r)
        date = f["date_start"] if f["date_start"] == f["date_end"] else f"{f['date_start']}..{f['date_end']}"
        event = f"{f['cameo']} {f['plover']}"
        where = f["location"] or "-"
        evidence = f"[{f['trigger']}] {f['sentence'][:140]}"
        table.add_row(str(date), f["source"], event, f["target"], where, f["factuality"], evidence)
        n += 1
    Console(file=out, width=200 if not out.isatty() else None).print(table)
    return n


# ---------------------------------------------------------------- fixed-width listings (dates, places)


class Listing:
    """Rows written as JSON Lines, or as a table of fixed-width ``columns`` (``template`` lays out one line)
    under a header line; counts the rows."""

    def __init__(self, out: IO[str], fmt: str, columns: tuple[str, ...], template: str) -> None:
        self.out, self.fmt, self.columns, self.template = out, fmt, columns, template
        self.rows = 0
        if fmt == "table":
            out.write(self._line({k: k for k in columns}) + "\n")

    def _line(self, row: dict[str, Any]) -> str:
        cells = ["-" if row.get(k) is None else str(row[k]).replace("\n", " ") for k in self.columns]
        return self.template.format(*cells)

    def write(self, row: dict[str, Any]) -> None:
        self.out.write((json.dumps(row, ensure_ascii=False) if self.fmt == "jsonl" else self._line(row)) + "\n")
        self.rows += 1


# ---------------------------------------------------------------- articles


def write_articles(rows: list[dict[str, Any]], fmt: str) -> None:
    """Stored articles' metadata on stdout: JSON Lines, CSV (``extra`` as JSON) or a table."""
    from dragoman.store.articles import LIST_COLUMNS

    out = sys.stdout
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=list(LIST_COLUMNS), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            row = {**row, "extra": json.dumps(row["extra"], ensure_ascii=False) if row["extra"] else ""}
            writer.writerow({k: safe_cell(v) for k, v in row.items()})
    else:
        article_table(rows)


def article_table(rows: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False, pad_edge=False)
    table.add_column("id", style="cyan", overflow="fold", min_width=16, max_width=40)
    table.add_column("published", width=10)
    table.add_column("source", overflow="fold")
    table.add_column("lang", width=4)
    table.add_column("duplicate of", style="yellow", overflow="fold", min_width=16)
    table.add_column("title")
    for r in rows:
        dup = f"{r['duplicate_of']} ({r['duplicate_kind']})" if r["duplicate_of"] else ""
        table.add_row(r["article_id"], r["published"] or "", r["source"] or "", r["language"] or "", dup,
                      clip(r["title"] or "", 60))
    # Piped output is not cut to a terminal's 80 columns.
    Console(width=None if sys.stdout.isatty() else 200).print(table)
    click.echo(f"{len(rows)} article(s)", err=True)


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def article_lines(record: dict[str, Any]) -> Iterator[str]:
    """One stored article as text: its metadata, one field a line, then a blank line and its text."""
    for key in ("article_id", "title", "published", "source", "author", "url", "language", "origin",
                "content_hash", "duplicate_of", "duplicate_kind", "coded", "mentions"):
        value = record.get(key)
        if value is not None and value != "":
            yield f"{key + ':':<15} {value}"
    if record["copies"]:
        copies = ", ".join(f"{c['article_id']} ({c['duplicate_kind']}, {c['source'] or '?'})"
                           for c in record["copies"])
        yield f"{'copies:':<15} {copies}"
    if record["extra"]:
        yield f"{'extra:':<15} {json.dumps(record['extra'], ensure_ascii=False, sort_keys=True)}"
    yield ""
    yield record["text"]


# ---------------------------------------------------------------- stories and claims


def story_lines(story: dict[str, Any]) -> Iterator[str]:
    """One story as text: its best-attested fields, the alternatives, and each mention with why it joined."""
    d = story["date"] or {}
    loc = story.get("location") or {}
    lab = actor_label
    yield f"story {story['story_id']}" + (f" (asked for {story['requested_id']})" if "requested_id" in story else "")
    both_ways = " (reciprocal)" if story.get("reciprocal") else ""
    yield (f"  {lab(story['source'])} {story['cameo']} {story['plover']} {lab(story['target'])}{both_ways}  "
           f"{d.get('start')}..{d.get('end')} ({d.get('precision')})  {loc.get('name') or '-'}  "
           f"{story['factuality']}  confidence {story['confidence']}")
    yield (f"  {story['num_mentions']} mention(s), {story['num_articles']} article(s), {story['num_sources']} "
           f"outlet(s) ({', '.join(story['outlets'])}), {story['num_copies']} copy(ies) not counted; seen "
           f"{story['first_seen']}..{story['last_seen']}")
    yield from vote_lines(story)
    for size in ("killed", "injured", "arrested"):
        if story.get(size) is not None:
            yield f"  {size}: {story[size]}"
    for m in story["mentions"]:
        j = m["join"]
        how = "founded the story" if j["anchor"] is None else f"joined via {j['anchor']} (score {j['score']})"
        yield f"- {m['id']} [{m['outlet']} {m['published']}] {m['cameo']} {lab(m['source'])}->{lab(m['target'])}: {how}"
        yield f"    \"{m['evidence']['sentence'][:160]}\""
        for rule, why in j["reasons"].items():
            yield f"    {rule}: {why}"


def _vote_value(field: str, value: Any) -> str:
    if field == "dyad":
        return f"{value['source'] or '-'}->{value['target'] or '-'}"
    if field == "date":
        return f"{value['start']}..{value['end']} ({value['precision']})"
    return str(value)


def vote_lines(story: dict[str, Any]) -> Iterator[str]:
    """How each field of a story was chosen: the value its members voted for, with its support (mentions,
    articles, outlets), and the values outvoted."""
    votes = story.get("vote") or {}
    for field in ("dyad", "cameo", "date", "location", "factuality"):
        tally = votes.get(field)
        if not tally:
            continue
        values = tally.get("values") or []
        if not values:
            yield f"  vote {field}: no member holds one ({tally.get('abstained', 0)} abstained)"
            continue
        top = values[0]
        line = (f"  vote {field}: {_vote_value(field, top['value'])} ({top['mentions']} mention(s), "
                f"{top['articles']} article(s), {top['outlets']} outlet(s))")
        if field == "dyad" and tally.get("reciprocal"):
            line += ", reciprocal: members hold both directions"
        if len(values) > 1:
            line += "; outvoted: " + ", ".join(f"{_vote_value(field, v['value'])} ({v['mentions']})"
                                              for v in values[1:])
        if tally.get("abstained"):
            line += f"; {tally['abstained']} abstained"
        yield line
    for size in ("killed", "injured", "arrested"):
        if size in votes:
            yield f"  {size}: the largest reported of {', '.join(map(str, votes[size]['values']))}"


def claim_line(c: dict[str, Any]) -> str:
    v = c.get("store") or {}
    period = f"{c['period_start']}..{c['period_end']}" if c.get("period_start") else "no period"
    return (f"{c['article_id']}: {c['number_kind']} {c['number']} {c['counted']} ({c['cameo']} {c['plover']}"
            f"{', target ' + c['target_country'] if c.get('target_country') else ''}) {period}  "
            f"[{c['anchor']}]" + (f"\n    store: {v['verdict']} — {v['why']}" if v else ""))


# ---------------------------------------------------------------- ingest


class IngestProgress:
    """A rich progress bar on stderr, one step per input."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), TextColumn("{task.fields[label]}", style="dim"),
            console=Console(stderr=True), transient=True,
        )
        self._task = self._progress.add_task("ingest", total=None, label="")

    def start(self, total: int) -> None:
        self._progress.update(self._task, total=total)
        self._progress.start()

    def advance(self, label: str) -> None:
        self._progress.update(self._task, advance=1, label=label[-50:])

    def stop(self) -> None:
        self._progress.stop()


def ingest_summary(summary: IngestSummary, coded: bool) -> str:
    """The closing summary: what was stored, linked, left uncoded, and what failed and why."""
    lines = [
        f"ingested {summary.ingested} new article(s) from {summary.inputs} input(s)"
        + (f"; {summary.already_stored} already stored, skipped" if summary.already_stored else "")
    ]
    if summary.duplicates:
        lines.append(
            f"  duplicates: {summary.duplicates} (exact {summary.exact_duplicates}, near "
            f"{summary.near_duplicates}): stored, linked to their original, not coded"
        )
    if summary.non_english:
        langs = ", ".join(f"{lang} {n}" for lang, n in sorted(summary.non_english.items()))
        lines.append(f"  non-English: {sum(summary.non_english.values())} ({langs}): stored, not coded")
    if coded:
        lines.append(f"  coded: {summary.coded} article(s), {summary.mentions} event mention(s)")
    else:
        lines.append("  not coded (--no-code): `dragoman recode` codes them later")
    if summary.changed:
        lines.append(f"  changed since stored: {len(summary.changed)} (the stored version is kept)")
        lines.extend(f"    {origin}" for origin in summary.changed)
    if summary.failures:
        lines.append(f"  failed: {len(summary.failures)}")
        lines.extend(f"    {f}" for f in summary.failures)
    return "\n".join(lines)


def simple_table(header: list[str], rows: list[list[Any]]) -> None:
    """Rows under a header, as a terminal table (cells folded, not cut; piped output 200 columns wide)."""
    from rich.console import Console
    from rich.table import Table

    table = Table(pad_edge=False)
    for name in header:
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(*[str(c) for c in row])
    Console(width=None if sys.stdout.isatty() else 200).print(table)
