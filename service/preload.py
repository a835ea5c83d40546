"""Imported once by the forkserver of the analysis processes, before it forks them: the pipeline's models are
loaded here, so each process starts with them in memory (shared copy-on-write), and a process that replaces one
killed at its time limit is warm at once."""

from service.worker import warm_up

warm_up()
