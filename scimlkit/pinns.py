"""Physics-informed neural networks (Raissi, Perdikaris and Karniadakis 2019) for 1-D PDEs.

A PINN is a network ``u(t, x)`` trained so that the PDE's residual vanishes at
*collocation points* inside the domain while the initial and boundary conditions hold
on the edges. The derivatives in the residual come from automatic differentiation of
the network with respect to its inputs; here by nested forward-mode ``jax.jvp``, which
computes only the directional derivatives the residual needs instead of the whole
Hessian. Whether that is also faster depends on the network, its size and the hardware:
lecture 12's exercise times the two, and runs on CPUs have found either one faster.

This module holds the pieces: :func:`latin_hypercube` sampling, ``pinn_derivatives``,
the Burgers problem (:class:`Burgers`, its residual and losses, a hard-constrained
network), residual-based adaptive refinement (:func:`add_worst_points`), the Adam then
L-BFGS schedule (:func:`train_adam_lbfgs`) and an independent reference solution of
Burgers' equation by the Cole-Hopf transformation (:func:`burgers_cole_hopf`).
"""

from __future__ import annotations

import functools
from typing import Any, Callable

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import optax
from jaxtyping import Array, ArrayLike, Float, PRNGKeyArray

from .training import FitResult, fit

# A field u(t, x) -> scalar, for one point; models take the point as the array (t, x).
Field = Callable[[Array], Array]


def latin_hypercube(
    key: PRNGKeyArray,
    n: int,
    lower: Float[ArrayLike, " d"],
    upper: Float[ArrayLike, " d"],
    *,
    dtype: Any = jnp.float64,
) -> Float[Array, "n d"]:
    """``n`` points in the box ``[lower, upper]``, one in each of ``n`` slabs per axis.

    Latin-hypercube sampling (what Raissi et al. use for collocation points) spreads
    points more evenly than independent uniform draws: every axis is cut into ``n``
    equal slabs and each slab holds exactly one point.

    >>> points = sk.latin_hypercube(jax.random.key(0), 5, jnp.array([0.0, -1.0]), jnp.array([1.0, 1.0]))
    >>> points.shape
    (5, 2)
    """
    lower, upper = jnp.asarray(lower, dtype), jnp.asarray(upper, dtype)
    if lower.shape != upper.shape or lower.ndim != 1:
        raise ValueError(f"lower and upper must be 1-D of equal length, got {lower.shape} and {upper.shape}")
    if n < 1:
        raise ValueError(f"need at least one point, got n={n}")
    keys = jax.random.split(key, lower.shape[0] + 1)
    jitter = jax.random.uniform(keys[0], (n, lower.shape[0]), dtype)
    slabs = jnp.stack([jax.random.permutation(k, n) for k in keys[1:]], axis=1)
    unit = (slabs + jitter) / n
    return lower + unit * (upper - lower)


def pinn_derivatives(u: Field, point: Float[Array, " 2"]) -> tuple[Array, Array, Array, Array]:
    """``(u, u_t, u_x, u_xx)`` of a scalar field at ``point = (t, x)`` by nested ``jvp``.

    One forward pass along ``t`` gives ``u`` and ``u_t``; a ``jvp`` of the ``x``-``jvp``
    gives ``u_x`` and ``u_xx``. No Hessian is formed.
    """
    t_direction = jnp.zeros_like(point).at[0].set(1.0)
    x_direction = jnp.zeros_like(point).at[1].set(1.0)
    value, u_t = jax.jvp(u, (point,), (t_direction,))

    def u_x_at(p):
        return jax.jvp(u, (p,), (x_direction,))[1]

    u_x, u_xx = jax.jvp(u_x_at, (point,), (x_direction,))
    return value, u_t, u_x, u_xx


