"""Objects and qualifiers (issue 15): how much of the ranking the *phrasing* of a profile decides.

Real profiles repeat the same qualifier phrases (``通过ISO 9001认证``, ``looking for a long-term
partnership``, ``深耕该领域7年``); matched clause against clause they pair up across unrelated chains.
This benchmark measures, for the engine with the object/qualifier split (``objects=True``, the default)
and without it (``objects=False``, the engine before issue 15), in the same run:

- **boilerplate share**: of the top-10 slots, the share whose main evidence (the statement pair that
  made the match) is a qualifier statement on both sides — a need that names no object met by an offer
  that names none. On the sets with injected boilerplate the judge is exact (a statement is a qualifier
  statement when nothing but injected phrases is left of it); on the others it is the engine's own split;
- **off-chain share**: of the top-10 slots that hold no labelled partner, the share whose candidate is in
  none of the chains the query's needs belong to (from the data's hidden item tags, ``entities.csv``);
- recall@10 / nDCG@10 per language pair and pair recall per candidate type (``bench.eval_matching``).

Sets: ``dev``, ``heldout``, ``heldout2`` as in ``bench.eval_matching``, and ``dev+bpA`` / ``dev+bpB``:
the dev profiles with qualifier clauses of our own (below: certifications, partnership wishes, region
preferences, experience, delivery, payment, samples …, in Chinese and English) added to random needs and
offers, deterministically (seed 15); the labels stay the same. Half A of the phrases is what the split
was tuned on, half B is only checked.

    python -m bench.boilerplate [--sets dev,dev+bpA,dev+bpB,heldout] [--variants before,after]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from bench.eval_matching import DEPTH, SETS, load_set, metrics, pair_recall
from matchmaking.embedding import EmbeddingCache, load_embedder, text_key
from matchmaking.matching import MatchConfig, Matcher, MatchIndex
from matchmaking.matching.text import lang_of
from matchmaking.reference import chain_of_code
from matchmaking.store import Store

ROOT = Path(__file__).resolve().parent
SEED = 15

# ---------------------------------------------------------------------------------------------- phrases
# Qualifier clauses of our own, by what they qualify; written for this benchmark, not taken from any set.
# Within each list, even positions are half A (tuning), odd positions half B (checking only).
NEED_PHRASES: dict[str, dict[str, list[str]]] = {
    "certification": {
        "zh": ["要求供应商通过ISO 9001质量体系认证", "供应商需具备ISO 14001和ISO 45001认证", "须持有有效的IATF 16949证书",
               "需提供CE、RoHS和REACH合规文件", "要求具备ISO 13485体系", "合格供应商须通过二方审核"],
        "en": ["suppliers must be ISO 9001 certified", "ISO 14001 and ISO 45001 certification required",
               "must hold a valid IATF 16949 certificate", "CE and RoHS compliance documents required",
               "ISO 13485 quality system expected", "vendors must pass our second-party audit"],
    },
    "partnership": {
        "zh": ["希望建立长期稳定的合作关系", "寻求长期战略合作伙伴", "欢迎有意向的企业洽谈", "欢迎具备量产经验的企业联系",
               "诚邀同行共谋发展", "期待互利共赢的合作"],
        "en": ["looking for a long-term partnership", "open to a strategic partnership",
               "interested parties are welcome to contact us", "companies with mass-production experience welcome",
               "we value long-term, win-win cooperation", "keen to build a lasting relationship"],
    },
    "region": {
        "zh": ["优先考虑长三角地区供应商", "同等条件下优先选择江苏省内企业", "最好在上海周边200公里以内", "优先本地企业，便于现场对接"],
        "en": ["preference for suppliers in the Yangtze River Delta", "local partners preferred for on-site support",
               "ideally within two hours of Shanghai", "Jiangsu-based companies preferred"],
    },
    "timing": {
        "zh": ["希望在今年第三季度前完成选型", "项目计划明年上半年启动", "急需，越快越好", "年底前需完成首批交付"],
        "en": ["decision expected by the end of Q3", "the project starts in the first half of next year",
               "urgent: the sooner the better", "first deliveries needed before year end"],
    },
    "price": {
        "zh": ["价格要有竞争力", "付款方式可协商，支持月结60天", "接受年度框架协议报价", "报价需含税含运费"],
        "en": ["competitive pricing expected", "payment terms negotiable, 60 days net", "annual frame agreement preferred",
               "quotes should include tax and freight"],
    },
    "experience": {
        "zh": ["要求具备5年以上行业经验", "有同类项目案例者优先", "要求企业具备一定规模和良好信誉", "注册资本不低于1000万元"],
        "en": ["at least five years of industry experience required", "references from similar projects preferred",
               "a solid track record and good reputation required", "registered capital of CNY 10 million or more"],
    },
    "quality": {
        "zh": ["需先提供样品进行测试验证", "要求质量稳定、交期准时", "需配合我方年度审核", "要求提供完整的质量追溯记录"],
        "en": ["samples needed for qualification first", "stable quality and on-time delivery are a must",
               "must accept our annual supplier audit", "full quality traceability records required"],
    },
}
OFFER_PHRASES: dict[str, dict[str, list[str]]] = {
    "certification": {
        "zh": ["已通过ISO 9001、ISO 14001体系认证", "公司为国家高新技术企业", "获得IATF 16949认证", "产品通过CE、RoHS认证",
               "拥有授权专利50余项", "通过ISO 45001职业健康安全管理体系认证"],
        "en": ["ISO 9001 and ISO 14001 certified", "a national high-tech enterprise", "IATF 16949 certified",
               "CE and RoHS certified products", "more than 50 patents granted", "ISO 45001 certified"],
    },
    "experience": {
        "zh": ["深耕该领域15年", "团队核心成员平均从业10年以上", "服务客户超过300家", "行业经验丰富", "深耕该领域7年"],
        "en": ["15 years of experience in the field", "a core team with over 10 years of industry experience",
               "trusted by more than 300 customers", "seasoned in the industry", "7 years in this field"],
    },
    "partnership": {
        "zh": ["欢迎各界朋友洽谈合作", "期待与您建立长期稳定合作", "可开展联合开发", "愿与上下游企业携手共赢", "开放各种形式的合作"],
        "en": ["happy to discuss partnerships of any kind", "looking forward to long-term cooperation",
               "open to joint development", "win-win cooperation with partners up and down the chain",
               "open to every form of collaboration"],
    },
    "delivery": {
        "zh": ["交期稳定，可支持小批量试产", "支持定制化服务，响应迅速", "提供7×24小时售后服务", "全国范围内48小时到场"],
        "en": ["stable lead times and support for small pilot batches", "customised service with fast response",
               "24/7 after-sales support", "on site within 48 hours anywhere in China"],
    },
    "sample": {
        "zh": ["可提供免费样品", "支持样品测试和小批量验证", "可按客户要求出具检测报告", "样品三天内寄出"],
        "en": ["free samples available", "sample testing and small-batch validation supported",
               "test reports issued on request", "samples shipped within three days"],
    },
    "price": {
        "zh": ["价格优惠，性价比高", "支持多种付款方式", "量大从优", "可签年度框架协议"],
        "en": ["competitive prices", "flexible payment terms", "volume discounts", "annual frame agreements possible"],
    },
    "region": {
        "zh": ["工厂位于长三角核心区域，交通便利", "在苏州、无锡设有办事处", "服务覆盖华东地区", "距上海港仅一小时车程"],
        "en": ["plant in the heart of the Yangtze River Delta with easy logistics", "sales offices in Suzhou and Wuxi",
               "serving all of East China", "one hour by road from the port of Shanghai"],
    },
    "quality": {
        "zh": ["质量稳定可靠，品控严格", "建有完善的质量管理体系", "可签署保密协议", "提供技术攻关与测试验证服务",
               "拥有省级工程技术研究中心"],
        "en": ["strict quality control", "a complete quality management system", "NDA available on request",
               "technical problem-solving and testing/validation services", "a provincial engineering research centre"],
    },
}


def phrases(side: str, half: str) -> dict[str, list[str]]:
    """The phrases of one side (need/offer) and half ('A', 'B' or 'AB'), by language."""
    table = NEED_PHRASES if side == "need" else OFFER_PHRASES
    out: dict[str, list[str]] = {"zh": [], "en": []}
    for by_lang in table.values():
        for lang, items in by_lang.items():
            out[lang] += [p for i, p in enumerate(items) if ("A" in half and i % 2 == 0) or ("B" in half and i % 2 == 1)]
    return out


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _add(text: str, phrase: str, lang: str, where: str) -> str:
    """``phrase`` added to ``text``: as a sentence of its own at the end or at the start, or as a clause
    after a comma at the end of the last sentence."""
    text = text.rstrip()
    if lang == "zh":
        body = text.rstrip("。；;.")
        if where == "start":
            return f"{phrase}。{text}"
        if where == "clause":
            return f"{body}，{phrase}。"
        return f"{body}。{phrase}。"
    body = text.rstrip(".;")
    if where == "start":
        return f"{_cap(phrase)}. {text}"
    if where == "clause":
        return f"{body}, {phrase}."
    return f"{body}. {_cap(phrase)}."


def inject(frame: pd.DataFrame, column: str, side: str, half: str, rng: random.Random, rate: float = 0.55,
           ) -> tuple[pd.DataFrame, list[str]]:
    """A copy of ``frame`` with qualifier phrases added to ``rate`` of the non-empty texts of ``column``
    (one or two phrases each, in the text's language); returns the copy and the phrases used."""
    bank = phrases(side, half)
    out, used = frame.copy(), []
    values = []
    for v in frame[column].tolist():
        text = "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)
        if text.strip() and rng.random() < rate:
            lang = lang_of(text)
            for _ in range(rng.choice((1, 1, 2))):
                p = rng.choice(bank[lang])
                used.append(p)
                text = _add(text, p, lang, rng.choice(("end", "end", "clause", "start")))
        values.append(text or v)
    out[column] = values
    return out, used


def with_boilerplate(orgs: pd.DataFrame, projects: pd.DataFrame, half: str) -> tuple[pd.DataFrame, pd.DataFrame,
                                                                                     set[str]]:
    """The profiles with qualifier phrases of half ``half`` added to needs and offers (seed 15)."""
    rng = random.Random(f"{SEED}{half}")
    orgs, a = inject(orgs, "seeks", "need", half, rng)
    orgs, b = inject(orgs, "offers", "offer", half, rng)
    projects, c = inject(projects, "seeks", "need", half, rng)
    return orgs, projects, {*a, *b, *c}


# ---------------------------------------------------------------------------------------------- sets
def _chained_embed(name: str, embedder: object) -> Callable[[Sequence[str], str], np.ndarray]:
    """Vectors from the eval set's own cache (read-only), else encoded once and kept in
    ``bench/results/boilerplate_<set>.duckdb``."""
    own = Store(ROOT / "results" / f"eval_{name}.duckdb", read_only=True)
    mine = EmbeddingCache(Store(ROOT / "results" / f"boilerplate_{name}.duckdb"), embedder)  # type: ignore[arg-type]
    model = embedder.model_id  # type: ignore[attr-defined]

    def embed(texts: Sequence[str], role: str) -> np.ndarray:
        keys = [text_key(t, role) for t in texts]
        found = own.get_vectors(model, keys)
        missing = [t for t, k in zip(texts, keys, strict=True) if k not in found]
        if missing:
            found.update(zip((text_key(t, role) for t in missing), mine.vectors(missing, role), strict=True))
        if not keys:
            return np.zeros((0, embedder.dim), np.float32)  # type: ignore[attr-defined]
        return np.vstack([found[k] for k in keys]).astype(np.float32)

    return embed


def load(name: str, objects: bool) -> tuple[MatchIndex, pd.DataFrame, set[str]]:
    """The index of set ``name`` (``dev+bpA``: dev with half A of the phrases), its labels, and the
    phrases injected (empty for the sets as written)."""
    base, _, half = name.partition("+bp")
    index, labels, embedder = load_set(base, None)
    if not half and objects == getattr(index, "objects", True):
        return index, labels, set()
    store = Store(ROOT / "results" / f"eval_{base}.duckdb", read_only=True)
    orgs, projects = store.profiles("organisations"), store.profiles("projects")
    store.close()
    used: set[str] = set()
    if half:
        orgs, projects, used = with_boilerplate(orgs, projects, half)
    kwargs = {} if objects else {"objects": False}
    return MatchIndex(orgs, projects, _chained_embed(base, embedder), model_id=embedder.model_id, **kwargs), \
        labels, used


# ---------------------------------------------------------------------------------------------- measures
_PUNCT = re.compile(r"[\s，,。.；;:：、!！?？()（）\-–]+")


def injected_only(text: str, used: set[str]) -> bool:
    """Nothing but injected phrases (and punctuation) is left of ``text``."""
    rest = text
    for p in sorted(used, key=len, reverse=True):
        rest = rest.replace(p, " ").replace(_cap(p), " ")
    return not _PUNCT.sub("", rest)


def need_chains(name: str, index: MatchIndex, labels: pd.DataFrame) -> tuple[dict[str, set[str]], dict[str, str]]:
    """Per query, the chains its needs belong to, and per party its own chain: from the set's hidden
    tags (``entities.csv``: ``seek_items`` and ``chain``) where present, else the labelled items and the
    industry code."""
    folder = SETS[name.partition("+bp")[0]]
    ent = pd.read_csv(folder / "entities.csv", dtype=str).fillna("") if (folder / "entities.csv").exists() else None
    chain_of_item = lambda item: item.split("-")[1] if item.startswith(("CAP-", "OPP-")) else item.split("-")[0]  # noqa: E731
    needs: dict[str, set[str]] = {}
    own: dict[str, str] = {}
    if ent is not None and {"id", "chain", "seek_items"} <= set(ent.columns):
        for pid, chain, seeks in zip(ent["id"], ent["chain"], ent["seek_items"], strict=True):
            own[pid] = chain
            needs[pid] = {chain_of_item(s) for s in seeks.split(";") if s}
    for q, item in zip(labels.query_id, labels.get("item_id", pd.Series([""] * len(labels))), strict=True):
        if isinstance(item, str) and item:
            needs.setdefault(q, set()).add(chain_of_item(item))
    for pid, code in zip(index.parties.pid, index.parties.industry_code, strict=True):
        own.setdefault(pid, chain_of_code(code))
    # and the chains of the partners the labels name for it
    for q, c in zip(labels.query_id, labels.candidate_id, strict=True):
        if own.get(c):
            needs.setdefault(q, set()).add(own[c])
    return needs, own


def split_quality(index: MatchIndex, used: set[str]) -> dict[str, float]:
    """How the split read the clauses of a set with injected phrases: the share of injected clauses it
    took for qualifiers, and the share of the profiles' own clauses it took for qualifiers (many of which
    are qualifiers too: volumes, lead times, budgets)."""
    from matchmaking.matching.objects import clauses

    low = [p.lower() for p in used]
    hit = miss = own_q = own = 0
    for st in (index.needs, index.offers):
        for text, quals in zip(st.text, st.qualifiers, strict=True):
            q = set(quals)
            for c in clauses(text):
                if any(c.lower() in p for p in low):
                    hit += c in q
                    miss += c not in q
                else:
                    own_q += c in q
                    own += 1
    return {"split: injected clauses read as qualifiers": hit / max(hit + miss, 1),
            "split: own clauses read as qualifiers": own_q / max(own, 1)}


def run(index: MatchIndex, config: MatchConfig, labels: pd.DataFrame, name: str, used: set[str],
        judge: Callable[[str, str], bool]) -> dict[str, float]:
    """Every measure of one engine on one set."""
    queries = sorted(set(labels.query_id) & set(index.id_to_row))
    matches = Matcher(index, config).match_many(queries, top_k=DEPTH)
    ranking = {q: [m.candidate_id for m in ms] for q, ms in matches.items()}
    relevant = {q: set(g.candidate_id) for q, g in labels.groupby("query_id")}
    chains_needed, own_chain = need_chains(name, index, labels)
    slots = bp = irrelevant = off = bp_irrelevant = judged = 0
    for q, ms in matches.items():
        for m in ms[:10]:
            slots += 1
            lead = next((p for p in m.parts if p.signal in ("dense", "sparse", "concept")), None)
            is_bp = lead is not None and judge(lead.evidence.get("need_statement", lead.evidence.get("need", "")), "need") \
                and judge(lead.evidence.get("offer_statement", lead.evidence.get("offer", "")), "offer")
            bp += is_bp
            if m.candidate_id not in relevant.get(q, ()):
                irrelevant += 1
                bp_irrelevant += is_bp
                known = chains_needed.get(q, set())
                judged += bool(known)
                off += bool(known) and own_chain.get(m.candidate_id, "") not in known
    out = {"slots": slots, "boilerplate share": bp / max(slots, 1),
           "boilerplate share of irrelevant": bp_irrelevant / max(irrelevant, 1),
           "irrelevant share": irrelevant / max(slots, 1), "off-chain share of irrelevant": off / max(judged, 1)}
    for sl, vals in metrics(ranking, labels, index).items():
        out[f"nDCG@10 {sl}"] = vals["nDCG@10"]
        out[f"recall@10 {sl}"] = vals["recall@10"]
    for k, v in pair_recall(ranking, labels, index).items():
        if not k.startswith("n "):
            out[f"pair recall {k}"] = v
    if used:
        out.update(split_quality(index, used))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="dev,dev+bpA,dev+bpB,heldout")
    ap.add_argument("--variants", default="before,after")
    args = ap.parse_args(argv)
    load_embedder()  # fail early when the model is missing
    for name in args.sets.split(","):
        cols = {}
        judge = None
        for v in sorted(args.variants.split(","), key=lambda v: v != "after"):  # the split judges both
            t = time.time()
            index, labels, used = load(name, objects=v == "after")
            if judge is None:
                judge = (lambda text, side, used=used: injected_only(text, used)) if used else judge_of(index)
            cols[v] = run(index, MatchConfig(), labels, name, used, judge)
            print(f"  {name} {v}: {time.time() - t:.1f}s", file=sys.stderr)
        table = pd.DataFrame(cols)[[v for v in args.variants.split(",")]]
        if {"before", "after"} <= set(cols):
            table["after/before"] = table["after"] / table["before"].replace(0, np.nan)
        print(f"\n== {name}")
        print(table.round(3).to_string())
    return 0


def judge_of(index: MatchIndex) -> Callable[[str, str], bool]:
    """The engine's own split as the judge: a statement is a qualifier statement when it names no object."""
    bare = {"need": {t for t, h in zip(index.needs.text, index.needs.has_object, strict=True) if not h},
            "offer": {t for t, h in zip(index.offers.text, index.offers.has_object, strict=True) if not h}}
    return lambda text, side: text in bare[side]


if __name__ == "__main__":
    sys.exit(main())
