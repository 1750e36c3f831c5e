"""Benchmarks run by `make bench`: speed and memory, each measured in its own process."""
