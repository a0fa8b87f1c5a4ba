"""Tailored variants: a small YAML overlay on the master resume.

A variant says only what differs from the master, so it stays a short file whose diff reads
well in review::

    label: Staff engineer, platform          # the variant's own name (required)
    headline: Staff Backend Engineer         # replaces basics.label
    summary: Platform engineer who ...       # replaces basics.summary (the objective)
    work:                                    # which jobs, in this order; absent = all
      - Fjordpay:
          highlights: [2, 0, "double charges"]   # index, or words from the highlight
      - Northwind Freight                    # every highlight
    projects: [ledgerlint]
    skills:
      - Data: {keywords: [Kafka, PostgreSQL]}
      - Infrastructure
    omit: [interests, volunteer]             # sections left out
    keywords: [platform engineering]         # extra keywords, kept in meta.staffpath.keywords

An entry is named by its ``name`` (a whole number is its 0-based index); a highlight or a
keyword by its index or by text that it alone contains (case-insensitive). Any reference
that does not resolve is an error located in the variant file, with a did-you-mean.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from staffpath.career.resume.model import schema_problems, yaml_problem
from staffpath.design.yamltext import Located, YamlProblem, dotted, parse
from staffpath.errors import InputError, InternalError, Problem
from staffpath.textfile import read_text

FIELDS = ("label", "headline", "summary", "work", "projects", "skills", "omit", "keywords")
PICKED = {"work": ("highlights",), "projects": ("highlights", "keywords"), "skills": ("keywords",)}
SECTIONS = (
    "work",
    "volunteer",
    "education",
    "awards",
    "certificates",
    "publications",
    "skills",
    "languages",
    "interests",
    "references",
    "projects",
)

VPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Pick:
    """One entry of a section, with the items of its lists to keep (None keeps them all)."""

    ref: str | int
    path: VPath
    items: dict[str, list[tuple[str | int, VPath]]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Variant:
    file: str
    label: str
    located: Located
    headline: str | None = None
    summary: str | None = None
    picks: dict[str, list[Pick]] = field(default_factory=dict)
    omit: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


class _Collector:
    def __init__(self, located: Located) -> None:
        self.located = located
        self.problems: list[Problem] = []

    def add(self, path: VPath, message: str, hint: str = "", *, key: bool = False) -> None:
        _, (line, col) = self.located.where(path, key=key)
        self.problems.append(Problem(line, col, dotted(path), message, hint))


def _text(value: Any, path: VPath, out: _Collector) -> str | None:
    if not isinstance(value, str) or not value.strip():
        out.add(path, f"expected non-empty text, found {value!r}")
        return None
    return value.strip()


def _texts(value: Any, path: VPath, out: _Collector) -> list[str]:
    if not isinstance(value, list):
        out.add(path, f"expected a list of text, found {value!r}")
        return []
    found = [_text(v, (*path, i), out) for i, v in enumerate(value)]
    return [f for f in found if f is not None]


def _ref(value: Any, path: VPath, out: _Collector) -> str | int | None:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        out.add(path, f"expected a name or a 0-based index, found {value!r}")
        return None
    return value


def _picks(section: str, value: Any, path: VPath, out: _Collector) -> list[Pick]:
    if not isinstance(value, list):
        out.add(path, f"expected a list of {section} entries (names or indices), found {value!r}")
        return []
    picks = []
    for i, item in enumerate(value):
        here = (*path, i)
        if isinstance(item, dict):
            if len(item) != 1:
                out.add(
                    here,
                    "expected one entry name with its options, e.g. '- Acme: {highlights: [0, 2]}'",
                )
                continue
            ((name, options),) = item.items()
            items: dict[str, list[tuple[str | int, VPath]]] = {}
            if options is not None and not isinstance(options, dict):
                out.add(
                    (*here, name),
                    f"expected options such as {PICKED[section][0]}: [...], found {options!r}",
                )
                continue
            for key, refs in (options or {}).items():
                where = (*here, name, key)
                if key not in PICKED[section]:
                    out.add(
                        where, f"unknown option (expected: {', '.join(PICKED[section])})", key=True
                    )
                    continue
                if not isinstance(refs, list):
                    out.add(where, f"expected a list of indices or texts, found {refs!r}")
                    continue
                chosen = []
                for j, r in enumerate(refs):
                    ref = _ref(r, (*where, j), out)
                    if ref is not None:
                        chosen.append((ref, (*where, j)))
                items[key] = chosen
            picks.append(Pick(name, (*here, name), items))
        else:
            ref = _ref(item, here, out)
            if ref is not None:
                picks.append(Pick(ref, here))
    return picks


def parse_variant(text: str, *, name: str) -> Variant:
    """A variant from the text of its YAML file; every problem reported at once."""
    if not text.strip():
        raise InputError(f"{name}:1:1: the variant is empty (start with label:)")
    try:
        located = parse(text)
    except YamlProblem as exc:
        raise InputError(yaml_problem(exc, "variant").render(name)) from None
    data = located.value
    if not isinstance(data, dict):
        raise InputError(f"{name}:1:1: expected a variant (a mapping with label, work, ...)")
    out = _Collector(located)
    for key in data:
        if key not in FIELDS:
            close = difflib.get_close_matches(key, FIELDS, n=1)
            hint = f"did you mean '{close[0]}'?" if close else ""
            out.add((key,), f"unknown field (expected one of: {', '.join(FIELDS)})", hint, key=True)
    label = _text(data["label"], ("label",), out) if "label" in data else None
    if "label" not in data:
        out.add((), "label: required, but missing", "name the variant, e.g. label: Staff platform")
    headline = _text(data["headline"], ("headline",), out) if "headline" in data else None
    summary = _text(data["summary"], ("summary",), out) if "summary" in data else None
    picks = {s: _picks(s, data[s], (s,), out) for s in PICKED if s in data}
    omit: list[str] = []
    if "omit" in data:
        for i, section in enumerate(_texts(data["omit"], ("omit",), out)):
            if section not in SECTIONS:
                close = difflib.get_close_matches(section, SECTIONS, n=1)
                hint = f"did you mean '{close[0]}'?" if close else ""
                out.add(
                    ("omit", i),
                    f"not a resume section (expected one of: {', '.join(SECTIONS)})",
                    hint,
                )
            elif section in picks:
                out.add(("omit", i), f"{section} is both picked and omitted", "keep one of the two")
            else:
                omit.append(section)
    keywords = _texts(data["keywords"], ("keywords",), out) if "keywords" in data else []
    if out.problems:
        raise InputError(_render(out.problems, name))
    assert label is not None
    return Variant(name, label, located, headline, summary, picks, tuple(omit), tuple(keywords))


def load_variant(path: Path) -> Variant:
    return parse_variant(read_text(path, what="variant file"), name=str(path))


def _render(problems: Sequence[Problem], file: str) -> str:
    ordered = sorted(problems, key=lambda p: (p.line, p.column, p.path))
    return "\n".join(p.render(file) for p in ordered)


def _short(text: str, width: int = 50) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _resolve(
    ref: str | int, names: list[str], what: str, path: VPath, out: _Collector, *, substring: bool
) -> int | None:
    """The index ``ref`` names among ``names``: by index, by exact name, else (for highlights
    and keywords) by a case-insensitive substring that only one of them contains."""
    if isinstance(ref, int):
        if 0 <= ref < len(names):
            return ref
        out.add(path, f"no {what} at index {ref} (there are {len(names)}: 0 to {len(names) - 1})")
        return None
    if ref in names:
        return names.index(ref)
    if ref.isdigit() and 0 <= int(ref) < len(names):
        return int(ref)
    lowered = [n.casefold() for n in names]
    if ref.casefold() in lowered:
        return lowered.index(ref.casefold())
    if substring:
        hits = [i for i, n in enumerate(lowered) if ref.casefold() in n]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            which = "; ".join(f"{i}: {_short(names[i])}" for i in hits)
            out.add(
                path, f"{ref!r} is in {len(hits)} {what}s ({which})", "use more words or the index"
            )
            return None
    close = difflib.get_close_matches(ref, names, n=1, cutoff=0.5)
    if close:
        hint = f"did you mean {close[0]!r} ({names.index(close[0])})?"
    elif names:
        listed = ", ".join(f"{i}: {_short(n, 30)}" for i, n in enumerate(names))
        hint = f"the {what}s are {listed}"
    else:
        hint = f"the master has no {what}s here"
    out.add(path, f"no {what} {ref!r} in the master resume", hint)
    return None


def _entry_name(section: str, entry: dict[str, Any]) -> str:
    return str(entry.get("name", ""))


def _remap(
    pointer: str,
    variant: Variant,
    moves: dict[tuple[str, int], int],
    item_moves: dict[tuple[str, int, str], dict[int, int]],
) -> str | None:
    """Where the item at ``pointer`` in the master is in the tailored resume (None: left out)."""
    parts = pointer.split("/")
    if len(parts) < 2:
        return pointer
    section = parts[1]
    if section in variant.omit:
        return None
    if section not in variant.picks or len(parts) < 3 or not parts[2].isdigit():
        return pointer
    old = int(parts[2])
    if (section, old) not in moves:
        return None
    parts[2] = str(moves[(section, old)])
    if len(parts) >= 5 and parts[4].isdigit() and (section, old, parts[3]) in item_moves:
        items = item_moves[(section, old, parts[3])]
        if int(parts[4]) not in items:
            return None
        parts[4] = str(items[int(parts[4])])
    return "/".join(parts)


def apply(master: dict[str, Any], variant: Variant) -> dict[str, Any]:
    """The full JSON Resume the variant describes. The master is not changed. Evidence links
    (``meta.staffpath.evidence``, keyed by JSON pointer) follow their highlights to where the
    variant puts them; those of items left out are dropped."""
    out = _Collector(variant.located)
    resume = copy.deepcopy(master)
    basics = resume.setdefault("basics", {})
    if variant.headline is not None:
        basics["label"] = variant.headline
    if variant.summary is not None:
        basics["summary"] = variant.summary
    moves: dict[tuple[str, int], int] = {}  # (section, master index) -> tailored index
    item_moves: dict[tuple[str, int, str], dict[int, int]] = {}
    for section, picks in variant.picks.items():
        entries = master.get(section, [])
        names = [_entry_name(section, e) for e in entries]
        chosen: list[dict[str, Any]] = []
        seen: dict[int, VPath] = {}
        for pick in picks:
            index = _resolve(pick.ref, names, f"{section} entry", pick.path, out, substring=False)
            if index is None:
                continue
            if index in seen:
                out.add(pick.path, f"{names[index]!r} is picked twice", "list each entry once")
                continue
            seen[index] = pick.path
            entry = copy.deepcopy(entries[index])
            for key, refs in pick.items.items():
                values = list(entries[index].get(key, []))
                kept: list[int] = []
                for ref, where in refs:
                    what = "highlight" if key == "highlights" else "keyword"
                    i = _resolve(ref, values, what, where, out, substring=True)
                    if i is not None:
                        if i in kept:
                            out.add(where, f"{what} {i} is picked twice", "list each once")
                        else:
                            kept.append(i)
                entry[key] = [values[i] for i in kept]
                item_moves[(section, index, key)] = {old: new for new, old in enumerate(kept)}
            moves[(section, index)] = len(chosen)
            chosen.append(entry)
        resume[section] = chosen
    for section in variant.omit:
        resume.pop(section, None)
    if out.problems:
        raise InputError(_render(out.problems, variant.file))
    staffpath = resume.setdefault("meta", {}).setdefault("staffpath", {})
    if "evidence" in staffpath:
        remapped = {}
        for pointer, ids in staffpath["evidence"].items():
            new = _remap(pointer, variant, moves, item_moves)
            if new is not None:
                remapped[new] = ids
        staffpath["evidence"] = remapped
    staffpath["variant"] = variant.label
    if variant.keywords:
        keywords = list(staffpath.get("keywords", []))
        keywords += [k for k in variant.keywords if k not in keywords]
        staffpath["keywords"] = keywords
    problems = schema_problems(resume)
    if problems:  # a valid master and a checked variant cannot produce this
        raise InternalError(_render(problems, "<tailored resume>"))
    return resume
