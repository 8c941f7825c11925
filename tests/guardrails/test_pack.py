"""The pack: every policy mandatory, the entry point thin, the pins and lists as documented."""

from __future__ import annotations

from pathlib import Path

import yaml
from pulumi_policy import EnforcementLevel, StackValidationPolicy

from highflame_policies import limits
from highflame_policies.pack import PACK_NAME, policies
from tests.support.files import REPO

POLICY_DIR = REPO / "guardrails"


def test_every_policy_is_mandatory_and_uniquely_named() -> None:
    built = policies()
    assert all(p.enforcement_level is EnforcementLevel.MANDATORY for p in built)
    names = [p.name for p in built]
    assert len(set(names)) == len(names) == 8
    assert sum(isinstance(p, StackValidationPolicy) for p in built) == 1


def test_pack_layout_is_what_pulumi_runs() -> None:
    settings = yaml.safe_load((POLICY_DIR / "PulumiPolicy.yaml").read_text())
    assert settings["runtime"]["name"] == "python"
    assert settings["runtime"]["options"]["virtualenv"] == "venv"
    main = (POLICY_DIR / "__main__.py").read_text()
    assert "from highflame_policies.pack import serve" in main
    assert len([line for line in main.splitlines() if line.strip()]) <= 4
    assert PACK_NAME == "highflame-access-guardrails"


def test_pack_requirements_are_pinned_like_the_project() -> None:
    def pins(path: Path) -> dict[str, str]:
        found = {}
        for line in path.read_text().splitlines():
            if "==" in line and not line.startswith("#"):
                name, version = line.split("==")
                found[name.strip()] = version.strip()
        return found

    pack, project = pins(POLICY_DIR / "requirements.txt"), pins(REPO / "requirements.txt")
    assert set(pack) == {"pulumi", "pulumi-policy", "PyYAML"}  # PyYAML: the break-glass check
    assert all(project[name] == version for name, version in pack.items())


def test_forbidden_lists_cover_the_reference() -> None:
    for resource in ("secrets", "certificatesigningrequests"):
        assert resource in limits.FORBIDDEN_RESOURCES
    for sub in ("pods/exec", "pods/attach", "pods/portforward", "pods/ephemeralcontainers"):
        assert sub in limits.FORBIDDEN_SUBRESOURCES
    assert "serviceaccounts/token" in limits.FORBIDDEN_SUBRESOURCES
    assert limits.FORBIDDEN_SUBRESOURCE_SUFFIXES == ("/proxy",)
    assert {"rbac.authorization.k8s.io", "*"} <= limits.FORBIDDEN_API_GROUPS
    assert {"escalate", "bind", "impersonate", "*"} <= limits.FORBIDDEN_VERBS
    assert limits.FORBIDDEN_VERBS.isdisjoint(limits.READ_VERBS)
    assert {"get", "list", "watch"} == limits.READ_VERBS
