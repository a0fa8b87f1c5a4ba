"""Safe, located YAML: text in, plain Python values out, every node's line and column kept.

We read the *event stream* of PyYAML (libyaml when available) and build values ourselves,
so that nothing dangerous is ever constructed and every limit is enforced *before* a node
is built:

- anchors, aliases and explicit tags are refused at the first one (no billion laughs, no
  ``!!python/object``);
- nesting deeper than :data:`MAX_DEPTH` is refused the moment it is reached (no stack
  exhaustion);
- duplicate keys are reported with both lines;
- plain scalars follow the YAML 1.2 core schema, not 1.1: ``no`` and ``on`` stay strings,
  keys are always strings, and ``.nan`` / ``.inf`` are refused.

The result is a :class:`Located` document: the value tree plus a map from each node's path
(a tuple of keys and indices) to where it starts in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from staffpath.errors import Problem

MAX_DEPTH = 64
MAX_BYTES = 256 * 1024

Path = tuple[str | int, ...]

try:  # libyaml is several times faster; the pure-Python parser gives identical events
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

_NULL = re.compile(r"~|null|Null|NULL|")
_TRUE = re.compile(r"true|True|TRUE")
_FALSE = re.compile(r"false|False|FALSE")
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_NONFINITE = re.compile(r"[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)")


@dataclass
class Located:
    """A parsed document: ``value`` plus where each node and each mapping key starts."""

    value: Any
    nodes: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def resolve(self, path: Path) -> Path:
        """The longest prefix of ``path`` present in the text.

        Segments the text does not have (a union tag, a normalised name such as
        ``branches``) are skipped, and a one-key mapping (``- cache: {...}``) is stepped into.
        """
        cur: Path = ()
        for seg in path:
            if (*cur, seg) in self.nodes:
                cur = (*cur, seg)
                continue
            node = self.value_at(cur)
            if isinstance(node, dict) and len(node) == 1:
                (only,) = node
                if (*cur, only, seg) in self.nodes:
                    cur = (*cur, only, seg)
        return cur

    def value_at(self, path: Path) -> Any:
        node = self.value
        for seg in path:
            node = node[seg]
        return node

    def where(self, path: Path, *, key: bool = False) -> tuple[Path, tuple[int, int]]:
        """The located path for ``path`` and the line and column where it starts."""
        found = self.resolve(path)
        if key and found in self.keys:
            return found, self.keys[found]
        if found in self.nodes:
            return found, self.nodes[found]
        return found, (1, 1)


class YamlProblem(Exception):
    """Raised internally to stop at the first unsafe or malformed construct."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def plain_is_text(value: str) -> bool:
    """Whether ``value`` written without quotes reads back as text under these rules (YAML
    1.2 core): ``08``, ``no`` and ``1e3`` do not all agree with YAML 1.1 writers."""
    return not any(r.fullmatch(value) for r in (_NULL, _TRUE, _FALSE, _INT, _FLOAT, _NONFINITE))


