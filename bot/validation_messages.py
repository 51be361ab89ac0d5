"""Pydantic's validation errors, rewritten for policy owners.

Pydantic speaks of ``extra_forbidden`` and ``dict[Literal['en','es'], str]``;
a policy owner needs "unknown field 'exampels'. Did you mean 'examples'?".
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, RootModel, ValidationError
from rapidfuzz import process

from bot.errors import Problem
from bot.yaml_source import YamlDocument

FRIENDLY = {
    "missing": "is required; add it",
    "too_short": "must not be empty",
    "string_too_short": "must not be empty",
    "greater_than_equal": "must be 0 or more",
    "decimal_parsing": "must be a number, like 15 or 12.50",
    "decimal_type": "must be a number, like 15 or 12.50",
    "decimal_max_places": "must have at most 2 decimals",
    "decimal_max_digits": "is too large",
    "finite_number": "must be a finite number",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "string_type": "must be text",
    "dict_type": "must be a set of `key: value` lines",
    "list_type": "must be a list (lines starting with `- `)",
    "string_pattern_mismatch": None,
    "literal_error": None,
}


def did_you_mean(word: str, choices) -> str:
    """A ``Did you mean 'x'?`` suffix when a known name is close, else an empty string.

    >>> did_you_mean("refund_shiping", ["refund", "refund_shipping"])
    " Did you mean 'refund_shipping'?"
    """
    best = process.extractOne(word, list(choices), score_cutoff=70)
    return f" Did you mean '{best[0]}'?" if best else ""


def problems_from(error: ValidationError, document: YamlDocument, model: type[BaseModel]) -> list[Problem]:
    """One problem per distinct place, with line numbers from the YAML tree."""
    found: dict[tuple, Problem] = {}
    for item in error.errors(include_url=False):
        location, through_union = _data_location(item["loc"], document.data, missing=item["type"] == "missing")
        if through_union and _explained_deeper(location, item, error):
            continue
        if location in found:
            continue
        message = "must be text, or `{en: ..., es: ...}`" if through_union and _is_text_union(item) else _message(item, location, model)
        found[location] = document.problem(location, f"{dotted(location)}: {message}")
    return list(found.values())


def _is_text_union(item: dict) -> bool:
    return item["type"] in ("string_type", "dict_type")


def _explained_deeper(location: tuple, item: dict, error: ValidationError) -> bool:
    """A union's branch error at a place where a sibling branch says more (a deeper path)."""
    depth = len(location)
    for other in error.errors(include_url=False):
        if other is item:
            continue
        loc = tuple(p for p in other["loc"] if not (isinstance(p, str) and ("-" in p or "[" in p)))
        if len(loc) > depth and loc[:depth] == location:
            return True
    return False


def _data_location(loc: tuple, data: Any, *, missing: bool) -> tuple[tuple, bool]:
    """Keep the parts of pydantic's location that exist in the data; say if a union tag was dropped."""
    kept, node, through_union = [], data, False
    for index, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            node = node[part]
            kept.append(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            kept.append(part)
        elif missing and index == len(loc) - 1:
            kept.append(part)  # a missing field: name it
        else:
            through_union = through_union or isinstance(part, str)
    return tuple(kept), through_union


def dotted(location: tuple) -> str:
    text = ""
    for part in location:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top)"


def _message(item: dict, location: tuple, model: type[BaseModel]) -> str:
    kind = item["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_fields(model, location[:-1])
        hint = did_you_mean(str(location[-1]), allowed)
        listing = f" Allowed here: {', '.join(sorted(allowed))}." if allowed and not hint else ""
        return f"unknown field.{hint}{listing}"
    if kind == "string_pattern_mismatch":
        return _pattern_message(item)
    if kind in ("too_short", "list_type") and location and location[-1] == "steps":
        return "add at least one step"
    if kind == "too_short" and location and location[-1] == "examples":
        return "add at least one example of how agents describe this situation"
    if kind == "greater_than_equal":  # the bound varies: amounts >= 0, frequency limits' max >= 1
        return f"must be {item.get('ctx', {}).get('ge', 0)} or more"
    friendly = FRIENDLY.get(kind)
    if friendly:
        return friendly
    return item["msg"][0].lower() + item["msg"][1:]


def _pattern_message(item: dict) -> str:
    pattern = str(item.get("ctx", {}).get("pattern", ""))
    if "A-Z]{3}" in pattern:
        return f"{item['input']!r} is not a currency code; use three capital letters, like USD"
    if "a-z0-9-" in pattern:
        return f"{item['input']!r}: use lowercase letters, digits and dashes, like late-delivery"
    if "a-z0-9_" in pattern:
        return f"{item['input']!r}: use lowercase letters, digits and underscores, like refund_shipping"
    if "CG" in pattern:
        return f"{item['input']!r} is not a Slack channel id (they start with C or G, like C0LEADS01)"
    return f"{item['input']!r} has the wrong format"


def _allowed_fields(model: Any, location: tuple) -> list[str]:
    """Field names accepted at ``location`` inside ``model``, following annotations."""
    kind: Any = model
    for part in location:
        kind = _step(kind, part)
        if kind is None:
            return []
    kind = _unwrap_model(kind)
    return list(kind.model_fields) if kind else []


def _step(kind: Any, part: Any) -> Any:
    model = _unwrap_model(kind)
    if model is not None and isinstance(part, str):
        field = model.model_fields.get(part)
        return field.annotation if field else None
    for arg in _union_args(kind):
        origin = typing.get_origin(arg)
        if origin is list and isinstance(part, int):
            return typing.get_args(arg)[0]
        if origin is dict and isinstance(part, str):
            return typing.get_args(arg)[1]
    return None


def _union_args(kind: Any) -> tuple:
    if typing.get_origin(kind) is typing.Annotated:
        kind = typing.get_args(kind)[0]
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        return tuple(_strip_annotated(arg) for arg in typing.get_args(kind))
    return (kind,)


def _strip_annotated(kind: Any) -> Any:
    return typing.get_args(kind)[0] if typing.get_origin(kind) is typing.Annotated else kind


def _unwrap_model(kind: Any) -> type[BaseModel] | None:
    for arg in _union_args(kind):
        if isinstance(arg, type) and issubclass(arg, BaseModel) and not issubclass(arg, RootModel):
            return arg
    return None
