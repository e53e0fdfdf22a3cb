"""Estimating ODE parameters from data, and how sensitive a model is to them.

Fitting: :func:`trajectory_loss` compares a solve with data (gradients flow through the
solver); multiple shooting, which keeps a fit from being trapped by the many local minima
of a long oscillating trajectory, is :func:`scimlkit.multiple_shooting_loss` in
``shooting.py``.

Uncertainty: :func:`forward_sensitivities` (the Jacobian of the solution with respect
to the parameters, by forward-mode AD through the solve) and
:func:`fisher_information`, whose inverse approximates the covariance of the
least-squares estimate.

Global sensitivity: :func:`sobol_indices`, first-order and total Sobol indices (Sobol
2001) from Saltelli's sampling scheme and estimators (Saltelli et al. 2010).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import diffrax
import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, ArrayLike, Float, PyTree
from scipy.stats import qmc

from .problems import ODEProblem
from .solvers import solve


def trajectory_loss(
    params: PyTree,
    problem: ODEProblem,
    ts: Float[ArrayLike, " m"],
    data: Float[ArrayLike, "m n"],
    *,
    rtol: float = 1e-8,
    atol: float = 1e-8,
) -> Array:
    """Mean squared distance between the solution for ``params`` and ``data`` at ``ts``.

    The solve starts from the problem's own initial state at ``ts[0]``; differentiate it
    with ``jax.grad`` or hand it to :func:`scimlkit.fit`.
    """
    return jnp.mean((solve(problem, ts, params, rtol=rtol, atol=atol) - jnp.asarray(data)) ** 2)


def forward_sensitivities(
    problem: ODEProblem, ts: Float[ArrayLike, " m"], params: Float[ArrayLike, " p"], *, rtol: float = 1e-10,
    atol: float = 1e-10,
) -> Float[Array, "m n p"]:
    """``d y(t_i) / d p_j`` for every saved time, state component and parameter.

    Forward-mode AD through the solver (``jax.jacfwd``) carries one tangent per
    parameter along the solve: the discretised forward sensitivity equations, with no
    step-size error of their own beyond the solver's tolerance.
    """
    params = jnp.asarray(params, dtype=float)
    forward = diffrax.ForwardMode()
    return jax.jacfwd(lambda p: solve(problem, ts, p, rtol=rtol, atol=atol, adjoint=forward))(params)


def fisher_information(
    problem: ODEProblem,
    ts: Float[ArrayLike, " m"],
    params: Float[ArrayLike, " p"],
    *,
    noise_std: float | Float[ArrayLike, " n"],
    observed: Float[ArrayLike, " n"] | None = None,
) -> Float[Array, "p p"]:
    """Fisher information ``J^T J / sigma^2`` of Gaussian measurements of the states.

    ``J`` stacks the sensitivities of the observed components (a boolean mask, all by
    default). Its inverse is the Cramer-Rao bound, the covariance a least-squares
    estimate has asymptotically; a (near) singular matrix means a parameter combination
    the data cannot determine: a practical identifiability problem.
    """
    sensitivities = forward_sensitivities(problem, ts, params)
    scale = jnp.broadcast_to(jnp.asarray(noise_std, dtype=float), (sensitivities.shape[1],))
    if observed is not None:
        mask = jnp.asarray(observed, dtype=bool)
        sensitivities, scale = sensitivities[:, mask], scale[mask]
    weighted = (sensitivities / scale[None, :, None]).reshape(-1, sensitivities.shape[-1])
    return weighted.T @ weighted


@dataclass(frozen=True)
class SobolIndices:
    """First-order (``first``) and total (``total``) Sobol indices, one per input."""

    first: np.ndarray
    total: np.ndarray
    evaluations: int


def saltelli_matrices(
    n: int, bounds: Float[ArrayLike, "d 2"], *, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Saltelli's design: two independent samples ``A``, ``B`` of ``n`` points in the box
    ``bounds`` and, for each input ``i``, ``AB_i``: ``A`` with column ``i`` taken from ``B``.

    ``A`` and ``B`` are the two halves of a scrambled Sobol' sequence in ``2d``
    dimensions, as in SALib; ``n`` should be a power of two. Returns ``A`` (n, d),
    ``B`` (n, d) and ``AB`` (d, n, d).

    >>> from scimlkit.estimation import saltelli_matrices

    >>> a, b, ab = saltelli_matrices(4, [[0.0, 1.0], [-1.0, 1.0]])
    >>> a.shape, b.shape, ab.shape
    ((4, 2), (4, 2), (2, 4, 2))
    """
    bounds = np.asarray(bounds, dtype=float)
    if bounds.ndim != 2 or bounds.shape[1] != 2 or np.any(bounds[:, 0] >= bounds[:, 1]):
        raise ValueError(f"bounds must be (d, 2) rows of (low, high) with low < high, got {bounds.tolist()}")
    d = bounds.shape[0]
    unit = qmc.Sobol(2 * d, scramble=True, seed=seed).random(n)
    sample = bounds[:, 0] + np.concatenate([unit[:, :d], unit[:, d:]]) * (bounds[:, 1] - bounds[:, 0])
    a, b = sample[:n], sample[n:]
    ab = np.repeat(a[None], d, axis=0)
    for i in range(d):
        ab[i, :, i] = b[:, i]
    return a, b, ab


