"""An adaptive Rosenbrock solver for stiff systems, with sparse, dense or Jacobian-free linear algebra.

Why Rosenbrock: a Rosenbrock method is an implicit Runge-Kutta method linearised once per
step, so each step needs one Jacobian, one factorization of ``W = I/(gamma h) - J`` and a
few back-substitutions, and no Newton iterations that may fail to converge. That makes
the cost of a step predictable and puts all the linear algebra in one place, where the
structure of ``J`` can be exploited:

- :class:`SparseLU`: ``J`` from one JVP per colour (:mod:`scimlkit.sparse_jacobians`),
  factorized by SciPy's ``splu`` (SuperLU); for method-of-lines systems.
- :class:`DenseLU`: ``J`` from ``jax.jacfwd`` (one JVP per column) and a dense LU; the
  baseline, and the right choice for a handful of unknowns.
- :class:`Krylov`: no matrix at all; GMRES with JVPs as the matrix-vector product
  (the linear core of Jacobian-free Newton-Krylov), optionally preconditioned.

The vector field and its derivatives are compiled once by JAX; the step loop runs in
Python, where SciPy's sparse factorization lives (JAX's sparse direct solve calls back
into SciPy on the CPU and cannot keep a factorization between solves).
:mod:`scimlkit.compiled_rosenbrock` compiles the loop itself, with linear algebra in JAX.

Two sets of coefficients, both of order 4 with an embedded order-3 error estimate, in
the form that solves for the stage increments directly (Hairer and Wanner, *Solving ODEs
II*, section IV.7): Shampine's four-stage, A-stable method (``gamma = 1/2``, the
default), and Hairer and Wanner's six-stage RODAS (``method="rodas4"``, ``gamma = 1/4``),
which is L-stable and stiffly accurate (its step ends on the last stage, as an implicit
Euler step would), and so keeps its accuracy where Shampine's loses order: on very stiff
problems such as van der Pol with a small parameter.

:func:`solve_rosenbrock_w` is the same idea made cheap for large systems: a
Rosenbrock-W method keeps its order with *any* matrix in place of ``J``, so one
factorization of ``W`` serves many steps, as long as the step size it was built for is
kept. The coefficients are Rang and Angermann's ROS34PW2 (2005): four stages, order 3
with an embedded order-2 estimate, L-stable.

:func:`newton_krylov` is the nonlinear counterpart: Newton's method whose linear systems
GMRES solves with JVPs (Knoll and Keyes 2004).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
import scipy.linalg
import scipy.sparse as sparse
import scipy.sparse.linalg as sparse_linalg
from jax.scipy.sparse.linalg import gmres
from jaxtyping import Array, Float

from .finite_differences import periodic_laplacian_eigenvalues
from .sparse_jacobians import ColouredJacobian, coloured_jacobian

TimeField = Callable[[float, Array], Array]

def _transformed_tableau(*, gamma, a, c, m, error, times, d):
    """A Rosenbrock method in the form that solves for the stage increments ``u_i``.

    Step ``i`` solves ``(I/(gamma h) - J) u_i = f(t + times_i h, y + sum_j a_ij u_j)
    + sum_j c_ij u_j / h + h d_i df/dt``; the step is ``y + m . u``, its error estimate
    ``error . u`` (Hairer and Wanner, *Solving ODEs II*, section IV.7, formula (7.25)).
    A stage whose row of ``a`` and time equal the previous stage's re-uses its ``f``.
    """
    a, c = np.asarray(a, dtype=float), np.asarray(c, dtype=float)
    times = np.asarray(times, dtype=float)
    reuses = [i > 0 and times[i] == times[i - 1] and np.array_equal(a[i], a[i - 1]) for i in range(a.shape[0])]
    return {"gamma": float(gamma), "a": a, "c": c, "m": np.asarray(m, dtype=float),
            "error": np.asarray(error, dtype=float), "times": times, "d": np.asarray(d, dtype=float),
            "reuses": tuple(reuses)}


# Shampine's Rosenbrock method of order 4(3) (1982), stage-increment form; its fourth
# stage evaluates f where the third did.
#: Shampine's Rosenbrock 4(3) tableau (``gamma = 1/2``, A-stable, not stiffly accurate) in
#: stage-increment form: a dict of ``gamma``, ``a``, ``c``, ``m``, ``error``, ``times``, ``d``.
SHAMPINE43 = _transformed_tableau(
    gamma=0.5,
    a=[[0.0, 0.0, 0.0, 0.0], [2.0, 0.0, 0.0, 0.0], [48.0 / 25.0, 6.0 / 25.0, 0.0, 0.0], [48.0 / 25.0, 6.0 / 25.0, 0.0, 0.0]],
    c=[[0.0, 0.0, 0.0, 0.0], [-8.0, 0.0, 0.0, 0.0], [372.0 / 25.0, 12.0 / 5.0, 0.0, 0.0],
       [-112.0 / 125.0, -54.0 / 125.0, -2.0 / 5.0, 0.0]],
    m=[19.0 / 9.0, 1.0 / 2.0, 25.0 / 108.0, 125.0 / 108.0],
    error=[17.0 / 54.0, 7.0 / 36.0, 0.0, 125.0 / 108.0],
    times=[0.0, 1.0, 3.0 / 5.0, 3.0 / 5.0],
    d=[1.0 / 2.0, -3.0 / 2.0, 121.0 / 50.0, 29.0 / 250.0],
)

# RODAS (Hairer and Wanner, Solving ODEs II, section VI.4; the coefficients of their
# Fortran code RODAS, METH = 1, checked against the order conditions in the tests): six stages, order 4 with an
# embedded order-3 solution, L-stable and stiffly accurate. Stiffly accurate: the last
# two stages are evaluated at the embedded and at the new solution's predecessor
# (a_6j = a_5j for j < 5, a_65 = 1), so y_new = y + sum_j a_5j u_j + u_5 + u_6 is the
# argument of the last stage plus its increment, and the error estimate is u_6.
_A5 = (1.221224509226641, 6.019134481288629, 12.53708332932087, -0.6878860361058950)
#: Hairer and Wanner's RODAS 4(3) tableau (``gamma = 1/4``, L-stable, stiffly accurate) in
#: stage-increment form: a dict of ``gamma``, ``a``, ``c``, ``m``, ``error``, ``times``, ``d``.
RODAS4 = _transformed_tableau(
    gamma=0.25,
    a=[[0.0] * 6,
       [1.544, 0.0, 0.0, 0.0, 0.0, 0.0],
       [0.9466785280815826, 0.2557011698983284, 0.0, 0.0, 0.0, 0.0],
       [3.314825187068521, 2.896124015972201, 0.9986419139977817, 0.0, 0.0, 0.0],
       [*_A5, 0.0, 0.0],
       [*_A5, 1.0, 0.0]],
    c=[[0.0] * 6,
       [-5.6688, 0.0, 0.0, 0.0, 0.0, 0.0],
       [-2.430093356833875, -0.2063599157091915, 0.0, 0.0, 0.0, 0.0],
       [-0.1073529058151375, -9.594562251023355, -20.47028614809616, 0.0, 0.0, 0.0],
       [7.496443313967647, -10.24680431464352, -33.99990352819905, 11.70890893206160, 0.0, 0.0],
       [8.083246795921522, -7.981132988064893, -31.52159432874371, 16.31930543123136, -6.058818238834054, 0.0]],
    m=[*_A5, 1.0, 1.0],
    error=[0.0, 0.0, 0.0, 0.0, 0.0, 1.0],
    times=[0.0, 0.386, 0.21, 0.63, 1.0, 1.0],
    d=[0.25, -0.1043, 0.1035, -0.03620000000000023, 0.0, 0.0],
)

_METHODS = {"shampine": SHAMPINE43, "rodas4": RODAS4}


class SparseLU:
    """``J`` from coloured JVPs, ``W`` factorized by SuperLU (``scipy.sparse.linalg.splu``).

    The nonzero structure of ``W = I/(gamma h) - J`` never changes, so the fill-reducing
    ordering is computed once, at the first factorization; later ones factorize the
    matrix already permuted that way (with SuperLU's "natural" ordering), which more than
    halves their cost on the Brusselator, and only the values are refilled.
    """

    def __init__(self, jacobian: ColouredJacobian, *, permc_spec: str = "COLAMD"):
        self.jacobian = jacobian
        self.permc_spec = permc_spec
        n = jacobian.pattern.shape[0]
        # W's structure: the pattern plus the diagonal; each entry's position is its value.
        structure = sparse.csc_matrix(jacobian.pattern + sparse.identity(n, format="csc"))
        structure.sort_indices()
        structure.data = np.arange(1, structure.nnz + 1, dtype=float)
        self._structure = structure
        pattern = jacobian.pattern
        columns = np.repeat(np.arange(n), np.diff(pattern.indptr))  # of each stored entry, in storage order
        self._jacobian_slots = np.asarray(structure[pattern.indices, columns]).ravel().astype(np.int64) - 1
        self._diagonal_slots = structure.diagonal().astype(np.int64) - 1
        self._values = None
        self._ordering = None  # (permuted structure, slot map, permutation)

    @classmethod
    def detect(
        cls, f: TimeField, y0, *, t0: float = 0.0, pattern: sparse.spmatrix | None = None, permc_spec: str = "COLAMD"
    ) -> SparseLU:
        """Colour ``f``'s sparsity pattern (detected at ``y0`` unless given) and use it."""
        return cls(coloured_jacobian(f, jnp.asarray(y0), t=t0, pattern=pattern), permc_spec=permc_spec)

    def update(self, t: float, y: np.ndarray) -> None:
        self.set_values(self.jacobian(t, y).data)

    def set_values(self, values: np.ndarray) -> None:
        """Use ``values`` (the pattern's nonzeros in CSC order) as ``J`` for the next factorizations."""
        self._values = values

    def factor(self, inv_gamma_h: float) -> Callable[[np.ndarray], np.ndarray]:
        values = np.zeros(self._structure.nnz)
        values[self._jacobian_slots] = -self._values
        values[self._diagonal_slots] += inv_gamma_h
        if self._ordering is None:
            # SuperLU's column ordering: COLAMD is robust; "MMD_AT_PLUS_A" halves the fill on
            # the 2048-unknown Brusselator but took minutes on the 20,000-unknown Gierer-Meinhardt.
            matrix = sparse.csc_matrix((values, self._structure.indices, self._structure.indptr), shape=self._structure.shape)
            order = sparse_linalg.splu(matrix, permc_spec=self.permc_spec).perm_c
            position = np.argsort(order)
            permuted = self._structure[position][:, position].tocsc()
            permuted.sort_indices()
            self._ordering = (permuted, permuted.data.astype(np.int64) - 1, order, position)
        permuted, slots, order, position = self._ordering
        matrix = sparse.csc_matrix((values[slots], permuted.indices, permuted.indptr), shape=permuted.shape)
        solve = sparse_linalg.splu(matrix, permc_spec="NATURAL").solve
        return lambda rhs: solve(np.asarray(rhs)[position])[order]


@partial(jax.jit, static_argnums=0)
def _static_jacobian(f: TimeField, t, y):
    return jax.jacfwd(f, argnums=1)(t, y)


class DenseLU:
    """``J`` from ``jax.jacfwd`` (one JVP per column), ``W`` factorized by a dense LU."""

    def __init__(self, f: TimeField):
        try:
            hash(f)
            self.jacobian = partial(_static_jacobian, f)  # compiled once per f, not once per DenseLU
        except TypeError:
            self.jacobian = jax.jit(jax.jacfwd(f, argnums=1))
        self._matrix = None

    def update(self, t: float, y: np.ndarray) -> None:
        self._matrix = np.asarray(self.jacobian(t, y))

    def factor(self, inv_gamma_h: float) -> Callable[[np.ndarray], np.ndarray]:
        factors = scipy.linalg.lu_factor(inv_gamma_h * np.eye(self._matrix.shape[0]) - self._matrix, check_finite=False)
        return lambda rhs: scipy.linalg.lu_solve(factors, rhs, check_finite=False)


Preconditioner = Callable[[Array, Array], Array]  # (residual, 1/(gamma h)) -> approximate W^{-1} residual


class Krylov:
    """No Jacobian matrix: GMRES on ``W g = r`` with ``W v = v/(gamma h) - jvp(f, y, v)``.

    ``preconditioner(r, inv_gamma_h)`` should approximate ``W^{-1} r`` cheaply (e.g.
    :func:`fft_diffusion_preconditioner`); ``tol`` is GMRES's relative residual tolerance,
    kept well below the solver's ``rtol`` so that the inexact solves do not spoil the order.
    """

    def __init__(self, f: TimeField, *, preconditioner: Preconditioner | None = None, tol: float = 1e-9, restart: int = 30):
        def solve(t, y, inv_gamma_h, rhs):
            def matvec(v):
                return inv_gamma_h * v - jax.jvp(lambda z: f(t, z), (y,), (v,))[1]

            if preconditioner is None:
                def precondition(r):
                    return r / inv_gamma_h
            else:
                def precondition(r):
                    return preconditioner(r, inv_gamma_h)

            solution, _ = gmres(matvec, rhs, tol=tol, atol=0.0, restart=restart, maxiter=20, M=precondition)
            return solution

        self._solve = jax.jit(solve)
        self._state = None

    def update(self, t: float, y: np.ndarray) -> None:
        self._state = (t, jnp.asarray(y))

    def factor(self, inv_gamma_h: float) -> Callable[[np.ndarray], np.ndarray]:
        t, y = self._state
        return lambda rhs: np.asarray(self._solve(t, y, inv_gamma_h, jnp.asarray(rhs)))


LinearSolve = SparseLU | DenseLU | Krylov


@dataclass
class RosenbrockSolution:
    """Accepted times and states, with the work the solve did."""

    ts: Float[np.ndarray, " k"]
    ys: Float[np.ndarray, "k n"]
    n_steps: int = 0
    n_rejected: int = 0
    n_evaluations: int = 0
    n_jacobians: int = 0
    n_factorizations: int = 0
    stats: dict = field(default_factory=dict)

    @property
    def y_final(self) -> Float[np.ndarray, " n"]:
        return self.ys[-1]


def _rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(x * x)))


