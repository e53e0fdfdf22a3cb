"""Burgers PINN: scimlkit against DeepXDE (PyTorch backend, CPU), same set-up.

DeepXDE's own Burgers example (Lu et al. 2021) shrunk to a CPU-sized run: the viscous
Burgers equation of Raissi et al. (2019) on x in [-1, 1], t in [0, 1], 2540 collocation
points, 240 initial/boundary points, a 2-20-20-20-1 tanh network, float32, Adam with
learning rate 1e-3 for ADAM_STEPS steps and then L-BFGS for LBFGS_STEPS iterations. Both
are measured against the same Cole-Hopf reference on an 81 x 34 grid.

Measured per library: wall time per Adam step (after the first, which includes
compilation for JAX), the time of the whole training, and the final relative L2 error.
The collocation points differ (each library samples its own) but their number and the
network do not. Run from the repository root after
``pip install -r benchmarks/requirements-peers.txt``: ``python benchmarks/pinn_burgers.py``.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("DDE_BACKEND", "pytorch")

import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import optax  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import scimlkit as sk  # noqa: E402
from scimlkit.site.benchmark_report import Goal, Report, Table, write_report  # noqa: E402

N_DOMAIN, N_BOUNDARY, N_INITIAL = 2540, 80, 160
WIDTH, DEPTH = 20, 3
ADAM_STEPS, LBFGS_STEPS = 2000, 1000
NU = 0.01 / np.pi


def reference_grid() -> tuple[np.ndarray, np.ndarray]:
    t, x = np.meshgrid(np.linspace(0.0, 1.0, 34), np.linspace(-1.0, 1.0, 81), indexing="ij")
    points = np.stack([t.ravel(), x.ravel()], axis=1)
    return points, np.asarray(sk.burgers_cole_hopf(points[:, 0], points[:, 1]))


def relative_error(predicted: np.ndarray, reference: np.ndarray) -> float:
    return float(np.linalg.norm(predicted.ravel() - reference) / np.linalg.norm(reference))


def run_scimlkit(points: np.ndarray, reference: np.ndarray) -> dict:
    burgers = sk.Burgers()
    key_net, key_points, key_edges = jax.random.split(jax.random.key(0), 3)
    collocation = sk.latin_hypercube(key_points, N_DOMAIN, burgers.lower, burgers.upper, dtype=jnp.float32)
    edges, values = burgers.edge_points(key_edges, N_BOUNDARY + N_INITIAL, dtype=jnp.float32)
    model = sk.pinn_network(key_net, width=WIDTH, depth=DEPTH, dtype=jnp.float32)

    def loss(model, collocation):
        return sk.burgers_loss(model, collocation, edges, values, problem=burgers)

    stamps = []
    started = time.perf_counter()
    adam = sk.fit(loss, model, optax.adam(1e-3), collocation,
                  steps=ADAM_STEPS,
                  callback=lambda *_: stamps.append(time.perf_counter()))
    lbfgs = sk.fit(loss, adam.params, optax.lbfgs(), collocation, steps=LBFGS_STEPS)
    total = time.perf_counter() - started
    per_step = (stamps[-1] - stamps[0]) / (len(stamps) - 1)
    error = sk.relative_l2_error(lbfgs.params, jnp.asarray(points, jnp.float32), reference)
    return {"adam_step": per_step, "total": total, "error": error}


def run_deepxde(points: np.ndarray, reference: np.ndarray) -> dict:
    import deepxde as dde
    import torch

    torch.manual_seed(0)
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
    started = time.perf_counter()
    model.compile("adam", lr=1e-3)
    adam_started = time.perf_counter()
    model.train(iterations=ADAM_STEPS, display_every=ADAM_STEPS, verbose=0)
    adam_seconds = time.perf_counter() - adam_started
    dde.optimizers.config.set_LBFGS_options(maxiter=LBFGS_STEPS)
    model.compile("L-BFGS")
    model.train(display_every=LBFGS_STEPS, verbose=0)
    total = time.perf_counter() - started
    predicted = model.predict(np.stack([points[:, 1], points[:, 0]], axis=1))
    return {"adam_step": adam_seconds / ADAM_STEPS, "total": total, "error": relative_error(predicted, reference),
            "version": dde.__version__}


def main() -> int:
    points, reference = reference_grid()
    ours = run_scimlkit(points, reference)
    theirs = run_deepxde(points, reference)
    step_ratio = theirs["adam_step"] / ours["adam_step"]
    report = Report(
        name="pinn_burgers",
        title="Burgers PINN training",
        summary=(
            f"Viscous Burgers (nu = 0.01/pi) PINN with {N_DOMAIN} collocation and {N_BOUNDARY + N_INITIAL} "
            f"initial/boundary points, a 2-{'-'.join([str(WIDTH)] * DEPTH)}-1 tanh network in float32, Adam 1e-3 "
            f"for {ADAM_STEPS} steps then L-BFGS for {LBFGS_STEPS} iterations, with scimlkit (JAX, nested jvp) and "
            f"with DeepXDE {theirs['version']} on its PyTorch backend (CPU wheel). Error against the Cole-Hopf "
            "reference on an 81 x 34 grid."
        ),
        goals=[
            Goal("scimlkit's Adam step no slower than DeepXDE's", f"{step_ratio:.1f}x faster", step_ratio >= 1.0),
            Goal("scimlkit's final error no worse than 2x DeepXDE's",
                 f"{ours['error']:.2e} vs {theirs['error']:.2e}", ours["error"] <= 2 * theirs["error"]),
        ],
        tables=[Table(
            caption="Burgers PINN: time per Adam step, total training time and final error",
            columns=["implementation", "Adam step (ms)", "training (s)", "relative L2 error"],
            rows=[[name, f"{1e3 * r['adam_step']:.2f}", f"{r['total']:.1f}", f"{r['error']:.2e}"]
                  for name, r in (("scimlkit", ours), (f"DeepXDE {theirs['version']} (PyTorch)", theirs))],
        )],
    )
    path = write_report(report, Path(__file__).resolve().parents[1])
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
