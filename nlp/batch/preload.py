"""Imported once by the forkserver before it forks the batch's worker processes: loading the models here
means every worker starts with them already in memory (shared copy-on-write), instead of each worker
paying the cold start (``import nlp`` and underthesea's models, about a second) on its first file."""

from nlp.batch.worker import warm_up

warm_up(encoder=False)
