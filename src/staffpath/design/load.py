"""Text in, validated :class:`~staffpath.design.model.Design` out, or every problem located.

Three passes, each reporting all it finds: safe YAML (:mod:`.yamltext`), the pydantic model
(structure, types and units), then the cross-field rules (:mod:`.checks`). Only
:class:`~staffpath.errors.DesignError` (or :class:`~staffpath.errors.InputError` for an
unreadable path) leaves this module, whatever the input.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Any

from pydantic import BaseModel, ValidationError

from staffpath.design import checks
from staffpath.design.catalog import Catalog, load_catalog
from staffpath.design.model import Design, Parallel, Visit
from staffpath.design.yamltext import MAX_BYTES, Located, Path, YamlProblem, dotted, parse
from staffpath.errors import DesignError, InputError, Problem


@dataclass(frozen=True, slots=True)
class Loaded:
    """A design that loaded, with its warnings (problems that do not stop it)."""

    design: Design
    warnings: tuple[Problem, ...]
    source: str


def load_design(source: str | FsPath, *, catalog: Catalog | None = None) -> Design:
    """Load and validate a design from a path or from YAML text.

    A :class:`pathlib.Path` is always a file. A ``str`` is YAML text when it holds a newline
    or does not name an existing file; otherwise it is a path.
    Raises :class:`DesignError` listing every problem.
    """
    return load(source, catalog=catalog).design


def load(source: str | FsPath, *, catalog: Catalog | None = None) -> Loaded:
    """Like :func:`load_design`, and also return the warnings."""
    text, name = _read(source)
    return load_text(text, name=name, catalog=catalog)


def _read(source: str | FsPath) -> tuple[str, str]:
    if isinstance(source, str) and ("\n" in source or not source.strip() or not _is_file(source)):
        return source, "<text>"
    path = FsPath(source)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a design file")
    if size > MAX_BYTES:
        raise DesignError(
            [
                Problem(
                    0,
                    0,
                    "",
                    f"the file is {size // 1024} KiB, over the {MAX_BYTES // 1024} KiB limit",
                    "a design this large is almost certainly not hand-written; split it",
                )
            ],
            source=str(path),
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        return data.decode("utf-8"), str(path)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DesignError(
            [Problem(line, 1, "", "the file is not UTF-8 text", "save it as UTF-8")],
            source=str(path),
        ) from None


def _is_file(text: str) -> bool:
    try:
        return len(text) < 4096 and FsPath(text).is_file()
    except (OSError, ValueError):
        return False


def load_text(text: str, *, name: str = "<text>", catalog: Catalog | None = None) -> Loaded:
    """Validate YAML ``text``; ``name`` is the file name used in messages."""
    try:
        located = parse(text)
    except YamlProblem as exc:
        raise DesignError([exc.problem], source=name) from None
    except Exception as exc:  # the YAML library's own failures on hostile bytes
        raise DesignError(
            [
                Problem(
                    0,
                    0,
                    "",
                    f"the text could not be read as YAML ({type(exc).__name__})",
                    "check the file is plain UTF-8 YAML",
                )
            ],
            source=name,
        ) from None
    if not isinstance(located.value, dict):
        found = show_value(located.value)
        line, col = located.nodes.get((), (1, 1))
        raise DesignError(
            [
                Problem(
                    line,
                    col,
                    "",
                    f"a design is a mapping of fields, found {found}",
                    "start with 'name:', 'workload:' and 'components:'",
                )
            ],
            source=name,
        )
    try:
        design = Design.model_validate(located.value)
    except ValidationError as exc:
        raise DesignError(_pydantic_problems(exc, located), source=name) from None
    findings = checks.check(design, catalog or load_catalog())
    problems = [_finding(located, f) for f in findings]
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise DesignError(problems, source=name)
    return Loaded(design, tuple(sorted(problems, key=lambda p: (p.line, p.column))), name)


def _finding(located: Located, finding: checks.Finding) -> Problem:
    message = finding.message
    if finding.first is not None:
        _, (line, _) = located.where(finding.first)
        message = f"{message} (first on line {line})"
    return _locate(
        located, finding.path, message, finding.hint, finding.severity, key=finding.at_key
    )


def _locate(
    located: Located,
    path: Path,
    message: str,
    hint: str,
    severity: Any = "error",
    *,
    key: bool = False,
    exact: bool = True,
) -> Problem:
    """Place a problem at ``path``; unless ``exact``, name the path as the text has it."""
    found, (line, col) = located.where(path, key=key)
    return Problem(line, col, dotted(path if exact else found), message, hint, severity)


# --- pydantic errors in plain words ------------------------------------------------------------


def _pydantic_problems(exc: ValidationError, located: Located) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[int, int, str]] = set()
    for err in exc.errors(include_url=False):
        loc: Path = tuple(err["loc"])
        path, message, hint, at_key = _explain(err, loc)
        ctx = err.get("ctx") or {}
        exact = err["type"] in ("missing", "extra_forbidden") or at_key or "at_field" in ctx
        problem = _locate(located, path, message, hint, key=at_key, exact=exact)
        fingerprint = (problem.line, problem.column, problem.message)
        if fingerprint not in seen:
            seen.add(fingerprint)
            problems.append(problem)
    return problems


def _clean(loc: Path) -> Path:
    """Drop union tags pydantic adds to the location (``visit``, ``parallel``)."""
    out: list[str | int] = []
    for i, seg in enumerate(loc):
        if seg in ("visit", "parallel") and i > 0 and isinstance(loc[i - 1], int):
            if seg == "parallel":
                out.append("parallel")
            continue
        if seg == "function-before[_normalise_step(), tagged-union[Visit,Parallel]]":
            continue
        out.append(seg)
    return tuple(out)


def show_value(value: Any) -> str:
    """A value as an error message shows it: its kind for containers, short reprs."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _explain(err: Any, raw_loc: Path) -> tuple[Path, str, str, bool]:
    loc = _clean(raw_loc)
    kind: str = err["type"]
    ctx: dict[str, Any] = err.get("ctx") or {}
    value = err.get("input")
    field = loc[-1] if loc else ""
    if kind == "missing":
        return loc, f"missing required field {field!r}", _example(str(field), loc), True
    if kind == "extra_forbidden":
        allowed = _fields_at(loc[:-1])
        hint = checks.did_you_mean(str(field), allowed, what="fields here") if allowed else ""
        if field == "for" or (field == "at_key"):
            hint = hint or "see docs/design-language.md"
        return loc, f"unknown field {field!r}", hint, True
    if "at_key" in ctx:
        return (*loc, ctx["at_key"]), err["msg"], str(ctx.get("hint", "")), True
    if "at_field" in ctx:
        return (*loc, ctx["at_field"]), err["msg"], str(ctx.get("hint", "")), False
    if "hint" in ctx:
        return loc, err["msg"], str(ctx["hint"]), False
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        options = [
            o.strip().strip("'") for o in expected.replace(" or ", ",").split(",") if o.strip()
        ]
        hint = (
            checks.did_you_mean(str(value), options, what="values")
            if isinstance(value, str)
            else ""
        )
        return loc, f"expected one of {expected}, found {show_value(value)}", hint, False
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return (
            loc,
            f"expected a whole number, found {show_value(value)}",
            "write a number such as 3",
            False,
        )
    if kind in ("float_type", "float_parsing"):
        return (
            loc,
            f"expected a number, found {show_value(value)}",
            "write a number such as 0.8",
            False,
        )
    if kind == "finite_number":
        return loc, "NaN and infinity are not allowed", "write a finite number", False
    if kind == "string_too_short":
        return loc, f"{field} must not be empty", _example(str(field), loc), False
    if field == "retries" and kind in ("dict_type", "model_type", "model_attributes_type"):
        return (
            loc,
            f"expected a retry count or policy, found {show_value(value)}",
            _example("retries", loc),
            False,
        )
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = {
            "greater_than_equal": ">=",
            "greater_than": ">",
            "less_than_equal": "<=",
            "less_than": "<",
        }[kind]
        limit = next(iter(ctx.values()), "?")
        if isinstance(limit, float) and limit.is_integer():
            limit = int(limit)
        hint = _RANGE_HINTS.get(str(field), f"use a value {bound} {limit}")
        return loc, f"must be {bound} {limit}, found {show_value(value)}", hint, False
    if kind in ("string_type",):
        return loc, f"expected text, found {show_value(value)}", "quote it if it is text", False
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return (
            loc,
            f"expected a mapping of fields, found {show_value(value)}",
            _example(str(field), loc),
            False,
        )
    if kind == "list_type" and loc == ("decisions",):
        return (
            loc,
            f"expected a list of decisions, found {show_value(value)}",
            "the id is a field, not a key: start each decision with '- id: ADR-001'",
            False,
        )
    if kind == "list_type":
        return (
            loc,
            f"expected a list, found {show_value(value)}",
            "write '- item' lines or [a, b]",
            False,
        )
    if kind == "too_short" and field == "branches":
        return (
            loc,
            "parallel needs at least 2 branches",
            "with one branch, write its steps in line",
            False,
        )
    if kind == "too_short":
        need = ctx.get("min_length", 1)
        return (
            loc,
            f"needs at least {need} entr{'y' if need == 1 else 'ies'}",
            _example(str(field), loc),
            False,
        )
    if kind == "too_long":
        return loc, f"is too long (at most {ctx.get('max_length')})", "", False
    if kind == "bool_type":
        return loc, f"expected true or false, found {show_value(value)}", "", False
    return loc, err["msg"], "", False


