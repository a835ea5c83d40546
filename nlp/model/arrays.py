"""Sparse rows and TF-IDF with numpy only: what the shipped models need at prediction time, without scipy.

:class:`SparseRows` holds a matrix in compressed-row form (``indptr``, ``indices``, ``data``) and multiplies it
with dense weights the way scipy's CSR product does (each row's terms added one by one, in stored order), so the
results are bit-identical to the scikit-learn/scipy path the models were trained with. :func:`count_rows` and
:func:`count_flat` count features per row (columns sorted, as ``CountVectorizer``), and :func:`sublinear_l2`
reproduces ``TfidfTransformer`` with ``sublinear_tf=True`` and ``norm="l2"`` (``log(tf) + 1``, times idf, each row
divided by its l2 norm accumulated in column order, as scikit-learn's Cython loop does).

Vocabularies are plain text files, one feature a line, in column order (:func:`read_vocabulary`,
:func:`write_vocabulary`): loading 70,000 features is a split, not an unpickling.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class SparseRows:
    """A matrix in compressed-row form; column indices sorted within each row."""

    indptr: np.ndarray  # rows + 1 offsets into indices/data
    indices: np.ndarray
    data: np.ndarray
    n_columns: int

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.indptr) - 1, self.n_columns

    @classmethod
    def from_dense(cls, matrix: np.ndarray) -> SparseRows:
        """The non-zero entries of a dense 2-D array, row by row (as ``scipy.sparse.csr_matrix(matrix)``)."""
        rows, columns = np.nonzero(matrix)
        indptr = np.zeros(matrix.shape[0] + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=matrix.shape[0]), out=indptr[1:])
        return cls(indptr, columns.astype(np.int64), matrix[rows, columns], matrix.shape[1])

    @classmethod
    def hstack(cls, blocks: Sequence[SparseRows]) -> SparseRows:
        """Blocks side by side (same rows): each row holds the first block's entries, then the second's…"""
        n_rows = blocks[0].shape[0]
        dtype = np.result_type(*(b.data.dtype for b in blocks))
        row_ids, indices, data, offset = [], [], [], 0
        for block in blocks:
            row_ids.append(np.repeat(np.arange(n_rows), np.diff(block.indptr)))
            indices.append(block.indices + offset)
            data.append(block.data.astype(dtype))
            offset += block.n_columns
        rows = np.concatenate(row_ids)
        order = np.argsort(rows, kind="stable")  # by row, keeping block order within a row
        indptr = np.zeros(n_rows + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
        return cls(indptr, np.concatenate(indices)[order], np.concatenate(data)[order], offset)

    def dot(self, weights: np.ndarray) -> np.ndarray:
        """``self @ weights`` (weights: columns × outputs), each row summed term by term in stored order."""
        dtype = np.result_type(self.data.dtype, weights.dtype)
        terms = self.data.astype(dtype)[:, None] * weights[self.indices].astype(dtype)
        return row_sums(terms, self.indptr)

    def to_scipy(self):
        """The same matrix as ``scipy.sparse.csr_matrix`` (training and tests; imports scipy)."""
        from scipy import sparse

        return sparse.csr_matrix((self.data, self.indices, self.indptr), shape=self.shape)


def row_sums(values: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """The sum of each row's run of ``values`` (``values[indptr[i]:indptr[i + 1]]``), added one term after the
    other from zero: numpy's ``sum``/``reduceat`` add pairwise, which differs in the last bits from the C loops of
    scipy and scikit-learn; an accumulation does not."""
    out = np.zeros((len(indptr) - 1, *values.shape[1:]), dtype=values.dtype)
    edges = indptr.tolist()
    bounds = [(row, edges[row], edges[row + 1]) for row in range(len(edges) - 1)]
    if values.ndim == 2 and values.shape[1] > 1:
        # Reducing the outer axis of a C-ordered block adds its rows one after the other (the columns are the
        # inner loop), so no pairwise summation: the same bits as the accumulation, without its prefix array.
        values = np.ascontiguousarray(values)
        for row, start, end in bounds:
            if end > start:
                out[row] = np.add.reduce(values[start:end], axis=0)
        return out
    if values.ndim == 1 and values.dtype == np.float64:  # Python floats are float64: ``sum`` adds in order
        flat = values.tolist()
        for row, start, end in bounds:
            if end > start:
                out[row] = sum(flat[start + 1 : end], flat[start])
        return out
    accumulate = np.add.accumulate
    for row, start, end in bounds:
        if end > start:
            out[row] = accumulate(values[start:end], axis=0)[-1]
    return out


def count_rows(docs: Iterable[Iterable[int | None]], n_columns: int, dtype: type = np.float64) -> SparseRows:
    """Counts of the column ids of each document (``None``: a feature outside the vocabulary), columns sorted."""
    ids: list[int] = []
    lengths = []
    for doc in docs:
        found = [column for column in doc if column is not None]
        ids.extend(found)
        lengths.append(len(found))
    return count_flat(np.asarray(ids, dtype=np.int64), np.asarray(lengths, dtype=np.int64), n_columns, dtype)


def count_flat(ids: np.ndarray, lengths: np.ndarray, n_columns: int, dtype: type = np.float64) -> SparseRows:
    """Counts of column ids given as one array (``lengths``: how many belong to each document, in order)."""
    n_rows = len(lengths)
    keys = np.repeat(np.arange(n_rows, dtype=np.int64), lengths) * n_columns + ids
    keys.sort()
    if len(keys):
        first = np.empty(len(keys), dtype=bool)
        first[0] = True
        np.not_equal(keys[1:], keys[:-1], out=first[1:])
        starts = np.flatnonzero(first)
        unique = keys[starts]
        counts = np.diff(np.append(starts, len(keys)))
    else:
        unique = counts = np.zeros(0, dtype=np.int64)
    rows = unique // n_columns
    indptr = np.searchsorted(rows, np.arange(n_rows + 1, dtype=np.int64)).astype(np.int64)
    return SparseRows(indptr, unique - rows * n_columns, counts.astype(dtype), n_columns)


def sublinear_l2(counts: SparseRows, idf: np.ndarray) -> SparseRows:
    """scikit-learn's TF-IDF of counts (float64): ``(log(tf) + 1) * idf``, then each row over its l2 norm."""
    data = np.log(counts.data)
    data += 1.0
    data *= idf[counts.indices]
    norms = np.sqrt(row_sums(data * data, counts.indptr))
    data /= np.repeat(norms, np.diff(counts.indptr))
    return SparseRows(counts.indptr, counts.indices, data, counts.n_columns)


def read_vocabulary(path: Path) -> dict[str, int]:
    """Feature → column from a file written by :func:`write_vocabulary`."""
    features = path.read_text(encoding="utf-8").split("\n")
    return dict(zip(features, range(len(features)), strict=True))


def write_vocabulary(path: Path, features: Sequence[str]) -> None:
    """One feature a line, in column order (a feature may hold spaces, never a line break)."""
    if any("\n" in feature for feature in features):
        raise ValueError("a feature holds a line break")
    path.write_text("\n".join(features), encoding="utf-8")
