"""The Rosenbrock-W method ROS34PW2 with its whole adaptive step loop compiled by JAX.

Why: a step of :func:`scimlkit.solve_rosenbrock_w` on the 2048-unknown Brusselator spends
more time in Python, and in handing small arrays between NumPy, SuperLU and XLA, than in
arithmetic. :func:`solve_rosenbrock_w_compiled` runs the same method and the same step-size
rules as one ``lax.while_loop``, so the linear algebra must be JAX as well. A W-method keeps
its order with *any* matrix ``A`` in ``W = I/(gamma h) - A``, which leaves ``A`` free to be
chosen for a cheap solve. The linear solves here share one protocol:
``factor(f, t, y, inv_gamma_h)`` returns arrays ("factors"), ``solve(factors, rhs)`` applies
``W^{-1}``:

- :class:`FourierW`: ``A`` = diffusion plus the grid average of the local reaction Jacobian,
  on a periodic grid. It is block-diagonal in the Fourier basis (one ``s x s`` block per wave
  number for ``s`` species), so a solve is one FFT and one inverse FFT per species.
- :class:`SparseW`: ``A`` = the exact Jacobian from one JVP per colour, stored by diagonals.
  Each solve starts from a preconditioner's answer (e.g. :class:`FourierW`) and corrects it
  with a fixed number of sweeps ``x += P^{-1}(r - W x)``. A fixed number of sweeps is a
  fixed linear map of ``r``, so the method stays a W-method whatever the sweeps leave over.
- :class:`JacobianFreeW`: the same sweeps with ``J v`` taken as a JVP: no matrix stored.
- :class:`SuperLUW`: ``A`` = the exact coloured sparse Jacobian, factorized by SciPy's SuperLU
  through a callback to the host: the generic choice, for any sparsity pattern, boundary or
  coefficients (:class:`FourierW` and the sweeps rely on a periodic grid with constant
  diffusivities).
- :class:`DenseW`: ``A`` = the dense AD Jacobian and a dense LU: the baseline.

:func:`solve_rosenbrock_compiled` compiles the loop of :func:`scimlkit.solve_rosenbrock`
in the same way (a new Jacobian and factorization every step, the exact ``J`` that a
Rosenbrock method needs), for small dense systems such as the stiff test set, where a
Python loop's overhead per step is many times the arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import scipy.sparse as sparse
from jax import lax
from jaxtyping import Array, Float, Int

from .finite_differences import periodic_laplacian_eigenvalues
from .implicit_solvers import (
    _METHODS,
    ROS34PW2,
    RosenbrockSolution,
    SparseLU,
    TimeField,
    _error_norm,
    _stopping_times,
)
from .sparse_jacobians import coloured_jacobian


class FourierW(eqx.Module):
    """``W = I/(gamma h) - (D Lap + M)`` on a periodic grid, inverted wave number by wave number.

    ``y`` holds ``s`` species, each an ``nx x ny`` grid flattened row by row, one after the
    other. ``D`` is the species' diffusivities and ``M`` the ``s x s`` Jacobian of the local
    (reaction) terms averaged over the grid. ``M`` costs ``s`` JVPs: a constant field has
    zero periodic Laplacian, so ``J`` applied to "ones on species j" is the reaction
    Jacobian's column ``j`` at every point.
    """

    shape: tuple[int, int] = eqx.field(static=True)
    diffusivities: Float[Array, " s"]
    eigenvalues: Float[Array, "nx ny"]

    def __init__(self, shape: tuple[int, int], *, dx: float, diffusivities: tuple[float, ...]):
        self.shape = tuple(shape)
        self.diffusivities = jnp.asarray(diffusivities, dtype=float)
        self.eigenvalues = jnp.asarray(periodic_laplacian_eigenvalues(self.shape, dx=dx))

    @property
    def n_species(self) -> int:
        return self.diffusivities.shape[0]

    def check(self, y: Array) -> None:
        expected = self.n_species * self.shape[0] * self.shape[1]
        if y.shape != (expected,):
            raise ValueError(
                f"FourierW for {self.n_species} species on a {self.shape[0]}x{self.shape[1]} grid needs a state "
                f"of shape ({expected},), got {y.shape}"
            )

    def factor(self, f: TimeField, t, y: Float[Array, " n"], inv_gamma_h) -> Float[Array, "s s nx ny"]:
        s, points = self.n_species, self.shape[0] * self.shape[1]
        species_ones = jnp.kron(jnp.eye(s), jnp.ones(points))
        columns = jax.vmap(lambda seed: jax.jvp(lambda z: f(t, z), (y,), (seed,))[1])(species_ones)
        mean_local = columns.reshape(s, s, points).mean(axis=2).T  # [i, j]: d f_i / d y_j
        diagonal = inv_gamma_h - self.diffusivities[None, None, :] * self.eigenvalues[:, :, None]
        blocks = jnp.eye(s) * diagonal[..., None] - mean_local
        return jnp.moveaxis(jnp.linalg.inv(blocks), (2, 3), (0, 1))

    def solve(self, factors: Float[Array, "s s nx ny"], rhs: Float[Array, " n"]) -> Float[Array, " n"]:
        spectra = jnp.fft.fft2(rhs.reshape(self.n_species, *self.shape))
        # A sum of products rather than einsum: XLA's CPU backend is slow at 1024 tiny batched matmuls.
        return jnp.real(jnp.fft.ifft2(jnp.sum(factors * spectra[None], axis=1))).ravel()


class SparseW(eqx.Module):
    """``W = I/(gamma h) - J``, ``J`` from one JVP per colour, solved by preconditioned sweeps.

    The Jacobian is stored by (wrapped-around) diagonals, the natural format of a stencil on
    a grid: a product is one shifted copy of the vector per diagonal, with no gathers.
    """

    compressed: Callable[[float, Array], Array] = eqx.field(static=True)  # (t, y) -> (n, n_colours)
    offsets: tuple[int, ...] = eqx.field(static=True)
    entry_colours: Int[Array, "d n"]  # which compressed column holds J[r, r + offset]
    present: Float[Array, "d n"]  # 1 where the diagonal has an entry in row r
    preconditioner: FourierW
    sweeps: int = eqx.field(static=True)

    @classmethod
    def detect(
        cls, f: TimeField, y0, *, preconditioner: FourierW, sweeps: int = 1, t0: float = 0.0,
        pattern: sparse.spmatrix | None = None,
    ) -> SparseW:
        """Colour ``f``'s sparsity pattern (detected at ``y0`` unless given) and store ``J`` by diagonals."""
        _check_sweeps(sweeps)
        jacobian = coloured_jacobian(f, jnp.asarray(y0), t=t0, pattern=pattern)
        csr = sparse.csr_matrix(jacobian.pattern)
        n = csr.shape[0]
        rows = np.repeat(np.arange(n), np.diff(csr.indptr))
        wrapped = (csr.indices - rows) % n
        offsets, diagonal_of_entry = np.unique(wrapped, return_inverse=True)
        if offsets.size * n > 10 * csr.nnz:
            raise ValueError(
                f"SparseW stores J by diagonals; this pattern has {csr.nnz} nonzeros on {offsets.size} diagonals, "
                f"{offsets.size * n / csr.nnz:.0f}x more storage than its entries: use SparseLU with solve_rosenbrock_w"
            )
        entry_colours = np.zeros((offsets.size, n), dtype=np.int64)
        present = np.zeros((offsets.size, n))
        entry_colours[diagonal_of_entry, rows] = jacobian.colours[csr.indices]
        present[diagonal_of_entry, rows] = 1.0
        return cls(jacobian.compressed, tuple(int(o) for o in offsets), jnp.asarray(entry_colours),
                   jnp.asarray(present), preconditioner, sweeps)

    def check(self, y: Array) -> None:
        self.preconditioner.check(y)

    def diagonals(self, t, y: Float[Array, " n"]) -> Float[Array, "d n"]:
        compressed = self.compressed(t, y)
        return compressed[jnp.arange(y.shape[0])[None, :], self.entry_colours] * self.present

    def matvec(self, diagonals: Float[Array, "d n"], x: Float[Array, " n"]) -> Float[Array, " n"]:
        """``J x``: row ``r`` of diagonal ``k`` multiplies ``x[(r + offset_k) mod n]``."""
        n = x.shape[0]
        wrapped = jnp.concatenate([x, x])  # x[(r + o) mod n] = wrapped[r + o] for 0 <= o < n: one slice each
        return sum(diagonals[k] * wrapped[offset : offset + n] for k, offset in enumerate(self.offsets))

    def factor(self, f: TimeField, t, y: Float[Array, " n"], inv_gamma_h):
        return self.diagonals(t, y), inv_gamma_h, self.preconditioner.factor(f, t, y, inv_gamma_h)

    def solve(self, factors, rhs: Float[Array, " n"]) -> Float[Array, " n"]:
        diagonals, inv_gamma_h, preconditioner_factors = factors
        return _corrected_solve(
            self.preconditioner, preconditioner_factors, rhs,
            lambda x: inv_gamma_h * x - self.matvec(diagonals, x), self.sweeps,
        )