_RANGE_HINTS = {
    "replicas": "a component has at least one replica; remove it from the design instead",
    "concurrency": "concurrency is the number of requests one replica serves at once, at least 1",
    "shards": "an unsharded component has shards: 1 (the default)",
    "fanout": "fanout is how many replicas are called in parallel, at least 1",
    "headroom": "headroom is saturation throughput / peak: 1 means no room; 2 means 2x",
    "attempts": "attempts counts retries after the first try: 0 to 10",
}

_EXAMPLES = {
    "name": "add name: <title of the design>",
    "workload": "add workload: {peak: 1k/s, flows: {read: {share: 100%, steps: [api]}}}",
    "components": "add components: {api: {kind: service}}",
    "flows": "add flows: {read: {share: 100%, steps: [api]}}",
    "steps": "add steps: [lb, api, db.read]",
    "kind": "add kind: one of client, dns, cdn, load_balancer, api_gateway, service, worker, "
    "cache, database, key_value, queue, stream, object_store, search_index",
    "mean": "add mean: 4ms",
    "at": "add at: 60s (when the failure starts)",
    "branches": "parallel: [[search], [ads]]",
    "attempts": "retries: 2",
    "retries": "retries: 2, or retries: {attempts: 2, backoff: 100ms, multiplier: 2}",
    "multiplier": "add multiplier: 2 (times workload.peak)",
}


