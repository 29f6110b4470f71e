"""The map step: code one shard into Parquet. Engine-independent: the local and the Dask engines both call
:func:`code_shard`, in whatever process they run it.

Each process builds one :class:`dragoman.coder.Coder` on its first shard and keeps it (module-level cache):
spaCy and the lexicons load once per worker, not per shard. The spaCy model is one per process, so threads of
one process code their shards one at a time (a lock): run Dask workers with one thread each. A shard is streamed through the
coder; only the shard's own rows are held, so memory stays flat however many shards a worker codes.

Within a shard an article whose id was already read is skipped and an exact copy (same content hash) of an
earlier article is kept but not coded -- both would be decided the same way by the global pass, so no coding
is wasted on them. Everything else that is English is coded; the reduce step takes the global duplicate
decisions (copies across shards, near copies) and drops the mentions of articles that turn out to be copies.

Files are written under a temporary name and moved into place with ``os.replace``; the shard's marker
(``_shards/NAME.json``) says ``partial`` while it runs and ``done`` last, so a killed worker leaves either a
finished shard or one that the next run redoes -- never a half-written file under a final name.
"""

from __future__ import annotations

import json
import os
import resource
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from dragoman.ingest.sources import Reader, finalise, identify
from dragoman.ingest.types import Failure
from dragoman.jobs.batch.shards import Shard, read_shard
from dragoman.model import Article
from dragoman.store.claims import CLAIM_COLUMNS, claim_row
from dragoman.store.db import ARTICLE_COLUMNS, MENTION_COLUMNS, article_row, mention_row

SHARDS_DIR = "_shards"
_STR = pa.string()
_INT_COLUMNS = {"quad_class": pa.int8(), "sentence_start": pa.int32(), "sentence_end": pa.int32(),
                "loc_geonameid": pa.int64(), "killed": pa.int32(), "injured": pa.int32(), "arrested": pa.int32()}
_FLOAT_COLUMNS = {"goldstein", "loc_lat", "loc_lon", "confidence"}
ORDER = [pa.field("_shard", pa.int32()), pa.field("_pos", pa.int32())]
ARTICLE_SCHEMA = pa.schema(ORDER + [
    pa.field(c, pa.list_(pa.uint64()) if c == "minhash" else pa.bool_() if c == "coded" else _STR)
    for c in ARTICLE_COLUMNS
])
MENTION_SCHEMA = pa.schema(ORDER + [pa.field("_seq", pa.int32())] + [
    pa.field(c, _INT_COLUMNS.get(c) or (pa.float64() if c in _FLOAT_COLUMNS else _STR)) for c in MENTION_COLUMNS
])
CLAIM_SCHEMA = pa.schema(ORDER + [pa.field("_seq", pa.int32())] + [
    pa.field(c, pa.int32() if c in ("sentence_start", "number") else _STR) for c in CLAIM_COLUMNS
])


@dataclass
class ShardResult:
    """What coding one shard did; also the content of its ``done`` marker."""

    name: str
    index: int
    input: str
    status: str = "done"
    fingerprint: list[int] = field(default_factory=list)
    read: int = 0  # articles read
    articles: int = 0  # kept (a repeated id is skipped)
    repeated_ids: int = 0
    exact_in_shard: int = 0
    coded: int = 0
    mentions: int = 0
    claims: int = 0  # count claims read from the coded articles
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    peak_rss_mb: float = 0.0  # the worker process's peak so far
    rss_mb: float = 0.0  # its resident memory when the shard finished (flat over a long run)
    pid: int = 0
    host: str = ""
    coder: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_CACHE: dict[str, Any] = {}
_LOCK = threading.RLock()  # one shard at a time per process: the spaCy model is shared by its threads


def _coder():
    if "coder" not in _CACHE:  # the ingest job's coder: it reads count claims from its own parse
        from dragoman.analysis.claims import claims_coder

        _CACHE["coder"] = claims_coder()
    return _CACHE["coder"]


def _signer():
    if "dedup" not in _CACHE:
        from dragoman.ingest.dedup import DedupIndex

        _CACHE["dedup"] = DedupIndex()
    return _CACHE["dedup"]


def _rss_mb() -> float:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def shard_paths(out_dir: str | Path, name: str) -> dict[str, Path]:
    base = Path(out_dir) / SHARDS_DIR
    return {"marker": base / f"{name}.json", "articles": base / f"{name}.articles.parquet",
            "mentions": base / f"{name}.mentions.parquet", "claims": base / f"{name}.claims.parquet"}