class JacobianFreeW(eqx.Module):
    """``W = I/(gamma h) - J`` never formed: products ``J v`` are JVPs of ``f`` at the factorization point.

    Solved like :class:`SparseW`, by the preconditioner and a fixed number of correction
    sweeps; each sweep costs one JVP (about one evaluation of ``f``) instead of a stored matrix.
    """

    f: TimeField = eqx.field(static=True)
    preconditioner: FourierW
    sweeps: int = eqx.field(static=True, default=1)

    def __check_init__(self):
        _check_sweeps(self.sweeps)

    def check(self, y: Array) -> None:
        self.preconditioner.check(y)

    def factor(self, f: TimeField, t, y: Float[Array, " n"], inv_gamma_h):
        return t, y, inv_gamma_h, self.preconditioner.factor(f, t, y, inv_gamma_h)

    def solve(self, factors, rhs: Float[Array, " n"]) -> Float[Array, " n"]:
        t, y, inv_gamma_h, preconditioner_factors = factors

        def product(x):
            return inv_gamma_h * x - jax.jvp(lambda z: self.f(t, z), (y,), (x,))[1]

        return _corrected_solve(self.preconditioner, preconditioner_factors, rhs, product, self.sweeps)


def _check_sweeps(sweeps: int) -> None:
    if sweeps < 0:
        raise ValueError(f"sweeps must be 0 or more, got {sweeps}")