def _stopping_times(t0: float, t1: float, save_at) -> np.ndarray:
    """The times steps must land on: the ``save_at`` times and the end, checked and sorted."""
    if not t1 > t0:
        raise ValueError(f"t_span must increase, got {(t0, t1)}")
    requested = np.asarray([] if save_at is None else save_at, dtype=float)
    if np.any(requested <= t0) or np.any(requested > t1):
        raise ValueError(f"save_at times must lie in ({t0}, {t1}]; got values from {requested.min()} to {requested.max()}")
    return np.unique(np.append(requested, t1))


def _error_norm(error, y, y_new, rtol, atol, *, xp=np):
    """The step's error in the RMS norm weighted by ``atol + rtol * |y|``; inf if not finite.

    ``xp`` is ``numpy`` for the Python step loops and ``jax.numpy`` for the compiled one.
    """
    norm = xp.sqrt(xp.mean((error / (atol + rtol * xp.maximum(xp.abs(y), xp.abs(y_new)))) ** 2))
    return xp.where(xp.isfinite(norm), norm, xp.inf)


def _record_step(stats, ts: list, ys: list, t: float, y: np.ndarray, hits_stop: bool, stop_index: int, *,
                 every_step: bool) -> int:
    """Count an accepted step (and the evaluation of f at its end), save it if asked; the next stop's index."""
    stats.n_evaluations += 1
    stats.n_steps += 1
    if every_step or hits_stop:
        ts.append(t)
        ys.append(y.copy())
    return stop_index + 1 if hits_stop else stop_index


