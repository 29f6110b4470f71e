"""One-time generator for src/dragoman/web/static/vendor/iso3166-numeric.json (kept for provenance; not run by the
pipeline or the server): which ISO 3166-1 alpha-3 code each country polygon of the vendored world-atlas map is.

world-atlas ids are ISO 3166-1 numeric codes ("760" is Syria); the API's countries are alpha-3 ("SYR"). The
numeric<->alpha-3 pairs come from the npm package i18n-iso-countries (MIT), its codes.json:

    npm pack i18n-iso-countries@7.14.0 && tar xzf i18n-iso-countries-7.14.0.tgz
    .venv/bin/python tools/make_country_numeric.py package/codes.json

Only the codes the map draws are written. Three world-atlas polygons have no id; Kosovo is mapped by its name to
the code the geo tables use (XKX), N. Cyprus and Somaliland are left unshaded (no ISO code of their own).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

VENDOR = Path(__file__).resolve().parents[1] / "src" / "dragoman" / "web" / "static" / "vendor"
BY_NAME = {"Kosovo": "XKX"}  # world-atlas features without an id, by their name


def main(codes_json: str) -> None:
    pairs = json.loads(Path(codes_json).read_text(encoding="utf-8"))  # [[alpha2, alpha3, numeric, iso3166-2], ...]
    numeric_to_alpha3 = {numeric: alpha3 for _alpha2, alpha3, numeric, *_rest in pairs}
    atlas = json.loads((VENDOR / "countries-110m.json").read_text(encoding="utf-8"))
    ids = sorted({g["id"] for g in atlas["objects"]["countries"]["geometries"] if g.get("id")})
    missing = [i for i in ids if i not in numeric_to_alpha3]
    if missing:
        sys.exit(f"no alpha-3 code for world-atlas ids {missing}")
    table = {
        "source": "i18n-iso-countries@7.14.0 codes.json (MIT), written by tools/make_country_numeric.py",
        "by_id": {i: numeric_to_alpha3[i] for i in ids},
        "by_name": BY_NAME,
    }
    (VENDOR / "iso3166-numeric.json").write_text(json.dumps(table, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(ids)} ids, {len(BY_NAME)} names")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "package/codes.json")
