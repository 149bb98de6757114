"""Checks on data/reference/chain_glossary.csv, the bilingual glossary of what each industry-chain
segment buys and sells (see data/reference/chain_glossary.md)."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pytest

REF = Path(__file__).resolve().parents[1] / "data" / "reference"
COLUMNS = ["term_id", "segment_id", "kind", "zh", "en", "zh_variants", "en_variants", "notes"]
KINDS = {"product", "material", "component", "equipment", "service", "capability", "capital", "site"}
MIN_PER_SEGMENT, MAX_PER_SEGMENT = 15, 30
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")

# Words too generic to stand alone as a term: they would match almost any posting. Compounds that
# contain them (刻蚀设备, etch equipment) are fine.
BANNED_ZH = set(
    """设备 服务 材料 产品 技术 系统 方案 解决方案 平台 软件 硬件 项目 合作 研发 生产 制造 供应 设计 开发
加工 工程 芯片 器件 元件 零部件 配件 模块 模组 耗材 原料 仪器 工具 咨询 检测 测试 投资 融资 贸易 销售 采购 代理
物流 能源 智能 数字化 新材料 高端 定制 应用 集成 装备""".split()
)
BANNED_EN = set(
    """equipment service material product technology system solution platform software hardware project
cooperation development production manufacturing supply supplier design engineering chip device component part
module consumable instrument tool consulting testing investment financing trading sales procurement logistics
energy smart digital custom machine machinery application integration process""".split()
)


def _stem(w: str) -> str:
    """The light plural stemming the matcher applies to English words."""
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("es") and w[-3] in "sxz":
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


def norm(term: str) -> str:
    """How a term is compared: Chinese-containing terms case- and space-folded; others as lower-case,
    singular words (hyphens and slashes count as spaces, so 'fill-finish' = 'fill finish')."""
    t = unicodedata.normalize("NFKC", term).lower().strip()
    if _CJK.search(t):
        return re.sub(r"\s+", "", t)
    return " ".join(
        _stem(w) for w in re.findall(r"[a-z0-9][a-z0-9+&]*", t.replace("-", " ").replace("/", " "))
    )


def _split(cell: str) -> list[str]:
    return [v for v in cell.split(";")] if cell else []


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with (REF / "chain_glossary.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == COLUMNS
        return list(reader)


@pytest.fixture(scope="module")
def segments() -> set[str]:
    with (REF / "industry_chains.csv").open(encoding="utf-8", newline="") as f:
        return {r["segment_id"] for r in csv.DictReader(f)}


def _terms(r: dict[str, str]) -> list[str]:
    return [r["zh"], r["en"], *_split(r["zh_variants"]), *_split(r["en_variants"])]


def test_segment_ids_exist(rows, segments):
    unknown = sorted({r["segment_id"] for r in rows} - segments - {"*"})
    assert not unknown, f"segment_id not in industry_chains.csv: {unknown}"


def test_term_ids_unique_and_well_formed(rows):
    dup = [k for k, n in Counter(r["term_id"] for r in rows).items() if n > 1]
    assert not dup, f"duplicate term_id: {dup}"
    bad = [
        r["term_id"]
        for r in rows
        if not re.fullmatch(re.escape(r["segment_id"]) + r"\.[a-z0-9][a-z0-9-]*", r["term_id"])
    ]
    assert not bad, f"term_id must be '<segment_id>.<slug>': {bad}"


def test_kinds(rows):
    bad = [(r["term_id"], r["kind"]) for r in rows if r["kind"] not in KINDS]
    assert not bad, f"unknown kind: {bad}"


def test_both_languages_present(rows):
    no_zh = [r["term_id"] for r in rows if not r["zh"].strip() or not _CJK.search(r["zh"])]
    no_en = [r["term_id"] for r in rows if not r["en"].strip() or _CJK.search(r["en"])]
    cjk_in_en = [r["term_id"] for r in rows if _CJK.search(r["en_variants"])]
    assert not no_zh, f"zh empty or without Chinese characters: {no_zh}"
    assert not no_en, f"en empty or containing Chinese characters: {no_en}"
    assert not cjk_in_en, f"Chinese in en_variants: {cjk_in_en}"


def test_cells_are_clean(rows):
    bad = [
        (r["term_id"], t)
        for r in rows
        for t in _terms(r)
        if not t or t != t.strip() or "  " in t or "|" in t or "\n" in t
    ]
    assert not bad, f"empty list items or stray whitespace: {bad[:20]}"


def test_every_segment_covered(rows, segments):
    n = Counter(r["segment_id"] for r in rows)
    few = {s: n.get(s, 0) for s in sorted(segments) if n.get(s, 0) < MIN_PER_SEGMENT}
    many = {s: n[s] for s in sorted(segments) if n.get(s, 0) > MAX_PER_SEGMENT}
    assert not few, f"segments with fewer than {MIN_PER_SEGMENT} concepts: {few}"
    assert not many, f"segments with more than {MAX_PER_SEGMENT} concepts: {many}"
    assert n.get("*", 0) >= 10, "cross-chain (*) concepts missing"


def test_no_term_shared_by_two_concepts(rows):
    owners: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        for t in _terms(r):
            if t:
                owners[norm(t)].add(r["term_id"])
    shared = {k: sorted(v) for k, v in owners.items() if len(v) > 1}
    assert not shared, "terms that point at more than one concept:\n" + "\n".join(
        f"  {k!r}: {v}" for k, v in sorted(shared.items())
    )


def test_no_generic_standalone_terms(rows):
    bad = []
    for r in rows:
        for t in _terms(r):
            k = norm(t)
            if k in BANNED_ZH or k in BANNED_EN or k in {_stem(w) for w in BANNED_EN}:
                bad.append((r["term_id"], t))
    assert not bad, f"generic words used as standalone terms: {bad}"


def test_latin_terms_are_not_too_short(rows):
    """One- or two-letter Latin terms (PR, CT, PE) collide with ordinary words and other meanings."""
    bad = [
        (r["term_id"], t)
        for r in rows
        for t in _terms(r)
        if t
        and not _CJK.search(t)
        and len(re.sub(r"[^A-Za-z0-9]", "", t)) < 3
        and "&" not in t
        and not t.endswith("+")
    ]
    assert not bad, f"Latin terms shorter than 3 characters: {bad}"


def test_notes_cross_references_exist(rows, segments):
    bad = []
    for r in rows:
        for m in re.finditer(r"also:\s*([A-Z0-9;,\- ]+)", r["notes"]):
            for s in re.split(r"[;,\s]+", m.group(1).strip()):
                if s and s not in segments:
                    bad.append((r["term_id"], s))
    assert not bad, f"'also:' names an unknown segment: {bad}"
