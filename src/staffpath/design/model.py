"""The design language: one pydantic model of a system design.

What a person writes (``docs/design-language.md`` is the guide)::

    name: URL shortener
    workload: {peak: 12k/s, flows: {redirect: {share: 99%, steps: [lb, api, ...]}}}
    components: {api: {kind: service, replicas: 6, service_time: 4ms}}
    data: {new_items: 100M/day, item_size: 500B, retention: 10y}
    failures: [{at: 60s, kill: db.primary, failover: 20s}]
    goals: {p99: 100ms, availability: 99.95%, cost: $20k/month}
    decisions: [{id: ADR-1, title: Cache redirects, status: accepted, context: ..., ...}]

Values are stored in base units (seconds, requests per second, bytes, fractions, dollars per
month) and dumped back to human text. Unknown keys are refused everywhere. Cross-field rules
that need the whole design or the catalog (unknown components, shares adding to 100%, ...)
live in :mod:`staffpath.design.checks`, so that every one of them is reported at once.
Decisions are records for people: no engine reads them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    StrictInt,
    Tag,
    TypeAdapter,
    WithJsonSchema,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

from staffpath.design.quantities import Count, Duration, Money, Percent, Rate, Size

NAME_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]{0,62}$"
_NAME = re.compile(NAME_PATTERN)
RESERVED = frozenset({"parallel"})

Distribution = Literal["exponential", "deterministic", "lognormal", "gamma"]
Balancing = Literal["pooled", "round_robin", "random", "least_connections", "power_of_two"]
PositiveInt = Annotated[StrictInt, Field(ge=1)]


class Strict(BaseModel):
    """Every model of the language: unknown keys refused, no NaN, immutable once built."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, allow_inf_nan=False, validate_default=False
    )


def _name(value: str, what: str) -> str:
    if not _NAME.fullmatch(value):
        raise PydanticCustomError(
            "name",
            "{what} name '{value}' is not a valid name",
            {
                "what": what,
                "value": value,
                "at_key": value,
                "hint": "use letters, digits, '_' and '-', starting with a letter (no dots)",
            },
        )
    if value in RESERVED:
        raise PydanticCustomError(
            "name",
            "'{value}' is a reserved word",
            {"value": value, "at_key": value, "hint": "choose another name"},
        )
    return value


# --- service times -----------------------------------------------------------------------------

_DEFAULT_CV = {"exponential": 1.0, "deterministic": 0.0, "lognormal": 1.0, "gamma": 1.0}


def _shorthand_mean(value: Any) -> Any:
    return (
        {"mean": value}
        if isinstance(value, str | int | float) and not isinstance(value, bool)
        else value
    )


