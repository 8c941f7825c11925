"""The access map: deterministic bytes, every path drawn, nothing drawn for the revoked."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from hfaccess.registry.workspace import load_model
from hfaccess.report.model import build_site
from hfaccess.report.site import render_map
from hfaccess.report.svg import access_map
from tests.support.files import REPO
from tests.support.models import customer_doc, make_model
from tests.support.report_registry import write_report_registry

SVG = "{http://www.w3.org/2000/svg}"


def test_same_registry_same_bytes(tmp_path: Path) -> None:
    first = write_report_registry(tmp_path / "one", 30)
    second = write_report_registry(tmp_path / "two", 30)
    highflame = REPO / "tailnet" / "highflame.yaml"
    maps_one = [render_map(p) for p in build_site(load_model(first, highflame)).customers]
    maps_two = [render_map(p) for p in build_site(load_model(second, highflame)).customers]
    assert maps_one == maps_two
    assert len(set(maps_one)) == len(maps_one)  # and each customer's map is its own


def test_map_is_valid_svg_with_every_hop() -> None:
    model = make_model([customer_doc("acme", {"prod": {"cluster_role": "cluster-admin"}})])
    page = build_site(model).customers[0]
    root = ET.fromstring(render_map(page))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    for expected in (
        "alice@highflame.ai",
        "group:highflame-sre",
        "tcp:443",
        "tag:cust-acme",
        "acme-prod-kube",
        "group highflame-sre",
        "cluster-admin",
    ):
        assert expected in texts
    kinds = {g.get("class") for g in root.iter(f"{SVG}g")}
    assert "node role-admin" in kinds
    layout = access_map(page)
    # 2 engineers -> group, group -> grant -> tag -> host -> k8s group -> role
    assert len(layout.edges) == 7
    assert all(n.x >= 0 and n.x + n.width <= layout.width for n in layout.nodes)


def test_revoked_customer_map_shows_no_engineer() -> None:
    model = make_model([customer_doc("gone", revoked=True)])
    layout = access_map(build_site(model).customers[0])
    labels = [n.label for n in layout.nodes]
    assert "no engineer has access" in labels
    assert not any("@" in label for label in labels)
    assert not any(n.kind.startswith("role") for n in layout.nodes)


def test_same_bytes_across_processes_and_hash_seeds(tmp_path: Path) -> None:
    customers = write_report_registry(tmp_path / "customers", 12)
    script = (
        "import hashlib, sys; from pathlib import Path; "
        "from hfaccess.report.site import render_site; from hfaccess.registry.workspace import load_model; "
        "pages = render_site(load_model(Path(sys.argv[1]), Path(sys.argv[2]))); "
        "print(hashlib.sha256(repr(sorted(pages.items())).encode()).hexdigest())"
    )
    digests = set()
    for seed in ("1", "2"):
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                script,
                str(customers),
                str(REPO / "tailnet" / "highflame.yaml"),
            ],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        digests.add(result.stdout.strip())
    assert len(digests) == 1
