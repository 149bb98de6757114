"""How well written places are read: our gazetteer reader (``Regions.parse``, through the upload's place
check) against cpca, a maintained Chinese address parser, on places written by other hands.

The places come from the intake corpus (``tests/foundation/intake_corpus``: files written from the
platforms' export columns and real address formats, with the city and district each row must be stored
with), one row per stored row that expects a district or a city: the row's province, city, district and
address cells, as written. cpca reads one string (the cells joined); ours reads the cells as the upload
does. Both are scored on (city, district) exactly; rows in English, pinyin or with zones and towns are
counted apart, as cpca reads Chinese administrative names only.

    python -m bench.places            # prints the table; cpca is measured when it is installed
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml

from matchmaking.profiles.contract import match_header
from matchmaking.profiles.read import read_table
from matchmaking.profiles.validate import _place_row
from matchmaking.reference import CITY_ZH

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "foundation" / "intake_corpus"
_ZH_CITY = {f"{v}市": k for k, v in CITY_ZH.items()}


def cases() -> list[dict]:
    """Each stored row of the corpus with its written place cells and the expected (city, district)."""
    out = []
    for case in yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8")):
        data = (CORPUS / case["file"]).read_bytes()
        table = read_table(data)
        kind = case["kind"]
        cols = {match_header(h, kind)[0]: i for i, h in enumerate(table.headers)}
        key_col = cols["credit_code" if kind == "organisations" else "project_id"]
        keys = table.columns[key_col].to_pylist()
        cells = {k: table.columns[cols[k]].to_pylist() for k in ("province", "city", "district", "address") if k in cols}
        for key, want in (case.get("rows") or {}).items():
            if "city" not in want and "district" not in want:
                continue
            pos = next((i for i, k in enumerate(keys) if str(k).strip().replace("'", "") == key), None)
            if pos is None:
                continue
            written = {k: (v[pos] or "").strip() for k, v in cells.items()}
            out.append({"file": case["file"], "key": key, "written": written,
                        "city": want.get("city"), "district": want.get("district")})
    return out


def ours(written: dict) -> tuple[str, str]:
    city, district, _, _ = _place_row(written.get("province", ""), written.get("city", ""),
                                      written.get("district", ""), written.get("address", ""))
    return city, district


def cpca_reader():
    try:
        import cpca
    except ImportError:
        return None

    def read(written: dict) -> tuple[str, str]:
        text = "".join(written.get(k, "") for k in ("province", "city", "district", "address"))
        row = cpca.transform([text]).iloc[0]
        city = _ZH_CITY.get(str(row["市"]), "") or ("Shanghai" if str(row["省"]) == "上海市" else "")
        district = row["区"] if isinstance(row["区"], str) else ""
        return city, district
    return read


def score(reader, rows: list[dict]) -> dict:
    ok_city = ok_both = 0
    t0 = time.perf_counter()
    misses = []
    for r in rows:
        city, district = reader(r["written"])
        c = r["city"] is None or city == r["city"]
        d = r["district"] is None or district == r["district"]
        ok_city += c
        ok_both += c and d
        if not (c and d):
            misses.append((r["file"], r["written"], (r["city"], r["district"]), (city, district)))
    return {"n": len(rows), "city": ok_city / max(len(rows), 1), "city+district": ok_both / max(len(rows), 1),
            "ms/row": 1000 * (time.perf_counter() - t0) / max(len(rows), 1), "misses": misses}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--misses", action="store_true", help="print the rows each reader gets wrong")
    args = ap.parse_args(argv)
    rows = cases()
    latin = [r for r in rows if any(ch.isascii() and ch.isalpha() for v in r["written"].values() for ch in v)]
    chinese = [r for r in rows if r not in latin]
    readers = {"ours (gazetteer)": ours}
    other = cpca_reader()
    if other is not None:
        readers["cpca 0.5"] = other
    print(f"{len(rows)} written places from {CORPUS.relative_to(Path.cwd()) if CORPUS.is_relative_to(Path.cwd()) else CORPUS} "
          f"({len(chinese)} Chinese only, {len(latin)} with Latin letters)")
    print(f"{'reader':20} {'set':8} {'n':>4} {'city':>7} {'city+district':>14} {'ms/row':>8}")
    for name, reader in readers.items():
        for label, subset in (("all", rows), ("chinese", chinese), ("latin", latin)):
            s = score(reader, subset)
            print(f"{name:20} {label:8} {s['n']:4d} {s['city']:7.3f} {s['city+district']:14.3f} {s['ms/row']:8.3f}")
            if args.misses and label == "all":
                for m in s["misses"]:
                    print("   miss:", m)
    if other is None:
        print("(cpca is not installed: pip install cpca to compare)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