def _corrected_solve(preconditioner, preconditioner_factors, rhs, product, sweeps: int):
    """``P^{-1} r``, then ``sweeps`` corrections ``x += P^{-1}(r - W x)`` with ``W x = product(x)``."""
    x = preconditioner.solve(preconditioner_factors, rhs)
    for _ in range(sweeps):
        x = x + preconditioner.solve(preconditioner_factors, rhs - product(x))
    return x


class _HostFactorizations:
    """The host side of :class:`SuperLUW`: SuperLU factorizations, handed to the compiled loop as integer tokens."""

    def __init__(self, lu: SparseLU):
        self.lu = lu
        self.count = 0
        self.solves: dict[int, Callable] = {}

    def factor(self, values, inv_gamma_h):
        self.lu.set_values(np.asarray(values))
        self.count += 1
        # Only the newest is kept: the loop refactorizes forward and never returns to an old W.
        self.solves = {self.count: self.lu.factor(float(inv_gamma_h))}
        return np.int32(self.count)

    def solve(self, token, rhs):
        return self.solves[int(token)](np.asarray(rhs))


class SuperLUW(eqx.Module):
    """``W = I/(gamma h) - J``, ``J`` from one JVP per colour, factorized by SuperLU on the host.

    The generic choice: it needs no periodic grid, no constant coefficients and no stencil,
    only a sparsity pattern. ``J`` is computed inside the compiled loop; its nonzeros go
    to SciPy's SuperLU (with the fill-reducing ordering of :class:`scimlkit.SparseLU`,
    computed once) through ``jax.pure_callback``, which returns a token naming the
    factorization, and each solve is one more callback.
    """

    compressed: Callable[[float, Array], Array] = eqx.field(static=True)  # (t, y) -> (n, n_colours)
    rows: Int[Array, " nnz"]  # of each stored entry of J, in CSC order
    entry_colours: Int[Array, " nnz"]  # the compressed column that holds it
    host: _HostFactorizations = eqx.field(static=True)

    @classmethod
    def detect(cls, f: TimeField, y0, *, t0: float = 0.0, pattern: sparse.spmatrix | None = None,
               permc_spec: str = "COLAMD") -> SuperLUW:
        """Colour ``f``'s sparsity pattern (detected at ``y0`` unless given); ``permc_spec`` as in SuperLU."""
        jacobian = coloured_jacobian(f, jnp.asarray(y0), t=t0, pattern=pattern)
        entry_colours = np.repeat(jacobian.colours, np.diff(jacobian.pattern.indptr))
        return cls(jacobian.compressed, jnp.asarray(jacobian.pattern.indices), jnp.asarray(entry_colours),
                   _HostFactorizations(SparseLU(jacobian, permc_spec=permc_spec)))

    def check(self, y: Array) -> None:
        n = self.host.lu.jacobian.pattern.shape[0]
        if y.shape != (n,):
            raise ValueError(f"SuperLUW was detected for a state of shape ({n},), got {y.shape}")

    def factor(self, f: TimeField, t, y: Float[Array, " n"], inv_gamma_h):
        values = self.compressed(t, y)[self.rows, self.entry_colours]
        return jax.pure_callback(self.host.factor, jax.ShapeDtypeStruct((), jnp.int32), values, inv_gamma_h)

    def solve(self, factors, rhs: Float[Array, " n"]) -> Float[Array, " n"]:
        return jax.pure_callback(self.host.solve, jax.ShapeDtypeStruct(rhs.shape, rhs.dtype), factors, rhs)


