"""Benchmarks: figures printed against budgets, never asserted as timed tests."""
