"""Sparse identification of nonlinear dynamics (SINDy; Brunton, Proctor and Kutz 2016).

SINDy writes the unknown right-hand side of ``x' = f(x)`` as a sparse combination of
candidate functions, ``x' = Theta(x) Xi``, where each column of the *feature library*
``Theta`` is one candidate (``1, x, y, x^2, x y, sin x, ...``) and each column of ``Xi``
holds the coefficients of one equation. Sequentially thresholded least squares (STLSQ)
finds a sparse ``Xi``: solve least squares, zero the coefficients smaller than a
threshold, solve again on the surviving terms, and repeat until nothing changes.

Pieces, each usable on its own: :class:`FeatureLibrary` (polynomial and trigonometric
terms, readable names, evaluable inside a JAX vector field), :func:`stlsq`, derivative
estimates from samples (:func:`finite_difference_derivative`,
:func:`smoothed_derivative`), and :class:`SINDyModel`, which prints the equations it
found and simulates them.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import diffrax
import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, ArrayLike, Bool, Float
from scipy.signal import savgol_filter

from .solvers import integrate


def _monomial_exponents(n_variables: int, degree: int, include_bias: bool) -> tuple[tuple[int, ...], ...]:
    """Exponent vectors of all monomials up to ``degree``, ordered by degree then variable."""
    exponents = []
    for total in range(0 if include_bias else 1, degree + 1):
        for combination in itertools.combinations_with_replacement(range(n_variables), total):
            powers = [0] * n_variables
            for variable in combination:
                powers[variable] += 1
            exponents.append(tuple(powers))
    return tuple(exponents)


class FeatureLibrary(eqx.Module):
    """Candidate terms ``Theta(x)``: monomials up to ``degree``, then ``sin`` and ``cos``.

    ``library(x)`` evaluates the features of one state (shape ``(n,)``) with JAX, so a
    found model can be integrated by diffrax; ``library.evaluate(xs)`` does a whole
    data matrix (one state per row). With ``frequencies=(1, 2)`` the library adds
    ``sin(k x_i)`` and ``cos(k x_i)`` for every variable and frequency.
    """

    n_variables: int = eqx.field(static=True)
    exponents: tuple[tuple[int, ...], ...] = eqx.field(static=True)
    frequencies: tuple[int, ...] = eqx.field(static=True)

    def __init__(
        self, n_variables: int, *, degree: int = 2, frequencies: Sequence[int] = (), include_bias: bool = True
    ):
        if n_variables < 1:
            raise ValueError(f"a library needs at least one variable, got n_variables={n_variables}")
        if degree < 0:
            raise ValueError(f"degree must be non-negative, got {degree}")
        if any(int(k) < 1 for k in frequencies):
            raise ValueError(f"frequencies must be positive integers, got {tuple(frequencies)}")
        self.n_variables = n_variables
        self.exponents = _monomial_exponents(n_variables, degree, include_bias)
        self.frequencies = tuple(int(k) for k in frequencies)
        if not self.exponents and not self.frequencies:
            raise ValueError("the library is empty: raise degree, include the bias or give frequencies")

    @property
    def size(self) -> int:
        """The number of candidate terms."""
        return len(self.exponents) + 2 * self.n_variables * len(self.frequencies)

    def __call__(self, x: Float[ArrayLike, " n"]) -> Float[Array, " k"]:
        x = jnp.asarray(x)
        if x.shape != (self.n_variables,):
            raise ValueError(f"expected one state of shape ({self.n_variables},), got shape {x.shape}")
        powers = jnp.asarray(self.exponents, dtype=x.dtype).reshape(-1, self.n_variables)
        monomials = jnp.prod(x**powers, axis=1)
        waves = [f(k * x) for k in self.frequencies for f in (jnp.sin, jnp.cos)]
        return jnp.concatenate([monomials, *waves])

    def evaluate(self, xs: Float[ArrayLike, "m n"]) -> Float[Array, "m k"]:
        """The library matrix ``Theta``: one row per state in ``xs``."""
        xs = jnp.asarray(xs)
        if xs.ndim != 2 or xs.shape[1] != self.n_variables:
            raise ValueError(f"expected states of shape (m, {self.n_variables}), got shape {xs.shape}")
        return jax.vmap(self)(xs)

    def names(self, variables: Sequence[str] | None = None) -> list[str]:
        """Readable names of the terms, e.g. ``["1", "x", "y", "x^2", "x y", "sin(x)"]``."""
        variables = _variable_names(variables, self.n_variables)
        names = []
        for powers in self.exponents:
            factors = [v if p == 1 else f"{v}^{p}" for v, p in zip(variables, powers) if p > 0]
            names.append(" ".join(factors) if factors else "1")
        # The order of __call__: for each frequency, sin of every variable, then cos.
        for k in self.frequencies:
            argument = "" if k == 1 else str(k)
            for function in ("sin", "cos"):
                names.extend(f"{function}({argument}{v})" for v in variables)
        return names


def _variable_names(variables: Sequence[str] | None, n_variables: int) -> list[str]:
    if variables is None:
        return list("xyzwuv"[:n_variables]) if n_variables <= 6 else [f"x{i}" for i in range(n_variables)]
    if len(variables) != n_variables:
        raise ValueError(f"got {len(variables)} variable names for {n_variables} variables")
    return list(variables)


def stlsq(
    theta: Float[ArrayLike, "m k"],
    targets: Float[ArrayLike, "m n"],
    *,
    threshold: float,
    max_iterations: int = 20,
    ridge: float = 0.0,
) -> Float[np.ndarray, "k n"]:
    """Sequentially thresholded least squares: a sparse ``Xi`` with ``theta @ Xi ~ targets``.

    Each iteration solves least squares for every column of ``targets`` on its surviving
    terms (with ``ridge > 0``, ridge-regularised on the library scaled to unit column
    norms), then drops the terms whose coefficient
    is smaller than ``threshold`` in magnitude. It stops when the set of terms no longer
    changes. Runs in NumPy, by orthogonal factorisations only, never the normal
    equations (whose condition number is the square of the library's: a degree-5
    polynomial library on Lorenz data has one near 6e5 with unit-norm columns, so its
    normal equations near 4e11). One QR factorisation ``[Theta, targets] = Q R`` is
    computed first; since ``Q`` has orthonormal columns, the least-squares fit on any
    subset of terms is the one on the same columns of ``R``, a small matrix that
    ``numpy.linalg.lstsq`` solves. Equations that keep the same terms share one solve.

    >>> x = np.linspace(-1.0, 1.0, 50)
    >>> theta = np.stack([np.ones_like(x), x, x**2], axis=1)
    >>> print(sk.stlsq(theta, (3.0 * x - 0.01 * x**2)[:, None], threshold=0.1).round(6).ravel())
    [0. 3. 0.]
    """
    theta = np.asarray(theta, dtype=float)
    targets = np.asarray(targets, dtype=float)
    if targets.ndim == 1:
        targets = targets[:, None]
    if theta.ndim != 2 or theta.shape[0] != targets.shape[0]:
        raise ValueError(
            f"theta has shape {theta.shape} and targets {targets.shape}: both need one row per sample"
        )
    if threshold < 0:
        raise ValueError(f"threshold must be non-negative, got {threshold}")
    if ridge < 0:  # a negative ridge would otherwise be ignored silently, as zero is
        raise ValueError(f"ridge must be non-negative, got {ridge}")
    if not np.all(np.isfinite(theta)) or not np.all(np.isfinite(targets)):
        raise ValueError("theta and targets must be finite; check the data and the derivative estimate")

    # Scaling the columns to unit norm does not change the least-squares fit (only how
    # its coefficients are expressed), but makes the ridge term treat every term alike.
    norms = np.linalg.norm(theta, axis=0)
    norms[norms == 0] = 1.0
    # ||Theta_S c - y|| = ||R_S c - r_y|| for every subset S of columns: the tall data
    # matrix is factorised once and each refit works on its small triangular factor.
    r = np.linalg.qr(np.hstack([theta / norms, targets]), mode="r")
    library_r, targets_r = r[:, : theta.shape[1]], r[:, theta.shape[1] :]

    def least_squares(active: Bool[np.ndarray, "k n"]) -> Float[np.ndarray, "k n"]:
        xi = np.zeros((theta.shape[1], targets.shape[1]))
        for keep in np.unique(active.T, axis=0):
            if not keep.any():
                continue
            equations = np.flatnonzero((active.T == keep).all(axis=1))
            matrix, right = library_r[:, keep], targets_r[:, equations]
            if ridge > 0:  # ridge as least squares too: append sqrt(ridge) I below the data
                size = int(keep.sum())
                matrix = np.vstack([matrix, np.sqrt(ridge) * np.eye(size)])
                right = np.vstack([right, np.zeros((size, equations.size))])
            solution = np.linalg.lstsq(matrix, right, rcond=None)[0]
            xi[np.ix_(keep, equations)] = solution / norms[keep, None]
        return xi

    active = np.ones((theta.shape[1], targets.shape[1]), dtype=bool)
    xi = least_squares(active)
    for _ in range(max_iterations):
        surviving = np.abs(xi) >= threshold
        if np.array_equal(surviving, active):
            break
        active = surviving
        xi = least_squares(active)
    xi[np.abs(xi) < threshold] = 0.0
    return xi


def finite_difference_derivative(xs: Float[ArrayLike, "m n"], dt: float) -> Float[np.ndarray, "m n"]:
    """``dx/dt`` of equally spaced samples: second-order central differences (one-sided at the ends)."""
    xs = np.asarray(xs, dtype=float)
    if xs.shape[0] < 3:
        raise ValueError(f"need at least 3 samples to difference, got {xs.shape[0]}")
    return np.gradient(xs, dt, axis=0, edge_order=2)


def smoothed_derivative(
    xs: Float[ArrayLike, "m n"], dt: float, *, window: int = 21, order: int = 3
) -> Float[np.ndarray, "m n"]:
    """``dx/dt`` from noisy samples by a Savitzky-Golay filter: the derivative of a local
    least-squares polynomial of ``order`` over ``window`` samples (odd), which averages the
    noise away instead of amplifying it as a finite difference does."""
    xs = np.asarray(xs, dtype=float)
    if window % 2 == 0 or window <= order:
        raise ValueError(f"window must be odd and larger than order, got window={window}, order={order}")
    if xs.shape[0] < window:
        raise ValueError(f"need at least window={window} samples, got {xs.shape[0]}")
    return savgol_filter(xs, window, order, deriv=1, delta=dt, axis=0)


def smoothed_states(xs: Float[ArrayLike, "m n"], *, window: int = 21, order: int = 3) -> Float[np.ndarray, "m n"]:
    """Noisy samples smoothed by the same Savitzky-Golay filter as :func:`smoothed_derivative`.

    Noise in the states enters SINDy twice: through the derivative and through the
    library ``Theta(x)``, where least squares cannot average it away (it biases the
    coefficients). Evaluating the library on smoothed states removes the second part.
    """
    xs = np.asarray(xs, dtype=float)
    if window % 2 == 0 or window <= order:
        raise ValueError(f"window must be odd and larger than order, got window={window}, order={order}")
    if xs.shape[0] < window:
        raise ValueError(f"need at least window={window} samples, got {xs.shape[0]}")
    return savgol_filter(xs, window, order, axis=0)


class SINDyModel(eqx.Module):
    """The model ``x' = Theta(x) Xi`` that SINDy found: printable and integrable."""

    library: FeatureLibrary
    coefficients: Float[Array, "k n"]
    variables: tuple[str, ...] = eqx.field(static=True)

    def __call__(self, t, x: Float[Array, " n"], args=None) -> Float[Array, " n"]:
        """The vector field, in diffrax's ``f(t, y, args)`` form."""
        return self.library(x) @ self.coefficients

    @property
    def n_terms(self) -> int:
        """How many coefficients are non-zero, over all equations."""
        return int(np.count_nonzero(np.asarray(self.coefficients)))

    def equations(self, precision: int = 3) -> list[str]:
        """One readable line per equation, e.g. ``"x' = -10.000 x + 10.000 y"``."""
        names = self.library.names(self.variables)
        lines = []
        for variable, column in zip(self.variables, np.asarray(self.coefficients).T):
            body = ""
            for c, name in zip(column, names):
                if c == 0:
                    continue
                sign = ("-" if c < 0 else "") if not body else (" - " if c < 0 else " + ")
                body += f"{sign}{abs(c):.{precision}f}" + ("" if name == "1" else f" {name}")
            lines.append(f"{variable}' = {body or '0'}")
        return lines

    def simulate(
        self, ts: Float[ArrayLike, " m"], x0: Float[ArrayLike, " n"], *, rtol: float = 1e-8, atol: float = 1e-8
    ) -> Float[Array, "m n"]:
        """Integrate the found equations from ``x0``, saving at ``ts`` (Tsit5, adaptive)."""
        return integrate(
            self, ts, x0, solver=diffrax.Tsit5(), rtol=rtol, atol=atol, max_steps=1_000_000
        ).ys


def fit_sindy(
    xs: Float[ArrayLike, "m n"],
    derivatives: Float[ArrayLike, "m n"],
    library: FeatureLibrary,
    *,
    threshold: float,
    variables: Sequence[str] | None = None,
    max_iterations: int = 20,
    ridge: float = 0.0,
) -> SINDyModel:
    """Fit ``derivatives ~ Theta(xs) Xi`` with :func:`stlsq` and return the model.

    ``derivatives`` need not be time derivatives: any function of the state (say, the
    output of a trained network) can be turned into a sparse formula this way.
    """
    theta = library.evaluate(xs)
    xi = stlsq(theta, derivatives, threshold=threshold, max_iterations=max_iterations, ridge=ridge)
    if xi.shape[1] != library.n_variables:
        raise ValueError(f"got {xi.shape[1]} target columns for a library of {library.n_variables} variables")
    return SINDyModel(
        library=library,
        coefficients=jnp.asarray(xi),
        variables=tuple(_variable_names(variables, library.n_variables)),
    )
