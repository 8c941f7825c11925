"""Turning pydantic's validation errors into `<file>: <field>: <reason>` lines people can act on."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from hfaccess.registry.errors import DOCUMENT, InputError, InvalidInput
from hfaccess.registry.yamlio import type_name

M = TypeVar("M", bound=BaseModel)


def field_path(loc: Sequence[int | str]) -> str:
    """`('environments', 'prod', 'cluster_role')` -> `environments.prod.cluster_role`."""
    parts: list[str] = []
    for item in loc:
        if item == "[key]":
            continue  # an invalid mapping key: the key itself is already the last part
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif parts:
            parts.append(f".{item}")
        else:
            parts.append(str(item))
    return "".join(parts) or DOCUMENT


def _known_fields(model: type[BaseModel], loc: Sequence[int | str]) -> list[str]:
    """Field names valid at the parent of `loc`, for 'did you mean' hints."""
    current: Any = model
    for item in loc[:-1]:
        if isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(str(item))
            if info is None:
                return []
            current = info.annotation
        else:
            args = getattr(current, "__args__", ())
            current = args[-1] if args else None
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [info.alias or name for name, info in current.model_fields.items()]
    return []


def _reason(model: type[BaseModel], error: ErrorDetails) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        name = str(error["loc"][-1])
        known = _known_fields(model, error["loc"])
        hint = difflib.get_close_matches(name, known, n=1)
        suffix = f" (did you mean {hint[0]!r}?)" if hint else ""
        allowed = f"; allowed: {', '.join(known)}" if known and not hint else ""
        return f"unknown field{suffix}{allowed}"
    if kind == "missing":
        return "required field is missing"
    if kind == "enum":
        expected = error.get("ctx", {}).get("expected", "")
        return f"must be one of {expected} (got {error['input']!r})"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return f"expected a mapping, got {type_name(error['input'])}"
    if kind in {"too_short"} and isinstance(error["input"], dict):
        return "must have at least one entry"
    message = error["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    return message[0].lower() + message[1:] if message else kind


def validation_errors(file: str, model: type[BaseModel], exc: ValidationError) -> list[InputError]:
    """Every error of one model validation, addressed to `file`."""
    return [
        InputError(file, field_path(err["loc"]), _reason(model, err))
        for err in exc.errors(include_url=False)
    ]


def validate_document(file: str, model: type[M], data: object) -> M:
    """Validate one loaded YAML document as `model`, raising InvalidInput with every error."""
    if not isinstance(data, dict):
        raise InvalidInput(
            [
                InputError(
                    file, DOCUMENT, f"expected a mapping at the top level, got {type_name(data)}"
                )
            ]
        )
    non_string = [k for k in data if not isinstance(k, str)]
    if non_string:
        raise InvalidInput(
            [
                InputError(file, DOCUMENT, f"field names must be strings (got {k!r})")
                for k in non_string
            ]
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(validation_errors(file, model, exc)) from None


def raise_if_any(errors: Iterable[InputError]) -> None:
    """Raise InvalidInput with the sorted errors, if there are any."""
    collected = sorted(set(errors))
    if collected:
        raise InvalidInput(collected)
