"""Small array routines the matcher's hot path is built from: top-k of sparse rows, a max per group of
columns, concatenated ranges, and a few rows of two sparse matrices multiplied. Pure numpy/scipy."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

__all__ = ["csr_topk", "group_max", "ranges", "rows_dot", "rows_dots"]


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


def group_max(values: np.ndarray, owner: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Per group (``owner`` gives each column's group, ascending), the row-wise max and its column."""
    out = np.full((values.shape[0], n_groups), -np.inf, dtype=np.float32)
    arg = np.full((values.shape[0], n_groups), -1, dtype=np.int64)
    if values.shape[1] == 0:
        return out, arg
    change = np.ones(len(owner), bool)  # (np.r_ costs tens of microseconds a call: this is the hot path)
    np.not_equal(owner[1:], owner[:-1], out=change[1:])
    starts = np.flatnonzero(change)
    groups = owner[starts]
    red = np.maximum.reduceat(values, starts, axis=1)
    out[:, groups] = red
    lengths = np.diff(starts, append=values.shape[1])
    hit = values >= np.repeat(red, lengths, axis=1)
    cols = np.where(hit, np.arange(values.shape[1])[None, :], np.iinfo(np.int64).max)
    first = np.minimum.reduceat(cols, starts, axis=1)
    arg[:, groups] = np.where(first == np.iinfo(np.int64).max, -1, first)
    return out, arg


def ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(start, start + length)`` for each pair, without a Python loop."""
    if not len(lengths) or not lengths.sum():
        return np.zeros(0, np.int64)
    offsets = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)  # start minus the lengths before it
    return offsets + np.arange(lengths.sum())


def rows_dot(A: sp.csr_matrix, a_rows: np.ndarray, B: sp.csr_matrix, b_rows: np.ndarray) -> np.ndarray:
    """Dense ``A[a_rows] @ B[b_rows].T`` for a few rows of A, computed on the raw CSR arrays over the
    union of A's columns (scipy's fancy row indexing costs far more at this size)."""
    return rows_dots(A, a_rows, B, b_rows, (0, A.shape[1]))[0]


def rows_dots(A: sp.csr_matrix, a_rows: np.ndarray, B: sp.csr_matrix, b_rows: np.ndarray,
              bounds: tuple[int, ...]) -> list[np.ndarray]:
    """``rows_dot`` of each block of columns ``bounds[i]:bounds[i + 1]`` of A and B (matrices stacked side
    by side, ``sp.hstack``): the products of several matrix pairs for the cost of gathering the rows once.
    Each block's product is the one ``rows_dot`` gives for that pair alone, to the bit."""
    a_rows = np.asarray(a_rows, np.int64)
    b_rows = np.asarray(b_rows, np.int64)
    if len(a_rows) > len(b_rows):  # the dense side must be the small one
        return [m.T for m in rows_dots(B, b_rows, A, a_rows, bounds)]
    blocks = len(bounds) - 1
    a_len = A.indptr[a_rows + 1] - A.indptr[a_rows]
    a_pos = ranges(A.indptr[a_rows], a_len)
    b_len = B.indptr[b_rows + 1] - B.indptr[b_rows]
    b_pos = ranges(B.indptr[b_rows], b_len)
    if not len(a_pos) or not len(b_pos):
        return [np.zeros((len(a_rows), len(b_rows)), np.float32) for _ in range(blocks)]
    U, inv = np.unique(A.indices[a_pos], return_inverse=True)
    Ad = np.zeros((len(a_rows), len(U)), np.float32)
    Ad[np.repeat(np.arange(len(a_rows)), a_len), inv] = A.data[a_pos]
    # each of B's columns → its position in U (-1: not in U), by a lookup table over B's columns: a gather
    # where a binary search of every stored value cost a third of the call
    lut = np.full(B.shape[1], -1, np.int64)
    lut[U] = np.arange(len(U))
    j = lut[B.indices[b_pos]]
    hit = j >= 0
    Bd = np.zeros((len(b_rows), len(U)), np.float32)
    Bd[np.repeat(np.arange(len(b_rows)), b_len)[hit], j[hit]] = B.data[b_pos][hit]
    if blocks == 1:
        return [Ad @ Bd.T]
    cut = np.searchsorted(U, bounds)  # U is sorted: each block of columns is a run of it
    return [np.ascontiguousarray(Ad[:, a:b]) @ np.ascontiguousarray(Bd[:, a:b]).T
            for a, b in zip(cut[:-1], cut[1:], strict=True)]