def _initial_step(y: np.ndarray, f0: np.ndarray, rtol: float, atol: float) -> float:
    """A first step from the sizes of ``y`` and ``y'`` in the error norm (Hairer, Norsett and Wanner)."""
    scale = atol + rtol * np.abs(y)
    d0, d1 = _rms(y / scale), _rms(f0 / scale)
    return 1e-6 if min(d0, d1) < 1e-5 else 0.01 * d0 / d1


@partial(jax.jit, static_argnums=0)
def _field(f: TimeField, t, y):
    return f(t, y)


def _time_derivative(f: TimeField, t, y):
    return jax.jvp(lambda s: f(s, y), (t,), (jnp.ones_like(t),))[1]


_static_time_derivative = partial(jax.jit, static_argnums=0)(_time_derivative)


def _compiled(f: TimeField):
    """``f`` and ``df/dt`` jitted with ``f`` static, so a second solve of the same ``f`` compiles nothing
    (an unhashable ``f``, such as a module holding arrays, is compiled for this solve alone)."""
    try:
        hash(f)
    except TypeError:
        return jax.jit(f), jax.jit(partial(_time_derivative, f))
    return partial(_field, f), partial(_static_time_derivative, f)


def solve_rosenbrock(
    f: TimeField,
    t_span: tuple[float, float],
    y0,
    *,
    linear_solve: LinearSolve,
    rtol: float = 1e-6,
    atol: float = 1e-6,
    save_at=None,
    first_step: float | None = None,
    max_steps: int = 100_000,
    method: str = "shampine",
) -> RosenbrockSolution:
    """Integrate ``y' = f(t, y)`` over ``t_span`` with an adaptive Rosenbrock method of order 4(3).

    ``f`` is a JAX function of ``(t, y)`` with ``y`` a flat vector. Steps land exactly on
    the times in ``save_at`` (which also serve as stopping points at discontinuities of
    ``f`` in time); the solution holds the state there and at ``t_span[1]``, or at every
    accepted step when ``save_at`` is None. The error of each step is measured in the
    root-mean-square norm weighted by ``atol + rtol * |y|``.

    ``method="shampine"`` (the default here; :func:`scimlkit.solve_rosenbrock_compiled`
    defaults to RODAS) is Shampine's four-stage method (A-stable, 3 evaluations of ``f``
    per step); ``method="rodas4"`` is Hairer and Wanner's RODAS, six stages and 5
    evaluations per step, but L-stable and stiffly accurate: on very stiff
    problems (van der Pol with a small parameter, chemical kinetics) Shampine's method
    loses order and takes many more steps at tight tolerances, RODAS does not.
    """
    if method not in _METHODS:
        raise ValueError(f"method must be one of {sorted(_METHODS)}, got {method!r}")
    tableau = _METHODS[method]
    gamma, a, c, m, error_weights, times, d, reuses = (
        tableau[key] for key in ("gamma", "a", "c", "m", "error", "times", "d", "reuses")
    )
    stages = a.shape[0]
    t0, t1 = map(float, t_span)
    stops = _stopping_times(t0, t1, save_at)
    evaluate, time_derivative = _compiled(f)

    def field_at(t, y):
        return np.asarray(evaluate(t, y))  # NumPy in, NumPy out: an eager jnp.asarray would cost more than f

    y = np.asarray(y0, dtype=float).copy()
    t = t0
    ts, ys = [t0], [y.copy()]
    stats = RosenbrockSolution(ts=np.empty(0), ys=np.empty((0, y.size)))
    f0 = field_at(t, y)
    stats.n_evaluations += 1
    h = min(_initial_step(y, f0, rtol, atol) if first_step is None else first_step, t1 - t0)
    jacobian_at = None
    stop_index = 0
    while t < t1:
        if stats.n_steps + stats.n_rejected >= max_steps:
            raise RuntimeError(f"solve_rosenbrock reached max_steps = {max_steps} at t = {t:.6g} of {t1}")
        target = stops[stop_index]
        hits_stop = t + h >= target * (1 - 1e-14)
        step = target - t if hits_stop else h
        if jacobian_at != t:
            linear_solve.update(t, y)
            stats.n_jacobians += 1
            dfdt = np.asarray(time_derivative(t, y))
            jacobian_at = t
        solve = linear_solve.factor(1.0 / (gamma * step))
        stats.n_factorizations += 1
        increments = []
        stage_field = f0
        for i in range(stages):
            if i > 0 and not reuses[i]:
                stage_field = field_at(t + times[i] * step, y + sum(a[i, j] * increments[j] for j in range(i)))
                stats.n_evaluations += 1
            coupling = sum(c[i, j] * increments[j] for j in range(i)) / step if i > 0 else 0.0
            increments.append(solve(stage_field + step * d[i] * dfdt + coupling))
        y_new = y + sum(m[j] * increments[j] for j in range(stages))
        error = sum(error_weights[j] * increments[j] for j in range(stages) if error_weights[j] != 0.0)
        norm = _error_norm(error, y, y_new, rtol, atol)
        factor = 0.9 * norm ** (-0.25) if norm > 0 else 5.0
        if norm <= 1.0:
            t = target if hits_stop else t + step
            y = y_new
            f0 = field_at(t, y)
            stop_index = _record_step(stats, ts, ys, t, y, hits_stop, stop_index, every_step=save_at is None)
            h = step * min(5.0, max(0.2, factor))
        else:
            stats.n_rejected += 1
            h = step * min(1.0, max(0.2, factor))
    stats.ts, stats.ys = np.asarray(ts), np.asarray(ys)
    return stats


