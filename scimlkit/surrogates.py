"""Surrogates: cheap stand-ins for expensive parametrized models.

A surrogate learns the map from a model's parameters to a quantity of interest (QoI)
from a few hundred solves, then answers new queries without solving. This module has
the pieces the course uses:

- :func:`sample_parameters`: space-filling designs of the parameter box (Latin
  hypercube, McKay et al. 1979; scrambled Sobol points; or plain random) from
  ``scipy.stats.qmc``;
- :class:`Surrogate`: an MLP that scales its inputs to the box and its output to the
  training data, so one learning rate works for any units; :func:`fit_surrogate`;
- :func:`relative_error`, the held-out error measure;
- a parametrized model to practise on, the 1-D Fisher-KPP reaction-diffusion
  equation (:func:`reaction_diffusion_field`), and the proper orthogonal decomposition
  (:func:`pod_basis`, :func:`galerkin_field`) for the reduced-order comparison.
"""

from __future__ import annotations

from typing import Literal

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import optax
from jaxtyping import Array, ArrayLike, Float, PRNGKeyArray
from scipy.stats import qmc

from .training import FitResult, fit

Design = Literal["latin_hypercube", "sobol", "random"]


def sample_parameters(
    n: int, bounds: Float[ArrayLike, "d 2"], *, design: Design = "sobol", seed: int = 0
) -> Float[np.ndarray, "n d"]:
    """``n`` points in the box ``bounds[i] = (low_i, high_i)`` from a space-filling design.

    ``"sobol"`` uses scrambled Sobol points (best with ``n`` a power of two),
    ``"latin_hypercube"`` puts exactly one point in each of ``n`` slices of every axis,
    ``"random"`` draws uniformly (the baseline both improve on).
    """
    bounds = np.asarray(bounds, dtype=float)
    if bounds.ndim != 2 or bounds.shape[1] != 2 or np.any(bounds[:, 0] >= bounds[:, 1]):
        raise ValueError(f"bounds must be rows of (low, high) with low < high, got {bounds.tolist()}")
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    d = bounds.shape[0]
    if design == "sobol":
        unit = qmc.Sobol(d, scramble=True, seed=seed).random(n)
    elif design == "latin_hypercube":
        unit = qmc.LatinHypercube(d, seed=seed).random(n)
    elif design == "random":
        unit = np.random.default_rng(seed).random((n, d))
    else:
        raise ValueError(f"unknown design {design!r}; choose 'sobol', 'latin_hypercube' or 'random'")
    return qmc.scale(unit, bounds[:, 0], bounds[:, 1])


class Surrogate(eqx.Module):
    """An MLP from parameters in a box to a vector of outputs, with built-in scaling.

    Inputs are mapped from ``bounds`` to [-1, 1] and outputs are predicted in units of
    the training targets' spread, so that the network's weights stay of order one.
    """

    mlp: eqx.nn.MLP
    low: Float[Array, " d"]
    high: Float[Array, " d"]
    out_mean: Float[Array, " k"]
    out_scale: Float[Array, " k"]

    def __init__(
        self,
        bounds: Float[ArrayLike, "d 2"],
        targets: Float[ArrayLike, "n k"],
        *,
        width: int = 32,
        depth: int = 2,
        activation=jnp.tanh,
        key: PRNGKeyArray,
    ):
        bounds = jnp.asarray(bounds)
        targets = jnp.asarray(targets)
        if targets.ndim != 2:
            raise ValueError(f"targets must have shape (samples, outputs), got {targets.shape}")
        self.low, self.high = bounds[:, 0], bounds[:, 1]
        self.out_mean = targets.mean(axis=0)
        self.out_scale = targets.std(axis=0) + 1e-12
        self.mlp = eqx.nn.MLP(bounds.shape[0], targets.shape[1], width, depth, activation=activation, key=key)

    def __call__(self, params: Float[Array, "n d"]) -> Float[Array, "n k"]:
        # The scaling is fixed by the box and the training data, not trained.
        low, high, mean, scale = jax.lax.stop_gradient((self.low, self.high, self.out_mean, self.out_scale))
        unit = 2.0 * (params - low) / (high - low) - 1.0
        return mean + scale * jax.vmap(self.mlp)(unit)


def _scaled_squared_error(model: Surrogate, params, targets):
    # Measured in units of the targets' spread, like the network's own output.
    return jnp.mean(((model(params) - targets) / jax.lax.stop_gradient(model.out_scale)) ** 2)


