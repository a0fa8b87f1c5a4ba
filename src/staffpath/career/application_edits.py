"""Adding an application or a stage to the applications file as a text edit, so that the
comments and layout the user wrote stay as they are.

The new item goes after the last line of the list it joins, indented like the list, in the
style the list already uses (an inline ``[...]`` list gets an inline item). The edited text is
then loaded again and compared with what was intended; only an edit that passes that check
is returned. Pure: text in, text out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date

import yaml

from staffpath.career.applications import (
    STAGES,
    ApplicationBook,
    ApplicationsError,
    StageEntry,
    parse_applications,
    slug,
    transition_problem,
)
from staffpath.design.yamltext import plain_is_text
from staffpath.errors import InputError

HEADER = "# Job applications for `staffpath jobs` (the format: docs/applications.md)\n"


# words YAML 1.1 readers (PyYAML's safe_load among them) take for booleans or null
_YAML11_WORDS = {"yes", "no", "y", "n", "on", "off", "true", "false", "null", "~"}


def _scalar(text: str) -> str:
    """``text`` as a YAML scalar that reads back as the same text, in a flow or a block, for
    YAML 1.2 and 1.1 readers alike: plain when safe, else double-quoted."""
    if (
        re.fullmatch(r"[A-Za-z][A-Za-z0-9 ._/()&'+-]*", text)
        and plain_is_text(text)
        and text.casefold() not in _YAML11_WORDS
    ):
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def _last_line(node: yaml.Node, lines: list[str]) -> int:
    """The 0-based line of the last character of ``node``. End marks may sit at the start of
    the following line, and a block scalar's extent takes in the blank lines after it."""
    if isinstance(node, yaml.MappingNode) and node.value and not node.flow_style:
        return _last_line(node.value[-1][1], lines)
    if isinstance(node, yaml.SequenceNode) and node.value and not node.flow_style:
        return _last_line(node.value[-1], lines)
    end = node.end_mark
    line = end.line - 1 if end.column == 0 and end.line > node.start_mark.line else end.line
    while line > node.start_mark.line and line < len(lines) and not lines[line].strip():
        line -= 1
    return line


def _lookup(mapping: yaml.Node, key: str) -> yaml.Node | None:
    if isinstance(mapping, yaml.MappingNode):
        for k, v in mapping.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                found: yaml.Node = v
                return found
    return None


def _insert_lines(text: str, after: int, block: list[str], *, gap: bool) -> str:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    new = (["\n"] if gap else []) + [line + "\n" for line in block]
    return "".join(lines[: after + 1] + new + lines[after + 1 :])


def _item_lines(block: list[str], column: int) -> list[str]:
    """One list item: the first line after the dash, the others under it."""
    indent = " " * column
    return [f"{indent}- {block[0]}"] + [f"{indent}  {line}" for line in block[1:]]


def _append_to_sequence(
    text: str, seq: yaml.Node, block: list[str], flow_item: str, *, what: str
) -> str:
    """Add one item at the end of the sequence ``seq`` of ``text``: ``block`` (lines without
    the dash's indentation; the first gets the dash) in a block list, ``flow_item`` in an
    inline ``[...]`` list."""
    if not isinstance(seq, yaml.SequenceNode):
        raise InputError(f"{what} is not a list; fix the file with `staffpath jobs check`")
    if seq.flow_style:
        close = seq.end_mark.index - 1
        if text[close] != "]":
            raise InputError(f"{what}: cannot find the closing ']' of the inline list")
        sep = ", " if seq.value else ""
        return text[:close] + sep + flow_item + text[close:]
    lines = _item_lines(block, seq.start_mark.column)
    items = seq.value
    gap = False
    if len(items) >= 2:
        before_second = items[1].start_mark.line - 1
        gap = not text.splitlines()[before_second].strip()
    return _insert_lines(text, _last_line(seq, text.splitlines()), lines, gap=gap)


def _verified(text: str, source: str, intended: Callable[[ApplicationBook], bool]) -> str:
    """``text`` once it loads and ``intended`` agrees it says what was meant."""
    try:
        book = parse_applications(text, source=source)
    except ApplicationsError as exc:  # pragma: no cover - every edit is valid by construction
        raise InputError(
            f"{source}: the edit would break the file, so it was not made:\n{exc}"
        ) from None
    if not intended(book):  # pragma: no cover - a layout the edit did not foresee
        raise InputError(
            f"{source}: the text edit did not give the intended result (an unusual layout?), "
            "so the file was not changed; add the entry by hand"
        )
    return text