class Burgers(eqx.Module):
    """Viscous Burgers ``u_t + u u_x = nu u_xx`` on ``x`` in [-1, 1], ``t`` in [0, 1].

    ``u(0, x) = -sin(pi x)`` and ``u(t, -1) = u(t, 1) = 0``, with ``nu = 0.01 / pi``:
    the benchmark of Raissi et al. (2019). A shock-like front forms at ``x = 0``.
    """

    nu: float = eqx.field(static=True, default=0.01 / np.pi)
    t_final: float = eqx.field(static=True, default=1.0)

    @property
    def lower(self) -> tuple[float, float]:
        return (0.0, -1.0)

    @property
    def upper(self) -> tuple[float, float]:
        return (self.t_final, 1.0)

    def initial(self, x: Array) -> Array:
        return -jnp.sin(jnp.pi * x)

    def residual(self, u: Field, point: Float[Array, " 2"], *, nu: float | Array | None = None) -> Array:
        """``u_t + u u_x - nu u_xx`` of the field ``u`` at ``point = (t, x)``.

        ``nu`` defaults to the problem's; pass an array to train it (the inverse problem,
        where the viscosity is unknown and fitted to data with the network).
        """
        value, u_t, u_x, u_xx = pinn_derivatives(u, point)
        return u_t + value * u_x - (self.nu if nu is None else nu) * u_xx

    def edge_points(
        self, key: PRNGKeyArray, n: int, *, dtype: Any = jnp.float64
    ) -> tuple[Float[Array, "n 2"], Float[Array, " n"]]:
        """``n`` points on the initial line and the two boundaries, with their values.

        About half lie on ``t = 0`` (value ``-sin(pi x)``), the rest on ``x = +-1``
        (value 0), drawn uniformly as in Raissi et al.'s ``N_u`` set.
        """
        k_x, k_t, k_side = jax.random.split(key, 3)
        n_initial = n // 2
        x0 = jax.random.uniform(k_x, (n_initial,), dtype, -1.0, 1.0)
        tb = jax.random.uniform(k_t, (n - n_initial,), dtype, 0.0, self.t_final)
        side = jnp.where(jax.random.bernoulli(k_side, 0.5, (n - n_initial,)), 1.0, -1.0).astype(dtype)
        points = jnp.concatenate([jnp.stack([jnp.zeros_like(x0), x0], 1), jnp.stack([tb, side], 1)])
        values = jnp.concatenate([self.initial(x0), jnp.zeros_like(tb)])
        return points, values


def pinn_field(model: Callable[[Array], Array]) -> Field:
    """A network with one output as the scalar field ``u(t, x)`` that ``pinn_derivatives`` needs."""
    return lambda point: model(point)[0]


def burgers_loss(
    model: Callable[[Array], Array],
    collocation: Float[Array, "m 2"],
    edges: Float[Array, "k 2"],
    edge_values: Float[Array, " k"],
    *,
    problem: Burgers | None = None,
    edge_weight: float | Array = 1.0,
    nu: float | Array | None = None,
) -> Array:
    """PINN loss: mean squared residual plus ``edge_weight`` times the edge misfit.

    With a hard-constrained model (:class:`HardConstrainedBurgers`) the edge term is
    zero by construction; pass empty ``edges`` and ``edge_values`` then. The problem
    defaults to Raissi et al.'s :class:`Burgers`, and ``nu`` to its viscosity.

    For the inverse problem the "edges" are any points with observed values (data
    inside the domain) and ``nu`` a trained array: the loss is then the data misfit
    plus the residual with that viscosity.
    """
    problem = Burgers() if problem is None else problem
    u = pinn_field(model)
    residuals = jax.vmap(lambda p: problem.residual(u, p, nu=nu))(collocation)
    loss = jnp.mean(residuals**2)
    if edges.shape[0] > 0:
        misfit = jax.vmap(u)(edges) - edge_values
        loss = loss + edge_weight * jnp.mean(misfit**2)
    return loss


class HardConstrainedBurgers(eqx.Module):
    """``u(t, x) = -sin(pi x) + t (1 - x^2) N(t, x)``: meets the initial and boundary
    conditions exactly for any network ``N``, so only the residual is left to train."""

    network: eqx.nn.MLP

    def __call__(self, point: Float[Array, " 2"]) -> Float[Array, " 1"]:
        t, x = point[0], point[1]
        return -jnp.sin(jnp.pi * x) + t * (1.0 - x**2) * self.network(point)


def pinn_network(
    key: PRNGKeyArray, *, width: int = 20, depth: int = 8, dtype: Any = jnp.float64
) -> eqx.nn.MLP:
    """The ``(t, x) -> u`` tanh network of Raissi et al.: ``depth`` hidden layers of ``width``."""
    return eqx.nn.MLP(2, 1, width, depth, activation=jnp.tanh, key=key, dtype=dtype)


