"""The design loader on real designs and on hostile input.

Peer: PyYAML's ``yaml.safe_load`` (the usual way to read YAML in Python) followed, for real
designs, by the same pydantic validation. staffpath does more (located problems, semantic
checks), so the ratio shows what that costs; on hostile input it shows what refusing early saves.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from staffpath.design.catalog import load_catalog
from staffpath.design.load import load_text
from staffpath.design.model import Design
from staffpath.errors import DesignError

ROOT = Path(__file__).resolve().parent.parent

BILLION_LAUGHS = (
    "\n".join(
        [f"a: &a [{','.join(['lol'] * 9)}]"]
        + [
            f"{c}: &{c} [{','.join([f'*{p}'] * 9)}]"
            for p, c in zip("abcdefgh", "bcdefghi", strict=True)
        ]
    )
    + "\n"
)
DEEP = "[" * 5000 + "]" * 5000


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time in seconds of ``repeat`` runs (after one warm-up)."""
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def ours(text: str) -> Callable[[], object]:
    def run() -> object:
        try:
            return load_text(text)
        except DesignError as exc:
            return exc

    return run


def peer(text: str, *, validate: bool) -> Callable[[], object]:
    def run() -> object:
        try:
            data = yaml.safe_load(text)
            return Design.model_validate(data) if validate else data
        except (yaml.YAMLError, RecursionError, ValueError) as exc:
            return exc

    return run


def run(*, quick: bool = False) -> None:
    load_catalog()  # read once, as in a long-lived process
    repeat = 5 if quick else 30
    rows: list[tuple[str, float, float]] = []
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        text = example.read_text()
        rows.append(
            (
                f"{example.name} ({len(text):,} B)",
                timed(ours(text), repeat),
                timed(peer(text, validate=True), repeat),
            )
        )
    rows.append(
        (
            f"billion laughs ({len(BILLION_LAUGHS.encode())} B)",
            timed(ours(BILLION_LAUGHS), repeat),
            timed(peer(BILLION_LAUGHS, validate=False), repeat),
        )
    )
    rows.append(
        (
            f"5,000-deep nesting ({len(DEEP):,} B)",
            timed(ours(DEEP), repeat),
            timed(peer(DEEP, validate=False), repeat),
        )
    )

    print("loader: staffpath load_text vs yaml.safe_load (+ pydantic validation for real designs)")
    print(f"{'input':<40} {'staffpath':>12} {'peer':>12} {'ratio':>8}")
    for name, a, b in rows:
        print(f"{name:<40} {a * 1e3:>10.3f}ms {b * 1e3:>10.3f}ms {a / b:>7.2f}x")
    bombs = [r for r in rows if "laughs" in r[0] or "deep" in r[0]]
    worst = max(r[1] for r in bombs)
    print(f"hostile input refused in at most {worst * 1e3:.3f} ms (target: well under 100 ms)")
