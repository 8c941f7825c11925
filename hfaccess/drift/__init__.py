"""Drift detection: preview every stack against the live world and say what differs."""
