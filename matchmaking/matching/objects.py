"""Objects and qualifiers: what a statement is about, and what it only adds about it.

A statement of a need or an offer names its *object* (a product, material, service, capability, research
topic, capital, a site) and often *qualifiers* (volume, certification, region, timing, partnership style,
experience, price). Matched clause against clause, qualifiers meet each other across unrelated chains
(``通过ISO 9001认证`` ↔ ``ISO 9001 certified``, ``looking for a long-term partnership`` ↔
``深耕该领域7年``), so matching runs on the object alone and qualifiers only adjust a match the objects made
(``signals.qualifiers``).

How a clause is told to be a qualifier, without a list of phrases:

- *corpus statistics*: a clause that closely resembles clauses of many other parties, spread over many
  chains, is boilerplate (an IDF for clauses). Each clause is compared, by its sentence vector, with a
  fixed sample of clauses chosen by a hash of their text (so the cost is linear in the number of clauses
  and the order profiles arrive in changes nothing); similarities are standardised per language and role
  pair against unrelated pairs, as the dense channel does; the neighbours' chains are what each party is
  (``MatchIndex.own_segments``);
- *the chain vocabulary*: a clause that names a concept of a chain segment, a capital or a site concept
  (``concepts.lexicon``) is an object whatever its neighbours.

What a qualifier says (a certification, a place, a quantity) is read by ``facts`` for the bonus and the
explanation; it never decides the split. Nothing here ranks.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..reference import CITIES, regions
from .text import lang_of

__all__ = ["clauses", "join", "Facts", "facts", "places_named", "REGIONS", "Clauses", "collect", "chain_spread", "hash_keys"]

# clause boundaries inside a statement: Chinese commas and semicolons, an English comma or semicolon
# followed by a space (not the comma inside 7,000); a colon that heads a list is not a boundary
_CLAUSE = re.compile(r"\s*[，；;]\s*|,\s+")
_TRIM = " ，,。.；;:：、"


def clauses(statement: str) -> list[str]:
    """The clauses of one statement, in order ('需要光刻胶，要求通过ISO 9001认证' → two clauses)."""
    return [c for c in (p.strip(_TRIM) for p in _CLAUSE.split(statement)) if c]


def join(parts: list[str]) -> str:
    """Clauses joined back into one text, with the comma of their language."""
    sep = "，" if lang_of("".join(parts)) == "zh" else ", "
    return sep.join(parts)


# ---------------------------------------------------------------------------------------------- facts
#: Regions people name in a preference, and the cities of the cluster inside them.
REGIONS: dict[str, frozenset[str]] = {
    **{w: frozenset({"Shanghai", "Suzhou", "Nantong"}) for w in (
        "长三角", "长江三角洲", "华东", "沪苏通", "yangtze river delta", "yangtze delta", "east china")},
    **{w: frozenset({"Suzhou", "Nantong"}) for w in ("江苏", "苏南", "jiangsu")},
    **{w: frozenset({"Shanghai"}) for w in ("上海", "shanghai")},
    **{w: frozenset({"Suzhou"}) for w in ("苏州", "昆山", "常熟", "张家港", "太仓", "吴江", "suzhou", "kunshan",
                                          "changshu", "zhangjiagang", "taicang", "wujiang")},
    **{w: frozenset({"Nantong"}) for w in ("南通", "如皋", "海门", "启东", "海安", "如东", "nantong", "rugao",
                                           "haimen", "qidong", "haian")},
}


@lru_cache(maxsize=1)
def _places() -> tuple[dict[str, frozenset[str]], re.Pattern[str]]:
    """REGIONS and every current district of the three cities (the reference gazetteer: '松江区' and '松江',
    'Songjiang', '苏州工业园区'), with the pattern that finds them; an English name only as a whole word."""
    words = dict(REGIONS)
    for d in regions().districts.values():
        if d.status != "current" or d.city not in CITIES:
            continue
        short = re.sub(r"(?:新区|区|县|市)$", "", d.name_zh)
        en = re.sub(r"\s+(?:District|County|New Area)$", "", d.short_en)
        for w in (d.name_zh, short if len(short) >= 2 else "", en):
            if w and w.lower() not in words:
                words[w.lower()] = frozenset({d.city})
    alternatives = sorted(words, key=len, reverse=True)
    pattern = "|".join(rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w) for w in alternatives)
    return words, re.compile(pattern, re.I)


def places_named(text: str) -> frozenset[str]:
    """The cities of the cluster a text names, directly, through a region or through a district."""
    words, pattern = _places()
    out: set[str] = set()
    for m in pattern.finditer(text):
        out |= words[m.group(0).lower()]
    return frozenset(out)
# standards and marks: a family name with its number (ISO 9001, IATF 16949, AEC-Q100, IEC 62368, GB/T 19001)
# or a mark that stands alone (CE, GMP, RoHS …)
_STANDARD = re.compile(r"(?<![A-Za-z])(ISO|IATF|IEC|EN|ASTM|UL|AEC-Q|GB/T|GB|YY/T|SEMI|AS|API|DNV|ECE\s?R)\s?-?"
                       r"(\d{2,6}(?:-\d+)?)", re.I)
_MARK = re.compile(r"(?<![A-Za-z])(CE|FCC|CCC|3C|RoHS|REACH|GMP|GSP|GLP|FDA|CNAS|CMA|UL|KC|TÜV|TUV|HACCP|FSC|"
                   r"OEKO-TEX|GRS|BSCI|NMPA|CFDA|EUDAMED|ASME)(?![A-Za-z])", re.I)
_QUANTITY = re.compile(r"(\d+(?:[.,]\d+)?)\s*(万|千|亿|million|thousand|k\b|m\b)?\s*"
                       r"(吨|t\b|tons?|tonnes?|台|units?|sets?|套|件|pcs|pieces?|片|wafers?|颗|只|个|米|m²|平方米|kg|公斤)",
                       re.I)
_SCALE = {"万": 1e4, "千": 1e3, "亿": 1e8, "million": 1e6, "thousand": 1e3, "k": 1e3, "m": 1e6}
_UNIT = {"吨": "t", "t": "t", "ton": "t", "tons": "t", "tonne": "t", "tonnes": "t", "台": "unit", "unit": "unit",
         "units": "unit", "set": "unit", "sets": "unit", "套": "unit", "件": "pc", "pcs": "pc", "piece": "pc",
         "pieces": "pc", "个": "pc", "只": "pc", "颗": "pc", "片": "wafer", "wafer": "wafer", "wafers": "wafer",
         "米": "m", "m²": "m2", "平方米": "m2", "kg": "kg", "公斤": "kg"}


@dataclass(frozen=True)
class Facts:
    """What qualifiers state that another party can meet: standards and marks (folded: 'ISO 9001'),
    cities of the cluster named (directly or through a region), quantities by unit (the largest)."""

    certs: frozenset[str] = frozenset()
    cities: frozenset[str] = frozenset()
    quantities: tuple[tuple[str, float], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.certs or self.cities or self.quantities)


def _fold_cert(family: str, number: str = "") -> str:
    f = re.sub(r"\s+", "", family.upper()).replace("TUV", "TÜV").replace("CFDA", "NMPA")
    return f"{f} {number}".strip() if number else f


def facts(text: str) -> Facts:
    """The standards, places and quantities a text names."""
    certs = {_fold_cert(m.group(1), m.group(2)) for m in _STANDARD.finditer(text)}
    certs |= {_fold_cert(m.group(1)) for m in _MARK.finditer(text)}
    cities = set(places_named(text))
    q: dict[str, float] = {}
    for m in _QUANTITY.finditer(text):
        unit = _UNIT.get(m.group(3).lower())
        if unit is None:
            continue
        value = float(m.group(1).replace(",", "")) * _SCALE.get((m.group(2) or "").lower(), 1.0)
        q[unit] = max(q.get(unit, 0.0), value)
    return Facts(frozenset(certs), frozenset(cities), tuple(sorted(q.items())))


# ---------------------------------------------------------------------------------------------- split
_DUPLICATE = 0.97  # cosine of two texts that are the same but for a word or a number


def hash_keys(texts: list[str]) -> np.ndarray:
    """A fixed key per text (crc32): which clauses are sampled does not depend on the order of profiles."""
    return np.array([zlib.crc32(t.encode()) for t in texts], dtype=np.int64)


@dataclass
class Clauses:
    """Every clause of both sides, flattened: its text, side (0 need, 1 offer), statement row, party and
    (language, role) group."""

    text: list[str]
    side: np.ndarray
    row: np.ndarray
    party: np.ndarray
    group: np.ndarray  # 2 * side + language (0 zh, 1 en)
    whole: np.ndarray  # the clause is its whole statement (its vector is the statement's)


def collect(sides: list[tuple[list[str], np.ndarray]]) -> tuple[Clauses, list[list[list[str]]]]:
    """The clauses of the statements of each side ((texts, party) per side)."""
    text: list[str] = []
    side, row, party, group, whole = [], [], [], [], []
    per_side: list[list[list[str]]] = []
    for s, (texts, owners) in enumerate(sides):
        lists = []
        for r, (t, p) in enumerate(zip(texts, owners, strict=True)):
            cs = clauses(t) or [t]
            lists.append(cs)
            for c in cs:
                text.append(c)
                side.append(s)
                row.append(r)
                party.append(int(p))
                group.append(2 * s + (0 if lang_of(c) == "zh" else 1))
                whole.append(len(cs) == 1)
        per_side.append(lists)
    return Clauses(text, np.array(side, np.int8), np.array(row, np.int64), np.array(party, np.int64),
                   np.array(group, np.int64), np.array(whole, bool)), per_side


def chain_spread(cl: Clauses, vectors, party_chains: np.ndarray, sample: int = 4000, z_near: float = 5.0,
                 block: int = 8192) -> np.ndarray:
    """For each clause, the effective number of chains (exp of the entropy) among the parties of its near
    neighbours — standardised similarity ≥ ``z_near`` — in a sample of ``sample`` clauses chosen by a hash
    of their text; other parties' clauses only; 0 when it has none. ``vectors(rows)`` gives the clause
    vectors of some clause rows; ``party_chains`` is parties × chains, each party's row summing to 1 (or 0
    where its chain is unknown). Similarities are standardised per pair of (language, role) groups
    against the sample's own pairs, as the dense channel calibrates languages."""
    n = len(cl.text)
    out = np.zeros(n, np.float32)
    if not n:
        return out
    pick = np.sort(np.argsort(hash_keys(cl.text), kind="stable")[:sample])
    sv, sgroup, sparty = vectors(pick), cl.group[pick], cl.party[pick]
    ss = sv @ sv.T
    other = sparty[:, None] != sparty[None, :]
    mu = np.zeros((4, 4), np.float32)
    sd = np.ones((4, 4), np.float32)
    pooled = ss[other]
    if pooled.size:
        mu[:], sd[:] = np.median(pooled), max((np.percentile(pooled, 90) - np.percentile(pooled, 10)) / 2.563, 1e-3)
    for a in range(4):
        for b in range(4):
            blk = ss[np.ix_(sgroup == a, sgroup == b)][other[np.ix_(sgroup == a, sgroup == b)]]
            if blk.size >= 25:
                mu[a, b] = np.median(blk)
                sd[a, b] = max((np.percentile(blk, 90) - np.percentile(blk, 10)) / 2.563, 1e-3)
    chains_of_sample = party_chains[sparty].astype(np.float32)
    for i in range(0, n, block):
        rows = np.arange(i, min(n, i + block))
        g = cl.group[rows]
        sims = vectors(rows) @ sv.T
        # z per (language, role) group of the rows: the sample's calibration is one row vector per group
        # (the same values as gathering mu[g][:, sgroup] for every row, without building that matrix)
        z = np.empty_like(sims)
        for a in np.unique(g):
            sel = g == a
            z[sel] = (sims[sel] - mu[a][sgroup][None, :]) / sd[a][sgroup][None, :]
        # a copy is a neighbour whatever the encoder's spread (a hashing stand-in has a wide one)
        near = ((z >= z_near) | (sims >= _DUPLICATE)) & (cl.party[rows, None] != sparty[None, :])
        mass = near.astype(np.float32) @ chains_of_sample
        total = mass.sum(axis=1, keepdims=True)
        p = np.divide(mass, total, out=np.zeros_like(mass), where=total > 0)
        h = -(p * np.log(np.where(p > 0, p, 1.0))).sum(axis=1)
        out[rows] = np.where(total[:, 0] > 0, np.exp(h), 0.0)
    return out
