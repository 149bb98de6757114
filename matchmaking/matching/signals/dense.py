"""语义相似 semantic similarity: multilingual sentence embeddings of a need (as *query*) and an offer (as
*passage*), made comparable across languages.

Raw multilingual similarities put every same-language pair above every cross-language one, so each
similarity is standardised against unrelated pairs of the same language pair (``z``: how far above
'nothing in common'), then squashed to [0, 1] by a logistic centred at ``MatchConfig.dense_z0``.
Retrieval multiplies a block of needs by all offers at once (bf16 where the CPU has bf16 instructions),
with the calibration folded into the offer matrix.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

import numba
import numpy as np

from ...embedding import cpu_has_bf16
from ..relations import INTENTS, ORG_TYPES
from .base import StatementChannel

__all__ = ["Dense", "language_stats"]

_OPP = INTENTS.index("opportunity")
_CAPITAL = INTENTS.index("capital")
_INVESTOR = ORG_TYPES.index("investor")


def language_stats(need_vecs: np.ndarray, need_lang: np.ndarray, need_text: list[str], offer_vecs: np.ndarray,
                   offer_lang: np.ndarray, offer_text: list[str], sample: int = 400) -> np.ndarray:
    """Median and spread of dense similarity of need/offer statements, per language pair: shape (2, 2, 2)
    as [need lang, offer lang, (mu, sigma)]. Almost all sampled pairs are unrelated, so this is the
    'nothing in common' level that a real match must rise above. The sample is chosen by a hash of the
    text, not by position, so the order profiles arrive in changes nothing."""

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


@dataclass
class _State:
    lang_stats: np.ndarray  # [need lang, offer lang, (mu, sigma)]
    torch_dtype: Any
    offer_inv_sigma: np.ndarray  # [need language, offer row]: 1 / sigma of the language pair
    offer_mu_sigma: np.ndarray  # [need language, offer row]: mu / sigma
    offer_scaled: list[Any]  # per need language: offers / sigma, transposed, in torch_dtype
    offer_bias: list[dict[str, Any]]  # per need language and pool (see ``_POOLS``): mu / sigma, +inf if barred


class Dense(StatementChannel):
    name = "dense"
    label_zh = "语义相似"
    label_en = "semantic similarity"

    def build(self, index: Any) -> _State:
        """Calibration folded into the matrices: z = need · (offer / σ) − μ / σ, per need language; a
        column a need may not look at (pitches for ordinary needs; for deal-seeking needs, offers of anyone not
        raising capital) gets
        a bias of +inf so that it never ranks."""
        import torch

        # the level of unrelated pairs, over statements that name an object (what matching compares)
        hn, ho = np.flatnonzero(index.needs.has_object), np.flatnonzero(index.offers.has_object)
        st = language_stats(index.need_vecs[hn], index.needs.lang[hn], [index.needs.object[i] for i in hn],
                            index.offer_vecs[ho], index.offers.lang[ho], [index.offers.object[i] for i in ho])
        torch_dtype = torch.bfloat16 if cpu_has_bf16() else torch.float32
        olang = index.offers.lang.astype(np.int64)
        scaled_all, bias_all = [], []
        for lq in (0, 1):
            mu, sg = st[lq, olang, 0], st[lq, olang, 1]
            scaled = (index.offer_vecs / sg[:, None]).astype(np.float32)
            # stored transposed and contiguous: a need block times it reads memory in order (a third faster
            # for a single query at 200k offers than multiplying by a transposed view)
            scaled_all.append(torch.from_numpy(scaled).to(torch_dtype).T.contiguous())
            bias = np.where(index.offers.has_object, mu / sg, np.inf).astype(np.float32)
            investor = index.org_type[index.offers.party] == _INVESTOR
            bias_all.append({
                "needs": torch.from_numpy(np.where(index.offer_is_pitch, np.inf, bias).astype(np.float32)),
                "deals": torch.from_numpy(np.where(index.offer_for_deals, bias, np.inf).astype(np.float32)),
                "investors": torch.from_numpy(np.where(investor, bias, np.inf).astype(np.float32)),
            })
        return _State(
            lang_stats=st, torch_dtype=torch_dtype,
            offer_inv_sigma=np.stack([(1 / st[lq, olang, 1]).astype(np.float32) for lq in (0, 1)]),
            offer_mu_sigma=np.stack([(st[lq, olang, 0] / st[lq, olang, 1]).astype(np.float32) for lq in (0, 1)]),
            offer_scaled=scaled_all, offer_bias=bias_all)

    @staticmethod
    def z(index: Any, config: Any, sims: np.ndarray, need_lang: np.ndarray, offer_lang: np.ndarray) -> np.ndarray:
        """Dense similarity in units of 'how far above unrelated pairs of the same language pair'."""
        stats = index.dense.lang_stats
        st = stats if config.calibrate_languages else np.broadcast_to(stats.mean(axis=(0, 1)), (2, 2, 2))
        mu = st[need_lang[:, None], offer_lang[None, :], 0]
        sg = st[need_lang[:, None], offer_lang[None, :], 1]
        return (sims - mu) / sg

    def scores(self, index: Any, config: Any, need_rows: np.ndarray, offer_rows: np.ndarray) -> np.ndarray:
        d: _State = index.dense
        if config.calibrate_languages:
            inv_sigma, mu_sigma = d.offer_inv_sigma, d.offer_mu_sigma
        else:  # one level for every language pair (``z``): the ablation ``bench.eval_matching`` measures
            mu, sg = d.lang_stats.mean(axis=(0, 1))
            inv_sigma = np.full_like(d.offer_inv_sigma, 1 / sg)
            mu_sigma = np.full_like(d.offer_mu_sigma, mu / sg)
        return _calibrated(index.need_vecs, index.offer_vecs, np.asarray(need_rows, np.int64),
                           np.asarray(offer_rows, np.int64), index.needs.lang, inv_sigma, mu_sigma,
                           np.float32(config.dense_z0), np.float32(config.dense_scale))

    def retrieve(self, index: Any, config: Any, need_rows: np.ndarray, k: int, found: list[set[int]]) -> None:
        import torch

        d: _State = index.dense
        intent = index.needs.intent[need_rows]
        # the pools a need retrieves from: a deal-seeking need reads pitches and raising organisations; any
        # other need reads offers, and a capital need the investors' offers too (a small pool that a
        # need in another language would not reach in the top k of everyone's)
        pools = {"needs": intent != _OPP, "deals": intent == _OPP, "investors": intent == _CAPITAL}
        q = torch.from_numpy(np.ascontiguousarray(index.need_vecs[need_rows])).to(d.torch_dtype)
        lang = index.needs.lang[need_rows]
        for lq in (0, 1):  # one product per need language; the pools differ only in the bias
            in_lang = np.flatnonzero((lang == lq) & index.needs.has_object[need_rows])
            if not len(in_lang):
                continue
            if config.calibrate_languages:
                sims = q[in_lang] @ d.offer_scaled[lq]
            else:
                sims = q[in_lang] @ torch.from_numpy(index.offer_vecs).to(d.torch_dtype).T
            for pool, member in pools.items():
                part = np.flatnonzero(member[in_lang])
                if not len(part):
                    continue
                bias = d.offer_bias[lq][pool]
                if not config.calibrate_languages:
                    bias = torch.where(torch.isinf(bias), np.inf, 0.0)
                z = (sims if len(part) == len(in_lang) else sims[torch.from_numpy(part)]) - bias
                vals, top = torch.topk(z.float(), min(k, z.shape[1]), dim=1)
                vals, top = vals.numpy(), top.numpy()
                for i, row, v in zip(in_lang[part], top, vals, strict=True):
                    found[i].update(row[np.isfinite(v)].tolist())

    def retrieve_reverse(self, index: Any, config: Any, offer_rows: np.ndarray, k: int, found: set[int]) -> None:
        z = self.z(index, config, index.need_vecs @ index.offer_vecs[offer_rows].T, index.needs.lang,
                   index.offers.lang[offer_rows]).T
        z[:, (index.needs.intent == _OPP) | ~index.needs.has_object] = -np.inf
        top = np.argpartition(-z, k - 1, axis=1)[:, :k]
        found.update(top.ravel().tolist())


# the dot products may be summed in any order (as a BLAS kernel does, differently on each CPU): last bits only
@numba.njit(cache=True, fastmath={"reassoc", "nsz", "contract"})
def _calibrated(need_vecs: np.ndarray, offer_vecs: np.ndarray, need_rows: np.ndarray, offer_rows: np.ndarray,
                need_lang: np.ndarray, inv_sigma: np.ndarray, mu_sigma: np.ndarray, z0: np.float32,
                scale: np.float32) -> np.ndarray:
    """The calibrated value of need rows × offer rows, each offer vector read once (they lie far apart in
    memory) against the few need vectors: z = sim / σ − μ / σ of the pair's languages, then the logistic."""
    dim = need_vecs.shape[1]
    q = np.empty((len(need_rows), dim), np.float32)
    for i in range(len(need_rows)):
        q[i] = need_vecs[need_rows[i]]
    out = np.empty((len(need_rows), len(offer_rows)), np.float32)
    one = np.float32(1.0)
    for j in range(len(offer_rows)):
        o = offer_rows[j]
        for i in range(len(need_rows)):
            s = np.float32(0.0)
            for t in range(dim):
                s += q[i, t] * offer_vecs[o, t]
            lq = need_lang[need_rows[i]]
            z = s * inv_sigma[lq, o] - mu_sigma[lq, o]
            out[i, j] = one / (one + np.exp(-(z - z0) / scale))
    return out
