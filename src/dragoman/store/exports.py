"""Events in the formats event-data analysts already read: GDELT 2.0's event table, ICEWS's TSV, and PLOVER
JSON Lines in the shape POLECAT publishes. One row per story (one real-world event), or per mention.

Each export is one DuckDB ``COPY`` over the filtered mentions or stories, joined to small lookup tables made
here from the data files: what each CAMEO actor code's parts are (:mod:`dragoman.actors.codes`), each
country's FIPS 10-4 code and name and each region's name (:mod:`dragoman.geo.country_codes`), and each CAMEO
code's name (:mod:`dragoman.events.lexicon`). What each column holds, and which ones Dragoman leaves empty, is
documented in ``docs/exports.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from dragoman.store.articles import copy_out
from dragoman.store.cells import safe_expr
from dragoman.store.events import EventFilter
from dragoman.store.stories import story_where

# GDELT 2.0's event table, in order (its codebook, and the header of its published files).
GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{c}" for c in ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
                             "Religion2Code", "Type1Code", "Type2Code", "Type3Code")),
    *(f"Actor2{c}" for c in ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
                             "Religion2Code", "Type1Code", "Type2Code", "Type3Code")),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"{who}Geo_{c}" for who in ("Actor1", "Actor2", "Action")
      for c in ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")),
    "DATEADDED", "SOURCEURL",
)
# GDELT columns Dragoman does not compute: left empty (AvgTone; the actors' own places; second-level regions).
GDELT_EMPTY: tuple[str, ...] = (
    "AvgTone",
    *(f"{who}Geo_{c}" for who in ("Actor1", "Actor2")
      for c in ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")),
    "ActionGeo_ADM2Code",
)
ICEWS_COLUMNS: tuple[str, ...] = (
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text", "CAMEO Code",
    "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID", "Sentence Number", "Publisher",
    "City", "District", "Province", "Country", "Latitude", "Longitude",
)
FORMATS = ("gdelt", "icews", "plover")
# GDELT's geography types.
GEO_COUNTRY, GEO_US_STATE, GEO_US_CITY, GEO_WORLD_CITY, GEO_WORLD_STATE = 1, 2, 3, 4, 5


@dataclass(frozen=True)
class ExportSpec:
    """What to export: ``fmt`` (one of :data:`FORMATS`), stories or ``mentions``, the filter, GDELT's header
    row on request (its files have none), and at most ``limit`` rows (``None``: all)."""

    fmt: str
    mentions: bool = False
    flt: EventFilter | None = None
    header: bool = False
    limit: int | None = None


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _clean(expr: str) -> str:
    """A text value with no tab or line break (they would split a TSV row); empty stays NULL."""
    return f"nullif(translate(CAST({expr} AS VARCHAR), chr(9) || chr(10) || chr(13), '   '), '')"


# ---------------------------------------------------------------- lookup tables


def _register_lookups(con: Any, codes: Sequence[str]) -> None:
    """Register the lookup tables on ``con``: actor code parts (for ``codes``), countries, regions, CAMEO names."""
    import pyarrow as pa

    from dragoman.actors.codes import part_table
    from dragoman.events.lexicon import cameo_table
    from dragoman.geo.country_codes import country_codes

    parts = part_table()
    cc = country_codes()
    rows: dict[str, list[Any]] = {k: [] for k in (
        "code", "country", "known_group", "ethnic", "religion1", "religion2", "type1", "type2", "type3",
        "sectors", "country_name")}
    for code in codes:
        split = parts.split(code)
        if split is None:
            continue
        types = [*split.types, None, None, None]
        religions = [*split.religions, None, None]
        rows["code"].append(code)
        rows["country"].append(split.country)
        rows["known_group"].append(split.known_group)
        rows["ethnic"].append(split.ethnic)
        rows["religion1"].append(religions[0])
        rows["religion2"].append(religions[1])
        rows["type1"].append(types[0])
        rows["type2"].append(types[1])
        rows["type3"].append(types[2])
        rows["sectors"].append(",".join(split.type_labels(parts)) or None)
        rows["country_name"].append(cc.names.get(split.country or "") or parts.labels.get(split.country or ""))
    con.register("x_parts", pa.table(rows, schema=pa.schema([(k, pa.string()) for k in rows])))
    iso3 = sorted(set(cc.names) | set(cc.fips))
    con.register("x_countries", pa.table({
        "iso3": iso3, "fips": [cc.fips.get(c) for c in iso3], "iso2": [cc.iso2.get(c) for c in iso3],
        "name": [cc.names.get(c) for c in iso3]}))
    keys = sorted(cc.admin1_names)
    con.register("x_admin1", pa.table({"iso2": [k[0] for k in keys], "code": [k[1] for k in keys],
                                       "name": [cc.admin1_names[k] for k in keys]}))
    table = cameo_table()
    con.register("x_cameo", pa.table({"code": list(table), "name": [info.name for info in table.values()]}))


def _codes(con: Any, source_sql: str, params: list[Any]) -> list[str]:
    sql = (f"WITH e AS ({source_sql}) SELECT source_code FROM e WHERE source_code IS NOT NULL "
           "UNION SELECT target_code FROM e WHERE target_code IS NOT NULL")
    return [r[0] for r in con.execute(sql, params).fetchall()]


# ---------------------------------------------------------------- the events, one row each

_EVENT_COLUMNS = """
    e.id, e.story_id, e.article_id, e.source_code, e.source_name, e.source_text, e.source_wikidata,
    e.target_code, e.target_name, e.target_text, e.target_wikidata, e.cameo, e.cameo_root, e.plover,
    e.plover_mode, e.quad_class, e.goldstein, e.factuality, e.confidence, e.date_start, e.date_end,
    e.date_precision, e.date_text, e.loc_name, e.loc_country, e.loc_lat, e.loc_lon, e.loc_precision, e.loc_text,
    e.loc_geonameid, json_extract_string(e.record, '$.location.admin1') AS loc_admin1,
    e.sentence, e.sentence_start, e.trigger_text, e.killed, e.injured, e.arrested,
    e.record ->> '$.coder.version' AS coder_version,
    CASE WHEN e.source_name IS NULL AND e.source_text IS NOT NULL THEN e.record ->> '$.source.antecedent.text' END AS source_antecedent,
    CASE WHEN e.target_name IS NULL AND e.target_text IS NOT NULL THEN e.record ->> '$.target.antecedent.text' END AS target_antecedent
