"""The CUDA backend.  CI has no GPU: the kernels' logic is checked in numba's CUDA
simulator (a subprocess with NUMBA_ENABLE_CUDASIM=1); the statistical comparison with
the CPU backend runs only where a GPU is usable; the PTX build only where NVVM is
installed.  Each skips cleanly otherwise."""

import importlib.util
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from noisecnn import backend

ROOT = Path(__file__).resolve().parents[1]
HAS_NUMBA_CUDA = importlib.util.find_spec("numba_cuda") is not None
GPU_OK, GPU_WHY = backend.cuda_usable() if HAS_NUMBA_CUDA else (False, "numba-cuda not installed")

SIM_SCRIPT = textwrap.dedent("""
    import numpy as np
    from noisecnn.simulate import Algorithm, Problem, simulate
    prob = Problem(k=5, r=1.0)
    cases = [Algorithm("gd", init="random", iters_per_epoch=30),
             Algorithm("pgd", epochs=2, iters_per_epoch=10, rho_w=2.0, rho_a=0.5, gamma_rho=0.5),
             Algorithm("sgd", init="random", epochs=2, iters_per_epoch=10),
             Algorithm("psgd", epochs=2, iters_per_epoch=10, rho_w=1.0, rho_a=0.3, reading="weightnorm")]
    for alg in cases:
        kw = dict(seed=3, experiment="gpu", cell="c", n_runs=130, stride=5)  # 130 runs: two blocks
        cpu = simulate(prob, alg, backend="cpu", **kw)
        sim = simulate(prob, alg, backend="cuda", **kw)
        for key in ("final_w", "final_a", "wstar", "astar", "phi", "a_rel", "loss", "traj"):
            a, b = getattr(cpu, key), getattr(sim, key)
            assert np.allclose(a, b, rtol=1e-9, atol=1e-9, equal_nan=True), (alg.name, key, np.nanmax(abs(a - b)))
        assert np.array_equal(cpu.status, sim.status) and np.array_equal(cpu.outcomes(), sim.outcomes())
        print(alg.name, "ok")
""")


@pytest.mark.skipif(not HAS_NUMBA_CUDA, reason="numba-cuda not installed")
def test_cuda_kernels_in_the_simulator_match_the_cpu():
    """Thread indexing, per-run streams, column views and outputs of the CUDA kernels,
    run in numba's simulator: the same runs as the CPU backend, to rounding."""
    env = dict(os.environ, NUMBA_ENABLE_CUDASIM="1")
    proc = subprocess.run([sys.executable, "-c", SIM_SCRIPT], env=env, capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert proc.stdout.count(" ok") == 4


@pytest.mark.skipif(GPU_OK, reason="a GPU is usable here")
def test_backend_without_gpu_falls_back_or_says_why(capsys):
    assert backend.resolve("auto") == "cpu"
    assert "backend auto -> cpu" in capsys.readouterr().err
    with pytest.raises(RuntimeError, match="cuda' requested but"):
        backend.resolve("cuda")
    with pytest.raises(ValueError, match="backend"):
        backend.resolve("tpu")


@pytest.mark.gpu
@pytest.mark.skipif(not GPU_OK, reason=f"no usable GPU ({GPU_WHY})")
@pytest.mark.parametrize("name,k,r", [("gd", 25, 1.0), ("pgd", 25, 9.0), ("sgd", 81, 0.0)])
def test_gpu_success_rates_match_the_cpu(name, k, r):
    """Table-1 cells on the GPU and the CPU: success fractions within binomial error
    (two-proportion z-test) and trajectory means within their standard errors."""
    from noisecnn.simulate import Algorithm, Problem, simulate

    algs = {"gd": Algorithm("gd", init="random", iters_per_epoch=20000),
            "pgd": Algorithm("pgd", epochs=20, iters_per_epoch=400, gamma_eta=0.8, rho_w=36, rho_a=1,
                             gamma_rho=0.4),
            "sgd": Algorithm("sgd", epochs=10, iters_per_epoch=4000, gamma_eta=0.4)}
    kw = dict(seed=7, experiment="gpu-check", cell=f"k{k}", n_runs=1000, stride=1000)
    cpu = simulate(Problem(k=k, r=r), algs[name], backend="cpu", **kw)
    gpu = simulate(Problem(k=k, r=r), algs[name], backend="cuda", **kw)
    p1, p2 = (cpu.outcomes() == 0).mean(), (gpu.outcomes() == 0).mean()
    pp = (p1 + p2) / 2
    se = np.sqrt(max(pp * (1 - pp), 1e-12) * 2 / 1000)
    assert abs(p1 - p2) <= 4 * se + 1e-12, (p1, p2)
    for q in (0, 1):
        m1, m2 = np.nanmean(cpu.traj[:, :, q], 0), np.nanmean(gpu.traj[:, :, q], 0)
        s = np.sqrt(np.nanvar(cpu.traj[:, :, q], 0) / 1000 + np.nanvar(gpu.traj[:, :, q], 0) / 1000) + 1e-12
        assert np.all(np.abs(m1 - m2) <= 5 * s)


@pytest.mark.skipif(importlib.util.find_spec("nvidia") is None or not HAS_NUMBA_CUDA,
                    reason="the NVVM compiler (pip install 'numba-cuda[cu13]') is not installed")
def test_cuda_kernels_compile_to_ptx_for_hopper():
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "ptx_check.py"), "--cc", "9.0"],
                          capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count(" OK") == 4
