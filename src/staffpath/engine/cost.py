"""Monthly cost per component from the catalog: replicas × price, plus stored data.

A component's ``storage`` is the size of its data set (one copy, all shards together). Every
replica of a database, cache or index holds a copy, so it is billed ``replicas`` times at the
catalog's price per GB-month; an object store's price already includes its redundancy (and
its "replicas" are throughput slices), so it is billed once.

When no component declares ``storage`` but the design's ``data`` block gives the logical total
at the end of retention, that total is billed to one component, the first with a storage price
in the storage tier (object stores), else in the data tier, and the line says so.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict

from staffpath.design.catalog import Resolved
from staffpath.design.model import Design
from staffpath.engine.estimate import Estimate

GB = 1e9


class CostLine(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    component: str
    instances: int
    unit_price: float
    compute: float
    storage_bytes: float
    storage: float
    monthly: float
    formula: str
    sources: list[str]


class CostResult(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    lines: list[CostLine]
    total: float


def cost(design: Design, resolved: Mapping[str, Resolved], estimates: list[Estimate]) -> CostResult:
    """Cost of every component per month, in dollars."""
    declared = any(c.storage is not None for c in design.components.values())
    logical = next((e for e in estimates if e.name == "storage_total"), None)
    holder = None if declared or logical is None else _holder(design, resolved)
    lines: list[CostLine] = []
    for name, comp in design.components.items():
        r = resolved[name]
        instances = comp.replicas * comp.shards
        compute = instances * r.price
        formula = f"{instances} × ${r.price:,.2f}/month"
        copies = 1 if comp.kind == "object_store" else comp.replicas
        size = comp.storage
        label = ""
        if name == holder and logical is not None:
            size, label = logical.value, " (estimated data at the end of retention)"
        stored = 0.0
        if size is not None:
            stored = size * copies
            formula += (
                f" + {size / GB:,.1f} GB{label} × {copies} cop{'y' if copies == 1 else 'ies'}"
                f" × ${r.storage_price:g}/GB-month"
            )
        storage = stored / GB * r.storage_price
        sources = [s for s in (r.price_source, r.storage_source if stored else "") if s]
        lines.append(
            CostLine(
                component=name,
                instances=instances,
                unit_price=r.price,
                compute=compute,
                storage_bytes=stored,
                storage=storage,
                monthly=compute + storage,
                formula=f"{formula} = ${compute + storage:,.2f}/month",
                sources=sources,
            )
        )
    return CostResult(lines=lines, total=sum(line.monthly for line in lines))


def _holder(design: Design, resolved: Mapping[str, Resolved]) -> str | None:
    """Where estimated data lives: the first priced store of the storage tier, else data tier."""
    for tier in ("storage", "data"):
        for name in design.components:
            r = resolved[name]
            if r.tier == tier and r.storage_price > 0:
                return name
    return None
