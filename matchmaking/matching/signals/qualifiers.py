"""条件相符 conditions met: what the query's needs require besides their object, and the candidate meets.

Qualifiers (``objects``) never make a match: they adjust one the objects made. Three kinds are read
(``objects.facts``): a standard or mark the needs require that the candidate states it holds (ISO 9001,
IATF 16949, GMP …), a place the needs prefer that the candidate is in (长三角, Jiangsu, 苏州 …), and a
quantity the needs state against the candidate's stated capacity in the same unit. The value is the
share of the kinds the needs state that the candidate meets (a quantity counts by capacity / need, at
most 1); the points are scaled by how well the best need's object is met (``Pairs.forward`` against
the statement channels' full weight), so qualifiers can lift a good object match and never carry a
poor one. Silent when the needs state nothing the candidate meets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...reference import CITY_ZH
from ..objects import Facts, facts
from ..result import Part
from .base import Explained, Pairs, PairSignal, said

__all__ = ["Qualifiers"]

_UNIT_ZH = {"t": "吨", "unit": "台/套", "pc": "件", "wafer": "片", "m": "米", "m2": "平方米", "kg": "公斤"}


@dataclass(frozen=True)
class _State:
    required: list[Facts]  # per party: what its needs state
    held: list[Facts]  # per party: what its offers and description state (its city as the place)
    # the same as arrays over parties, for a whole block of candidates at once (``values``)
    want_certs: np.ndarray  # parties × certs the needs require (bool)
    held_certs: np.ndarray  # parties × certs held
    want_cities: np.ndarray  # parties × cities the needs prefer
    held_cities: np.ndarray  # parties × the party's own city
    want_q: np.ndarray  # parties × units: the quantity the needs state (0: none)
    held_q: np.ndarray  # parties × units: the stated capacity (NaN: none)


def _incidence(sets: list[frozenset[str]], vocab: dict[str, int]) -> np.ndarray:
    out = np.zeros((len(sets), max(len(vocab), 1)), bool)
    for i, items in enumerate(sets):
        for x in items:
            out[i, vocab[x]] = True
    return out


def _arrays(required: list[Facts], held: list[Facts]) -> dict[str, np.ndarray]:
    certs = {c: i for i, c in enumerate(sorted({c for f in (*required, *held) for c in f.certs}))}
    cities = {c: i for i, c in enumerate(sorted({c for f in (*required, *held) for c in f.cities}))}
    units = {u: i for i, u in enumerate(sorted({u for f in (*required, *held) for u, _ in f.quantities}))}
    want_q = np.zeros((len(required), max(len(units), 1)))
    held_q = np.full((len(held), max(len(units), 1)), np.nan)
    for i, f in enumerate(required):
        for u, v in f.quantities:
            want_q[i, units[u]] = v
    for i, f in enumerate(held):
        for u, v in f.quantities:
            held_q[i, units[u]] = v
    return {"want_certs": _incidence([f.certs for f in required], certs),
            "held_certs": _incidence([f.certs for f in held], certs),
            "want_cities": _incidence([f.cities for f in required], cities),
            "held_cities": _incidence([f.cities for f in held], cities), "want_q": want_q, "held_q": held_q}


class Qualifiers(PairSignal):
    name = "qualifiers"
    label_zh = "条件相符"
    label_en = "conditions met"

    def prepare(self, index: Any) -> _State:
        facts_of = index.memo.of(facts)  # read again only for new or changed texts
        needs = [""] * index.n
        for p, t in zip(index.needs.party, index.needs.text, strict=True):
            needs[p] = f"{needs[p]}；{t}"
        held = []
        for i, (offers, desc) in enumerate(zip(index.parties["offers"], index.parties["description"], strict=True)):
            f = facts_of(f"{offers}；{desc}")
            held.append(Facts(f.certs, frozenset({index.city_name[i]}) - {""}, f.quantities))
        required = [facts_of(t) for t in needs]
        return _State(required, held, **_arrays(required, held))

    def _met(self, want: Facts, have: Facts) -> tuple[float, dict[str, Any]]:
        kinds, got = 0, 0.0
        ev: dict[str, Any] = {}
        for kind in ("certs", "cities"):
            wanted = getattr(want, kind)
            if wanted:
                kinds += 1
                met = sorted(wanted & getattr(have, kind))
                if met:
                    got += 1
                    ev[kind] = met
        have_q = dict(have.quantities)
        shared = [(u, v, have_q[u]) for u, v in want.quantities if u in have_q and v > 0]
        if shared:
            kinds += 1
            unit, need, cap = max(shared, key=lambda x: x[2] / x[1])
            got += min(1.0, cap / need)
            ev["volume"] = [unit, need, cap]
        return (got / kinds if kinds and got > 0 else float("nan")), ev

    def values(self, pairs: Pairs) -> np.ndarray:
        st: _State = pairs.index.prepared[self.name]
        want = st.required[pairs.q]
        out = np.full(len(pairs.cand), np.nan)
        if not want or not pairs.index.objects:  # without the split (the engine before it), silent
            return out
        # ``_met`` for every candidate at once: the same float64 operations in the same order
        q, cand = pairs.q, pairs.cand
        kinds = np.zeros(len(cand))
        got = np.zeros(len(cand))
        for w_, h_ in ((st.want_certs, st.held_certs), (st.want_cities, st.held_cities)):
            if w_[q].any():
                kinds += 1
                got += (h_[cand] & w_[q]).any(axis=1)
        need = st.want_q[q]
        stated = need > 0
        if stated.any():
            cap = st.held_q[cand][:, stated]
            ratio = cap / need[stated]
            shared = ~np.isnan(ratio).all(axis=1)
            kinds += shared
            got += np.where(shared, np.minimum(1.0, np.nanmax(np.where(np.isnan(ratio), -np.inf, ratio), axis=1)),
                            0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            out = np.where((kinds > 0) & (got > 0), got / np.where(kinds > 0, kinds, 1), np.nan)
        return out

    def _gate(self, pairs: Pairs) -> np.ndarray:
        """Per candidate, the share of the weight the objects' match lets count (once per query)."""
        return pairs.derive("qualifiers_gate", _gate)

    def points(self, pairs: Pairs, values: np.ndarray) -> np.ndarray:
        return self.weight(pairs.config) * self._gate(pairs) * said(values)

    def part(self, pairs: Pairs, values: np.ndarray, j: int) -> Part | None:
        v = float(values[j])
        weight = self.weight(pairs.config) * float(self._gate(pairs)[j])
        if math.isnan(v) or weight <= 0:
            return None
        return Part(self.name, v, weight, weight * v, self.evidence(pairs, j))

    def evidence(self, pairs: Pairs, j: int) -> dict[str, Any]:
        st: _State = pairs.index.prepared[self.name]
        return self._met(st.required[pairs.q], st.held[int(pairs.cand[j])])[1]

    def reasons(self, part: Part, ex: Explained) -> list[str]:
        ev, zh = part.evidence, ex.lang == "zh"
        items = list(ev.get("certs", []))
        items += [CITY_ZH.get(c, c) if zh else c for c in ev.get("cities", [])]
        if "volume" in ev:
            unit, need, cap = ev["volume"]
            ok = "✓" if cap >= need else "≈"
            items.append(f"用量 {need:,.0f}{_UNIT_ZH.get(unit, unit)} ≤ 产能 {cap:,.0f}" if zh and cap >= need else
                         f"用量 {need:,.0f} / 产能 {cap:,.0f}{_UNIT_ZH.get(unit, unit)}" if zh else
                         f"volume {need:,.0f} {unit} vs capacity {cap:,.0f}")
            items[-1] = f"{items[-1]} {ok}"
            marks = [f"{x} ✓" for x in items[:-1]] + [items[-1]]
        else:
            marks = [f"{x} ✓" for x in items]
        if not marks:
            return []
        if ex.side == "candidate":
            return ["您也符合对方的条件：" + "、".join(marks) if zh else "you also meet their conditions: " + ", ".join(marks)]
        return ["另外：" + "、".join(marks) if zh else "also: " + ", ".join(marks)]


def _gate(pairs: Pairs) -> np.ndarray:
    w = pairs.config.weights
    full = max(w.dense + w.sparse + w.concept, 1e-9)
    forward = pairs.forward if pairs.forward is not None else np.zeros(len(pairs.cand), np.float32)
    return np.clip(2 * forward / full, 0.0, 1.0)