def _stage_increment_form(*, alpha, gamma, b, b_hat):
    """A Rosenbrock tableau ``(alpha, gamma, b, b_hat)`` in the form that solves for ``u = Gamma k``.

    Hairer and Wanner (section IV.7) write a stage as ``(I - gamma_ii h J) k_i = h f(y +
    sum_j alpha_ij k_j) + h J sum_j gamma_ij k_j``. With ``U = Gamma K`` the products with
    ``J`` on the right disappear: ``(I/(gamma h) - J) u_i = f(y + sum_j a_ij u_j) + sum_j
    c_ij u_j / h`` with ``a = alpha Gamma^-1`` and ``c = diag(1/gamma) - Gamma^-1``; the
    step is ``y + m . U`` with ``m = b Gamma^-1``. The identity holds for any matrix in the
    place of ``J``, which is what a W-method needs.
    """
    alpha, gamma = np.asarray(alpha, dtype=float), np.asarray(gamma, dtype=float)
    inverse = np.linalg.inv(gamma)
    return {
        "gamma": float(gamma[0, 0]),
        "a": alpha @ inverse,
        "c": np.diag(1.0 / np.diag(gamma)) - inverse,
        "m": np.asarray(b) @ inverse,
        "error": (np.asarray(b) - np.asarray(b_hat)) @ inverse,
        "times": alpha.sum(axis=1),
    }


