"""The lock-step kernels (noisecnn.lanes: SGD, perturbed GD, the m-filter perturbed GD): every run's stream and every
output bit equal to the one-run kernels', and their generated code what tools/gen_lanes.py
writes."""

import sys
from pathlib import Path

import numpy as np
import pytest
from numba import uint64

from noisecnn import _lanes_gen as G
from noisecnn import kernels as K
from noisecnn import rng as R
from noisecnn import multi as M
from noisecnn.lanes import mpgd_lanes_kernel, pgd_lanes_kernel, sgd_lanes_kernel
from noisecnn.simulate import Algorithm, Problem, cpu_kernel, keys, multi_kernel, numba_threads, outputs

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import gen_lanes  # noqa: E402

L = G.L


def test_generated_code_is_what_the_generator_writes():
    assert (ROOT / "src/noisecnn/_lanes_gen.py").read_text() == gen_lanes.source(), \
        "src/noisecnn/_lanes_gen.py is stale: run python tools/gen_lanes.py"


def _lane_states(key, run0):
    st = np.empty(4 * L, np.uint64)
    one = np.empty(4, np.uint64)
    for lane in range(L):
        R.seed_state(uint64(key), run0 + lane, one)
        st[lane::L] = one
    return st


@pytest.mark.parametrize("n", [1, 7, 200, 4096])
def test_lockstep_fill_gives_every_lane_its_runs_own_stream(n):
    """Consecutive fills of n normals per lane against each run's scalar stream (rng.fill_normals
    via stream_normals): 0 differences, slow paths (wedge and tail) included."""
    total = 200_000
    st = _lane_states(11, 3)
    got = np.empty((L, total + n))
    buf = np.empty(n * L)
    done = 0
    while done < total:
        G.lockstep_fill(st, buf, n)
        got[:, done:done + n] = buf.reshape(n, L).T
        done += n
    for lane in range(L):
        ref = R.stream_normals(uint64(11), 3 + lane, done)
        assert np.array_equal(got[lane, :done], ref), lane
    # the check is not vacuous: these streams hit the tail beyond R (|z| > 4.04; 86 expected)
    assert np.sum(np.abs(got[:, :done]) > R.ZIG_R) >= 40


CASES = [  # (problem, algorithm, runs, run_start)
    (Problem(k=25, r=0.0), Algorithm("sgd", epochs=2, iters_per_epoch=150, gamma_eta=0.4), 21, 5),
    (Problem(k=49, r=9.0), Algorithm("sgd", epochs=2, iters_per_epoch=120, batch=1), 8, 0),
    (Problem(k=17, r=4.0, scale=3.0), Algorithm("sgd", epochs=1, iters_per_epoch=100, batch=16), 9, 1000),
    (Problem(k=100, r=0.0, teacher="pm"), Algorithm("sgd", init="random", epochs=1, iters_per_epoch=60), 3, 2),
    # 13 of these 21 runs diverge, each at its own step
    (Problem(k=25, r=0.0), Algorithm("sgd", epochs=1, iters_per_epoch=400, eta0=0.55, batch=1), 21, 0),
]


def _run(kernel, prob, alg, n, run0, threads):
    ints, reals = K.pack(prob, alg, 0, False)
    out = outputs(n, prob, 0)
    with numba_threads(threads):
        kernel(keys(7, "lanes", "c", alg.name), np.int64(run0), ints, reals, out)
    return out


PGD_CASES = [  # (problem, algorithm, runs, run_start): Phase I and annealing, the three readings
    (Problem(k=25, r=0.0), Algorithm("pgd", epochs=3, iters_per_epoch=100, phase1_iters=150, gamma_eta=0.5,
                                     gamma_rho=0.5, rho_w=1.0, rho_a=1.0), 21, 5),
    (Problem(k=100, r=4.0), Algorithm("pgd", epochs=2, iters_per_epoch=100, reading="literal", rho_w=0.5,
                                      rho_a=2.0), 9, 0),
    (Problem(k=17, r=1.0, scale=3.0), Algorithm("pgd", init="random", epochs=2, iters_per_epoch=80,
                                                reading="weightnorm", rho_w=0.3, rho_a=0.3), 8, 1000),
    (Problem(k=50, r=0.0, teacher="pm"), Algorithm("pgd", epochs=1, iters_per_epoch=60, rho_w=2.0, rho_a=0.1), 3, 2),
    # some of these runs diverge, each at its own step
    (Problem(k=25, r=0.0), Algorithm("pgd", epochs=1, iters_per_epoch=300, eta0=1.1, rho_w=1.0, rho_a=3.0,
                                     reading="literal"), 21, 0),
]


LOCKSTEP = [(sgd_lanes_kernel, K.psgd_kernel, CASES), (pgd_lanes_kernel, K.pgd_kernel, PGD_CASES)]


