"""Burgers PINN: scimlkit against DeepXDE (PyTorch backend, CPU), same set-up.

DeepXDE's own Burgers example (Lu et al. 2021) shrunk to a CPU-sized run: the viscous
Burgers equation of Raissi et al. (2019) on x in [-1, 1], t in [0, 1], 2540 collocation
points, 240 initial/boundary points, a 2-20-20-20-1 tanh network, float32, Adam with
learning rate 1e-3 for ADAM_STEPS steps and then L-BFGS for LBFGS_STEPS iterations. Both
are measured against the same Cole-Hopf reference on an 81 x 34 grid.

Measured per library: wall time per Adam step and per L-BFGS iteration (the median of
the step-to-step times, so JAX's compilation in the first step and pauses caused by other
jobs on a shared machine are left out; an L-BFGS iteration includes its line search),
the time of the whole training (compilation included), and the final relative L2 error.
Both libraries run on one CPU thread: on a loaded 2-core machine PyTorch's two OpenMP
threads wait for each other whenever another job holds a core (when this benchmark was
written, its Adam step took 2-6x longer on two threads than on one), while XLA ran this
problem at about the same speed on one thread, so one thread each is the comparison that
does not depend on what else is running. No speed or accuracy target is set: the report
gives the numbers and their ratios.

The loss is the same function in both: DeepXDE takes one mean squared misfit per
condition (the initial line and the boundary) and adds them to the mean squared residual,
which it also evaluates on the initial and boundary points. scimlkit's ``burgers_loss``
takes one mean over all edge points, so with its even split between the initial line and
the boundary ``edge_weight = 2`` gives the same sum, and the edge points are appended to
its collocation points. What still differs: the points themselves (each library samples
its own; DeepXDE puts 160 on t = 0 and 80 on x = +-1, scimlkit 120 and 120), the initial
weights (DeepXDE's Glorot normal with zero biases, equinox's default uniform), and each
L-BFGS's default history (optax 10 pairs, DeepXDE 100; both a strong-Wolfe line search;
DeepXDE's per-call iteration limit is set to match LBFGS_STEPS). At this small size the
final error depends on the seed by tens of percent, so each library trains with SEEDS
seeds and the report gives the median error and its range; times are medians over all
seeds' steps. Run from the repository root after
``pip install -r benchmarks/requirements-peers.txt``: ``python benchmarks/pinn_burgers.py``.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("DDE_BACKEND", "pytorch")
# One CPU thread for each library (see the docstring); both read these when imported.
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import optax  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import scimlkit as sk  # noqa: E402
from scimlkit.site.benchmark_report import Report, Table, write_report  # noqa: E402

N_DOMAIN, N_BOUNDARY, N_INITIAL = 2540, 80, 160
WIDTH, DEPTH = 20, 3
ADAM_STEPS, LBFGS_STEPS = 2000, 1000
SEEDS = (0, 1, 2)
EDGE_WEIGHT = 2.0  # one mean per condition, as DeepXDE's loss (see the docstring)
NU = 0.01 / np.pi


def reference_grid() -> tuple[np.ndarray, np.ndarray]:
    t, x = np.meshgrid(np.linspace(0.0, 1.0, 34), np.linspace(-1.0, 1.0, 81), indexing="ij")
    points = np.stack([t.ravel(), x.ravel()], axis=1)
    return points, np.asarray(sk.burgers_cole_hopf(points[:, 0], points[:, 1]))


def relative_error(predicted: np.ndarray, reference: np.ndarray) -> float:
    return float(np.linalg.norm(predicted.ravel() - reference) / np.linalg.norm(reference))


def run_scimlkit(points: np.ndarray, reference: np.ndarray, seed: int) -> dict:
    burgers = sk.Burgers()
    key_net, key_points, key_edges = jax.random.split(jax.random.key(seed), 3)
    edges, values = burgers.edge_points(key_edges, N_BOUNDARY + N_INITIAL, dtype=jnp.float32)
    inside = sk.latin_hypercube(key_points, N_DOMAIN, burgers.lower, burgers.upper, dtype=jnp.float32)
    collocation = jnp.concatenate([inside, edges])  # DeepXDE evaluates the residual on its edge points too
    model = sk.pinn_network(key_net, width=WIDTH, depth=DEPTH, dtype=jnp.float32)

    def loss(model, collocation):
        return sk.burgers_loss(model, collocation, edges, values, problem=burgers, edge_weight=EDGE_WEIGHT)

    adam_stamps, lbfgs_stamps = [], []
    started = time.perf_counter()
    adam = sk.fit(loss, model, optax.adam(1e-3), collocation,
                  steps=ADAM_STEPS,
                  callback=lambda *_: adam_stamps.append(time.perf_counter()))
    lbfgs = sk.fit(loss, adam.params, optax.lbfgs(), collocation,
                   steps=LBFGS_STEPS,
                   callback=lambda *_: lbfgs_stamps.append(time.perf_counter()))
    total = time.perf_counter() - started
    error = sk.relative_l2_error(lbfgs.params, jnp.asarray(points, jnp.float32), reference)
    return {"adam_steps": step_times(adam_stamps), "lbfgs_steps": step_times(lbfgs_stamps),
            "lbfgs_iterations": lbfgs.steps, "total": total, "error": error}


def step_times(stamps: list[float]) -> list[float]:
    """Times between the stamps taken at the end of successive steps; the first step
    (which, for JAX, traces and compiles) ends before the first stamp."""
    return np.diff(stamps).tolist()


def run_deepxde(points: np.ndarray, reference: np.ndarray, seed: int) -> dict:
    import deepxde as dde
    import torch

    torch.set_num_threads(1)
    dde.config.set_default_float("float32")
    dde.config.set_random_seed(seed)
    geometry = dde.geometry.GeometryXTime(dde.geometry.Interval(-1, 1), dde.geometry.TimeDomain(0, 1))

    def pde(z, u):  # DeepXDE orders the inputs (x, t)
        u_x = dde.grad.jacobian(u, z, i=0, j=0)
        u_t = dde.grad.jacobian(u, z, i=0, j=1)
        u_xx = dde.grad.hessian(u, z, i=0, j=0)
        return u_t + u * u_x - NU * u_xx

    boundary = dde.icbc.DirichletBC(geometry, lambda z: 0, lambda _, on_boundary: on_boundary)
    initial = dde.icbc.IC(geometry, lambda z: -np.sin(np.pi * z[:, 0:1]), lambda _, on_initial: on_initial)
    data = dde.data.TimePDE(geometry, pde, [boundary, initial], num_domain=N_DOMAIN,
                            num_boundary=N_BOUNDARY, num_initial=N_INITIAL)
    net = dde.nn.FNN([2] + [WIDTH] * DEPTH + [1], "tanh", "Glorot normal")
    model = dde.Model(data, net)

    class StepStamps(dde.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.stamps = []

        def on_batch_end(self):
            self.stamps.append(time.perf_counter())

    adam_stamps = StepStamps()
    started = time.perf_counter()
    model.compile("adam", lr=1e-3)
    model.train(iterations=ADAM_STEPS, display_every=ADAM_STEPS, verbose=0, callbacks=[adam_stamps])
    dde.optimizers.config.set_LBFGS_options(maxiter=LBFGS_STEPS)
    # set_LBFGS_options leaves the PyTorch backend's per-call limits at the values computed
    # on import for the default maxiter=15000 (1000 iterations a call), so a smaller
    # LBFGS_STEPS would be overrun; set them as the import-time code would for ours.
    options = dde.optimizers.config.LBFGS_options
    options["iter_per_step"] = min(1000, options["maxiter"])
    options["fun_per_step"] = options["maxfun"] * options["iter_per_step"] // options["maxiter"]
    model.compile("L-BFGS")
    # torch.optim.LBFGS runs all its iterations inside one call, so no callback sees them
    # end. Instead note when each iteration first evaluates the network: the optimizer
    # counts the iteration (n_iter) before its line search evaluates the loss.
    iteration_starts: dict[int, float] = {}
    first_parameter = model.opt.param_groups[0]["params"][0]

    def note_iteration(*_):
        iteration = model.opt.state[first_parameter].get("n_iter", 0)
        iteration_starts.setdefault(iteration, time.perf_counter())

    hook = net.register_forward_pre_hook(note_iteration)
    model.train(display_every=LBFGS_STEPS, verbose=0)
    hook.remove()
    total = time.perf_counter() - started
    # The iterations torch.optim.LBFGS actually ran: it stops early when the gradient or
    # the step becomes negligibly small, or when it uses up its function evaluations.
    lbfgs_iterations = model.opt.state[first_parameter]["n_iter"]
    lbfgs_stamps = [iteration_starts[i] for i in sorted(iteration_starts) if i >= 1]
    predicted = model.predict(np.stack([points[:, 1], points[:, 0]], axis=1))
    return {"adam_steps": step_times(adam_stamps.stamps), "lbfgs_steps": step_times(lbfgs_stamps),
            "lbfgs_iterations": lbfgs_iterations, "total": total, "error": relative_error(predicted, reference),
            "version": dde.__version__}


def summarise(runs: list[dict]) -> dict:
    """Median step times over every seed's steps; median iterations, training time and error; the error range."""
    errors = [run["error"] for run in runs]
    return {
        "adam_step": float(np.median(sum((run["adam_steps"] for run in runs), []))),
        "lbfgs_step": float(np.median(sum((run["lbfgs_steps"] for run in runs), []))),
        "lbfgs_iterations": float(np.median([run["lbfgs_iterations"] for run in runs])),
        "total": float(np.median([run["total"] for run in runs])),
        "error": float(np.median(errors)),
        "error_range": (min(errors), max(errors)),
    }


