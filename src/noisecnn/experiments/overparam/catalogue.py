"""Where GD stops when it fails: cluster the failed runs' final states, take each cluster's
representatives to their stationary point and classify it."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ... import stationary
from ...io import write_csv
from ...outcomes import Tolerances
from .aggregate import successes

FIELDS = ("loss", "status", "astar_sq", "filter_phi", "filter_share", "filter_norm", "W", "A", "wstar", "astar")


def signature(phi, norm, near: float, zero: float) -> tuple[int, int, int, int]:
    """(#filters near w*, near −w*, elsewhere, with ~zero output weight) of one run."""
    on = norm >= zero
    return (int(np.sum(on & (phi < near))), int(np.sum(on & (phi > math.pi - near))),
            int(np.sum(on & (phi >= near) & (phi <= math.pi - near))), int(np.sum(~on)))


def catalogue(loaded: dict, tolerances: dict, params: dict, out_csv=None) -> pd.DataFrame:
    """``loaded``: {(label, cell): (arrays, job)} of the GD (random-init) cells; ``params``:
    the catalogue settings (near, zero_weight, grad_tol, hessian_tol, max_per_cluster,
    newton_steps)."""
    tol = Tolerances.from_dict(tolerances)
    rows = []
    for (_exp, label, _cell), (arrays, job) in sorted(loaded.items(), key=lambda x: (x[1][1]["m"], x[0])):
        if job["algorithm"]["algorithm"] != "gd":
            continue
        failed = np.flatnonzero(~successes(arrays, tol))
        if failed.size == 0:
            continue
        W, A, ws, As = arrays["W"][failed], arrays["A"][failed], arrays["wstar"][failed], arrays["astar"][failed]
        phi, share, norm = (arrays[f][failed] for f in ("filter_phi", "filter_share", "filter_norm"))
        a2 = arrays["astar_sq"][failed]
        rel_loss = arrays["loss"][failed] / a2
        sigs = [signature(phi[j], norm[j], params["near"], params["zero_weight"]) for j in range(failed.size)]
        for sig in sorted(set(sigs)):
            members = [j for j, s in enumerate(sigs) if s == sig]
            reps = [members[i] for i in np.argsort(rel_loss[members])[: params["max_per_cluster"]]]
            final_grad = max(stationary.riemannian_grad_norm(W[j], A[j], ws[j], As[j]) / math.sqrt(a2[j]) for j in reps)
            checks, snapped, steps = [], True, 0
            for j in reps:
                Wr, Ar, ok, n = stationary.refine(W[j], A[j], ws[j], As[j], params["near"], params["grad_tol"],
                                                  params["newton_steps"])
                snapped &= ok
                steps = max(steps, n)
                checks.append(stationary.classify(Wr, Ar, ws[j], As[j], params["grad_tol"], params["hessian_tol"]))
            types = sorted({c[0] for c in checks})
            rows.append({"label": label, "m": job["m"], "k": job["problem"]["k"], "r": job["problem"]["r"],
                         "n_failed": failed.size, "near_wstar": sig[0], "near_minus_wstar": sig[1],
                         "elsewhere": sig[2], "zero_weight": sig[3], "count": len(members),
                         "fraction_of_runs": len(members) / arrays["loss"].size,
                         "median_rel_loss": float(np.median(rel_loss[members])),
                         "median_share_near_minus": float(np.median(
                             [share[j][(phi[j] > math.pi - params["near"]) & (norm[j] >= params["zero_weight"])].sum()
                              for j in members])),
                         "final_grad_norm": final_grad, "newton_steps": steps, "snapped": snapped,
                         "max_grad_norm": max(c[1] for c in checks), "min_hessian_eig": min(c[2] for c in checks),
                         "n_checked": len(reps), "type": types[0] if len(types) == 1 else " / ".join(types)})
    df = pd.DataFrame(rows)
    if out_csv is not None:
        write_csv(out_csv, df)
    return df
