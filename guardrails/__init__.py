"""Marks `guardrails/` as a package so type checkers name its entry `guardrails.__main__`.

Pulumi never imports this file: it runs `guardrails/__main__.py` directly, with `guardrails/` first on
`sys.path`, so the pack's own modules import as `highflame_policies`.
"""
