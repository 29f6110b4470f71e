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
    # what they amount to: each corrected mention's or story's row with the corrections applied, and whether it
    # was marked wrong (``mention_fixes``, ``story_fixes``: the table's own columns, then ``wrong`` and
    # ``corrections``; rebuilt whenever a correction, an undo, a recode or a story assignment touches them). The
    # coded rows are never changed; ``mentions_applied`` and ``stories_applied`` are the rows with no correction
    # and the corrected ones, what was marked wrong left out: what every query reads unless asked for the raw
    # coding. (A union, not a join of every row with its fix: a query's filters reach both tables' scans, and at a
    # million mentions it costs a few ms. A later migration that adds a column to a table adds it to its fixes.)
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

    CREATE TABLE mention_fixes AS
        SELECT *, FALSE AS wrong, CAST([] AS VARCHAR[]) AS corrections FROM mentions LIMIT 0;
    CREATE UNIQUE INDEX mention_fixes_id ON mention_fixes (id);
    CREATE INDEX mention_fixes_article ON mention_fixes (article_id);

    CREATE TABLE story_fixes AS
        SELECT *, FALSE AS wrong, CAST([] AS VARCHAR[]) AS corrections FROM stories LIMIT 0;
    CREATE UNIQUE INDEX story_fixes_id ON story_fixes (story_id);

    CREATE VIEW mentions_applied AS
        SELECT * FROM mentions m WHERE NOT EXISTS (SELECT 1 FROM mention_fixes f WHERE f.id = m.id)
        UNION ALL BY NAME
        SELECT * EXCLUDE (wrong, corrections) FROM mention_fixes WHERE NOT wrong;

    CREATE VIEW stories_applied AS
        SELECT * FROM stories s WHERE NOT EXISTS (SELECT 1 FROM story_fixes f WHERE f.story_id = s.story_id)
        UNION ALL BY NAME
        SELECT * EXCLUDE (wrong, corrections) FROM story_fixes WHERE NOT wrong;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
