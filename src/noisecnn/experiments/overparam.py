"""E3 — the over-parameterized student (m filters, one-filter teacher).

* success of GD from random initialisation and of perturbed GD from the spurious
  configuration (every filter at −w*, output weights ã/m), over m, k and r;
* a catalogue of where GD stops when it fails: final states clustered by how many
  filters sit near w*, near −w*, elsewhere or carry no output weight, each cluster's
  representatives verified stationary (closed-form gradient) and classified by the
  smallest eigenvalue of the Riemannian Hessian (finite differences);
* alignment of successful runs: each filter's angle to w* and its share of a*.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .. import kernels as K
from .. import latex, multi, plotting
from ..closed_form import READINGS, TEACHERS
from ..closed_form import g as cf_g
from ..config import ConfigError, algorithms
from ..io import save_npz, write_csv
from ..outcomes import GLOBAL, Tolerances, classify_multi, summarize
from ..provenance import code_version, stamp
from ..simulate import Algorithm, Problem, keys, numba_threads
from .common import fmt_r, load_cell, problem, shard_range

EXPERIMENT = "overparam"


def cell_id(m, k, r) -> str:
    return f"m{int(m)}-k{int(k)}-r{fmt_r(r)}"


def simulate_multi(prob: Problem, alg: Algorithm, m: int, *, seed: int, experiment: str, cell: str, label: str,
                   n_runs: int, run_start: int = 0, threads: int | None = None) -> dict:
    """Run the m-filter kernels; returns final states, teachers, loss and status."""
    if alg.name not in ("gd", "pgd"):
        raise ValueError(f"algorithm must be 'gd' or 'pgd' for the m-filter student, got {alg.name!r}")
    if not (isinstance(m, (int, np.integer)) and m >= 1):
        raise ValueError(f"m must be an integer >= 1, got {m!r}")
    tkey, akey = keys(seed, experiment, cell, label)
    n, p, k = n_runs, prob.p, prob.k
    out = dict(W=np.empty((n, m, p)), A=np.empty((n, m, k)), wstar=np.empty((n, p)), astar=np.empty((n, k)),
               loss=np.empty(n), status=np.empty(n, np.int8))
    common = (np.uint64(tkey), np.uint64(akey), np.int64(run_start), float(prob.r), float(prob.scale),
              np.int64(TEACHERS.index(prob.teacher)), np.int64(K.INITS.index(alg.init)))
    outs = (out["W"], out["A"], out["wstar"], out["astar"], out["loss"], out["status"])
    with numba_threads(threads):
        if alg.name == "gd":
            multi.mgd_kernel(*common, np.int64(alg.iterations), float(alg.eta0), *outs)
        else:
            multi.mpgd_kernel(*common, np.int64(alg.epochs), np.int64(alg.iters_per_epoch), np.int64(alg.iters0),
                              float(alg.eta0), float(alg.gamma_eta), float(alg.rho_w), float(alg.rho_a),
                              float(alg.gamma_rho), np.int64(READINGS.index(alg.reading)), *outs)
    return out


def filter_summaries(W, A, wstar, astar):
    """Per run and filter: angle to w*, share a_iᵀa*/‖a*‖², ‖a_i‖/‖a*‖."""
    c = np.clip(np.einsum("nmp,np->nm", W, wstar), -1.0, 1.0)
    a2 = np.sum(astar**2, axis=1)
    share = np.einsum("nmk,nk->nm", A, astar) / a2[:, None]
    norm = np.linalg.norm(A, axis=2) / np.sqrt(a2)[:, None]
    return np.arccos(c), share, norm


def scaled_algorithm(sec: dict, label: str, m: int) -> Algorithm:
    """The configured algorithm with the step size for m filters.

    With the filters aligned, the output-weight Hessian's largest eigenvalue is
    m(k + π − 1)/2π, m times the one-filter value, so a fixed η diverges as m grows
    (η = 0.1 already does for m = 2 at k = 100).  ``step_scale: inverse_m`` (default)
    uses η₀/m, which keeps η·λ_max at its one-filter value; ``none`` keeps η₀."""
    from dataclasses import replace

    alg = algorithms(sec)[label]
    if sec.get("step_scale", "inverse_m") == "inverse_m":
        alg = replace(alg, eta0=alg.eta0 / m)
    return alg


def run(cfg: dict, label: str, m: int, k, r, shard: int, out, threads=None) -> dict:
    sec = cfg["overparam"]
    alg = scaled_algorithm(sec, label, int(m))
    prob = problem(cfg, k, r)
    start, n = shard_range(sec["runs"], sec["shard_size"], shard)
    res = simulate_multi(prob, alg, int(m), seed=int(cfg["seed"]), experiment=EXPERIMENT, cell=cell_id(m, k, r),
                         label=label, n_runs=n, run_start=start, threads=threads)
    tol = Tolerances.from_dict(cfg["tolerances"])
    a2 = np.sum(res["astar"] ** 2, axis=1)
    codes = classify_multi(res["loss"], res["status"], a2, tol)
    phi, share, norm = filter_summaries(res["W"], res["A"], res["wstar"], res["astar"])
    failed = np.flatnonzero(codes != GLOBAL)
    arrays = {"run_start": np.int64(start), "loss": res["loss"], "status": res["status"], "astar_sq": a2,
              "filter_phi": phi, "filter_share": share, "filter_norm": norm, "failed_runs": failed + start,
              "failed_W": res["W"][failed], "failed_A": res["A"][failed]}
    meta = stamp({"seed": cfg["seed"], "experiment": EXPERIMENT, "cell": cell_id(m, k, r), "label": label,
                  "m": int(m), "problem": prob.__dict__, "algorithm": alg.__dict__, "runs": sec["runs"],
                  "shard_size": sec["shard_size"], "shard": shard, "tolerance_at_run": tol.overparam_loss})
    save_npz(out, arrays, meta)
    return res


# ---------------------------------------------------------------------------- success
def group_shards(paths) -> dict:
    """{(label, m, k, r): [paths]} from results/overparam/{label}/m{m}_k{k}_r{r}/shard{s}.npz."""
    from collections import defaultdict
    from pathlib import Path

    groups = defaultdict(list)
    for path in paths:
        p = Path(path)
        m_, rest = p.parent.name[1:].split("_k")
        k_, r_ = rest.split("_r")
        groups[(p.parent.parent.name, int(m_), int(k_), float(r_))].append(str(path))
    return dict(groups)


def aggregate(cfg: dict, groups: dict, out_csv=None) -> pd.DataFrame:
    tol = Tolerances.from_dict(cfg["tolerances"])
    algs = cfg["overparam"]["algorithms"]
    rows = []
    for (label, m, k, r), paths in groups.items():
        arrays, _ = load_cell_multi(paths)
        codes = classify_multi(arrays["loss"], arrays["status"], arrays["astar_sq"], tol)
        # the 'basin' here: is any filter within π/2 of w*?
        phi_min = np.nanmin(arrays["filter_phi"], axis=1)
        s = summarize(codes, phi_min)
        rows.append({"algorithm": label, "kind": algs[label]["algorithm"], "init": algs[label].get("init"),
                     "m": m, "k": k, "r": r, **s, "median_loss": float(np.nanmedian(arrays["loss"]))})
    df = pd.DataFrame(rows).sort_values(["algorithm", "m", "k", "r"]).reset_index(drop=True)
    if out_csv is not None:
        write_csv(out_csv, df)
    return df


def load_cell_multi(paths):
    parts = []
    from ..io import load_npz

    for p in paths:
        parts.append(load_npz(p))
    parts.sort(key=lambda x: int(x[0]["run_start"]))
    arrays = {key: np.concatenate([p[0][key] for p in parts]) for key in parts[0][0] if key != "run_start"}
    return arrays, parts[0][1]


def plot_success(df: pd.DataFrame, pdf, png) -> None:
    import matplotlib.pyplot as plt

    ks = sorted(df["k"].unique())
    labels = list(dict.fromkeys(df["algorithm"]))
    ms = sorted(df["m"].unique())
    colors = plt.get_cmap("viridis")(np.linspace(0, 0.85, len(ms)))
    with plotting.style():
        fig, axes = plt.subplots(len(labels), len(ks), figsize=(plotting.TEXT, 1.8 * len(labels) + 0.5),
                                 constrained_layout=True, squeeze=False, sharey=True)
        for i, lab in enumerate(labels):
            for j, k in enumerate(ks):
                ax = axes[i, j]
                sub = df[(df["algorithm"] == lab) & (df["k"] == k)]
                for c, m in zip(colors, ms):
                    s = sub[sub["m"] == m].sort_values("r")
                    ax.errorbar(s["r"], s["success"], yerr=[s["success"] - s["success_lo"],
                                                            s["success_hi"] - s["success"]],
                                marker="o", ms=2.5, lw=0.9, capsize=0, color=c, label=f"m = {m}")
                kind = sub["kind"].iloc[0] if len(sub) else lab
                init = sub["init"].iloc[0] if len(sub) else ""
                ax.set_title(f"{plotting.ALGO_LABEL.get(kind, lab)} ({init} init), k = {k}")
                ax.set_ylim(-0.03, 1.03)
                if i == len(labels) - 1:
                    ax.set_xlabel("r")
                if j == 0:
                    ax.set_ylabel("success rate")
        handles, names = axes[0, 0].get_legend_handles_labels()
        fig.legend(handles, names, loc="outside lower center", ncol=len(ms))
        plotting.save(fig, pdf, png, meta={"figure": "overparam_success", **code_version()})


def write_success_tex(df: pd.DataFrame, path) -> None:
    labels = list(dict.fromkeys(df["algorithm"]))
    ks = sorted(df["k"].unique())
    rs = sorted(df["r"].unique())
    header = ["algorithm", "$k$", "$m$"] + [f"$r={fmt_r(r)}$" for r in rs]
    rows, mids = [], set()
    for lab in labels:
        for k in ks:
            if rows:
                mids.add(len(rows))
            sub = df[(df["algorithm"] == lab) & (df["k"] == k)]
            for i, m in enumerate(sorted(sub["m"].unique())):
                s = sub[sub["m"] == m].set_index("r")
                kind = s["kind"].iloc[0]
                rows.append([latex.escape(plotting.ALGO_LABEL.get(kind, lab)) if i == 0 else "",
                             str(k) if i == 0 else "", str(m)] +
                            [f"{s.loc[r, 'success']:.2f}" if r in s.index else "--" for r in rs])
    body = latex.tabular("llr" + "c" * len(rs), header, rows, mids)
    n = int(df["n"].max())
    caption = (f"Over-parameterized student: success rate (final loss $<$ \\TolOverparam$\\,\\|a^*\\|^2$) of GD "
               f"from random initialisation and of perturbed GD from the spurious configuration, for $m$ student "
               f"filters against a one-filter teacher, step size $\\eta_0/m$ ({n} runs per cell; Wilson "
               f"intervals and the diverged fractions in \\texttt{{results/overparam.csv}}).")
    latex.write_table(path, body, caption, "tab:overparam", provenance=f"code {code_version()['git_commit'][:12]}")


# ---------------------------------------------------------------------------- catalogue
def _tangent_basis(w):
    """Orthonormal basis (columns) of the tangent space of the sphere at w."""
    p = w.shape[0]
    q, _ = np.linalg.qr(np.column_stack([w, np.eye(p)]))
    return q[:, 1:p]


def riemannian_grad_norm(W, A, wstar, astar) -> float:
    _, GA, GW = multi.grad(W, A, wstar, astar)
    GWt = GW - np.sum(GW * W, axis=1, keepdims=True) * W
    return float(np.sqrt(np.sum(GA**2) + np.sum(GWt**2)))


def _tangent_coords(W, A):
    """Chart around (W, A): v ↦ (normalise(w_i + B_i v_i), A + v_a) and its dimension."""
    m, p = W.shape
    k = A.shape[1]
    bases = [_tangent_basis(W[i]) for i in range(m)]
    dim_w = m * (p - 1)

    def point(v):
        Wv = np.array([W[i] + bases[i] @ v[i * (p - 1):(i + 1) * (p - 1)] for i in range(m)])
        return Wv / np.linalg.norm(Wv, axis=1, keepdims=True), A + v[dim_w:].reshape(m, k)

    return point, bases, dim_w, dim_w + m * k


def hessian(W, A, wstar, astar, h: float = 1e-5):
    """Riemannian Hessian at a critical point (W, A): central differences of the gradient of
    the pull-back v ↦ L(normalise(w_i + B_i v_i), a + v_a) in tangent coordinates."""
    m, p = W.shape
    k = A.shape[1]
    _, bases, dim_w, dim = _tangent_coords(W, A)

    def grad_coords(v):
        Wv = np.array([W[i] + bases[i] @ v[i * (p - 1):(i + 1) * (p - 1)] for i in range(m)])
        _, GA, GW = multi.grad(Wv, A + v[dim_w:].reshape(m, k), wstar, astar, reading="weightnorm")
        return np.concatenate([np.concatenate([bases[i].T @ GW[i] for i in range(m)]), GA.ravel()])

    H = np.empty((dim, dim))
    for j in range(dim):
        e = np.zeros(dim)
        e[j] = h
        H[:, j] = (grad_coords(e) - grad_coords(-e)) / (2 * h)
    return 0.5 * (H + H.T)


def hessian_min_eig(W, A, wstar, astar, h: float = 1e-5) -> float:
    return float(np.linalg.eigvalsh(hessian(W, A, wstar, astar, h))[0])


def classify_stationary(W, A, wstar, astar, grad_tol: float, hess_tol: float, probe: float = 1e-2,
                        n_random: int = 8, seed: int = 0) -> tuple[str, float, float]:
    """(type, relative Riemannian gradient norm, smallest Hessian eigenvalue).

    The spurious points of this model are degenerate (the loss moves only like (π − φ)³
    along w), so a zero eigenvalue is resolved by probing the loss along the Hessian's
    null directions (and random combinations of them): any decrease proves a saddle."""
    a2 = float(np.sum(np.asarray(astar) ** 2))
    gnorm = riemannian_grad_norm(W, A, wstar, astar) / math.sqrt(a2)
    H = hessian(W, A, wstar, astar)
    lam, vec = np.linalg.eigh(H)
    lam_min = float(lam[0])
    if gnorm >= grad_tol:
        return "not stationary", gnorm, lam_min
    if lam_min < -hess_tol:
        return "saddle", gnorm, lam_min
    null = vec[:, np.abs(lam) <= hess_tol]
    if null.shape[1] == 0:
        return "strict local minimum", gnorm, lam_min
    chart, _, _, _ = _tangent_coords(W, A)
    base = cf_loss(*chart(np.zeros(H.shape[0])), wstar, astar)
    rng = np.random.default_rng(seed)
    dirs = [null[:, j] for j in range(null.shape[1])]
    dirs += [null @ unitvec(rng.standard_normal(null.shape[1])) for _ in range(n_random)]
    for d in dirs:
        for sgn in (1.0, -1.0):
            if cf_loss(*chart(sgn * probe * d), wstar, astar) < base - 1e-13 * max(1.0, abs(base)):
                return "saddle (degenerate)", gnorm, lam_min
    return "minimum (degenerate)", gnorm, lam_min


def cf_loss(W, A, wstar, astar) -> float:
    return float(multi.grad(W, A, wstar, astar)[0])


def unitvec(v):
    return v / np.linalg.norm(v)


def optimal_A(W, A0, wstar, astar):
    """The output weights closest to A0 that minimise the loss for fixed unit filters W
    (least-squares correction of the normal equations; exact minimiser set when filters coincide)."""
    m, _ = W.shape
    k = astar.size
    S = astar.sum()
    ones = np.ones((k, k))
    H = np.empty((m * k, m * k))
    rhs = np.empty(m * k)
    for i in range(m):
        ci = float(np.clip(W[i] @ wstar, -1, 1))
        rhs[i * k:(i + 1) * k] = (float(cf_g(np.arccos(ci))) - 1) * astar + S
        for j in range(m):
            cij = float(np.clip(W[i] @ W[j], -1, 1))
            H[i * k:(i + 1) * k, j * k:(j + 1) * k] = (float(cf_g(np.arccos(cij))) - 1) * np.eye(k) + ones
    a0 = np.asarray(A0, float).ravel()
    delta = np.linalg.lstsq(H, rhs - H @ a0, rcond=None)[0]
    return (a0 + delta).reshape(m, k)


def snap(W, A, wstar, astar, near: float):
    """Move filters within ``near`` of ±w* exactly onto ±w* and re-optimise the output
    weights: the candidate limit point of a slowly converging (degenerate) run.
    Returns (W, A, all filters snapped?)."""
    Ws = np.array(W, float)
    phi = np.arccos(np.clip(Ws @ wstar, -1, 1))
    all_snapped = True
    for i in range(Ws.shape[0]):
        if phi[i] < near:
            Ws[i] = wstar
        elif phi[i] > math.pi - near:
            Ws[i] = -wstar
        else:
            all_snapped = False
    return Ws, optimal_A(Ws, A, wstar, astar), all_snapped


def polish(W, A, wstar, astar, eta: float, chunk: int, max_iters: int, near: float, grad_tol: float):
    """GD continued from a final state, ``chunk`` steps at a time, until the candidate limit
    point passes the stationarity test or ``max_iters`` steps are spent.  The candidate is the
    snapped point (:func:`snap`) when every filter is near ±w*, else the polished state itself.
    Returns (W, A, snapped?, GD steps taken)."""
    Wp, Ap = np.array(W, float), np.array(A, float)
    a_norm = math.sqrt(float(np.sum(np.asarray(astar) ** 2)))
    done = 0
    while True:
        Wsn, Asn, ok = snap(Wp, Ap, wstar, astar, near)
        W_, A_ = (Wsn, Asn) if ok else (Wp, Ap)
        if done >= max_iters or chunk == 0 or riemannian_grad_norm(W_, A_, wstar, astar) / a_norm < grad_tol:
            return W_, A_, ok, done
        steps = min(chunk, max_iters - done)
        multi.gd_continue(Wp, Ap, wstar, astar, eta, steps)
        done += steps


def signature(phi, norm, near: float, zero: float) -> tuple[int, int, int, int]:
    """(#filters near w*, near −w*, elsewhere, with ~zero output weight) of one run."""
    on = norm >= zero
    return (int(np.sum(on & (phi < near))), int(np.sum(on & (phi > math.pi - near))),
            int(np.sum(on & (phi >= near) & (phi <= math.pi - near))), int(np.sum(~on)))


def catalogue(cfg: dict, groups: dict, out_csv=None) -> pd.DataFrame:
    """Cluster the failed runs of every cell and check each cluster's representatives."""
    sec = cfg["overparam"]
    cat = sec["catalogue"]
    tol = Tolerances.from_dict(cfg["tolerances"])
    rows = []
    for (label, m, k, r), paths in sorted(groups.items()):
        if sec["algorithms"][label]["algorithm"] != "gd":
            continue
        arrays, meta = load_cell_multi(paths)
        failed = arrays["failed_runs"]
        if failed.size == 0:
            continue
        prob = problem(cfg, k, r)
        tkey, _ = keys(int(cfg["seed"]), EXPERIMENT, cell_id(m, k, r), label)
        Wf, Af = arrays["failed_W"], arrays["failed_A"]
        # teachers of the failed runs, regenerated from their streams
        ws = np.empty((failed.size, prob.p))
        As = np.empty((failed.size, k))
        for j, run_ in enumerate(failed):
            w1, a1 = K.draw_teachers(np.uint64(tkey), int(run_), 1, prob.p, int(k), float(r), prob.scale,
                                           TEACHERS.index(prob.teacher))
            ws[j], As[j] = w1[0], a1[0]
        phi, share, norm = filter_summaries(Wf, Af, ws, As)
        a2 = np.sum(As**2, axis=1)
        loss = np.array([multi.grad(Wf[j], Af[j], ws[j], As[j])[0] for j in range(failed.size)])
        sigs = [signature(phi[j], norm[j], cat["near"], cat["zero_weight"]) for j in range(failed.size)]
        for sig in sorted(set(sigs)):
            members = [j for j, s_ in enumerate(sigs) if s_ == sig]
            rel_loss = loss[members] / a2[members]
            reps = [members[i] for i in np.argsort(rel_loss)[: cat["max_per_cluster"]]]
            final_grad = max(riemannian_grad_norm(Wf[j], Af[j], ws[j], As[j]) / math.sqrt(a2[j]) for j in reps)
            checks, snapped, polished = [], True, 0
            eta = scaled_algorithm(sec, label, m).eta0
            for j in reps:
                W_, A_, ok, iters = polish(Wf[j], Af[j], ws[j], As[j], eta, int(cat["polish_iters"]),
                                           int(cat["polish_max_iters"]), cat["near"], cat["grad_tol"])
                snapped &= ok
                polished = max(polished, iters)
                checks.append(classify_stationary(W_, A_, ws[j], As[j], cat["grad_tol"], cat["hessian_tol"]))
            types = sorted({c[0] for c in checks})
            kind = types[0] if len(types) == 1 else " / ".join(types)
            g_max = max(c[1] for c in checks)
            e_min = min(c[2] for c in checks)
            rows.append({"algorithm": label, "m": m, "k": k, "r": r, "n_failed": failed.size,
                         "near_wstar": sig[0], "near_minus_wstar": sig[1], "elsewhere": sig[2], "zero_weight": sig[3],
                         "count": len(members), "fraction_of_runs": len(members) / arrays["loss"].size,
                         "median_rel_loss": float(np.median(rel_loss)),
                         "median_share_near_minus": float(np.median(
                             [share[j][(phi[j] > math.pi - cat["near"]) & (norm[j] >= cat["zero_weight"])].sum()
                              for j in members])),
                         "final_grad_norm": final_grad, "polish_iters": polished, "snapped": snapped, "max_grad_norm": g_max,
                         "min_hessian_eig": e_min, "n_checked": len(reps), "type": kind})
    df = pd.DataFrame(rows)
    if out_csv is not None:
        write_csv(out_csv, df)
    return df


def write_catalogue_tex(cat: pd.DataFrame, path, chunk: int, cap: int, top: int = 40) -> None:
    if cat.empty:
        body = "\\begin{tabular}{l}\\toprule no failed runs \\\\ \\bottomrule\\end{tabular}"
    else:
        c = cat.sort_values("count", ascending=False).head(top).sort_values(["algorithm", "m", "k", "r", "count"],
                                                                            ascending=[True, True, True, True, False])
        rows = [[latex.escape(row.algorithm), str(row.m), str(row.k), fmt_r(row.r),
                 f"{row.near_wstar}/{row.near_minus_wstar}/{row.elsewhere}/{row.zero_weight}", str(row.count),
                 f"{row.median_rel_loss:.3g}", f"{row.median_share_near_minus:+.2f}", f"{row.final_grad_norm:.1e}",
                 f"{row.max_grad_norm:.1e}" + ("" if row.snapped else "$^\\dagger$"),
                 f"{row.min_hessian_eig:+.1e}", f"{row.polish_iters / 1000:.0f}k", latex.escape(row.type)]
                for row in c.itertuples()]
        body = latex.tabular("lrrrcrrrrrrrl", ["alg.", "$m$", "$k$", "$r$", "$w^*$/$-w^*$/else/off", "runs",
                                               "$L/\\|a^*\\|^2$", "share at $-w^*$", "final $\\|\\mathrm{grad}\\|$",
                                               "$\\|\\mathrm{grad}\\|$", "$\\lambda_{\\min}$", "steps", "type"], rows)
    caption = ("Where GD stops when it fails: final states clustered by the number of filters near $w^*$ / near "
               "$-w^*$ / elsewhere / with no output weight; median loss, the output-weight share "
               "$\\sum a_i^\\top a^*/\\|a^*\\|^2$ of the filters at $-w^*$. Each cluster's representatives are "
               "polished by further GD steps (column steps: as many as it took, checked every "
               f"{chunk // 1000:.0f}k, at most {cap // 1000:.0f}k) and snapped onto $\\pm w^*$ with optimal output weights "
               "(GD approaches these degenerate points only sublinearly); $\\|\\mathrm{grad}\\|$ is the relative Riemannian gradient norm there, "
               "$\\lambda_{\\min}$ the smallest Riemannian-Hessian eigenvalue; zero eigenvalues are resolved by "
               "probing the loss along their directions. $^\\dagger$: some filter is neither near $w^*$ nor "
               "$-w^*$; checked after the polishing GD steps, not snapped. ``not stationary'': the gradient "
               "is still above the tolerance when the polishing budget is spent (a run still drifting).")
    latex.write_table(path, "\\scriptsize\n" + body, caption, "tab:overparam-stationary")


def plot_catalogue(cat: pd.DataFrame, pdf, png) -> None:
    import matplotlib.pyplot as plt

    with plotting.style():
        fig, axes = plt.subplots(1, 2, figsize=(plotting.TEXT, 2.4), constrained_layout=True)
        if cat.empty:
            for ax in axes:
                ax.text(0.5, 0.5, "no failed runs", ha="center", va="center", transform=ax.transAxes)
        else:
            gd = cat[cat["algorithm"] == cat["algorithm"].iloc[0]]
            labels = [f"{a}/{b}/{c}/{d}" for a, b, c, d in
                      zip(gd["near_wstar"], gd["near_minus_wstar"], gd["elsewhere"], gd["zero_weight"])]
            pivot = gd.assign(sig=labels).groupby(["m", "sig"])["fraction_of_runs"].mean().unstack(fill_value=0)
            pivot.plot(kind="bar", stacked=True, ax=axes[0], width=0.7, colormap="tab20", legend=True)
            axes[0].set_ylabel("fraction of runs (mean over k, r)")
            axes[0].set_title(f"failed {cat['algorithm'].iloc[0]} runs by cluster")
            axes[0].legend(title="w*/−w*/else/off", fontsize=5, title_fontsize=5)
            colors = {"saddle": "C3", "saddle (degenerate)": "C1", "strict local minimum": "C0",
                      "minimum (degenerate)": "C2", "not stationary": "0.5"}
            for t, sub in cat.groupby("type"):
                axes[1].scatter(sub["median_rel_loss"], sub["min_hessian_eig"], s=6 + 40 * sub["fraction_of_runs"],
                                color=colors.get(t, "k"), label=t, alpha=0.8)
            axes[1].axhline(0, color="0.3", lw=0.5)
            axes[1].set_xscale("log")
            axes[1].set_yscale("symlog", linthresh=1e-6)
            axes[1].set_xlabel(r"final loss / $\|a^*\|^2$")
            axes[1].set_ylabel(r"smallest Hessian eigenvalue")
            axes[1].legend(fontsize=5)
        plotting.save(fig, pdf, png, meta={"figure": "overparam_stationary", **code_version()})


# ---------------------------------------------------------------------------- alignment
def plot_alignment(cfg: dict, groups: dict, pdf, png, zero: float | None = None) -> None:
    """Successful runs: each filter's angle to w* and its share of the teacher's output weights."""
    import matplotlib.pyplot as plt

    zero = cfg["overparam"]["catalogue"]["zero_weight"] if zero is None else zero
    tol = Tolerances.from_dict(cfg["tolerances"])
    ms = sorted({m for (_, m, _, _) in groups})
    colors = plt.get_cmap("viridis")(np.linspace(0, 0.85, len(ms)))
    with plotting.style():
        fig, axes = plt.subplots(1, 2, figsize=(plotting.TEXT, 2.3), constrained_layout=True)
        for c, m in zip(colors, ms):
            phis, shares = [], []
            for (lab, m_, k, r), paths in groups.items():
                if m_ != m:
                    continue
                arrays, _ = load_cell_multi(paths)
                ok = classify_multi(arrays["loss"], arrays["status"], arrays["astar_sq"], tol) == GLOBAL
                phis.append(arrays["filter_phi"][ok].ravel())
                shares.append(arrays["filter_share"][ok].ravel())
            if not phis:
                continue
            phi = np.concatenate(phis)
            share = np.concatenate(shares)
            if phi.size == 0:
                continue
            axes[0].hist(phi, bins=np.linspace(0, math.pi, 61), histtype="step", density=True, color=c,
                         label=f"m = {m}")
            sel = slice(None, None, max(1, phi.size // 4000))
            axes[1].scatter(phi[sel], share[sel], s=2, color=c, alpha=0.5, label=f"m = {m}")
        axes[0].set_xlabel(r"filter angle to $w^*$")
        axes[0].set_ylabel("density (successful runs)")
        axes[0].set_yscale("log")
        axes[0].legend()
        axes[1].set_xlabel(r"filter angle to $w^*$")
        axes[1].set_ylabel(r"share $a_i^\top a^*/\|a^*\|^2$")
        axes[1].axhline(0, color="0.3", lw=0.5)
        plotting.save(fig, pdf, png, meta={"figure": "overparam_alignment", **code_version()})


def alignment_summary(cfg: dict, groups: dict) -> dict:
    """Macros: fraction of weighted filters of successful runs within the tolerance angle of w*."""
    tol = Tolerances.from_dict(cfg["tolerances"])
    zero = cfg["overparam"]["catalogue"]["zero_weight"]
    out = {}
    for m in sorted({m for (_, m, _, _) in groups}):
        aligned, total = 0, 0
        for (lab, m_, k, r), paths in groups.items():
            if m_ != m:
                continue
            arrays, _ = load_cell_multi(paths)
            ok = classify_multi(arrays["loss"], arrays["status"], arrays["astar_sq"], tol) == GLOBAL
            on = arrays["filter_norm"][ok] >= zero
            aligned += int(np.sum(on & (arrays["filter_phi"][ok] < cfg["overparam"]["catalogue"]["near"])))
            total += int(np.sum(on))
        out[m] = aligned / total if total else float("nan")
    return out


def check(cfg: dict) -> None:
    sec = cfg.get("overparam")
    if sec is None:
        return
    for name, spec in sec["algorithms"].items():
        if spec["algorithm"] not in ("gd", "pgd"):
            raise ConfigError(f"overparam.algorithms.{name}.algorithm: must be gd or pgd for the m-filter student")
    algorithms(sec)
    for k in sec["k"]:
        for r in sec["r"]:
            if r > k:
                raise ConfigError(f"overparam.r: r = {r} exceeds k = {k} (need 0 <= r <= k)")

