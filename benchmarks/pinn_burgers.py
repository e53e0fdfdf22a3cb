"""Burgers PINN at the PINN lecture's configuration: scimlkit against DeepXDE (PyTorch backend, CPU).

The PINN lecture's training on the CPU: the viscous Burgers equation of Raissi et al. (2019)
on x in [-1, 1], t in [0, 1]; Raissi's 2-20x8-1 tanh network (``sk.pinn_network``);
4000 Latin-hypercube collocation points and 100 edge points (50 on t = 0, 50 on
x = +-1, ``Burgers.edge_points``); the loss mean squared residual plus mean squared edge
misfit (``sk.burgers_loss``); float32; Adam with learning rate 1e-3 for 1000 steps, then
L-BFGS for at most 2500 iterations (``sk.train_adam_lbfgs``'s optimizers). Seed 42 is the
lecture's run; seeds 1 and 2 give the spread.

DeepXDE gets the same problem, seed by seed: the same points (as anchors; DeepXDE finds
the initial and boundary points among them itself), the same initial weights (copied
from scimlkit's network, inputs reordered to DeepXDE's (x, t)), the same loss (weights
1, 1/2, 1/2 on the residual and its two conditions, since scimlkit takes one mean over
the 50 + 50 edge points) and L-BFGS with the same history (10 pairs, DeepXDE's default
is 100) and a strong-Wolfe line search on both sides. What still differs: DeepXDE also
evaluates the residual at the 100 edge points (4100 terms in its mean, 4000 in ours), and
the two L-BFGS implementations (optax's and torch.optim.LBFGS) differ in their line
searches' details, so their paths part after a few iterations.

Each library runs in a process of its own, at one and at two threads (a short trial of
ADAM_TRIAL Adam steps and LBFGS_TRIAL L-BFGS iterations; the faster is kept and both are
reported). Measured per seed: time per Adam step and per L-BFGS iteration (medians; the
first step, which for JAX traces and compiles, left out), loss evaluations per L-BFGS
iteration (line search included), the whole training time (cold: compilation included),
the relative L2 error on the PINN lecture's 101 x 256 grid against the Cole-Hopf reference at
the end of Adam and every CHECK L-BFGS iterations, and the time until the error is
within the lecture's CPU target of 1e-1 and stays there. Run from the repository root
after ``pip install -r benchmarks/requirements-peers.txt``: ``python benchmarks/pinn_burgers.py``.
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DDE_BACKEND", "pytorch")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from peer_process import fastest_threads, format_spread, load_average, report_result, run_worker  # noqa: E402

SCRIPT = Path(__file__).resolve()
N_COLLOCATION, N_EDGES = 4000, 100
ADAM_STEPS, LBFGS_STEPS = 1000, 2500
ADAM_TRIAL, LBFGS_TRIAL = 60, 40
CHECK = 250  # L-BFGS iterations between error checkpoints
SEEDS = (42, 1, 2)
TARGET = 1e-1  # the PINN lecture's error target for the CPU profile
LBFGS_HISTORY = 10  # optax.lbfgs's default memory_size
NU = 0.01 / np.pi


def problem_data(path: Path) -> None:
    """Points, edge values, initial weights (per seed) and the reference grid, for both workers."""
    import jax

    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp

    import scimlkit as sk

    burgers = sk.Burgers()
    arrays = {}
    t_grid, x_grid = np.meshgrid(np.linspace(0.0, 1.0, 101), np.linspace(-1.0, 1.0, 256), indexing="ij")
    arrays["grid"] = np.stack([t_grid.ravel(), x_grid.ravel()], axis=1)
    arrays["reference"] = np.asarray(sk.burgers_cole_hopf(t_grid, x_grid, n_quadrature=100)).ravel()
    for seed in SEEDS:
        # The lecture's draws: one key split into network, collocation points and edges.
        key_net, key_points, key_edges = jax.random.split(jax.random.key(seed), 3)
        points = sk.latin_hypercube(key_points, N_COLLOCATION, burgers.lower, burgers.upper, dtype=jnp.float32)
        edges, values = burgers.edge_points(key_edges, N_EDGES, dtype=jnp.float32)
        network = sk.pinn_network(key_net, dtype=jnp.float32)
        arrays[f"seed{seed}_points"] = np.asarray(points)
        arrays[f"seed{seed}_edges"] = np.asarray(edges)
        arrays[f"seed{seed}_values"] = np.asarray(values)
        for index, layer in enumerate(network.layers):
            arrays[f"seed{seed}_w{index}"] = np.asarray(layer.weight)
            arrays[f"seed{seed}_b{index}"] = np.asarray(layer.bias)
    np.savez(path, **arrays)


def relative_error(predicted: np.ndarray, reference: np.ndarray) -> float:
    return float(np.linalg.norm(np.ravel(predicted) - reference) / np.linalg.norm(reference))


def scimlkit_worker(data, seeds, adam_steps, lbfgs_steps) -> dict:
    import jax

    jax.config.update("jax_enable_x64", True)  # as in the lecture; the training itself is float32
    import equinox as eqx
    import jax.numpy as jnp
    import optax

    import scimlkit as sk

    burgers = sk.Burgers()
    grid = jnp.asarray(data["grid"], jnp.float32)

    def train(seed: int) -> dict:
        points = jnp.asarray(data[f"seed{seed}_points"])
        edges, values = jnp.asarray(data[f"seed{seed}_edges"]), jnp.asarray(data[f"seed{seed}_values"])
        network = sk.pinn_network(jax.random.key(seed), dtype=jnp.float32)
        network = eqx.tree_at(lambda n: [leaf for layer in n.layers for leaf in (layer.weight, layer.bias)], network,
                              [jnp.asarray(data[f"seed{seed}_{kind}{i}"]) for i in range(len(network.layers))
                               for kind in ("w", "b")])
        evaluations = [0]

        def count():
            evaluations[0] += 1

        def loss(model, points):
            jax.debug.callback(count)  # one per evaluation of the loss, line-search trials included
            return sk.burgers_loss(model, points, edges, values, problem=burgers)

        stamps = {"adam": [], "lbfgs": []}
        snapshots = []  # (phase, iteration, seconds since the start, parameters)

        def recorder(phase, every):
            def callback(step, params, _):
                stamps[phase].append(time.perf_counter())
                if (step + 1) % every == 0:
                    snapshots.append((phase, step + 1, stamps[phase][-1] - started, params))
            return callback

        started = time.perf_counter()
        # sk.train_adam_lbfgs's two fits, with callbacks for time stamps and checkpoints.
        adam = sk.fit(loss, network, optax.adam(1e-3), points, steps=adam_steps,
                      callback=recorder("adam", adam_steps))
        adam_evaluations = evaluations[0]
        lbfgs = sk.fit(loss, adam.params, optax.lbfgs(), points, steps=lbfgs_steps,
                       callback=recorder("lbfgs", min(CHECK, lbfgs_steps)))
        total = time.perf_counter() - started
        reference = data["reference"]
        checkpoints = [[phase, step, seconds, sk.relative_l2_error(params, grid, reference)]
                       for phase, step, seconds, params in snapshots]
        return {"seed": seed, "adam_step": float(np.median(np.diff(stamps["adam"]))),
                "lbfgs_step": float(np.median(np.diff(stamps["lbfgs"]))),
                "lbfgs_iterations": len(stamps["lbfgs"]),
                "evaluations_per_lbfgs": (evaluations[0] - adam_evaluations) / len(stamps["lbfgs"]),
                "total": total, "checkpoints": checkpoints,
                "error": sk.relative_l2_error(lbfgs.params, grid, reference)}

    return {"runs": [train(seed) for seed in seeds], "version": "scimlkit"}


def deepxde_worker(data, seeds, adam_steps, lbfgs_steps, threads) -> dict:
    import deepxde as dde
    import torch

    torch.set_num_threads(threads)
    dde.config.set_default_float("float32")
    grid_xt = data["grid"][:, ::-1].copy()
    reference = data["reference"]

    def train(seed: int) -> dict:
        dde.config.set_random_seed(seed)
        geometry = dde.geometry.GeometryXTime(dde.geometry.Interval(-1, 1), dde.geometry.TimeDomain(0, 1))

        def pde(z, u):  # DeepXDE orders the inputs (x, t)
            u_x = dde.grad.jacobian(u, z, i=0, j=0)
            u_t = dde.grad.jacobian(u, z, i=0, j=1)
            u_xx = dde.grad.hessian(u, z, i=0, j=0)
            return u_t + u * u_x - NU * u_xx

        boundary = dde.icbc.DirichletBC(geometry, lambda z: 0, lambda _, on_boundary: on_boundary)
        initial = dde.icbc.IC(geometry, lambda z: -np.sin(np.pi * z[:, 0:1]), lambda _, on_initial: on_initial)
        anchors = np.concatenate([data[f"seed{seed}_points"], data[f"seed{seed}_edges"]])[:, ::-1].copy()
        problem = dde.data.TimePDE(geometry, pde, [boundary, initial], num_domain=0, num_boundary=0,
                                   num_initial=0, anchors=anchors)
        found = [len(condition.collocation_points(problem.train_x_all)) for condition in (boundary, initial)]
        if found != [N_EDGES // 2, N_EDGES // 2]:
            raise RuntimeError(f"DeepXDE found {found} boundary and initial points among the anchors, not 50 and 50")
        net = dde.nn.FNN([2] + [20] * 8 + [1], "tanh", "Glorot normal")
        with torch.no_grad():
            for index, layer in enumerate(net.linears):
                weight = data[f"seed{seed}_w{index}"]
                if index == 0:
                    weight = weight[:, ::-1]  # scimlkit's inputs are (t, x)
                layer.weight.copy_(torch.from_numpy(weight.copy()))
                layer.bias.copy_(torch.from_numpy(data[f"seed{seed}_b{index}"].copy()))
        model = dde.Model(problem, net)
        snapshots = []

        class Stamps(dde.callbacks.Callback):
            def __init__(self, phase):
                super().__init__()
                self.phase, self.stamps = phase, []

            def on_batch_end(self):
                self.stamps.append(time.perf_counter())

            def on_epoch_end(self):
                if self.phase == "lbfgs" or len(self.stamps) == adam_steps:
                    iteration = model.train_state.step if self.phase == "lbfgs" else len(self.stamps)
                    snapshots.append((self.phase, iteration, self.stamps[-1] - started,
                                      copy.deepcopy(net.state_dict())))

        adam_stamps = Stamps("adam")
        started = time.perf_counter()
        # One mean per condition in DeepXDE; scimlkit's one mean over 50 + 50 edge points is half of each.
        model.compile("adam", lr=1e-3, loss_weights=[1.0, 0.5, 0.5])
        model.train(iterations=adam_steps, display_every=adam_steps, verbose=0, callbacks=[adam_stamps])
        adam_step_count = model.train_state.step
        dde.optimizers.config.set_LBFGS_options(maxcor=LBFGS_HISTORY, maxiter=lbfgs_steps,
                                                maxfun=50 * lbfgs_steps)
        options = dde.optimizers.config.LBFGS_options
        # The PyTorch backend runs torch.optim.LBFGS in calls of iter_per_step iterations
        # (computed on import for the default maxiter); checkpoints come between calls.
        options["iter_per_step"] = min(CHECK, lbfgs_steps)
        options["fun_per_step"] = options["maxfun"] * options["iter_per_step"] // options["maxiter"]
        model.compile("L-BFGS", loss_weights=[1.0, 0.5, 0.5])
        first_parameter = model.opt.param_groups[0]["params"][0]
        iteration_starts: dict[int, float] = {}

        def note_iteration(*_):
            # torch.optim.LBFGS counts an iteration (n_iter) before its line search evaluates
            # the network, so the first evaluation seen at each count starts that iteration.
            iteration = model.opt.state[first_parameter].get("n_iter", 0)
            iteration_starts.setdefault(iteration, time.perf_counter())

        hook = net.register_forward_pre_hook(note_iteration)
        lbfgs_callback = Stamps("lbfgs")
        model.train(display_every=lbfgs_steps, verbose=0, callbacks=[lbfgs_callback])
        hook.remove()
        total = time.perf_counter() - started
        state = model.opt.state[first_parameter]
        lbfgs_iterations = int(state["n_iter"])
        lbfgs_stamps = [iteration_starts[i] for i in sorted(iteration_starts) if i >= 1]
        # The step counter includes the Adam steps; checkpoints count L-BFGS iterations alone.
        checkpoints = []
        for phase, iteration, seconds, weights in snapshots:
            net.load_state_dict(weights)
            step = iteration - adam_step_count if phase == "lbfgs" else iteration
            checkpoints.append([phase, int(step), seconds, relative_error(model.predict(grid_xt), reference)])
        return {"seed": seed, "adam_step": float(np.median(np.diff(adam_stamps.stamps))),
                "lbfgs_step": float(np.median(np.diff(lbfgs_stamps))),
                "lbfgs_iterations": lbfgs_iterations,
                "evaluations_per_lbfgs": float(state["func_evals"]) / lbfgs_iterations,
                "total": total, "checkpoints": checkpoints, "error": checkpoints[-1][3]}

    return {"runs": [train(seed) for seed in seeds], "version": f"DeepXDE {dde.__version__} (PyTorch {torch.__version__})"}


def worker(arguments) -> None:
    data = dict(np.load(arguments.data))
    seeds = [int(s) for s in arguments.seeds.split(",")]
    if arguments.worker == "scimlkit":
        result = scimlkit_worker(data, seeds, arguments.adam_steps, arguments.lbfgs_steps)
    else:
        result = deepxde_worker(data, seeds, arguments.adam_steps, arguments.lbfgs_steps, arguments.threads)
    result["warm_trial"] = float(np.median([run["adam_step"] * ADAM_STEPS + run["lbfgs_step"] * LBFGS_STEPS
                                            for run in result["runs"]]))
    report_result(result)


def time_to_target(checkpoints: list) -> float:
    """Seconds until the checkpointed error is within TARGET and stays there; inf if never."""
    errors = [error for *_, error in checkpoints]
    above = [i for i, error in enumerate(errors) if error > TARGET]
    first = above[-1] + 1 if above else 0
    return checkpoints[first][2] if first < len(checkpoints) else float("inf")


def main() -> int:
    from scimlkit.site.appendix.benchmark_report import Goal, Report, Table, write_report

    load_before = load_average()
    names = {"scimlkit": "scimlkit", "deepxde": "DeepXDE"}
    threads, trials, results = {}, {}, {}
    with tempfile.TemporaryDirectory(prefix="pinn-burgers-") as folder:
        data = str(Path(folder) / "problem.npz")
        problem_data(Path(data))
        trial = ("--data", data, "--seeds", str(SEEDS[0]), "--adam-steps", str(ADAM_TRIAL),
                 "--lbfgs-steps", str(LBFGS_TRIAL))
        full = ("--data", data, "--seeds", ",".join(map(str, SEEDS)), "--adam-steps", str(ADAM_STEPS),
                "--lbfgs-steps", str(LBFGS_STEPS))
        for side in names:
            threads[side], trials[side] = fastest_threads(SCRIPT, side, "warm_trial", *trial)
            results[side] = run_worker(SCRIPT, side, threads[side], *full, timeout=3000)
            for run in results[side]["runs"]:
                print(f"{side} seed {run['seed']}: error {run['error']:.3e}, training {run['total']:.1f} s", flush=True)
    load_after = load_average()
    names["deepxde"] = results["deepxde"]["version"]
    ours, theirs = results["scimlkit"]["runs"], results["deepxde"]["runs"]
    for run in ours + theirs:
        run["to_target"] = time_to_target(run["checkpoints"])

    def ratio_spread(key: str) -> list[float]:
        return [b[key] / a[key] for a, b in zip(ours, theirs)]

    def row(side: str) -> list[object]:
        runs = results[side]["runs"]
        reached = [run["to_target"] for run in runs if np.isfinite(run["to_target"])]
        return [names[side], threads[side],
                ", ".join(f"{1e3 * trials[side][n]['runs'][0]['lbfgs_step']:.1f}" for n in (1, 2)),
                format_spread([1e3 * run["adam_step"] for run in runs]),
                format_spread([1e3 * run["lbfgs_step"] for run in runs]),
                format_spread([run["evaluations_per_lbfgs"] for run in runs]),
                format_spread([run["lbfgs_iterations"] for run in runs], ".0f"),
                format_spread([run["total"] for run in runs], ".1f"),
                format_spread([run["error"] for run in runs], ".2e"),
                f"{len(reached)} of {len(runs)}" + (f"; {format_spread(reached, '.1f')} s" if reached else "")]

    checkpoint_rows = []
    for side in names:
        for run in results[side]["runs"]:
            checkpoint_rows.append([names[side].split(" (")[0], run["seed"],
                                    *(f"{error:.2e}" for *_, error in run["checkpoints"])])
    lbfgs_ratio = ratio_spread("lbfgs_step")
    total_ratio = ratio_spread("total")
    all_reached = all(np.isfinite(run["to_target"]) for run in ours + theirs)
    target_ratio = ratio_spread("to_target") if all_reached else None
    error_ratio = ratio_spread("error")
    errors_ours = [run["error"] for run in ours]
    errors_theirs = [run["error"] for run in theirs]
    if all_reached:
        accuracy = (f"both reached the lecture's target of {TARGET:g} with every seed; time to it (kept): DeepXDE "
                    f"took {format_spread(target_ratio, '.2f', 'x')} scimlkit's")
    else:
        accuracy = (f"not every training reached the lecture's target of {TARGET:g} "
                    f"(scimlkit {sum(np.isfinite(r['to_target']) for r in ours)} of {len(ours)}, DeepXDE "
                    f"{sum(np.isfinite(r['to_target']) for r in theirs)} of {len(theirs)}), so the speed ratios below "
                    "are at the accuracy each reached, not at a common target")
    report = Report(
        name="pinn_burgers",
        title="Burgers PINN training at the PINN lecture's configuration",
        summary=(
            f"The PINN lecture's CPU training on both sides, seed by seed the same points ({N_COLLOCATION} collocation, "
            f"{N_EDGES} edge points split 50/50), the same initial weights and the same loss: a 2-20x8-1 tanh "
            f"network in float32, Adam 1e-3 for {ADAM_STEPS} steps, then L-BFGS for at most {LBFGS_STEPS} "
            f"iterations with {LBFGS_HISTORY} pairs of history and a strong-Wolfe line search on both sides (optax; "
            f"torch.optim.LBFGS in {names['deepxde']}). DeepXDE also takes the residual at the 100 edge points. "
            f"Seeds {', '.join(map(str, SEEDS))} (42 is the lecture's); each library in a process of its own at its "
            f"faster thread count of 1 and 2 (scimlkit {threads['scimlkit']}, DeepXDE {threads['deepxde']}). "
            f"Median (min to max) over the seeds. Final relative L2 errors: scimlkit "
            f"{format_spread(errors_ours, '.2e')}, DeepXDE {format_spread(errors_theirs, '.2e')}; {accuracy}. "
            f"An L-BFGS iteration (line search included) took {format_spread(lbfgs_ratio, '.2f', 'x')} as long in "
            f"DeepXDE, the whole training {format_spread(total_ratio, '.2f', 'x')} (compilation included). "
            f"Load average (1 min) {load_before:.1f} before and {load_after:.1f} after the run, on a machine shared "
            "with other jobs."
        ),
        goals=[
            Goal(f"every training of both libraries reaches the lecture's target error {TARGET:g} and keeps it",
                 f"scimlkit {format_spread(errors_ours, '.2e')}; DeepXDE {format_spread(errors_theirs, '.2e')}",
                 all_reached),
            Goal("scimlkit trains to the target no slower than DeepXDE (time-to-target ratio >= 1 for every seed)",
                 format_spread(target_ratio, ".2f", "x") if target_ratio else "target not reached by every training",
                 bool(target_ratio and min(target_ratio) >= 1.0)),
        ],
        tables=[
            Table(caption="Burgers PINN: time, evaluations and error, median (min to max) over the seeds",
                  columns=["implementation", "threads used", "trial L-BFGS ms/iteration at 1, 2 threads",
                           "Adam step (ms)", "L-BFGS iteration (ms)", "loss evaluations per L-BFGS iteration",
                           "L-BFGS iterations run", "training (s)", "relative L2 error",
                           f"reached and kept {TARGET:g}; seconds to it"],
                  rows=[row(side) for side in names]),
            Table(caption="Ratios DeepXDE / scimlkit, seed by seed: median (min to max)",
                  columns=["Adam step", "L-BFGS iteration", "training", "final error"],
                  rows=[[format_spread(ratio_spread("adam_step"), ".2f", "x"), format_spread(lbfgs_ratio, ".2f", "x"),
                         format_spread(total_ratio, ".2f", "x"), format_spread(error_ratio, ".2f", "x")]]),
            Table(caption=f"Relative L2 error at the end of Adam and every {CHECK} L-BFGS iterations",
                  columns=["library", "seed", "Adam", *(f"L-BFGS {CHECK * (i + 1)}" for i in range(LBFGS_STEPS // CHECK))],
                  rows=checkpoint_rows),
        ],
    )
    path = write_report(report, SCRIPT.parents[1])
    print(report.summary)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", choices=("scimlkit", "deepxde"))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--data", default="")
    parser.add_argument("--seeds", default=str(SEEDS[0]))
    parser.add_argument("--adam-steps", type=int, default=ADAM_STEPS)
    parser.add_argument("--lbfgs-steps", type=int, default=LBFGS_STEPS)
    arguments = parser.parse_args()
    if arguments.worker:
        worker(arguments)
        sys.exit(0)
    sys.exit(main())
