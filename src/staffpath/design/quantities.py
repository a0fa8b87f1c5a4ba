"""pydantic field types for human quantities.

Each type validates from the text a person writes (``4ms``), stores the base-unit float the
engines use (``0.004``), dumps back to human text in JSON mode, and describes itself in
the JSON Schema as a string with a pattern and examples.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeAlias

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

from staffpath import units


def _validator(parse: Callable[[object], float]) -> Callable[[Any], float]:
    def validate(value: Any) -> float:
        try:
            return parse(value)
        except units.UnitError as exc:
            raise PydanticCustomError("unit", exc.message, {"hint": exc.hint}) from None

    return validate


def _schema(dim: units.Dimension, pattern: str, *, numbers: bool = False) -> WithJsonSchema:
    text: dict[str, Any] = {
        "type": "string",
        "pattern": pattern,
        "description": f"A {dim.name}. Accepted units: {dim.accepted}.",
        "examples": list(dim.examples),
    }
    if not numbers:
        return WithJsonSchema(text)
    return WithJsonSchema(
        {
            "anyOf": [text, {"type": "number", "minimum": 0}],
            "description": text["description"],
            "examples": text["examples"],
        }
    )


def _out(fmt: Callable[[float], str]) -> PlainSerializer:
    return PlainSerializer(fmt, return_type=str, when_used="json")


_NUM = r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?"

Rate: TypeAlias = Annotated[
    float,
    BeforeValidator(_validator(units.parse_rate)),
    _out(units.format_rate),
    _schema(units.RATE, rf"^\s*{_NUM}\s*[kKMBGT]?\s*/\s*[A-Za-z]+\s*$"),
]
Duration: TypeAlias = Annotated[
    float,
    BeforeValidator(_validator(units.parse_duration)),
    _out(units.format_duration),
    _schema(units.DURATION, rf"^\s*{_NUM}\s*[A-Za-zµ]+\s*$"),
]
Size: TypeAlias = Annotated[
    float,
    BeforeValidator(_validator(units.parse_size)),
    _out(units.format_size),
    _schema(units.SIZE, rf"^\s*{_NUM}\s*[A-Za-z]+\s*$"),
]
Percent: TypeAlias = Annotated[
    float,
    BeforeValidator(_validator(units.parse_percent)),
    _out(units.format_percent),
    _schema(units.PERCENT, rf"^\s*{_NUM}\s*%\s*$"),
]
Money: TypeAlias = Annotated[
    float,
    BeforeValidator(_validator(units.parse_money)),
    _out(units.format_money),
    _schema(units.MONEY, rf"^\s*\$\s*{_NUM}\s*[kKMBGT]?\s*(/\s*[A-Za-z]+)?\s*$"),
]
Count: TypeAlias = Annotated[
    float,
    BeforeValidator(_validator(units.parse_count)),
    _out(units.format_count),
    _schema(units.COUNT, rf"^\s*{_NUM}\s*[kKMBGT]?\s*$", numbers=True),
]
