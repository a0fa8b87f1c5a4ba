"""pydantic field types for human quantities.

Each type validates from the text a person writes (``4ms``), stores the base-unit float the
engines use (``0.004``), dumps back to human text in JSON mode, and describes itself in
the JSON Schema as a string with a pattern and examples.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

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


def _quantity(
    parse: Callable[[object], float],
    fmt: Callable[[float], str],
    dim: units.Dimension,
    pattern: str,
    *,
    numbers: bool = False,
) -> Any:
    schema: dict[str, Any] = {
        "type": "string",
        "pattern": pattern,
        "description": f"A {dim.name}. Accepted units: {dim.accepted}.",
        "examples": list(dim.examples),
    }
    if numbers:
        schema = {"anyOf": [schema, {"type": "number", "minimum": 0}],
                  "description": schema["description"], "examples": schema["examples"]}
    return Annotated[
        float,
        BeforeValidator(_validator(parse)),
        PlainSerializer(fmt, return_type=str, when_used="json"),
        WithJsonSchema(schema),
    ]


_NUM = r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?"

Rate = _quantity(
    units.parse_rate, units.format_rate, units.RATE, rf"^\s*{_NUM}\s*[kKMBGT]?\s*/\s*[A-Za-z]+\s*$"
)
Duration = _quantity(
    units.parse_duration, units.format_duration, units.DURATION, rf"^\s*{_NUM}\s*[A-Za-zµ]+\s*$"
)
Size = _quantity(units.parse_size, units.format_size, units.SIZE, rf"^\s*{_NUM}\s*[A-Za-z]+\s*$")
Percent = _quantity(units.parse_percent, units.format_percent, units.PERCENT, rf"^\s*{_NUM}\s*%\s*$")
Money = _quantity(
    units.parse_money, units.format_money, units.MONEY,
    rf"^\s*\$\s*{_NUM}\s*[kKMBGT]?\s*(/\s*[A-Za-z]+)?\s*$",
)
Count = _quantity(
    units.parse_count, units.format_count, units.COUNT, rf"^\s*{_NUM}\s*[kKMBGT]?\s*$", numbers=True
)
