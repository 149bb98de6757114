"""Benchmark: ``hst ingest`` against DuckDB's own ``read_csv`` on the same 100,000-row file, same run.

Run ``.venv/bin/python -m bench.ingest [--rows N] [--keep DIR]``. It writes a realistic organisation CSV
(valid credit codes, the three cities and their districts, GB/T 4754 codes, partner types, mixed
Chinese/English text of ~200-400 characters, Excel-style numbers such as ``1,200.5``), then times

  (a) DuckDB: ``CREATE TABLE t AS SELECT * FROM read_csv(...)`` into a fresh database file;
  (b) our ingest in-process (``prepare`` + ``commit``, every row validated) into a fresh database;
  (c) the real ``hst ingest`` command end to end (a subprocess, interpreter start-up included);

and prints rows per second for each (best of ``--repeat`` runs, the same for all three), the ratios b/a
and c/a, and the peak memory (RSS) of (c).
The target is a ratio of at least 0.3 with peak memory under 2 GB. Not a test: numbers vary by machine.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["generate", "main"]

_DISTRICTS = {
    "Shanghai": [("310115", ["浦东新区", "Pudong New Area", "浦东"]), ("310112", ["闵行区", "Minhang District"]),
                 ("310104", ["徐汇区", "Xuhui"]), ("310114", ["嘉定区", "Jiading District", "嘉定"]),
                 ("310117", ["松江区", "Songjiang"])],
    "Suzhou": [("320594", ["苏州工业园区", "SIP"]), ("320583", ["昆山市", "Kunshan", "昆山"]),
               ("320581", ["常熟市", "Changshu City"]), ("320506", ["吴中区", "Wuzhong District"]),
               ("320509", ["吴江区", "Wujiang"])],
    "Nantong": [("320613", ["崇川区", "Chongchuan District"]), ("320681", ["启东市", "Qidong"]),
                ("320614", ["海门区", "Haimen District"]), ("320612", ["通州区", "Tongzhou"]),
                ("320682", ["如皋市", "Rugao"])],
}
_CITY_SPELLINGS = {"Shanghai": ["上海", "上海市", "Shanghai", "shanghai"], "Suzhou": ["苏州", "苏州市", "Suzhou"],
                   "Nantong": ["南通", "南通市", "Nantong", "nantong"]}
_INDUSTRIES = ["C3973", "C3972", "C2761", "C2762", "C3737", "C3731", "C3841", "C3562", "I6513", "M7320",
               "C1751", "C2929", "C3399", "C3821", "C3985", "L7212", "P8341", "C3511", "C3512", "I6519"]
_PARTNERS = ["supplier", "customer", "rd_partner", "production_base", "investor", "investee",
             "供应商", "客户", "研发合作", "生产基地"]
_ZH = ["提供12英寸晶圆代工服务，工艺覆盖55纳米至28纳米", "拥有2000升生物反应器产能，可承接临床样品生产",
       "寻找长三角地区的封装测试合作伙伴", "具备海洋工程模块总装能力，年产能十万吨", "开展锂电正极材料中试与量产",
       "希望与高校共建联合实验室，推进产学研合作", "面向新能源汽车提供功率半导体模块", "寻求B轮融资，用于扩建生产线"]
_EN = ["Contract manufacturing of precision parts with ISO 13485 certification.",
       "We seek suppliers of high-purity chemicals within 150 km of Suzhou.",
       "Joint R&D on offshore wind foundations; pilot line available in Nantong.",
       "Series A investor focused on integrated circuits and biomedicine in Lingang.",
       "Looking for a production base for automotive-grade SiC modules."]


def _text(rng: random.Random, n_zh: int, n_en: int) -> str:
    parts = [rng.choice(_ZH) for _ in range(n_zh)] + [rng.choice(_EN) for _ in range(n_en)]
    rng.shuffle(parts)
    return "；".join(parts)


def generate(path: Path, rows: int, seed: int = 7) -> Path:
    """Write a realistic organisation CSV of ``rows`` valid rows (UTF-8, English headers)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from matchmaking.reference import credit_code

    rng = random.Random(seed)
    header = ["credit_code", "name", "org_type", "city", "district", "industry_code", "description", "offers",
              "seeks", "partner_types", "revenue_wan", "employees", "founded_year", "contact_name",
              "contact_phone", "contact_email"]
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for i in range(rows):
            city = rng.choice(list(_DISTRICTS))
            region, names = rng.choice(_DISTRICTS[city])
            code = credit_code.make(region, f"MA{i:06d}")
            revenue = rng.choice([f"{rng.uniform(10, 900000):,.1f}", str(rng.randint(0, 50000)), ""])
            w.writerow([
                code, f"{rng.choice(['上海', '苏州', '南通', 'Lingang', 'Kunshan'])}测试科技有限公司{i}",
                rng.choice(["enterprise", "企业", "university", "institute", "investor"]),
                rng.choice(_CITY_SPELLINGS[city]), rng.choice(names), rng.choice(_INDUSTRIES),
                _text(rng, 2, 1), _text(rng, 1, 1), _text(rng, 1, 1),
                ";".join(rng.sample(_PARTNERS, rng.randint(1, 3))), revenue, str(rng.randint(3, 20000)),
                str(rng.randint(1985, 2024)), rng.choice(["王敏", "李娜", "Zhou Yi", ""]),
                f"021-{rng.randint(10000000, 99999999)}", f"contact{i}@example.com"])
    return path


