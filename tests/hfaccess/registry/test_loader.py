"""The registry refuses every malformed input with `<file>: <field>: <reason>`, all at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from hfaccess.registry.errors import InvalidInput
from hfaccess.registry.loader import load_registry
from hfaccess.registry.models import ClusterRole, CredentialKind, ExposureVia, InstallMode
from tests.support.files import REPO, customer, write_customer


def errors_of(directory: Path) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        load_registry(directory)
    return [str(e) for e in caught.value.errors]


def test_samples_load_with_defaults() -> None:
    registry = load_registry(REPO / "customers")
    assert [c.name for c in registry.customers] == ["acme", "globex"]
    acme = registry.customer("acme")
    assert acme.environments["prod"].cluster_role is ClusterRole.HIGHFLAME_SRE
    assert acme.environments["prod"].install is InstallMode.MANAGED
    assert acme.environments["prod"].credentials is CredentialKind.OAUTH
    assert acme.environments["dev"].cluster_role is ClusterRole.VIEW
    globex = registry.customer("globex").environments["prod"]
    assert globex.install is InstallMode.HANDOFF
    assert globex.exposures["studio"].via is ExposureVia.INGRESS
    assert globex.exposures["studio"].tailnet_port == 443
    assert registry.stack_names() == ["tailnet", "acme-dev", "acme-prod", "globex-prod"]


def test_null_environment_means_defaults(tmp_path: Path) -> None:
    write_customer(tmp_path, "acme", "name: acme\nenvironments:\n  prod:\n")
    env = load_registry(tmp_path).customer("acme").environments["prod"]
    assert env.cluster_role is ClusterRole.HIGHFLAME_SRE


@pytest.mark.parametrize(
    ("name", "body", "expected"),
    [
        ("Acme", customer("Acme"), "Acme.yaml: name: must be lowercase letters"),
        ("acme", customer("acme2"), "acme.yaml: name: must equal the file name 'acme'"),
        (
            "acme",
            {"name": "acme", "environments": {"prod": {"cluster_role": "admin"}}},
            "acme.yaml: environments.prod.cluster_role: must be one of 'highflame-sre', 'view'",
        ),
        (
            "acme",
            {"name": "acme", "environments": {"prod": {"cluster_rol": "view"}}},
            "acme.yaml: environments.prod.cluster_rol: unknown field (did you mean 'cluster_role'?)",
        ),
        (
            "acme",
            {"name": "acme", "environment": {"prod": {}}},
            "acme.yaml: environment: unknown field (did you mean 'environments'?)",
        ),
        ("acme", {"name": "acme"}, "acme.yaml: environments: required field is missing"),
        (
            "acme",
            {"name": "acme", "environments": {}},
            "acme.yaml: environments: must have at least one entry",
        ),
        ("acme", "name: acme\nenvironments: [prod\n", "acme.yaml: (document): not valid YAML"),
        ("acme", "", "acme.yaml: (document): the file is empty"),
        ("acme", "# only a comment\n", "acme.yaml: (document): the file is empty"),
        (
            "acme",
            "- acme\n- prod\n",
            "acme.yaml: (document): expected a mapping at the top level, got a list",
        ),
        (
            "acme",
            "just a string\n",
            "acme.yaml: (document): expected a mapping at the top level, got a string",
        ),
        ("acme", b"\x89PNG\r\n\x1a\n\x00\x00", "acme.yaml: (document): not a text file"),
        ("acme", b"name: \xff\xfe\n", "acme.yaml: (document): not UTF-8 text"),
        (
            "acme",
            "name: acme\nenvironments:\n  prod: {}\n  prod: {cluster_role: cluster-admin}\n",
            "acme.yaml: (document): not valid YAML: found duplicate key",
        ),
        ("a" * 33, customer("a" * 33), "at most 32 characters"),
        ("acme-", customer("acme-"), "not end with a hyphen"),
        ("1acme", customer("1acme"), "start with a letter"),
        (
            "acme",
            {"name": "acme", "environments": {"Prod": {}}},
            "acme.yaml: environments.Prod: environment names are lowercase letters and digits",
        ),
        (
            "acme",
            {"name": "acme", "environments": {"production123": {}}},
            "acme.yaml: environments.production123: environment names",
        ),
        (
            "acme",
            {"name": "acme", "environments": {"pr-od": {}}},
            "acme.yaml: environments.pr-od: environment names",
        ),
        (
            "acme",
            {"name": "acme", "environments": {"prod": "view"}},
            "acme.yaml: environments.prod: expected a mapping, got a string",
        ),
        (
            "acme",
            {"name": "acme", "environments": {"prod": {}}, "revoked": "maybe"},
            "acme.yaml: revoked: ",
        ),
        (
            "acme",
            {"name": "acme", "environments": {"prod": {"credentials": "federated"}}},
            "acme.yaml: environments.prod: credentials: federated needs oidc_issuer",
        ),
        (
            "acme",
            {
                "name": "acme",
                "environments": {
                    "prod": {"credentials": "federated", "oidc_issuer": "http://insecure.example"}
                },
            },
            "acme.yaml: environments.prod.oidc_issuer: must be an https:// URL",
        ),
        (
            "acme",
            {
                "name": "acme",
                "environments": {
                    "prod": {"exposures": {"kube": {"namespace": "a", "service": "b", "port": 80}}}
                },
            },
            "acme.yaml: environments.prod.exposures.kube: 'kube' is reserved",
        ),
        (
            "acme",
            {
                "name": "acme",
                "environments": {
                    "prod": {"exposures": {"studio": {"namespace": "a", "service": "b", "port": 0}}}
                },
            },
            "acme.yaml: environments.prod.exposures.studio.port: input should be greater than or equal to 1",
        ),
        (
            "acme",
            {
                "name": "acme",
                "environments": {
                    "prod": {
                        "exposures": {
                            "studio": {
                                "namespace": "a",
                                "service": "b",
                                "port": 80,
                                "via": "nodeport",
                            }
                        }
                    }
                },
            },
            "acme.yaml: environments.prod.exposures.studio.via: must be one of 'ingress' or 'service' (got 'nodeport')",
        ),
    ],
)
def test_malformed_customer_is_refused_naming_file_and_field(
    tmp_path: Path, name: str, body: object, expected: str
) -> None:
    write_customer(tmp_path, name, body)
    errors = errors_of(tmp_path)
    assert any(expected in line for line in errors), errors
    assert all(line.startswith(f"{tmp_path.as_posix()}/") for line in errors)


def test_every_error_of_a_run_is_reported_at_once(tmp_path: Path) -> None:
    write_customer(
        tmp_path,
        "acme",
        {"name": "acme", "environments": {"prod": {"cluster_role": "x", "typo": 1}}},
    )
    write_customer(tmp_path, "globex", "")
    write_customer(tmp_path, "initech", customer("initech"))
    errors = errors_of(tmp_path)
    assert len(errors) == 3
    assert any("acme.yaml: environments.prod.cluster_role" in e for e in errors)
    assert any("acme.yaml: environments.prod.typo: unknown field" in e for e in errors)
    assert any("globex.yaml: (document): the file is empty" in e for e in errors)


def test_yml_extension_is_refused(tmp_path: Path) -> None:
    (tmp_path / "acme.yml").write_text("name: acme\nenvironments: {prod: {}}\n")
    assert errors_of(tmp_path) == [
        f"{tmp_path.as_posix()}/acme.yml: (document): customer files end in .yaml, not .yml"
    ]


def test_operator_tag_takeover_is_refused_as_a_reserved_name(tmp_path: Path) -> None:
    # tag:k8s-<operator-acme> == tag:k8s-operator-<acme>: refused even before acme registers.
    write_customer(tmp_path, "operator-acme", customer("operator-acme"))
    errors = errors_of(tmp_path)
    assert any(
        e.startswith(f"{tmp_path.as_posix()}/operator-acme.yaml: name: 'operator-acme' is reserved")
        and "tag:k8s-operator-acme" in e
        for e in errors
    ), errors


def test_hostname_collision_between_customers_is_refused(tmp_path: Path) -> None:
    # acme's exposure `studio-kube` in prod -> acme-prod-studio-kube, the operator host of
    # customer acme-prod's environment `studio`.
    write_customer(
        tmp_path,
        "acme",
        {
            "name": "acme",
            "environments": {
                "prod": {
                    "exposures": {"studio-kube": {"namespace": "a", "service": "b", "port": 80}}
                }
            },
        },
    )
    write_customer(tmp_path, "acme-prod", customer("acme-prod", "studio"))
    errors = errors_of(tmp_path)
    assert any("hostname 'acme-prod-studio-kube'" in e and "acme-prod.yaml" in e for e in errors)


def test_overlong_exposure_hostname_is_refused(tmp_path: Path) -> None:
    name = "c" * 32
    write_customer(
        tmp_path,
        name,
        {
            "name": name,
            "environments": {
                "production12": {
                    "exposures": {"s" * 20: {"namespace": "a", "service": "b", "port": 80}}
                }
            },
        },
    )
    errors = errors_of(tmp_path)
    assert any("longer than 63 characters" in e for e in errors)


def test_missing_directory_is_an_error(tmp_path: Path) -> None:
    assert errors_of(tmp_path / "nope") == [
        f"{(tmp_path / 'nope').as_posix()}: (document): not a directory"
    ]
