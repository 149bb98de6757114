"""The matching engine: who should meet whom, and why, for both sides.

A match starts from a *stated need*: each statement of the query's ``seeks`` is scored against each
statement of a candidate's ``offers`` through three channels —

- dense: multilingual sentence embeddings (need as *query*, offer as *passage*), made comparable across
  languages by standardising against the similarity of unrelated pairs of the same language pair
  (raw multilingual scores put every same-language pair above every cross-language one);
- sparse: TF-IDF over Chinese characters/bigrams and English words, exact on Chinese terms;
- concepts: the industry-chain vocabulary (zh and en) mapping both texts to the same products/segments.

The best statement pair per need and candidate gives the forward score. Re-ranking adds what the
candidate gains (its own needs met by the query's offers), chain complementarity, partner-type,
organisation-type and capacity fit, and a mild cross-city preference (a policy knob, never a filter).
Every score is a sum of labelled parts (signal, raw value, weight, points, evidence).

Two stages: *retrieve* a few hundred candidate statements per need from the whole index with linear
scores only (calibrated dense top-K, rare-term sparse top-K, concept top-K), then *re-rank* the parties
they belong to with every signal, exactly. Both stages work on blocks of queries and are pure given the
index, so ``match_all`` can be split over partitions (e.g. Ray tasks) without changing the logic.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from . import signals
from .concepts import ConceptHits, lexicon
from .reference import chains
from .text import lang_of, statements, tokens

__all__ = ["Weights", "MatchConfig", "Part", "Match", "MatchIndex", "Matcher", "EmbedFn", "INTENTS"]

EmbedFn = Callable[[Sequence[str], str], np.ndarray]
INTENTS = ("supply", "customer", "rd", "production", "capital", "opportunity")
_OPP = INTENTS.index("opportunity")
_ORG_TYPES = ("enterprise", "university", "institute", "investor", "project")
_PARTNER_BITS = {t: 1 << i for i, t in enumerate(
    ("supplier", "customer", "rd_partner", "production_base", "investor", "investee"))}


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
    """Settings of a matcher.

    ``channels`` switches channels off (ablations). ``fusion`` says how the candidate's own gain (the
    reverse direction) enters: 'gated' (scaled by how well the stated need is met, so it can lift a good
    answer but never carry a poor one), 'additive', or 'none'. ``retrieve`` is how many statements each
    channel retrieves per need before re-ranking; ``exhaustive`` re-ranks everyone (the brute-force path
    the fast one is checked against)."""

    weights: Weights = field(default_factory=Weights)
    channels: tuple[str, ...] = ("dense", "sparse", "concept")
    fusion: str = "gated"
    calibrate_languages: bool = True
    dense_z0: float = 2.0
    dense_scale: float = 1.0
    sparse_full: float = 0.35
    retrieve: int = 64
    exhaustive: bool = False
    cross_language_reweight: float = 1.0
    rerank: bool = True

    def __post_init__(self) -> None:
        bad = [c for c in self.channels if c not in ("dense", "sparse", "concept")]
        if bad or not self.channels:
            raise ValueError(f"The 'channels' parameter of MatchConfig must be a non-empty subset of dense, sparse, "
                             f"concept. Got {self.channels!r} instead.")
        if self.fusion not in ("gated", "additive", "none"):
            raise ValueError(f"The 'fusion' parameter of MatchConfig must be one of gated, additive, none. "
                             f"Got {self.fusion!r} instead.")
        if not 1 <= self.retrieve <= 100_000:
            raise ValueError(f"The 'retrieve' parameter of MatchConfig must be an int in [1, 100000]. "
                             f"Got {self.retrieve!r} instead.")


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
    party: np.ndarray  # int index into parties, ascending (a party's statements are contiguous)
    text: list[str]
    lang: np.ndarray  # 0 zh, 1 en
    intent: np.ndarray  # index into INTENTS
    start: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # per party: first row
    stop: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # per party: one past the last

    def finish(self, n_parties: int) -> None:
        self.start = np.searchsorted(self.party, np.arange(n_parties), side="left").astype(np.int64)
        self.stop = np.searchsorted(self.party, np.arange(n_parties), side="right").astype(np.int64)

    def rows_of(self, parties: np.ndarray) -> np.ndarray:
        """All statement rows of the given parties, in party order."""
        if not len(parties):
            return np.zeros(0, np.int64)
        lengths = self.stop[parties] - self.start[parties]
        base = np.repeat(self.start[parties] - np.r_[0, np.cumsum(lengths)[:-1]], lengths)
        return base + np.arange(lengths.sum())


def _text_col(frame: pd.DataFrame, col: str) -> pd.Series:
    if col not in frame.columns:
        return pd.Series([""] * len(frame), index=frame.index, dtype=object)
    return frame[col].astype(object).where(frame[col].notna(), "").astype(str)


def _types(v: object) -> tuple[str, ...]:
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return ()
    if isinstance(v, str):
        return tuple(x for x in v.split(";") if x)
    return tuple(str(x) for x in v)


def _parties(orgs: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    o = pd.DataFrame({
        "pid": _text_col(orgs, "credit_code"), "kind": "organisation", "name": _text_col(orgs, "name"),
        "city": _text_col(orgs, "city"), "district": _text_col(orgs, "district"),
        "org_type": _text_col(orgs, "org_type").replace("", "enterprise"),
        "industry_code": _text_col(orgs, "industry_code"), "description": _text_col(orgs, "description"),
        "offers": _text_col(orgs, "offers"), "seeks": _text_col(orgs, "seeks"),
        "partner_types": [_types(v) for v in (orgs["partner_types"] if "partner_types" in orgs
                                              else [None] * len(orgs))],
        "sponsor": "", "amount_wan": np.nan, "stage": "",
    })
    p = pd.DataFrame({
        "pid": _text_col(projects, "project_id"), "kind": "project", "name": _text_col(projects, "title"),
        "city": _text_col(projects, "city"), "district": _text_col(projects, "district"), "org_type": "",
        "industry_code": _text_col(projects, "industry_code"), "description": _text_col(projects, "description"),
        "offers": "", "seeks": _text_col(projects, "seeks"), "partner_types": [()] * len(projects),
        "sponsor": _text_col(projects, "sponsor_credit_code"),
        "amount_wan": (pd.to_numeric(projects["investment_wan"], errors="coerce").astype(float)
                       if "investment_wan" in projects else np.nan),
        "stage": _text_col(projects, "stage"),
    })
    parties = pd.concat([o, p], ignore_index=True)
    parties["lang"] = [lang_of(f"{a} {b} {c} {d}") for a, b, c, d in
                       zip(parties["name"], parties["description"], parties["offers"], parties["seeks"], strict=True)]
    return parties


def _collect(parties: pd.DataFrame) -> tuple[_Statements, _Statements, np.ndarray]:
    need_p, need_t, off_p, off_t, pitch = [], [], [], [], []
    for i, r in enumerate(parties.itertuples()):
        for s in statements(r.seeks):
            need_p.append(i)
            need_t.append(s)
        if r.kind == "organisation":
            for s in statements(r.offers or r.description):  # a profile without offers is known by what it is
                off_p.append(i)
                off_t.append(s)
                pitch.append(False)
        else:  # a project's "offer" to investors is what it is: its title and description
            sep = "。" if lang_of(r.name + r.description) == "zh" else ". "
            for s in statements(f"{r.name}{sep}{r.description}")[:4]:
                off_p.append(i)
                off_t.append(s)
                pitch.append(True)

    def build(p: list[int], t: list[str]) -> _Statements:
        st = _Statements(np.array(p, dtype=np.int64), t,
                         np.array([0 if lang_of(x) == "zh" else 1 for x in t], dtype=np.int8),
                         np.array([INTENTS.index(signals.intent_of(x)) for x in t], dtype=np.int8))
        st.finish(len(parties))
        return st

    return build(need_p, need_t), build(off_p, off_t), np.array(pitch, dtype=bool)


def _language_stats(need_vecs: np.ndarray, need_lang: np.ndarray, need_text: list[str], offer_vecs: np.ndarray,
                    offer_lang: np.ndarray, offer_text: list[str], sample: int = 400) -> np.ndarray:
    """Median and spread of dense similarity of need/offer statements, per language pair: shape (2, 2, 2)
    as [need lang, offer lang, (mu, sigma)]. Almost all sampled pairs are unrelated, so this is the
    'nothing in common' level that a real match must rise above. The sample is chosen by a hash of the
    text, not by position, so the order profiles arrive in changes nothing."""
    import zlib

    def pick(rows: np.ndarray, texts: list[str]) -> np.ndarray:
        if len(rows) <= sample:
            return rows
        keys = np.array([zlib.crc32(texts[i].encode()) for i in rows])
        return rows[np.lexsort((keys,))][:sample]

    out = np.zeros((2, 2, 2), dtype=np.float32)
    found = np.zeros((2, 2), dtype=bool)
    pooled = []
    for lq in (0, 1):
        for lc in (0, 1):
            qi, ci = np.flatnonzero(need_lang == lq), np.flatnonzero(offer_lang == lc)
            if len(qi) < 5 or len(ci) < 5:
                continue
            sims = (need_vecs[pick(qi, need_text)] @ offer_vecs[pick(ci, offer_text)].T).ravel()
            out[lq, lc] = (np.median(sims), max((np.percentile(sims, 90) - np.percentile(sims, 10)) / 2.563, 1e-3))
            found[lq, lc] = True
            pooled.append(sims)
    allv = np.concatenate(pooled) if pooled else np.zeros(1, np.float32)
    default = (np.median(allv), max((np.percentile(allv, 90) - np.percentile(allv, 10)) / 2.563, 1e-3))
    for lq in (0, 1):
        for lc in (0, 1):
            if not found[lq, lc]:
                out[lq, lc] = default
    return out


@functools.cache
def _blas_controller() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _one_blas_thread() -> Any:
    """NumPy's BLAS held to one thread while matching: its products here are small, and its idle
    threads spinning beside torch's (which does the one large product) doubled the latency of a
    query at 100k profiles on two cores (p95 52 → 20 ms, bench/matching.py)."""
    return _blas_controller().limit(limits=1, user_api="blas")


def _csr_topk(m: sp.csr_matrix, k: int) -> list[np.ndarray]:
    """Column indices of the k largest stored values of each row (positive values only)."""
    out = []
    for i in range(m.shape[0]):
        a, b = m.indptr[i], m.indptr[i + 1]
        if b == a:
            out.append(np.zeros(0, np.int64))
            continue
        vals, cols = m.data[a:b], m.indices[a:b]
        if b - a > k:
            sel = np.argpartition(-vals, k - 1)[:k]
            cols, vals = cols[sel], vals[sel]
        out.append(cols[vals > 0].astype(np.int64))
    return out


class MatchIndex:
    """Everything about the candidate side, computed once: statements, vectors, sparse and concept
    matrices, calibration. Built from public profile fields only."""

    def __init__(self, organisations: pd.DataFrame, projects: pd.DataFrame, embed: EmbedFn,
                 model_id: str = "") -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.model_id = model_id
        P = self.parties = _parties(organisations, projects)
        n = self.n = len(P)
        self.id_to_row = {pid: i for i, pid in enumerate(P["pid"])}
        self.needs, self.offers, self.offer_is_pitch = _collect(P)
        self.is_project = (P["kind"] == "project").to_numpy()
        self.org_type = np.array([_ORG_TYPES.index(t) if t in _ORG_TYPES else (4 if k == "project" else 0)
                                  for t, k in zip(P["org_type"], P["kind"], strict=True)], dtype=np.int8)
        cities = {c: i for i, c in enumerate(sorted(set(P["city"])))}
        self.city = P["city"].map(cities).to_numpy(dtype=np.int16)
        self.partner_mask = np.array([sum(_PARTNER_BITS.get(t, 0) for t in ts) for ts in P["partner_types"]],
                                     dtype=np.int16)
        self.amount = P["amount_wan"].to_numpy(dtype=float)
        sponsor_row = [self.id_to_row.get(s, -1) if s else -1 for s in P["sponsor"]]
        self.sponsor = np.array(sponsor_row, dtype=np.int64)
        # dense
        dim = None
        self.need_vecs = embed(self.needs.text, "query") if self.needs.text else None
        self.offer_vecs = embed(self.offers.text, "passage") if self.offers.text else None
        for v in (self.need_vecs, self.offer_vecs):
            if v is not None:
                dim = v.shape[1]
        dim = dim or 1
        if self.need_vecs is None:
            self.need_vecs = np.zeros((0, dim), np.float32)
        if self.offer_vecs is None:
            self.offer_vecs = np.zeros((0, dim), np.float32)
        self.lang_stats = _language_stats(self.need_vecs, self.needs.lang, self.needs.text, self.offer_vecs,
                                          self.offers.lang, self.offers.text)
        # sparse: one vocabulary over both sides; a second, rare-terms-only view for retrieval
        self.vectorizer = TfidfVectorizer(analyzer=tokens, sublinear_tf=True, max_df=0.2, dtype=np.float32)
        corpus = self.needs.text + self.offers.text
        try:  # one pass over the texts: fit and transform together, then split needs from offers
            both = self.vectorizer.fit_transform(corpus).tocsr()
        except ValueError:  # an empty index (a new database) still gets a vocabulary
            self.vectorizer.set_params(max_df=1.0).fit(["empty"])
            both = (self.vectorizer.transform(corpus) if corpus else
                    sp.csr_matrix((0, len(self.vectorizer.vocabulary_)), dtype=np.float32)).tocsr()
        self.need_sparse = both[:len(self.needs.text)]
        self.offer_sparse = both[len(self.needs.text):]
        df = np.bincount(self.offer_sparse.indices, minlength=self.offer_sparse.shape[1])
        rare = sp.diags((df <= max(20, 0.01 * max(len(self.offers.text), 1))).astype(np.float32))
        self.offer_rare = (self.offer_sparse @ rare).tocsr()
        self.offer_rare.eliminate_zeros()
        self.need_rare = (self.need_sparse @ rare).tocsr()
        self.need_rare.eliminate_zeros()
        # concepts
        self.lexicon = lex = lexicon()
        self.need_hits = [lex.scan(t) for t in self.needs.text]
        self.offer_hits = [lex.scan(t) for t in self.offers.text]
        self._cidx = {c: i for i, c in enumerate(sorted(lex.concepts))}
        self.segment_ids = sorted({c.segment_id for c in lex.concepts.values()} - {"*"})
        self._sidx = {s: i for i, s in enumerate(self.segment_ids)}
        self.offer_c = self._incidence(self.offer_hits, "c")
        self.offer_s = self._incidence(self.offer_hits, "s")
        self.need_cw = self._incidence(self.need_hits, "c", weighted=True)
        self.need_sw = self._incidence(self.need_hits, "s", weighted=True)
        # what each party is (its segments) and which segment feeds which
        self.own_segments = self._own_segments(lex)
        segs = chains().segments
        feeds = [(self._sidx[a], self._sidx[b]) for a, s in segs.items() for b in s.feeds_into
                 if a in self._sidx and b in self._sidx]
        S = len(self.segment_ids)
        self.feeds = sp.csr_matrix((np.ones(len(feeds), np.float32), ([a for a, _ in feeds], [b for _, b in feeds])),
                                   shape=(S, S))
        rows = [i for i, ss in enumerate(self.own_segments) for s in ss if s in self._sidx]
        cols = [self._sidx[s] for ss in self.own_segments for s in ss if s in self._sidx]
        self.party_seg = sp.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(n, S))
        # investors' ticket sizes, read from their texts
        self.tickets = [signals.parse_money_range(f"{r.offers} {r.seeks} {r.description}")
                        if r.org_type == "investor" else None for r in P.itertuples()]
        # plain arrays for the hot path (pandas indexing costs microseconds per call)
        self.pid = P["pid"].to_numpy(dtype=object)
        self.kind = P["kind"].to_numpy(dtype=object)
        self.name = P["name"].to_numpy(dtype=object)
        self.city_name = P["city"].to_numpy(dtype=object)
        self.lang = P["lang"].to_numpy(dtype=object)
        self.partner_types = list(P["partner_types"])
        seg_bool = self.party_seg.toarray() > 0
        self.seg_bool = seg_bool
        self.feeds_to = (self.party_seg @ self.feeds).toarray() > 0  # segments each party supplies into
        self._prepare_retrieval()

    def _prepare_retrieval(self) -> None:
        """Calibration folded into the matrices: z = need · (offer / σ) − μ / σ, per need language; a
        column a need may not look at (pitches for ordinary needs, offers for deal-seeking needs) gets
        a bias of +inf so that it never ranks."""
        import torch

        self._torch_dtype = torch.bfloat16 if _bf16_ok() else torch.float32
        st = self.lang_stats
        olang = self.offers.lang.astype(np.int64)
        nlang = self.needs.lang.astype(np.int64)
        # exact scoring: z = sim · inv_sigma − mu · inv_sigma, per query-side language, as plain vectors
        self.offer_inv_sigma = [(1 / st[lq, olang, 1]).astype(np.float32) for lq in (0, 1)]
        self.offer_mu_sigma = [(st[lq, olang, 0] / st[lq, olang, 1]).astype(np.float32) for lq in (0, 1)]
        self.need_inv_sigma = [(1 / st[nlang, lo, 1]).astype(np.float32) for lo in (0, 1)]
        self.need_mu_sigma = [(st[nlang, lo, 0] / st[nlang, lo, 1]).astype(np.float32) for lo in (0, 1)]
        self._offer_scaled, self._offer_bias = [], []
        for lq in (0, 1):
            mu, sg = st[lq, olang, 0], st[lq, olang, 1]
            scaled = (self.offer_vecs / sg[:, None]).astype(np.float32)
            # stored transposed and contiguous: a need block times it reads memory in order (a third faster
            # for a single query at 200k offers than multiplying by a transposed view)
            self._offer_scaled.append(torch.from_numpy(scaled).to(self._torch_dtype).T.contiguous())
            bias = (mu / sg).astype(np.float32)
            self._offer_bias.append({
                False: torch.from_numpy(np.where(self.offer_is_pitch, np.inf, bias).astype(np.float32)),
                True: torch.from_numpy(np.where(self.offer_is_pitch, bias, np.inf).astype(np.float32)),
            })
        # the sparse channels' other operands, transposed once: a few rows times a CSR keeps the product
        # proportional to the terms they share, where ``@ m.T`` converted all of ``m`` on every call
        self._offer_rare_t = self.offer_rare.T.tocsr()
        self._need_rare_t = self.need_rare.T.tocsr()
        self._offer_c_t = self.offer_c.T.tocsr()
        self._need_cw_t = self.need_cw.T.tocsr()

    def _incidence(self, hits: list[ConceptHits], what: str, weighted: bool = False) -> sp.csr_matrix:
        rows, cols, vals = [], [], []
        idx = self._cidx if what == "c" else self._sidx
        for i, h in enumerate(hits):
            keys = list(h.concepts) if what == "c" else [s for s in h.segments if s != "*"]
            if not keys:
                continue
            w = np.array([self.lexicon.idf.get(k, 1.0) for k in keys], dtype=np.float32) if weighted else None
            total = float(w.sum()) if w is not None else 1.0
            for j, k in enumerate(keys):
                rows.append(i)
                cols.append(idx[k])
                vals.append(float(w[j]) / total if w is not None else 1.0)
        return sp.csr_matrix((np.array(vals, dtype=np.float32), (rows, cols)), shape=(len(hits), len(idx)),
                             dtype=np.float32)

    def _own_segments(self, lex: Any) -> list[tuple[str, ...]]:
        """What each party is: the segments of its industry code, of its offers (already scanned, per
        statement) and of its description."""
        out = []
        starts, stops = self.offers.start, self.offers.stop
        for i, r in enumerate(self.parties.itertuples()):
            segs: dict[str, None] = {}
            code = r.industry_code.lstrip("ABCDEFGHIJKLMNOPQRST") if r.industry_code else ""
            for s in chains().segments_for_code(code) if code else []:
                segs[s.segment_id] = None
            for j in range(starts[i], stops[i]):
                segs.update(dict.fromkeys(s for s in self.offer_hits[j].segments if s != "*"))
            if r.offers and r.description:  # without offers, the description already is the offer text
                segs.update(dict.fromkeys(s for s in lex.scan(r.description).segments if s != "*"))
            out.append(tuple(segs))
        return out

    def party_needs(self, q: int) -> np.ndarray:
        return np.arange(self.needs.start[q], self.needs.stop[q])

    def party_offers(self, q: int) -> np.ndarray:
        return np.arange(self.offers.start[q], self.offers.stop[q])


# --------------------------------------------------------------------------------------------- matcher
@dataclass
class _Scores:
    """Exact channel values of some need rows against some offer rows (statement level)."""

    dense: np.ndarray
    sparse: np.ndarray
    concept: np.ndarray
    total: np.ndarray


class Matcher:
    """Ranks candidates for a query and explains each match. Construct with an index and a config."""

    def __init__(self, index: MatchIndex, config: MatchConfig | None = None) -> None:
        self.index = index
        self.config = config or MatchConfig()

    # ------------------------------------------------------------------ channels
    def _z(self, sims: np.ndarray, need_lang: np.ndarray, offer_lang: np.ndarray) -> np.ndarray:
        """Dense similarity in units of 'how far above unrelated pairs of the same language pair'."""
        st = self.index.lang_stats if self.config.calibrate_languages else np.broadcast_to(
            self.index.lang_stats.mean(axis=(0, 1)), (2, 2, 2))
        mu = st[need_lang[:, None], offer_lang[None, :], 0]
        sg = st[need_lang[:, None], offer_lang[None, :], 1]
        return (sims - mu) / sg

    def _scores(self, need_rows: np.ndarray, offer_rows: np.ndarray) -> _Scores:
        ix, cfg, w = self.index, self.config, self.config.weights
        shape = (len(need_rows), len(offer_rows))
        zero = np.zeros(shape, dtype=np.float32)
        if "dense" in cfg.channels and len(need_rows) and len(offer_rows):
            sims = ix.need_vecs[need_rows] @ ix.offer_vecs[offer_rows].T
            if cfg.calibrate_languages:
                z = np.empty_like(sims)
                nl = ix.needs.lang[need_rows]
                for lq in (0, 1):
                    sel = nl == lq
                    if sel.any():
                        z[sel] = sims[sel] * ix.offer_inv_sigma[lq][offer_rows] - ix.offer_mu_sigma[lq][offer_rows]
            else:
                z = self._z(sims, ix.needs.lang[need_rows], ix.offers.lang[offer_rows])
            dense = (1.0 / (1.0 + np.exp(-(z - cfg.dense_z0) / cfg.dense_scale))).astype(np.float32)
        else:
            dense = zero
        if "sparse" in cfg.channels and len(need_rows) and len(offer_rows):
            sparse = np.minimum(1.0, _rows_dot(ix.need_sparse, need_rows, ix.offer_sparse, offer_rows)
                                / cfg.sparse_full)
        else:
            sparse = zero
        if "concept" in cfg.channels and len(need_rows) and len(offer_rows):
            concept = (0.7 * _rows_dot(ix.need_cw, need_rows, ix.offer_c, offer_rows)
                       + 0.3 * _rows_dot(ix.need_sw, need_rows, ix.offer_s, offer_rows))
        else:
            concept = zero
        total = w.dense * dense + w.sparse * sparse + w.concept * concept
        if len(need_rows) and len(offer_rows):
            cross = ix.needs.lang[need_rows][:, None] != ix.offers.lang[offer_rows][None, :]
            wd, ws, wc = self.channel_weights(cross=True)
            total = np.where(cross, wd * dense + ws * sparse + wc * concept, total)
        return _Scores(dense, sparse, concept, total.astype(np.float32))

    def channel_weights(self, cross: bool) -> tuple[float, float, float]:
        """(dense, sparse, concept) weights for a statement pair. Words cannot be shared across
        languages, so for a cross-language pair (a share ``cross_language_reweight`` of) the sparse
        channel's weight goes to the channels that can bridge: every language pair can reach the same
        score. The parts of a match carry these effective weights."""
        cfg, w = self.config, self.config.weights
        wd = w.dense if "dense" in cfg.channels else 0.0
        ws = w.sparse if "sparse" in cfg.channels else 0.0
        wc = w.concept if "concept" in cfg.channels else 0.0
        if not cross or not ws or not (wd + wc):
            return wd, ws, wc
        a = cfg.cross_language_reweight
        lift = (wd + wc + a * ws) / (wd + wc)
        return wd * lift, ws * (1 - a), wc * lift

    # ------------------------------------------------------------------ retrieval
    def _retrieve(self, need_rows: np.ndarray) -> list[np.ndarray]:
        """Per need row, the offer statements worth re-ranking: the union of each channel's top-K,
        computed over the whole index with linear scores only."""
        ix, cfg = self.index, self.config
        M = len(ix.offers.text)
        if cfg.exhaustive or M <= cfg.retrieve:
            return [np.arange(M)] * len(need_rows)
        k = cfg.retrieve
        found: list[set[int]] = [set() for _ in need_rows]
        opp = ix.needs.intent[need_rows] == _OPP
        if "dense" in cfg.channels:
            import torch

            q = torch.from_numpy(np.ascontiguousarray(ix.need_vecs[need_rows])).to(ix._torch_dtype)
            lang = ix.needs.lang[need_rows]
            for lq in (0, 1):  # one product per need language; deal-seeking needs differ only in the bias
                in_lang = np.flatnonzero(lang == lq)
                if not len(in_lang):
                    continue
                if cfg.calibrate_languages:
                    sims = q[in_lang] @ ix._offer_scaled[lq]
                else:
                    sims = q[in_lang] @ torch.from_numpy(ix.offer_vecs).to(ix._torch_dtype).T
                for deal in (False, True):
                    part = np.flatnonzero(opp[in_lang] == deal)
                    if not len(part):
                        continue
                    bias = ix._offer_bias[lq][deal]
                    if not cfg.calibrate_languages:
                        bias = torch.where(torch.isinf(bias), np.inf, 0.0)
                    z = (sims if len(part) == len(in_lang) else sims[torch.from_numpy(part)]) - bias
                    vals, top = torch.topk(z.float(), min(k, z.shape[1]), dim=1)
                    vals, top = vals.numpy(), top.numpy()
                    for i, row, v in zip(in_lang[part], top, vals, strict=True):
                        found[i].update(row[np.isfinite(v)].tolist())
        if "sparse" in cfg.channels:
            for i, cols in enumerate(_csr_topk(ix.need_rare[need_rows] @ ix._offer_rare_t, k)):
                found[i].update(cols.tolist())
        if "concept" in cfg.channels:
            for i, cols in enumerate(_csr_topk(ix.need_cw[need_rows] @ ix._offer_c_t, k)):
                found[i].update(cols.tolist())
        return [np.fromiter(s, dtype=np.int64, count=len(s)) for s in found]

    def _retrieve_reverse(self, offer_rows: np.ndarray) -> np.ndarray:
        """Need statements (of anyone) that the given offers may answer."""
        ix, cfg = self.index, self.config
        N = len(ix.needs.text)
        if cfg.exhaustive or N <= cfg.retrieve or not len(offer_rows):
            return np.arange(N)
        k = cfg.retrieve
        found: set[int] = set()
        if "dense" in cfg.channels:
            z = self._z(ix.need_vecs @ ix.offer_vecs[offer_rows].T, ix.needs.lang, ix.offers.lang[offer_rows]).T
            z[:, ix.needs.intent == _OPP] = -np.inf
            top = np.argpartition(-z, k - 1, axis=1)[:, :k]
            found.update(top.ravel().tolist())
        if "sparse" in cfg.channels:
            for cols in _csr_topk(ix.offer_rare[offer_rows] @ ix._need_rare_t, k):
                found.update(cols.tolist())
        if "concept" in cfg.channels:
            for cols in _csr_topk(ix.offer_c[offer_rows] @ ix._need_cw_t, k):
                found.update(cols.tolist())
        return np.fromiter(found, dtype=np.int64, count=len(found))

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
        """Matches for a block of query rows: retrieval for all their needs at once, then re-ranking
        per query. A pure function of the index and the rows."""
        with _one_blas_thread():
            return self._match_block(rows, top_k)

    def _match_block(self, rows: Sequence[int], top_k: int) -> list[list[Match]]:
        ix = self.index
        need_rows = [ix.party_needs(r) for r in rows]
        flat = np.concatenate(need_rows) if need_rows else np.zeros(0, np.int64)
        retrieved = self._retrieve(flat) if len(flat) else []
        out, pos = [], 0
        for r, nr in zip(rows, need_rows, strict=True):
            out.append(self._rank(r, nr, retrieved[pos:pos + len(nr)], top_k))
            pos += len(nr)
        return out

    # ------------------------------------------------------------------ ranking one query
    def eligible(self, q: int, cand: np.ndarray) -> np.ndarray:
        """Never the query itself, never a project with its own sponsor (either way round)."""
        ix = self.index
        ok = cand != q
        if ix.is_project[q] and ix.sponsor[q] >= 0:
            ok &= cand != ix.sponsor[q]
        ok &= ~(ix.is_project[cand] & (ix.sponsor[cand] == q))
        return ok

    def _rank(self, q: int, need_rows: np.ndarray, retrieved: list[np.ndarray], top_k: int) -> list[Match]:
        ix, cfg, w = self.index, self.config, self.config.weights
        q_offers = ix.party_offers(q)
        forward_mode = len(need_rows) > 0
        # candidate parties
        if forward_mode:
            stmts = np.unique(np.concatenate(retrieved)) if retrieved else np.zeros(0, np.int64)
            cand = np.unique(ix.offers.party[stmts])
        else:
            cand = np.unique(ix.needs.party[self._retrieve_reverse(q_offers)])
        cand = cand[self.eligible(q, cand)]
        if not len(cand):
            return []
        nc = len(cand)
        # forward: the query's needs against all offer statements of the candidates
        off_rows = ix.offers.rows_of(cand)
        off_owner = np.searchsorted(cand, ix.offers.party[off_rows])
        if forward_mode and len(off_rows):
            fs = self._scores(need_rows, off_rows)
            opp = ix.needs.intent[need_rows] == _OPP
            pitch = ix.offer_is_pitch[off_rows]
            allowed = np.where(opp[:, None], pitch[None, :], ~pitch[None, :])
            total = np.where(allowed, fs.total, -np.inf)
            best, arg = _group_max(total, off_owner, nc)  # needs × candidates
            best = np.where(np.isfinite(best), best, 0.0)
            srt = -np.sort(-best, axis=0)
            first = srt[0]
            second = srt[1] if len(srt) > 1 else np.zeros(nc, np.float32)
            multi = w.multi_need * np.clip(second - 0.3, 0, None) / 0.7 * (first > 0)
            which = np.argmax(best, axis=0)
        else:
            fs = None
            best = arg = np.zeros((0, nc))
            first = multi = np.zeros(nc, np.float32)
            which = np.zeros(nc, np.int64)
        forward = first + multi
        # reverse: the candidates' needs against the query's offers
        reverse = np.zeros(nc, np.float32)
        rev_need = np.full(nc, -1, np.int64)
        rev_offer = np.full(nc, -1, np.int64)
        rs = None
        cneed_rows = ix.needs.rows_of(cand)
        if cfg.fusion != "none" or not forward_mode:
            if len(q_offers) and len(cneed_rows):
                rs = self._scores(cneed_rows, q_offers)
                per_need = rs.total.max(axis=1)
                per_need_arg = rs.total.argmax(axis=1)
                # a candidate asking for deals looks at projects, not at an organisation's offers
                deal = (ix.needs.intent[cneed_rows] == _OPP) & ~ix.is_project[q]
                per_need = np.where(deal, 0.0, per_need)
                owner = np.searchsorted(cand, ix.needs.party[cneed_rows])
                red, rarg = _group_max(per_need[None, :], owner, nc)
                reverse = np.where(np.isfinite(red[0]), red[0], 0.0).astype(np.float32)
                rev_need = np.where(rarg[0] >= 0, cneed_rows[np.maximum(rarg[0], 0)], -1)
                rev_offer = np.where(rarg[0] >= 0, q_offers[per_need_arg[np.maximum(rarg[0], 0)]], -1)
        # relation per candidate
        if forward_mode:
            intent = ix.needs.intent[need_rows[which]]
        else:
            intent = np.full(nc, INTENTS.index("customer"), np.int8)
        fwd_points = forward
        if not forward_mode:
            rev_points = reverse
        elif cfg.fusion == "gated":
            gate = np.minimum(1.0, 2 * first / max(w.dense + w.sparse + w.concept, 1e-9))
            rev_points = w.reverse * gate * reverse
        elif cfg.fusion == "additive":
            rev_points = w.reverse * reverse
        else:
            rev_points = np.zeros(nc, np.float32)
        reverse_led = (~np.asarray(forward > 0)) | (w.reverse * reverse > fwd_points) if forward_mode else \
            np.ones(nc, bool)
        relation = np.where(reverse_led, _CUSTOMER,
                            _REL_TABLE[intent, ix.is_project[cand].astype(np.int64), ix.org_type[cand]])
        if ix.org_type[q] == 3:  # an investor whose capital answers a need: the candidate is a deal for it
            relation = np.where(reverse_led, _OPPORTUNITY, relation)
        pair = self._pair_points(q, cand, relation) if cfg.rerank else np.zeros(nc, np.float32)
        score = fwd_points + rev_points + pair
        base = forward if forward_mode else reverse
        keep = np.flatnonzero(base > 0)
        if not len(keep):
            return []
        # float32 sums differ by ~1e-7 with the order they were added in: ties are ties to 1e-6, then by id
        order = keep[np.lexsort((ix.pid[cand[keep]], -np.round(score[keep], 6)))][:top_k]
        out = []
        for rank, j in enumerate(order, start=1):
            parts = self._parts(q, cand, int(j), need_rows, off_rows, fs, best, arg, which, srt if forward_mode
                                else None, multi, rs, cneed_rows, rev_need, rev_offer, reverse, rev_points,
                                forward_mode, RELATIONS_[relation[j]])
            out.append(Match(ix.pid[q], ix.kind[q], ix.pid[cand[j]], ix.kind[cand[j]], rank,
                             float(sum(p.points for p in parts)), RELATIONS_[relation[j]], tuple(parts)))
        return out

    def _pair_points(self, q: int, cand: np.ndarray, relation: np.ndarray) -> np.ndarray:
        """Chain, partner-type, org-type, capacity and city points for all candidates at once."""
        ix, w = self.index, self.config.weights
        pts = np.zeros(len(cand), np.float32)
        chain_fwd, chain_rev = self._chain_links(q, cand)
        pts += w.chain * (chain_fwd | chain_rev)
        pts += w.partner_type * _partner_fit(relation, ix.partner_mask[q], ix.partner_mask[cand])
        pts += w.org_type * _ORG_FIT[relation, ix.org_type[cand]]
        pts += w.cross_city * (ix.city[cand] != ix.city[q])
        cap = self._capacity(q, cand, relation)
        pts += w.capacity * np.nan_to_num(cap, nan=0.0)
        return pts

    def _chain_links(self, q: int, cand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(a candidate's segment feeds one of the query's, the query's feeds one of the candidate's)."""
        ix = self.index
        fwd = (ix.feeds_to[cand] & ix.seg_bool[q]).any(axis=1)
        rev = (ix.seg_bool[cand] & ix.feeds_to[q]).any(axis=1)
        return fwd, rev

    def _capacity(self, q: int, cand: np.ndarray, relation: np.ndarray) -> np.ndarray:
        ix = self.index
        out = np.full(len(cand), np.nan)
        money = (relation == _INVESTOR) | (relation == _OPPORTUNITY)
        for j in np.flatnonzero(money):
            c = int(cand[j])
            amount = ix.amount[q] if ix.is_project[q] else ix.amount[c] if ix.is_project[c] else np.nan
            ticket = ix.tickets[c] if ix.org_type[c] == 3 else ix.tickets[q] if ix.org_type[q] == 3 else None
            if not np.isnan(amount):
                fit = signals.capacity_fit(float(amount), ticket)
                if fit is not None:
                    out[j] = fit
        return out

    # ------------------------------------------------------------------ parts of one match
    def _parts(self, q: int, cand: np.ndarray, j: int, need_rows: np.ndarray, off_rows: np.ndarray,
               fs: _Scores | None, best: np.ndarray, arg: np.ndarray, which: np.ndarray, srt: np.ndarray | None,
               multi: np.ndarray, rs: _Scores | None, cneed_rows: np.ndarray, rev_need: np.ndarray,
               rev_offer: np.ndarray, reverse: np.ndarray, rev_points: np.ndarray, forward_mode: bool,
               relation: str) -> list[Part]:
        ix, cfg, w = self.index, self.config, self.config.weights
        c = int(cand[j])
        parts: list[Part] = []
        if forward_mode and fs is not None and best[which[j], j] > 0:
            k = int(which[j])
            col = int(arg[k, j])
            need_i, off_i = int(need_rows[k]), int(off_rows[col])
            ev = {"need": ix.needs.text[need_i], "offer": ix.offers.text[off_i]}
            wd, ws, wc = self.channel_weights(cross=bool(ix.needs.lang[need_i] != ix.offers.lang[off_i]))
            for name, mat, weight in (("dense", fs.dense, wd), ("sparse", fs.sparse, ws), ("concept", fs.concept, wc)):
                if name not in cfg.channels:
                    continue
                v = float(mat[k, col])
                e = dict(ev)
                if name == "concept":
                    _, shared_c, shared_s = ix.lexicon.similarity(ix.need_hits[need_i], ix.offer_hits[off_i])
                    e["concepts"], e["segments"] = shared_c, shared_s
                parts.append(Part(name, v, weight, weight * v, e))
            if multi[j] > 0:
                k2 = int(np.argsort(-best[:, j])[1])
                parts.append(Part("multi_need", float(best[k2, j]), w.multi_need, float(multi[j]),
                                  {"need": ix.needs.text[int(need_rows[k2])],
                                   "offer": ix.offers.text[int(off_rows[int(arg[k2, j])])]}))
        if rev_points[j] > 0 and rev_need[j] >= 0:
            ev = {"their_need": ix.needs.text[int(rev_need[j])], "our_offer": ix.offers.text[int(rev_offer[j])]}
            weight = float(rev_points[j] / reverse[j]) if reverse[j] else 0.0
            parts.append(Part("reverse", float(reverse[j]), weight, float(rev_points[j]), ev))
        if cfg.rerank:
            parts.extend(self._pair_parts(q, c, relation))
        return parts

    def _pair_parts(self, q: int, c: int, relation: str) -> list[Part]:
        ix, w = self.index, self.config.weights
        parts: list[Part] = []
        segs = chains().segments
        qs, cs = ix.own_segments[q], ix.own_segments[c]
        link = next(((a, b, "feeds_query") for a in cs for b in qs if a in segs and b in segs[a].feeds_into), None) \
            or next(((a, b, "fed_by_query") for a in qs for b in cs if a in segs and b in segs[a].feeds_into), None)
        if link:
            parts.append(Part("chain", 1.0, w.chain, w.chain, {"from": link[0], "to": link[1], "direction": link[2]}))
        r = RELATIONS_.index(relation)
        pt = float(_partner_fit(np.array([r]), ix.partner_mask[q], ix.partner_mask[[c]])[0])
        if pt > 0:
            parts.append(Part("partner_type", pt, w.partner_type, w.partner_type * pt,
                              {"query_types": list(ix.partner_types[q]),
                               "candidate_types": list(ix.partner_types[c])}))
        ot = float(_ORG_FIT[r, ix.org_type[c]])
        parts.append(Part("org_type", ot, w.org_type, w.org_type * ot,
                          {"relation": relation, "org_type": _ORG_TYPES[ix.org_type[c]]}))
        cap = self._capacity(q, np.array([c]), np.array([r]))[0]
        if not np.isnan(cap):
            amount = ix.amount[q] if ix.is_project[q] else ix.amount[c]
            ticket = ix.tickets[c] if ix.org_type[c] == 3 else ix.tickets[q]
            parts.append(Part("capacity", float(cap), w.capacity, w.capacity * float(cap),
                              {"amount_wan": float(amount), "ticket_wan": list(ticket or ())}))
        if ix.city[c] != ix.city[q]:
            parts.append(Part("cross_city", 1.0, w.cross_city, w.cross_city,
                              {"from": ix.city_name[q], "to": ix.city_name[c]}))
        return parts


