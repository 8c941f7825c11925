"""Stack settings: the deployment-only config a stack file holds, read and validated in one place.

Stack files never hold the access model (that is customers/*.yaml); they say where to deploy:
which tailnet, which cluster, which credentials. The Pulumi program and the CLI both pass the
raw `namespace:key -> value` mapping through `settings_from_config`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from hfaccess.registry import names
from hfaccess.registry.errors import DOCUMENT, InputError, InvalidInput
from hfaccess.registry.models import InstallMode
from hfaccess.registry.stacks import EnvironmentStack, StackRef, TailnetStack
from hfaccess.registry.validation import validate_document
from hfaccess.registry.yamlio import YamlReadError, load_yaml_file

PREFIX = f"{names.PROJECT}:"
DISABLE_DEFAULT_PROVIDERS = "pulumi:disable-default-providers"
SECRET_PLACEHOLDER = "<secret>"  # stands for an encrypted value the CLI cannot (and need not) read


class StackSettings(BaseModel):
    """Project-namespace config of one stack (`highflame-access:<key>`), typed."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    tailnet: str = Field(default="-", min_length=1)
    tailscale_oauth_client_id: str | None = Field(default=None, alias="tailscaleOauthClientId")
    tailscale_oauth_client_secret: SecretStr | None = Field(
        default=None, alias="tailscaleOauthClientSecret"
    )
    kube_context: str | None = Field(default=None, alias="kubeContext", min_length=1)
    kubeconfig: SecretStr | None = None
    adopt_existing_policy: bool = Field(default=False, alias="adoptExistingPolicy")

    @field_validator("adopt_existing_policy", mode="before")
    @classmethod
    def _pulumi_bool(cls, value: Any) -> Any:
        # Pulumi config values are strings: "true"/"false" as `config.get_bool` reads them,
        # nothing looser (no "yes", "on", "1").
        if isinstance(value, bool):
            return value
        if value in ("true", "false"):
            return value == "true"
        raise ValueError(f"must be true or false (got {value!r})")

    @model_validator(mode="after")
    def _pairs(self) -> StackSettings:
        if self.tailscale_oauth_client_secret is not None and not self.tailscale_oauth_client_id:
            raise ValueError("tailscaleOauthClientSecret needs tailscaleOauthClientId")
        if self.kube_context is not None and self.kubeconfig is not None:
            raise ValueError("set kubeContext or kubeconfig, not both")
        return self

    @classmethod
    def config_keys(cls) -> list[str]:
        """The keys (without namespace) a stack may set, as Pulumi config names them."""
        return [info.alias or field for field, info in cls.model_fields.items()]


def _stack_rules(settings: StackSettings, stack: StackRef, file: str) -> list[InputError]:
    errors: list[InputError] = []
    cluster_keys = [
        key
        for key, value in (
            ("kubeContext", settings.kube_context),
            ("kubeconfig", settings.kubeconfig),
        )
        if value is not None
    ]
    if isinstance(stack, TailnetStack):
        errors.extend(
            InputError(file, PREFIX + key, "the tailnet stack touches no cluster; remove it")
            for key in cluster_keys
        )
    elif isinstance(stack, EnvironmentStack):
        env = stack.ref.environment
        if settings.adopt_existing_policy:
            errors.append(
                InputError(
                    file, PREFIX + "adoptExistingPolicy", "only the tailnet stack owns the policy"
                )
            )
        if env.install is InstallMode.MANAGED and not cluster_keys:
            errors.append(
                InputError(
                    file,
                    PREFIX + "kubeContext",
                    "a managed install needs kubeContext or kubeconfig (the customer cluster); "
                    "nothing falls back to the ambient kubeconfig",
                )
            )
        if env.install is InstallMode.HANDOFF:
            errors.extend(
                InputError(
                    file,
                    PREFIX + key,
                    "install: handoff applies nothing in the cluster; remove it",
                )
                for key in cluster_keys
            )
    return errors


def settings_from_config(values: Mapping[str, Any], stack: StackRef, file: str) -> StackSettings:
    """Validate a stack's raw config; raise InvalidInput naming `file` and each bad key."""
    own = {k[len(PREFIX) :]: v for k, v in values.items() if k.startswith(PREFIX) and v is not None}
    errors: list[InputError] = []
    try:
        settings = validate_document(file, StackSettings, own)
    except InvalidInput as exc:
        errors.extend(
            InputError(e.file, e.field if e.field == DOCUMENT else PREFIX + e.field, e.reason)
            for e in exc.errors
        )
        raise InvalidInput(errors) from None
    errors.extend(_stack_rules(settings, stack, file))
    if errors:
        raise InvalidInput(errors)
    return settings


# Settings a program reads as secrets, by full config key: they must be `secure:` in stack files.
SECRET_CONFIG_KEYS: frozenset[str] = frozenset(
    {
        f"{PREFIX}kubeconfig",
        f"{PREFIX}tailscaleOauthClientSecret",
        "tailscale:apiKey",
        "tailscale:oauthClientSecret",
        "kubernetes:kubeconfig",
    }
)
# Any other key whose name says it holds a secret is held to the same rule (fail closed).
_SECRET_WORDS = ("secret", "apikey", "api_key", "token", "password", "privatekey", "kubeconfig")


def is_secret_key(key: str) -> bool:
    """Whether the config key `namespace:name` holds a secret and so must be `secure:`."""
    name = key.rpartition(":")[2].lower().replace("-", "")
    return key in SECRET_CONFIG_KEYS or any(word in name for word in _SECRET_WORDS)


def _is_encrypted(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"secure"} and isinstance(value["secure"], str)


def plaintext_secrets(config: Mapping[str, Any], file: str) -> list[InputError]:
    """One error per secret setting not written as `secure:`; the value itself is never shown."""
    return [
        InputError(
            file,
            str(key),
            "holds a secret in plain text; set it with `pulumi config set --secret` so the "
            "stack file holds only ciphertext (value not shown)",
        )
        for key, value in config.items()
        if is_secret_key(str(key)) and value is not None and not _is_encrypted(value)
    ]


def stack_file_config(path: Path) -> dict[str, Any]:
    """The raw `config:` block of a stack file (values as written, `secure:` objects kept)."""
    display = path.as_posix()
    try:
        data = load_yaml_file(path)
    except YamlReadError as exc:
        raise InvalidInput([InputError(display, DOCUMENT, str(exc))]) from None
    if not isinstance(data, dict):
        raise InvalidInput([InputError(display, DOCUMENT, "expected a mapping")])
    config = data.get("config") or {}
    if not isinstance(config, dict):
        raise InvalidInput([InputError(display, "config", "expected a mapping")])
    return {str(key): value for key, value in config.items()}


def read_stack_file(path: Path) -> dict[str, Any]:
    """The `config:` block of a stack file; encrypted values read as a placeholder string."""
    config = stack_file_config(path)
    flat: dict[str, Any] = {}
    for key, value in config.items():
        if isinstance(value, dict) and set(value) == {"secure"}:
            flat[str(key)] = SECRET_PLACEHOLDER
        elif isinstance(value, bool):
            flat[str(key)] = "true" if value else "false"
        else:
            flat[str(key)] = value
    return flat


def default_providers_disabled(values: Mapping[str, Any]) -> bool:
    """Whether the stack disables every default provider (`pulumi:disable-default-providers: ["*"]`)."""
    value = values.get(DISABLE_DEFAULT_PROVIDERS)
    return isinstance(value, list) and "*" in value
