"""One switch for the ways of differentiating a loss through an ODE solve.

A fit needs ``dL/dp`` where ``L`` depends on ``p`` through the solution ``y(t; p)`` of
``y' = f(t, y, p)``. The methods compared in the course (Ma et al. 2021 benchmark them
at scale):

============================ =================================================================
``"finite_differences"``     central differences, two extra solves per parameter
``"forward_sensitivities"``  solve the sensitivity equations ``S' = (df/dy) S + df/dp`` beside
                             the state (continuous forward mode: optimise-then-discretise)
``"forward_mode"``           forward-mode AD through the solver (``diffrax.ForwardMode``)
``"checkpointed"``           reverse-mode AD through the solver with recursive checkpointing
                             (``diffrax.RecursiveCheckpointAdjoint``: discretise-then-optimise,
                             diffrax's default)
``"direct"``                 reverse mode through a loop that forward mode can also go through
                             (``diffrax.DirectAdjoint``: nested checkpointed scans sized by
                             ``max_steps``, see below)
``"backsolve"``              the continuous adjoint solved backwards in time
                             (``diffrax.BacksolveAdjoint``: optimise-then-discretise)
============================ =================================================================

``"direct"`` does not store every step. diffrax runs its loop as equinox's
``bounded_while_loop``: nested ``jax.lax.scan`` loops of 16 iterations each, as many levels as
it takes to reach ``max_steps`` (three for the default 4096), with ``jax.checkpoint``
around every level but the innermost and a ``lax.cond`` in each iteration that skips the
slots after the solve has ended. Its memory grows with the number of levels, the
logarithm of ``max_steps``, not with the steps taken; the checkpointed default keeps up to
about ``sqrt(2 * max_steps)`` checkpoints, so at a large ``max_steps`` ``"direct"`` can
plan less memory than it. Its cost, which diffrax documents as higher than the default's
and which grows with ``max_steps``: the backward pass re-runs the forward solve once per
checkpointed level (counted on lecture 16's Lotka-Volterra loss: the vector field is
evaluated three times as often as in the plain solve at ``max_steps=4096``, four times at
65536), and every step passes through the loop machinery of every level.

:func:`loss_gradient` computes the value and gradient of
``loss(trajectory)`` by any of them, so they can be compared on one problem.
"""

from __future__ import annotations

from typing import Any, Callable, Literal, get_args

import diffrax
import equinox as eqx
import jax
import jax.numpy as jnp
from jax.flatten_util import ravel_pytree
from jaxtyping import Array, ArrayLike, Float, PyTree

GradientMethod = Literal[
    "finite_differences", "forward_sensitivities", "forward_mode", "checkpointed", "direct", "backsolve"
]
#: The ``method=`` names :func:`loss_gradient` accepts, one per way of differentiating a solve.
GRADIENT_METHODS: tuple[str, ...] = get_args(GradientMethod)
VectorField = Callable[[Any, Array, Any], Array]
TrajectoryLoss = Callable[[Float[Array, "m n"]], Float[Array, ""]]

_ADJOINTS: dict[str, Callable[[], diffrax.AbstractAdjoint]] = {
    "forward_mode": diffrax.ForwardMode,
    "checkpointed": diffrax.RecursiveCheckpointAdjoint,
    "direct": diffrax.DirectAdjoint,
    "backsolve": diffrax.BacksolveAdjoint,
}


def diffrax_adjoint(method: str) -> diffrax.AbstractAdjoint:
    """The ``diffrax`` adjoint that implements ``method``, for ``diffeqsolve(..., adjoint=...)``.

    >>> from scimlkit.gradients import diffrax_adjoint

    >>> type(diffrax_adjoint("backsolve")).__name__
    'BacksolveAdjoint'
    """
    if method not in _ADJOINTS:
        raise ValueError(
            f"{method!r} has no diffrax adjoint; the ones that do are {sorted(_ADJOINTS)} "
            f"(all gradient methods: {', '.join(GRADIENT_METHODS)})"
        )
    return _ADJOINTS[method]()


def trajectory(
    vector_field: VectorField,
    ts: Float[ArrayLike, " m"],
    y0: Float[ArrayLike, " n"],
    params: PyTree,
    *,
    adjoint: diffrax.AbstractAdjoint | None = None,
    solver: diffrax.AbstractSolver | None = None,
    rtol: float | Float[ArrayLike, ""] = 1e-8,
    atol: float | Float[ArrayLike, ""] = 1e-8,
    max_steps: int = 4096,
) -> Float[Array, "m n"]:
    """The solution of ``y' = vector_field(t, y, params)`` at ``ts``, from ``y(ts[0]) = y0``."""
    ts = jnp.asarray(ts)
    return diffrax.diffeqsolve(
        diffrax.ODETerm(vector_field),
        solver if solver is not None else diffrax.Tsit5(),
        t0=ts[0],
        t1=ts[-1],
        dt0=None,
        y0=jnp.asarray(y0),
        args=params,
        saveat=diffrax.SaveAt(ts=ts),
        stepsize_controller=diffrax.PIDController(rtol=rtol, atol=atol),
        adjoint=adjoint if adjoint is not None else diffrax.RecursiveCheckpointAdjoint(),
        max_steps=max_steps,
    ).ys


