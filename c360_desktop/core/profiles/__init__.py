"""Unified profiles: summaries, golden records, timelines, metrics."""
