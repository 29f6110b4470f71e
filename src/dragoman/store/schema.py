"""The store's schema as forward migrations. Each entry moves the schema from version N-1 to N.

Never edit a released migration: add a new one. ``Store`` applies the missing ones in a transaction on open.
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: articles, event mentions, stories, actors, places
    """
    CREATE TABLE articles (
        article_id     VARCHAR PRIMARY KEY,
        content_hash   VARCHAR NOT NULL,
        title          VARCHAR,
        url            VARCHAR,
        published      DATE,
        source         VARCHAR,
        author         VARCHAR,
        language       VARCHAR,
        origin         VARCHAR,
        text           VARCHAR NOT NULL,
        extra          JSON,
        duplicate_of   VARCHAR,
        duplicate_kind VARCHAR,
        minhash        UBIGINT[],
        coded          BOOLEAN NOT NULL DEFAULT FALSE
    );
    CREATE INDEX articles_hash ON articles (content_hash);

    CREATE TABLE mentions (
        id               VARCHAR PRIMARY KEY,
        article_id       VARCHAR NOT NULL,
        story_id         VARCHAR,
        source_code      VARCHAR, source_country VARCHAR, source_sector VARCHAR,
        source_name      VARCHAR, source_text VARCHAR, source_wikidata VARCHAR,
        target_code      VARCHAR, target_country VARCHAR, target_sector VARCHAR,
        target_name      VARCHAR, target_text VARCHAR, target_wikidata VARCHAR,
        cameo            VARCHAR NOT NULL,
        cameo_root       VARCHAR NOT NULL,
        plover           VARCHAR NOT NULL,
        plover_mode      VARCHAR,
        quad_class       TINYINT NOT NULL,
        goldstein        DOUBLE NOT NULL,
        date_start       DATE,
        date_end         DATE,
        date_precision   VARCHAR,
        date_mod         VARCHAR,
        date_text        VARCHAR,
        loc_name         VARCHAR, loc_country VARCHAR, loc_lat DOUBLE, loc_lon DOUBLE,
        loc_geonameid    BIGINT, loc_precision VARCHAR, loc_text VARCHAR,
        factuality       VARCHAR NOT NULL,
        confidence       DOUBLE,
        sentence         VARCHAR NOT NULL,
        sentence_start   INTEGER NOT NULL,
        sentence_end     INTEGER NOT NULL,
        trigger_text     VARCHAR,
        attribution_text VARCHAR,
        record           JSON NOT NULL
    );
    CREATE INDEX mentions_article ON mentions (article_id);

    CREATE TABLE stories (
        story_id        VARCHAR PRIMARY KEY,
        record          JSON NOT NULL,
        cameo           VARCHAR, cameo_root VARCHAR, plover VARCHAR, quad_class TINYINT, goldstein DOUBLE,
        source_country  VARCHAR, target_country VARCHAR,
        date_start      DATE, date_end DATE,
        loc_name        VARCHAR, loc_country VARCHAR,
        num_mentions    INTEGER, num_articles INTEGER, num_sources INTEGER,
        first_seen      DATE, last_seen DATE,
        confidence      DOUBLE
    );

    CREATE TABLE actors (
        code      VARCHAR NOT NULL,
        name      VARCHAR NOT NULL,
        country   VARCHAR,
        sector    VARCHAR,
        wikidata  VARCHAR,
        PRIMARY KEY (code, name)
    );

    CREATE TABLE places (
        place_key  VARCHAR PRIMARY KEY,
        name       VARCHAR NOT NULL,
        country    VARCHAR,
        lat        DOUBLE,
        lon        DOUBLE,
        geonameid  BIGINT,
        precision  VARCHAR
    );
    """,
    # 2: stories (one per real-world happening) with their join explanations and aliases; mention sizes; claims
    """
    ALTER TABLE mentions ADD COLUMN killed INTEGER;
    ALTER TABLE mentions ADD COLUMN injured INTEGER;
    ALTER TABLE mentions ADD COLUMN arrested INTEGER;

    ALTER TABLE stories ADD COLUMN article_id VARCHAR;
    ALTER TABLE stories ADD COLUMN founder_id VARCHAR;
    ALTER TABLE stories ADD COLUMN block VARCHAR;
    ALTER TABLE stories ADD COLUMN plover_mode VARCHAR;
    ALTER TABLE stories ADD COLUMN factuality VARCHAR;
    ALTER TABLE stories ADD COLUMN source_code VARCHAR;
    ALTER TABLE stories ADD COLUMN source_sector VARCHAR;
    ALTER TABLE stories ADD COLUMN source_name VARCHAR;
    ALTER TABLE stories ADD COLUMN source_text VARCHAR;
    ALTER TABLE stories ADD COLUMN target_code VARCHAR;
    ALTER TABLE stories ADD COLUMN target_sector VARCHAR;
    ALTER TABLE stories ADD COLUMN target_name VARCHAR;
    ALTER TABLE stories ADD COLUMN target_text VARCHAR;
    ALTER TABLE stories ADD COLUMN date_precision VARCHAR;
    ALTER TABLE stories ADD COLUMN loc_lat DOUBLE;
    ALTER TABLE stories ADD COLUMN loc_lon DOUBLE;
    ALTER TABLE stories ADD COLUMN loc_precision VARCHAR;
    ALTER TABLE stories ADD COLUMN num_copies INTEGER;
    ALTER TABLE stories ADD COLUMN killed INTEGER;
    ALTER TABLE stories ADD COLUMN injured INTEGER;
    ALTER TABLE stories ADD COLUMN arrested INTEGER;
    CREATE INDEX stories_block ON stories (block);

    CREATE TABLE story_links (
        mention_id  VARCHAR PRIMARY KEY,
        story_id    VARCHAR NOT NULL,
        anchor_id   VARCHAR,
        score       DOUBLE,
        reason      JSON NOT NULL
    );
    CREATE INDEX story_links_story ON story_links (story_id);

    CREATE TABLE story_aliases (
        alias     VARCHAR PRIMARY KEY,
        story_id  VARCHAR NOT NULL
    );

    CREATE TABLE claims (
        claim_id       VARCHAR PRIMARY KEY,
        article_id     VARCHAR,
        published      DATE,
        sentence       VARCHAR NOT NULL,
        sentence_start INTEGER,
        anchor         VARCHAR NOT NULL,
        counted        VARCHAR NOT NULL,
        cameo          VARCHAR, cameo_root VARCHAR, plover VARCHAR,
        source_country VARCHAR, target_country VARCHAR, target_text VARCHAR,
        period_start   DATE, period_end DATE, period_text VARCHAR,
        number         INTEGER, number_kind VARCHAR NOT NULL,
        record         JSON NOT NULL
    );
    """,
    # 3: the reason an article could not be coded (the coder failed on it, or the store refused its mentions);
    # `dragoman recode` codes it later
    """
    ALTER TABLE articles ADD COLUMN code_error VARCHAR;
    """,
    # 4: which coder (version and lexicons) coded each article, so `dragoman recode --all` after an upgrade or a
    # lexicon change codes only what the current coder has not, and an interrupted run picks up where it stopped.
    # Articles coded before are read from their mentions' provenance (unknown when they have none).
    """
    ALTER TABLE articles ADD COLUMN coded_with VARCHAR;
    UPDATE articles SET coded_with = (
        SELECT any_value(json_extract_string(m.record, '$.coder.version') || '+'
                         || json_extract_string(m.record, '$.coder.lexicons'))
        FROM mentions m WHERE m.article_id = articles.article_id)
    WHERE coded;
    """,
    # 5: watched feeds (their schedule, HTTP validators, failures and counts), the items seen in each, saved
    # alert queries and the stories each has fired for (`dragoman watch`, `dragoman alert`)
    """
    CREATE TABLE feeds (
        name            VARCHAR PRIMARY KEY,
        url             VARCHAR NOT NULL UNIQUE,
        every_s         DOUBLE NOT NULL,
        added_at        TIMESTAMP NOT NULL,
        paused_reason   VARCHAR,
        paused_at       TIMESTAMP,
        etag            VARCHAR,
        last_modified   VARCHAR,
        last_polled     TIMESTAMP,
        last_status     VARCHAR,
        last_error      VARCHAR,
        failures        INTEGER NOT NULL DEFAULT 0,
        next_due        TIMESTAMP,
        polls           INTEGER NOT NULL DEFAULT 0,
        items_new       INTEGER NOT NULL DEFAULT 0,
        items_duplicate INTEGER NOT NULL DEFAULT 0,
        items_failed    INTEGER NOT NULL DEFAULT 0,
        mentions        INTEGER NOT NULL DEFAULT 0,
        last_poll       JSON
    );

    CREATE TABLE feed_items (
        feed        VARCHAR NOT NULL,
        item_key    VARCHAR NOT NULL,
        article_id  VARCHAR,
        status      VARCHAR NOT NULL,
        text_from   VARCHAR,
        reason      VARCHAR,
        attempts    INTEGER NOT NULL DEFAULT 1,
        first_seen  TIMESTAMP NOT NULL,
        PRIMARY KEY (feed, item_key)
    );

    CREATE TABLE alerts (
        name           VARCHAR PRIMARY KEY,
        filter         JSON NOT NULL,
        to_stdout      BOOLEAN NOT NULL,
        to_file        VARCHAR,
        webhook        VARCHAR,
        allow_private  BOOLEAN NOT NULL DEFAULT FALSE,
        created_at     TIMESTAMP NOT NULL,
        last_checked   TIMESTAMP
    );

    CREATE TABLE alert_hits (
        alert        VARCHAR NOT NULL,
        story_id     VARCHAR NOT NULL,
        baseline     BOOLEAN NOT NULL,
        fired_at     TIMESTAMP NOT NULL,
        record       JSON,
        pending      VARCHAR[],
        attempts     INTEGER NOT NULL DEFAULT 0,
        last_error   VARCHAR,
        PRIMARY KEY (alert, story_id)
    );
    """,
    # 6: analysts' corrections of mentions and stories (who, when, why, the coded values they replace), and
    # what they amount to: one row of corrected values per corrected mention or story (``mention_fixes``,
    # ``story_fixes``, rebuilt from the corrections whenever a correction, an undo or a recode touches them).
    # The coded rows are never changed; ``mentions_applied`` and ``stories_applied`` are the coded rows with
    # the corrections applied and what was marked wrong left out: what every query reads unless asked for the
    # raw coding. (A later migration that adds a corrected column adds it to the fixes table and the view.)
    """
    CREATE TABLE corrections (
        correction_id   VARCHAR PRIMARY KEY,
        kind            VARCHAR NOT NULL,
        action          VARCHAR NOT NULL,
        mention_id      VARCHAR,
        story_id        VARCHAR,
        article_id      VARCHAR,
        sentence_start  INTEGER,
        sentence_end    INTEGER,
        trigger_start   INTEGER,
        trigger_end     INTEGER,
        trigger_text    VARCHAR,
        source_start    INTEGER,
        target_start    INTEGER,
        fields          JSON,
        original        JSON,
        reason          VARCHAR,
        analyst         VARCHAR,
        coder           VARCHAR,
        created_at      TIMESTAMP NOT NULL,
        undone_at       TIMESTAMP,
        undone_by       VARCHAR,
        applies_to      VARCHAR
    );
    CREATE INDEX corrections_article ON corrections (article_id);

    CREATE TABLE mention_fixes (
        id          VARCHAR PRIMARY KEY,
        article_id  VARCHAR NOT NULL,
        wrong       BOOLEAN NOT NULL,
        corrections VARCHAR[] NOT NULL,
        source_code VARCHAR, source_country VARCHAR, source_sector VARCHAR, source_name VARCHAR,
        source_text VARCHAR, source_wikidata VARCHAR,
        target_code VARCHAR, target_country VARCHAR, target_sector VARCHAR, target_name VARCHAR,
        target_text VARCHAR, target_wikidata VARCHAR,
        cameo VARCHAR, cameo_root VARCHAR, plover VARCHAR, plover_mode VARCHAR, quad_class TINYINT,
        goldstein DOUBLE,
        date_start DATE, date_end DATE, date_precision VARCHAR, date_mod VARCHAR, date_text VARCHAR,
        loc_name VARCHAR, loc_country VARCHAR, loc_lat DOUBLE, loc_lon DOUBLE, loc_geonameid BIGINT,
        loc_precision VARCHAR, loc_text VARCHAR,
        factuality VARCHAR, record JSON
    );

    CREATE TABLE story_fixes (
        story_id    VARCHAR PRIMARY KEY,
        wrong       BOOLEAN NOT NULL,
        corrections VARCHAR[] NOT NULL,
        source_code VARCHAR, source_country VARCHAR, source_sector VARCHAR, source_name VARCHAR,
        source_text VARCHAR,
        target_code VARCHAR, target_country VARCHAR, target_sector VARCHAR, target_name VARCHAR,
        target_text VARCHAR,
        cameo VARCHAR, cameo_root VARCHAR, plover VARCHAR, plover_mode VARCHAR, quad_class TINYINT,
        goldstein DOUBLE,
        date_start DATE, date_end DATE, date_precision VARCHAR,
        loc_name VARCHAR, loc_country VARCHAR, loc_lat DOUBLE, loc_lon DOUBLE, loc_precision VARCHAR,
        factuality VARCHAR, record JSON
    );

    CREATE VIEW mentions_applied AS
        SELECT m.* REPLACE (
            CASE WHEN f.wrong IS NULL THEN m.source_code ELSE f.source_code END AS source_code,
            CASE WHEN f.wrong IS NULL THEN m.source_country ELSE f.source_country END AS source_country,
            CASE WHEN f.wrong IS NULL THEN m.source_sector ELSE f.source_sector END AS source_sector,
            CASE WHEN f.wrong IS NULL THEN m.source_name ELSE f.source_name END AS source_name,
            CASE WHEN f.wrong IS NULL THEN m.source_text ELSE f.source_text END AS source_text,
            CASE WHEN f.wrong IS NULL THEN m.source_wikidata ELSE f.source_wikidata END AS source_wikidata,
            CASE WHEN f.wrong IS NULL THEN m.target_code ELSE f.target_code END AS target_code,
            CASE WHEN f.wrong IS NULL THEN m.target_country ELSE f.target_country END AS target_country,
            CASE WHEN f.wrong IS NULL THEN m.target_sector ELSE f.target_sector END AS target_sector,
            CASE WHEN f.wrong IS NULL THEN m.target_name ELSE f.target_name END AS target_name,
            CASE WHEN f.wrong IS NULL THEN m.target_text ELSE f.target_text END AS target_text,
            CASE WHEN f.wrong IS NULL THEN m.target_wikidata ELSE f.target_wikidata END AS target_wikidata,
            CASE WHEN f.wrong IS NULL THEN m.cameo ELSE f.cameo END AS cameo,
            CASE WHEN f.wrong IS NULL THEN m.cameo_root ELSE f.cameo_root END AS cameo_root,
            CASE WHEN f.wrong IS NULL THEN m.plover ELSE f.plover END AS plover,
            CASE WHEN f.wrong IS NULL THEN m.plover_mode ELSE f.plover_mode END AS plover_mode,
            CASE WHEN f.wrong IS NULL THEN m.quad_class ELSE f.quad_class END AS quad_class,
            CASE WHEN f.wrong IS NULL THEN m.goldstein ELSE f.goldstein END AS goldstein,
            CASE WHEN f.wrong IS NULL THEN m.date_start ELSE f.date_start END AS date_start,
            CASE WHEN f.wrong IS NULL THEN m.date_end ELSE f.date_end END AS date_end,
            CASE WHEN f.wrong IS NULL THEN m.date_precision ELSE f.date_precision END AS date_precision,
            CASE WHEN f.wrong IS NULL THEN m.date_mod ELSE f.date_mod END AS date_mod,
            CASE WHEN f.wrong IS NULL THEN m.date_text ELSE f.date_text END AS date_text,
            CASE WHEN f.wrong IS NULL THEN m.loc_name ELSE f.loc_name END AS loc_name,
            CASE WHEN f.wrong IS NULL THEN m.loc_country ELSE f.loc_country END AS loc_country,
            CASE WHEN f.wrong IS NULL THEN m.loc_lat ELSE f.loc_lat END AS loc_lat,
            CASE WHEN f.wrong IS NULL THEN m.loc_lon ELSE f.loc_lon END AS loc_lon,
            CASE WHEN f.wrong IS NULL THEN m.loc_geonameid ELSE f.loc_geonameid END AS loc_geonameid,
            CASE WHEN f.wrong IS NULL THEN m.loc_precision ELSE f.loc_precision END AS loc_precision,
            CASE WHEN f.wrong IS NULL THEN m.loc_text ELSE f.loc_text END AS loc_text,
            CASE WHEN f.wrong IS NULL THEN m.factuality ELSE f.factuality END AS factuality,
            CASE WHEN f.wrong IS NULL THEN m.record ELSE f.record END AS record)
        FROM mentions m LEFT JOIN mention_fixes f ON f.id = m.id
        WHERE f.wrong IS NOT TRUE;

    CREATE VIEW stories_applied AS
        SELECT s.* REPLACE (
            CASE WHEN f.wrong IS NULL THEN s.source_code ELSE f.source_code END AS source_code,
            CASE WHEN f.wrong IS NULL THEN s.source_country ELSE f.source_country END AS source_country,
            CASE WHEN f.wrong IS NULL THEN s.source_sector ELSE f.source_sector END AS source_sector,
            CASE WHEN f.wrong IS NULL THEN s.source_name ELSE f.source_name END AS source_name,
            CASE WHEN f.wrong IS NULL THEN s.source_text ELSE f.source_text END AS source_text,
            CASE WHEN f.wrong IS NULL THEN s.target_code ELSE f.target_code END AS target_code,
            CASE WHEN f.wrong IS NULL THEN s.target_country ELSE f.target_country END AS target_country,
            CASE WHEN f.wrong IS NULL THEN s.target_sector ELSE f.target_sector END AS target_sector,
            CASE WHEN f.wrong IS NULL THEN s.target_name ELSE f.target_name END AS target_name,
            CASE WHEN f.wrong IS NULL THEN s.target_text ELSE f.target_text END AS target_text,
            CASE WHEN f.wrong IS NULL THEN s.cameo ELSE f.cameo END AS cameo,
            CASE WHEN f.wrong IS NULL THEN s.cameo_root ELSE f.cameo_root END AS cameo_root,
            CASE WHEN f.wrong IS NULL THEN s.plover ELSE f.plover END AS plover,
            CASE WHEN f.wrong IS NULL THEN s.plover_mode ELSE f.plover_mode END AS plover_mode,
            CASE WHEN f.wrong IS NULL THEN s.quad_class ELSE f.quad_class END AS quad_class,
            CASE WHEN f.wrong IS NULL THEN s.goldstein ELSE f.goldstein END AS goldstein,
            CASE WHEN f.wrong IS NULL THEN s.date_start ELSE f.date_start END AS date_start,
            CASE WHEN f.wrong IS NULL THEN s.date_end ELSE f.date_end END AS date_end,
            CASE WHEN f.wrong IS NULL THEN s.date_precision ELSE f.date_precision END AS date_precision,
            CASE WHEN f.wrong IS NULL THEN s.loc_name ELSE f.loc_name END AS loc_name,
            CASE WHEN f.wrong IS NULL THEN s.loc_country ELSE f.loc_country END AS loc_country,
            CASE WHEN f.wrong IS NULL THEN s.loc_lat ELSE f.loc_lat END AS loc_lat,
            CASE WHEN f.wrong IS NULL THEN s.loc_lon ELSE f.loc_lon END AS loc_lon,
            CASE WHEN f.wrong IS NULL THEN s.loc_precision ELSE f.loc_precision END AS loc_precision,
            CASE WHEN f.wrong IS NULL THEN s.factuality ELSE f.factuality END AS factuality,
            CASE WHEN f.wrong IS NULL THEN s.record ELSE f.record END AS record)
        FROM stories s LEFT JOIN story_fixes f ON f.story_id = s.story_id
        WHERE f.wrong IS NOT TRUE;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
