"""Analysts' corrections: a mention or story marked wrong, confirmed, or with fields corrected, with a reason.

A correction is a row of its own (who, when, why, the coded values it replaces, the coder that made them); the
coded row is never changed. What the active corrections amount to is kept as one row of corrected values per
mention (``mention_fixes``) or story (``story_fixes``), rebuilt whenever a correction, an undo or a recode
touches them, and every query reads the coded rows through the views ``mentions_applied`` and
``stories_applied``: the corrected values, what was marked wrong left out. ``raw`` readers read the tables.

A mention correction names its mention by id, and also by its evidence (article, sentence span, trigger span
and words, actor spans), so when ``dragoman recode`` replaces the article's mentions (new coder, new ids) it
follows the mention that codes the same trigger of the same sentence; one that finds none is kept, unapplied
(``applies_to`` is empty), and tried again on the next recode. A story correction follows its story through
merges (the story's aliases).
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import duckdb

from dragoman.model import FACTUALITIES
from dragoman.store.db import MENTION_COLUMNS, Store, bulk_insert, utcnow

KINDS = ("mention", "story")
ACTIONS = ("wrong", "fix", "confirm")
# What a fix may set, and the shape of its value (what `dragoman corrections add --set` and the API take).
FIELDS = {
    "cameo": "a CAMEO code (its root, QuadClass, Goldstein and PLOVER type follow unless set too)",
    "plover": "a PLOVER type",
    "plover_mode": "a PLOVER mode, or none",
    "source": "an actor code (SYRGOV, USA, ---REB), or none",
    "source_name": "the source entity's name",
    "target": "an actor code, or none",
    "target_name": "the target entity's name",
    "date": "YYYY-MM-DD, a range YYYY-MM-DD/YYYY-MM-DD, or none (unknown)",
    "place": "a place name, or none",
    "place_country": "the place's country (ISO alpha-3); alone, a country-level place",
    "place_lat": "latitude of the place",
    "place_lon": "longitude of the place",
    "factuality": f"one of {', '.join(FACTUALITIES)}",
}
_ACTOR_CODE = re.compile(r"^(?:[A-Z]{3}|---)+$")
_COUNTRY = re.compile(r"^[A-Z]{3}$")
NONE_WORDS = frozenset({"", "none", "null", "-"})

COLUMNS = (
    "correction_id", "kind", "action", "mention_id", "story_id", "article_id", "sentence_start", "sentence_end",
    "trigger_start", "trigger_end", "trigger_text", "source_start", "target_start", "fields", "original",
    "reason", "analyst", "coder", "created_at", "undone_at", "undone_by", "applies_to",
)


class CorrectionError(ValueError):
    """A correction that cannot be taken: an unknown mention or story, a bad field or value."""


class NotFound(CorrectionError):
    """The mention, story or correction named is not in the store."""


@dataclass
class Correction:
    """What an analyst says of one mention (``mention_id``) or story (``story_id``): it is ``wrong`` (no such
    event), right (``confirm``), or needs a ``fix`` of the ``fields`` given (see :data:`FIELDS`)."""

    action: str
    mention_id: str | None = None
    story_id: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    reason: str | None = None
    analyst: str | None = None

    @property
    def kind(self) -> str:
        return "mention" if self.mention_id else "story"

    def check(self) -> None:
        if bool(self.mention_id) == bool(self.story_id):
            raise CorrectionError("name exactly one mention or one story")
        if self.action not in ACTIONS:
            raise CorrectionError(f"unknown action {self.action!r}; one of {', '.join(ACTIONS)}")
        if self.action == "fix" and not self.fields:
            raise CorrectionError("a fix needs at least one field to set")
        if self.action != "fix" and self.fields:
            raise CorrectionError(f"{self.action!r} sets no fields (use a fix)")
        unknown = sorted(set(self.fields) - set(FIELDS))
        if unknown:
            raise CorrectionError(f"unknown field {unknown[0]!r}; one of {', '.join(FIELDS)}")
        self.fields = checked_fields(self.fields)
        if self.reason is not None and len(self.reason) > 2000:
            raise CorrectionError("the reason is longer than 2,000 characters")


# ---------------------------------------------------------------- field values


def _none(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in NONE_WORDS)


def _day(text: str, name: str) -> str:
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError as exc:
        raise CorrectionError(f"{name}: {text!r} is not a date (YYYY-MM-DD)") from exc


def checked_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields with their values checked and normalised (codes upper-cased, dates ISO, ``none`` as None)."""
    from dragoman.events.lexicon import PLOVER_TYPES, code_info

    out: dict[str, Any] = {}
    for name, value in fields.items():
        if _none(value):
            if name in ("cameo", "plover", "factuality"):
                raise CorrectionError(f"{name} cannot be none (mark the mention wrong instead)")
            out[name] = None
            continue
        if name in ("place_lat", "place_lon"):
            try:
                number = float(value)
            except (TypeError, ValueError) as exc:
                raise CorrectionError(f"{name}: {value!r} is not a number") from exc
            limit = 90 if name == "place_lat" else 180
            if not -limit <= number <= limit:
                raise CorrectionError(f"{name}: {number} is out of range (±{limit})")
            out[name] = number
            continue
        if not isinstance(value, str):
            raise CorrectionError(f"{name}: give a string, not {type(value).__name__}")
        text = value.strip()
        if len(text) > 300:
            raise CorrectionError(f"{name}: longer than 300 characters")
        if name == "cameo":
            if not re.fullmatch(r"[0-9]{2,4}", text):
                raise CorrectionError(f"cameo: {text!r} is not a CAMEO code (two to four digits)")
            try:
                code_info(text)
            except KeyError as exc:
                raise CorrectionError(f"cameo: {text!r} is not in the CAMEO table") from exc
        elif name == "plover":
            text = text.upper()
            if text not in PLOVER_TYPES:
                raise CorrectionError(f"plover: {text!r} is not a PLOVER type; one of {', '.join(sorted(PLOVER_TYPES))}")
        elif name in ("source", "target"):
            text = text.upper()
            if not _ACTOR_CODE.fullmatch(text):
                raise CorrectionError(f"{name}: {text!r} is not an actor code (three-letter parts: SYRGOV, ---REB)")
        elif name == "place_country":
            text = text.upper()
            if not _COUNTRY.fullmatch(text):
                raise CorrectionError(f"place_country: {text!r} is not a three-letter country code")
        elif name == "date":
            start, _, end = text.partition("/")
            start = _day(start, "date")
            end = _day(end, "date") if end else start
            if end < start:
                raise CorrectionError(f"date: the range {text!r} ends before it starts")
            text = start if end == start else f"{start}/{end}"
        elif name == "factuality" and text not in FACTUALITIES:
            raise CorrectionError(f"factuality: {text!r} is not one of {', '.join(FACTUALITIES)}")
        out[name] = text
    return out


