"""The deep BSDE method for semilinear parabolic PDEs in high dimension (Han, Jentzen and E).

A terminal-value PDE ``u_t + (1/2) tr(sigma sigma^T Hess u) + mu . grad u + f(t, x, u, sigma^T grad u) = 0``,
``u(T, x) = g(x)``, is rewritten along the forward process ``dX = mu dt + sigma dW`` as a
backward SDE for ``Y_t = u(t, X_t)`` and ``Z_t = sigma^T grad u(t, X_t)``:

    Y_{n+1} = Y_n - f(t_n, X_n, Y_n, Z_n) dt + Z_n . dW_n.

The unknown number ``u(0, x0)`` becomes a trainable scalar ``y0``, ``Z_0`` a trainable
vector, and ``Z_n`` (n >= 1) the output of a network of ``X_n``; training makes the
simulated ``Y_N`` match ``g(X_N)``. The network is either

- ``network="per_step"``: one sub-network per time step, as in the original method
  {Han, Jentzen and E 2018}; or
- ``network="recurrent"``: one network shared by all steps, with time as an extra input.

:class:`BSDEProblem` holds a problem; :func:`hjb_problem`, :func:`allen_cahn_problem`
and :func:`default_risk_problem` are the three 100-dimensional examples of the paper;
:func:`hjb_reference` computes the HJB answer independently from its exact formula;
:func:`train_deep_bsde` trains a :class:`DeepBSDE` and records the loss and ``y0``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Literal

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import optax
from jaxtyping import Array, Float, PRNGKeyArray

Network = Literal["recurrent", "per_step"]
Driver = Callable[[Array, Array, Array, Array], Array]
Terminal = Callable[[Array], Array]
# The loss is quadratic for |Y_N - g(X_N)| below this and linear above it, as in the
# authors' code: a few wild paths early in training cannot blow the gradient up.
LOSS_CLIP = 50.0


class BSDEProblem(eqx.Module):
    """A terminal-value semilinear PDE, with its forward process and the answer to compare with.

    ``forward="brownian"``: ``X = x0 + sigma W``. ``forward="geometric"``: each component
    follows ``dX = drift_rate X dt + sigma X dW`` (Euler steps). ``driver(t, x, y, z)``
    and ``terminal(x)`` act on one path (``x``, ``z`` of shape ``(dim,)``).
    """

    name: str = eqx.field(static=True)
    dim: int = eqx.field(static=True)
    total_time: float = eqx.field(static=True)
    n_steps: int = eqx.field(static=True)
    x0: Float[Array, " dim"]
    sigma: float = eqx.field(static=True)
    driver: Driver = eqx.field(static=True)
    terminal: Terminal = eqx.field(static=True)
    reference: float = eqx.field(static=True)
    y0_range: tuple[float, float] = eqx.field(static=True)
    forward: Literal["brownian", "geometric"] = eqx.field(static=True, default="brownian")
    drift_rate: float = eqx.field(static=True, default=0.0)

    @property
    def dt(self) -> float:
        return self.total_time / self.n_steps

    def sample(self, key: PRNGKeyArray, batch_size: int) -> tuple[Float[Array, "batch steps+1 dim"], Float[Array, "batch steps dim"]]:
        """Forward paths ``X`` at the ``n_steps + 1`` times and their Brownian increments."""
        dw = jnp.sqrt(self.dt) * jax.random.normal(key, (batch_size, self.n_steps, self.dim), dtype=self.x0.dtype)
        if self.forward == "brownian":
            moves = jnp.cumsum(self.sigma * dw, axis=1)
        else:
            moves = jnp.cumprod(1.0 + self.drift_rate * self.dt + self.sigma * dw, axis=1)
        start = jnp.broadcast_to(self.x0, (batch_size, 1, self.dim))
        x = jnp.concatenate([start, self.x0 + moves if self.forward == "brownian" else self.x0 * moves], axis=1)
        return x, dw


def _hjb_driver(t, x, y, z, *, control_cost):
    return -control_cost * jnp.sum(z**2) / 2


def _hjb_terminal(x):
    return jnp.log((1.0 + jnp.sum(x**2)) / 2.0)


def hjb_problem(*, dim: int = 100, total_time: float = 1.0, n_steps: int = 20, control_cost: float = 1.0) -> BSDEProblem:
    """``u_t + Lap u - lambda |grad u|^2 = 0``, ``u(T, x) = ln((1 + |x|^2) / 2)``, at ``x0 = 0``.

    The value function of a linear-quadratic-Gaussian control problem. Its answer is
    known in closed form (see :func:`hjb_reference`); the paper's Monte Carlo value
    for d = 100, T = 1, lambda = 1 is 4.5902.
    """
    reference, _ = hjb_reference(dim=dim, total_time=total_time, control_cost=control_cost, n_samples=4_000_000, seed=2018)
    return BSDEProblem(
        name="HJB (LQG control)", dim=dim, total_time=total_time, n_steps=n_steps, x0=jnp.zeros(dim),
        sigma=math.sqrt(2.0), driver=partial(_hjb_driver, control_cost=control_cost), terminal=_hjb_terminal,
        reference=reference, y0_range=(0.0, 1.0),
    )


def _allen_cahn_driver(t, x, y, z):
    return y - y**3


def _allen_cahn_terminal(x):
    return 1.0 / (2.0 + 0.4 * jnp.sum(x**2))


#: u(0, 0) of the Allen-Cahn problem for d = 100, T = 0.3, as published (Han, Jentzen and E 2018).
ALLEN_CAHN_PUBLISHED = 0.052802


def allen_cahn_problem(*, dim: int = 100, total_time: float = 0.3, n_steps: int = 20) -> BSDEProblem:
    """``u_t + Lap u + u - u^3 = 0``, ``u(T, x) = 1 / (2 + 0.4 |x|^2)``, at ``x0 = 0``.

    >>> problem = sk.allen_cahn_problem(dim=10, n_steps=5)
    >>> problem.dim, problem.n_steps
    (10, 5)
    """
    return BSDEProblem(
        name="Allen-Cahn", dim=dim, total_time=total_time, n_steps=n_steps, x0=jnp.zeros(dim),
        sigma=math.sqrt(2.0), driver=_allen_cahn_driver, terminal=_allen_cahn_terminal,
        reference=ALLEN_CAHN_PUBLISHED, y0_range=(0.3, 0.5),  # the authors' configs/allencahn_d100.json
    )


def _default_risk_driver(t, x, y, z, *, recovery, rate, high, low, rate_high, rate_low):
    # The default intensity Q(y) falls linearly from rate_high (y <= high) to rate_low (y >= low).
    slope = (rate_high - rate_low) / (high - low)
    intensity = jnp.clip(rate_high + slope * (y - high), rate_low, rate_high)
    return -(1.0 - recovery) * intensity * y - rate * y


def _default_risk_terminal(x):
    return jnp.min(x)


#: u(0, x0) of the default-risk Black-Scholes problem for d = 100, as published.
DEFAULT_RISK_PUBLISHED = 57.300


def default_risk_problem(*, dim: int = 100, total_time: float = 1.0, n_steps: int = 40) -> BSDEProblem:
    """Nonlinear Black-Scholes: a European claim on ``min_i x_i`` with default risk.

    Geometric Brownian motion (drift 0.02, volatility 0.2) from ``x0 = (100, ..., 100)``;
    recovery ``delta = 2/3``, interest ``R = 0.02``; the intensity ``Q`` goes from 0.2
    (value <= 50) to 0.02 (value >= 70). Published value 57.300 (60.781 without default).
    """
    driver = partial(_default_risk_driver, recovery=2.0 / 3.0, rate=0.02, high=50.0, low=70.0, rate_high=0.2, rate_low=0.02)
    return BSDEProblem(
        name="Black-Scholes with default risk", dim=dim, total_time=total_time, n_steps=n_steps,
        x0=jnp.full(dim, 100.0), sigma=0.2, driver=driver, terminal=_default_risk_terminal,
        reference=DEFAULT_RISK_PUBLISHED, y0_range=(40.0, 50.0), forward="geometric", drift_rate=0.02,
    )


def hjb_reference(
    *, dim: int = 100, total_time: float = 1.0, control_cost: float = 1.0, n_samples: int = 1_000_000, seed: int = 0
) -> tuple[float, float]:
    """``u(0, 0)`` of the HJB problem by Monte Carlo on its exact formula, with a standard error.

    The Cole-Hopf transform linearises the equation: ``u(0, x) = -(1/lambda) ln E[exp(-lambda
    g(x + sqrt(2) W_T))]``. At ``x = 0``, ``|sqrt(2) W_T|^2 = 2 T chi^2_d``, so the
    expectation is over one chi-square variable with ``d`` degrees of freedom.
    """
    if n_samples < 2:
        raise ValueError(f"n_samples must be at least 2, got {n_samples}")
    # NumPy, in float64 whatever JAX's precision: a reference is computed once, outside any model.
    chi_square = np.random.default_rng(seed).chisquare(dim, n_samples)
    weights = ((1.0 + 2.0 * total_time * chi_square) / 2.0) ** (-control_cost)  # exp(-lambda g)
    mean = weights.mean()
    standard_error = weights.std() / math.sqrt(n_samples)
    # Delta method: the standard error of -(1/lambda) ln(mean) is se(mean) / (lambda mean).
    return float(-np.log(mean) / control_cost), float(standard_error / (control_cost * mean))


class DeepBSDE(eqx.Module):
    """The trainable parts: ``y0 ~ u(0, x0)``, ``z0 ~ Z_0`` and the network for ``Z_n``, n >= 1."""

    y0: Float[Array, ""]
    z0: Float[Array, " dim"]
    gradient_net: eqx.nn.MLP
    network: Network = eqx.field(static=True)

    def __init__(
        self,
        problem: BSDEProblem,
        *,
        network: Network = "recurrent",
        hidden_widths: tuple[int, ...] | None = None,
        key: PRNGKeyArray,
    ):
        """Hidden layers default to two of width ``dim + 10`` (the paper's), with ReLU."""
        if network not in ("recurrent", "per_step"):
            raise ValueError(f"network must be 'recurrent' or 'per_step', got {network!r}")
        widths = hidden_widths or (problem.dim + 10, problem.dim + 10)
        if len(set(widths)) != 1:
            raise ValueError(f"hidden layers must share one width (equinox MLP), got {widths}")
        y0_key, z0_key, net_key = jax.random.split(key, 3)
        low, high = problem.y0_range
        self.y0 = jax.random.uniform(y0_key, (), minval=low, maxval=high)
        self.z0 = jax.random.uniform(z0_key, (problem.dim,), minval=-0.1, maxval=0.1)
        self.network = network

        def make(net_key, in_size):
            return eqx.nn.MLP(in_size, problem.dim, widths[0], len(widths), activation=jax.nn.relu, key=net_key)

        if network == "recurrent":
            self.gradient_net = make(net_key, problem.dim + 1)  # input: (t, x)
        else:
            keys = jax.random.split(net_key, problem.n_steps - 1)
            self.gradient_net = eqx.filter_vmap(lambda k: make(k, problem.dim))(keys)  # stacked, one per step

    def terminal_values(
        self, problem: BSDEProblem, x: Float[Array, "batch steps+1 dim"], dw: Float[Array, "batch steps dim"]
    ) -> Float[Array, " batch"]:
        """``Y_N`` along each path, stepping the backward SDE forward in time."""
        dt, batch = problem.dt, x.shape[0]
        driver = jax.vmap(problem.driver, in_axes=(None, 0, 0, 0))
        times = jnp.arange(problem.n_steps) * dt
        y = jnp.full((batch,), self.y0)
        z = jnp.broadcast_to(self.z0, (batch, problem.dim))
        y = y - driver(times[0], x[:, 0], y, z) * dt + jnp.sum(z * dw[:, 0], axis=-1)

        # The authors scale the network's output by 1/d, so that Z starts small in high dimension.
        scale = 1.0 / problem.dim
        if self.network == "recurrent":
            shared = self.gradient_net
            per_step_arrays = None  # nothing to scan over: every step uses the same network

            def gradient(t, x_n, _):
                return jax.vmap(lambda xi: shared(jnp.concatenate([t[None], xi])))(x_n) * scale
        else:
            per_step_arrays, net_static = eqx.partition(self.gradient_net, eqx.is_array)

            def gradient(t, x_n, arrays):
                return jax.vmap(eqx.combine(arrays, net_static))(x_n) * scale

        def step(y, inputs):
            t, x_n, dw_n, arrays = inputs
            z = gradient(t, x_n, arrays)
            return y - driver(t, x_n, y, z) * dt + jnp.sum(z * dw_n, axis=-1), None

        xs = (times[1:], jnp.swapaxes(x[:, 1:-1], 0, 1), jnp.swapaxes(dw[:, 1:], 0, 1), per_step_arrays)
        y, _ = jax.lax.scan(step, y, xs)
        return y


def bsde_loss(model: DeepBSDE, problem: BSDEProblem, x: Array, dw: Array) -> Float[Array, ""]:
    """Mean (clipped) squared mismatch between the simulated ``Y_N`` and ``g(X_N)``."""
    mismatch = model.terminal_values(problem, x, dw) - jax.vmap(problem.terminal)(x[:, -1])
    size = jnp.abs(mismatch)
    return jnp.mean(jnp.where(size < LOSS_CLIP, mismatch**2, 2 * LOSS_CLIP * size - LOSS_CLIP**2))


@dataclass(frozen=True)
class DeepBSDEResult:
    """What :func:`train_deep_bsde` returns: the model and, per iteration, loss and ``y0``."""

    model: DeepBSDE
    losses: np.ndarray
    y0_history: np.ndarray
    seconds: np.ndarray  # wall time at the end of each recorded chunk of iterations
    chunk: int

    @property
    def estimate(self) -> float:
        return float(self.model.y0)

    def relative_errors(self, reference: float) -> np.ndarray:
        return np.abs(self.y0_history - reference) / abs(reference)


def train_deep_bsde(
    problem: BSDEProblem,
    *,
    iterations: int,
    learning_rate: float | optax.Schedule,
    key: PRNGKeyArray,
    network: Network = "recurrent",
    batch_size: int = 64,
    hidden_widths: tuple[int, ...] | None = None,
    chunk: int = 100,
) -> DeepBSDEResult:
    """Train with Adam on fresh batches of ``batch_size`` paths per iteration.

    The iterations run in compiled chunks of ``chunk`` (a ``lax.scan``), so Python
    touches the loop only between chunks; one compilation serves the whole run.
    """
    if iterations < 1 or iterations % chunk:
        raise ValueError(f"iterations must be a positive multiple of chunk={chunk}, got {iterations}")
    model_key, data_key = jax.random.split(key)
    model = DeepBSDE(problem, network=network, hidden_widths=hidden_widths, key=model_key)
    optimizer = optax.adam(learning_rate)
    arrays, static = eqx.partition(model, eqx.is_inexact_array)
    opt_state = optimizer.init(arrays)

    @eqx.filter_jit
    def run_chunk(arrays, opt_state, first_iteration):
        def one_iteration(carry, iteration):
            arrays, opt_state = carry
            x, dw = problem.sample(jax.random.fold_in(data_key, iteration), batch_size)
            loss, grads = jax.value_and_grad(lambda a: bsde_loss(eqx.combine(a, static), problem, x, dw))(arrays)
            updates, opt_state = optimizer.update(grads, opt_state, arrays)
            return (optax.apply_updates(arrays, updates), opt_state), (loss, arrays.y0)

        iterations = first_iteration + jnp.arange(chunk)
        (arrays, opt_state), (losses, y0s) = jax.lax.scan(one_iteration, (arrays, opt_state), iterations)
        return arrays, opt_state, losses, y0s

    losses, y0s, seconds = [], [], []
    started = time.perf_counter()
    for first in range(0, iterations, chunk):
        arrays, opt_state, chunk_losses, chunk_y0s = run_chunk(arrays, opt_state, jnp.asarray(first))
        losses.append(np.asarray(chunk_losses))
        y0s.append(np.asarray(chunk_y0s))
        seconds.append(time.perf_counter() - started)
    losses = np.concatenate(losses)
    if not np.all(np.isfinite(losses)):
        raise FloatingPointError(f"the loss became {losses[~np.isfinite(losses)][0]}; lower the learning rate")
    return DeepBSDEResult(
        model=eqx.combine(arrays, static), losses=losses, y0_history=np.concatenate(y0s),
        seconds=np.asarray(seconds), chunk=chunk,
    )