class DenseW(eqx.Module):
    """``W = I/(gamma h) - J`` with the dense AD Jacobian (one JVP per column) and a dense LU."""

    def check(self, y: Array) -> None:
        if y.ndim != 1:
            raise ValueError(f"DenseW needs a flat state vector, got shape {y.shape}")

    def factor(self, f: TimeField, t, y: Float[Array, " n"], inv_gamma_h):
        jacobian = jax.jacfwd(lambda z: f(t, z))(y)
        return jax.scipy.linalg.lu_factor(inv_gamma_h * jnp.eye(y.shape[0]) - jacobian)

    def solve(self, factors, rhs: Float[Array, " n"]) -> Float[Array, " n"]:
        return jax.scipy.linalg.lu_solve(factors, rhs)


CompiledLinearSolve = FourierW | SparseW | JacobianFreeW | SuperLUW | DenseW


@eqx.filter_jit
def _integrate(f, linear_solve, t0, t1, y0, stops, rtol, atol, first_step, max_steps, resize_above):
    """The loop of :func:`solve_rosenbrock_w` (same rules, same order of operations) as one while-loop."""
    tableau = ROS34PW2
    a, c, m, error_weights, times = (np.asarray(tableau[key]) for key in ("a", "c", "m", "error", "times"))
    gamma = tableau["gamma"]
    stages = a.shape[0]

    f0 = f(t0, y0)
    scale = atol + rtol * jnp.abs(y0)
    d0, d1 = jnp.sqrt(jnp.mean((y0 / scale) ** 2)), jnp.sqrt(jnp.mean((f0 / scale) ** 2))
    estimate = jnp.where(jnp.minimum(d0, d1) < 1e-5, 1e-6, 0.01 * d0 / d1)
    h0 = jnp.minimum(jnp.where(jnp.isnan(first_step), estimate, first_step), t1 - t0)
    factors_shape = jax.eval_shape(lambda: linear_solve.factor(f, t0, y0, 1.0 / (gamma * h0)))
    no_factors = jax.tree.map(lambda leaf: jnp.zeros(leaf.shape, leaf.dtype), factors_shape)
    saved = jnp.zeros((stops.shape[0], y0.shape[0]), y0.dtype)
    counts = jnp.zeros(3, dtype=jnp.int32)  # accepted, rejected, factorizations
    state = (t0, y0, f0, h0, jnp.asarray(-1.0), no_factors, jnp.asarray(0), saved, counts)

    def unfinished(state):
        t, counts = state[0], state[-1]
        return (t < t1) & (counts[0] + counts[1] < max_steps)

    def attempt(state):
        t, y, f0, h, factored_for, factors, stop_index, saved, counts = state
        target = stops[stop_index]
        hits_stop = t + h >= target * (1 - 1e-14)
        step = jnp.where(hits_stop, target - t, h)
        last_time = jnp.where(hits_stop, jnp.nextafter(target, -jnp.inf), t + step)
        refactor = (factored_for < 0) | (jnp.abs(step - factored_for) > 1e-10 * factored_for)
        factors = lax.cond(refactor, lambda: linear_solve.factor(f, t, y, 1.0 / (gamma * step)), lambda: factors)
        factored_for = jnp.where(refactor, step, factored_for)

        increments = [linear_solve.solve(factors, f0)]
        for i in range(1, stages):
            stage = y + sum(a[i, j] * increments[j] for j in range(i))
            stage_field = f(jnp.minimum(t + times[i] * step, last_time), stage)
            increments.append(linear_solve.solve(factors, stage_field + sum(c[i, j] * increments[j] for j in range(i)) / step))
        y_new = y + sum(m[j] * increments[j] for j in range(stages))
        norm = _error_norm(sum(error_weights[j] * increments[j] for j in range(stages)), y, y_new, rtol, atol, xp=jnp)
        factor = jnp.where(norm > 0, jnp.minimum(5.0, 0.9 * norm ** (-1.0 / 3.0)), 5.0)
        accepted = norm <= 1.0

        t_new = jnp.where(hits_stop, target, t + step)
        grown = jnp.where(hits_stop, jnp.maximum(h, step * factor), step * factor)
        h_accepted = jnp.where(factor > resize_above, grown, h)
        h_rejected = step * jnp.maximum(0.2, 0.8 * factor)
        f_new = lax.cond(accepted, lambda: f(t_new, y_new), lambda: f0)
        saved = saved.at[stop_index].set(jnp.where(accepted & hits_stop, y_new, saved[stop_index]))
        counts = counts + jnp.stack([accepted, ~accepted, refactor]).astype(jnp.int32)
        return (
            jnp.where(accepted, t_new, t), jnp.where(accepted, y_new, y), f_new,
            jnp.where(accepted, h_accepted, h_rejected), factored_for, factors,
            stop_index + (accepted & hits_stop), saved, counts,
        )

    t, *_, saved, counts = lax.while_loop(unfinished, attempt, state)
    return t, saved, counts


