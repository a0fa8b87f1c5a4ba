"""The kernel's random numbers: right distributions, reproducible from the seed."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from staffpath.engine.simulate.rng import ZIGGURAT_R, draw, seeded_state, ziggurat_tables


def test_uniforms_pass_kolmogorov_smirnov() -> None:
    u = draw(1_000_000, seeded_state(11), *ziggurat_tables(), 0)
    assert u.min() >= 0.0
    assert u.max() < 1.0
    assert stats.kstest(u, "uniform").pvalue > 0.01
    assert abs(float(np.corrcoef(u[:-1], u[1:])[0, 1])) < 0.005


def test_ziggurat_exponentials_pass_kolmogorov_smirnov_and_match_moments() -> None:
    x = draw(2_000_000, seeded_state(7), *ziggurat_tables(), 1)
    assert stats.kstest(x, "expon").pvalue > 0.01
    assert abs(x.mean() - 1.0) < 0.005
    assert abs(x.var() - 1.0) < 0.01
    # the tail beyond the base strip is drawn too, at its rate e^-R ≈ 4.5e-4
    assert abs((x > ZIGGURAT_R).mean() - math.exp(-ZIGGURAT_R)) < 1e-4


def test_the_same_seed_gives_the_same_stream() -> None:
    tables = ziggurat_tables()
    a = draw(1000, seeded_state(3), *tables, 1)
    b = draw(1000, seeded_state(3), *tables, 1)
    c = draw(1000, seeded_state(4), *tables, 1)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_tables_are_the_strips_of_the_exponential_density() -> None:
    k, w, f = ziggurat_tables()
    assert f[0] == 1.0
    assert f[255] == math.exp(-ZIGGURAT_R)
    assert np.all(np.diff(f) < 0)  # strips climb the density towards x = 0
    assert w[255] * 2**32 == ZIGGURAT_R
    assert k[1] == 0
