"""The component catalog: default figures for each kind, every one with its source.

``src/staffpath/data/catalog.yaml`` is validated by these models (with the same quantity
types as designs), and :func:`defaults` resolves a component of a design to the figures the
engines use: the design's own values first, then the engine's refinement, then the kind's.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from importlib import resources
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StrictInt, model_validator

from staffpath.design.model import (
    Component,
    Operation,
    OperationSpec,
    ServiceTime,
    ServiceTimeSpec,
)
from staffpath.design.quantities import Money, Percent
from staffpath.design.yamltext import parse

T = TypeVar("T")

Tier = Literal["edge", "ingress", "compute", "cache", "data", "messaging", "storage"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Source(_Strict):
    title: str
    url: str | None = None
    published: str | None = None
    accessed: str


class Figure(_Strict, Generic[T]):
    """A number and where it comes from."""

    value: T
    source: str
    note: str = Field(min_length=1)


class Figures(_Strict):
    concurrency: Figure[Annotated[StrictInt, Field(ge=1)]] | None = None
    service_time: Figure[ServiceTimeSpec] | None = None
    operations: dict[str, Figure[OperationSpec]] = Field(default_factory=dict)
    availability: Figure[Percent] | None = None
    price: Figure[Money] | None = None
    storage_price: Figure[Money] | None = Field(
        default=None, description="Dollars per GB-month of stored data (one copy)."
    )


class Engine(Figures):
    summary: str
    managed: bool | None = None


class Kind(Figures):
    summary: str
    tier: Tier
    station: Literal["queue", "delay"]
    managed: bool = Field(
        default=False,
        description="A provider-run regional service (or the caller itself): its replicas are "
        "capacity slices, its availability is the provider's SLA, and no zone takes it out.",
    )
    concurrency: Figure[Annotated[StrictInt, Field(ge=1)]]
    service_time: Figure[ServiceTimeSpec]
    availability: Figure[Percent]
    price: Figure[Money]
    engines: dict[str, Engine] = Field(default_factory=dict)


class Catalog(_Strict):
    date: dt.date
    sources: dict[str, Source]
    kinds: dict[str, Kind]

    @model_validator(mode="after")
    def _sources_exist(self) -> Catalog:
        missing: list[str] = []
        for kname, kind in self.kinds.items():
            for where, fig in _figures(kind, kname):
                if fig.source not in self.sources:
                    missing.append(f"{where}: {fig.source}")
            for ename, eng in kind.engines.items():
                for where, fig in _figures(eng, f"{kname}.engines.{ename}"):
                    if fig.source not in self.sources:
                        missing.append(f"{where}: {fig.source}")
        if missing:
            raise ValueError("figures cite unknown sources: " + "; ".join(missing))
        return self

    def kind(self, name: str) -> Kind | None:
        return self.kinds.get(name)


def _figures(f: Figures, where: str) -> list[tuple[str, Figure[Any]]]:
    out: list[tuple[str, Figure[Any]]] = []
    for name in ("concurrency", "service_time", "availability", "price", "storage_price"):
        fig = getattr(f, name)
        if fig is not None:
            out.append((f"{where}.{name}", fig))
    out.extend((f"{where}.operations.{op}", fig) for op, fig in f.operations.items())
    return out


class Resolved(_Strict):
    """The figures the engines use for one component, after overrides."""

    kind: str
    station: Literal["queue", "delay"]
    tier: str
    managed: bool
    concurrency: int
    service_time: ServiceTime
    operations: dict[str, Operation]
    availability: float
    price: float
    storage_price: float
    price_source: str
    storage_source: str


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """The shipped catalog (read once; it is immutable)."""
    text = resources.files("staffpath.data").joinpath("catalog.yaml").read_text("utf-8")
    return parse_catalog(text)


def parse_catalog(text: str) -> Catalog:
    """A catalog from YAML text, read with the same safe YAML rules as designs."""
    return Catalog.model_validate(parse(text).value)


def _source(figure: Figure[Any] | None) -> str:
    return figure.source if figure is not None else ""


def operations_of(comp: Component, catalog: Catalog) -> set[str]:
    """Every operation name a step may use on ``comp``."""
    names = set(comp.operations)
    kind = catalog.kinds.get(comp.kind)
    if kind is not None:
        names |= set(kind.operations)
        engine = kind.engines.get(comp.engine) if comp.engine else None
        if engine is not None:
            names |= set(engine.operations)
    return names


def resolve(comp: Component, catalog: Catalog) -> Resolved:
    """The component's own values, else its engine's, else its kind's. Needs a checked design."""
    kind = catalog.kinds[comp.kind]
    engine = kind.engines.get(comp.engine) if comp.engine else None

    def fig(name: str) -> Figure[Any] | None:
        own: Figure[Any] | None = getattr(engine, name) if engine is not None else None
        base: Figure[Any] | None = getattr(kind, name)
        return own if own is not None else base

    def figure(name: str) -> Any:
        found = fig(name)
        return found.value if found is not None else None

    storage = fig("storage_price")

    service_time = comp.service_time or figure("service_time")
    ops: dict[str, Operation] = {op: fig.value for op, fig in kind.operations.items()}
    if engine is not None:
        ops.update({op: fig.value for op, fig in engine.operations.items()})
    ops.update(comp.operations)
    return Resolved(
        kind=comp.kind,
        station=kind.station,
        tier=comp.tier or kind.tier,
        managed=engine.managed
        if engine is not None and engine.managed is not None
        else kind.managed,
        concurrency=comp.concurrency or figure("concurrency"),
        service_time=service_time,
        operations=ops,
        availability=comp.availability if comp.availability is not None else figure("availability"),
        price=comp.cost if comp.cost is not None else figure("price"),
        storage_price=storage.value if storage is not None else 0.0,
        price_source="design" if comp.cost is not None else _source(fig("price")),
        storage_source=storage.source if storage is not None else "",
    )
