"""The matcher: who should meet whom, and why, for both sides.

A match starts from a *stated need*: each statement of the query's ``seeks`` is scored against each
statement of a candidate's ``offers`` through the statement channels (``signals``: dense, sparse,
concept); the best statement pair per need and candidate gives the forward score. The candidate's own
gain (its needs met by the query's offers) and the pair signals (chain, partner type, organisation type,
cross-city, and for a deal ticket size, focus and round) are added on top; a query with several needs gets
answers to each (``coverage``). Every score is the sum of its labelled parts.

Two stages: *retrieve* a few hundred candidate statements per need from the whole index with each
channel's linear scores (``StatementChannel.retrieve``), then *rank* the parties they belong to with every
signal, exactly. Both stages work on blocks of queries and are pure given the index, so ``match_block``
can be mapped over partitions (worker processes, a cluster) without changing the logic.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .arrays import TIE, TIE_DECIMALS, first_best, group_max
from .config import MatchConfig
from .index import MatchIndex
from .relations import INTENTS, RELATION_TABLE, RELATIONS
from .result import Match, Part
from .signals import (
    CAPITAL,
    CHANNELS,
    COVERAGE,
    MULTI_NEED,
    PAIR_SIGNALS,
    REVERSE,
    Pairs,
    ReverseScores,
    capital_cells,
)

__all__ = ["Matcher", "StatementScores", "statement_scores"]

_OPP = INTENTS.index("opportunity")
_CUSTOMER = RELATIONS.index("customer")
_OPPORTUNITY = RELATIONS.index("investment_opportunity")
_INVESTOR_TYPE = 3  # ORG_TYPES.index("investor")


@dataclass
class StatementScores:
    """Exact channel values of some need rows against some offer rows, and their weighted sum."""

    channels: dict[str, np.ndarray]  # channel name → need rows × offer rows, values in [0, 1]
    total: np.ndarray
    capital: np.ndarray | None = None  # the cells scored as a capital need met by an investor (``signals.capital``)


def statement_scores(index: MatchIndex, config: MatchConfig, need_rows: np.ndarray,
                     offer_rows: np.ndarray) -> StatementScores:
    """Every enabled channel's values for need rows × offer rows, summed with the channel weights (a
    cross-language pair with the weights of ``MatchConfig.channel_weights(cross=True)``)."""
    shape = (len(need_rows), len(offer_rows))
    capital = None
    values = {}
    for ch in CHANNELS:
        if ch.name in config.channels and len(need_rows) and len(offer_rows):
            values[ch.name] = ch.scores(index, config, need_rows, offer_rows)
        else:
            values[ch.name] = np.zeros(shape, dtype=np.float32)
    w = config.weights
    # written out rather than summed in a loop: the same float32 operations in the same order as ever, so
    # that rankings (and `make eval`) stay the same to the last bit
    total = w.dense * values["dense"] + w.sparse * values["sparse"] + w.concept * values["concept"]
    if len(need_rows) and len(offer_rows):
        cross = index.needs.lang[need_rows][:, None] != index.offers.lang[offer_rows][None, :]
        wd, ws, wc = config.channel_weights(cross=True)
        total = np.where(cross, wd * values["dense"] + ws * values["sparse"] + wc * values["concept"], total)
        # a statement that names no object (only qualifiers) meets nothing: qualifiers never make a match
        both = index.needs.has_object[need_rows][:, None] & index.offers.has_object[offer_rows][None, :]
        if not both.all():
            total = np.where(both, total, 0.0)
            values = {k: np.where(both, v, 0.0).astype(np.float32) for k, v in values.items()}
        # a capital need against an investor's offer: fixed points, not the texts (``signals.capital``)
        capital = capital_cells(index, need_rows, offer_rows)
        if capital is not None and (capital := capital & both).any():
            total = np.where(capital, w.capital, total)
            values = {k: np.where(capital, 0.0, v).astype(np.float32) for k, v in values.items()}
    return StatementScores(values, total.astype(np.float32), capital)


@functools.cache
def _blas_controller() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _one_blas_thread() -> Any:
    """NumPy's BLAS held to one thread while matching: its products here are small, and its idle
    threads spinning beside torch's (which does the one large product) doubled the latency of a
    query at 100k profiles on two cores (p95 52 → 20 ms, bench/matching.py)."""
    return _blas_controller().limit(limits=1, user_api="blas")


def _check_top_k(top_k: int) -> None:
    if not isinstance(top_k, int) or not 1 <= top_k <= 1000:
        raise ValueError(f"The 'top_k' parameter of Matcher must be an int in [1, 1000]. Got {top_k!r} instead.")


class Matcher:
    """Ranks candidates for a query and explains each match. Construct with an index and a config."""

    def __init__(self, index: MatchIndex, config: MatchConfig | None = None) -> None:
        self.index = index
        # the calibration that fits the index's vectors (``MatchConfig.for_vectors``)
        self.config = (config or MatchConfig()).for_vectors(index.model_id)

    # ------------------------------------------------------------------ public
    def match(self, query_id: str, top_k: int = 10) -> list[Match]:
        """The top ``top_k`` matches for one organisation (credit code) or project (id). A party that
        states no needs gets the parties that need what it offers."""
        if query_id not in self.index.id_to_row:
            raise KeyError(query_id)
        _check_top_k(top_k)
        return self.match_block([self.index.id_to_row[query_id]], top_k)[0]

    def customers(self, query_id: str, top_k: int = 10) -> list[Match]:
        """Who needs what this party offers (its would-be customers), whatever it seeks itself."""
        if query_id not in self.index.id_to_row:
            raise KeyError(query_id)
        _check_top_k(top_k)
        return self._rank(self.index.id_to_row[query_id], np.zeros(0, np.int64), [], top_k)

    def match_many(self, query_ids: Iterable[str], top_k: int = 10) -> dict[str, list[Match]]:
        rows = [self.index.id_to_row[q] for q in query_ids]
        out: dict[str, list[Match]] = {}
        for i in range(0, len(rows), 64):
            block = rows[i:i + 64]
            for r, ms in zip(block, self.match_block(block, top_k), strict=True):
                out[self.index.pid[r]] = ms
        return out

    def match_block(self, rows: Sequence[int], top_k: int) -> list[list[Match]]:
        """Matches for a block of query rows: retrieval for all their needs at once, then ranking per
        query. A pure function of the index and the rows."""
        with _one_blas_thread():
            ix = self.index
            need_rows = [ix.party_needs(r) for r in rows]
            flat = np.concatenate(need_rows) if need_rows else np.zeros(0, np.int64)
            retrieved = self._retrieve(flat) if len(flat) else []
            out, pos = [], 0
            for r, nr in zip(rows, need_rows, strict=True):
                out.append(self._rank(r, nr, retrieved[pos:pos + len(nr)], top_k))
                pos += len(nr)
            return out

    def eligible(self, q: int, cand: np.ndarray) -> np.ndarray:
        """Never the query itself, never a project with its own sponsor (either way round)."""
        ix = self.index
        ok = cand != q
        if ix.is_project[q] and ix.sponsor[q] >= 0:
            ok &= cand != ix.sponsor[q]
        ok &= ~(ix.is_project[cand] & (ix.sponsor[cand] == q))
        return ok

    # ------------------------------------------------------------------ retrieval
    def _retrieve(self, need_rows: np.ndarray) -> list[np.ndarray]:
        """Per need row, the offer statements worth ranking: the union of each channel's top-K."""
        ix, cfg = self.index, self.config
        M = len(ix.offers.text)
        if cfg.exhaustive or M <= cfg.retrieve:
            return [np.arange(M)] * len(need_rows)
        found: list[set[int]] = [set() for _ in need_rows]
        for ch in CHANNELS:
            if ch.name in cfg.channels:
                ch.retrieve(ix, cfg, need_rows, cfg.retrieve, found)
        return [np.fromiter(s, dtype=np.int64, count=len(s)) for s in found]

    def _retrieve_reverse(self, offer_rows: np.ndarray) -> np.ndarray:
        """Need statements (of anyone) that the given offers may answer."""
        ix, cfg = self.index, self.config
        N = len(ix.needs.text)
        if cfg.exhaustive or N <= cfg.retrieve or not len(offer_rows):
            return np.arange(N)
        found: set[int] = set()
        for ch in CHANNELS:
            if ch.name in cfg.channels:
                ch.retrieve_reverse(ix, cfg, offer_rows, cfg.retrieve, found)
        return np.fromiter(found, dtype=np.int64, count=len(found))

    # ------------------------------------------------------------------ ranking one query
    def _scores(self, need_rows: np.ndarray, offer_rows: np.ndarray) -> StatementScores:
        return statement_scores(self.index, self.config, need_rows, offer_rows)

    def _candidates(self, q: int, need_rows: np.ndarray, retrieved: list[np.ndarray]) -> np.ndarray:
        ix = self.index
        if len(need_rows):
            stmts = np.unique(np.concatenate(retrieved)) if retrieved else np.zeros(0, np.int64)
            cand = np.unique(ix.offers.party[stmts])
            if ix.sells[q]:  # it seeks customers too: whoever needs what it offers
                cand = np.union1d(cand, ix.needs.party[self._retrieve_reverse(ix.party_offers(q))])
        else:
            cand = np.unique(ix.needs.party[self._retrieve_reverse(ix.party_offers(q))])
        return cand[self.eligible(q, cand)]

    def _rank(self, q: int, need_rows: np.ndarray, retrieved: list[np.ndarray], top_k: int) -> list[Match]:
        ix, cfg = self.index, self.config
        q_offers = ix.party_offers(q)
        forward_mode = len(need_rows) > 0
        cand = self._candidates(q, need_rows, retrieved)
        if not len(cand):
            return []
        nc = len(cand)
        # forward: the query's needs against all offer statements of the candidates
        off_rows = ix.offers.rows_of(cand)
        off_owner = np.searchsorted(cand, ix.offers.party[off_rows])
        fs = None
        if forward_mode and len(off_rows):
            fs = self._scores(need_rows, off_rows)
            opp = ix.needs.intent[need_rows] == _OPP
            allowed = np.where(opp[:, None], ix.offer_for_deals[off_rows][None, :], ~ix.offer_is_pitch[off_rows][None, :])
            best, arg = group_max(np.where(allowed, fs.total, -np.inf), off_owner, nc, TIE)  # needs × candidates
            best = np.where(np.isfinite(best), best, 0.0)
            first, multi = MULTI_NEED.points(cfg, best)
            which = first_best(best, axis=0)  # the need met best
        else:
            best = arg = np.zeros((0, nc))
            first = multi = np.zeros(nc, np.float32)
            which = np.zeros(nc, np.int64)
        forward = first + multi
        # reverse: the candidates' needs against the query's offers
        if cfg.fusion != "none" or not forward_mode:
            rs = REVERSE.values(ix, q, cand, q_offers, lambda n, o: self._scores(n, o).total)
        else:
            rs = ReverseScores(np.zeros(nc, np.float32), np.full(nc, -1, np.int64), np.full(nc, -1, np.int64))
        # a party seeking customers ranks those who need what it offers as it ranks those who offer what it needs
        sells = bool(ix.sells[q])
        rev_points = REVERSE.points(cfg, forward_mode and not sells, first, rs.value)
        relation = self._relations(q, cand, need_rows, which, forward,
                                   rs.value if sells else cfg.weights.reverse * rs.value, forward_mode)
        pairs = Pairs(ix, cfg, q, cand, relation, first)
        pair_values = {s.name: s.values(pairs) for s in PAIR_SIGNALS} if cfg.rerank else {}
        pair = np.zeros(nc, np.float32)
        for s in PAIR_SIGNALS if cfg.rerank else ():
            pair += s.points(pairs, pair_values[s.name])
        score = forward + rev_points + pair
        base = np.maximum(forward, rs.value) if sells or not forward_mode else forward
        keep = np.flatnonzero(base > 0)
        if not len(keep):
            return []
        # ties (``arrays.TIE``) by id
        order = keep[np.lexsort((ix.pid[cand[keep]], -np.round(score[keep], TIE_DECIMALS)))]
        order, above = COVERAGE.select(cfg, order, score, which, len(need_rows), top_k) if forward_mode and cfg.rerank \
            else (order[:top_k], np.zeros(nc, np.int64))
        out = []
        for rank, j in enumerate(order, start=1):
            parts: list[Part] = []
            if forward_mode and fs is not None and best[which[j], j] > 0:
                parts += self._channel_parts(need_rows, off_rows, fs, arg, int(which[j]), int(j))
                multi_part = MULTI_NEED.part(cfg, ix, best, arg, need_rows, off_rows, multi, int(j))
                if multi_part is not None:
                    parts.append(multi_part)
            rev_part = REVERSE.part(ix, rs, rev_points, int(j))
            if rev_part is not None:
                parts.append(rev_part)
            for s in PAIR_SIGNALS if cfg.rerank else ():
                p = s.part(pairs, pair_values[s.name], int(j))
                if p is not None:
                    parts.append(p)
            cover = COVERAGE.part(cfg, ix.needs.text[int(need_rows[which[j]])], int(above[j])) if above[j] else None
            if cover is not None:
                parts.append(cover)
            out.append(Match(ix.pid[q], ix.kind[q], ix.pid[cand[j]], ix.kind[cand[j]], rank,
                             float(sum(p.points for p in parts)), RELATIONS[relation[j]], tuple(parts)))
        return out

    def _relations(self, q: int, cand: np.ndarray, need_rows: np.ndarray, which: np.ndarray, forward: np.ndarray,
                   reverse: np.ndarray, forward_mode: bool) -> np.ndarray:
        """What each candidate would be to the query (an index into RELATIONS): from the intent of the need
        it meets best; a customer (or, for an investor, a deal) when its own gain (``reverse``, weighted as it
        enters the score) leads the match."""
        ix = self.index
        if forward_mode:
            intent = ix.needs.intent[need_rows[which]]
            reverse_led = (~np.asarray(forward > 0)) | (reverse > forward)
        else:
            intent = np.full(len(cand), INTENTS.index("customer"), np.int8)
            reverse_led = np.ones(len(cand), bool)
        relation = np.where(reverse_led, _CUSTOMER,
                            RELATION_TABLE[intent, ix.is_project[cand].astype(np.int64), ix.org_type[cand]])
        if ix.org_type[q] == _INVESTOR_TYPE:  # an investor whose capital answers a need: the candidate is a deal
            relation = np.where(reverse_led, _OPPORTUNITY, relation)
        return relation

    def _channel_parts(self, need_rows: np.ndarray, off_rows: np.ndarray, fs: StatementScores, arg: np.ndarray,
                       k: int, j: int) -> list[Part]:
        """The statement channels' parts of candidate ``j``: its best statement pair for the need ``k`` it
        meets best, with the effective weights of that pair's language pair."""
        ix, cfg = self.index, self.config
        col = int(arg[k, j])
        need_i, off_i = int(need_rows[k]), int(off_rows[col])
        # the objects that met (what the reasons lead with), and the whole statements when they say more
        ev = {"need": ix.needs.object[need_i], "offer": ix.offers.object[off_i]}
        if ix.needs.object[need_i] != ix.needs.text[need_i]:
            ev["need_statement"] = ix.needs.text[need_i]
        if ix.offers.object[off_i] != ix.offers.text[off_i]:
            ev["offer_statement"] = ix.offers.text[off_i]
        if fs.capital is not None and fs.capital[k, col]:  # scored as a capital need met (``statement_scores``)
            return [CAPITAL.part(cfg, ev)]
        weights = dict(zip(("dense", "sparse", "concept"),
                           cfg.channel_weights(cross=bool(ix.needs.lang[need_i] != ix.offers.lang[off_i])),
                           strict=True))
        parts = []
        for ch in CHANNELS:
            if ch.name not in cfg.channels:
                continue
            v = float(fs.channels[ch.name][k, col])
            weight = weights[ch.name]
            parts.append(Part(ch.name, v, weight, weight * v, {**ev, **ch.evidence(ix, need_i, off_i)}))
        return parts
