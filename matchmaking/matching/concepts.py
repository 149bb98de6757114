"""The industry-chain vocabulary as a bridge: text → concepts → segments, in Chinese and English.

Sources (both in ``data/reference``): ``industry_chains.csv`` (segment names and their zh/en product
lists; where the two lists have the same length they are aligned item by item) and, when present,
``chain_glossary.csv`` (concepts with zh/en names and the variants people write). A Chinese need that
says 光刻胶 and an English offer that says photoresist meet on the same concept; a need for 12英寸硅片
and an offer of SOI wafers meet on the same segment (IC-U3 半导体材料).

Scanning is dictionary lookup (longest match first), linear in the text: no regex over thousands of
terms, so it stays cheap at province scale.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache

from ..reference import chains, read_reference
from .text import normalise, stem

__all__ = ["Concept", "Lexicon", "lexicon", "ConceptHits"]

_WORD = re.compile(r"[a-z0-9][a-z0-9+\-/]*")
_GENERIC = frozenset("""设备 服务 材料 产品 系统 技术 方案 解决方案 平台 项目 合作 研发 生产 制造 供应 设计 开发 加工 工程
equipment service services material materials product products system systems solution solutions technology
platform project design development manufacturing production supply engineering see""".split())


@dataclass(frozen=True)
class Concept:
    concept_id: str
    segment_id: str  # '*' for cross-chain concepts (contract manufacturing, equity investment...)
    kind: str
    zh: str
    en: str

    def name(self, lang: str) -> str:
        return (self.zh or self.en) if lang == "zh" else (self.en or self.zh)


@dataclass(frozen=True)
class ConceptHits:
    """Concepts found in one text, with the words that were found."""

    concepts: tuple[str, ...]
    segments: tuple[str, ...]
    surface: tuple[str, ...]


def _split_terms(raw: str, sep: str) -> list[str]:
    """'薄膜沉积(CVD/PVD/ALD)' → ['薄膜沉积', 'CVD', 'PVD', 'ALD']: parenthesised acronyms are terms too;
    parenthesised plain words ('design, simulation') are too generic to stand alone."""
    out = []
    for item in (p.strip() for p in raw.split(sep)):
        if not item:
            continue
        inner = re.findall(r"[(（]([^)）]*)[)）]", item)
        base = re.sub(r"\s*[(（][^)）]*[)）]", "", item).strip()
        if base:
            out.append(base)
        for group in inner:
            for t in re.split(r"[/,、，;]", group):
                t = t.strip()
                if t and (re.fullmatch(r"[A-Z0-9][A-Za-z0-9\-+]*", t) and len(t) >= 2):
                    out.append(t)
    return out


def _key_en(term: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in _WORD.findall(normalise(term).lower()))


def _key_zh(term: str) -> str:
    return re.sub(r"\s+", "", normalise(term).lower())


class Lexicon:
    """Terms of both languages mapped to concepts; concepts mapped to segments."""

    def __init__(self) -> None:
        self.concepts: dict[str, Concept] = {}
        self._zh: dict[str, set[str]] = defaultdict(set)  # folded CJK-containing term → concept ids
        self._en: dict[tuple[str, ...], set[str]] = defaultdict(set)  # stemmed word tuple → concept ids
        self._zh_max = 1
        self._en_max = 1
        self._zh_starts: dict[str, tuple[int, ...]] = {}
        self.idf: dict[str, float] = {}

    # ---------------------------------------------------------------- building
    def add(self, concept: Concept, zh_terms: list[str], en_terms: list[str]) -> None:
        self.concepts.setdefault(concept.concept_id, concept)
        for t in [*zh_terms, *en_terms]:
            t = t.strip()
            if not t or t.lower() in _GENERIC:
                continue
            if re.search(r"[\u3400-\u9fff]", t):
                k = _key_zh(t)
                if len(k) >= 2:
                    self._zh[k].add(concept.concept_id)
                    self._zh_max = max(self._zh_max, len(k))
            else:
                k2 = _key_en(t)
                if k2 and not (len(k2) == 1 and (len(k2[0]) < 2 or k2[0] in _GENERIC)):
                    self._en[k2].add(concept.concept_id)
                    self._en_max = max(self._en_max, len(k2))

    def finish(self) -> Lexicon:
        """IDF of concepts and segments over the vocabulary itself (how many terms point at each); and,
        for scanning, the lengths of the Chinese/mixed terms by first character, longest first."""
        starts: dict[str, set[int]] = {}
        for k in self._zh:
            starts.setdefault(k[0], set()).add(len(k))
        self._zh_starts = {c: tuple(sorted(ls, reverse=True)) for c, ls in starts.items()}
        counts: Counter[str] = Counter()
        for ids in [*self._zh.values(), *self._en.values()]:
            for cid in ids:
                counts[cid] += 1
                counts[self.concepts[cid].segment_id] += 1
        n = max(len(self.concepts), 1)
        self.idf = {k: 1.0 + math.log(n / (1 + v)) for k, v in counts.items()}
        return self

    # ---------------------------------------------------------------- scanning
    def scan(self, text: str) -> ConceptHits:
        """Concepts in a text, longest match first; each character of the text is used once.

        Terms with Chinese characters (also mixed ones: KrF光刻胶, 12英寸硅片, A轮融资) are looked up at
        every position of the text with spaces removed; English terms over word sequences, skipping
        words already inside a matched Chinese/mixed term."""
        found: dict[str, None] = {}
        surface: dict[str, None] = {}
        norm = normalise(text)
        low = norm.lower()
        same = len(norm) == len(low)
        keep = [i for i, ch in enumerate(low) if not ch.isspace()]
        packed = "".join(low[i] for i in keep)
        covered = [False] * len(low)
        i = 0
        starts = self._zh_starts
        while i < len(packed):
            for L in starts.get(packed[i], ()):  # only the lengths some term starting with this character has
                if i + L > len(packed):
                    continue
                ids = self._zh.get(packed[i:i + L])
                if ids:
                    found.update(dict.fromkeys(sorted(ids)))
                    a, b = keep[i], keep[i + L - 1] + 1
                    surface[(norm if same else low)[a:b]] = None
                    for j in range(a, b):
                        covered[j] = True
                    i += L
                    break
            else:
                i += 1
        words = [(m.start(), m.end(), stem(m.group())) for m in _WORD.finditer(low)
                 if not any(covered[m.start():m.end()])]
        i = 0
        while i < len(words):
            for L in range(min(self._en_max, len(words) - i), 0, -1):
                seq = words[i:i + L]
                if L > 1 and any(seq[k + 1][0] - seq[k][1] > 3 for k in range(L - 1)):
                    continue  # words of a term must be adjacent in the text
                ids = self._en.get(tuple(w for _, _, w in seq))
                if ids:
                    found.update(dict.fromkeys(sorted(ids)))
                    surface[(norm if same else low)[seq[0][0]:seq[-1][1]]] = None
                    i += L
                    break
            else:
                i += 1
        segs = tuple(dict.fromkeys(self.concepts[c].segment_id for c in found))
        return ConceptHits(tuple(found), segs, tuple(surface))

    def similarity(self, need: ConceptHits, offer: ConceptHits) -> tuple[float, list[str], list[str]]:
        """How well an offer's concepts cover a need's: IDF-weighted share of the need's concepts met
        exactly (weight 1) or by the same segment (weight 0.5). Returns (value in [0, 1], shared
        concept ids, shared segment ids)."""
        if not need.concepts:
            return 0.0, [], []
        offer_c = set(offer.concepts)
        offer_s = {s for s in offer.segments if s != "*"}
        total = got = 0.0
        shared_c: list[str] = []
        shared_s: list[str] = []
        for cid in need.concepts:
            w = self.idf.get(cid, 1.0)
            total += w
            seg = self.concepts[cid].segment_id
            if cid in offer_c:
                got += w
                shared_c.append(cid)
            elif seg != "*" and seg in offer_s:
                got += 0.5 * w
                if seg not in shared_s:
                    shared_s.append(seg)
        return (got / total if total else 0.0), shared_c, shared_s


@cache
def lexicon() -> Lexicon:
    """The lexicon from the chain table and, when present, the glossary."""
    lex = Lexicon()
    rows = {r["segment_id"]: r for r in read_reference("industry_chains.csv")}
    for seg in chains().segments.values():
        lex.add(Concept(f"{seg.segment_id}#segment", seg.segment_id, "segment", seg.name_zh, seg.name_en),
                [seg.name_zh], [seg.name_en])
        row = rows[seg.segment_id]
        zh = _split_terms(row["products_zh"], "、")
        en = _split_terms(row["products_en"], ";")
        raw_zh = [p for p in row["products_zh"].split("、") if p.strip()]
        raw_en = [p for p in row["products_en"].split(";") if p.strip()]
        if len(raw_zh) == len(raw_en):  # aligned lists: item i is the same thing in both languages
            for i, (a, b) in enumerate(zip(raw_zh, raw_en, strict=True)):
                lex.add(Concept(f"{seg.segment_id}#p{i}", seg.segment_id, "product", a.strip(), b.strip()),
                        _split_terms(a, "、"), _split_terms(b, ";"))
        else:
            for i, a in enumerate(zh):
                lex.add(Concept(f"{seg.segment_id}#zh{i}", seg.segment_id, "product", a, ""), [a], [])
            for i, b in enumerate(en):
                lex.add(Concept(f"{seg.segment_id}#en{i}", seg.segment_id, "product", "", b), [], [b])
    for r in read_reference("chain_glossary.csv", required=False):
        c = Concept(r["term_id"], r["segment_id"] or "*", r.get("kind") or "product", r["zh"], r["en"])
        lex.add(c, [r["zh"], *[v for v in (r.get("zh_variants") or "").split(";") if v.strip()]],
                [r["en"], *[v for v in (r.get("en_variants") or "").split(";") if v.strip()]])
    return lex.finish()