def fit_surrogate(
    params: Float[ArrayLike, "n d"],
    targets: Float[ArrayLike, "n k"],
    *,
    bounds: Float[ArrayLike, "d 2"],
    width: int = 32,
    depth: int = 2,
    steps: int = 2000,
    learning_rate: float = 3e-3,
    key: PRNGKeyArray,
) -> tuple[Surrogate, FitResult]:
    """Train a :class:`Surrogate` on ``(params, targets)`` with full-batch Adam.

    The learning rate decays along a cosine schedule to 1% of its start, which lets the
    last steps settle into the minimum instead of rattling around it.
    """
    params = jnp.asarray(params)
    targets = jnp.asarray(targets)
    if targets.ndim == 1:
        targets = targets[:, None]
    if params.shape[0] != targets.shape[0]:
        raise ValueError(f"{params.shape[0]} parameter points but {targets.shape[0]} targets")
    model = Surrogate(bounds, targets, width=width, depth=depth, key=key)
    optimizer = _optimizer(learning_rate, steps)
    result = fit(_scaled_squared_error, model, optimizer, params, targets, steps=steps)
    return result.params, result


_OPTIMIZERS: dict[tuple[float, int], optax.GradientTransformation] = {}


def _optimizer(learning_rate: float, steps: int) -> optax.GradientTransformation:
    # The same optimizer object for the same settings, so sk.fit reuses its compiled step.
    key = (learning_rate, steps)
    if key not in _OPTIMIZERS:
        _OPTIMIZERS[key] = optax.adam(optax.cosine_decay_schedule(learning_rate, steps, alpha=0.01))
    return _OPTIMIZERS[key]


def relative_error(predicted: Float[ArrayLike, "..."], truth: Float[ArrayLike, "..."]) -> Float[Array, ""]:
    """``||predicted - truth|| / ||truth||`` over all entries (the relative L2 error).

    >>> print(round(float(sk.relative_error(jnp.array([1.1, 0.0]), jnp.array([1.0, 0.0]))), 6))
    0.1
    """
    predicted, truth = jnp.asarray(predicted), jnp.asarray(truth)
    if predicted.shape != truth.shape:
        raise ValueError(f"shapes differ: predicted {predicted.shape}, truth {truth.shape}")
    return jnp.linalg.norm(predicted - truth) / jnp.linalg.norm(truth)


# A parametrized model to build surrogates of: Fisher-KPP on [0, 1] with no-flux ends,
# u_t = D u_xx + r u (1 - u), params = (D, r), discretised by the method of lines.


def neumann_laplacian(n: int) -> Float[Array, "n n"]:
    """The second-difference matrix on ``n`` cell centres of [0, 1] with no-flux ends."""
    dx = 1.0 / n
    main = -2.0 * jnp.ones(n)
    main = main.at[0].set(-1.0).at[-1].set(-1.0)  # the ghost cell mirrors its neighbour
    off = jnp.ones(n - 1)
    return (jnp.diag(main) + jnp.diag(off, 1) + jnp.diag(off, -1)) / dx**2


def reaction_diffusion_field(laplacian: Float[Array, "n n"]):
    """The method-of-lines vector field ``f(t, u, (D, r)) = D L u + r u (1 - u)``."""

    def field(t, u, params):
        return params[0] * (laplacian @ u) + params[1] * u * (1.0 - u)

    return field


def pod_basis(snapshots: Float[ArrayLike, "s n"], rank: int) -> tuple[Float[Array, "n r"], Float[Array, " s"]]:
    """The first ``rank`` POD modes of the snapshot rows, and all singular values.

    The modes are the leading right singular vectors of the snapshot matrix: the
    orthonormal basis of ``rank`` vectors that captures the most of the snapshots'
    energy (Holmes, Lumley and Berkooz 1996).
    """
    snapshots = jnp.asarray(snapshots)
    if not 1 <= rank <= min(snapshots.shape):
        raise ValueError(f"rank must be between 1 and {min(snapshots.shape)}, got {rank}")
    _, singular_values, vt = jnp.linalg.svd(snapshots, full_matrices=False)
    return vt[:rank].T, singular_values


def galerkin_field(laplacian: Float[Array, "n n"], modes: Float[Array, "n r"]):
    """The POD-Galerkin reduced field for :func:`reaction_diffusion_field`.

    With ``u = V a`` the reduced state ``a`` obeys ``a' = V^T f(V a)``: the linear part
    becomes the small matrix ``V^T L V`` (computed once); the reaction term is evaluated
    on the full grid and projected, which costs ``O(n r)`` per evaluation.
    """
    reduced_laplacian = modes.T @ laplacian @ modes

    def field(t, a, params):
        u = modes @ a
        return params[0] * (reduced_laplacian @ a) + params[1] * (modes.T @ (u * (1.0 - u)))

    return field
