"""Deep BSDE on the 100-dimensional HJB equation: scimlkit against the same method in plain PyTorch.

Both sides run the same method with the same settings: d = 100, T = 1, N = 20 steps,
lambda = 1, x0 = 0; one recurrent gradient network (input (t, x), two hidden ReLU layers
of width 110, output divided by d) shared across steps; trainable y0 and z0 with the
same initial values (the PyTorch model copies scimlkit's initial weights); the clipped
squared loss; Adam with learning rate 3e-2, divided by 3 at iterations 400 and 800;
batch 64 of fresh paths per iteration; float64. Each framework draws its own random
paths.

Measured: the wall time from a cold start (JAX: tracing and compiling included) until
the estimate of u(0, 0) is first within 1% of the Monte Carlo reference (computed from
the exact formula, ``sk.hjb_reference``), the iterations that took, the time per
iteration, and the error against iterations. PyTorch is the CPU wheel pinned in
``benchmarks/requirements-peers.txt``. Run from the repository root:
``python benchmarks/deep_bsde.py``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import jax

jax.config.update("jax_enable_x64", True)

import numpy as np  # noqa: E402
import optax  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import scimlkit as sk  # noqa: E402
from scimlkit.site.benchmark_report import BarPlot, Goal, Report, Table, write_report  # noqa: E402

ITERATIONS = 1000
BATCH = 64
LEARNING_RATE = 3e-2
DROPS = (400, 800)  # the learning rate is divided by 3 at these iterations
TARGET = 0.01
CHUNK = 20  # scimlkit's compiled chunk: its time stamps are per 20 iterations
SEED = 0
REPORTED_AT = (100, 200, 300, 400, 600, 800, 1000)


def schedule():
    return optax.piecewise_constant_schedule(LEARNING_RATE, {step: 1 / 3 for step in DROPS})


def first_within(errors: np.ndarray) -> int | None:
    hits = np.flatnonzero(errors < TARGET)
    return int(hits[0]) if hits.size else None


def run_scimlkit(problem):
    started = time.perf_counter()
    result = sk.train_deep_bsde(
        problem, iterations=ITERATIONS, learning_rate=schedule(), key=jax.random.key(SEED),
        network="recurrent", batch_size=BATCH, chunk=CHUNK,
    )
    total = time.perf_counter() - started
    # Time stamps exist per chunk: the time to the target is that of the chunk in which it
    # was reached (an upper bound, by less than one chunk of iterations).
    stamps = np.repeat(result.seconds, CHUNK)
    warm_per_iteration = (result.seconds[-1] - result.seconds[0]) / (ITERATIONS - CHUNK)
    return result.y0_history, stamps, total, warm_per_iteration


def run_torch(problem, initial):
    import torch

    torch.set_default_dtype(torch.float64)
    torch.manual_seed(SEED)
    dim, steps, dt = problem.dim, problem.n_steps, problem.dt
    net = initial.gradient_net

    class Recurrent(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = torch.nn.ModuleList(torch.nn.Linear(layer.in_features, layer.out_features) for layer in net.layers)
            with torch.no_grad():
                for mine, source in zip(self.layers, net.layers):
                    mine.weight.copy_(torch.from_numpy(np.array(source.weight)))
                    mine.bias.copy_(torch.from_numpy(np.array(source.bias)))

        def forward(self, inputs):
            for layer in self.layers[:-1]:
                inputs = torch.relu(layer(inputs))
            return self.layers[-1](inputs)

    network = Recurrent()
    y0 = torch.nn.Parameter(torch.tensor(float(initial.y0)))
    z0 = torch.nn.Parameter(torch.from_numpy(np.array(initial.z0)))
    optimizer = torch.optim.Adam([y0, z0, *network.parameters()], lr=LEARNING_RATE)
    scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=list(DROPS), gamma=1 / 3)

    history, stamps = [], []
    started = time.perf_counter()
    for _ in range(ITERATIONS):
        dw = np.sqrt(dt) * torch.randn(BATCH, steps, dim)
        x = torch.cat([torch.zeros(BATCH, 1, dim), np.sqrt(2.0) * torch.cumsum(dw, dim=1)], dim=1)
        y = y0.expand(BATCH)
        z = z0.expand(BATCH, dim)
        for n in range(steps):
            if n > 0:
                z = network(torch.cat([torch.full((BATCH, 1), n * dt), x[:, n]], dim=1)) / dim
            y = y + (z**2).sum(dim=1) / 2 * dt + (z * dw[:, n]).sum(dim=1)  # f = -|z|^2 / 2
        mismatch = y - torch.log((1.0 + (x[:, -1] ** 2).sum(dim=1)) / 2.0)
        size = mismatch.abs()
        loss = torch.where(size < 50.0, mismatch**2, 100.0 * size - 2500.0).mean()
        history.append(y0.item())  # the value this iteration's loss was computed with, as in scimlkit
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
        stamps.append(time.perf_counter() - started)
    total = time.perf_counter() - started
    return np.array(history), np.array(stamps), total, float(np.median(np.diff(stamps))), torch.get_num_threads()


def main() -> int:
    problem = sk.hjb_problem(dim=100, total_time=1.0, n_steps=20, control_cost=1.0)
    reference = problem.reference
    initial = sk.DeepBSDE(problem, network="recurrent", key=jax.random.split(jax.random.key(SEED))[0])
    ours = run_scimlkit(problem)
    peer = run_torch(problem, initial)
    rows, times_to_target, plot_values = [], {}, []
    errors = {}
    for name, (history, stamps, total, per_iteration, *_) in (("scimlkit", ours), ("PyTorch (plain)", peer)):
        error = np.abs(history - reference) / reference
        errors[name] = error
        hit = first_within(error)
        seconds = float(stamps[hit]) if hit is not None else float("inf")
        times_to_target[name] = seconds
        rows.append([name, int(hit) if hit is not None else "not reached", f"{seconds:.1f}", f"{1000 * per_iteration:.1f}",
                     f"{total:.1f}", f"{history[-1]:.4f}", f"{error[-1]:.2%}"])
        plot_values.append(float(seconds))
    ratio = times_to_target["PyTorch (plain)"] / times_to_target["scimlkit"]
    error_rows = [[iteration, f"{errors['scimlkit'][iteration - 1]:.2%}", f"{errors['PyTorch (plain)'][iteration - 1]:.2%}"]
                  for iteration in REPORTED_AT]
    report = Report(
        name="deep_bsde",
        title="Deep BSDE: 100-dimensional HJB equation to 1% error",
        summary=(
            f"Same method and settings on both sides (recurrent network, batch {BATCH}, Adam {LEARNING_RATE} "
            f"divided by 3 at {DROPS[0]} and {DROPS[1]}, float64, same initial weights). Reference u(0, 0) = "
            f"{reference:.4f} by Monte Carlo on the exact formula. scimlkit reached 1% error {ratio:.1f}x sooner "
            f"than plain PyTorch ({times_to_target['scimlkit']:.1f} s against {times_to_target['PyTorch (plain)']:.1f} s, "
            f"JAX compilation included); PyTorch used {peer[4]} threads."
        ),
        goals=[
            Goal("scimlkit reaches 1% error on HJB d = 100 sooner than plain PyTorch (ratio >= 1)", f"{ratio:.2f}x", bool(ratio >= 1.0)),
            Goal("scimlkit's final error after 1000 iterations below 0.5%", f"{errors['scimlkit'][-1]:.2%}", bool(errors["scimlkit"][-1] < 0.005)),
        ],
        tables=[
            Table(
                caption="Time and iterations to reach 1% relative error in u(0, 0)",
                columns=["library", "iterations to 1%", "seconds to 1%", "ms per iteration (warm)", "total s (1000 its)",
                         "u(0, 0) at the end", "final error"],
                rows=rows,
            ),
            Table(caption="Relative error against iterations", columns=["iteration", "scimlkit", "PyTorch (plain)"], rows=error_rows),
        ],
        plots=[BarPlot(title="Seconds to 1% relative error (lower is better)", ylabel="seconds",
                       labels=["scimlkit", "PyTorch (plain)"], values=plot_values)],
    )
    path = write_report(report, Path(__file__).resolve().parents[1])
    print(report.summary)
    for row in rows:
        print(row)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
