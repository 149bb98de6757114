"""Invariants of the demo data: the item catalog, the builder's validation, and the built dev set."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import io
import re
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from matchmaking.reference import credit_code

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "demo" / "source"
CHAINS = ("IC", "BIO", "AI", "NEV", "MAR", "TEX", "MAT", "EQP")


def _load_builder():
    spec = importlib.util.spec_from_file_location("build_demo", ROOT / "scripts" / "build_demo.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_demo"] = module
    spec.loader.exec_module(module)
    return module


bd = _load_builder()


def _read_csv(path: Path, encoding: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode(encoding), newline="")))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dev")
    log = io.StringIO()
    assert bd.build("dev", out_dir=out, stream=log) == 0, log.getvalue()
    return out


# ------------------------------------------------------------------------------------------- catalog


def test_catalog_covers_every_segment_with_specific_items():
    ref = bd.load_reference()
    items, problems = bd.load_catalog(ref)
    assert problems == []
    assert 380 <= len(items) <= 480
    per_segment: dict[str, int] = {}
    for it in items.values():
        if it.kind in ("product", "service", "contract_mfg"):
            per_segment[it.segment_id] = per_segment.get(it.segment_id, 0) + 1
        assert it.aliases_zh and it.aliases_en, it.item_id
        assert re.search(r"[\u4e00-\u9fff]", it.name_zh) and not re.search(r"[\u4e00-\u9fff]", it.name_en)
    assert set(per_segment) == set(ref.segments)
    assert all(4 <= n <= 8 for n in per_segment.values()), per_segment
    for chain in CHAINS:
        rd = [it for it in items.values() if it.kind == "rd" and it.chain == chain]
        assert 2 <= len(rd) <= 3 and all(it.segment_id in ref.segments for it in rd)
        assert items[f"CAP-{chain}"].kind == "capital" and items[f"OPP-{chain}"].kind == "opportunity"
    sites = [it for it in items.values() if it.kind == "site"]
    assert len(sites) >= 6 and {re.match(r"SITE-(\w\w)-", s.item_id).group(1) for s in sites} == {"SH", "SZ", "NT"}


def test_format_md_lists_every_catalog_item():
    ref = bd.load_reference()
    items, _ = bd.load_catalog(ref)
    listed = set(re.findall(r"`([A-Z]+-[A-Z0-9-]+(?:\.[a-z0-9-]+)?)`", (SOURCE / "FORMAT.md").read_text("utf-8")))
    assert set(items) <= listed, sorted(set(items) - listed)


# ------------------------------------------------------------------------------------------ validation


GOOD_ORG = """
- key: t-sz-good
  lang: zh
  org_type: enterprise
  name: 苏州测试光电材料有限公司
  city: Suzhou
  district: 昆山
  industry_code: "3985"
  description: 专业生产光刻胶的企业。
  offers: 供应KrF光刻胶。
  seeks: ""
  partner_types: [supplier]
  offer_items: [IC-U3.photoresist]
  seek_items: []
  contact: {name: 王磊, phone: "0512-62881234", email: wl@example.cn}
"""

BAD_ORGS = GOOD_ORG + """
- key: t-sz-good
  lang: fr
  org_type: enterprise
  name: 中芯测试有限公司
  city: 苏州
  district: 崇川区
  industry_code: "3999"
  description: 一家企业。
  offers: 供应光刻胶。
  seeks: 需要MPW流片。
  partner_types: [supplier]
  offer_items: [IC-U3.photoresit]
  seek_items: []
  contact: {name: 王磊, phone: "12345", email: wl@gmail.com}
- key: t-nt-wrong-district
  lang: en
  org_type: investor
  name: Test Capital
  city: Nantong
  district: Kunshan
  industry_code: 6760
  description: A fund.
  offers: Equity.
  seeks: ""
  partner_types: [investor]
  offer_items: [CAP-IC]
  seek_items: []
  seek_item: [OPP-IC]
  contact: {name: Test, email: t@example.com}
"""

BAD_PROJECTS = """
- key: t-proj
  lang: en
  title: A project
  sponsor: t-nobody
  city: Shanghai
  district: Pudong
  industry_code: "3973"
  description: A test project.
  seeks: Money.
  investment_wan: 1000
  stage: pilot
  chain: IC
  seek_items: [CAP-BIO]
