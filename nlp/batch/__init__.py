"""Batch scoring for organisers: every report of a district in, a ranked workbook and summaries out.

    >>> from nlp.batch import BatchOptions, run_batch
    >>> report = run_batch([Path("reports/")], Path("ket-qua/"), BatchOptions(jobs=2))
    >>> report.results, report.errors, report.groups

Modules: :mod:`~nlp.batch.discover` (folders, .zip archives), :mod:`~nlp.batch.links` (symbolic links
never lead out of the input), :mod:`~nlp.batch.worker` (one file → one row), :mod:`~nlp.batch.child` (a
killable analysing process for Dask workers), :mod:`~nlp.batch.store` (SQLite, resume),
:mod:`~nlp.batch.dedup` (MinHash/LSH copies), :mod:`~nlp.batch.reviews` (reviewers' decisions applied),
:mod:`~nlp.batch.stats` (units, kinds, quota),
:mod:`~nlp.batch.outputs` and :mod:`~nlp.batch.summary_html` (files), :mod:`~nlp.batch.engines` (process
pool, Dask), :mod:`~nlp.batch.runner` (the whole run).
See docs/BATCH.md.
"""

from __future__ import annotations

__all__ = ["BatchInterrupted", "BatchOptions", "BatchReport", "OutputFolderError", "Progress", "run_batch"]


def __getattr__(name: str):
    """Import the runner on first use, so that ``kiemdiem --help`` stays fast."""
    if name in __all__:
        from nlp.batch import runner

        return getattr(runner, name)
    raise AttributeError(name)
