"""Helpers shared by the matching benchmarks: synthetic data, scoring of verdicts, reports."""
