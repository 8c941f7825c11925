"""Highflame access guardrails as CrossGuard policies, importable and testable without Pulumi.

Self-contained on purpose: the pack runs in its own virtualenv (guardrails/venv), so it cannot
import `hfaccess`. The values it pins and forbids are repeated here, and a test in the main
suite keeps them equal to the core's.
"""
