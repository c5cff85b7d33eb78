"""Benchmarks of orgmodel, each against the floor set by the libraries it stands on.

Run ``python -m benchmarks`` (``--quick`` for small sizes, ``--only NAME`` for one benchmark).
It prints a table and writes ``benchmarks/results/latest.json``; ``docs/performance.md`` holds
the latest table and how it was measured. :mod:`benchmarks.synthetic` makes the snapshot folders
of any size that the benchmarks read. :mod:`benchmarks.events_quality` scores the events on random
histories with known ground truth (:mod:`benchmarks.reorgs`), beside Asur et al.'s events
(:mod:`benchmarks.asur`); ``python -m benchmarks.events_quality`` prints its tables.
"""
