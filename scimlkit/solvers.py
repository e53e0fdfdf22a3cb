"""The general solve wrappers around ``diffrax.diffeqsolve``: :func:`solve` and :func:`integrate`.

Both save at the times ``ts``, start with Tsit5 and an adaptive PID step, and let the
caller swap the solver; the numerical side and the learning side import them from here.
They keep two sets of defaults because they answer two different questions:

==================  ==============  ==============  ================================
function            ``rtol``        ``atol``        ``max_steps``
==================  ==============  ==============  ================================
:func:`solve`       ``1e-8``        ``1e-8``        ``100_000``
:func:`integrate`   ``1e-6``        ``1e-6``        ``4096``
==================  ==============  ==============  ================================

- :func:`solve` solves a *problem* (:class:`~scimlkit.ODEProblem`, its parameters
  or replacements for them): reference trajectories, the synthetic data a fit learns
  from, and the parameter fits of :mod:`scimlkit.estimation`, where the solution is
  compared with data. Tolerances a hundred times tighter than a model's keep the
  solver's own error out of what those comparisons measure, and the cap of 100,000
  steps leaves room for a stiff problem given an implicit solver.
- :func:`integrate` is the forward pass of a *model* (neural, universal and augmented
  ODEs, SINDy's rollouts, shooting segments) and of each member of an ensemble: it is
  run, and differentiated, at every training step or for every member, so it trades
  accuracy for speed at ``1e-6``, and its cap is diffrax's own default, 4096 steps.

Lectures' outputs depend on these values, so they are fixed here, not per call site.
"""

from __future__ import annotations

from typing import Any, Callable

import diffrax
import jax.numpy as jnp
from jaxtyping import Array, ArrayLike, Float, PyTree

from .problems import ODEProblem

#: :func:`solve`'s tolerances and step cap: reference trajectories (see above).
REFERENCE_RTOL = 1e-8
REFERENCE_ATOL = 1e-8
REFERENCE_MAX_STEPS = 100_000
#: :func:`integrate`'s tolerances and step cap: a model's forward pass in training.
MODEL_RTOL = 1e-6
MODEL_ATOL = 1e-6
MODEL_MAX_STEPS = 4096


def solve(
    problem: ODEProblem,
    ts: Float[ArrayLike, " m"],
    params: PyTree | None = None,
    *,
    y0: Float[ArrayLike, " n"] | None = None,
    solver: diffrax.AbstractSolver | None = None,
    rtol: float = REFERENCE_RTOL,
    atol: float = REFERENCE_ATOL,
    max_steps: int = REFERENCE_MAX_STEPS,
    adjoint: diffrax.AbstractAdjoint | None = None,
) -> Float[Array, "m n"]:
    """Solve ``problem`` and return its state at the times ``ts`` (one row per time).

    ``params`` and ``y0`` replace the problem's own values, which is how a fit
    differentiates the solution with respect to them. The default solver is Tsit5 with
    an adaptive step at :data:`REFERENCE_RTOL` and :data:`REFERENCE_ATOL`; pass an implicit solver such as ``diffrax.Kvaerno5()`` for stiff
    problems. ``adjoint=diffrax.ForwardMode()`` allows forward-mode differentiation
    (``jax.jvp``, ``jax.jacfwd``), which the default reverse-mode adjoint does not.

    >>> problem = sk.logistic_growth()
    >>> ts = jnp.linspace(0.0, 12.0, 5)
    >>> ys = sk.solve(problem, ts)
    >>> exact = sk.logistic_growth_exact(ts, r=0.8, K=10.0, u0=0.5)
    >>> print(float(jnp.max(jnp.abs(ys[:, 0] - exact))) < 1e-6)
    True
    """
    ts = jnp.asarray(ts)
    solution = diffrax.diffeqsolve(
        diffrax.ODETerm(problem.vector_field),
        solver if solver is not None else diffrax.Tsit5(),
        t0=problem.t_span[0],
        t1=ts[-1],
        dt0=None,
        y0=jnp.asarray(problem.y0 if y0 is None else y0),
        args=problem.params if params is None else params,
        saveat=diffrax.SaveAt(ts=ts),
        stepsize_controller=diffrax.PIDController(rtol=rtol, atol=atol),
        max_steps=max_steps,
        adjoint=adjoint if adjoint is not None else diffrax.RecursiveCheckpointAdjoint(),
    )
    return solution.ys


def integrate(
    vector_field: Callable[[Any, Array, Any], Array],
    ts: Float[ArrayLike, " m"],
    y0: Float[ArrayLike, " n"],
    args: Any = None,
    *,
    solver: diffrax.AbstractSolver | None = None,
    rtol: float | Float[ArrayLike, ""] | None = MODEL_RTOL,
    atol: float | Float[ArrayLike, ""] = MODEL_ATOL,
    dt0: float | None = None,
    max_steps: int = MODEL_MAX_STEPS,
) -> diffrax.Solution:
    """Solve ``y' = vector_field(t, y, args)`` from ``ts[0]`` and save at every ``ts``.

    The solve inside the learning side's models (neural, universal and augmented ODEs,
    SINDy's rollouts, shooting segments) and the ensembles; its defaults are
    :data:`MODEL_RTOL`, :data:`MODEL_ATOL` and :data:`MODEL_MAX_STEPS`. ``dt0=None`` with an adaptive solver leaves the
    first step to diffrax (in diffrax 0.7.2 always 0.01: ``diffeqsolve`` wraps the term
    before its initial-step estimate, which then falls back to that value); giving
    ``rtol=None`` instead selects a constant step of ``dt0`` (useful when every sample of
    a batch should cost the same). Tolerances given as Python floats are compiled into the
    solver; as JAX arrays they are traced, so solves at several tolerances share one
    compilation.
    """
    ts = jnp.asarray(ts)
    if rtol is None:
        if dt0 is None:
            raise ValueError("a constant step (rtol=None) needs dt0")
        controller: diffrax.AbstractStepSizeController = diffrax.ConstantStepSize()
    else:
        controller = diffrax.PIDController(rtol=rtol, atol=atol)
    return diffrax.diffeqsolve(
        diffrax.ODETerm(vector_field),
        solver if solver is not None else diffrax.Tsit5(),
        t0=ts[0],
        t1=ts[-1],
        dt0=dt0,
        y0=jnp.asarray(y0),
        args=args,
        saveat=diffrax.SaveAt(ts=ts),
        stepsize_controller=controller,
        max_steps=max_steps,
    )
