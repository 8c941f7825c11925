"""Pulumi entry point: one program for every stack (`tailnet` and `<customer>-<env>`)."""

from pathlib import Path

from programs.stack import run

run(Path(__file__).resolve().parent)
