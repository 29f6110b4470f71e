"""Country and region codes as other event datasets write them: FIPS 10-4 (GDELT's geography), ISO alpha-2,
country and first-level region names (ICEWS writes names, not codes). Read from the geo data files
(``fips.tsv``, ``countries.tsv``, ``admin1.tsv``), checked with file and line, once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from dragoman.geo.data_files import load_table


@dataclass(frozen=True)
class CountryCodes:
    """Per ISO alpha-3 code: its FIPS 10-4 code, ISO alpha-2 code and name; first-level region names by
    ``(ISO alpha-2, GeoNames admin1 code)``."""

    fips: dict[str, str]
    iso2: dict[str, str]
    names: dict[str, str]
    admin1_names: dict[tuple[str, str], str]

    def admin1_code(self, iso3: str | None, admin1: str | None) -> str | None:
        """GDELT's ADM1 code: the country's FIPS code and the region's code ("IZ" + "09"). GeoNames admin1 codes
        are FIPS 10-4's for most countries (not for a few, the US's state abbreviations among them)."""
        fips = self.fips.get(iso3 or "")
        if not fips:
            return None
        return fips + region_code(admin1) if admin1 else fips

    def admin1_name(self, iso3: str | None, admin1: str | None) -> str | None:
        iso2 = self.iso2.get(iso3 or "")
        return self.admin1_names.get((iso2, region_code(admin1))) if iso2 and admin1 else None


def region_code(admin1: str) -> str:
    """A first-level region's own code: places store it as "CC.code" ("IQ.07"), the tables as "07"."""
    return admin1.split(".", 1)[1] if "." in admin1 else admin1


@lru_cache(maxsize=1)
def country_codes() -> CountryCodes:
    fips = {row["iso3"]: row["fips"] for _line, row in load_table("fips.tsv")}
    countries = load_table("countries.tsv")
    iso2 = {row["iso3"]: row["iso2"] for _line, row in countries}
    names = {row["iso3"]: row["name"] for _line, row in countries}
    admin1 = {(row["cc"], row["admin1"]): row["name"] for _line, row in load_table("admin1.tsv")}
    return CountryCodes(fips=fips, iso2=iso2, names=names, admin1_names=admin1)
