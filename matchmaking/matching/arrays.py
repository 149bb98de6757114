"""Small array routines the matcher's hot path is built from: top-k of sparse rows, a max per group of
columns, concatenated ranges, and a few rows of two sparse matrices multiplied. The two called once per
query with hundreds of cells each (``group_max``, ``rows_dots``) are compiled loops (numba): as numpy,
their time was the fixed cost of a dozen calls each, not the arithmetic."""

from __future__ import annotations

import numba
import numpy as np
import scipy.sparse as sp

__all__ = ["TIE", "TIE_DECIMALS", "csr_topk", "first_best", "group_max", "ranges", "rows_dot", "rows_dots"]

#: Scores this close are ties: float32 sums added in another order (another CPU's kernels) differ by ~1e-7,
#: and that must never decide a match's rank, nor which need or statement it is about. Where scores are
#: sorted, they are rounded to ``TIE_DECIMALS`` decimals and equals keep their order (then by id).
TIE_DECIMALS = 6
TIE = 10.0 ** -TIE_DECIMALS


def csr_topk(m: sp.csr_matrix, k: int) -> list[np.ndarray]:
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


def first_best(values: np.ndarray, axis: int) -> np.ndarray:
    """Along ``axis``, the position of the first value within ``TIE`` of the max (``np.argmax`` where
    float32 noise does not decide between equals)."""
    return np.argmax(values >= values.max(axis=axis, keepdims=True) - TIE, axis=axis)


def group_max(values: np.ndarray, owner: np.ndarray, n_groups: int, tie: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Per group (``owner`` gives each column's group, ascending), the row-wise max and the first column
    within ``tie`` of it (-inf and -1 for a group with no column). ``values`` holds no NaN."""
    values = np.ascontiguousarray(values, dtype=np.float32)
    return _group_max(values, np.asarray(owner, np.int64), int(n_groups), np.float32(tie))


@numba.njit(cache=True)
def _group_max(values: np.ndarray, owner: np.ndarray, n_groups: int,
               tie: np.float32) -> tuple[np.ndarray, np.ndarray]:
    out = np.full((values.shape[0], n_groups), -np.inf, dtype=np.float32)
    arg = np.full((values.shape[0], n_groups), -1, dtype=np.int64)
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            g = owner[j]
            if arg[i, g] < 0 or values[i, j] > out[i, g]:
                out[i, g] = values[i, j]
                arg[i, g] = j
        if tie > 0:  # the first column within ``tie`` of its group's max
            for j in range(values.shape[1] - 1, -1, -1):
                g = owner[j]
                if values[i, j] >= out[i, g] - tie:
                    arg[i, g] = j
    return out, arg


def ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(start, start + length)`` for each pair, without a Python loop."""
    if not len(lengths) or not lengths.sum():
        return np.zeros(0, np.int64)
    offsets = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)  # start minus the lengths before it
    return offsets + np.arange(lengths.sum())


def rows_dot(A: sp.csr_matrix, a_rows: np.ndarray, B: sp.csr_matrix, b_rows: np.ndarray) -> np.ndarray:
    """Dense ``A[a_rows] @ B[b_rows].T`` for a few rows of A and B, computed on the raw CSR arrays (scipy's
    fancy row indexing and product cost far more than the arithmetic at this size)."""
    return rows_dots(A, a_rows, B, b_rows, (0, A.shape[1]))[0]


def rows_dots(A: sp.csr_matrix, a_rows: np.ndarray, B: sp.csr_matrix, b_rows: np.ndarray,
              bounds: tuple[int, ...]) -> list[np.ndarray]:
    """``rows_dot`` of each block of columns ``bounds[i]:bounds[i + 1]`` of A and B (matrices stacked side
    by side, ``sp.hstack``): the products of several matrix pairs for the cost of reading the rows once.
    Each block's product is the one ``rows_dot`` gives for that pair alone, to the bit."""
    a_rows = np.asarray(a_rows, np.int64)
    b_rows = np.asarray(b_rows, np.int64)
    if len(a_rows) > len(b_rows):  # the side spread into a table is the small one
        return [m.T for m in rows_dots(B, b_rows, A, a_rows, bounds)]
    out = _rows_dots(A.indptr, A.indices, A.data, a_rows, B.indptr, B.indices, B.data, b_rows,
                     np.asarray(bounds, np.int64), A.shape[1])
    return list(out)


@numba.njit(cache=True)
def _rows_dots(a_ptr: np.ndarray, a_idx: np.ndarray, a_val: np.ndarray, a_rows: np.ndarray, b_ptr: np.ndarray,
               b_idx: np.ndarray, b_val: np.ndarray, b_rows: np.ndarray, bounds: np.ndarray,
               n_cols: int) -> np.ndarray:
    """A's few rows spread into a table (column × row), then each row of B read once, in its stored order,
    against all of them (so each block's sum adds the same products in the same order, alone or stacked).
    B's rows lie far apart in memory: reading each once is what counts."""
    blocks, na = len(bounds) - 1, len(a_rows)
    out = np.zeros((blocks, na, len(b_rows)), dtype=np.float32)
    table = np.zeros((n_cols, na), dtype=np.float32)
    for i in range(na):
        r = a_rows[i]
        for p in range(a_ptr[r], a_ptr[r + 1]):
            table[a_idx[p], i] = a_val[p]
    for j in range(len(b_rows)):
        s = b_rows[j]
        for p in range(b_ptr[s], b_ptr[s + 1]):
            c = b_idx[p]
            blk = 0
            while c >= bounds[blk + 1]:
                blk += 1
            v = b_val[p]
            for i in range(na):
                out[blk, i, j] += table[c, i] * v
    return out