def main() -> int:
    load_before = os.getloadavg()[0]
    points, reference = reference_grid()
    ours, theirs = [], []
    for seed in SEEDS:
        ours.append(run_scimlkit(points, reference, seed))
        theirs.append(run_deepxde(points, reference, seed))
        print(f"seed {seed}: scimlkit error {ours[-1]['error']:.3e}, DeepXDE {theirs[-1]['error']:.3e}", flush=True)
    version = theirs[0]["version"]
    ours, theirs = summarise(ours), summarise(theirs)
    deepxde_name = f"DeepXDE {version} (PyTorch)"
    load_after = os.getloadavg()[0]
    report = Report(
        name="pinn_burgers",
        title="Burgers PINN training",
        summary=(
            f"Viscous Burgers (nu = 0.01/pi) PINN with {N_DOMAIN} collocation and {N_BOUNDARY + N_INITIAL} "
            f"initial/boundary points, a 2-{'-'.join([str(WIDTH)] * DEPTH)}-1 tanh network in float32, Adam 1e-3 "
            f"for {ADAM_STEPS} steps then L-BFGS for at most {LBFGS_STEPS} iterations, with scimlkit (JAX, "
            f"nested jvp, optax L-BFGS) and with DeepXDE {version} on its PyTorch backend (CPU wheel, "
            "torch.optim.LBFGS), each on one CPU thread. Both minimise the same loss: mean squared residual "
            "(on the edge points too) plus one mean squared misfit per condition (scimlkit: edge_weight = 2 over "
            "its evenly split edge points). Each library samples its own points (DeepXDE 160 on t = 0 and 80 on "
            "x = +-1, scimlkit 120 and 120), initialises its own way (Glorot normal; equinox's uniform default) "
            "and keeps its default L-BFGS history (10 and 100 pairs). "
            f"Seeds {', '.join(map(str, SEEDS))} for each library: times per step are medians over all seeds' "
            "steps, leaving out the first step (JAX's compilation); training time (compilation included), "
            "iterations and error are medians, the error's range beside it. An L-BFGS iteration includes its "
            "line search. Error: relative L2 against the Cole-Hopf reference on an 81 x 34 grid. No target is "
            "set; the last row gives DeepXDE's numbers divided by scimlkit's. "
            "Load average (1 min) "
            f"{load_before:.1f} before the run and {load_after:.1f} after it, on {os.cpu_count()} CPUs shared "
            "with other jobs."
        ),
        tables=[Table(
            caption="Burgers PINN: time per iteration, training time and final error",
            columns=["implementation", "Adam step (ms)", "L-BFGS iteration (ms)", "L-BFGS iterations run",
                     "training (s)", "relative L2 error, median (range)"],
            rows=[
                *([name, f"{1e3 * r['adam_step']:.2f}", f"{1e3 * r['lbfgs_step']:.2f}", f"{r['lbfgs_iterations']:.0f}",
                   f"{r['total']:.1f}",
                   f"{r['error']:.2e} ({r['error_range'][0]:.2e} to {r['error_range'][1]:.2e})"]
                  for name, r in (("scimlkit", ours), (deepxde_name, theirs))),
                ["ratio DeepXDE / scimlkit",
                 *(f"{theirs[key] / ours[key]:.2f}" for key in ("adam_step", "lbfgs_step", "lbfgs_iterations",
                                                                  "total", "error"))],
            ],
        )],
    )
    path = write_report(report, Path(__file__).resolve().parents[1])
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