_DECISION_EXAMPLES = {
    "id": "add id: a short slug such as ADR-001 or cache-first",
    "title": "add title: <the question decided, in a few words>",
    "status": "add status: proposed, accepted, superseded or deprecated",
    "context": "add context: <the forces that made a decision necessary>",
    "options": "add options: [{name: <an option>, pros: [...], cons: [...]}]",
    "name": "add name: <the option, in a few words>",
    "decision": "add decision: <what was decided>",
    "consequences": "add consequences: <what follows, good and bad>, as text or a list",
}


def _example(field: str, loc: Path = ()) -> str:
    if loc[:1] == ("decisions",):
        if len(loc) > 2 and loc[-2] == "options":
            return "write each option as {name: <option>, pros: [...], cons: [...]}"
        return _DECISION_EXAMPLES.get(field, "see Decisions in docs/design-language.md")
    return _EXAMPLES.get(field, "see docs/design-language.md")


def _fields_at(loc: Path) -> list[str]:
    """The field names allowed at ``loc`` (a path into the Design model), for hints."""
    current: Any = Design
    for seg in loc:
        current = _child(current, seg)
        if current is None:
            return []
    model = _as_model(current, None)
    if model is None:
        return []
    return [f.alias or n for n, f in model.model_fields.items() if n != "step"]


def _unwrap(tp: Any) -> list[Any]:
    """The concrete types an annotation may hold."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(tp):
            if arg is not type(None):
                out += _unwrap(arg)
        return out
    return [tp]


def _as_model(tp: Any, seg: str | int | None) -> type[BaseModel] | None:
    for option in _unwrap(tp):
        if isinstance(option, type) and issubclass(option, BaseModel):
            if seg == "parallel" and option is Visit:
                continue
            if seg is not None and isinstance(seg, int):
                continue
            return option
    return None


def _child(tp: Any, seg: str | int) -> Any:
    for option in _unwrap(tp):
        origin = typing.get_origin(option)
        if isinstance(option, type) and issubclass(option, BaseModel):
            if seg == "parallel" and option is Visit:
                return Parallel
            fields = option.model_fields
            if isinstance(seg, str) and seg in fields:
                return fields[seg].annotation
            if isinstance(seg, str) and option is Visit:
                return Visit  # the component key of '- cache: {...}'
        elif origin is dict and isinstance(seg, str):
            return typing.get_args(option)[1]
        elif origin is list and isinstance(seg, int):
            return typing.get_args(option)[0]
    return None
