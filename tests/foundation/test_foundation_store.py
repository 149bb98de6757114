"""The store: versions and history, idempotence, one transaction per upload, migrations, privacy,
embeddings; every test on a real DuckDB file."""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa
import pytest
from foundation_helpers import BAD_INPUTS, dump
from make_bad_inputs import org, rows_to_csv

from matchmaking.profiles import PRIVATE_FIELDS, prepare
from matchmaking.services import ingest_bytes, ingest_file
from matchmaking.store import SCHEMA_VERSION, Store, UploadRecord


def _csv(rows, headers=None) -> bytes:
    return rows_to_csv(rows, headers).encode("utf-8")


def test_same_file_twice_changes_no_profile(db_path):
    with Store(db_path) as store:
        first = ingest_file(store, BAD_INPUTS / "01_utf8_valid.csv")
        before = dump(db_path)
        second = ingest_file(store, BAD_INPUTS / "01_utf8_valid.csv")
        after = dump(db_path)
    assert (first.new, second.new, second.updated, second.unchanged) == (5, 0, 0, 5)
    for table in ("organisations", "organisation_versions", "projects", "project_versions"):
        assert before[table] == after[table]
    assert len(after["uploads"]) == len(before["uploads"]) + 1  # one row per upload, even an idle one


def test_same_content_in_another_format_changes_nothing(db_path):
    with Store(db_path) as store:
        ingest_file(store, BAD_INPUTS / "01_utf8_valid.csv")
        profiles = dump(db_path)["organisations"]
        for name in ("02_utf8_bom_zh_headers.csv", "03_gbk_zh_headers.csv", "05_utf16_excel_unicode_text.txt",
                     "30_valid.xlsx"):
            rep = ingest_file(store, BAD_INPUTS / name)
            assert (rep.new, rep.updated, rep.unchanged) == (0, 0, 5), name
    assert dump(db_path)["organisations"] == profiles


def test_changed_content_makes_a_new_version_and_keeps_the_old(db_path):
    rows = [org(i) for i in range(3)]
    with Store(db_path) as store:
        ingest_bytes(store, _csv(rows), "a.csv")
        rows[1] = org(1, offers="new offer", revenue_wan="40000")
        rep = ingest_bytes(store, _csv(rows), "b.csv")
        assert (rep.new, rep.updated, rep.unchanged) == (0, 1, 2)
        key = rows[1]["credit_code"]
        hist = store.history("organisations", key)
        assert hist["version"].tolist() == [1, 2]
        assert hist["offers"].tolist() == ["cell line development, 2000L bioreactor capacity", "new offer"]
        assert store.profile("organisations", key, include_private=True)["version"] == 2
        assert len(store.history("organisations", rows[0]["credit_code"])) == 1
        # the earlier version lives in the versions table, the current one in the profile table
        assert len(dump(db_path)["organisation_versions"]) == 1


def test_a_column_absent_from_the_file_keeps_its_value_an_empty_cell_clears_it(db_path):
    with Store(db_path) as store:
        ingest_bytes(store, _csv([org(0)]), "full.csv")
        key = org(0)["credit_code"]
        rep = ingest_bytes(store, _csv([org(0, seeks="封测伙伴")], ["credit_code", "name", "city", "seeks"]), "p.csv")
        assert rep.updated == 1
        p = store.profile("organisations", key, include_private=True)
        assert p["seeks"] == "封测伙伴"
        assert p["offers"] == org(0)["offers"] and p["contact_email"] == org(0)["contact_email"]
        assert p["district"] == "浦东新区" and p["district_adcode"] == "310115"
        ingest_bytes(store, _csv([org(0, offers="")], ["credit_code", "name", "city", "offers"]), "e.csv")
        p = store.profile("organisations", key, include_private=True)
        assert p["offers"] is None and p["seeks"] == "封测伙伴" and p["version"] == 3


def test_new_profile_gets_defaults_for_absent_columns(db_path):
    with Store(db_path) as store:
        ingest_bytes(store, _csv([org(0)], ["credit_code", "name", "city"]), "min.csv")
        p = store.profile("organisations", org(0)["credit_code"])
    assert p["org_type"] == "enterprise" and p["district"] is None and p["partner_types"] is None