# Rang and Angermann (2005), ROS34PW2: a W-method of order 3 (embedded order 2) whatever
# matrix stands in for J; L-stable and stiffly accurate; gamma is the L-stable SDIRK root.
_G = 4.3586652150845900e-01
#: The ROS34PW2 tableau (Rang and Angermann 2005) in stage-increment form: a dict of
#: ``gamma``, ``a``, ``c``, ``m``, ``error`` (the embedded estimate) and stage ``times``.
ROS34PW2 = _stage_increment_form(
    alpha=[[0.0, 0.0, 0.0, 0.0],
           [8.7173304301691801e-01, 0.0, 0.0, 0.0],
           [8.4457060015369423e-01, -1.1299064236397981e-01, 0.0, 0.0],
           [0.0, 0.0, 1.0, 0.0]],
    gamma=[[_G, 0.0, 0.0, 0.0],
           [-8.7173304301691801e-01, _G, 0.0, 0.0],
           [-9.0338057013044082e-01, 5.4180672388095326e-02, _G, 0.0],
           [2.4212380706095346e-01, -1.2232505839045147e00, 5.4526025533510214e-01, _G]],
    b=[2.4212380706095346e-01, -1.2232505839045147e00, 1.5452602553351023e00, _G],
    b_hat=[3.7810903145819369e-01, -9.6042292212423178e-02, 0.5, 2.1793326075422950e-01],
)


