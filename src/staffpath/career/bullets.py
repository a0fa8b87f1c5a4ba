"""Resume bullets from the evidence log: a past-tense action verb first, then the measured
result, with a few rewrite rules for the openings resume guides warn about ("I was
responsible for..."), and flags for what a bullet still lacks (a number, a strong verb)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from staffpath.career.evidence import Evidence, Record
from staffpath.practice.stories import measures

# Base forms and gerunds whose past tense the "+ed" rule gets wrong, or that it must know.
_IRREGULAR = """
build:built building:built lead:led leading:led run:ran running:ran write:wrote
writing:wrote drive:drove driving:drove make:made making:made set:set setting:set cut:cut
cutting:cut teach:taught teaching:taught bring:brought bringing:brought find:found
finding:found win:won winning:won grow:grew growing:grew take:took taking:took own:owned
owning:owned ship:shipped shipping:shipped split:split splitting:split rewrite:rewrote
rewriting:rewrote hold:held holding:held give:gave giving:gave mentor:mentored
design:designed migrate:migrated reduce:reduced automate:automated launch:launched
create:created deliver:delivered improve:improved introduce:introduced replace:replaced
"""
_PAST_IRREGULAR = """
began brought built chose cut drove found gave got grew held kept led made met overcame
oversaw ran rewrote saw set sold sped spent split taught thought told took understood
undertook won wrote
"""
IRREGULAR = dict(pair.split(":") for pair in _IRREGULAR.split())
PAST_IRREGULAR = set(_PAST_IRREGULAR.split())
WEAK = ("helped", "assisted", "participated", "contributed", "supported", "worked")
MAX_BULLET_WORDS = 35


def past_tense(verb: str) -> str:
    """``migrating`` or ``migrate`` -> ``migrated``; irregular verbs from a small table."""
    low = verb.lower()
    if low in IRREGULAR:
        return IRREGULAR[low]
    if low.endswith("ing") and len(low) > 5:
        stem = low[:-3]
        if stem.endswith("y") and stem[-2:-1] not in "aeiou":
            return stem[:-1] + "ied"
        return stem + "ed"
    return low


# Openings resume guides warn about, and what they become. Each pattern is anchored at the
# start; group "rest" is what follows.
_REWRITES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(
            r"(?:I|we)\s+(?:was|were)\s+(?:solely\s+)?responsible\s+for\s+(?P<rest>.*)", re.I | re.S
        ),
        "owned",
        "'I was responsible for' names a duty, not an action",
    ),
    (
        re.compile(r"responsible\s+for\s+(?P<rest>.*)", re.I | re.S),
        "owned",
        "'responsible for' names a duty, not an action",
    ),
    (
        re.compile(r"(?:I\s+)?(?:was\s+)?in\s+charge\s+of\s+(?P<rest>.*)", re.I | re.S),
        "led",
        "'in charge of' names a position, not an action",
    ),
    (
        re.compile(r"(?:I\s+)?(?:was\s+)?(?:tasked\s+with|asked\s+to)\s+(?P<rest>.*)", re.I | re.S),
        "",
        "'tasked with' says what you were given, not what you did",
    ),
    (
        re.compile(r"(?:I\s+)?(?:was\s+)?involved\s+in\s+(?P<rest>.*)", re.I | re.S),
        "contributed to",
        "'involved in' hides your part",
    ),
    (
        re.compile(r"I\s+(?P<rest>.*)", re.S),
        "",
        "a resume bullet drops the 'I'",
    ),
)


@dataclass(frozen=True, slots=True)
class Bullet:
    id: str
    date: date
    text: str
    has_number: bool
    rewrites: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "date": self.date.isoformat(),
            "text": self.text,
            "has_number": self.has_number,
            "rewrites": list(self.rewrites),
            "flags": list(self.flags),
        }


def _starts_with_verb(rest: str) -> str:
    """The first word of ``rest`` put in the past tense (gerunds and base forms only)."""
    m = re.match(r"([A-Za-z]+)(.*)", rest, re.S)
    if not m:
        return rest
    word, tail = m.groups()
    low = word.lower()
    if low in IRREGULAR or low.endswith("ing"):
        return past_tense(low) + tail
    return rest


def action(what: str) -> tuple[str, list[str]]:
    """The first sentence of ``what`` rewritten to open with a past-tense action verb, and the
    rules that fired."""
    sentence = re.split(r"(?<=[.!?])\s", what.strip(), maxsplit=1)[0].rstrip(".!? ")
    sentence = re.sub(r"\s+", " ", sentence)
    fired: list[str] = []
    for pattern, verb, why in _REWRITES:
        m = pattern.match(sentence)
        if not m:
            continue
        rest = m.group("rest")
        if verb:
            # "responsible for migrating X" -> "migrated X", not "owned migrating X"
            first = rest.split(" ", 1)[0].lower()
            sentence = _starts_with_verb(rest) if first.endswith("ing") else f"{verb} {rest}"
        else:
            sentence = _starts_with_verb(rest)
        fired.append(why)
        break
    first = sentence.split(" ", 1)[0]
    if first.lower() in IRREGULAR and first.lower() not in PAST_IRREGULAR:
        sentence = _starts_with_verb(sentence)
        fired.append(f"'{first}' put in the past tense")
    return sentence[:1].upper() + sentence[1:], fired


def bullet(ev: Evidence) -> Bullet:
    """One resume bullet: action first (the title when there is one: it is short; else the
    first sentence of ``what``), then the metric; flags for what a reader will miss."""
    text, fired = action(ev.title or ev.what)
    if ev.metric:
        metric = ev.metric.rstrip(".")
        text = f"{text}; {metric[:1].lower() + metric[1:] if metric[1:2].islower() else metric}"
    text += "."
    flags: list[str] = []
    has_number = bool(measures(text))
    if not has_number:
        flags.append("no number: add the metric (how much, how many, how fast)")
    first = text.split(" ", 1)[0].lower().strip(",;:")
    if first in ("we", "our", "the", "a", "an", "my"):
        flags.append(f"starts with '{first}': open with the verb for what you did")
    elif first in WEAK or first.startswith("help"):
        flags.append(f"weak verb '{first}': say what you did yourself (built, led, cut...)")
    elif not (first.endswith("ed") or first in PAST_IRREGULAR):
        flags.append(f"'{first}' is not a past-tense action verb: open with one")
    n = len(text.split())
    if n > MAX_BULLET_WORDS:
        flags.append(f"{n} words: keep a bullet to {MAX_BULLET_WORDS} or fewer")
    return Bullet(ev.id, ev.date, text, has_number, tuple(fired), tuple(flags))


def bullets(records: Iterable[Record]) -> list[Bullet]:
    """Bullets for the records, newest first (the order a resume lists them)."""
    chosen = sorted(records, key=lambda r: (r.evidence.date, r.evidence.id), reverse=True)
    return [bullet(r.evidence) for r in chosen]


def json_resume_highlights(items: Sequence[Bullet]) -> dict[str, Any]:
    """Candidates for JSON Resume ``work[].highlights``: merge them into the right job."""
    return {"work": [{"highlights": [b.text for b in items]}]}
