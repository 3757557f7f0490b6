"""Compile every CUDA kernel of noisecnn.gpu to PTX for a given compute capability,
without a GPU (numba-cuda + the NVVM wheel are enough).

    pip install "numba-cuda[cu13]" && python tools/ptx_check.py [--cc 9.0]

numba-cuda asks the current device for its compute capability when it compiles device
functions; here a stand-in device answers, so only the compiler runs.  This checks that
the shared per-run bodies are valid CUDA (types, supported features), not their speed.
"""

import argparse
import sys
import types

import numpy as np

if not hasattr(np, "row_stack"):
    np.row_stack = np.vstack


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--cc", default="9.0", help="compute capability, e.g. 9.0 for H100/H200")
    args = ap.parse_args(argv)
    cc = tuple(int(x) for x in args.cc.split("."))
    import numba.cuda.dispatcher as disp
    from numba import cuda, typeof

    disp.get_current_device = lambda: types.SimpleNamespace(compute_capability=cc)

    from noisecnn import gpu
    from noisecnn.kernels import pack
    from noisecnn.simulate import Algorithm, Problem, keys, outputs

    n, p, k = 4, 6, 9
    prob = Problem(k=k, r=1.0, p=p)
    algs = {"gd": Algorithm("gd", init="random"), "pgd": Algorithm("pgd", rho_w=1.0, rho_a=1.0),
            "sgd": Algorithm("sgd"), "psgd": Algorithm("psgd", rho_w=1.0, rho_a=1.0)}
    ok = True
    for name, alg in algs.items():
        ints, reals = pack(prob, alg, 1)
        args = (keys(0, "a", "b", "c"), np.int64(0), ints, reals, np.empty((4, n), np.uint64), np.empty((100, n)),
                *outputs(n, prob, 3))
        sig = tuple(typeof(a) for a in args)
        try:
            ptx, _ = cuda.compile_ptx(gpu.KERNELS[name].py_func, sig, cc=cc)
            print(f"{name:5} OK: {len(ptx) // 1024} KiB of PTX ({ptx.count(chr(10))} lines) for sm_{cc[0]}{cc[1]}")
        except Exception as exc:  # noqa: BLE001
            ok = False
            print(f"{name:5} FAILED: {type(exc).__name__}: {exc}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