def solve_rosenbrock_w(
    f: TimeField,
    t_span: tuple[float, float],
    y0,
    *,
    linear_solve: LinearSolve,
    rtol: float = 1e-6,
    atol: float = 1e-6,
    save_at=None,
    first_step: float | None = None,
    max_steps: int = 100_000,
    resize_above: float = 2.0,
) -> RosenbrockSolution:
    """Integrate ``y' = f(t, y)`` with the Rosenbrock-W method ROS34PW2, re-using ``W`` across steps.

    Same arguments and result as :func:`solve_rosenbrock`. A W-method keeps its order
    (3, with an order-2 error estimate) when the matrix in ``W = I/(gamma h) - J`` is only
    an approximation of the Jacobian, so the Jacobian and the factorization of ``W`` are
    computed anew only when the step size changes; the step size, in turn, is changed
    only after a rejected step or when the error estimate allows a step more than
    ``resize_above`` times larger (like SciPy's and CVODE's BDF codes). The step size
    itself must be the one ``W`` was factorized for: the identity ``I/(gamma h)`` is not
    a small perturbation of ``J`` in the non-stiff directions.

    No ``df/dt`` term is needed: it is part of the (approximate) Jacobian of the
    autonomous system in ``(t, y)``, which a W-method may leave out. A stage that would
    fall on a stopping time evaluates ``f`` just before it, so a forcing switched on at a
    ``save_at`` time acts only from the next step on.
    """
    t0, t1 = map(float, t_span)
    stops = _stopping_times(t0, t1, save_at)
    tableau = ROS34PW2
    a, c, m, error_weights, times = (tableau[key] for key in ("a", "c", "m", "error", "times"))
    evaluate = jax.jit(f)

    def field_at(t, y):
        return np.asarray(evaluate(t, y))

    y = np.asarray(y0, dtype=float).copy()
    t = t0
    ts, ys = [t0], [y.copy()]
    stats = RosenbrockSolution(ts=np.empty(0), ys=np.empty((0, y.size)))
    f0 = field_at(t, y)
    stats.n_evaluations += 1
    h = min(_initial_step(y, f0, rtol, atol) if first_step is None else first_step, t1 - t0)
    increments = np.zeros((4, y.size))
    factored_for, solve = None, None
    stop_index = 0
    while t < t1:
        if stats.n_steps + stats.n_rejected >= max_steps:
            raise RuntimeError(f"solve_rosenbrock_w reached max_steps = {max_steps} at t = {t:.6g} of {t1}")
        target = stops[stop_index]
        hits_stop = t + h >= target * (1 - 1e-14)
        step = target - t if hits_stop else h
        last_time = np.nextafter(target, -np.inf) if hits_stop else t + step
        # (A step shortened to a stop may differ from h by rounding: not a new step size.)
        if factored_for is None or abs(step - factored_for) > 1e-10 * factored_for:
            linear_solve.update(t, y)
            solve = linear_solve.factor(1.0 / (tableau["gamma"] * step))
            factored_for = step
            stats.n_jacobians += 1
            stats.n_factorizations += 1
        increments[0] = solve(f0)
        for i in range(1, 4):
            stage = y + a[i, :i] @ increments[:i]
            stage_field = field_at(min(t + times[i] * step, last_time), stage)
            increments[i] = solve(stage_field + (c[i, :i] @ increments[:i]) / step)
        stats.n_evaluations += 3
        y_new = y + m @ increments
        norm = _error_norm(error_weights @ increments, y, y_new, rtol, atol)
        factor = min(5.0, 0.9 * norm ** (-1.0 / 3.0)) if norm > 0 else 5.0
        if norm <= 1.0:
            t = target if hits_stop else t + step
            y = y_new
            f0 = field_at(t, y)
            stop_index = _record_step(stats, ts, ys, t, y, hits_stop, stop_index, every_step=save_at is None)
            if factor > resize_above:
                # A step shortened to land on a stop says nothing against the longer h.
                h = max(h, step * factor) if hits_stop else step * factor
        else:
            stats.n_rejected += 1
            # 20% below the estimate's choice: this step size will be kept for a while.
            h = step * max(0.2, 0.8 * factor)
    stats.ts, stats.ys = np.asarray(ts), np.asarray(ys)
    return stats


