"""The match index: everything about the parties, computed once — their statements (needs and offers,
with language and intent), vectors, concept scans, what each party is (its segments), and each score
part's own prepared state (``index.dense``, ``index.sparse``, ``index.concept``; ``index.prepared`` for
the pair signals). Built from public profile fields only: no contacts, no revenue.

A build given the ``previous`` index reads again only the texts that are new or changed (``memo``); all
that is computed over the whole corpus is computed again, so the index is exactly a build from scratch's.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..reference import chains, chains_of
from .arrays import ranges
from .concepts import ConceptHits, Lexicon, lexicon
from .memo import TextMemo
from .objects import chain_spread, collect, join
from .persist import paused_collector
from .relations import INTENTS, ORG_TYPES, intent_of, sold_object
from .signals import CHANNELS, PAIR_SIGNALS
from .text import lang_of, statements

__all__ = ["MatchIndex", "Statements", "EmbedFn"]

EmbedFn = Callable[[Sequence[str], str], np.ndarray]

#: a clause whose near neighbours come from this many chains or more (effective number) is boilerplate,
#: unless it names a concept of a chain (``objects``)
BOILERPLATE_SPREAD = 4.0
_NO_HITS = ConceptHits((), (), ())
#: what a clause asks for that is an object even in few words: capital ('拟融资1.2亿元'), a deal, a site
_OBJECT_INTENTS = ("capital", "opportunity", "production")
#: what a *need* clause asks for that is an object however many parties word it the same way: research
#: ('希望与高校合作进行合金成分设计和组织调控研究'); an offer of 'joint development' stays a qualifier
_NEED_OBJECT_INTENTS = ("rd",)


def _topic_only(lex: Lexicon, hits: ConceptHits) -> ConceptHits:
    """The hits without cross-chain capabilities and services when a concept of a chain is named too."""
    cs = lex.concepts
    if not any(cs[c].segment_id != "*" for c in hits.concepts):
        return hits
    keep = tuple(c for c in hits.concepts if cs[c].segment_id != "*" or cs[c].kind not in ("capability", "service"))
    if len(keep) == len(hits.concepts):
        return hits
    return ConceptHits(keep, tuple(dict.fromkeys(cs[c].segment_id for c in keep)), hits.surface)


def _names_object(lex: Lexicon, hits: ConceptHits, boilerplate: set[str]) -> bool:
    """A clause names an object of the chain vocabulary: a concept of a chain segment, capital or a site
    (other than those the corpus uses as boilerplate)."""
    return any((lex.concepts[c].segment_id != "*" or lex.concepts[c].kind in ("capital", "site"))
               and c not in boilerplate for c in hits.concepts)


_TARGETS = re.compile(r"项目|企业|公司|团队|标的|初创|compan|project|start-?up|team|venture|deal|business", re.I)


def _only_thin_left(clauses: list[str], keep: np.ndarray, named: np.ndarray) -> bool:
    """The split would keep only clauses that name nothing of the chain vocabulary, all shorter than a clause
    it drops ('新旧均可，要求带终点检测' kept, the machine asked for dropped): it has mistaken the object."""
    if keep.all() or not keep.any() or named[keep].any():
        return False
    lengths = np.array([len(c) for c in clauses])
    return bool(lengths[~keep].max() > lengths[keep].max())


def _investors_seek_deals(needs: Statements, is_investor: np.ndarray) -> None:
    """What an investor seeks is deals: its needs that read as a capital need ('Looking for Series B–C
    companies'), that name no other kind of need ('new materials, composites, nano': the sectors it invests
    in), or that name companies or projects to find, whatever else they say ('寻找…早期项目' by way of
    universities, '寻找计划在南通落地的…项目' with a place to land) ask for investment opportunities (in place)."""
    mine = is_investor[needs.party]
    capital, supply = INTENTS.index("capital"), INTENTS.index("supply")
    for r in np.flatnonzero(mine & (needs.intent != INTENTS.index("opportunity"))):
        if needs.intent[r] in (capital, supply) or _TARGETS.search(needs.text[r]):
            needs.intent[r] = INTENTS.index("opportunity")


@dataclass
class Statements:
    party: np.ndarray  # int index into parties, ascending (a party's statements are contiguous)
    text: list[str]
    lang: np.ndarray  # 0 zh, 1 en
    intent: np.ndarray  # index into INTENTS
    # what matching reads (``objects``): the object of each statement ('' when it names none, and then the
    # statement takes no part in matching) and the clauses that only qualify it
    object: list[str] = field(default_factory=list)
    qualifiers: list[tuple[str, ...]] = field(default_factory=list)
    has_object: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    start: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # per party: first row
    stop: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # per party: one past the last

    def finish(self, n_parties: int) -> None:
        self.start = np.searchsorted(self.party, np.arange(n_parties), side="left").astype(np.int64)
        self.stop = np.searchsorted(self.party, np.arange(n_parties), side="right").astype(np.int64)

    def rows_of(self, parties: np.ndarray) -> np.ndarray:
        """All statement rows of the given parties, in party order."""
        if not len(parties):
            return np.zeros(0, np.int64)
        return ranges(self.start[parties], self.stop[parties] - self.start[parties])


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


def _parties(orgs: pd.DataFrame, projects: pd.DataFrame, lang: Callable[[str], str] = lang_of) -> pd.DataFrame:
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
    parties["lang"] = [lang(f"{a} {b} {c} {d}") for a, b, c, d in
                       zip(parties["name"], parties["description"], parties["offers"], parties["seeks"], strict=True)]
    return parties


def _collect(parties: pd.DataFrame, memo: TextMemo) -> tuple[Statements, Statements, np.ndarray, np.ndarray]:
    """Need and offer statements, which offers are a project's pitch, and which parties seek customers. A
    need to sell ('为碳纤维预浸料寻找下游客户', 'looking for volume buyers of our DBC substrates') is met by
    whoever needs what it sells, never by those who sell the same: it is an offer of what it sells."""
    statements_of, lang, intent = memo.of(statements), memo.of(lang_of), memo.of(intent_of)
    need_p, need_t, off_p, off_t, pitch = [], [], [], [], []
    sells = np.zeros(len(parties), bool)
    for i, r in enumerate(parties.itertuples()):
        selling = []
        for s in statements_of(r.seeks):
            if intent(s) == "customer":
                selling.append(sold_object(s))
                continue
            need_p.append(i)
            need_t.append(s)
        sells[i] = bool(selling)
        off_p.extend([i] * len(selling))
        off_t.extend(selling)
        pitch.extend([False] * len(selling))
        if r.kind == "organisation":
            for s in statements_of(r.offers or r.description):  # a profile without offers is known by what it is
                off_p.append(i)
                off_t.append(s)
                pitch.append(False)
        else:  # a project's "offer" to investors is what it is: its title and description
            sep = "。" if lang(r.name + r.description) == "zh" else ". "
            for s in statements_of(f"{r.name}{sep}{r.description}")[:4]:
                off_p.append(i)
                off_t.append(s)
                pitch.append(True)

    def build(p: list[int], t: list[str]) -> Statements:
        st = Statements(np.array(p, dtype=np.int64), t,
                         np.array([0 if lang(x) == "zh" else 1 for x in t], dtype=np.int8),
                         np.array([INTENTS.index(intent(x)) for x in t], dtype=np.int8),
                         list(t), [()] * len(t), np.ones(len(t), bool))
        st.finish(len(parties))
        return st

    return build(need_p, need_t), build(off_p, off_t), np.array(pitch, dtype=bool), sells


class MatchIndex:
    """Everything about the candidate side, computed once. ``embed(texts, role)`` gives L2-normalised
    vectors (``EmbeddingCache.vectors``); ``model_id`` names the model they came from. With ``previous``
    (the index of the data before an upload, or its ``memo``) the per-text work of texts it has read is
    taken from it (the same results, so the same index)."""

    @paused_collector()
    def __init__(self, organisations: pd.DataFrame, projects: pd.DataFrame, embed: EmbedFn,
                 model_id: str = "", objects: bool = True, previous: MatchIndex | TextMemo | None = None) -> None:
        self.model_id = model_id
        self.objects = objects
        self.memo = memo = TextMemo(previous if isinstance(previous, TextMemo) else getattr(previous, "memo", None))
        P = self.parties = _parties(organisations, projects, memo.of(lang_of))
        self.n = len(P)
        self.id_to_row = {pid: i for i, pid in enumerate(P["pid"])}
        self.needs, self.offers, self.offer_is_pitch, self.sells = _collect(P, memo)
        self.is_project = (P["kind"] == "project").to_numpy()
        self.is_investor = ((P["org_type"] == "investor") & (P["kind"] == "organisation")).to_numpy()
        _investors_seek_deals(self.needs, self.is_investor)
        # what a party raising capital says about its raise (round, amount), and who is raising: every project
        # (its pitch is what investors read) and every organisation stating a capital need
        capital = self.needs.intent == INTENTS.index("capital")
        self.capital_text = [""] * self.n
        for row in np.flatnonzero(capital):
            p = int(self.needs.party[row])
            self.capital_text[p] = f"{self.capital_text[p]}；{self.needs.text[row]}".lstrip("；")
        self.raising = self.is_project | np.array([bool(t) for t in self.capital_text], dtype=bool)
        # the statements a deal-seeking need reads: projects' pitches, and what a raising organisation offers
        self.offer_for_deals = self.offer_is_pitch | self.raising[self.offers.party]
        self.org_type = np.array([ORG_TYPES.index(t) if t in ORG_TYPES else (4 if k == "project" else 0)
                                  for t, k in zip(P["org_type"], P["kind"], strict=True)], dtype=np.int8)
        cities = {c: i for i, c in enumerate(sorted(set(P["city"])))}
        self.city = P["city"].map(cities).to_numpy(dtype=np.int16)
        self.amount = P["amount_wan"].to_numpy(dtype=float)
        self.sponsor = np.array([self.id_to_row.get(s, -1) if s else -1 for s in P["sponsor"]], dtype=np.int64)
        # plain arrays for the hot path (pandas indexing costs microseconds per call)
        self.pid = P["pid"].to_numpy(dtype=object)
        self.kind = P["kind"].to_numpy(dtype=object)
        self.name = P["name"].to_numpy(dtype=object)
        self.city_name = P["city"].to_numpy(dtype=object)
        self.lang = P["lang"].to_numpy(dtype=object)
        self.partner_types = list(P["partner_types"])
        # vectors
        self.need_vecs, self.offer_vecs = _vectors(embed, self.needs.text, self.offers.text)
        # concepts: each statement scanned once, for the concept channel and for what each party is
        self.lexicon = lex = lexicon()
        scan = memo.of(lex.scan)
        self.need_hits = [scan(t) for t in self.needs.text]
        self.offer_hits = [scan(t) for t in self.offers.text]
        self.concept_index = {c: i for i, c in enumerate(sorted(lex.concepts))}
        self.segment_ids = sorted({c.segment_id for c in lex.concepts.values()} - {"*"})
        self.segment_index = {s: i for i, s in enumerate(self.segment_ids)}
        self.own_segments = self._own_segments(scan)
        # objects and qualifiers: from here on, matching reads the object of each statement
        self.clause_spread: np.ndarray = np.zeros(0, np.float32)
        if objects:
            self._split_objects(embed)
            _investors_seek_deals(self.needs, self.is_investor)
        # each score part's own state: a statement channel's as ``index.<name>``, a pair signal's in ``prepared``
        self.dense: Any = None
        self.sparse: Any = None
        self.concept: Any = None
        for channel in CHANNELS:
            setattr(self, channel.name, channel.build(self))
        self.prepared: dict[str, Any] = {s.name: s.prepare(self) for s in PAIR_SIGNALS}
        memo.finish()  # what the next build may reuse: this build's texts only

    def _split_objects(self, embed: EmbedFn) -> None:
        """Each statement's object and qualifiers (``objects``); the vectors, concept scans and intents of
        statements whose object is not the whole statement are those of the object."""
        lex = self.lexicon
        scan, intent = self.memo.of(lex.scan), self.memo.of(intent_of)
        cl, per_side = collect([(self.needs.text, self.needs.party), (self.offers.text, self.offers.party)])
        vecs = np.zeros((len(cl.text), self.need_vecs.shape[1]), np.float32)
        for side, (sv, role) in enumerate(((self.need_vecs, "query"), (self.offer_vecs, "passage"))):
            mine = np.flatnonzero(cl.side == side)
            whole = mine[cl.whole[mine]]
            vecs[whole] = sv[cl.row[whole]]
            part = mine[~cl.whole[mine]]
            if len(part):
                vecs[part] = embed([cl.text[i] for i in part], role)
        ids = chains().chain_ids()
        party_chains = np.zeros((self.n, len(ids)), np.float32)
        for i, segs in enumerate(self.own_segments):
            cs = [ids.index(c) for c in chains_of(segs) if c in ids]
            for c in cs:
                party_chains[i, c] += 1.0 / len(cs)
        self.clause_spread = spread = chain_spread(cl, lambda rows: vecs[rows], party_chains)
        hits = [self.need_hits, self.offer_hits]
        clause_hits = [hits[cl.side[i]][cl.row[i]] if cl.whole[i] else scan(cl.text[i]) for i in range(len(cl.text))]
        common = spread >= BOILERPLATE_SPREAD
        # a concept named mostly in boilerplate clauses is boilerplate itself here (IATF 16949 written into
        # every profile): it does not make a clause an object
        seen: dict[str, list[int]] = {}
        for i, h in enumerate(clause_hits):
            for c in h.concepts:
                seen.setdefault(c, [0, 0])[int(common[i])] += 1
        boiler = {c for c, (rare, often) in seen.items() if often >= 3 and often > rare}
        named = np.array([_names_object(lex, h, boiler) or (it := intent(t)) in _OBJECT_INTENTS
                          or (side == 0 and it in _NEED_OBJECT_INTENTS)
                          for h, t, side in zip(clause_hits, cl.text, cl.side, strict=True)], dtype=bool)
        is_object = named | ~common
        pos = 0
        for side, (st, lists) in enumerate(((self.needs, per_side[0]), (self.offers, per_side[1]))):
            redo: list[int] = []
            for r, cs in enumerate(lists):
                keep = is_object[pos:pos + len(cs)]
                if _only_thin_left(cs, keep, named[pos:pos + len(cs)]):
                    keep = np.ones(len(cs), bool)  # the statement is read whole
                if keep.all():
                    pass  # the whole statement is its object: its vector and scan as they are
                elif keep.any():
                    st.object[r] = join([c for c, k in zip(cs, keep, strict=True) if k])
                    st.qualifiers[r] = tuple(c for c, k in zip(cs, keep, strict=True) if not k)
                    redo.append(r)
                else:
                    st.object[r] = ""
                    st.qualifiers[r] = tuple(cs)
                    st.has_object[r] = False
                pos += len(cs)
            if redo:
                role = "query" if side == 0 else "passage"
                vs = self.need_vecs if side == 0 else self.offer_vecs
                vs[redo] = embed([st.object[r] for r in redo], role)
                for r in redo:
                    hits[side][r] = scan(st.object[r])
                    st.intent[r] = INTENTS.index(intent(st.object[r]))
            for r in np.flatnonzero(~st.has_object):
                vs = self.need_vecs if side == 0 else self.offer_vecs
                vs[r] = 0.0
                hits[side][r] = _NO_HITS
            # 'joint R&D in linear motion' counts for linear motion: a statement that names a concept of a chain
            # is not also matched on the cross-chain way of working it names (joint R&D, testing, contract work)
            for r, h in enumerate(hits[side]):
                hits[side][r] = _topic_only(lex, h)

    def _own_segments(self, scan: Callable[[str], ConceptHits]) -> list[tuple[str, ...]]:
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
                segs.update(dict.fromkeys(s for s in scan(r.description).segments if s != "*"))
            out.append(tuple(segs))
        return out

    def party_needs(self, q: int) -> np.ndarray:
        return np.arange(self.needs.start[q], self.needs.stop[q])

    def party_offers(self, q: int) -> np.ndarray:
        return np.arange(self.offers.start[q], self.offers.stop[q])

    def query_rows(self) -> list[int]:
        """Who ``match --all`` lists: every organisation that seeks something (customers too) and every project."""
        has_needs = set(self.needs.party.tolist())
        kinds = self.parties["kind"].to_numpy()
        return [i for i in range(self.n) if kinds[i] == "project" or i in has_needs or self.sells[i]]


def _vectors(embed: EmbedFn, needs: list[str], offers: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Need vectors (role *query*) and offer vectors (role *passage*); empty arrays of the model's width
    (or 1) where there is no text."""
    need_vecs = embed(needs, "query") if needs else None
    offer_vecs = embed(offers, "passage") if offers else None
    dim = next((v.shape[1] for v in (need_vecs, offer_vecs) if v is not None), 1)
    return (need_vecs if need_vecs is not None else np.zeros((0, dim), np.float32),
            offer_vecs if offer_vecs is not None else np.zeros((0, dim), np.float32))