"""


def _picked(spec: ExportSpec) -> tuple[str, list[Any]]:
    """The filtered mentions or stories, as a query."""
    flt = spec.flt or EventFilter()
    if spec.mentions:
        where, params = flt.where()
        return f"SELECT * FROM {flt.mentions_table()}{where}", params
    where, params = story_where(flt)
    return f"SELECT * FROM {flt.stories_table()}{where}", params


def _events_sql(spec: ExportSpec) -> tuple[str, list[Any]]:
    """One row per exported event (mention, or story read through its founding mention), with what every
    format needs: the event, its story's counts, its article, and (where the format has them) its sentence's
    number in the article (ICEWS, PLOVER) and whether it is in the lead (GDELT)."""
    base, params = _picked(spec)
    if spec.mentions:
        events = f"""
            SELECT {_EVENT_COLUMNS}, e.id AS mention_id, s.num_mentions, s.num_sources, s.num_articles
            FROM picked e LEFT JOIN {(spec.flt or EventFilter()).stories_table()} s ON s.story_id = e.story_id"""
    else:
        # a story's fields are its vote; its evidence, article and sentence are its founding mention's
        events = """
            SELECT s.story_id AS id, s.story_id, coalesce(f.article_id, s.article_id) AS article_id,
                   s.source_code, s.source_name, s.source_text, s.record ->> '$.source.wikidata' AS source_wikidata,
                   s.target_code, s.target_name, s.target_text, s.record ->> '$.target.wikidata' AS target_wikidata,
                   s.cameo, s.cameo_root, s.plover, s.plover_mode, s.quad_class, s.goldstein, s.factuality,
                   s.confidence, s.date_start, s.date_end, s.date_precision, s.record ->> '$.date.text' AS date_text,
                   s.loc_name, s.loc_country, s.loc_lat, s.loc_lon, s.loc_precision,
                   s.record ->> '$.location.text' AS loc_text,
                   TRY_CAST(s.record ->> '$.location.geonameid' AS BIGINT) AS loc_geonameid,
                   s.record ->> '$.location.admin1' AS loc_admin1,
                   f.sentence, f.sentence_start, f.trigger_text, s.killed, s.injured, s.arrested,
                   s.record ->> '$.coder.version' AS coder_version, f.id AS mention_id,
                   CASE WHEN s.source_name IS NULL AND s.source_text IS NOT NULL THEN s.record ->> '$.source.antecedent.text' END AS source_antecedent,
                   CASE WHEN s.target_name IS NULL AND s.target_text IS NOT NULL THEN s.record ->> '$.target.antecedent.text' END AS target_antecedent,
                   s.num_mentions, s.num_sources, s.num_articles
            FROM picked s LEFT JOIN mentions f ON f.id = s.founder_id"""
    limit = ""
    if spec.limit is not None:
        limit = " LIMIT ?"
        params = [*params, int(spec.limit)]
    # the lead (GDELT's IsRootEvent): the headline and the first paragraph after it, or where the text has no
    # line breaks, its first sentence; worked out once per article
    body_start = "coalesce(TRY_CAST(a.extra ->> '$.body_start' AS INTEGER), 0)"
    lead_cte = f""",
        leads AS (
            SELECT a.article_id, {body_start} + coalesce(
                       nullif(strpos(substr(a.text, {body_start} + 2), chr(10)), 0),
                       nullif(length(regexp_extract(substr(a.text, {body_start} + 1, 5000),
                                                    '^\\s*.*?[.!?]["\u201d\u2019)]*(\\s|$)')), 0),
                       length(a.text) + 1) AS lead_end
            FROM articles a WHERE a.article_id IN (SELECT article_id FROM ev)
        )""" if spec.fmt == "gdelt" else ""
    in_lead = "coalesce(e.sentence_start < l.lead_end, FALSE)" if lead_cte else "FALSE"
    numbered = spec.fmt in ("icews", "plover")
    number_cte = """,
        numbered AS (
            SELECT id, dense_rank() OVER (PARTITION BY article_id ORDER BY sentence_start) AS sentence_number
            FROM mentions WHERE article_id IN (SELECT article_id FROM ev)
        )""" if numbered else ""
    sql = f"""
        WITH picked AS ({base}),
        ev AS ({events}){number_cte}{lead_cte}
        SELECT e.*, {'r.sentence_number' if numbered else 'NULL AS sentence_number'}, a.url,
               a.source AS publisher, a.published, a.language, {in_lead} AS in_lead
        FROM ev e LEFT JOIN articles a ON a.article_id = e.article_id
        {'LEFT JOIN numbered r ON r.id = e.mention_id' if numbered else ''}
        {'LEFT JOIN leads l ON l.article_id = e.article_id' if lead_cte else ''}
        ORDER BY e.date_start NULLS LAST, e.id{limit}
    """
    return sql, params


# ---------------------------------------------------------------- the formats


def _gdelt_select() -> str:
    def actor(n: int, side: str) -> list[str]:
        p = f"p{n}"
        return [
            f"{_clean(f'e.{side}_code')} AS Actor{n}Code",
            # (the name, else the words of the article, or what a pronoun there refers back to)
            f"{_clean(f'upper(coalesce(e.{side}_name, e.{side}_antecedent, e.{side}_text))')} AS Actor{n}Name",
            f"{p}.country AS Actor{n}CountryCode", f"{p}.known_group AS Actor{n}KnownGroupCode",
            f"{p}.ethnic AS Actor{n}EthnicCode", f"{p}.religion1 AS Actor{n}Religion1Code",
            f"{p}.religion2 AS Actor{n}Religion2Code", f"{p}.type1 AS Actor{n}Type1Code",
            f"{p}.type2 AS Actor{n}Type2Code", f"{p}.type3 AS Actor{n}Type3Code",
        ]

    geo_type = f"""CASE
        WHEN e.loc_name IS NULL OR e.loc_precision = 'region' OR c.fips IS NULL THEN 0
        WHEN e.loc_precision = 'country' THEN {GEO_COUNTRY}
        WHEN e.loc_precision = 'admin1' THEN CASE WHEN e.loc_country = 'USA' THEN {GEO_US_STATE}
                                                  ELSE {GEO_WORLD_STATE} END
        ELSE CASE WHEN e.loc_country = 'USA' THEN {GEO_US_CITY} ELSE {GEO_WORLD_CITY} END END"""
    adm1 = "CASE WHEN e.loc_admin1 IS NOT NULL THEN c.fips || regexp_replace(e.loc_admin1, '^[^.]*[.]', '') END"
    full_name = f"""CASE
        WHEN ({geo_type}) = 0 THEN NULL
        WHEN e.loc_precision = 'country' THEN coalesce(c.name, e.loc_name)
        WHEN e.loc_precision = 'admin1' THEN concat_ws(', ', coalesce(ad.name, e.loc_name), c.name)
        ELSE concat_ws(', ', e.loc_name, ad.name, c.name) END"""
    day = "coalesce(e.date_start, e.published)"
    empty = "NULL"
    columns = [
        # the id's last 60 bits, as GDELT's ids are integers (the full id is in the ICEWS and PLOVER exports)
        "coalesce(TRY_CAST(('0x' || right(regexp_replace(e.id, '[^0-9a-f]', '', 'g'), 15)) AS BIGINT), "
        "CAST(hash(e.id) % 1152921504606846976 AS BIGINT)) AS GLOBALEVENTID",
        f"CAST(strftime({day}, '%Y%m%d') AS INTEGER) AS SQLDATE",
        f"CAST(strftime({day}, '%Y%m') AS INTEGER) AS MonthYear",
        f"year({day}) AS Year",
        # GDELT's: the share of the year gone by that day (the day of the year / 365)
        f"round(year({day}) + dayofyear({day}) / 365.0, 4) AS FractionDate",
        *actor(1, "source"), *actor(2, "target"),
        "CASE WHEN e.in_lead THEN 1 ELSE 0 END AS IsRootEvent",
        "e.cameo AS EventCode", "substr(e.cameo, 1, 3) AS EventBaseCode", "e.cameo_root AS EventRootCode",
        "e.quad_class AS QuadClass", "e.goldstein AS GoldsteinScale",
        "coalesce(e.num_mentions, 1) AS NumMentions", "coalesce(e.num_sources, 1) AS NumSources",
        "coalesce(e.num_articles, 1) AS NumArticles", f"{empty} AS AvgTone",
    ]
    for who in ("Actor1", "Actor2"):
        columns += [f"{empty} AS {who}Geo_{c}" for c in ("Type", "FullName", "CountryCode", "ADM1Code",
                                                          "ADM2Code", "Lat", "Long", "FeatureID")]
    columns += [
        f"({geo_type}) AS ActionGeo_Type",
        f"{_clean(full_name)} AS ActionGeo_FullName",
        f"CASE WHEN ({geo_type}) > 0 THEN c.fips END AS ActionGeo_CountryCode",
        f"CASE WHEN ({geo_type}) = {GEO_COUNTRY} THEN c.fips WHEN ({geo_type}) > 0 THEN {adm1} END "
        "AS ActionGeo_ADM1Code",
        f"{empty} AS ActionGeo_ADM2Code",
        f"CASE WHEN ({geo_type}) > 0 THEN e.loc_lat END AS ActionGeo_Lat",
        f"CASE WHEN ({geo_type}) > 0 THEN e.loc_lon END AS ActionGeo_Long",
        f"""CASE WHEN ({geo_type}) = {GEO_COUNTRY} THEN c.fips
                 WHEN ({geo_type}) IN ({GEO_US_STATE}, {GEO_WORLD_STATE}) THEN {adm1}
                 WHEN ({geo_type}) > 0 THEN CAST(e.loc_geonameid AS VARCHAR) END AS ActionGeo_FeatureID""",
        "CAST(strftime(coalesce(e.published, e.date_start), '%Y%m%d') || '000000' AS BIGINT) AS DATEADDED",
        f"{_clean('coalesce(e.url, e.publisher, e.article_id)')} AS SOURCEURL",
    ]
    return ",\n".join(columns)


def _icews_select() -> str:
    def name(side: str) -> str:
        return safe_expr(_clean(f"coalesce(e.{side}_name, e.{side}_antecedent, e.{side}_text, e.{side}_code)"))

    city = "CASE WHEN e.loc_precision IN ('city', 'point', 'admin2') THEN e.loc_name END"
    province = "CASE WHEN e.loc_precision = 'admin1' THEN e.loc_name ELSE ad.name END"
    columns = [
        ("Event ID", "e.id"),
        ("Event Date", "CAST(coalesce(e.date_start, e.published) AS VARCHAR)"),
        ("Source Name", name("source")),
        ("Source Sectors", "p1.sectors"),
        ("Source Country", "p1.country_name"),
        ("Event Text", "coalesce(k.name, e.cameo)"),
        ("CAMEO Code", "e.cameo"),
        ("Intensity", "e.goldstein"),
        ("Target Name", name("target")),
        ("Target Sectors", "p2.sectors"),
        ("Target Country", "p2.country_name"),
        ("Story ID", "e.story_id"),
        ("Sentence Number", "e.sentence_number"),
        ("Publisher", safe_expr(_clean("e.publisher"))),
        ("City", safe_expr(_clean(city))),
        ("District", "NULL"),
        ("Province", _clean(province)),
        ("Country", "CASE WHEN e.loc_name IS NOT NULL THEN c.name END"),
        ("Latitude", "e.loc_lat"),
        ("Longitude", "e.loc_lon"),
    ]
    return ",\n".join(f'{expr} AS "{label}"' for label, expr in columns)


def _plover_select() -> str:
    def actor(n: int, side: str) -> str:
        return f"""CASE WHEN e.{side}_code IS NULL AND e.{side}_name IS NULL THEN [] ELSE [{{
            'name': e.{side}_name, 'code': e.{side}_code, 'country': p{n}.country,
            'country_name': p{n}.country_name,
            'sectors': CASE WHEN p{n}.sectors IS NULL THEN [] ELSE string_split(p{n}.sectors, ',') END,
            'sector_codes': list_filter([p{n}.type1, p{n}.type2, p{n}.type3], lambda x: x IS NOT NULL),
            'religions': list_filter([p{n}.religion1, p{n}.religion2], lambda x: x IS NOT NULL),
            'known_group': p{n}.known_group, 'ethnic': p{n}.ethnic,
            'wikidata': e.{side}_wikidata, 'raw': e.{side}_text, 'antecedent': e.{side}_antecedent}}] END"""

    return f"""
        e.id AS event_id, e.story_id, CAST(e.date_start AS VARCHAR) AS event_date,
        {{'start': CAST(e.date_start AS VARCHAR), 'end': CAST(e.date_end AS VARCHAR), 'precision': e.date_precision,
          'raw': e.date_text}} AS dates,
        e.plover AS event_type, e.plover_mode AS event_mode, CAST([] AS VARCHAR[]) AS contexts,
        {actor(1, 'source')} AS actors, {actor(2, 'target')} AS recipients,
        CASE WHEN e.loc_name IS NULL THEN NULL ELSE {{
            'placename': e.loc_name, 'feature_type': e.loc_precision,
            'city': CASE WHEN e.loc_precision IN ('city', 'point', 'admin2') THEN e.loc_name END,
            'province': CASE WHEN e.loc_precision = 'admin1' THEN e.loc_name ELSE ad.name END,
            'country': e.loc_country, 'country_name': c.name, 'latitude': e.loc_lat, 'longitude': e.loc_lon,
            'geonames_id': e.loc_geonameid, 'raw': e.loc_text}} END AS location,
        e.factuality, e.confidence,
        {{'code': e.cameo, 'root': e.cameo_root, 'name': k.name, 'quad_class': e.quad_class,
          'goldstein': e.goldstein}} AS cameo,
        {{'killed': e.killed, 'injured': e.injured, 'arrested': e.arrested}} AS sizes,
        coalesce(e.num_mentions, 1) AS num_mentions, coalesce(e.num_sources, 1) AS num_sources,
        coalesce(e.num_articles, 1) AS num_articles,
        e.article_id, CAST(e.published AS VARCHAR) AS publication_date, e.publisher AS source, e.url,
        e.language, e.sentence_number,
        {{'sentence': e.sentence, 'sentence_start': e.sentence_start, 'trigger': e.trigger_text}} AS evidence,
        e.coder_version AS version"""


def _joins() -> str:
    return """
        LEFT JOIN x_parts p1 ON p1.code = e.source_code
        LEFT JOIN x_parts p2 ON p2.code = e.target_code
        LEFT JOIN x_countries c ON c.iso3 = e.loc_country
        LEFT JOIN x_admin1 ad ON ad.iso2 = c.iso2 AND ad.code = regexp_replace(e.loc_admin1, '^[^.]*[.]', '')
        LEFT JOIN x_cameo k ON k.code = e.cameo"""


def export_sql(spec: ExportSpec) -> tuple[str, list[Any]]:
    """The query that yields the export's rows, in order (its lookup tables must be registered)."""
    if spec.fmt not in FORMATS:
        raise ValueError(f"unknown format {spec.fmt!r}; one of {', '.join(FORMATS)}")
    events, params = _events_sql(spec)
    select = {"gdelt": _gdelt_select, "icews": _icews_select,
              "plover": _plover_select}[spec.fmt]()
    sql = f"WITH e AS ({events}) SELECT {select} FROM e {_joins()} ORDER BY e.date_start NULLS LAST, e.id"
    return sql, params


def _options(spec: ExportSpec) -> str:
    if spec.fmt == "plover":
        return "FORMAT json"
    header = "true" if spec.fmt == "icews" or spec.header else "false"
    return f"FORMAT csv, DELIMITER '\\t', HEADER {header}, QUOTE '', ESCAPE ''"


def export_events(store: Any, spec: ExportSpec, out: Path | BinaryIO) -> int:
    """Write the export to ``out`` (a file path, or a binary stream such as stdout). Returns the rows written."""
    sql, params = export_sql(spec)
    picked, picked_params = _picked(spec)

    def copy_to(path: Path) -> int:
        with store.connect(read_only=True) as con:
            _register_lookups(con, _codes(con, picked, picked_params))
            row = con.execute(f"COPY ({sql}) TO {_quote(str(path))} ({_options(spec)})", params).fetchone()
        return int(row[0]) if row else 0

    return copy_out(copy_to, out, f"events.{spec.fmt}")