def add_worst_points(
    model: Callable[[Array], Array],
    collocation: Float[Array, "m 2"],
    candidates: Float[Array, "c 2"],
    n_add: int,
    *,
    problem: Burgers | None = None,
) -> Float[Array, "m+n_add 2"]:
    """Residual-based adaptive refinement: append the ``n_add`` candidates where the
    current model's PDE residual is largest (Lu et al. 2021, DeepXDE's "RAR")."""
    if not 0 < n_add <= candidates.shape[0]:
        raise ValueError(f"n_add must be between 1 and the {candidates.shape[0]} candidates, got {n_add}")
    problem = Burgers() if problem is None else problem
    u = pinn_field(model)
    residuals = jnp.abs(jax.vmap(lambda p: problem.residual(u, p))(candidates))
    worst = jnp.argsort(residuals)[-n_add:]
    return jnp.concatenate([collocation, candidates[worst]])


def train_adam_lbfgs(
    loss: Callable[..., Array],
    model: Any,
    *args: Any,
    adam_steps: int,
    lbfgs_steps: int,
    learning_rate: float = 1e-3,
) -> tuple[FitResult, FitResult | None]:
    """The usual PINN schedule: Adam to get into a good basin, then L-BFGS to converge.

    Adam is robust to the poor conditioning of the early loss landscape; L-BFGS, with
    its line search, converges much faster once near a minimum (Raissi et al. use
    L-BFGS alone, most later work both). Returns the two :class:`FitResult` s; the
    second is ``None`` when ``lbfgs_steps == 0``.
    """
    adam = fit(loss, model, _adam(learning_rate), *args, steps=adam_steps)
    if lbfgs_steps == 0:
        return adam, None
    return adam, fit(loss, adam.params, _lbfgs(), *args, steps=lbfgs_steps)


# One optimizer object per setting, so that later trainings with the same loss and
# shapes reuse the steps that fit() compiled for the first (a PINN step takes seconds).
@functools.cache
def _adam(learning_rate: float) -> optax.GradientTransformation:
    return optax.adam(learning_rate)


@functools.cache
def _lbfgs() -> optax.GradientTransformationExtraArgs:
    return optax.lbfgs()


def relative_l2_error(
    model: Callable[[Array], Array], points: Float[Array, "m 2"], reference: Float[ArrayLike, " m"]
) -> float:
    """``||u_model - u_ref|| / ||u_ref||`` over ``points``."""
    predicted = np.asarray(jax.vmap(pinn_field(model))(points), dtype=float)
    reference = np.asarray(reference, dtype=float)
    return float(np.linalg.norm(predicted - reference) / np.linalg.norm(reference))


def burgers_cole_hopf(
    t: Float[ArrayLike, "..."],
    x: Float[ArrayLike, "..."],
    *,
    nu: float = 0.01 / np.pi,
    n_quadrature: int = 100,
) -> Float[Array, "..."]:
    """The exact solution of :class:`Burgers` by the Cole-Hopf transformation.

    With ``u = -2 nu phi_x / phi`` Burgers' equation becomes the heat equation for
    ``phi``, solved by convolution with the heat kernel. For ``u(0, x) = -sin(pi x)``
    (on the whole line, whose solution is odd and 2-periodic, so zero at ``x = +-1``):

        u(t, x) = -int sin(pi (x - eta)) f(x - eta) G(eta) d eta / int f(x - eta) G(eta) d eta,

    ``f(y) = exp(-cos(pi y) / (2 pi nu))``, ``G`` the Gaussian of variance ``2 nu t``.
    Substituting ``eta = sqrt(4 nu t) s`` turns both integrals into Gauss-Hermite
    quadratures in ``s``; ``f`` is handled in log space because it spans 40 orders of
    magnitude. Differentiable in ``t`` and ``x`` (for ``u_x`` by ``jax.grad``).
    """
    nodes, weights = np.polynomial.hermite.hermgauss(n_quadrature)
    t, x = jnp.broadcast_arrays(jnp.asarray(t, jnp.float64), jnp.asarray(x, jnp.float64))
    scale = jnp.sqrt(4.0 * nu * t)[..., None]
    y = x[..., None] - scale * jnp.asarray(nodes)
    log_f = -jnp.cos(jnp.pi * y) / (2.0 * jnp.pi * nu) + jnp.log(jnp.asarray(weights))
    log_f = log_f - jax.lax.stop_gradient(jnp.max(log_f, axis=-1, keepdims=True))
    f = jnp.exp(log_f)
    return -jnp.sum(jnp.sin(jnp.pi * y) * f, axis=-1) / jnp.sum(f, axis=-1)
