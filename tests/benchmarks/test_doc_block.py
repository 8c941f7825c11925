"""docs/performance.md shows what `make bench` printed: the printout goes in verbatim between
markers, and the committed page holds a whole printout, every budget with its verdict."""

from __future__ import annotations

import re
from pathlib import Path

from benchmarks.run import DOC_BEGIN, DOC_END, write_into_doc
from tests.support.files import REPO

BUDGET_LINES = (
    r"^- render 1,000 / render 10 = [\d.]+ \(budget <= 3\): ",
    r"^- policy bytes per customer, worst \d+ \(budget <= 1200\): ",
    r"^- program / floor = [\d.]+ \(budget <= 1.5\): ",
    r"^- render --all 3,000 / render --all 1,000 = [\d.]+ \(budget <= 3.3\): ",
    r"^- render --all 10,000 customers \(\d+ stacks\): [\d.]+ s, [\d.]+ MiB ",
    r"^- kill of one 3-environment customer, 1000 customers, 50 ms per answer: ",
    r"^- fleet, 1000 customers, 50 ms per answer: ",
)


def test_the_printout_replaces_only_the_block(tmp_path: Path) -> None:
    doc = tmp_path / "performance.md"
    doc.write_text(f"before\n{DOC_BEGIN}\nold figures\n{DOC_END}\nafter\n", encoding="utf-8")
    write_into_doc(doc, ["machine: x", "- a budget line: within budget"])
    first = doc.read_text(encoding="utf-8")
    assert first.startswith("before\n")
    assert first.endswith(f"{DOC_END}\nafter\n")
    assert "old figures" not in first
    assert "```text\nmachine: x\n- a budget line: within budget\n```" in first
    write_into_doc(doc, ["machine: x", "- a budget line: within budget"])
    assert doc.read_text(encoding="utf-8") == first  # idempotent


def test_the_committed_page_holds_a_whole_printout() -> None:
    text = (REPO / "docs" / "performance.md").read_text(encoding="utf-8")
    block = text[text.index(DOC_BEGIN) : text.index(DOC_END)]
    assert re.search(r"^machine: x86_64, \d+ cores, Python [\d.]+; \d{4}-\d\d-\d\d", block, re.M)
    for pattern in BUDGET_LINES:
        line = re.search(pattern + r".*$", block, re.M)
        assert line, f"docs/performance.md: the printout lacks {pattern!r}"
        assert line.group(0).endswith(("within budget", "OVER BUDGET")), line.group(0)