def loss_gradient(
    loss: TrajectoryLoss,
    vector_field: VectorField,
    ts: Float[ArrayLike, " m"],
    y0: Float[ArrayLike, " n"],
    params: PyTree,
    *,
    method: GradientMethod = "checkpointed",
    step: float = 1e-6,
    **solve_options: Any,
) -> tuple[Float[Array, ""], PyTree]:
    """``(loss(y), dloss/dparams)`` for the trajectory ``y`` at ``ts``, by ``method``.

    ``params`` may be any pytree (a parameter vector, an equinox model); the gradient
    has the structure of its floating-point arrays (``equinox.partition``). ``step`` is the relative finite-difference step, used
    only by ``"finite_differences"``. ``solve_options`` (``solver``, ``rtol``, ``atol``,
    ``max_steps``) go to :func:`trajectory`.
    """
    if method not in GRADIENT_METHODS:
        raise ValueError(f"unknown gradient method {method!r}; choose one of {', '.join(GRADIENT_METHODS)}")
    # Differentiate the floating-point arrays only (a model's activation functions and
    # other static parts ride along unchanged); the gradient keeps the full structure.
    arrays, static = eqx.partition(params, eqx.is_inexact_array)
    flat, unravel_arrays = ravel_pytree(arrays)

    def unravel(flat_params):
        return eqx.combine(unravel_arrays(flat_params), static)

    if method == "finite_differences":
        value, gradient = _finite_differences(loss, vector_field, ts, y0, flat, unravel, step, solve_options)
    elif method == "forward_sensitivities":
        value, gradient = _forward_sensitivities(loss, vector_field, ts, y0, flat, unravel, solve_options)
    else:
        adjoint = diffrax_adjoint(method)

        def objective(flat_params):
            return loss(trajectory(vector_field, ts, y0, unravel(flat_params), adjoint=adjoint, **solve_options))

        if method == "forward_mode":
            value, gradient = objective(flat), jax.jacfwd(objective)(flat)
        else:
            value, gradient = jax.value_and_grad(objective)(flat)
    return value, unravel_arrays(gradient)


def _finite_differences(loss, vector_field, ts, y0, flat, unravel, step, solve_options):
    def objective(flat_params):
        return loss(trajectory(vector_field, ts, y0, unravel(flat_params), **solve_options))

    # A relative step, floored at the absolute one for parameters near zero.
    steps = step * jnp.maximum(jnp.abs(flat), 1.0)
    directions = jnp.diag(steps)
    plus = jax.vmap(lambda d: objective(flat + d))(directions)
    minus = jax.vmap(lambda d: objective(flat - d))(directions)
    return objective(flat), (plus - minus) / (2 * steps)


def _forward_sensitivities(loss, vector_field, ts, y0, flat, unravel, solve_options):
    y0 = jnp.asarray(y0)
    n, n_params = y0.shape[0], flat.shape[0]

    def augmented(t, state, flat_params):
        y, sensitivity = state
        p = unravel(flat_params)
        f_y = jax.jacfwd(vector_field, argnums=1)(t, y, p)
        f_p = jax.jacfwd(lambda q: vector_field(t, y, unravel(q)))(flat_params)
        return vector_field(t, y, p), f_y @ sensitivity + f_p

    ts = jnp.asarray(ts)
    solution = diffrax.diffeqsolve(
        diffrax.ODETerm(augmented),
        solve_options.get("solver") or diffrax.Tsit5(),
        t0=ts[0],
        t1=ts[-1],
        dt0=None,
        y0=(y0, jnp.zeros((n, n_params), dtype=y0.dtype)),
        args=flat,
        saveat=diffrax.SaveAt(ts=ts),
        stepsize_controller=diffrax.PIDController(
            rtol=solve_options.get("rtol", 1e-8), atol=solve_options.get("atol", 1e-8)
        ),
        max_steps=solve_options.get("max_steps", 4096),
    )
    ys, sensitivities = solution.ys
    value, loss_wrt_ys = jax.value_and_grad(loss)(ys)
    # dL/dp = sum over saved times of dL/dy(t_i) . S(t_i)
    return value, jnp.einsum("mn,mnp->p", loss_wrt_ys, sensitivities)