"""


def _check(tmp_path: Path, orgs: str, projects: str = "") -> tuple[int, str]:
    (tmp_path / "orgs_t.yaml").write_text(orgs, encoding="utf-8")
    if projects:
        (tmp_path / "projects_t.yaml").write_text(projects, encoding="utf-8")
    log = io.StringIO()
    rc = bd.build("dev", out_dir=tmp_path / "out", source_dir=tmp_path, check_only=True, stream=log)
    return rc, log.getvalue()


def test_valid_minimal_source_passes(tmp_path):
    rc, log = _check(tmp_path, GOOD_ORG)
    assert rc == 0, log
    assert not (tmp_path / "out").exists()  # --check writes nothing


def test_every_problem_is_reported_with_file_and_key(tmp_path):
    rc, log = _check(tmp_path, BAD_ORGS, BAD_PROJECTS)
    assert rc == 1
    expected = [
        "orgs_t.yaml: t-sz-good (line 17): duplicate key (also ",
        "lang must be zh or en",
        "city must be one of Shanghai, Suzhou, Nantong, got '苏州' (write it as Suzhou)",
        "'3999' is not a GB/T 4754-2017 class",
        "unknown item id 'IC-U3.photoresit' in offer_items (did you mean IC-U3.photoresist",
        "seeks has text but seek_items is empty",
        "contains the brand of a real firm (中芯)",
        "contact.phone '12345'",
        "must be fictional",
        "t-nt-wrong-district (line 31): district 'Kunshan' is in Suzhou, not in Nantong",
        "unknown field 'seek_item' (did you mean seek_items",
        "an investor needs ticket_wan",
        "sponsor 't-nobody' is not an organisation key",
        "IC projects raise money with CAP-IC, not CAP-BIO",
    ]
    for text in expected:
        assert text in log, f"missing {text!r} in:\n{log}"
    assert not (tmp_path / "out").exists()


# ----------------------------------------------------------------------------------------- built set


def _orgs(out: Path) -> list[dict[str, str]]:
    zh = _read_csv(out / "organisations_zh.csv", "gb18030")
    en = _read_csv(out / "organisations_en.csv", "utf-8-sig")
    assert (out / "organisations_en.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert list(zh[0])[:3] == ["统一社会信用代码", "名称", "机构类型"] if zh else True
    codes = [r["统一社会信用代码"] for r in zh] + [r["credit_code"] for r in en]
    assert all(r["城市"] in ("上海市", "苏州市", "南通市") for r in zh)
    assert all(r["机构类型"] in ("企业", "高校", "科研院所", "投资机构") for r in zh)
    assert all(r["city"] in ("Shanghai", "Suzhou", "Nantong") for r in en)
    return [{"id": c} for c in codes]


def test_credit_codes_valid_and_unique(built):
    codes = [r["id"] for r in _orgs(built)]
    assert codes and all(credit_code.is_valid(c) for c in codes)
    assert len(set(codes)) == len(codes)


def test_projects_and_labels_reference_existing_ids(built):
    org_ids = {r["id"] for r in _orgs(built)}
    ws = load_workbook(built / "projects.xlsx", read_only=True).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    header, body = list(rows[0]), rows[1:]
    assert header[:3] == ["project_id", "title", "sponsor_credit_code"]
    projects = {r[0]: dict(zip(header, r, strict=True)) for r in body}
    assert len(projects) == len(body) and all(re.fullmatch(r"P-(SH|SZ|NT)-\d{4}", p) for p in projects)
    for p in projects.values():
        assert p["sponsor_credit_code"] is None or p["sponsor_credit_code"] in org_ids
    entities = {r["id"]: r for r in _read_csv(built / "entities.csv", "utf-8")}
    assert set(entities) == org_ids | set(projects)
    labels = _read_csv(built / "labels.csv", "utf-8")
    assert labels
    items, _ = bd.load_catalog(bd.load_reference())
    for lab in labels:
        q, c = lab["query_id"], lab["candidate_id"]
        assert q in entities and c in entities
        assert entities[q]["key"] == lab["query_key"] and entities[c]["key"] == lab["candidate_key"]
        assert q != c
        if lab["query_kind"] == "project":
            assert entities[q]["sponsor_id"] != c
        if lab["candidate_kind"] == "project":
            assert entities[c]["sponsor_id"] != q
        assert lab["grade"] in ("1", "2")
        assert set(lab["relation"].split(";")) <= set(bd.RELATION_ORDER)
        assert all(x in items for x in lab["item_id"].split(";"))
        if lab["relation"] == "investment_opportunity":  # grade from the ticket range
            lo, hi = (float(x) for x in entities[q]["ticket_wan"].split("-"))
            inside = lo <= float(entities[c]["investment_wan"]) <= hi
            assert lab["grade"] == ("2" if inside else "1")
    pairs = [(lab["query_id"], lab["candidate_id"]) for lab in labels]
    assert len(pairs) == len(set(pairs))


def test_build_is_deterministic(built, tmp_path):
    assert bd.build("dev", out_dir=tmp_path, stream=io.StringIO()) == 0
    names = sorted(p.name for p in built.iterdir())
    assert names == sorted(p.name for p in tmp_path.iterdir())
    for name in names:
        a, b = (built / name).read_bytes(), (tmp_path / name).read_bytes()
        assert hashlib.sha256(a).digest() == hashlib.sha256(b).digest(), name