def _fresh(db: Path) -> Path:
    for f in (db, db.with_name(db.name + ".wal")):
        f.unlink(missing_ok=True)
    return db


def _duckdb_baseline(csv_path: Path, db: Path) -> float:
    import duckdb

    _fresh(db)
    con = duckdb.connect(str(db))
    t0 = time.perf_counter()
    con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [str(csv_path)])
    n = con.execute("SELECT count(*) FROM t").fetchall()[0][0]
    elapsed = time.perf_counter() - t0
    con.close()
    assert n > 0
    return elapsed


def _ours_in_process(csv_path: Path, db: Path) -> tuple[float, int, int]:
    from matchmaking.profiles import prepare
    from matchmaking.services import commit
    from matchmaking.store import Store

    store = Store(_fresh(db))
    t0 = time.perf_counter()
    prepared = prepare(csv_path.read_bytes(), csv_path.name)
    report = commit(store, prepared)
    elapsed = time.perf_counter() - t0
    stored = store.count("organisations")
    store.close()
    return elapsed, stored, report.rejected


def _ours_cli(csv_path: Path, db: Path) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of a real ``hst ingest`` subprocess."""
    code = ("import resource, sys, time; t0 = time.perf_counter(); from matchmaking.cli import main; "
            f"rc = main(['--db', {str(db)!r}, 'ingest', {str(csv_path)!r}]); "
            "print('RESULT', time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, rc, "
            "file=sys.stderr)")
    _fresh(db)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    line = next((ln for ln in proc.stderr.splitlines() if ln.startswith("RESULT")), None)
    if line is None or proc.returncode:
        raise SystemExit(f"hst ingest failed ({proc.returncode}): {proc.stderr[-2000:]}")
    _, _, maxrss_kb, _ = line.split()
    return wall, int(maxrss_kb) / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3, help="best of N for (a), (b) and (c)")
    ap.add_argument("--keep", type=Path, help="write the CSV and databases here instead of a temp dir")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        csv_path = generate(work / "organisations_bench.csv", args.rows)
        size_mb = csv_path.stat().st_size / 1e6
        a_times, b_times = [], []
        for i in range(args.repeat):
            a_times.append(_duckdb_baseline(csv_path, work / f"baseline_{i}.duckdb"))
            b, stored, rejected = _ours_in_process(csv_path, work / f"ours_{i}.duckdb")
            b_times.append(b)
            if stored != args.rows or rejected:
                raise SystemExit(f"ingest stored {stored} of {args.rows} rows ({rejected} rejected): bench data bad")
        c_runs = [_ours_cli(csv_path, work / "cli.duckdb") for _ in range(args.repeat)]
        a, b, c = min(a_times), min(b_times), min(t for t, _ in c_runs)
        rss_mb = max(r for _, r in c_runs)
        n = args.rows
        print(f"file: {n:,} rows, {size_mb:.1f} MB")
        print(f"(a) duckdb read_csv -> table      {a:7.3f} s  {n / a:12,.0f} rows/s")
        print(f"(b) ingest in-process (validated) {b:7.3f} s  {n / b:12,.0f} rows/s")
        print(f"(c) hst ingest CLI, end to end    {c:7.3f} s  {n / c:12,.0f} rows/s")
        print(f"ratio b/a = {a / b:.2f}x   ratio c/a = {a / c:.2f}x   (target >= 0.30x)")
        print(f"peak RSS of hst ingest: {rss_mb:,.0f} MB (target < 2048 MB)")
        own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS of this benchmark process (b, in-process): {own_peak:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
