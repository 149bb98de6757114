"""Crash safety (an ingest killed with SIGKILL inside its write transaction leaves the database exactly as
it was) and concurrency (several threads upload through one Store at once; every valid row is stored)."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from foundation_helpers import BAD_INPUTS, dump, hst_command, hst_env
from make_bad_inputs import bad_check18, code, org, rows_to_csv

from matchmaking.services import ingest_bytes, ingest_file
from matchmaking.store import PAUSE_ENV, PAUSE_MARKER, Store

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def _big_file(path: Path, n: int) -> Path:
    """n organisations: the first 50 update profiles already stored, the rest are new; some rejected."""
    rows = []
    for i in range(n):
        r = org(i, offers=f"产能 {i} 吨/年；" + "晶圆代工与封装测试服务 " * 8, credit_code=code(i))
        if i % 997 == 0:
            r["credit_code"] = bad_check18(i)
        rows.append(r)
    path.write_text(rows_to_csv(rows), encoding="utf-8")
    return path


@pytest.fixture
def filled_db(db_path: Path) -> Path:
    """A database with profiles, an earlier version, rejected rows, a refused upload and embeddings."""
    with Store(db_path) as store:
        ingest_file(store, BAD_INPUTS / "01_utf8_valid.csv")
        ingest_file(store, BAD_INPUTS / "17_bad_numbers_and_years.csv")
        ingest_file(store, BAD_INPUTS / "36_projects.csv")
        ingest_file(store, BAD_INPUTS / "22_empty.csv")
        ingest_bytes(store, rows_to_csv([org(i, credit_code=code(i)) for i in range(50)]).encode(), "first.csv")
        store.put_vectors("test-model", ["h1", "h2"], np.ones((2, 8), dtype=np.float32))
    return db_path


def _kill_inside_transaction(db: Path, csv_path: Path) -> None:
    proc = subprocess.Popen(hst_command(db, "ingest", str(csv_path)), env=hst_env(**{PAUSE_ENV: "60"}),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 90
        for line in proc.stderr:
            if PAUSE_MARKER in line:
                break
            assert time.monotonic() < deadline
        else:
            pytest.fail(f"the ingest ended without reaching its transaction (exit {proc.wait()})")
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL


def test_sigkill_inside_the_upload_transaction_changes_nothing(filled_db, tmp_path):
    big = _big_file(tmp_path / "big.csv", 20_000)
    before = dump(filled_db)
    _kill_inside_transaction(filled_db, big)
    assert dump(filled_db) == before  # every table: profiles, versions, uploads, rejections, embeddings
    with Store(filled_db) as store:  # and the database works: the same upload now goes through
        n_before = store.count("organisations")
        rep = ingest_file(store, big)
        assert rep.rejected == 21 and rep.new + rep.updated + rep.unchanged == 20_000 - 21
        assert store.count("organisations") == n_before + rep.new


def test_sigkill_at_any_moment_leaves_all_or_nothing(filled_db, tmp_path):
    """Kills at several moments, without the test hook: each time the upload is either wholly there or
    not there at all, and the database opens."""
    big = _big_file(tmp_path / "big.csv", 20_000)
    with Store(filled_db) as store:
        n_before, uploads_before = store.count("organisations"), len(store.uploads())
    before = dump(filled_db)
    reference = tmp_path / "reference.duckdb"  # the same upload, not killed
    reference.write_bytes(filled_db.read_bytes())
    with Store(reference) as store:
        ingest_file(store, big)
        n_after = store.count("organisations")
    outcomes = []
    for delay in (0.3, 0.7, 1.1):
        db = tmp_path / f"copy_{delay}.duckdb"
        db.write_bytes(filled_db.read_bytes())
        proc = subprocess.Popen(hst_command(db, "ingest", str(big)), env=hst_env(), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        with Store(db) as store:
            n, uploads = store.count("organisations"), len(store.uploads())
        if (n, uploads) == (n_before, uploads_before):
            assert dump(db) == before
            outcomes.append("before")
        else:
            assert (n, uploads) == (n_after, uploads_before + 1)  # a kill after COMMIT
            outcomes.append("after")
    assert "before" in outcomes  # the kills did not all come too late to matter


# ------------------------------------------------------------------------------------------ threads
def test_threads_upload_different_files_through_one_store(db_path):
    files = []
    for t in range(6):
        rows = [org(i, credit_code=code(t * 10_000 + i), name=f"线程{t}企业{i}") for i in range(1500)]
        rows[7]["credit_code"] = bad_check18(t * 10_000 + 7)
        files.append(rows_to_csv(rows).encode())
    errors, reports = [], []
    store = Store(db_path)
    barrier = threading.Barrier(len(files))

    def work(i: int) -> None:
        try:
            barrier.wait()
            reports.append(ingest_bytes(store, files[i], f"t{i}.csv"))
        except Exception as exc:  # noqa: BLE001 - the test reports whatever went wrong in a thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(files))]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    assert not errors, errors
    assert sorted(r.new for r in reports) == [1499] * 6 and all(r.rejected == 1 for r in reports)
    assert store.count("organisations") == 6 * 1499
    uploads = store.uploads()
    assert sorted(uploads["upload_id"]) == list(range(1, 7))
    assert set(store.profiles("organisations", with_meta=True)["version"]) == {1}
    store.close()


def test_threads_updating_the_same_profiles_keep_versions_consistent(db_path):
    keys = [code(i) for i in range(200)]
    store = Store(db_path)
    ingest_bytes(store, rows_to_csv([org(i, credit_code=k) for i, k in enumerate(keys)]).encode(), "base.csv")
    errors = []

    def work(t: int) -> None:
        try:
            rows = [org(i, credit_code=k, offers=f"thread {t}") for i, k in enumerate(keys)]
            ingest_bytes(store, rows_to_csv(rows).encode(), f"t{t}.csv")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    assert not errors, errors
    current = store.profiles("organisations", with_meta=True)
    assert set(current["version"]) == {5}
    for k in keys[:5]:
        hist = store.history("organisations", k)
        assert hist["version"].tolist() == [1, 2, 3, 4, 5]
        assert len(set(hist["offers"])) == 5  # every upload's content is a version, none lost
    store.close()


def test_threads_opening_transient_stores_at_once_read_without_errors(db_path):
    """The app's way (``Store(transient=True)``: a connection per call) from several threads at once — its
    sessions and its background index refresh. DuckDB 2.0.1 lost its Python table functions when threads
    opened and closed connections to one file at the same moment ('python_arrow_scan does not exist')."""
    keys = [code(i) for i in range(50)]
    with Store(db_path) as store:
        ingest_bytes(store, rows_to_csv([org(i, credit_code=k) for i, k in enumerate(keys)]).encode(), "base.csv")
    stores = [Store(db_path, transient=True) for _ in range(2)]  # the app's store, and a second one
    errors = []

    def work(t: int) -> None:
        try:
            for _ in range(60):
                s = stores[t % 2]
                assert len(s.profiles("organisations", keys=keys[t::4])) == len(keys[t::4])
                assert s.data_version() == 1
        except Exception as exc:  # noqa: BLE001 - the test reports whatever went wrong in a thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    assert not errors, errors[:3]


def test_kill_hook_is_off_unless_asked():
    assert PAUSE_ENV not in os.environ