def fft_diffusion_preconditioner(
    shape: tuple[int, int], *, dx: float, diffusivities: tuple[float, ...]
) -> Preconditioner:
    """``(I/(gamma h) - D Lap)^{-1}`` for species stacked in a flat vector on a periodic grid.

    On a periodic grid the five-point Laplacian is diagonal in the discrete Fourier basis
    (``periodic_laplacian_eigenvalues`` in ``scimlkit.finite_differences``), so this inverse costs two FFTs. It
    leaves out the reaction terms: GMRES mops up the rest.
    """
    nx, ny = shape
    eigenvalues = jnp.asarray(periodic_laplacian_eigenvalues(shape, dx=dx))
    diffusivities = jnp.asarray(diffusivities, dtype=float)

    def precondition(residual: Array, inv_gamma_h: Array) -> Array:
        grids = residual.reshape(diffusivities.shape[0], nx, ny)
        symbols = inv_gamma_h - diffusivities[:, None, None] * eigenvalues
        return jnp.real(jnp.fft.ifft2(jnp.fft.fft2(grids) / symbols)).ravel()

    return precondition


def newton_krylov(
    residual: Callable[[Array], Array],
    x0,
    *,
    tol: float = 1e-10,
    max_iterations: int = 20,
    gmres_tol: float = 1e-6,
    preconditioner: Callable[[Array], Array] | None = None,
) -> tuple[Float[Array, " n"], int]:
    """Solve ``residual(x) = 0`` by Jacobian-free Newton-Krylov; returns ``(x, Newton iterations)``.

    Each Newton correction solves ``J(x) dx = -residual(x)`` by GMRES, with the product
    ``J(x) v`` taken as a JVP: the Jacobian is never formed. Stops when the
    root-mean-square residual falls below ``tol``.

    >>> root, iterations = sk.newton_krylov(lambda x: x**2 - 2.0, jnp.ones(1), tol=1e-6)
    >>> print(round(float(root[0]), 5))
    1.41421
    """

    @jax.jit
    def newton_step(x):
        value = residual(x)

        def matvec(v):
            return jax.jvp(residual, (x,), (v,))[1]

        correction, _ = gmres(matvec, -value, tol=gmres_tol, atol=0.0, M=preconditioner)
        return x + correction, jnp.sqrt(jnp.mean(value**2))

    x = jnp.asarray(x0)
    for iteration in range(max_iterations + 1):
        candidate, size = newton_step(x)
        if float(size) < tol:  # the residual at x, before this correction
            return x, iteration
        x = candidate
    raise RuntimeError(f"newton_krylov: residual above tol = {tol} after {max_iterations} Newton iterations")
