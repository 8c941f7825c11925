"""The pack's hardened-install policy judges the Release the core builds, and its departures."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from components.cluster_install import POST_RENDER_ROOT
from hfaccess.install import hardening, impersonation
from hfaccess.install.values import helm_values, placeholder_credential
from highflame_policies import limits
from highflame_policies.hardening import hardening_violations, validate_release_hardened
from tests.guardrails.support import RELEASE, UNKNOWN, release_props, resource_args, violations
from tests.support.samples import sample_refs


def _core_props() -> dict[str, Any]:
    ref = sample_refs()["acme-prod"]
    values = helm_values(ref, placeholder_credential(ref.environment.credentials))
    postrender = (POST_RENDER_ROOT / ref.stack / impersonation.POST_RENDER_SCRIPT).as_posix()
    return release_props(values=values, postrender=postrender)


def test_the_core_release_is_hardened() -> None:
    assert hardening_violations(_core_props()) == []
    assert violations(validate_release_hardened, resource_args(RELEASE, _core_props())) == []


def test_limits_equal_the_core() -> None:
    for key, wanted in limits.HARDENED_SECURITY_CONTEXT.items():
        assert hardening.CONTAINER_SECURITY_CONTEXT[key] == wanted
    assert hardening.CONTAINER_SECURITY_CONTEXT["seccompProfile"] == {
        "type": limits.HARDENED_SECCOMP
    }
    assert limits.PROXY_CLASS_NAME == hardening.PROXY_CLASS_NAME
    assert limits.POST_RENDER_SCRIPT == impersonation.POST_RENDER_SCRIPT


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("securityContext", "runAsNonRoot"), False, "runAsNonRoot"),
        (("securityContext", "allowPrivilegeEscalation"), True, "allowPrivilegeEscalation"),
        (("securityContext", "readOnlyRootFilesystem"), False, "readOnlyRootFilesystem"),
        (("securityContext", "capabilities"), {"drop": ["NET_RAW"]}, "capabilities.drop"),
        (("securityContext", "seccompProfile"), {"type": "Unconfined"}, "seccompProfile"),
        (("resources",), {}, "resources.requests.cpu"),
    ],
)
def test_departures_are_violations(path: tuple[str, ...], value: Any, expected: str) -> None:
    props = copy.deepcopy(_core_props())
    node = props["values"]["operatorConfig"]
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    assert any(expected in v for v in hardening_violations(props))


def test_missing_post_renderer_or_proxy_class_is_a_violation() -> None:
    props = _core_props()
    del props["postrender"]
    assert any("postrender" in v for v in hardening_violations(props))
    props = copy.deepcopy(_core_props())
    props["values"]["proxyConfig"]["defaultProxyClass"] = ""
    assert any("defaultProxyClass" in v for v in hardening_violations(props))


def test_unknown_values_wait_for_up() -> None:
    props = copy.deepcopy(_core_props())
    props["postrender"] = UNKNOWN
    props["values"]["operatorConfig"]["securityContext"]["runAsNonRoot"] = UNKNOWN
    assert hardening_violations(props) == []