def solve_rosenbrock_w_compiled(
    f: TimeField,
    t_span: tuple[float, float],
    y0,
    *,
    linear_solve: CompiledLinearSolve,
    rtol: float = 1e-6,
    atol: float = 1e-6,
    save_at=None,
    first_step: float | None = None,
    max_steps: int = 100_000,
    resize_above: float = 2.0,
) -> RosenbrockSolution:
    """Integrate ``y' = f(t, y)`` with ROS34PW2, the whole adaptive loop compiled by JAX.

    The method, error norm and step-size rules are those of :func:`solve_rosenbrock_w`,
    which it reproduces step for step given the same matrix. The difference: the
    result holds the state at ``t_span[0]``, at the ``save_at`` times and at
    ``t_span[1]`` only (a compiled loop cannot grow a list of every step), and
    ``linear_solve`` must be one of :class:`FourierW`, :class:`SparseW`, :class:`JacobianFreeW`,
    :class:`SuperLUW` (SuperLU called back on the host) or :class:`DenseW`.
    The first call compiles the loop for this ``f``, ``linear_solve`` and state size;
    later calls with the same ones reuse it.

    >>> from scimlkit.compiled_rosenbrock import DenseW
    >>> solution = sk.solve_rosenbrock_w_compiled(
    ...     lambda t, y: -y, (0.0, 1.0), jnp.ones(2), linear_solve=DenseW(), rtol=1e-8, atol=1e-8
    ... )
    >>> print(round(float(solution.ys[-1, 0]), 6))
    0.367879
    """
    t0, t1 = map(float, t_span)
    stops = _stopping_times(t0, t1, save_at)
    y0 = jnp.asarray(y0, dtype=float)
    linear_solve.check(y0)
    t_reached, saved, counts = _integrate(
        f, linear_solve, jnp.asarray(t0), jnp.asarray(t1), y0, jnp.asarray(stops), jnp.asarray(float(rtol)),
        jnp.asarray(float(atol)), jnp.asarray(np.nan if first_step is None else float(first_step)),
        jnp.asarray(max_steps), float(resize_above),
    )
    steps, rejected, factorizations = (int(count) for count in counts)
    if float(t_reached) < t1:
        raise RuntimeError(
            f"solve_rosenbrock_w_compiled reached max_steps = {max_steps} at t = {float(t_reached):.6g} of {t1}"
        )
    return RosenbrockSolution(
        ts=np.concatenate([[t0], stops]),
        ys=np.concatenate([np.asarray(y0)[None], np.asarray(saved)]),
        n_steps=steps,
        n_rejected=rejected,
        n_evaluations=1 + 3 * (steps + rejected) + steps,
        n_jacobians=factorizations,
        n_factorizations=factorizations,
    )