def test_extra_columns_merge_key_by_key(db_path):
    with Store(db_path) as store:
        key = org(0)["credit_code"]
        ingest_bytes(store, _csv([{**org(0), "微信": "wx1", "备注": "a"}], ["credit_code", "name", "city", "微信", "备注"]),
                     "x.csv")
        ingest_bytes(store, _csv([{**org(0), "备注": "b"}], ["credit_code", "name", "city", "备注"]), "y.csv")
        p = store.profile("organisations", key)
        import json
        assert json.loads(p["extra"]) == {"微信": "wx1", "备注": "b"}
        ingest_bytes(store, _csv([{**org(0), "备注": ""}], ["credit_code", "name", "city", "备注"]), "z.csv")
        assert json.loads(store.profile("organisations", key)["extra"]) == {"微信": "wx1"}


def test_strict_stores_nothing_but_keeps_the_rejections(db_path):
    with Store(db_path) as store:
        rep = ingest_file(store, BAD_INPUTS / "38_strict_one_bad_row.csv", strict=True)
        assert rep.exit_code == 2 and rep.status == "refused" and store.count("organisations") == 0
        assert len(store.rejected_rows(rep.upload_id)) == 1


def test_a_failed_write_leaves_the_database_as_it_was(db_path):
    with Store(db_path) as store:
        ingest_file(store, BAD_INPUTS / "01_utf8_valid.csv")
        before = dump(db_path)
        prepared = prepare(_csv([org(0, name="改名"), org(7)]), "c.csv")
        bad_rows = prepared.rows.append_column("unexpected", pa.array(["x", "y"]))
        record = UploadRecord("organisations", "c.csv", "h", 1, "csv", "utf-8", "en", False, 2)
        with pytest.raises(ValueError, match="unknown columns"):
            store.record_upload(record, bad_rows, [], [])
        # a failure inside DuckDB half-way through the upload: the first statements are rolled back too
        broken = prepared.rows.set_column(prepared.rows.column_names.index("founded_year"), "founded_year",
                                          pa.array(["2011", "not a year"]))
        with pytest.raises(duckdb.Error):
            store.record_upload(record, broken, [(9, {"a": "b"})], [(9, "x", "y", "r", "r")])
    assert dump(db_path) == before


def test_private_fields_are_never_returned_by_default(db_path):
    with Store(db_path) as store:
        ingest_file(store, BAD_INPUTS / "01_utf8_valid.csv")
        ingest_file(store, BAD_INPUTS / "36_projects.csv")
        for kind in ("organisations", "projects"):
            public = store.profiles(kind)
            assert not set(public.columns) & PRIVATE_FIELDS
            assert not set(store.profiles(kind, with_meta=True).columns) & PRIVATE_FIELDS
            full = store.profiles(kind, include_private=True)
            assert set(full.columns) >= {"contact_name", "contact_phone", "contact_email"}
        key = org(0)["credit_code"]
        assert "revenue_wan" not in store.profile("organisations", key)
        assert "contact_email" not in store.profile("organisations", key)
        assert store.profile("organisations", key, include_private=True)["contact_email"] == "wangmin@example.com"
    assert {"revenue_wan", "contact_name", "contact_phone", "contact_email"} <= PRIVATE_FIELDS


# ------------------------------------------------------------------------------------------ schema
def test_fresh_database_is_at_the_current_schema(db_path):
    with Store(db_path) as store:
        assert store.schema_version() == SCHEMA_VERSION >= 2


def test_database_at_schema_0_migrates(db_path):
    duckdb.connect(str(db_path)).close()  # an empty DuckDB file: version 0
    with Store(db_path) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert ingest_file(store, BAD_INPUTS / "01_utf8_valid.csv").new == 5


def _make_v1_database(path):
    """A database as schema 1 left it: every version (the current one too) in the versions table,
    pandas-made content hashes, no notices_zh column."""
    from matchmaking.store import schema as store_mod

    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)")
    for statement in store_mod.MIGRATIONS[0][1]:
        con.execute(statement)
    con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    cols = "credit_code, name, org_type, city, district, district_adcode"
    con.execute(f"""INSERT INTO organisations ({cols}, version, content_hash, upload_id, updated_at) VALUES
        ('91310115MA1HX7K27L', '新名字', 'enterprise', 'Shanghai', '浦东新区', '310115', 2, 'abc', 2, now())""")
    con.execute(f"""INSERT INTO organisation_versions ({cols}, version, content_hash, upload_id, recorded_at) VALUES
        ('91310115MA1HX7K27L', '旧名字', 'enterprise', 'Shanghai', '浦东新区', '310115', 1, 'old', 1, now()),
        ('91310115MA1HX7K27L', '新名字', 'enterprise', 'Shanghai', '浦东新区', '310115', 2, 'abc', 2, now())""")
    con.execute("""INSERT INTO uploads VALUES (1, 'organisations', 'a.csv', 'h', 1, 'csv', 'utf-8', 'zh', now(),
        false, 1, 1, 0, 0, 0, 'stored', [], [])""")
    con.close()


