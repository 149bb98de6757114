"""The matching engine: who should meet whom, and why, for both sides.

A match starts from a *stated need*: each statement of the query's ``seeks`` is scored against each
statement of every candidate's ``offers`` through three channels —

- dense: multilingual sentence embeddings (need as *query*, offer as *passage*), made comparable across
  languages by standardising against the similarity of unrelated pairs of the same language pair
  (raw multilingual scores put every same-language pair above every cross-language one);
- sparse: TF-IDF over Chinese characters/bigrams and English words, which is exact on Chinese terms;
- concepts: the industry-chain vocabulary (zh and en) mapping both texts to the same products/segments;

then the best statement pair per need and candidate gives the forward score. Re-ranking adds what the
candidate gains (its own needs met by the query's offers), chain complementarity, partner-type,
organisation-type and capacity fit, and a mild cross-city preference (a policy knob, never a filter).
Every score is a sum of labelled parts (signal, raw value, weight, points, evidence).

Everything is computed in blocks of queries against the whole candidate matrix, with pure functions,
so ``match_all`` can be split over partitions (e.g. Ray tasks) without changing the logic.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from . import signals
from .concepts import ConceptHits, lexicon
from .reference import chains
from .stats import chain_of_code
from .text import lang_of, statements, tokens

__all__ = ["Weights", "MatchConfig", "Part", "Match", "MatchIndex", "Matcher", "EmbedFn"]

EmbedFn = Callable[[Sequence[str], str], np.ndarray]


@dataclass(frozen=True)
class Weights:
    """How many points each signal can add. Forward channels are per statement pair."""

    dense: float = 0.45
    sparse: float = 0.25
    concept: float = 0.30
    multi_need: float = 0.10
    reverse: float = 0.15
    chain: float = 0.06
    partner_type: float = 0.04
    org_type: float = 0.08
    capacity: float = 0.10
    cross_city: float = 0.03


@dataclass(frozen=True)
class MatchConfig:
    """Settings of a matcher. ``channels`` switches channels off for ablations; ``fusion`` says how the
    candidate's own gain (reverse direction) enters: 'gated' (scaled by how well the stated need is
    met, so it can lift a good answer but never carry a poor one), 'additive', or 'none'."""

    weights: Weights = field(default_factory=Weights)
    channels: tuple[str, ...] = ("dense", "sparse", "concept")
    fusion: str = "gated"
    calibrate_languages: bool = True
    dense_z0: float = 2.0
    dense_scale: float = 1.0
    sparse_full: float = 0.35
    pool: int = 200
    rerank: bool = True

    def __post_init__(self) -> None:
        bad = [c for c in self.channels if c not in ("dense", "sparse", "concept", "description")]
        if bad or not self.channels:
            raise ValueError(f"The 'channels' parameter of MatchConfig must be a non-empty subset of dense, sparse, "
                             f"concept, description. Got {self.channels!r} instead.")
        if self.fusion not in ("gated", "additive", "none"):
            raise ValueError(f"The 'fusion' parameter of MatchConfig must be one of gated, additive, none. "
                             f"Got {self.fusion!r} instead.")
        if not 10 <= self.pool <= 100_000:
            raise ValueError(f"The 'pool' parameter of MatchConfig must be an int in [10, 100000]. "
                             f"Got {self.pool!r} instead.")


@dataclass(frozen=True)
class Part:
    """One labelled contribution to a score: ``points = weight × value``."""

    signal: str
    value: float
    weight: float
    points: float
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Match:
    query_id: str
    query_kind: str
    candidate_id: str
    candidate_kind: str
    rank: int
    score: float
    relation: str
    parts: tuple[Part, ...]

    def part(self, signal: str) -> Part | None:
        return next((p for p in self.parts if p.signal == signal), None)


# ----------------------------------------------------------------------------------------------- index
@dataclass
class _Statements:
    party: np.ndarray  # int index into parties, sorted ascending (contiguous per party)
    text: list[str]
    lang: np.ndarray  # 0 zh, 1 en
    intent: list[str]
    starts: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # first row per party present
    owners: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # the party of each block

    def finish(self) -> None:
        if len(self.party):
            change = np.flatnonzero(np.r_[True, self.party[1:] != self.party[:-1]])
            self.starts = change.astype(np.int64)
            self.owners = self.party[change].astype(np.int64)


def _party_max(values: np.ndarray, st: _Statements, n_parties: int) -> tuple[np.ndarray, np.ndarray]:
    """Per party (columns), the max over its statements (rows of ``values``) and the argmax row."""
    out = np.full((values.shape[0], n_parties), -np.inf, dtype=np.float32)
    arg = np.full((values.shape[0], n_parties), -1, dtype=np.int64)
    if not len(st.starts) or values.shape[1] == 0:
        return out, arg
    red = np.maximum.reduceat(values, st.starts, axis=1)
    out[:, st.owners] = red
    # argmax without a Python loop: the smallest column index within each block that reaches its max
    lengths = np.diff(np.r_[st.starts, values.shape[1]])
    hit = values >= np.repeat(red, lengths, axis=1)
    cols = np.where(hit, np.arange(values.shape[1])[None, :], np.iinfo(np.int64).max)
    arg[:, st.owners] = np.minimum.reduceat(cols, st.starts, axis=1)
    return out, arg


class MatchIndex:
    """Everything about the candidate side, computed once: statements, vectors, sparse and concept matrices."""

    def __init__(self, organisations: pd.DataFrame, projects: pd.DataFrame, embed: EmbedFn,
                 model_id: str = "") -> None:
        self.model_id = model_id
        self.parties = _parties(organisations, projects)
        n = len(self.parties)
        self.id_to_row = {pid: i for i, pid in enumerate(self.parties["pid"])}
        needs, offers = _collect_statements(self.parties)
        self.needs, self.offers = needs, offers
        self.n = n
        # dense
        self.need_vecs = embed(needs.text, "query") if needs.text else np.zeros((0, 1), np.float32)
        self.offer_vecs = embed(offers.text, "passage") if offers.text else np.zeros((0, 1), np.float32)
        # sparse: one vocabulary over both sides
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer = TfidfVectorizer(analyzer=tokens, sublinear_tf=True, min_df=1, max_df=0.2, norm="l2",
                                          dtype=np.float32)
        corpus = needs.text + offers.text
        if corpus:
            self.vectorizer.fit(corpus)
            self.need_sparse = self.vectorizer.transform(needs.text).tocsr()
            self.offer_sparse = self.vectorizer.transform(offers.text).tocsr()
        # concepts
        lex = lexicon()
        self.lexicon = lex
        self.need_hits = [lex.scan(t) for t in needs.text]
        self.offer_hits = [lex.scan(t) for t in offers.text]
        self.concept_ids = sorted(lex.concepts)
        self.segment_ids = sorted({c.segment_id for c in lex.concepts.values()} - {"*"})
        self._cidx = {c: i for i, c in enumerate(self.concept_ids)}
        self._sidx = {s: i for i, s in enumerate(self.segment_ids)}
        self.offer_c = self._incidence(self.offer_hits, "c")
        self.offer_s = self._incidence(self.offer_hits, "s")
        self.need_cw = self._incidence(self.need_hits, "c", weighted=True)
        self.need_sw = self._incidence(self.need_hits, "s", weighted=True)
        # what each party is (segments), from its offers and description concepts and industry code
        self.own_segments = _own_segments(self.parties, lex)
        # tickets of investors, amounts of projects
        self.tickets = [signals.parse_money_range(f"{r.offers} {r.seeks} {r.description}")
                        if r.org_type == "investor" else None for r in self.parties.itertuples()]
        self.lang_stats = _language_stats(self.need_vecs, needs.lang, self.offer_vecs, offers.lang)
        # reverse direction reuses the same matrices: the candidates' needs against the query's offers

    def _incidence(self, hits: list[ConceptHits], what: str, weighted: bool = False) -> sp.csr_matrix:
        rows, cols, vals = [], [], []
        idx = self._cidx if what == "c" else self._sidx
        for i, h in enumerate(hits):
            keys = h.concepts if what == "c" else [s for s in h.segments if s != "*"]
            if not keys:
                continue
            w = np.array([self.lexicon.idf.get(k, 1.0) for k in keys], dtype=np.float32) if weighted else None
            total = float(w.sum()) if w is not None else 1.0
            for j, k in enumerate(keys):
                rows.append(i)
                cols.append(idx[k])
                vals.append(float(w[j]) / total if w is not None else 1.0)
        return sp.csr_matrix((np.array(vals, dtype=np.float32), (rows, cols)),
                             shape=(len(hits), len(idx)), dtype=np.float32)


def _text_col(frame: pd.DataFrame, col: str) -> pd.Series:
    if col not in frame.columns:
        return pd.Series([""] * len(frame), index=frame.index, dtype=object)
    return frame[col].astype(object).where(frame[col].notna(), "").astype(str)


def _parties(orgs: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    def types(v: object) -> tuple[str, ...]:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return ()
        if isinstance(v, str):
            return tuple(x for x in v.split(";") if x)
        return tuple(str(x) for x in v)

    o = pd.DataFrame({
        "pid": _text_col(orgs, "credit_code"), "kind": "organisation", "name": _text_col(orgs, "name"),
        "city": _text_col(orgs, "city"), "district": _text_col(orgs, "district"),
        "org_type": _text_col(orgs, "org_type").replace("", "enterprise"),
        "industry_code": _text_col(orgs, "industry_code"), "description": _text_col(orgs, "description"),
        "offers": _text_col(orgs, "offers"), "seeks": _text_col(orgs, "seeks"),
        "partner_types": [types(v) for v in (orgs["partner_types"] if "partner_types" in orgs else [None] * len(orgs))],
        "sponsor": "", "amount_wan": np.nan, "stage": "",
    })
    p = pd.DataFrame({
        "pid": _text_col(projects, "project_id"), "kind": "project", "name": _text_col(projects, "title"),
        "city": _text_col(projects, "city"), "district": _text_col(projects, "district"), "org_type": "",
        "industry_code": _text_col(projects, "industry_code"), "description": _text_col(projects, "description"),
        "offers": "", "seeks": _text_col(projects, "seeks"), "partner_types": [()] * len(projects),
        "sponsor": _text_col(projects, "sponsor_credit_code"),
        "amount_wan": pd.to_numeric(projects["investment_wan"], errors="coerce").astype(float)
        if "investment_wan" in projects else np.nan,
        "stage": _text_col(projects, "stage"),
    })
    parties = pd.concat([o, p], ignore_index=True)
    parties["lang"] = [lang_of(f"{a} {b} {c} {d}") for a, b, c, d in
                       zip(parties["name"], parties["description"], parties["offers"], parties["seeks"], strict=True)]
    return parties


def _collect_statements(parties: pd.DataFrame) -> tuple[_Statements, _Statements]:
    need_p, need_t, off_p, off_t = [], [], [], []
    for i, r in enumerate(parties.itertuples()):
        for s in statements(r.seeks):
            need_p.append(i)
            need_t.append(s)
        if r.kind == "organisation":
            offer_text = r.offers or r.description  # a profile that states no offers is known by what it is
            for s in statements(offer_text):
                off_p.append(i)
                off_t.append(s)
        else:  # a project's "offer" to investors is what it is: its title and description
            pitch = f"{r.name}。{r.description}" if lang_of(r.name + r.description) == "zh" else (
                f"{r.name}. {r.description}")
            for s in statements(pitch)[:4]:
                off_p.append(i)
                off_t.append(s)
    def build(p: list[int], t: list[str]) -> _Statements:
        st = _Statements(np.array(p, dtype=np.int64), t,
                         np.array([0 if lang_of(x) == "zh" else 1 for x in t], dtype=np.int8),
                         [signals.intent_of(x) for x in t])
        st.finish()
        return st
    return build(need_p, need_t), build(off_p, off_t)


def _own_segments(parties: pd.DataFrame, lex: Any) -> list[tuple[str, ...]]:
    out = []
    for r in parties.itertuples():
        segs: dict[str, None] = {}
        code = r.industry_code.lstrip("ABCDEFGHIJKLMNOPQRST") if r.industry_code else ""
        for s in chains().segments_for_code(code) if code else []:
            segs[s.segment_id] = None
        text = r.offers or r.description
        for s in lex.scan(f"{text} {r.description}").segments:
            if s != "*":
                segs[s] = None
        out.append(tuple(segs))
    return out


def _language_stats(need_vecs: np.ndarray, need_lang: np.ndarray, offer_vecs: np.ndarray,
                    offer_lang: np.ndarray, sample: int = 400, seed: int = 7) -> dict[tuple[int, int], tuple[float, float]]:
    """Mean and spread of dense similarity between unrelated need/offer statements, per language pair
    (0 zh, 1 en). Most sampled pairs are unrelated, so this is the 'nothing in common' level."""
    rng = np.random.default_rng(seed)
    stats: dict[tuple[int, int], tuple[float, float]] = {}
    overall = []
    for lq in (0, 1):
        for lc in (0, 1):
            qi = np.flatnonzero(need_lang == lq)
            ci = np.flatnonzero(offer_lang == lc)
            if len(qi) < 5 or len(ci) < 5:
                continue
            qs = rng.choice(qi, size=min(sample, len(qi)), replace=False)
            cs = rng.choice(ci, size=min(sample, len(ci)), replace=False)
            sims = (need_vecs[qs] @ offer_vecs[cs].T).ravel()
            mu = float(np.median(sims))
            sigma = float(np.percentile(sims, 90) - np.percentile(sims, 10)) / 2.563 or 1e-3
            stats[(lq, lc)] = (mu, max(sigma, 1e-3))
            overall.append(sims)
    if overall:
        allv = np.concatenate(overall)
        mu, sigma = float(np.median(allv)), float(np.percentile(allv, 90) - np.percentile(allv, 10)) / 2.563
        for key in ((0, 0), (0, 1), (1, 0), (1, 1)):
            stats.setdefault(key, (mu, max(sigma, 1e-3)))
    return stats


# --------------------------------------------------------------------------------------------- scoring
@dataclass
class _Block:
    """Statement-level scores of a block of query needs against all offers (or the reverse)."""

    dense: np.ndarray
    sparse: np.ndarray
    concept: np.ndarray
    total: np.ndarray


class Matcher:
    """Ranks candidates for a query and explains each match. Construct with an index and a config."""

    def __init__(self, index: MatchIndex, config: MatchConfig | None = None) -> None:
        self.index = index
        self.config = config or MatchConfig()

    # ------------------------------------------------------------------ statement-level channels
    def _dense_value(self, sims: np.ndarray, qlang: np.ndarray, clang: np.ndarray) -> np.ndarray:
        cfg = self.config
        if cfg.calibrate_languages:
            mu = np.empty_like(sims)
            sg = np.empty_like(sims)
            for lq in (0, 1):
                for lc in (0, 1):
                    m, s = self.index.lang_stats.get((lq, lc), (0.0, 1.0))
                    mask = np.outer(qlang == lq, clang == lc)
                    mu[mask] = m
                    sg[mask] = s
            z = (sims - mu) / sg
        else:
            m, s = np.median(list(v[0] for v in self.index.lang_stats.values()) or [0.0]), 1 / 30
            z = (sims - m) / s
        return 1.0 / (1.0 + np.exp(-(z - cfg.dense_z0) / cfg.dense_scale))

    def _score_block(self, q_rows: np.ndarray, side: str, c_rows: np.ndarray | None = None) -> _Block:
        """Scores of query statements (rows of needs, or of offers for the reverse) against candidate
        statements (all offers, or the given rows of needs for the reverse)."""
        ix, cfg, w = self.index, self.config, self.config.weights
        if side == "forward":
            qv, qs, qlang = ix.need_vecs[q_rows], ix.need_sparse[q_rows], ix.needs.lang[q_rows]
            cv, cs, clang = ix.offer_vecs, ix.offer_sparse, ix.offers.lang
            qcw, qsw = ix.need_cw[q_rows], ix.need_sw[q_rows]
            cc, cseg = ix.offer_c, ix.offer_s
        else:  # reverse: the query's offers answer the candidates' needs (candidate needs are the "queries")
            assert c_rows is not None
            qv, qs, qlang = ix.need_vecs[c_rows], ix.need_sparse[c_rows], ix.needs.lang[c_rows]
            cv, cs, clang = ix.offer_vecs[q_rows], ix.offer_sparse[q_rows], ix.offers.lang[q_rows]
            qcw, qsw = ix.need_cw[c_rows], ix.need_sw[c_rows]
            cc, cseg = ix.offer_c[q_rows], ix.offer_s[q_rows]
        shape = (qv.shape[0], cv.shape[0])
        zero = np.zeros(shape, dtype=np.float32)
        dense = self._dense_value(qv @ cv.T, qlang, clang).astype(np.float32) if "dense" in cfg.channels else zero
        if "sparse" in cfg.channels:
            sparse = np.minimum(1.0, (qs @ cs.T).toarray() / cfg.sparse_full).astype(np.float32)
        else:
            sparse = zero
        if "concept" in cfg.channels:
            exact = (qcw @ cc.T).toarray()
            seg = (qsw @ cseg.T).toarray()
            concept = (0.7 * exact + 0.3 * seg).astype(np.float32)
        else:
            concept = zero
        total = w.dense * dense + w.sparse * sparse + w.concept * concept
        return _Block(dense, sparse, concept, total.astype(np.float32))

    # ------------------------------------------------------------------ one query
    def eligible(self, q: int) -> np.ndarray:
        """Candidates a query may be matched with: never itself, never a project with its own sponsor."""
        ix = self.index
        p = ix.parties
        ok = np.ones(ix.n, dtype=bool)
        ok[q] = False
        me = p.iloc[q]
        if me.kind == "project" and me.sponsor:
            s = ix.id_to_row.get(me.sponsor)
            if s is not None:
                ok[s] = False
        if me.kind == "organisation":
            ok &= ~((p["kind"] == "project") & (p["sponsor"] == me.pid)).to_numpy()
        return ok

    def match(self, query_id: str, top_k: int = 10) -> list[Match]:
        """The top ``top_k`` matches for one organisation (credit code) or project (id)."""
        ix = self.index
        if query_id not in ix.id_to_row:
            raise KeyError(query_id)
        if not 1 <= top_k <= 1000:
            raise ValueError(f"The 'top_k' parameter of Matcher.match must be an int in [1, 1000]. Got {top_k!r} "
                             "instead.")
        return self._match_rows([ix.id_to_row[query_id]], top_k)[0]

    def customers(self, query_id: str, top_k: int = 10) -> list[Match]:
        """Who needs what this party offers (its would-be customers), whatever it seeks itself."""
        ix = self.index
        if query_id not in ix.id_to_row:
            raise KeyError(query_id)
        q = ix.id_to_row[query_id]
        return self._rank_one(q, np.zeros(0, np.int64), None, slice(0, 0), top_k)

    def match_many(self, query_ids: Iterable[str], top_k: int = 10) -> dict[str, list[Match]]:
        rows = [self.index.id_to_row[q] for q in query_ids]
        return {self.index.parties.pid.iloc[r]: m for r, m in zip(rows, self._match_rows(rows, top_k), strict=True)}

    def _match_rows(self, rows: Sequence[int], top_k: int) -> list[list[Match]]:
        ix = self.index
        out = []
        # score all needs of the block at once: one matrix product for the whole block
        need_rows = [np.flatnonzero(ix.needs.party == r) for r in rows]
        all_rows = np.concatenate(need_rows) if need_rows else np.zeros(0, np.int64)
        block = self._score_block(all_rows, "forward") if len(all_rows) else None
        offset = 0
        for r, nr in zip(rows, need_rows, strict=True):
            sl = slice(offset, offset + len(nr))
            offset += len(nr)
            out.append(self._rank_one(r, nr, block, sl, top_k))
        return out

    def _rank_one(self, q: int, need_rows: np.ndarray, block: _Block | None, sl: slice, top_k: int) -> list[Match]:
        ix, cfg, w = self.index, self.config, self.config.weights
        ok = self.eligible(q)
        n = ix.n
        kinds = ix.parties["kind"].to_numpy()
        if len(need_rows) and block is not None:
            tot = block.total[sl]
            # a need for deals looks at projects' pitches; every other need at organisations' offers
            intents = [ix.needs.intent[i] for i in need_rows]
            col_is_project = kinds[ix.offers.party] == "project"
            allowed = np.where(np.array([i == "opportunity" for i in intents])[:, None], col_is_project[None, :],
                               ~col_is_project[None, :])
            tot = np.where(allowed, tot, -np.inf)
            best, arg = _party_max(tot, ix.offers, n)  # needs × parties
            best = np.where(np.isfinite(best), best, 0.0)
            order = np.sort(best, axis=0)[::-1]
            first = order[0]
            second = order[1] if len(order) > 1 else np.zeros(n, np.float32)
            forward = first + w.multi_need * np.clip(second - 0.3, 0, None) / 0.7 * (first > 0)
            which_need = np.argmax(best, axis=0)
        else:
            best = np.zeros((0, n), np.float32)
            arg = np.zeros((0, n), np.int64)
            forward = np.zeros(n, np.float32)
            which_need = np.zeros(n, np.int64)
            second = np.zeros(n, np.float32)
        # reverse for everyone (cheap: the query's few offers against all needs)
        q_offer_rows = np.flatnonzero(ix.offers.party == q)
        reverse = np.zeros(n, np.float32)
        rev_arg = np.full(n, -1, np.int64)
        rev_qoff = np.full(n, -1, np.int64)
        if len(q_offer_rows) and len(ix.needs.text) and ix.parties.kind.iloc[q] == "organisation":
            rb = self._score_block(q_offer_rows, "reverse", np.arange(len(ix.needs.text)))
            # rb.total: candidate needs × query offers → best query offer per candidate need
            per_need = rb.total.max(axis=1)
            per_need_arg = rb.total.argmax(axis=1)
            # candidate needs asking for deals do not look at an organisation's offers
            per_need = np.where(np.array([i == "opportunity" for i in ix.needs.intent]), 0.0, per_need)
            red, rarg = _party_max(per_need[None, :].astype(np.float32), ix.needs, n)
            reverse = np.where(np.isfinite(red[0]), red[0], 0.0)
            rev_arg = rarg[0]
            rev_qoff = np.where(rev_arg >= 0, q_offer_rows[per_need_arg[np.maximum(rev_arg, 0)]], -1)
        if not len(need_rows):  # no stated needs: who needs what the query offers (they would be customers)
            base = reverse.copy()
        else:
            base = forward.copy()
        base = np.where(ok, base, -np.inf)
        pool = min(cfg.pool, int(np.isfinite(base).sum()))
        if pool <= 0:
            return []
        cand = np.argpartition(-base, pool - 1)[:pool] if pool < n else np.arange(n)
        cand = cand[np.isfinite(base[cand]) & (base[cand] > 0)]
        matches = [self._explain(q, int(c), need_rows, best, arg, which_need, second, forward, reverse, rev_arg,
                                 rev_qoff, block, sl) for c in cand]
        matches.sort(key=lambda m: (-round(m.score, 9), m.candidate_kind, m.candidate_id))
        return [replace(m, rank=i + 1) for i, m in enumerate(matches[:top_k])]

    # ------------------------------------------------------------------ parts and evidence
    def _explain(self, q: int, c: int, need_rows: np.ndarray, best: np.ndarray, arg: np.ndarray,
                 which_need: np.ndarray, second: np.ndarray, forward: np.ndarray, reverse: np.ndarray,
                 rev_arg: np.ndarray, rev_qoff: np.ndarray, block: _Block | None, sl: slice) -> Match:
        ix, cfg, w = self.index, self.config, self.config.weights
        P = ix.parties
        qr, cr = P.iloc[q], P.iloc[c]
        parts: list[Part] = []
        intent = "supply"
        if len(need_rows) and block is not None and forward[c] > 0:
            k = int(which_need[c])
            need_i = int(need_rows[k])
            off_i = int(arg[k, c])
            intent = ix.needs.intent[need_i]
            local = k + sl.start
            ev = {"need": ix.needs.text[need_i], "offer": ix.offers.text[off_i]}
            for name, mat, weight in (("dense", block.dense, w.dense), ("sparse", block.sparse, w.sparse),
                                      ("concept", block.concept, w.concept)):
                if name not in cfg.channels:
                    continue
                v = float(mat[local, off_i])
                e = dict(ev)
                if name == "concept":
                    _, shared_c, shared_s = ix.lexicon.similarity(ix.need_hits[need_i], ix.offer_hits[off_i])
                    e["concepts"] = shared_c
                    e["segments"] = shared_s
                parts.append(Part(name, v, weight, weight * v, e))
            if w.multi_need and len(need_rows) > 1:
                extra = float(forward[c] - best[k, c])
                if extra > 1e-9:
                    order = np.argsort(-best[:, c])
                    k2 = int(order[1])
                    parts.append(Part("multi_need", float(second[c]), w.multi_need, extra,
                                      {"need": ix.needs.text[int(need_rows[k2])],
                                       "offer": ix.offers.text[int(arg[k2, c])]}))
        relation = signals.relation_for(intent, cr.kind, cr.org_type or None)
        rev_v = float(reverse[c])
        forward_points = sum(p.points for p in parts)
        if not len(need_rows) or forward[c] <= 0 or w.reverse * rev_v > forward_points:
            # what the pair is about is the candidate's need, which the query's offer meets
            relation = "customer" if cr.kind == "organisation" else "investment_opportunity"
        if cfg.fusion != "none" and rev_v > 0 and rev_arg[c] >= 0:
            ev = {"their_need": ix.needs.text[int(rev_arg[c])], "our_offer": ix.offers.text[int(rev_qoff[c])]}
            if not len(need_rows):  # the query states no needs: reverse is the whole story
                parts.append(Part("reverse", rev_v, 1.0, rev_v, ev))
            else:
                fwd_total = sum(p.points for p in parts)
                gate = min(1.0, fwd_total / max(w.dense + w.sparse + w.concept, 1e-9) * 2) if cfg.fusion == "gated" else 1.0
                parts.append(Part("reverse", rev_v, w.reverse * gate, w.reverse * gate * rev_v, ev))
        if cfg.rerank:
            parts.extend(self._pair_parts(qr, cr, q, c, relation))
        score = float(sum(p.points for p in parts))
        return Match(qr.pid, qr.kind, cr.pid, cr.kind, 0, score, relation, tuple(parts))

    def _pair_parts(self, qr: Any, cr: Any, q: int, c: int, relation: str) -> list[Part]:
        ix, w = self.index, self.config.weights
        parts: list[Part] = []
        # chain complementarity: the candidate's segment feeds the query's (a supplier), or the reverse
        cs, qs = ix.own_segments[c], ix.own_segments[q]
        segs = chains().segments
        link = next(((a, b) for a in cs for b in qs if a in segs and b in segs and segs[a].feeds_into
                     and b in segs[a].feeds_into), None)
        direction = "feeds_query"
        if link is None:
            link = next(((a, b) for a in qs for b in cs if a in segs and b in segs and b in segs[a].feeds_into), None)
            direction = "fed_by_query"
        if link is not None:
            parts.append(Part("chain", 1.0, w.chain, w.chain, {"from": link[0], "to": link[1], "direction": direction}))
        pt = signals.partner_type_fit(relation, tuple(qr.partner_types), tuple(cr.partner_types))
        if pt > 0:
            parts.append(Part("partner_type", pt, w.partner_type, w.partner_type * pt,
                              {"query_types": list(qr.partner_types), "candidate_types": list(cr.partner_types)}))
        ot = signals.org_type_fit(relation, cr.kind, cr.org_type or None)
        parts.append(Part("org_type", ot, w.org_type, w.org_type * ot,
                          {"relation": relation, "org_type": cr.org_type or cr.kind}))
        amount = qr.amount_wan if qr.kind == "project" else cr.amount_wan if cr.kind == "project" else None
        ticket = ix.tickets[c] if cr.org_type == "investor" else ix.tickets[q] if qr.org_type == "investor" else None
        if amount is not None and not (isinstance(amount, float) and math.isnan(amount)) and ticket is not None \
                and relation in ("investor", "investment_opportunity"):
            cap = signals.capacity_fit(float(amount), ticket)
            if cap is not None:
                parts.append(Part("capacity", cap, w.capacity, w.capacity * cap,
                                  {"amount_wan": float(amount), "ticket_wan": list(ticket)}))
        if qr.city and cr.city and qr.city != cr.city:
            parts.append(Part("cross_city", 1.0, w.cross_city, w.cross_city, {"from": qr.city, "to": cr.city}))
        return parts


def chain_name(segment_id: str, lang: str) -> str:
    seg = chains().segments.get(segment_id)
    if seg is None:
        return segment_id
    return seg.name_zh if lang == "zh" else seg.name_en


def chain_id_of(code: str) -> str:
    return chain_of_code(code)