@eqx.filter_jit
def _integrate_rosenbrock(f, linear_solve, tableau_name, t0, t1, y0, stops, rtol, atol, first_step, max_steps):
    """The loop of :func:`scimlkit.solve_rosenbrock` (same rules, same order of operations) as one while-loop."""
    tableau = _METHODS[tableau_name]
    gamma, a, c, m, error_weights, times, d, reuses = (
        tableau[key] for key in ("gamma", "a", "c", "m", "error", "times", "d", "reuses")
    )
    stages = a.shape[0]

    def time_derivative(t, y):
        return jax.jvp(lambda s: f(s, y), (t,), (jnp.ones_like(t),))[1]

    f0 = f(t0, y0)
    scale = atol + rtol * jnp.abs(y0)
    d0, d1 = jnp.sqrt(jnp.mean((y0 / scale) ** 2)), jnp.sqrt(jnp.mean((f0 / scale) ** 2))
    estimate = jnp.where(jnp.minimum(d0, d1) < 1e-5, 1e-6, 0.01 * d0 / d1)
    h0 = jnp.minimum(jnp.where(jnp.isnan(first_step), estimate, first_step), t1 - t0)
    saved = jnp.zeros((stops.shape[0], y0.shape[0]), y0.dtype)
    counts = jnp.zeros(3, dtype=jnp.int32)  # accepted, rejected, evaluations of f
    state = (t0, y0, f0, h0, jnp.asarray(0), saved, counts)

    def unfinished(state):
        t, counts = state[0], state[-1]
        return (t < t1) & (counts[0] + counts[1] < max_steps)

    def attempt(state):
        t, y, f0, h, stop_index, saved, counts = state
        target = stops[stop_index]
        hits_stop = t + h >= target * (1 - 1e-14)
        step = jnp.where(hits_stop, target - t, h)
        # The Python loop re-uses J after a rejection; recomputing it gives the same matrix.
        factors = linear_solve.factor(f, t, y, 1.0 / (gamma * step))
        dfdt = time_derivative(t, y)
        increments, stage_field = [], f0
        for i in range(stages):
            if i > 0 and not reuses[i]:
                stage_field = f(t + times[i] * step, y + sum(a[i, j] * increments[j] for j in range(i)))
            coupling = sum(c[i, j] * increments[j] for j in range(i)) / step if i > 0 else 0.0
            increments.append(linear_solve.solve(factors, stage_field + step * d[i] * dfdt + coupling))
        y_new = y + sum(m[j] * increments[j] for j in range(stages))
        error = sum(error_weights[j] * increments[j] for j in range(stages) if error_weights[j] != 0.0)
        norm = _error_norm(error, y, y_new, rtol, atol, xp=jnp)
        factor = jnp.where(norm > 0, 0.9 * norm ** (-0.25), 5.0)
        accepted = norm <= 1.0

        t_new = jnp.where(hits_stop, target, t + step)
        h_new = jnp.where(accepted, step * jnp.clip(factor, 0.2, 5.0), step * jnp.clip(factor, 0.2, 1.0))
        f_new = lax.cond(accepted, lambda: f(t_new, y_new), lambda: f0)
        saved = saved.at[stop_index].set(jnp.where(accepted & hits_stop, y_new, saved[stop_index]))
        evaluations = (stages - 1 - sum(reuses)) + accepted
        counts = counts + jnp.stack([accepted, ~accepted, evaluations]).astype(jnp.int32)
        return (
            jnp.where(accepted, t_new, t), jnp.where(accepted, y_new, y), f_new, h_new,
            stop_index + (accepted & hits_stop), saved, counts,
        )

    t, *_, saved, counts = lax.while_loop(unfinished, attempt, state)
    return t, saved, counts