class ServiceTime(Strict):
    """How long one visit occupies a server. ``4ms`` alone means exponential with mean 4 ms."""

    mean: Duration
    dist: Distribution = "exponential"
    cv: Annotated[float, Field(ge=0, le=100)] | None = Field(
        default=None, description="Coefficient of variation (standard deviation / mean)."
    )

    @model_validator(mode="after")
    def _fill_cv(self) -> ServiceTime:
        if self.cv is None:
            object.__setattr__(self, "cv", _DEFAULT_CV[self.dist])
        elif self.dist == "exponential" and self.cv != 1.0:
            raise PydanticCustomError(
                "cv",
                "an exponential distribution has cv 1, found cv {cv}",
                {
                    "cv": self.cv,
                    "at_field": "cv",
                    "hint": "drop cv, or choose dist: lognormal or gamma for another cv",
                },
            )
        elif self.dist == "deterministic" and self.cv != 0.0:
            raise PydanticCustomError(
                "cv",
                "a deterministic service time has cv 0, found cv {cv}",
                {
                    "cv": self.cv,
                    "at_field": "cv",
                    "hint": "drop cv, or choose dist: lognormal or gamma",
                },
            )
        elif self.dist in ("lognormal", "gamma") and self.cv == 0:
            raise PydanticCustomError(
                "cv",
                "a {dist} distribution needs cv > 0",
                {
                    "dist": self.dist,
                    "at_field": "cv",
                    "hint": "use dist: deterministic for a constant time",
                },
            )
        return self

    @model_serializer(mode="wrap")
    def _compact(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> Any:
        data = handler(self)
        if (
            info.mode_is_json()
            and self.dist == "exponential"
            and getattr(self, "on", "any") == "any"
        ):
            return data["mean"]
        return data

    @classmethod
    def seconds(
        cls, mean: float, dist: Distribution = "exponential", cv: float | None = None
    ) -> Self:
        """Build from a mean in seconds (for code; designs write units)."""
        data: dict[str, Any] = {"mean": f"{mean!r}s", "dist": dist}
        if cv is not None:
            data["cv"] = cv
        return cls.model_validate(data)

    @property
    def scv(self) -> float:
        """Squared coefficient of variation, the shape the queueing formulas use."""
        assert self.cv is not None
        return self.cv * self.cv


_DURATION_TEXT: dict[str, Any] = TypeAdapter(Duration).json_schema()


def _or_duration(model: type[BaseModel]) -> WithJsonSchema:
    """Schema of 'a duration, or the full mapping' (the short form is not in the model)."""
    full = model.model_json_schema(mode="validation")
    full.pop("title", None)
    return WithJsonSchema({"anyOf": [_DURATION_TEXT, {"type": "number", "const": 0}, full]})


ServiceTimeSpec = Annotated[
    ServiceTime, BeforeValidator(_shorthand_mean), _or_duration(ServiceTime)
]


class Operation(ServiceTime):
    """A named operation of a component (``db.read``), with where it runs."""

    on: Literal["any", "primary", "all"] = Field(
        default="any",
        description="any: one replica serves it; primary: only the primary replica; "
        "all: every replica does the work (replicated writes).",
    )


OperationSpec = Annotated[Operation, BeforeValidator(_shorthand_mean), _or_duration(Operation)]


# --- steps --------------------------------------------------------------------------------------


class Retry(Strict):
    """How a caller retries a failed or timed-out visit."""

    attempts: Annotated[StrictInt, Field(ge=0, le=10)] = Field(
        description="Retries after the first try (0 = no retry)."
    )
    backoff: Duration = 0.0
    multiplier: Annotated[float, Field(ge=1, le=10)] = 2.0


def _shorthand_retry(value: Any) -> Any:
    return {"attempts": value} if isinstance(value, int) and not isinstance(value, bool) else value


class Visit(Strict):
    """One step: a visit to a component (optionally one operation of it).

    Written ``api``, ``db.read``, or ``cache: {hit: 90%, on_miss: [db.read]}``.
    """

    step: Literal["visit"] = Field(default="visit", exclude=True)
    component: str
    operation: str | None = None
    hit: Percent | None = Field(default=None, description="Probability the visit ends here.")
    on_miss: list[Step] | None = None
    timeout: Duration | None = None
    retries: Annotated[Retry, BeforeValidator(_shorthand_retry)] | None = None
    fanout: PositiveInt = Field(default=1, description="Parallel calls to distinct replicas.")
    join: Literal["all", "first"] = "all"

    @property
    def target(self) -> str:
        return f"{self.component}.{self.operation}" if self.operation else self.component

    @model_validator(mode="after")
    def _miss_needs_hit(self) -> Visit:
        if self.on_miss is not None and self.hit is None:
            raise PydanticCustomError(
                "branch",
                "on_miss needs a hit ratio",
                {"hint": "add hit: <percent>, the share of visits that end here"},
            )
        return self

    @model_serializer(mode="wrap")
    def _compact(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> Any:
        data = handler(self)
        if not info.mode_is_json():
            return data
        data.pop("component", None)
        data.pop("operation", None)
        defaults = {"fanout": 1, "join": "all"}
        opts = {k: v for k, v in data.items() if v is not None and defaults.get(k, object()) != v}
        return {self.target: opts} if opts else self.target


class Parallel(Strict):
    """Branches run at the same time; the step ends when all (or the first) finish."""

    step: Literal["parallel"] = Field(default="parallel", exclude=True)
    branches: Annotated[list[list[Step]], Field(min_length=2)]
    join: Literal["all", "first"] = "all"

    @model_serializer(mode="wrap")
    def _compact(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> Any:
        data = handler(self)
        if not info.mode_is_json():
            return data
        if self.join == "all":
            return {"parallel": data["branches"]}
        return {"parallel": {"join": self.join, "branches": data["branches"]}}


def _normalise_step(value: Any) -> Any:
    """Turn the written forms of a step into the tagged shapes the models validate."""
    if isinstance(value, Visit | Parallel):
        return value
    if isinstance(value, str):
        return _split_target(value, {})
    if isinstance(value, dict):
        if len(value) != 1:
            raise PydanticCustomError(
                "step",
                "a step mapping has exactly one key, found {n}: {keys}",
                {
                    "n": len(value),
                    "keys": ", ".join(map(str, value)) or "none",
                    "hint": "write '- name: {options}' with one component, or split it into several steps",
                },
            )
        ((key, opts),) = value.items()
        if key == "parallel":
            if isinstance(opts, list):
                opts = {"branches": opts}
            if not isinstance(opts, dict):
                raise PydanticCustomError(
                    "step",
                    "parallel takes a list of branches",
                    {
                        "hint": "parallel: [[search], [ads, ranker]] or {join: first, branches: [...]}"
                    },
                )
            branches = opts.get("branches")
            if isinstance(branches, list):
                opts = {**opts, "branches": [b if isinstance(b, list) else [b] for b in branches]}
            return {"step": "parallel", **opts}
        if opts is None:
            opts = {}
        if not isinstance(opts, dict):
            raise PydanticCustomError(
                "step",
                "the options of step '{key}' must be a mapping",
                {"key": key, "hint": "write '- cache: {hit: 90%, on_miss: [db.read]}'"},
            )
        return _split_target(str(key), opts)
    raise PydanticCustomError(
        "step",
        "a step is a component name or a one-key mapping, found {kind}",
        {
            "kind": type(value).__name__,
            "hint": "write '- api', '- db.read' or '- cache: {hit: 90%}'",
        },
    )


def _split_target(text: str, opts: dict[str, Any]) -> dict[str, Any]:
    component, _, operation = text.partition(".")
    if "component" in opts or "operation" in opts:
        raise PydanticCustomError(
            "step",
            "the component of a step is its key, not an option",
            {"hint": "write '- db.read: {timeout: 50ms}'"},
        )
    return {"step": "visit", "component": component, "operation": operation or None, **opts}


def _step_tag(value: Any) -> str | None:
    if isinstance(value, dict):
        tag = value.get("step")
        return tag if isinstance(tag, str) else None
    return getattr(value, "step", None)


_STEP_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {
            "type": "string",
            "pattern": r"^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z][A-Za-z0-9_-]*)?$",
            "description": "A component, or component.operation.",
        },
        {
            "type": "object",
            "minProperties": 1,
            "maxProperties": 1,
            "properties": {
                "parallel": {
                    "description": "Branches that run at the same time.",
                    "anyOf": [
                        {"type": "array", "minItems": 2},
                        {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["branches"],
                            "properties": {
                                "branches": {"type": "array", "minItems": 2},
                                "join": {"enum": ["all", "first"]},
                            },
                        },
                    ],
                }
            },
            "additionalProperties": {
                "type": ["object", "null"],
                "additionalProperties": False,
                "properties": {
                    "hit": {"type": "string", "pattern": r"%\s*$"},
                    "on_miss": {"type": "array"},
                    "timeout": {"type": "string"},
                    "retries": {
                        "anyOf": [
                            {"type": "integer", "minimum": 0},
                            {
                                "type": "object",
                                "additionalProperties": False,
                                "properties": {
                                    "attempts": {"type": "integer"},
                                    "backoff": {"type": "string"},
                                    "multiplier": {"type": "number"},
                                },
                            },
                        ]
                    },
                    "fanout": {"type": "integer", "minimum": 1},
                    "join": {"enum": ["all", "first"]},
                },
            },
        },
    ]
}

Step = Annotated[
    Annotated[Visit, Tag("visit")] | Annotated[Parallel, Tag("parallel")],
    Discriminator(_step_tag),
    BeforeValidator(_normalise_step),
    WithJsonSchema(_STEP_SCHEMA),
]

# --- workload -----------------------------------------------------------------------------------


class Goals(Strict):
    """What the design must achieve. Latency goals are end-to-end, per flow."""

    mean: Duration | None = None
    p50: Duration | None = None
    p90: Duration | None = None
    p95: Duration | None = None
    p99: Duration | None = None
    p999: Duration | None = None
    availability: Percent | None = None
    error_rate: Percent | None = None
    cost: Money | None = None
    headroom: Annotated[float, Field(ge=1, le=1000)] | None = Field(
        default=None, description="Saturation throughput / peak rate must be at least this."
    )


class Flow(Strict):
    """A class of requests: how many arrive and which steps each takes."""

    rate: Rate | None = None
    share: Percent | None = None
    steps: Annotated[list[Step], Field(min_length=1)]
    timeout: Duration | None = Field(default=None, description="End-to-end deadline.")
    goals: Goals | None = None
    description: str | None = None


class Phase(Strict):
    """From ``at`` on, the arrival rate is ``multiplier`` × peak (reached linearly over ``ramp``)."""

    at: Duration
    multiplier: Annotated[float, Field(ge=0, le=1000)]
    ramp: Duration = 0.0


class Workload(Strict):
    peak: Rate | None = None
    arrivals: Literal["poisson", "deterministic"] = "poisson"
    flows: Annotated[dict[str, Flow], Field(min_length=1)]
    schedule: list[Phase] = Field(default_factory=list)

    @field_validator("flows")
    @classmethod
    def _flow_names(cls, flows: dict[str, Flow]) -> dict[str, Flow]:
        for name in flows:
            _name(name, "flow")
        return flows


# --- components ---------------------------------------------------------------------------------


def _zones(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        if not 1 <= value <= 26:
            raise PydanticCustomError(
                "zones",
                "zones must be between 1 and 26, found {n}",
                {"n": value, "hint": "give a count such as 3, or a list of names like [a, b, c]"},
            )
        return [chr(ord("a") + i) for i in range(value)]
    return value


class Component(Strict):
    """One box of the diagram: a kind from the catalog, and overrides of its defaults."""

    kind: str
    engine: str | None = None
    replicas: PositiveInt = 1
    shards: PositiveInt = Field(
        default=1, description="Independent partitions, each with `replicas`."
    )
    concurrency: PositiveInt | None = Field(
        default=None, description="Parallel workers per replica; default from the catalog."
    )
    service_time: ServiceTimeSpec | None = None
    operations: dict[str, OperationSpec] = Field(default_factory=dict)
    balancing: Balancing = "pooled"
    queue_limit: Annotated[StrictInt, Field(ge=0)] | None = Field(
        default=None, description="Waiting requests per replica beyond which arrivals are rejected."
    )
    external: bool = Field(
        default=False,
        description="Run by someone else (a payment provider, a partner API): it is in none "
        "of our zones, so losing one of ours does not take it down.",
    )
    zones: (
        Annotated[
            list[str],
            BeforeValidator(_zones),
            Field(min_length=1),
            WithJsonSchema(
                {
                    "anyOf": [
                        {"type": "integer", "minimum": 1, "maximum": 26},
                        {"type": "array", "items": {"type": "string"}, "minItems": 1},
                    ]
                }
            ),
        ]
        | None
    ) = Field(default=None, description="Zones the replicas are spread over, round robin.")
    availability: Percent | None = Field(default=None, description="Of one replica.")
    cost: Money | None = Field(default=None, description="Of one replica, per month.")
    memory: Size | None = None
    storage: Size | None = None
    tier: str | None = None
    description: str | None = None

    @field_validator("operations")
    @classmethod
    def _op_names(cls, ops: dict[str, Operation]) -> dict[str, Operation]:
        for name in ops:
            _name(name, "operation")
        return ops

    @field_validator("zones")
    @classmethod
    def _zone_names(cls, zones: list[str] | None) -> list[str] | None:
        if zones is not None:
            for z in zones:
                _name(z, "zone")
            if len(set(zones)) != len(zones):
                raise PydanticCustomError(
                    "zones",
                    "zone '{zone}' is listed twice",
                    {
                        "zone": next(z for z in zones if zones.count(z) > 1),
                        "hint": "list each zone once",
                    },
                )
        return zones


class Data(Strict):
    """Back-of-envelope inputs for the capacity estimates."""

    users: Count | None = None
    daily_active_users: Count | None = None
    requests_per_user: Rate | None = Field(
        default=None, description="Per active user, e.g. 20/day."
    )
    new_items: Rate | None = None
    item_size: Size | None = None
    retention: Duration | None = None
    replication: PositiveInt | None = Field(default=None, description="Copies of each item stored.")
    reads_per_write: Annotated[float, Field(gt=0)] | None = None
    request_size: Size | None = None
    response_size: Size | None = None
    hot_fraction: Percent | None = Field(
        default=None,
        description="Share of items that draws most reads (20% by the 80/20 convention).",
    )
    peak_factor: Annotated[float, Field(ge=1, le=100)] | None = Field(
        default=None, description="Peak rate / average rate."
    )


class Failure(Strict):
    """A scripted event: something breaks at ``at`` and stays broken ``for`` a while."""

    at: Duration
    for_: Duration | None = Field(default=None, alias="for", description="Default: until the end.")
    kill: str | None = Field(
        default=None, description="component, component.primary or component.replica"
    )
    zone: str | None = None
    flush: str | None = Field(
        default=None, description="A component with a hit ratio: its cache empties."
    )
    slow: str | None = None
    factor: Annotated[float, Field(ge=1, le=1000)] | None = Field(
        default=None, description="With slow: service times are multiplied by this."
    )
    replicas: PositiveInt | None = Field(default=None, description="With kill: how many replicas.")
    failover: Duration | None = Field(
        default=None,
        description="Time until a standby takes over a killed primary (with zone: every "
        "primary the zone held, from a standby in another zone).",
    )

    @model_validator(mode="after")
    def _one_action(self) -> Failure:
        actions = [k for k in ("kill", "zone", "flush", "slow") if getattr(self, k) is not None]
        if len(actions) != 1:
            raise PydanticCustomError(
                "failure",
                "a failure does exactly one of kill, zone, flush or slow; found {found}",
                {
                    "found": ", ".join(actions) or "none",
                    **({"at_field": actions[1]} if len(actions) > 1 else {}),
                    "hint": "e.g. {at: 60s, kill: db.primary, failover: 20s} or {at: 5min, zone: a, for: 10min}",
                },
            )
        if self.factor is not None and self.slow is None:
            raise PydanticCustomError(
                "failure",
                "factor goes with slow",
                {"at_field": "factor", "hint": "add slow: <component>, or remove factor"},
            )
        if self.slow is not None and self.factor is None:
            raise PydanticCustomError(
                "failure",
                "slow needs a factor",
                {"at_field": "slow", "hint": "add factor: 5 (service times are multiplied by it)"},
            )
        if self.failover is not None and self.kill is None and self.zone is None:
            raise PydanticCustomError(
                "failure",
                "failover goes with kill or zone",
                {
                    "at_field": "failover",
                    "hint": "failover is the time a standby takes to replace a killed primary "
                    "(or the primaries a lost zone held)",
                },
            )
        if self.replicas is not None and self.kill is None:
            raise PydanticCustomError(
                "failure",
                "replicas goes with kill",
                {"at_field": "replicas", "hint": "add kill: <component>, or remove replicas"},
            )
        return self


# --- decisions ----------------------------------------------------------------------------------

DecisionStatus = Literal["proposed", "accepted", "superseded", "deprecated"]
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_DATE = re.compile(DATE_PATTERN)


def _iso_date(value: Any) -> Any:
    """Only ``YYYY-MM-DD``: pydantic alone would also take Unix timestamps and datetimes."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            year, month = int(value[:4]), int(value[5:7])
            raise PydanticCustomError(
                "date",
                "{value} is not a day of the calendar",
                {
                    "value": value,
                    "hint": f"{value[:7]} has {calendar.monthrange(year, month)[1]} days"
                    if 1 <= month <= 12 and year >= 1
                    else "months run from 01 to 12, years from 0001",
                },
            ) from None
    raise PydanticCustomError(
        "date",
        "expected a date written YYYY-MM-DD, found {found}",
        {
            "found": repr(value) if isinstance(value, str) else str(value),
            "hint": "write the day the decision was taken, such as 2024-03-01",
        },
    )


IsoDate = Annotated[
    dt.date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]


def _one_or_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _text_or_texts(item: dict[str, Any], *, min_items: int = 0) -> WithJsonSchema:
    """Schema of 'one text, or a list of them' (the model always holds the list)."""
    texts = {"type": "array", "items": item, **({"minItems": min_items} if min_items else {})}
    return WithJsonSchema({"anyOf": [item, texts]})


class Option(Strict):
    """One alternative a decision weighed, with what speaks for and against it."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    pros: list[str] = Field(default_factory=list)
    cons: list[str] = Field(default_factory=list)


class Decision(Strict):
    """An architecture decision record: the question, the options weighed, the choice, its price.

    A newer decision names in ``supersedes`` the older ones it replaces.
    """

    # Links point back in time only; staffpath.design.decisions follows them forward.

    id: str = Field(
        description="A short slug, unique in the design: ADR-001, cache-first.",
        json_schema_extra={"pattern": NAME_PATTERN},
    )
    title: Annotated[str, Field(min_length=1, max_length=200)]
    status: DecisionStatus = Field(
        description="proposed: under discussion; accepted: in force; superseded: replaced "
        "by a later decision; deprecated: no longer in force, and nothing replaces it."
    )
    date: IsoDate | None = Field(default=None, description="The day it was decided: YYYY-MM-DD.")
    supersedes: Annotated[
        list[str],
        BeforeValidator(_one_or_list),
        _text_or_texts({"type": "string", "pattern": NAME_PATTERN}),
    ] = Field(
        default_factory=list,
        description="The id of the earlier decision this one replaces, or a list of ids.",
    )
    context: Annotated[str, Field(min_length=1)] = Field(
        description="The forces at play: why a decision was needed."
    )
    options: Annotated[list[Option], Field(min_length=1)] = Field(
        description="The alternatives weighed, each with pros and cons."
    )
    chosen: str | None = Field(default=None, description="The name of the option taken.")
    decision: Annotated[str, Field(min_length=1)] = Field(
        description="What was decided, in a few sentences."
    )
    consequences: Annotated[
        list[str],
        BeforeValidator(_one_or_list),
        Field(min_length=1),
        _text_or_texts({"type": "string"}, min_items=1),
    ] = Field(description="What follows from the decision, good and bad: a text or a list.")

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not _NAME.fullmatch(value):
            raise PydanticCustomError(
                "name",
                "decision id '{value}' is not a valid id",
                {
                    "value": value,
                    "hint": "use letters, digits, '_' and '-', starting with a letter, "
                    "such as ADR-001 or cache-first",
                },
            )
        return value

    @model_serializer(mode="wrap")
    def _compact(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> Any:
        data = handler(self)
        if info.mode_is_json():
            for key in ("supersedes", "consequences"):
                if len(data.get(key, ())) == 1:
                    data[key] = data[key][0]
        return data


class Design(Strict):
    """A whole system design."""

    model_config = ConfigDict(
        title="staffpath design",
        json_schema_extra={
            "$comment": "Generated by `staffpath schema`. See docs/design-language.md."
        },
    )

    name: Annotated[str, Field(min_length=1, max_length=200)]
    description: str | None = None
    workload: Workload
    components: Annotated[dict[str, Component], Field(min_length=1)]
    data: Data | None = None
    failures: list[Failure] = Field(default_factory=list)
    goals: Goals | None = None
    decisions: list[Decision] = Field(
        default_factory=list,
        description="Architecture decision records: why the design is the way it is.",
    )

    @field_validator("components")
    @classmethod
    def _component_names(cls, comps: dict[str, Component]) -> dict[str, Component]:
        for name in comps:
            _name(name, "component")
        return comps


Visit.model_rebuild()
Parallel.model_rebuild()
Flow.model_rebuild()