RELATIONS_ = list(signals.RELATIONS)
_CUSTOMER = RELATIONS_.index("customer")
_INVESTOR = RELATIONS_.index("investor")
_OPPORTUNITY = RELATIONS_.index("investment_opportunity")
# relation index by [need intent, candidate is a project, candidate org type]: see signals.relation_for
_REL_TABLE = np.array([[[RELATIONS_.index(signals.relation_for(i, "project" if proj else "organisation", t))
                         for t in _ORG_TYPES] for proj in (0, 1)] for i in INTENTS], dtype=np.int64)
# org type (enterprise, university, institute, investor, project) fit per relation, from signals
_ORG_FIT = np.array([[signals.org_type_fit(rel, "project" if t == "project" else "organisation", t)
                      for t in _ORG_TYPES] for rel in RELATIONS_], dtype=np.float32)
_WANTS = np.array([_PARTNER_BITS[{"supplier": "supplier", "customer": "customer", "rd_partner": "rd_partner",
                                  "production_base": "production_base", "investor": "investor",
                                  "investment_opportunity": "investee"}[r]] for r in RELATIONS_], dtype=np.int16)
_PLAYS = np.array([_PARTNER_BITS[{"supplier": "customer", "customer": "supplier", "rd_partner": "rd_partner",
                                  "production_base": "production_base", "investor": "investee",
                                  "investment_opportunity": "investor"}[r]] for r in RELATIONS_], dtype=np.int16)


