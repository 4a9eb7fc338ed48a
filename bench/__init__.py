"""Benchmarks and their inputs, run on demand (never in the timed unit tests)."""
