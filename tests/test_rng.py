"""The kernels' generator: distribution checks (scipy) and stream independence."""

import math

import numpy as np
import pytest
from scipy import stats

from noisecnn import rng as R

KEY = R.stream_key(7, "tests", "rng")


def test_stream_key_depends_on_every_label():
    base = R.stream_key(1, "exp", "cell", "teacher")
    assert base == R.stream_key(1, "exp", "cell", "teacher")
    others = [R.stream_key(2, "exp", "cell", "teacher"), R.stream_key(1, "exq", "cell", "teacher"),
              R.stream_key(1, "exp", "celm", "teacher"), R.stream_key(1, "exp", "cell", "pgd")]
    assert len({int(base), *map(int, others)}) == 5


def test_normals_moments_and_ks():
    x = R.stream_normals(KEY, 0, 2_000_000)
    n = x.size
    assert abs(x.mean()) < 5 / math.sqrt(n)
    assert abs(x.var() - 1) < 5 * math.sqrt(2 / n)
    assert abs(stats.skew(x)) < 5 * math.sqrt(6 / n)
    assert abs(stats.kurtosis(x)) < 5 * math.sqrt(24 / n)
    assert stats.kstest(x, "norm").pvalue > 1e-3
    # the ziggurat's tail (|x| > R) and wedges carry the right mass
    for t in (R.ZIG_R, 2.0, 1.0):
        cnt = np.sum(np.abs(x) > t)
        pt = 2 * stats.norm.sf(t)
        assert abs(cnt - n * pt) < 5 * math.sqrt(n * pt * (1 - pt)), t


def test_normal_tail_distribution():
    x = R.stream_normals(KEY, 3, 4_000_000)
    tail = np.abs(x[np.abs(x) > R.ZIG_R])
    # conditional law of |x| beyond R
    cdf = lambda t: 1 - stats.norm.sf(t) / stats.norm.sf(R.ZIG_R)  # noqa: E731
    assert stats.kstest(tail, cdf).pvalue > 1e-3


def test_uniforms_moments_and_ks():
    u = R.stream_uniforms(KEY, 1, 1_000_000)
    assert 0.0 < u.min() and u.max() < 1.0
    assert abs(u.mean() - 0.5) < 5 * math.sqrt(1 / 12 / u.size)
    assert abs(u.var() - 1 / 12) < 5 * math.sqrt(1 / 180 / u.size)
    assert stats.kstest(u, "uniform").pvalue > 1e-3


@pytest.mark.parametrize("d,rho", [(6, 36.0), (25, 1.0), (3, 0.5)])
def test_uniform_ball(d, rho):
    x = R.stream_balls(KEY, 2, 200_000, d, rho)
    radius = np.linalg.norm(x, axis=1)
    assert radius.max() <= rho * (1 + 1e-12)
    # (‖x‖/ρ)^d ~ U(0, 1) for the uniform ball
    assert stats.kstest((radius / rho) ** d, "uniform").pvalue > 1e-3
    # mean 0, covariance ρ²/(d+2) I (the paper's Section 2.2 moments)
    n = x.shape[0]
    cov = x.T @ x / n
    assert np.abs(x.mean(0)).max() < 5 * rho / math.sqrt((d + 2) * n)
    np.testing.assert_allclose(np.diag(cov), rho**2 / (d + 2), rtol=0.03)
    off = cov - np.diag(np.diag(cov))
    assert np.abs(off).max() < 0.02 * rho**2 / (d + 2)


def test_streams_of_different_runs_are_uncorrelated():
    n = 200_000
    streams = [R.stream_normals(KEY, run, n) for run in range(6)]
    streams.append(R.stream_normals(R.stream_key(7, "tests", "rnh"), 0, n))
    c = np.corrcoef(np.vstack(streams))
    off = c[~np.eye(len(streams), dtype=bool)]
    assert np.abs(off).max() < 5 / math.sqrt(n)
    # also lagged: run r against run r+1 shifted by one draw
    assert abs(np.corrcoef(streams[0][1:], streams[1][:-1])[0, 1]) < 5 / math.sqrt(n)
    # and no two runs start with the same numbers
    firsts = {tuple(s[:4]) for s in streams}
    assert len(firsts) == len(streams)


def test_serial_correlation_within_a_stream():
    x = R.stream_normals(KEY, 9, 500_000)
    for lag in (1, 2, 3, 64):
        assert abs(np.corrcoef(x[lag:], x[:-lag])[0, 1]) < 5 / math.sqrt(x.size)


def test_ziggurat_layers_close_and_have_equal_area():
    """R and V as the construction requires them, recomputed here with a root finder: V is
    the base layer's area (rectangle R f(R) plus the tail beyond R), and with that V the
    recursion x_{i+1} = f⁻¹(V/x_i + f(x_i)) closes, the top layer (x_{n-1} wide, from
    f(x_{n-1}) to 1) having area V as well; every layer of the tables then has area V."""
    from scipy.optimize import brentq
    from scipy.special import erfc

    f = lambda x: math.exp(-0.5 * x * x)  # noqa: E731
    n = R.ZIG_LAYERS
    vol = lambda r: r * f(r) + math.sqrt(math.pi / 2) * erfc(r / math.sqrt(2))  # noqa: E731

    def top_excess(r):
        v, x = vol(r), r
        for _ in range(1, n - 1):
            y = v / x + f(x)
            if y >= 1.0:
                return -1.0
            x = math.sqrt(-2.0 * math.log(y))
        return x * (1.0 - f(x)) - v

    r = brentq(top_excess, 2.5, 5.0, xtol=1e-15)
    assert abs(r - R.ZIG_R) < 1e-12 and abs(vol(r) - R.ZIG_V) < 1e-15
    # the tables: layer i spans [0, x_i] (x_i = W_i 2^52) between heights f(x_i) and f(x_{i+1})
    x = R.ZIG_W * 2.0**52
    areas = x[1:] * (R.ZIG_F[2:] - R.ZIG_F[1:-1])
    np.testing.assert_allclose(areas, R.ZIG_V, rtol=1e-9)
    assert x[0] * f(R.ZIG_R) == pytest.approx(R.ZIG_V, rel=1e-12)  # the base layer's virtual width
    # the fast path's share: the rectangles' inner parts K_i / 2^52 (0.43 % of draws miss)
    miss = 1.0 - np.mean(R.ZIG_K / 2.0**52)
    assert 0.003 < miss < 0.006
