"""Benchmarks of orgmodel, each against the floor set by the libraries it stands on.

Run ``python -m benchmarks`` (``--quick`` for small sizes, ``--only NAME`` for one benchmark).
It prints a table and writes ``benchmarks/results/latest.json``; ``docs/performance.md`` holds
the latest table and how it was measured. :mod:`benchmarks.synthetic` makes the snapshot folders
of any size that the benchmarks read.
"""