def _actor(code: str | None, name: str | None, old: dict[str, Any] | None) -> dict[str, Any] | None:
    if code is None:
        return None
    country = code[:3] if code[:3] != "---" else None
    sector = code[3:6] or None
    keep = (old or {}).get("code") == code
    return {"code": code, "country": country, "sector": sector,
            "name": name if name is not None else ((old or {}).get("name") if keep else None),
            "text": (old or {}).get("text"), "wikidata": (old or {}).get("wikidata") if keep else None}


def apply_fields(record: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """``record`` (a mention or story record) with ``fields`` (checked) set: a new CAMEO code brings its root,
    QuadClass, Goldstein score and PLOVER type (unless the PLOVER type is set too); a new actor code its
    country and sector; a new date or place replaces the coded one (its words in the text are kept as evidence
    only when they still name it)."""
    from dragoman.events.lexicon import code_info

    rec = json.loads(json.dumps(record))
    if "cameo" in fields:
        info = code_info(fields["cameo"])
        rec.update(cameo=fields["cameo"], cameo_root=info.root, quad_class=info.quad_class,
                   goldstein=info.goldstein, plover=info.plover, plover_mode=info.plover_mode)
    if "plover" in fields:
        rec["plover"] = fields["plover"]
        if "plover_mode" not in fields and "cameo" not in fields:
            rec["plover_mode"] = None
    if "plover_mode" in fields:
        rec["plover_mode"] = fields["plover_mode"]
    for side in ("source", "target"):
        if side in fields:
            rec[side] = _actor(fields[side], fields.get(f"{side}_name"), rec.get(side))
        elif f"{side}_name" in fields and rec.get(side):
            rec[side]["name"] = fields[f"{side}_name"]
    if "date" in fields:
        old = rec.get("date") or {}
        if fields["date"] is None:
            rec["date"] = {"start": None, "end": None, "precision": "unknown", "mod": None, "text": None}
        else:
            start, _, end = fields["date"].partition("/")
            end = end or start
            rec["date"] = {"start": start, "end": end, "precision": "day" if start == end else "unknown",
                           "mod": None, "text": old.get("text")}
    place_keys = {"place", "place_country", "place_lat", "place_lon"} & set(fields)
    if place_keys:
        old = rec.get("location") or {}
        if "place" in fields and fields["place"] is None:
            rec["location"] = None
        else:
            name = fields.get("place", old.get("name"))
            country = fields.get("place_country", old.get("country") if "place" not in fields else None)
            lat = fields.get("place_lat", old.get("lat") if "place" not in fields else None)
            lon = fields.get("place_lon", old.get("lon") if "place" not in fields else None)
            if name is None and country is None:
                rec["location"] = None
            else:
                precision = ("city" if lat is not None and lon is not None
                             else "country" if name is None or name == country else old.get("precision") or "city")
                same = name == old.get("name")
                rec["location"] = {"name": name or country, "country": country, "lat": lat, "lon": lon,
                                   "geonameid": old.get("geonameid") if same else None, "precision": precision,
                                   "text": old.get("text") if same else None}
    if "factuality" in fields:
        rec["factuality"] = fields["factuality"]
    return rec


def _original(record: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """The coded values a fix replaces, in the fields' own terms."""
    src, tgt = record.get("source") or {}, record.get("target") or {}
    d, loc = record.get("date") or {}, record.get("location") or {}
    span = None if not d.get("start") else (d["start"] if d.get("end") in (None, d["start"]) else f"{d['start']}/{d['end']}")
    values = {
        "cameo": record.get("cameo"), "plover": record.get("plover"), "plover_mode": record.get("plover_mode"),
        "source": src.get("code"), "source_name": src.get("name"), "target": tgt.get("code"),
        "target_name": tgt.get("name"), "date": span, "place": loc.get("name"), "place_country": loc.get("country"),
        "place_lat": loc.get("lat"), "place_lon": loc.get("lon"), "factuality": record.get("factuality"),
    }
    return {k: values[k] for k in fields}


# ---------------------------------------------------------------- writing corrections


def _coder(record: dict[str, Any]) -> str | None:
    c = record.get("coder") or {}
    return "+".join(str(x) for x in (c.get("version"), c.get("lexicons")) if x) or None


def add_correction(con: duckdb.DuckDBPyConnection, correction: Correction,
                   now: datetime | None = None) -> dict[str, Any]:
    """Record ``correction`` (checked) on ``con``, in the caller's transaction, and rebuild what it touches.
    Returns the stored correction. Raises :class:`CorrectionError` for an unknown mention or story."""
    correction.check()
    now = now or utcnow()
    correction_id = "c" + secrets.token_hex(6)
    if correction.mention_id:
        row = con.execute("SELECT record FROM mentions WHERE id = ?", [correction.mention_id]).fetchone()
        if row is None:
            raise NotFound(f"no mention {correction.mention_id!r}")
        record = json.loads(row[0])
        ev = record.get("evidence") or {}
        src, tgt = record.get("source_span") or [None], record.get("target_span") or [None]
        values = [correction_id, "mention", correction.action, record["id"], record.get("story_id"),
                  record["article_id"], ev.get("start"), ev.get("end"), ev.get("trigger_start"), ev.get("trigger_end"),
                  ev.get("trigger"), src[0], tgt[0]]
    else:
        from dragoman.store.stories import live_story_id

        live = live_story_id(con, correction.story_id or "")
        if live is None:
            raise NotFound(f"no story {correction.story_id!r}")
        record = json.loads(con.execute("SELECT record FROM stories WHERE story_id = ?", [live]).fetchone()[0])
        values = [correction_id, "story", correction.action, None, live, record.get("article_id"),
                  None, None, None, None, None, None, None]
    values += [json.dumps(correction.fields, sort_keys=True) if correction.fields else None,
               json.dumps(record, ensure_ascii=False, sort_keys=True),
               correction.reason, correction.analyst, _coder(record), now, None, None, None]
    con.execute(f"INSERT INTO corrections ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})", values)
    if correction.mention_id:
        refresh_mention_fixes(con, [record["article_id"]])
    else:
        refresh_story_fixes(con)
    return read_correction(con, correction_id)


def undo_correction(con: duckdb.DuckDBPyConnection, correction_id: str, analyst: str | None = None,
                    now: datetime | None = None) -> dict[str, Any]:
    """Undo an active correction on ``con`` (it is kept, marked undone) and rebuild what it touched."""
    found = read_correction(con, correction_id)
    if found is None:
        raise NotFound(f"no correction {correction_id!r}")
    if found["undone_at"] is not None:
        raise CorrectionError(f"correction {correction_id!r} was undone already, at {found['undone_at']}")
    con.execute("UPDATE corrections SET undone_at = ?, undone_by = ? WHERE correction_id = ?",
                [now or utcnow(), analyst, correction_id])
    if found["kind"] == "mention":
        refresh_mention_fixes(con, [found["article_id"]])
    else:
        refresh_story_fixes(con)
    return read_correction(con, correction_id)


# ---------------------------------------------------------------- rebuilding the fixes


def _match(correction: dict[str, Any], mentions: Sequence[dict[str, Any]]) -> str | None:
    """The mention of the correction's article that codes what it corrected: the same trigger (span, or words
    in the same sentence), best with the same sentence and actor spans; ``None`` when no mention does."""
    best, best_score = None, 0
    for m in mentions:
        ev = m.get("evidence") or {}
        same_trigger = (ev.get("trigger_start"), ev.get("trigger_end")) == (correction["trigger_start"],
                                                                             correction["trigger_end"])
        same_sentence = (ev.get("start"), ev.get("end")) == (correction["sentence_start"], correction["sentence_end"])
        same_words = same_sentence and (ev.get("trigger") or "") == (correction["trigger_text"] or "")
        if not (same_trigger or same_words):
            continue
        score = (4 * same_trigger + 2 * same_sentence + same_words
                 + ((m.get("source_span") or [None])[0] == correction["source_start"])
                 + ((m.get("target_span") or [None])[0] == correction["target_start"])
                 + 8 * (m["id"] == correction["mention_id"]))
        if score > best_score or (score == best_score and best is not None and m["id"] < best):
            best, best_score = m["id"], score
    return best


def _corrected(record: dict[str, Any], corrections: Sequence[dict[str, Any]]) -> tuple[dict[str, Any], bool]:
    """The record with its active corrections applied in order, and whether it was marked wrong (the last of
    ``wrong`` and ``confirm`` decides)."""
    rec, wrong, confirmed, fields = record, False, False, []
    for c in corrections:
        if c["action"] == "fix":
            rec = apply_fields(rec, c["fields"] or {})
            fields += [f for f in (c["fields"] or {}) if f not in fields]
        else:
            wrong, confirmed = c["action"] == "wrong", c["action"] == "confirm"
    rec = dict(rec)
    rec["correction"] = {"ids": [c["correction_id"] for c in corrections], "wrong": wrong,
                         "confirmed": confirmed, "fields": fields}
    return rec, wrong


def _active(con: duckdb.DuckDBPyConnection, where: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = con.execute(f"SELECT {', '.join(COLUMNS)} FROM corrections WHERE undone_at IS NULL AND {where} "
                         "ORDER BY created_at, correction_id", params)
    return [_row(dict(zip(COLUMNS, r, strict=True))) for r in cursor.fetchall()]


def refresh_mention_fixes(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> int:
    """Re-match the active mention corrections of these articles to their mentions as they are now, and rebuild
    the articles' corrected values. Returns how many corrections apply to a mention."""
    ids = sorted(set(article_ids))
    if not ids:
        return 0
    corrections = _active(con, "kind = 'mention' AND article_id IN (SELECT unnest(?))", [ids])
    con.execute("DELETE FROM mention_fixes WHERE article_id IN (SELECT unnest(?))", [ids])
    if not corrections:
        return 0
    from dragoman.store.db import mention_row

    by_article: dict[str, list[dict[str, Any]]] = {}
    for rid, rec in con.execute("SELECT article_id, record FROM mentions WHERE article_id IN (SELECT unnest(?))",
                                [ids]).fetchall():
        by_article.setdefault(rid, []).append(json.loads(rec))
    records = {m["id"]: m for ms in by_article.values() for m in ms}
    per_mention: dict[str, list[dict[str, Any]]] = {}
    updates = []
    for c in corrections:
        target = _match(c, by_article.get(c["article_id"], []))
        updates.append([target, c["correction_id"]])
        if target is not None:
            per_mention.setdefault(target, []).append(c)
    con.executemany("UPDATE corrections SET applies_to = ? WHERE correction_id = ?", updates)
    rows = []
    for mention_id, cs in per_mention.items():
        rec, wrong = _corrected(records[mention_id], cs)
        rows.append([*mention_row(rec), wrong, [c["correction_id"] for c in cs]])
    bulk_insert(con, "mention_fixes", (*MENTION_COLUMNS, "wrong", "corrections"), rows)
    return len([u for u in updates if u[0] is not None])


def refresh_story_fixes(con: duckdb.DuckDBPyConnection) -> int:
    """Re-match the active story corrections to the stories as they are now (a merged story's corrections
    follow it) and rebuild the stories' corrected values. Returns how many corrections apply to a story."""
    corrections = _active(con, "kind = 'story'", [])
    con.execute("DELETE FROM story_fixes")
    if not corrections:
        return 0
    from dragoman.store.stories import STORY_COLUMNS, live_story_id, story_row

    per_story: dict[str, list[dict[str, Any]]] = {}
    updates = []
    for c in corrections:
        live = live_story_id(con, c["story_id"])
        updates.append([live, c["correction_id"]])
        if live is not None:
            per_story.setdefault(live, []).append(c)
    con.executemany("UPDATE corrections SET applies_to = ? WHERE correction_id = ?", updates)
    rows = []
    for story_id, cs in per_story.items():
        rec_json, block = con.execute("SELECT record, block FROM stories WHERE story_id = ?", [story_id]).fetchone()
        rec, wrong = _corrected(json.loads(rec_json), cs)
        rows.append([*story_row(rec, block), wrong, [c["correction_id"] for c in cs]])
    bulk_insert(con, "story_fixes", (*STORY_COLUMNS, "wrong", "corrections"), rows)
    return len(per_story)


# ---------------------------------------------------------------- reading corrections


def _row(row: dict[str, Any]) -> dict[str, Any]:
    for key in ("fields", "original"):
        if isinstance(row.get(key), str):
            row[key] = json.loads(row[key])
    return row


def _public(row: dict[str, Any]) -> dict[str, Any]:
    """A correction as the CLI and the API give it: the original values of what it changed, not the record."""
    out = {k: v for k, v in row.items() if k not in ("original",)}
    record = row.get("original") or {}
    out["original"] = _original(record, row.get("fields") or {}) if row.get("action") == "fix" else None
    out["sentence"] = (record.get("evidence") or {}).get("sentence")
    out["coded"] = {k: record.get(k) for k in ("cameo", "plover", "factuality")} | {
        "source": (record.get("source") or {}).get("code"), "target": (record.get("target") or {}).get("code")}
    out["active"] = row.get("undone_at") is None
    out["applied"] = bool(row.get("applies_to")) and out["active"]
    for key in ("created_at", "undone_at"):
        if isinstance(out.get(key), datetime):
            out[key] = out[key].isoformat(timespec="seconds")
    return out


def read_correction(con: duckdb.DuckDBPyConnection, correction_id: str) -> dict[str, Any] | None:
    """One correction as the CLI and the API give it, read on ``con``; ``None`` if there is none."""
    row = con.execute(f"SELECT {', '.join(COLUMNS)} FROM corrections WHERE correction_id = ?",
                      [correction_id]).fetchone()
    return _public(_row(dict(zip(COLUMNS, row, strict=True)))) if row else None


def list_corrections(store: Store, *, active_only: bool = False, article_id: str | None = None,
                     mention_id: str | None = None, story_id: str | None = None, limit: int | None = None,
                     offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
    """The corrections (newest first), ``active_only`` those not undone; narrowed to an article, a mention (as
    named, or now applied to) or a story. Returns ``(total, one page)``."""
    clauses, params = [], []
    if active_only:
        clauses.append("undone_at IS NULL")
    if article_id:
        clauses.append("article_id = ?")
        params.append(article_id)
    if mention_id:
        clauses.append("(mention_id = ? OR applies_to = ?)")
        params += [mention_id, mention_id]
    if story_id:
        clauses.append("(story_id = ? OR applies_to = ?)")
        params += [story_id, story_id]
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    page = " LIMIT ? OFFSET ?" if limit is not None else ""
    with store.connect(read_only=True) as con:
        total = int(con.execute(f"SELECT count(*) FROM corrections{where}", params).fetchone()[0])
        rows = con.execute(
            f"SELECT {', '.join(COLUMNS)} FROM corrections{where} ORDER BY created_at DESC, correction_id{page}",
            [*params, *([int(limit), int(offset)] if limit is not None else [])]).fetchall()
    return total, [_public(_row(dict(zip(COLUMNS, r, strict=True)))) for r in rows]


# ---------------------------------------------------------------- corrections as gold


def _gold_event(record: dict[str, Any]) -> dict[str, Any]:
    def country(actor: dict[str, Any] | None) -> str | None:
        if not actor:
            return None
        code = (actor.get("code") or "")[:3]
        return actor.get("country") or (code if code and code != "---" else None)

    src, tgt = record.get("source"), record.get("target")
    return {"source": (src or {}).get("code"), "source_country": country(src),
            "target": (tgt or {}).get("code"), "target_country": country(tgt),
            "cameo": record.get("cameo"), "cameo_root": record.get("cameo_root"),
            "plover": record.get("plover"), "plover_original": None}


def corrections_gold(store: Store) -> list[dict[str, Any]]:
    """Every sentence an analyst judged (a mention in it corrected, confirmed or marked wrong) as a record of
    the sentence-level gold format (``events_dev.jsonl``): its events are what the analyst left standing, the
    sentence's mentions with their corrections applied (one marked wrong is no event; one not judged is taken
    as coded), in confidence order. A fix whose mention a recode lost still gives its event."""
    with store.connect(read_only=True) as con:
        judged = con.execute(
            "SELECT c.article_id, c.sentence_start, c.sentence_end, any_value(CAST(a.published AS VARCHAR)), "
            "any_value(json_extract_string(c.original, '$.evidence.sentence')), list(c.correction_id ORDER BY c.created_at) FILTER (WHERE c.applies_to IS NULL AND c.action = 'fix') "
            "FROM corrections c LEFT JOIN articles a USING (article_id) "
            "WHERE c.kind = 'mention' AND c.undone_at IS NULL GROUP BY ALL ORDER BY ALL").fetchall()
        out = []
        for article_id, start, end, published, sentence, lost in judged:
            rows = con.execute(
                "SELECT record FROM mentions_applied WHERE article_id = ? AND sentence_start = ? AND sentence_end = ? "
                "ORDER BY confidence DESC NULLS LAST, id", [article_id, start, end]).fetchall()
            records = [json.loads(r[0]) for r in rows]
            if lost:  # (fixes whose mention a recode lost: still the analyst's event)
                records += [apply_fields(c["original"], c["fields"] or {})
                            for c in _active(con, "correction_id IN (SELECT unnest(?))", [lost])]
            out.append({"id": f"{article_id}:{start}-{end}", "origin": "corrections", "text": sentence or "",
                        "published": published,
                        "events": [_gold_event(r) for r in records]})
    return out