def dotted(path: Path, *, limit: int = 100) -> str:
    """``("workload", "flows", "a", "steps", 2)`` -> ``workload.flows.a.steps[2]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not part or any(ch in part for ch in ".[] "):
            out += f"[{part!r}]"
        else:
            out += f".{part}" if out else str(part)
    if len(out) > limit:  # a hostile depth: keep the start and say how deep
        out = f"{out[: limit - 20]}... ({len(path)} levels)"
    return out


def _mark(event: Any) -> tuple[int, int]:
    m = event.start_mark
    return (m.line + 1, m.column + 1)


def _scalar(event: Any, path: Path) -> Any:
    text: str = event.value
    if not event.implicit[0]:  # quoted or block scalars are always strings
        return text
    if _NULL.fullmatch(text):
        return None
    if _TRUE.fullmatch(text):
        return True
    if _FALSE.fullmatch(text):
        return False
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    if _NONFINITE.fullmatch(text):
        line, col = _mark(event)
        raise YamlProblem(
            Problem(
                line,
                col,
                dotted(path),
                f"{text} is not allowed here",
                "numbers must be finite: NaN and infinity mean nothing in a design",
            )
        )
    return text


def _refuse(event: Any, path: Path) -> None:
    line, col = _mark(event)
    anchor = getattr(event, "anchor", None)
    if isinstance(event, yaml.AliasEvent):
        raise YamlProblem(
            Problem(
                line,
                col,
                dotted(path),
                f"alias *{event.anchor} is not allowed",
                "anchors and aliases are not part of the design language: write the value out",
            )
        )
    if anchor is not None:
        raise YamlProblem(
            Problem(
                line,
                col,
                dotted(path),
                f"anchor &{anchor} is not allowed",
                "anchors and aliases are not part of the design language: write the value out",
            )
        )
    tag = getattr(event, "tag", None)
    if isinstance(tag, str) and tag.startswith("tag:yaml.org,2002:"):
        tag = "!!" + tag.removeprefix("tag:yaml.org,2002:")
    if tag is not None and tag != "!":
        implicit = getattr(event, "implicit", True)
        explicit = not all(implicit) if isinstance(implicit, tuple) else not implicit
        if explicit:
            raise YamlProblem(
                Problem(
                    line,
                    col,
                    dotted(path),
                    f"tag {tag} is not allowed",
                    "YAML tags are not part of the design language: remove the tag",
                )
            )


def _syntax_hint(text: str, line: int, exc: yaml.MarkedYAMLError) -> str:
    """A hint for the usual causes of a YAML syntax error."""
    lines = text.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in here[: len(here) - len(here.lstrip())] or "\t" in here:
        return "YAML indents with spaces, never tabs: replace the tab"
    opened = exc.context_mark
    if exc.context and "flow" in exc.context and opened is not None:
        return (
            f"the bracket opened at line {opened.line + 1}, column {opened.column + 1} "
            "is not closed where expected"
        )
    if exc.context and "block mapping" in exc.context and opened is not None:
        return (
            f"the mapping that starts at line {opened.line + 1} has a line indented "
            "differently from its other keys"
        )
    return "check indentation and quoting near this line"


def parse(text: str) -> Located:
    """Parse one YAML document safely. Raises :class:`YamlProblem` for the first problem."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise YamlProblem(
            Problem(
                0,
                0,
                "",
                f"the file is larger than {MAX_BYTES // 1024} KiB",
                "a design this large is almost certainly not hand-written; split it",
            )
        )
    doc = Located(None)
    # Each frame: [container, path, pending_key or None, seen_keys(dict key->line)]
    stack: list[list[Any]] = []
    documents = 0
    root_set = False
    events = yaml.parse(text, Loader=_Loader)
    try:
        for event in events:
            if isinstance(event, yaml.StreamStartEvent | yaml.StreamEndEvent):
                continue
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    line, col = _mark(event)
                    raise YamlProblem(
                        Problem(
                            line,
                            col,
                            "",
                            "a design file holds one YAML document",
                            "remove the second '---' document or put it in its own file",
                        )
                    )
                continue
            if isinstance(event, yaml.DocumentEndEvent):
                continue

            if isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                frame = stack.pop()
                if not stack:
                    doc.value = frame[0]
                    root_set = True
                continue

            # A node starts: where does it go?
            if stack:
                parent = stack[-1]
                container = parent[0]
                if isinstance(container, dict) and parent[2] is None:
                    # This node is a key.
                    _refuse(event, parent[1])
                    if not isinstance(event, yaml.ScalarEvent):
                        line, col = _mark(event)
                        raise YamlProblem(
                            Problem(
                                line,
                                col,
                                dotted(parent[1]),
                                "a mapping key must be a plain name",
                                "keys are names such as 'replicas' or 'api'",
                            )
                        )
                    key = event.value
                    kpath = (*parent[1], key)
                    if key in parent[3]:
                        first = parent[3][key]
                        line, col = _mark(event)
                        raise YamlProblem(
                            Problem(
                                line,
                                col,
                                dotted(kpath),
                                f"duplicate key {key!r} (first defined on line {first})",
                                "each key may appear once in a mapping; merge the two entries",
                            )
                        )
                    parent[3][key] = _mark(event)[0]
                    doc.keys[kpath] = _mark(event)
                    parent[2] = key
                    continue
                if isinstance(container, dict):
                    path = (*parent[1], parent[2])
                else:
                    path = (*parent[1], len(container))
            else:
                path = ()

            _refuse(event, path)
            doc.nodes[path] = _mark(event)
            if isinstance(event, yaml.ScalarEvent):
                value: Any = _scalar(event, path)
            elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                if len(stack) >= MAX_DEPTH:
                    line, col = _mark(event)
                    raise YamlProblem(
                        Problem(
                            line,
                            col,
                            dotted(path),
                            f"nesting deeper than {MAX_DEPTH} levels",
                            "a design is a few levels deep; this looks like generated or hostile input",
                        )
                    )
                value = {} if isinstance(event, yaml.MappingStartEvent) else []
            else:  # pragma: no cover - every event type is handled above
                continue

            if stack:
                parent = stack[-1]
                if isinstance(parent[0], dict):
                    parent[0][parent[2]] = value
                    parent[2] = None
                else:
                    parent[0].append(value)
            if isinstance(value, dict | list):
                stack.append([value, path, None, {}])
            elif not stack:
                doc.value = value
                root_set = True
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        what = (exc.problem or "malformed YAML").strip()
        hint = _syntax_hint(text, line, exc)
        if "maximum nesting depth" in what:  # libyaml's own guard, met while scanning ahead
            raise YamlProblem(
                Problem(
                    line,
                    col,
                    "",
                    f"nesting deeper than {MAX_DEPTH} levels",
                    "a design is a few levels deep; this looks like generated or hostile input",
                )
            ) from None
        context = f" {exc.context.strip()}" if exc.context else ""
        raise YamlProblem(
            Problem(
                line,
                col,
                "",
                f"YAML syntax error: {what}{context}",
                hint,
            )
        ) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(
            Problem(0, 0, "", f"YAML error: {exc}", "the file is not valid YAML")
        ) from None
    if not root_set:
        raise YamlProblem(
            Problem(
                1, 1, "", "the design is empty", "start with 'name:', 'workload:' and 'components:'"
            )
        )
    return doc