def _partner_fit(relation: np.ndarray, query_mask: int, cand_mask: np.ndarray) -> np.ndarray:
    """Half a point for each side that lists the partnership this pair would be (see signals)."""
    return (((query_mask & _WANTS[relation]) > 0).astype(np.float32)
            + ((cand_mask & _PLAYS[relation]) > 0).astype(np.float32)) / 2


def _group_max(values: np.ndarray, owner: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Per group (``owner`` gives each column's group, ascending), the row-wise max and its column."""
    out = np.full((values.shape[0], n_groups), -np.inf, dtype=np.float32)
    arg = np.full((values.shape[0], n_groups), -1, dtype=np.int64)
    if values.shape[1] == 0:
        return out, arg
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    groups = owner[starts]
    red = np.maximum.reduceat(values, starts, axis=1)
    out[:, groups] = red
    lengths = np.diff(np.r_[starts, values.shape[1]])
    hit = values >= np.repeat(red, lengths, axis=1)
    cols = np.where(hit, np.arange(values.shape[1])[None, :], np.iinfo(np.int64).max)
    first = np.minimum.reduceat(cols, starts, axis=1)
    arg[:, groups] = np.where(first == np.iinfo(np.int64).max, -1, first)
    return out, arg


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(start, start + length)`` for each pair, without a Python loop."""
    if not len(lengths) or not lengths.sum():
        return np.zeros(0, np.int64)
    offsets = np.repeat(starts - np.r_[0, np.cumsum(lengths)[:-1]], lengths)
    return offsets + np.arange(lengths.sum())


def _rows_dot(A: sp.csr_matrix, a_rows: np.ndarray, B: sp.csr_matrix, b_rows: np.ndarray) -> np.ndarray:
    """Dense ``A[a_rows] @ B[b_rows].T`` for a few rows of A, computed on the raw CSR arrays over the
    union of A's columns (scipy's fancy row indexing costs far more at this size)."""
    a_rows = np.asarray(a_rows, np.int64)
    b_rows = np.asarray(b_rows, np.int64)
    if len(a_rows) > len(b_rows):  # the dense side must be the small one
        return _rows_dot(B, b_rows, A, a_rows).T
    a_len = A.indptr[a_rows + 1] - A.indptr[a_rows]
    a_pos = _ranges(A.indptr[a_rows], a_len)
    out = np.zeros((len(a_rows), len(b_rows)), np.float32)
    if not len(a_pos):
        return out
    U, inv = np.unique(A.indices[a_pos], return_inverse=True)
    Ad = np.zeros((len(a_rows), len(U)), np.float32)
    Ad[np.repeat(np.arange(len(a_rows)), a_len), inv] = A.data[a_pos]
    b_len = B.indptr[b_rows + 1] - B.indptr[b_rows]
    b_pos = _ranges(B.indptr[b_rows], b_len)
    if not len(b_pos):
        return out
    cols = B.indices[b_pos]
    j = np.minimum(np.searchsorted(U, cols), len(U) - 1)
    hit = U[j] == cols
    Bd = np.zeros((len(b_rows), len(U)), np.float32)
    Bd[np.repeat(np.arange(len(b_rows)), b_len)[hit], j[hit]] = B.data[b_pos][hit]
    return Ad @ Bd.T


def _bf16_ok() -> bool:
    from .embedding import _cpu_has_bf16

    return _cpu_has_bf16()


def _check_top_k(top_k: int) -> None:
    if not isinstance(top_k, int) or not 1 <= top_k <= 1000:
        raise ValueError(f"The 'top_k' parameter of Matcher must be an int in [1, 1000]. Got {top_k!r} instead.")