def solve_rosenbrock_compiled(
    f: TimeField,
    t_span: tuple[float, float],
    y0,
    *,
    linear_solve: DenseW,
    rtol: float = 1e-6,
    atol: float = 1e-6,
    save_at=None,
    first_step: float | None = None,
    max_steps: int = 100_000,
    method: str = "rodas4",
) -> RosenbrockSolution:
    """Integrate ``y' = f(t, y)`` with a Rosenbrock method 4(3), the whole adaptive loop compiled by JAX.

    The method (``"rodas4"``, the default, or ``"shampine"``), error norm and step-size
    rules are those of :func:`scimlkit.solve_rosenbrock`, which it reproduces step for step
    given the same ``method``. The defaults differ (RODAS here, for the stiff test set;
    Shampine's method there), so two calls that leave ``method`` out solve with different
    methods and agree only to within the tolerance (at ``rtol = atol = 0.05`` on
    ``y' = -y + sin t``, by 0.016). Like :func:`solve_rosenbrock_w_compiled` it returns the state at ``t_span[0]``, at the
    ``save_at`` times and at ``t_span[1]`` only. A Rosenbrock method needs the exact
    Jacobian at every step, so ``linear_solve`` is :class:`DenseW` (the dense AD Jacobian
    and a dense LU, both new every step): the right tool for a few dozen unknowns.
    ``n_jacobians`` and ``n_factorizations`` count every attempted step (the Python loop
    keeps the Jacobian after a rejected step; here it is recomputed, to the same value).

    >>> from scimlkit.compiled_rosenbrock import DenseW
    >>> solution = sk.solve_rosenbrock_compiled(
    ...     lambda t, y: -y, (0.0, 1.0), jnp.ones(2), linear_solve=DenseW(), rtol=1e-8, atol=1e-8
    ... )
    >>> print(round(float(solution.ys[-1, 0]), 6))
    0.367879
    """
    if method not in _METHODS:
        raise ValueError(f"method must be one of {sorted(_METHODS)}, got {method!r}")
    t0, t1 = map(float, t_span)
    stops = _stopping_times(t0, t1, save_at)
    y0 = jnp.asarray(y0, dtype=float)
    linear_solve.check(y0)
    t_reached, saved, counts = _integrate_rosenbrock(
        f, linear_solve, method, jnp.asarray(t0), jnp.asarray(t1), y0, jnp.asarray(stops), jnp.asarray(float(rtol)),
        jnp.asarray(float(atol)), jnp.asarray(np.nan if first_step is None else float(first_step)), jnp.asarray(max_steps),
    )
    steps, rejected, evaluations = (int(count) for count in counts)
    if float(t_reached) < t1:
        raise RuntimeError(
            f"solve_rosenbrock_compiled reached max_steps = {max_steps} at t = {float(t_reached):.6g} of {t1}"
        )
    return RosenbrockSolution(
        ts=np.concatenate([[t0], stops]),
        ys=np.concatenate([np.asarray(y0)[None], np.asarray(saved)]),
        n_steps=steps,
        n_rejected=rejected,
        n_evaluations=1 + evaluations,
        n_jacobians=steps + rejected,
        n_factorizations=steps + rejected,
    )