def test_database_at_schema_1_migrates_forward_keeping_its_data(db_path):
    _make_v1_database(db_path)
    with Store(db_path) as store:
        assert store.schema_version() == SCHEMA_VERSION
        hist = store.history("organisations", "91310115MA1HX7K27L")
        assert hist["version"].tolist() == [1, 2] and hist["name"].tolist() == ["旧名字", "新名字"]
        assert len(store.uploads()) == 1
        # the hashes were recomputed: the same content uploaded again is recognised as unchanged
        row = {"credit_code": "91310115MA1HX7K27L", "name": "新名字", "org_type": "enterprise", "city": "上海",
               "district": "浦东新区"}
        rep = ingest_bytes(store, _csv([row], list(row)), "same.csv")
        assert (rep.updated, rep.unchanged) == (0, 1)


def test_database_with_a_newer_schema_is_refused(db_path):
    with Store(db_path):
        pass
    con = duckdb.connect(str(db_path))
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(RuntimeError, match=rf"schema version 99, newer than this program's {SCHEMA_VERSION}: upgrade"):
        Store(db_path)


# ------------------------------------------------------------------------------------------ embeddings
def test_embeddings_round_trip(db_path):
    with Store(db_path) as store:
        vecs = np.arange(12, dtype=np.float32).reshape(3, 4)
        assert store.put_vectors("m1", ["a", "b", "a"], vecs) == 2
        assert store.put_vectors("m1", ["a"], vecs[:1] + 100) == 0  # existing pairs are left as they are
        got = store.get_vectors("m1", ["a", "b", "c"])
        assert set(got) == {"a", "b"} and got["b"].tolist() == [4, 5, 6, 7] and got["a"].tolist() == [0, 1, 2, 3]
        assert store.get_vectors("m2", ["a"]) == {}
        assert store.embedding_models().to_dict("records") == [{"model_id": "m1", "dim": 4, "n": 2}]
        assert store.delete_vectors("m1") == 2


def test_transient_store_lets_another_process_take_its_turn(db_path):
    transient = Store(db_path, transient=True)
    ingest_file(transient, BAD_INPUTS / "01_utf8_valid.csv")
    with Store(db_path) as other:  # the transient store holds no connection between calls
        assert other.count("organisations") == 5
    assert transient.count("organisations") == 5


def test_content_hashes_are_recomputed_when_the_hash_function_changes(db_path):
    """The content hash is DuckDB's hash(), which a DuckDB upgrade may change: the store notices (the
    function is recorded in meta) and recomputes every hash, so unchanged content stays unchanged."""
    with Store(db_path) as store:
        ingest_file(store, BAD_INPUTS / "01_utf8_valid.csv")
        ingest_file(store, BAD_INPUTS / "17_bad_numbers_and_years.csv")  # makes earlier versions too
        hashes = dump(db_path)
    con = duckdb.connect(str(db_path))
    con.execute("UPDATE meta SET value = 'hash() of duckdb 0.0.1' WHERE key = 'content_hash_function'")
    con.execute("UPDATE organisations SET content_hash = 'stale'")
    con.execute("UPDATE organisation_versions SET content_hash = 'stale'")
    con.close()
    with Store(db_path) as store:
        assert dump(db_path) == hashes
        rep = ingest_file(store, BAD_INPUTS / "17_bad_numbers_and_years.csv")
        assert (rep.new, rep.updated, rep.unchanged) == (0, 0, 3)


def test_an_open_waits_for_another_process_to_let_go(db_path):
    import subprocess
    import sys
    import time

    from matchmaking.store import StoreBusy

    with Store(db_path):
        pass
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); time.sleep(2.5)", str(db_path)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        t0 = time.monotonic()
        with pytest.raises(StoreBusy, match="held by another process"):
            Store(db_path, wait_seconds=0.5)
        assert time.monotonic() - t0 < 2.0
        with Store(db_path, wait_seconds=30) as store:  # waits for the holder to exit, then opens
            assert store.count("organisations") == 0
    finally:
        holder.kill()
        holder.wait()