def _stage(stage: str, flag: str) -> None:
    if stage not in STAGES:
        raise InputError(f"{flag}no stage {stage!r}; choose from {', '.join(STAGES)}")


def add_application(
    text: str,
    *,
    company: str,
    title: str,
    when: date,
    stage: str = "wishlist",
    url: str | None = None,
    app_id: str | None = None,
    source: str = "<text>",
) -> tuple[str, str]:
    """The text with a new application appended (a new file's text when ``text`` is empty),
    and the new id: ``app_id``, or a slug of company and title made unique with -2, -3..."""
    _stage(stage, "--stage: ")
    problem = transition_problem(None, stage, when)
    if problem:
        raise InputError(f"--stage: {problem[1]} ({problem[2]})")
    company, title = company.strip(), title.strip()
    if not company or not title:
        raise InputError("--company and --title must not be empty")
    book = parse_applications(text, source=source) if text.strip() else None
    before = book.applications if book else ()
    ids = {a.id for a in before}
    if app_id is not None:
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", app_id):
            raise InputError(
                f"--id: {app_id!r} is not a slug; use lowercase letters, digits, hyphens"
            )
        if app_id in ids:
            raise InputError(f"--id: {app_id!r} is already used in {source}")
    new_id = base = app_id or slug(company, title)
    n = 2
    while new_id in ids:
        new_id, n = f"{base}-{n}", n + 1
    block = [
        f"id: {new_id}",
        "posting:",
        f"  title: {_scalar(title)}",
        f"  company: {_scalar(company)}",
    ]
    if url and url.strip():
        block.append(f"  url: {_scalar(url.strip())}")
    block += ["stages:", f"  - {{stage: {stage}, date: {when.isoformat()}}}"]
    new_list = "applications:\n" + "".join(f"{line}\n" for line in _item_lines(block, 2))
    if not text.strip():
        edited = (text or HEADER) + new_list
    else:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        seq = _lookup(root, "applications") if root is not None else None
        if seq is None:
            edited = text.rstrip("\n") + "\n\n" + new_list
        elif isinstance(seq, yaml.SequenceNode) and seq.flow_style:
            raise InputError(
                f"{source}: 'applications:' is written as an inline [...] list; write it as "
                "'applications:' on its own line with '- id: ...' items under it, then run "
                "the command again"
            )
        else:
            edited = _append_to_sequence(text, seq, block, "", what="applications")

    def intended(new: ApplicationBook) -> bool:
        return new.applications[:-1] == before and new.applications[-1].id == new_id

    return _verified(edited, source, intended), new_id


def add_stage(
    text: str,
    app_id: str,
    stage: str,
    *,
    when: date,
    note: str | None = None,
    source: str = "<text>",
) -> tuple[str, StageEntry]:
    """The text with ``stage`` appended to the history of application ``app_id``, once the
    move is allowed; and the stage it moved from."""
    _stage(stage, "")
    book = parse_applications(text, source=source)
    target = book.get(app_id)
    problem = transition_problem(target.current, stage, when)
    if problem:
        raise InputError(f"{app_id}: {problem[1]} ({problem[2]})")
    index = next(i for i, a in enumerate(book.applications) if a.id == app_id)
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    listed = _lookup(root, "applications") if root is not None else None
    stages = _lookup(listed.value[index], "stages") if listed is not None else None
    assert stages is not None  # the model requires it
    fields = [f"stage: {stage}", f"date: {when.isoformat()}"]
    if note and note.strip():
        fields.append(f"note: {_scalar(note.strip())}")
    flow = "{" + ", ".join(fields) + "}"
    last = stages.value[-1] if isinstance(stages, yaml.SequenceNode) and stages.value else None
    block = [flow] if last is None or getattr(last, "flow_style", False) else fields
    edited = _append_to_sequence(text, stages, block, flow, what=f"{app_id}.stages")
    expected = StageEntry.model_validate({"stage": stage, "date": when, "note": note})
    others = [a for a in book.applications if a.id != app_id]

    def intended(new: ApplicationBook) -> bool:
        moved = new.get(app_id)
        return (
            moved.stages[:-1] == target.stages
            and moved.stages[-1] == expected
            and [a for a in new.applications if a.id != app_id] == others
        )

    return _verified(edited, source, intended), target.current