def _tmp(path: Path) -> Path:
    """A temporary sibling: hidden, and not ``*.parquet``/``*.json``, so no glob ever reads it."""
    return path.with_name(f".{path.name}.tmp-{socket.gethostname()}-{os.getpid()}-{threading.get_ident()}")


def write_json_atomic(path: Path, data: Any) -> None:
    tmp = _tmp(path)
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _write_parquet_atomic(rows: list[dict[str, Any]], schema: pa.Schema, path: Path) -> None:
    tmp = _tmp(path)
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), tmp, compression="zstd")
    os.replace(tmp, path)


def code_shard(shard: Shard, out_dir: str | Path, published: str | None = None) -> ShardResult:
    """Read, identify and code one shard; write its articles and mentions; mark it done. Returns the counts.
    ``published`` (ISO date) is the date of articles that carry none, as ``ingest --published``."""
    with _LOCK:
        return _code_shard(shard, out_dir, published)


def _code_shard(shard: Shard, out_dir: str | Path, published: str | None) -> ShardResult:
    t0 = time.perf_counter()
    paths = shard_paths(out_dir, shard.name)
    paths["marker"].parent.mkdir(parents=True, exist_ok=True)
    result = ShardResult(name=shard.name, index=shard.index, input=shard.describe(), status="partial",
                         fingerprint=shard.fingerprint, pid=os.getpid(), host=socket.gethostname())
    write_json_atomic(paths["marker"], result.to_dict())
    coder = _coder()
    signer = _signer()
    result.coder = coder.info.to_dict()
    article_rows: list[dict[str, Any]] = []
    positions: dict[str, int] = {}
    seen_ids: set[str] = set()
    seen_hashes: set[str] = set()

    def to_code() -> Iterator[Article]:
        for item in read_shard(shard, Reader()):
            if isinstance(item, Failure):
                result.failures.append(str(item))
                continue
            result.read += 1
            article = identify(item)
            if article.article_id in seen_ids:
                result.repeated_ids += 1
                continue
            seen_ids.add(article.article_id)
            finalise(article, published)
            exact = article.content_hash in seen_hashes
            seen_hashes.add(article.content_hash)
            result.exact_in_shard += exact
            code = not exact and article.language == "en"
            signature = [int(v) for v in signer.signature(article.text).hashvalues]
            pos = len(article_rows)
            row = dict(zip(ARTICLE_COLUMNS, article_row(article, signature, coded=code), strict=True))
            article_rows.append({"_shard": shard.index, "_pos": pos, **row})
            if code:
                positions[article.article_id] = pos
                yield article

    mention_rows: list[dict[str, Any]] = []
    claim_rows: list[dict[str, Any]] = []
    for article, mentions, found in coder.code_articles_found(to_code()):
        result.coded += 1
        pos = positions[article.article_id]
        for seq, m in enumerate(mentions):
            row = dict(zip(MENTION_COLUMNS, mention_row(m.to_dict()), strict=True))
            mention_rows.append({"_shard": shard.index, "_pos": pos, "_seq": seq, **row})
        for seq, c in enumerate(found.get("claims", [])):
            row = dict(zip(CLAIM_COLUMNS, claim_row(c), strict=True))
            claim_rows.append({"_shard": shard.index, "_pos": pos, "_seq": seq, **row})
    result.articles = len(article_rows)
    result.mentions = len(mention_rows)
    result.claims = len(claim_rows)
    _write_parquet_atomic(article_rows, ARTICLE_SCHEMA, paths["articles"])
    _write_parquet_atomic(mention_rows, MENTION_SCHEMA, paths["mentions"])
    _write_parquet_atomic(claim_rows, CLAIM_SCHEMA, paths["claims"])
    result.status = "done"
    result.seconds = round(time.perf_counter() - t0, 3)
    result.peak_rss_mb = round(peak_rss_mb(), 1)
    result.rss_mb = round(_rss_mb(), 1)
    write_json_atomic(paths["marker"], result.to_dict())
    return result


def read_marker(out_dir: str | Path, shard: Shard) -> dict[str, Any] | None:
    """The shard's marker when the shard is finished and still matches its input; ``None`` otherwise."""
    paths = shard_paths(out_dir, shard.name)
    try:
        marker = json.loads(paths["marker"].read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (marker.get("status") != "done" or marker.get("fingerprint") != shard.fingerprint
            or not paths["articles"].is_file() or not paths["mentions"].is_file()):
        return None
    return marker