def sobol_indices(
    model: Callable[[np.ndarray], ArrayLike], bounds: Float[ArrayLike, "d 2"], *, n: int, seed: int = 0
) -> SobolIndices:
    """First-order and total Sobol indices of ``model`` for inputs uniform in ``bounds``.

    ``model`` maps a batch of inputs (rows) to one output each, ``n (d + 2)`` evaluations
    in all. Estimators of Saltelli et al. (2010): ``V_i ~ mean(f(B) (f(AB_i) - f(A)))``
    and Jansen's ``V_Ti ~ mean((f(A) - f(AB_i))^2) / 2``, both divided by the variance of
    ``f`` over ``A`` and ``B`` together.
    """
    a, b, ab = saltelli_matrices(n, bounds, seed=seed)
    f_a = np.asarray(model(a), dtype=float)
    f_b = np.asarray(model(b), dtype=float)
    f_ab = np.stack([np.asarray(model(block), dtype=float) for block in ab])
    if f_a.shape != (n,):
        raise ValueError(f"model must return one value per input row, shape ({n},); got {f_a.shape}")
    first, total = saltelli_estimates(f_a, f_b, f_ab)
    return SobolIndices(first=first, total=total, evaluations=n * (ab.shape[0] + 2))


def saltelli_estimates(
    f_a: Float[ArrayLike, " n"], f_b: Float[ArrayLike, " n"], f_ab: Float[ArrayLike, "d n"]
) -> tuple[Float[np.ndarray, " d"], Float[np.ndarray, " d"]]:
    """First-order and total indices from the model's outputs on Saltelli's design.

    The outputs are first standardised over all evaluations (as SALib does): the
    estimators are ratios, but centring lowers the first-order estimator's variance.
    """
    f_a, f_b, f_ab = (np.asarray(f, dtype=float) for f in (f_a, f_b, f_ab))
    everything = np.concatenate([f_a, f_b, f_ab.ravel()])
    mean, std = everything.mean(), everything.std()
    f_a, f_b, f_ab = (f_a - mean) / std, (f_b - mean) / std, (f_ab - mean) / std
    variance = np.var(np.concatenate([f_a, f_b]))
    first = np.mean(f_b * (f_ab - f_a), axis=1) / variance
    total = 0.5 * np.mean((f_a - f_ab) ** 2, axis=1) / variance
    return first, total


def ishigami(x: Float[ArrayLike, "m 3"], a: float = 7.0, b: float = 0.1) -> Float[np.ndarray, " m"]:
    """The Ishigami function ``sin x1 + a sin^2 x2 + b x3^4 sin x1`` (Ishigami and Homma
    1990), the standard test of global sensitivity methods, on ``[-pi, pi]^3``."""
    x = np.asarray(x, dtype=float)
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_indices(a: float = 7.0, b: float = 0.1) -> SobolIndices:
    """The analytic first-order and total Sobol indices of :func:`ishigami`.

    >>> indices = sk.ishigami_indices()
    >>> print([round(float(s), 3) for s in indices.first])
    [0.314, 0.442, 0.0]
    """
    pi4, pi8 = np.pi**4, np.pi**8
    v1 = 0.5 * (1 + b * pi4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * pi8 * (1 / 18 - 1 / 50)
    variance = v1 + v2 + v13
    return SobolIndices(
        first=np.array([v1, v2, 0.0]) / variance,
        total=np.array([v1 + v13, v2, v13]) / variance,
        evaluations=0,
    )
