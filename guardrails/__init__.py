"""Marks `policy/` as a package so type checkers name its entry `policy.__main__`.

Pulumi never imports this file: it runs `policy/__main__.py` directly, with `policy/` first on
`sys.path`, so the pack's own modules import as `highflame_policies`.
"""
