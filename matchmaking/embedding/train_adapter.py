"""Train the adapter (``adapter.py``) on (need, offer) pairs generated from the industry-chain reference data.

    python -m matchmaking.embedding.train_adapter [--out data/models/adapter-chains-v1.npz] [--chains IC,BIO,...]

**Pairs** come from ``data/reference`` only, never from an evaluation set or the demo's labels:

- *concept pairs*: each concept of ``chain_glossary.csv`` (光刻胶 / photoresist and their variants) is
  asked for in one language and offered in the same or the other language (more than half across), in a
  different wording where it can be (a variant, a list with other products of its segment), through
  templates of our own (needs: 需要 / 寻找 / 求购 / 采购 / RFQ / "looking for suppliers of" …; offers: 提供 /
  生产 / 供应 / "we supply" / "manufacturer of" / spec-like lines), by kind (goods, services, sites, capital);
- *chain pairs*: a party in segment B needs a product of segment A where A feeds B
  (``industry_chains.csv: feeds_into``), and a party in A offers it;
- *sector pairs*: an investor names a chain the way investors do (``chain_sector_terms.csv``) and a
  project of that chain pitches itself.

**Training**: the matrices start at the identity and are trained with InfoNCE over in-batch negatives
(both directions; a pair of the same concept in the batch is not counted as a negative), with an L2 pull
towards the identity; the epoch kept is the best on a validation split of the generated pairs (a tenth of
the concepts, chosen by hash). Deterministic: fixed seeds, one torch thread, the same bytes on a rerun
on the same machine. Encoded texts are cached (``bench/results/adapter_texts_<model>.npz``) so a rerun
does not encode again.

The output ``.npz`` holds the matrices and their metadata (base model, seed, data hash, settings,
validation figures); the time the run took goes to a ``.json`` beside it, so the ``.npz`` itself is
reproducible byte for byte.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ..reference import chains, read_reference
from .adapter import Adapter, model_family, models_dir
from .models import Embedder, load_embedder

__all__ = ["Pair", "training_pairs", "TrainConfig", "fit", "train"]


@dataclass(frozen=True)
class Pair:
    need: str
    offer: str
    need_lang: str
    offer_lang: str
    group: str  # the concept (or chain link) the pair is about: pairs of one group are not each other's negatives
    source: str  # concept | chain | sector


# ---------------------------------------------------------------------------------------------------------------
# templates: {t} the term asked for or offered, {o} other products of the segment, {ctx} what it is for
_NEED = {
    ("goods", "zh"): [
        "需要{t}", "寻找{t}供应商", "求购{t}", "采购{t}，{qty}", "拟采购一批{t}，{req}", "寻求稳定的{t}供应渠道",
        "诚寻{t}合格供方，{req}", "{ctx}，急需{t}", "{ctx}，需要国产{t}替代进口", "长期采购{t}，{qty}",
        "招标采购：{t}", "寻找能够提供{t}的合作伙伴", "征集{t}供应商，{req}", "{t}采购需求：{qty}，{req}",
        "因产能扩张，需新增{t}供应商", "寻找{t}的二供，{req}", "我们需要{t}，{qty}", "求{t}厂家，{req}",
    ],
    ("goods", "en"): [
        "We need {t}", "Looking for suppliers of {t}", "RFQ: {t}, {qty}", "Seeking a reliable source of {t}",
        "Sourcing {t} for {ctx}", "Wanted: {t} ({req})", "We are looking for a partner who can supply {t}",
        "Need a qualified vendor for {t}; {req}", "Buying {t} in volume, {qty}", "Request for quotation: {t}",
        "Searching for domestic alternatives to imported {t}", "Looking to qualify a second source of {t}",
        "We require {t} for {ctx}, {qty}", "Procurement need: {t}. {req}", "Seeking {t} manufacturers, {req}",
        "Our {ctx} needs a steady supply of {t}",
    ],
    ("service", "zh"): [
        "需要{t}服务", "寻找{t}服务商", "委托第三方开展{t}", "寻求{t}合作", "外包{t}，{req}", "招募{t}合作方",
        "寻找专业的{t}团队", "{ctx}，需要{t}支持", "拟委托{t}，{req}", "寻找可承接{t}的机构",
        "需要外部{t}能力", "寻求{t}方面的合作伙伴，{req}",
    ],
    ("service", "en"): [
        "Looking for a {t} provider", "We need {t} services", "Outsourcing {t}; {req}", "Seeking a partner for {t}",
        "RFP: {t}", "Need an experienced {t} team for {ctx}", "Looking to contract out {t}",
        "Seeking external {t} capability", "We want a partner that can handle {t}, {req}",
        "Who can take on {t} for us? {req}",
    ],
    ("site", "zh"): [
        "寻找{t}", "需要{t}用于建厂", "拟租用{t}", "寻找合适的{t}，{area}", "项目落地需要{t}", "求租{t}，{area}",
        "寻找{t}以扩大生产", "需要{t}，{area}，长三角优先",
    ],
    ("site", "en"): [
        "Looking for {t}", "We need {t} for a new plant", "Seeking {t}, {area}", "Searching for suitable {t}",
        "Our expansion needs {t} ({area})", "Want to rent {t}, {area}",
    ],
    ("capital", "zh"): [
        "寻求{t}", "计划开展{t}，金额约{money}", "需要{t}支持", "正在寻找{t}机会", "拟通过{t}筹集{money}",
        "寻求{t}，用于扩产", "希望对接{t}资源",
    ],
    ("capital", "en"): [
        "Seeking {t}", "We plan {t} of about {money_en}", "Looking for {t} to fund expansion",
        "Exploring {t} opportunities", "Need {t} support", "Raising money through {t}",
    ],
}
_OFFER = {
    ("goods", "zh"): [
        "生产{t}", "供应{t}", "专业生产{t}，{cap}", "主营{t}、{o}", "{t}制造商，{cap}", "可批量供应{t}",
        "产品：{t}；{cap}", "提供{t}及{o}", "{t}，{cap}", "自主研发生产{t}，{cap}", "国产{t}，已批量供货",
        "公司产品包括{o}、{t}等", "{t}生产线，{cap}", "长期供应{t}，{cap}",
    ],
    ("goods", "en"): [
        "We supply {t}", "Manufacturer of {t}", "{t}: {cap}", "Producer of {t} and {o}", "We make {t}; {cap}",
        "In-house production of {t}, {cap}", "Supplying {t} to customers across the Yangtze Delta",
        "Products: {o}, {t}", "{t} made to order, {cap}", "Volume supply of {t}", "Our range includes {t} and {o}",
        "Domestic maker of {t}, {cap}",
    ],
    ("service", "zh"): [
        "提供{t}服务", "专业从事{t}", "承接{t}业务", "{t}一站式服务", "可为客户提供{t}", "{t}，{cap_s}",
        "提供{t}和{o}", "团队专注{t}，{cap_s}", "开展{t}服务，{cap_s}",
    ],
    ("service", "en"): [
        "We provide {t}", "{t} services, {cap_s_en}", "Specialised in {t}", "Offering {t} and {o}",
        "Our team delivers {t}; {cap_s_en}", "{t} for clients in the Yangtze Delta", "End-to-end {t}",
    ],
    ("site", "zh"): [
        "园区提供{t}", "出租{t}，{area}", "可提供{t}，配套齐全", "{t}招商中，{area}", "现有{t}可供入驻",
    ],
    ("site", "en"): [
        "The park offers {t}", "{t} available, {area}", "{t} for lease, ready to move in", "We offer {t} ({area})",
    ],
    ("capital", "zh"): [
        "提供{t}", "专注{t}，单笔{money}", "可参与{t}", "开展{t}业务", "为企业提供{t}服务",
    ],
    ("capital", "en"): [
        "We provide {t}", "Active in {t}, tickets of {money_en}", "Offering {t} to growing companies",
        "{t} for industrial companies",
    ],
}
_FILL = {
    "qty_zh": ["月用量约{n}吨", "年需求约{n}万件", "首批{n}台", "预计年采购额{n}万元", "每月约{n}千片", "年用量{n}套"],
    "qty_en": ["about {n} t a month", "{n}k units a year", "first lot of {n} units", "annual spend around {n}0k USD",
               "{n},000 pieces per month", "{n} sets a year"],
    "req_zh": ["具备ISO 9001认证", "可提供样品测试", "交期四周以内", "支持小批量定制", "长三角地区优先", "需通过客户审核",
               "要求质量稳定、价格合理", "需提供检测报告"],
    "req_en": ["ISO 9001 required", "samples for qualification first", "lead time under four weeks",
               "small batches acceptable", "Yangtze Delta preferred", "must pass our audit", "stable quality",
               "test reports required"],
    "ctx_zh": ["用于新建产线", "用于研发验证", "为扩产做准备", "配套现有生产", "用于新产品开发", "为降低成本"],
    "ctx_en": ["a new production line", "R&D validation", "our capacity expansion", "current production",
               "a new product line", "cost reduction"],
    "cap_zh": ["年产能{n}万件", "通过ISO 9001认证", "月产{n}吨", "客户覆盖长三角", "可提供样品", "交期稳定",
               "通过IATF 16949认证", "产品已进入头部客户供应链"],
    "cap_en": ["annual capacity {n}k units", "ISO 9001 certified", "{n} t per month", "samples available",
               "short lead times", "IATF 16949 certified", "qualified at leading customers"],
    "cap_s_zh": ["团队{n}人", "服务客户逾{n}家", "具备CNAS资质", "十年行业经验"],
    "cap_s_en": ["a team of {n}", "more than {n} clients served", "CNAS accredited", "ten years in the field"],
    "area_zh": ["面积约{n}00平方米", "约{n}亩", "层高8米以上", "可定制"],
    "area_en": ["about {n},000 m2", "around {n} mu", "8 m clear height", "build-to-suit possible"],
    "money_zh": ["{n}000万元", "{n}亿元", "数千万元"],
    "money_en": ["RMB {n}0 million", "RMB {n}00 million", "tens of millions of RMB"],
}
_KIND = {"product": "goods", "material": "goods", "equipment": "goods", "component": "goods",
         "service": "service", "capability": "service", "site": "site", "capital": "capital"}
_CHAIN_NEED = {
    "zh": ["我们从事{b}，需要采购{t}", "{b}企业，寻找{t}供应商", "{b}项目需要{t}配套", "我司主营{b}，求购{t}",
           "为{b}业务寻找稳定的{t}来源", "做{b}的公司，需要上游{t}"],
    "en": ["We work in {b} and are looking for {t}", "A {b} company in need of {t}", "Our {b} business needs {t}",
           "{b} firm sourcing {t}", "Looking for upstream {t} for our {b} business"],
}
_SECTOR_NEED = {
    "zh": ["关注{s}领域的投资机会", "寻找{s}方向的早期项目", "重点投资{s}，寻找A轮至C轮项目", "寻找{s}赛道的优质企业",
           "产业基金拟投资{s}项目"],
    "en": ["Seeking investments in {s}", "Looking for Series A to C deals in {s}", "We back early-stage {s} companies",
           "Fund focused on {s}, looking for new deals", "Looking for {s} start-ups to invest in"],
}
_SECTOR_OFFER = {
    "zh": ["{t}项目，拟融资{money}", "专注{t}的初创企业，正在进行A轮融资", "{t}研发与产业化项目，寻求投资",
           "公司主营{t}，计划B轮融资{money}"],
    "en": ["{t} start-up raising a Series A", "A {t} project looking for investors, {money_en}",
           "We develop {t} and are raising {money_en}", "{t} company, Series B round open"],
}


def _split(raw: str) -> list[str]:
    return [t.strip() for t in (raw or "").split(";") if t.strip()]


def _fill(template: str, lang: str, rng: random.Random, **given: str) -> str:
    def one(key: str) -> str:
        return rng.choice(_FILL[key]).replace("{n}", str(rng.randint(2, 9)))

    values = {"qty": one(f"qty_{lang}"), "req": one(f"req_{lang}"), "ctx": one(f"ctx_{lang}"),
              "cap": one(f"cap_{lang}"), "cap_s": one(f"cap_s_{lang}"), "cap_s_en": one("cap_s_en"),
              "area": one(f"area_{lang}"), "money": one("money_zh"), "money_en": one("money_en"), **given}
    return template.format(**values)


def _glossary(allowed: set[str] | None) -> list[dict[str, object]]:
    out = []
    for r in read_reference("chain_glossary.csv"):
        seg = r["segment_id"]
        chain = seg.split("-")[0]
        if allowed is not None and seg != "*" and chain not in allowed:
            continue
        zh = [r["zh"], *_split(r["zh_variants"])] if r["zh"] else _split(r["zh_variants"])
        en = [r["en"], *_split(r["en_variants"])] if r["en"] else _split(r["en_variants"])
        if zh and en:
            out.append({"id": r["term_id"], "segment": seg, "kind": _KIND.get(r["kind"], "goods"), "zh": zh, "en": en})
    return out


def training_pairs(chain_ids: Sequence[str] | None = None, seed: int = 0, per_concept: int = 3,
                   per_link: int = 3, per_sector: int = 16) -> list[Pair]:
    """(need, offer) pairs generated from the reference data, in a fixed order for a given seed;
    ``chain_ids`` keeps only concepts and links of those chains (cross-chain concepts stay)."""
    if per_concept < 1:
        raise ValueError(f"The 'per_concept' parameter of training_pairs must be an int >= 1. Got {per_concept!r}.")
    allowed = {c.strip().upper() for c in chain_ids} if chain_ids else None
    known = set(chains().chain_ids())
    if allowed is not None and not allowed <= known:
        raise ValueError(f"The 'chains' parameter must name chains of industry_chains.csv ({', '.join(sorted(known))}). "
                         f"Got {', '.join(sorted(allowed - known))} instead.")
    rng = random.Random(seed)
    concepts = _glossary(allowed)
    by_segment: dict[str, list[dict[str, object]]] = {}
    for c in concepts:
        by_segment.setdefault(str(c["segment"]), []).append(c)
    pairs: list[Pair] = []

    def others(c: dict[str, object], lang: str, k: int) -> str:
        pool = [o for o in by_segment[str(c["segment"])] if o is not c]
        picks = rng.sample(pool, min(k, len(pool)))
        return ("、" if lang == "zh" else ", ").join(str(o[lang][0]) for o in picks)  # type: ignore[index]

    for c in concepts:
        kind = str(c["kind"])
        first = rng.randrange(2)
        for k in range(per_concept):
            need_lang = ("zh", "en")[(first + k) % 2]
            offer_lang = need_lang if rng.random() < 0.4 else ("en" if need_lang == "zh" else "zh")
            need_terms, offer_terms = list(c[need_lang]), list(c[offer_lang])  # type: ignore[call-overload]
            nt = rng.choice(need_terms)
            choices = [t for t in offer_terms if t != nt] or offer_terms
            ot = rng.choice(choices)
            need = _fill(rng.choice(_NEED[(kind, need_lang)]), need_lang, rng, t=nt)
            offer = _fill(rng.choice(_OFFER[(kind, offer_lang)]), offer_lang, rng, t=ot,
                          o=others(c, offer_lang, rng.randint(1, 2)) or ot)
            pairs.append(Pair(need, offer, need_lang, offer_lang, str(c["id"]), "concept"))
    # chain pairs: B needs what A makes, A feeds B
    segs = chains().segments
    for a in sorted(segs):
        if a not in by_segment:
            continue
        for b in segs[a].feeds_into:
            if b not in segs or b not in by_segment:
                continue
            for _ in range(per_link):
                c = rng.choice(by_segment[a])
                bc = rng.choice(by_segment[b])
                need_lang = rng.choice(("zh", "en"))
                offer_lang = need_lang if rng.random() < 0.4 else ("en" if need_lang == "zh" else "zh")
                need = rng.choice(_CHAIN_NEED[need_lang]).format(b=rng.choice(bc[need_lang]),  # type: ignore[call-overload]
                                                                 t=rng.choice(c[need_lang]))  # type: ignore[call-overload]
                kind = str(c["kind"])
                offer = _fill(rng.choice(_OFFER[(kind, offer_lang)]), offer_lang, rng,
                              t=rng.choice(c[offer_lang]), o=others(c, offer_lang, 1) or c[offer_lang][0])  # type: ignore[index]
                pairs.append(Pair(need, offer, need_lang, offer_lang, str(c["id"]), "chain"))
    # sector pairs: an investor's focus and a project of that chain
    for r in read_reference("chain_sector_terms.csv"):
        chain = r["chain_id"]
        if allowed is not None and chain not in allowed:
            continue
        terms = {"zh": _split(r["zh_terms"]), "en": _split(r["en_terms"])}
        pool = [c for c in concepts if str(c["segment"]).split("-")[0] == chain]
        for _ in range(per_sector if pool else 0):
            need_lang = rng.choice(("zh", "en"))
            offer_lang = need_lang if rng.random() < 0.4 else ("en" if need_lang == "zh" else "zh")
            c = rng.choice(pool)
            need = rng.choice(_SECTOR_NEED[need_lang]).format(s=rng.choice(terms[need_lang]))
            offer = _fill(rng.choice(_SECTOR_OFFER[offer_lang]), offer_lang, rng,
                          t=rng.choice(c[offer_lang]))  # type: ignore[call-overload]
            pairs.append(Pair(need, offer, need_lang, offer_lang, f"sector:{chain}:{c['id']}", "sector"))
    return pairs


def data_hash(pairs: Sequence[Pair]) -> str:
    h = hashlib.blake2b(digest_size=16)
    for p in pairs:
        h.update(f"{p.need}\x1f{p.offer}\x1f{p.group}\x1e".encode())
    return h.hexdigest()


# ---------------------------------------------------------------------------------------------------------------
# encoding, cached on disk
def _default_cache_dir() -> Path:
    repo = Path(__file__).resolve().parents[2]
    if (repo / "bench").is_dir():
        return repo / "bench" / "results"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "hst-alliance"


def encode_cached(embedder: Embedder, texts: Sequence[str], role: str, cache_dir: Path | None,
                  progress: bool = False) -> np.ndarray:
    """Vectors of ``texts`` in ``role``, read from ``<cache_dir>/adapter_texts_<model>.npz`` where present."""
    from .cache import text_key

    keys = [text_key(t, role) for t in texts]
    store: dict[str, np.ndarray] = {}
    path = None
    if cache_dir is not None:
        safe = "".join(ch if ch.isalnum() or ch in "-._" else "_" for ch in embedder.model_id)
        path = Path(cache_dir) / f"adapter_texts_{safe}.npz"
        if path.is_file():
            with np.load(path, allow_pickle=False) as z:
                store = dict(zip(z["keys"].tolist(), z["vectors"], strict=True))
    missing = list(dict.fromkeys(k for k in keys if k not in store))
    if missing:
        by_key = dict(zip(keys, texts, strict=True))
        missing.sort(key=lambda k: -len(by_key[k]))
        t0 = time.time()
        for i in range(0, len(missing), 256):
            block = missing[i:i + 256]
            store.update(zip(block, embedder.encode([by_key[k] for k in block], role=role), strict=True))
            if progress:
                print(f"  encoded {min(i + 256, len(missing))}/{len(missing)} {role} texts "
                      f"({time.time() - t0:.0f}s)", file=sys.stderr)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            order = sorted(store)
            tmp = path.with_name(path.name + ".tmp.npz")
            np.savez(tmp, keys=np.array(order), vectors=np.stack([store[k] for k in order]).astype(np.float32))
            tmp.replace(path)
    if not keys:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    return np.stack([store[k] for k in keys]).astype(np.float32)


# ---------------------------------------------------------------------------------------------------------------
# training
@dataclass(frozen=True)
class TrainConfig:
    """``form``: ``both`` (a full matrix per role), ``shared`` (one matrix for both roles), ``query`` (needs
    only), ``lowrank`` (identity plus a rank-``rank`` update per role)."""

    # the shipped setting, chosen on dev only (full-engine nDCG@10; python -m bench.adapter sweep): one
    # matrix for both roles, reg 10, mixed batches. reg 1 with a matrix per role over-fits the templates:
    # it hurt English→English on dev (0.566 → 0.431) and left the full engine flat (0.598 → 0.596)
    form: str = "shared"
    rank: int = 32
    epochs: int = 40
    batch_size: int = 256
    temperature: float = 0.05
    lr: float = 2e-3
    reg: float = 10.0  # weight of ||W - I||^2 (sum over roles), relative to the mean InfoNCE loss
    val_share: float = 0.1
    seed: int = 0
    # in-batch negatives from anywhere (random), the same chain or segment, or one segment's pairs filled up
    # with random ones (mixed: hard and broad negatives together)
    batching: str = "mixed"


    def __post_init__(self) -> None:
        forms = ("both", "shared", "query", "lowrank")
        if self.form not in forms:
            raise ValueError(f"The 'form' parameter of TrainConfig must be one of {forms}. Got {self.form!r} instead.")
        if not 1 <= self.epochs <= 10_000:
            raise ValueError(f"The 'epochs' parameter of TrainConfig must be an int in [1, 10000]. Got {self.epochs!r}.")
        if not 2 <= self.batch_size <= 65_536:
            raise ValueError(f"The 'batch_size' parameter of TrainConfig must be an int in [2, 65536]. "
                             f"Got {self.batch_size!r} instead.")
        if not self.temperature > 0:
            raise ValueError(f"The 'temperature' parameter of TrainConfig must be > 0. Got {self.temperature!r}.")
        if self.batching not in ("random", "chain", "segment", "mixed"):
            raise ValueError(f"The 'batching' parameter of TrainConfig must be one of random, chain, segment, mixed. "
                             f"Got {self.batching!r} instead.")
        if not 0 <= self.val_share < 1:
            raise ValueError(f"The 'val_share' parameter of TrainConfig must be in [0, 1). Got {self.val_share!r}.")


def _is_val(group: str, share: float) -> bool:
    if share <= 0:
        return False
    concept = group.rsplit(":", 1)[-1]  # sector pairs are held out with their concept
    return int(hashlib.blake2b(concept.encode(), digest_size=4).hexdigest(), 16) % 1000 < share * 1000


def _retrieval(q: np.ndarray, p: np.ndarray, groups: np.ndarray) -> dict[str, float]:
    """Need → offer retrieval among the given offers: recall@1 and MRR (an offer of the same group counts)."""
    sims = q @ p.T
    same = groups[:, None] == groups[None, :]
    best_pos = np.where(same, sims, -np.inf).max(axis=1)
    rank = (np.where(same, -np.inf, sims) > best_pos[:, None]).sum(axis=1)
    return {"recall@1": float(np.mean(rank == 0)), "MRR": float(np.mean(1.0 / (rank + 1)))}


def _stratum(group: str, batching: str) -> str:
    concept = group.rsplit(":", 1)[-1]
    segment = concept.split(".")[0]
    return "" if batching == "random" else (segment.split("-")[0] if batching == "chain" else segment)


def _batches(rows: np.ndarray, strata: np.ndarray, size: int, rng: np.random.Generator,
             fill: bool = False) -> list[np.ndarray]:
    """One epoch's batches: each stratum shuffled and cut into batches of ``size`` (its last one smaller),
    then the batches shuffled. With one stratum this is plain shuffled batching. ``fill``: a stratum's
    batch holds at most half of ``size`` and is filled up with random rows (a row twice in a batch is its
    own group, so it is never its own negative)."""
    out = []
    step = size // 2 if fill else size
    for s in sorted(set(strata[rows].tolist())):
        mine = rows[strata[rows] == s]
        mine = mine[rng.permutation(len(mine))]
        out.extend(mine[i:i + step] for i in range(0, len(mine), step))
    if fill:
        pool = rows[rng.permutation(len(rows))]
        at = 0
        for k, b in enumerate(out):
            need = size - len(b)
            extra = np.take(pool, np.arange(at, at + need), mode="wrap")
            at += need
            out[k] = np.concatenate([b, extra])
    return [out[i] for i in rng.permutation(len(out))]


def fit(need: np.ndarray, offer: np.ndarray, groups: Sequence[str], cross: np.ndarray | None = None,
        config: TrainConfig | None = None, log: bool = False) -> tuple[np.ndarray, np.ndarray, dict[str, object]]:
    """The query and passage matrices trained on these pairs (row i of ``need`` meets row i of ``offer``),
    and a report (validation figures per epoch, the epoch kept)."""
    import torch

    cfg = config or TrainConfig()
    groups_arr = np.asarray(groups)
    dim = need.shape[1]
    is_val = np.array([_is_val(g, cfg.val_share) for g in groups_arr], dtype=bool)
    tr, va = np.flatnonzero(~is_val), np.flatnonzero(is_val)
    cross = np.zeros(len(need), bool) if cross is None else np.asarray(cross, bool)
    _, gid = np.unique(groups_arr, return_inverse=True)

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # one thread: the same sums in the same order on every run
    try:
        torch.manual_seed(cfg.seed)
        rng = np.random.default_rng(cfg.seed)
        eye = torch.eye(dim)
        params: dict[str, torch.Tensor] = {}
        if cfg.form in ("both", "shared", "query"):
            params["q"] = torch.zeros(dim, dim, requires_grad=True)  # W = I + delta, delta starts at 0
            if cfg.form == "both":
                params["p"] = torch.zeros(dim, dim, requires_grad=True)
        else:
            for r in ("q", "p"):
                params[f"{r}U"] = torch.zeros(dim, cfg.rank, requires_grad=True)
                params[f"{r}V"] = (torch.randn(dim, cfg.rank) / dim ** 0.5).requires_grad_(True)

        def mats() -> tuple[torch.Tensor, torch.Tensor]:
            if cfg.form == "lowrank":
                return eye + params["qU"] @ params["qV"].T, eye + params["pU"] @ params["pV"].T
            wq = eye + params["q"]
            wp = eye + params["p"] if cfg.form == "both" else (wq if cfg.form == "shared" else eye)
            return wq, wp

        opt = torch.optim.Adam(list(params.values()), lr=cfg.lr)
        Q, P = torch.from_numpy(need.astype(np.float32)), torch.from_numpy(offer.astype(np.float32))
        G = torch.from_numpy(gid)

        def evaluate() -> dict[str, float]:
            with torch.no_grad():
                wq, wp = mats()
                q = torch.nn.functional.normalize(Q[va] @ wq, dim=1).numpy()
                p = torch.nn.functional.normalize(P[va] @ wp, dim=1).numpy()
            out = _retrieval(q, p, groups_arr[va])
            x = cross[va]
            if x.any():
                out["cross MRR"] = _retrieval(q[x], p[x], groups_arr[va][x])["MRR"]
            return out

        history = [{"epoch": 0, **evaluate()}] if len(va) else []
        best = (history[0]["MRR"] if history else -1.0, 0, {k: v.detach().clone() for k, v in params.items()})
        strata = np.array([_stratum(g, cfg.batching) for g in groups_arr])
        for epoch in range(1, cfg.epochs + 1):
            total = 0.0
            for rows in _batches(tr, strata, cfg.batch_size, rng, fill=cfg.batching == "mixed"):
                if len(rows) < 2:
                    continue
                b = torch.from_numpy(rows)
                wq, wp = mats()
                q = torch.nn.functional.normalize(Q[b] @ wq, dim=1)
                p = torch.nn.functional.normalize(P[b] @ wp, dim=1)
                logits = q @ p.T / cfg.temperature
                g = G[b]
                clash = (g[:, None] == g[None, :]) & ~torch.eye(len(b), dtype=torch.bool)
                logits = logits.masked_fill(clash, float("-inf"))
                target = torch.arange(len(b))
                loss = (torch.nn.functional.cross_entropy(logits, target)
                        + torch.nn.functional.cross_entropy(logits.T, target)) / 2
                reg = ((wq - eye) ** 2).sum() + (((wp - eye) ** 2).sum() if cfg.form != "shared" else 0.0)
                opt.zero_grad()
                (loss + cfg.reg * reg / dim).backward()
                opt.step()
                total += float(loss.detach()) * len(b)
            if len(va):
                rec = {"epoch": epoch, "loss": total / max(len(tr), 1), **evaluate()}
                history.append(rec)
                if rec["MRR"] > best[0]:
                    best = (rec["MRR"], epoch, {k: v.detach().clone() for k, v in params.items()})
                if log:
                    print(f"  epoch {epoch}: loss {rec['loss']:.4f}, val MRR {rec['MRR']:.4f}, recall@1 "
                          f"{rec['recall@1']:.4f}" + (f", cross MRR {rec['cross MRR']:.4f}" if "cross MRR" in rec else ""),
                          file=sys.stderr)
            else:
                best = (0.0, epoch, {k: v.detach().clone() for k, v in params.items()})
        with torch.no_grad():
            params.update(best[2])
            wq, wp = mats()
            wq_np, wp_np = wq.numpy().astype(np.float32), wp.numpy().astype(np.float32)
    finally:
        torch.set_num_threads(threads)
    report = {"epoch_kept": best[1], "n_train": int(len(tr)), "n_val": int(len(va)),
              "val_before": history[0] if history else {}, "val_kept": history[best[1]] if history else {},
              "history": history}
    return wq_np, wp_np, report


def train(out: str | Path | None = None, chain_ids: Sequence[str] | None = None, embedder: Embedder | None = None,
          config: TrainConfig | None = None, name: str | None = None, cache_dir: Path | None | str = "default",
          per_concept: int = 3, log: bool = False) -> tuple[Adapter, dict[str, object]]:
    """Generate the pairs, encode them (cached), fit, and write the adapter to ``out`` (when given) with a
    ``.json`` of the run beside it. Returns the adapter and the run's report."""
    cfg = config or TrainConfig()
    t0 = time.time()
    embedder = embedder or load_embedder()
    pairs = training_pairs(chain_ids, seed=cfg.seed, per_concept=per_concept)
    cdir = _default_cache_dir() if cache_dir == "default" else (Path(cache_dir) if cache_dir else None)
    need = encode_cached(embedder, [p.need for p in pairs], "query", cdir, progress=log)
    offer = encode_cached(embedder, [p.offer for p in pairs], "passage", cdir, progress=log)
    t1 = time.time()
    cross = np.array([p.need_lang != p.offer_lang for p in pairs])
    wq, wp, report = fit(need, offer, [p.group for p in pairs], cross, cfg, log=log)
    t2 = time.time()
    label = name or (Path(out).stem.removeprefix("adapter-") if out else "adapter")
    meta = {"base_model": embedder.model_id, "dim": int(embedder.dim), "seed": cfg.seed,
            "data_hash": data_hash(pairs), "chains": sorted(c.upper() for c in chain_ids) if chain_ids else "all",
            "n_pairs": len(pairs), "cross_language_share": round(float(cross.mean()), 4),
            "per_concept": per_concept, "config": asdict(cfg), "epoch_kept": report["epoch_kept"],
            "val_before": report["val_before"], "val_kept": report["val_kept"]}
    adapter = Adapter(label, wq, wp, model_family(embedder.model_id), meta)
    run = {**meta, "digest": adapter.digest, "encode_seconds": round(t1 - t0, 1), "train_seconds": round(t2 - t1, 1),
           "total_seconds": round(time.time() - t0, 1), "history": report["history"]}
    if out is not None:
        path = adapter.save(out)
        path.with_suffix(".json").write_text(json.dumps(run, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return adapter, run


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(models_dir() / "adapter-chains-v1.npz"))
    ap.add_argument("--chains", default="", help="train only on these chains, e.g. IC,BIO,NEV,MAT (default: all)")
    ap.add_argument("--model", default=None, help="HST_EMBED_MODEL for the vectors (default: the configured one)")
    ap.add_argument("--form", default=TrainConfig.form, choices=["both", "shared", "query", "lowrank"])
    ap.add_argument("--rank", type=int, default=TrainConfig.rank)
    ap.add_argument("--epochs", type=int, default=TrainConfig.epochs)
    ap.add_argument("--temperature", type=float, default=TrainConfig.temperature)
    ap.add_argument("--lr", type=float, default=TrainConfig.lr)
    ap.add_argument("--reg", type=float, default=TrainConfig.reg)
    ap.add_argument("--batching", default=TrainConfig.batching, choices=["random", "chain", "segment", "mixed"])
    ap.add_argument("--per-concept", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    cfg = TrainConfig(form=args.form, rank=args.rank, epochs=args.epochs, temperature=args.temperature, lr=args.lr,
                      reg=args.reg, seed=args.seed, batching=args.batching)
    chain_ids = [c for c in args.chains.split(",") if c.strip()] or None
    adapter, run = train(args.out, chain_ids, load_embedder(args.model), cfg, per_concept=args.per_concept, log=True)
    print(f"{args.out}: {run['n_pairs']} pairs ({run['cross_language_share']:.0%} across languages), epoch "
          f"{run['epoch_kept']} kept, validation MRR {run['val_before'].get('MRR', 0):.3f} → "  # type: ignore[union-attr]
          f"{run['val_kept'].get('MRR', 0):.3f}; encoded in {run['encode_seconds']}s, trained in "  # type: ignore[union-attr]
          f"{run['train_seconds']}s; id {adapter.tag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