@pytest.mark.parametrize("kind, case", [(i, c) for i, (_, _, cases) in enumerate(LOCKSTEP) for c in range(len(cases))])
def test_lockstep_kernel_is_bit_identical_to_the_one_run_kernel(kind, case):
    lanes, one_run, cases = LOCKSTEP[kind]
    prob, alg, n, run0 = cases[case]
    ref = _run(one_run, prob, alg, n, run0, 1)
    got = _run(lanes, prob, alg, n, run0, 2)
    for name, a, b in zip(K.OUTPUTS, ref, got):
        assert a.tobytes() == b.tobytes(), (alg.name, case, name)
    if case == len(cases) - 1:  # runs diverging at their own steps
        diverged = int(np.sum(ref[5] == K.STATUS_DIVERGED))
        assert 0 < diverged < n, diverged
    if cases is PGD_CASES and case == 1:  # runs cross the basin boundary at their own iterations
        assert np.nanmax(ref[4][:, 4]) > 10


def test_the_lockstep_kernels_run_exactly_plain_reduced_sgd_and_pgd_without_trajectory_or_stop():
    sgd = Algorithm("sgd")
    assert cpu_kernel(sgd, 0, False) is sgd_lanes_kernel
    assert cpu_kernel(sgd, 10, False) is K.psgd_kernel  # trajectories
    assert cpu_kernel(sgd, 0, True) is K.psgd_kernel  # stop at the basin boundary
    assert cpu_kernel(Algorithm("sgd", sampler="naive"), 0, False) is K.psgd_kernel
    assert cpu_kernel(Algorithm("psgd", rho_w=1.0), 0, False) is K.psgd_kernel
    assert cpu_kernel(Algorithm("pgd"), 0, False) is pgd_lanes_kernel
    assert cpu_kernel(Algorithm("pgd"), 10, False) is K.pgd_kernel
    assert cpu_kernel(Algorithm("pgd"), 0, True) is K.pgd_kernel
    assert cpu_kernel(Algorithm("gd"), 0, False) is K.gd_kernel


MULTI_CASES = [  # (problem, algorithm, m, runs, run_start): the three readings, both inits, divergence
    (Problem(k=25, r=1.0), Algorithm("pgd", epochs=2, iters_per_epoch=80, rho_w=1.0, rho_a=0.5, gamma_rho=0.5,
                                     gamma_eta=0.5, eta0=0.02, phase1_iters=120), 4, 11, 3),
    (Problem(k=30, r=4.0, scale=2.0), Algorithm("pgd", init="random", epochs=2, iters_per_epoch=60, rho_w=0.5,
                                                rho_a=0.5, reading="literal", eta0=0.01), 3, 9, 1000),
    (Problem(k=10, r=0.0), Algorithm("pgd", epochs=1, iters_per_epoch=50, rho_w=0.5, rho_a=0.5,
                                     reading="weightnorm"), 1, 8, 0),
    (Problem(k=7, r=1.0), Algorithm("pgd", init="random", epochs=1, iters_per_epoch=40, rho_w=2.0, rho_a=0.1), 8, 3, 5),
    # some of these runs diverge, each at its own step
    (Problem(k=25, r=0.0), Algorithm("pgd", epochs=1, iters_per_epoch=200, eta0=0.83, rho_w=1.0,
                                     rho_a=3.0), 2, 21, 0),
]


def _run_multi(kernel, prob, alg, m, n, run0, threads):
    p, k = prob.p, prob.k
    out = (np.empty((n, m, p)), np.empty((n, m, k)), np.empty((n, p)), np.empty((n, k)), np.empty(n),
           np.empty(n, np.int8), np.empty(n, np.int64))
    ints, reals = K.pack(prob, alg, 0)
    with numba_threads(threads):
        kernel(keys(3, "lanes", "c", "pgd"), np.int64(run0), ints, reals, out)
    return out


@pytest.mark.parametrize("case", range(len(MULTI_CASES)))
def test_lockstep_multi_pgd_is_bit_identical_to_the_one_run_kernel(case):
    prob, alg, m, n, run0 = MULTI_CASES[case]
    ref = _run_multi(M.mpgd_kernel, prob, alg, m, n, run0, 1)
    got = _run_multi(mpgd_lanes_kernel, prob, alg, m, n, run0, 2)
    for name, a, b in zip(("W", "A", "wstar", "astar", "loss", "status", "steps"), ref, got):
        assert a.tobytes() == b.tobytes(), (case, name)
    if case == len(MULTI_CASES) - 1:
        diverged = int(np.sum(ref[5] == K.STATUS_DIVERGED))
        assert 0 < diverged < n, diverged


def test_the_m_filter_perturbed_gd_runs_in_lock_step():
    assert multi_kernel("pgd", 8) is mpgd_lanes_kernel
    assert multi_kernel("pgd", 1) is mpgd_lanes_kernel
    assert multi_kernel("gd", 8) is M.mgd_kernel
