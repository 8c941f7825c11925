"""Pulumi entry point: one program for every stack (`tailnet` and `<customer>-<env>`)."""

from pathlib import Path

from components.program import run

run(Path(__file__).resolve().parent)
