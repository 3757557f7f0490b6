"""The same call gives the same bits whatever the state of the numba cache (SPEC §8):
compiled fresh into an empty cache, loaded from that cache, or compiled fresh after other
kernels; and with LLVM's SLP vectoriser on (noisecnn._jit) or off.  Each case is its own
process (numba compiles once per process)."""

import os
import subprocess
import sys
import textwrap

import pytest

PROBE = textwrap.dedent("""
    import hashlib, os, sys
    import numba
    import numpy as np
    import noisecnn._jit
    os.environ["NUMBA_SLP_VECTORIZE"] = os.environ.get("PROBE_SLP", "1")
    numba.config.SLP_VECTORIZE = int(os.environ["NUMBA_SLP_VECTORIZE"])
    from noisecnn.simulate import simulate_multi
    from noisecnn.simulate import Algorithm, Problem, keys, simulate

    cases = {
        "gd": Algorithm("gd", init="random", iters_per_epoch=300),
        "pgd": Algorithm("pgd", epochs=3, iters_per_epoch=100, gamma_eta=0.8, rho_w=36, rho_a=1, gamma_rho=0.4),
        "psgd": Algorithm("psgd", epochs=2, iters_per_epoch=100, gamma_eta=0.4, rho_w=2.0, rho_a=0.2),
        "sgd": Algorithm("sgd", epochs=2, iters_per_epoch=100, gamma_eta=0.4),
        "sgd_lockstep": Algorithm("sgd", epochs=2, iters_per_epoch=100, gamma_eta=0.4),  # no trajectory: lanes
        "pgd_lockstep": Algorithm("pgd", epochs=3, iters_per_epoch=100, gamma_eta=0.8, rho_w=36, rho_a=1,
                                  gamma_rho=0.4),
        "multi": Algorithm("gd", init="random", iters_per_epoch=300, eta0=0.05),
        "multi_pgd": Algorithm("pgd", epochs=2, iters_per_epoch=100, gamma_eta=0.8, rho_w=4, rho_a=1, gamma_rho=0.4,
                               eta0=0.02),  # lanes
    }
    names = list(cases) if sys.argv[1] == "forward" else list(cases)[::-1]
    out = {}
    for name in names:
        h = hashlib.sha256()
        if name.startswith("multi"):
            res = simulate_multi(Problem(k=25, r=1.0), cases[name], 2, keys=keys(5, "det", "c", "m"), run_start=0,
                                 n_runs=6, threads=2)
            for k in sorted(res):
                h.update(np.ascontiguousarray(res[k]).tobytes())
        else:
            res = simulate(Problem(k=25, r=1.0), cases[name], seed=5, experiment="det", cell="c", n_runs=11,
                           stride=0 if name.endswith("_lockstep") else 50, threads=2)
            for k, v in sorted(res.arrays().items()):
                h.update(np.asarray(v).tobytes())
        out[name] = h.hexdigest()
    print(sorted(out.items()))
""")


def _run(cache: str, order: str, slp: str | None = None) -> str:
    env = dict(os.environ, NUMBA_CACHE_DIR=cache)
    if slp is not None:
        env["PROBE_SLP"] = slp
    proc = subprocess.run([sys.executable, "-c", PROBE, order], env=env, capture_output=True, text=True,
                          timeout=1200)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout.strip()


@pytest.mark.slow
def test_bits_do_not_depend_on_the_numba_cache_compile_order_or_slp_vectoriser(tmp_path):
    fresh = _run(str(tmp_path / "a"), "forward")           # compiled into an empty cache
    cached = _run(str(tmp_path / "a"), "backward")         # loaded from it, in the other order
    fresh_other_order = _run(str(tmp_path / "b"), "backward")  # compiled fresh after other kernels
    scalar = _run(str(tmp_path / "c"), "forward", slp="0")  # LLVM's SLP vectoriser off (numba's default)
    assert fresh == cached == fresh_other_order == scalar


def test_the_slp_vectoriser_stays_on_when_numba_was_imported_first(tmp_path):
    """numba re-reads NUMBA_* from the environment before compiling when the environment changed
    after its import; the flag must survive that (it did not when set on numba.config only)."""
    code = textwrap.dedent("""
        import numba
        import numpy as np
        from noisecnn import rng
        rng.stream_normals(np.uint64(1), 0, 3)  # a compilation: numba reloads its configuration
        print(numba.config.SLP_VECTORIZE)
    """)
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path))
    env.pop("NUMBA_SLP_VECTORIZE", None)
    env.pop("NUMBA_DISABLE_INTEL_SVML", None)
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.split() == ["1"]
