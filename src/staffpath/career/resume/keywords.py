"""The keyword gap: which of a job posting's keywords the resume says, and which it does not.

Keywords come from YAKE (Campos et al., 2020), a statistical extractor that needs no model
download: it scores candidate phrases of one or two words by position, frequency, casing and
context spread; a *lower* weight means a *more* important keyword. Phrases made only of
job-posting boilerplate (``experience``, ``teams``) and the words the caller asks to ignore
(the company's own name, usually) are dropped.

A keyword is *in* the resume when its words appear consecutively in one of the resume's text
fields, compared word by word (so ``Go`` does not match ``Google``), case-insensitively and
after a simple plural stem (``services`` = ``service``, ``queries`` = ``query``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from staffpath.design.yamltext import dotted

MAX_WORDS = 2
TOP = 30
DEDUP = 0.8
# Words every posting uses that say nothing about the job's skills.
_BOILERPLATE_WORDS = """
    experience experienced team teams engineer engineers engineering role roles candidate
    candidates work working year years looking join plus bring build building company
    deep strong great good ability able including include includes new runs run will
    you your our we us who what responsibilities requirements preferred required nice
"""
BOILERPLATE = frozenset(_BOILERPLATE_WORDS.split())
SKIP_FIELDS = frozenset({"url", "email", "phone", "image", "countryCode", "postalCode"})
_TOKEN = re.compile(r"[a-z0-9][a-z0-9+#]*(?:\.[a-z0-9]+)*")


def stem(word: str) -> str:
    """A crude stem, the same on both sides of a comparison: plural to singular, then
    ``-ing``, ``-ed`` and a final ``e`` dropped (``services``, ``serviced`` and ``service``
    all become ``servic``; ``mentored`` matches ``mentor``). Words with digits or symbols
    (``k8s``, ``c++``, ``node.js``) are left alone."""
    if not word.isalpha():
        return word
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes", "zes")):
        word = word[:-2]
    elif (
        len(word) > 3
        and word.endswith("s")
        and not word.endswith(("ss", "us"))
        and not (len(word) > 4 and word.endswith("is"))
    ):
        word = word[:-1]
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ed"):
        word = word[:-2]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def words(text: str) -> list[str]:
    """The normalised words of ``text``: NFKC, lower case, split at anything that is not a
    letter, digit, ``+``, ``#`` or an inner dot (``node.js`` and ``c++`` stay whole), stemmed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return [stem(w) for w in _TOKEN.findall(folded)]


def contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    n = len(needle)
    return n > 0 and any(
        list(haystack[i : i + n]) == list(needle) for i in range(len(haystack) - n + 1)
    )


def resume_texts(resume: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(dotted path, text) of every text a reader sees: not links, not meta except the
    tailored keywords."""

    def walk(node: Any, path: tuple[str | int, ...]) -> Iterator[tuple[str, str]]:
        if isinstance(node, str):
            yield dotted(path), node
        elif isinstance(node, dict):
            for key, value in node.items():
                if key not in SKIP_FIELDS:
                    yield from walk(value, (*path, key))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                yield from walk(value, (*path, i))

    for key, value in resume.items():
        if key != "meta":
            yield from walk(value, (key,))
    extra = resume.get("meta", {}).get("staffpath", {}).get("keywords", [])
    yield from walk(extra, ("meta", "staffpath", "keywords"))


@dataclass(frozen=True, slots=True)
class Keyword:
    keyword: str
    weight: float  # YAKE's score: lower is more important
    rank: int  # 1 = the posting's most important keyword
    found: bool
    where: tuple[str, ...]  # resume fields that contain it


@dataclass(frozen=True, slots=True)
class Gap:
    keywords: tuple[Keyword, ...]

    @property
    def found(self) -> list[Keyword]:
        return [k for k in self.keywords if k.found]

    @property
    def missing(self) -> list[Keyword]:
        return [k for k in self.keywords if not k.found]

    @property
    def coverage(self) -> float:
        """Per cent of the posting's keywords the resume contains, one decimal."""
        if not self.keywords:
            return 0.0
        return round(100 * len(self.found) / len(self.keywords), 1)

    def to_dict(self) -> dict[str, Any]:
        return {
            "coverage": self.coverage,
            "found": len(self.found),
            "missing": len(self.missing),
            "keywords": [
                {**asdict(k), "weight": round(k.weight, 6), "where": list(k.where)}
                for k in self.keywords
            ],
        }


def posting_keywords(
    posting: str, *, top: int = TOP, ignore: Iterable[str] = ()
) -> list[tuple[str, float]]:
    """The posting's keywords and YAKE weights, most important first."""
    import yake  # type: ignore[import-untyped]  # ships no type information

    ignored = {stem(w) for text in ignore for w in words(text)}
    boring = {stem(w) for w in BOILERPLATE} | ignored
    extractor = yake.KeywordExtractor(lan="en", n=MAX_WORDS, top=top * 3, dedup_lim=DEDUP)
    out: list[tuple[str, float]] = []
    seen: set[tuple[str, ...]] = set()
    for keyword, weight in extractor.extract_keywords(posting):
        key = tuple(words(keyword))
        if not key or all(w in boring for w in key) or any(w in ignored for w in key):
            continue
        if key in seen:
            continue
        seen.add(key)
        out.append((keyword, float(weight)))
        if len(out) == top:
            break
    return out


def gap(resume: dict[str, Any], posting: str, *, top: int = TOP, ignore: Iterable[str] = ()) -> Gap:
    """Each of the posting's keywords, found in the resume or not, ranked by YAKE weight."""
    texts = [(path, words(text)) for path, text in resume_texts(resume)]
    keywords = []
    for rank, (keyword, weight) in enumerate(posting_keywords(posting, top=top, ignore=ignore), 1):
        needle = words(keyword)
        where = tuple(path for path, hay in texts if contains(hay, needle))
        keywords.append(Keyword(keyword, weight, rank, bool(where), where))
    return Gap(tuple(keywords))
