"""Events and discontinuities on top of diffrax's event API.

An *event* is a moment the solver has to find, because the model changes there: a ball
touches the floor and its velocity flips, a drug dose is added to a compartment. Two
kinds occur:

- **state events**, at an unknown time where a condition ``g(t, y) = 0`` is crossed.
  :func:`solve_to_event` stops a solve there (``diffrax.Event`` with a Newton root
  finder, so the time is exact to the root tolerance and differentiable through the
  implicit function theorem); :func:`repeated_events` chains such solves with a reset
  map in a ``lax.scan``, so ``n`` events cost one compilation.
- **time events**, at known times (a dosing schedule). :func:`solve_with_doses` stops at
  each dose, adds it, and restarts.
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

import diffrax
import jax
import jax.numpy as jnp
import optimistix as optx
from jaxtyping import Array, ArrayLike, Float

VectorField = Callable[[Any, Array, Any], Array]
Condition = Callable[[Any, Array, Any], Array]
Reset = Callable[[Array, Any], Array]


class EventHit(NamedTuple):
    """Where a solve stopped: ``time``, ``state`` there, and whether the event ``triggered``."""

    time: Float[Array, "..."]
    state: Float[Array, "... n"]
    triggered: Array


def solve_to_event(
    vector_field: VectorField,
    y0: Float[ArrayLike, " n"],
    args: Any,
    *,
    condition: Condition,
    t0: float | Float[ArrayLike, ""] = 0.0,
    t_max: float = 100.0,
    direction: bool | None = None,
    solver: diffrax.AbstractSolver | None = None,
    rtol: float = 1e-10,
    atol: float = 1e-10,
    root_tol: float = 1e-12,
    max_steps: int = 4096,
) -> EventHit:
    """Solve ``y' = vector_field(t, y, args)`` from ``t0`` until ``condition`` crosses zero.

    ``direction=False`` only counts downward crossings (a height falling through 0),
    ``True`` only upward ones, ``None`` both. The event time is the root of
    ``condition(t, y(t), args)`` found by Newton's method on the solver's dense output,
    to ``root_tol``. If no crossing happens before ``t_max`` the solve ends there and
    ``triggered`` is ``False``.
    """
    event = diffrax.Event(
        lambda t, y, args, **kwargs: condition(t, y, args),
        root_finder=optx.Newton(rtol=root_tol, atol=root_tol),
        direction=direction,
    )
    solution = diffrax.diffeqsolve(
        diffrax.ODETerm(vector_field),
        solver if solver is not None else diffrax.Tsit5(),
        t0=t0,
        t1=t_max,
        dt0=None,
        y0=jnp.asarray(y0),
        args=args,
        saveat=diffrax.SaveAt(t1=True),
        stepsize_controller=diffrax.PIDController(rtol=rtol, atol=atol),
        event=event,
        max_steps=max_steps,
    )
    return EventHit(time=solution.ts[-1], state=solution.ys[-1], triggered=solution.event_mask)


def repeated_events(
    vector_field: VectorField,
    y0: Float[ArrayLike, " n"],
    args: Any,
    *,
    condition: Condition,
    reset: Reset,
    n_events: int,
    **solve_options: Any,
) -> EventHit:
    """The first ``n_events`` events of a hybrid system, each followed by ``reset``.

    After each event at ``(t_k, y_k)`` the solve restarts from ``(t_k, reset(y_k, args))``.
    Returns the event times (shape ``(n_events,)``) and the states just *before* each
    reset; ``triggered[k]`` is ``False`` where the ``k``-th event did not happen before
    ``t_max``. The events run in a ``lax.scan``, so their number does not add
    compilations. ``solve_options`` go to :func:`solve_to_event`.
    """
    if n_events < 1:
        raise ValueError(f"n_events must be at least 1, got {n_events}")
    if "t0" in solve_options:
        raise ValueError("repeated_events starts at t0 = 0; shift time in the vector field if needed")

    def one_event(carry, _):
        t_start, y_start = carry
        hit = solve_to_event(vector_field, y_start, args, condition=condition, t0=t_start, **solve_options)
        return (hit.time, reset(hit.state, args)), hit

    initial = (jnp.asarray(0.0, dtype=jnp.result_type(float)), jnp.asarray(y0))
    _, hits = jax.lax.scan(one_event, initial, None, length=n_events)
    return hits


# The bouncing ball: height x and velocity v, x' = v, v' = -g, and at x = 0 the velocity
# flips and shrinks by the coefficient of restitution e.


def falling(t, y: Float[Array, " 2"], args) -> Float[Array, " 2"]:
    """Free fall, ``(x, v)' = (v, -g)`` with ``args = {"gravity": g, ...}``."""
    return jnp.stack([y[1], -args["gravity"] * jnp.ones_like(y[1])])


def height(t, y: Float[Array, " 2"], args) -> Array:
    """The ball's height: the condition whose downward zero crossings are impacts."""
    return y[0]


def bounce(y: Float[Array, " 2"], args) -> Float[Array, " 2"]:
    """An impact: on the floor (height exactly 0), velocity ``v -> -e v``."""
    return jnp.stack([jnp.zeros_like(y[0]), -args["restitution"] * y[1]])


def bouncing_ball_impacts(
    drop_height: float | Float[ArrayLike, ""],
    *,
    gravity: float = 9.81,
    restitution: float = 0.8,
    n_impacts: int = 5,
    **solve_options: Any,
) -> EventHit:
    """The first ``n_impacts`` impacts of a ball dropped from rest at ``drop_height``."""
    args = {"gravity": jnp.asarray(gravity), "restitution": jnp.asarray(restitution)}
    y0 = jnp.stack([jnp.asarray(drop_height, dtype=jnp.result_type(float)), jnp.asarray(0.0)])
    return repeated_events(
        falling, y0, args, condition=height, reset=bounce, n_events=n_impacts, direction=False, **solve_options
    )


def bouncing_ball_impact_times_exact(
    drop_height: float | Float[ArrayLike, ""],
    *,
    gravity: float = 9.81,
    restitution: float = 0.8,
    n_impacts: int = 5,
) -> Float[Array, " k"]:
    """Closed-form impact times of the bouncing ball.

    The first impact is at ``t_1 = sqrt(2 h / g)`` with speed ``v_1 = g t_1``; after the
    ``j``-th impact the ball leaves with ``e^j v_1`` and is back after ``2 e^j v_1 / g``,
    so ``t_k = t_1 (1 + 2 (e + e^2 + ... + e^(k-1)))``.

    >>> times = sk.bouncing_ball_impact_times_exact(1.0, n_impacts=3)
    >>> print([round(float(t), 3) for t in times])
    [0.452, 1.174, 1.752]
    """
    if not 0.0 <= restitution < 1.0:
        raise ValueError(f"restitution must be in [0, 1), got {restitution}")
    first = jnp.sqrt(2.0 * jnp.asarray(drop_height) / gravity)
    powers = restitution ** jnp.arange(1, n_impacts)
    return first * jnp.concatenate([jnp.ones(1), 1.0 + 2.0 * jnp.cumsum(powers)])


def solve_with_doses(
    vector_field: VectorField,
    y0: Float[ArrayLike, " n"],
    args: Any,
    *,
    ts: Float[ArrayLike, " m"],
    dose_times: Float[ArrayLike, " k"],
    dose: Float[ArrayLike, " n"],
    solver: diffrax.AbstractSolver | None = None,
    rtol: float = 1e-8,
    atol: float = 1e-8,
    max_steps: int = 4096,
) -> Float[Array, "m n"]:
    """Solve with ``dose`` added to the state at each of ``dose_times`` (time events).

    Between doses the state follows the ODE; at a dose time the solve stops, the dose is
    added, and a new solve starts, so the solver never steps across the jump. The state
    at a dose time is the one *after* the dose. ``ts`` must start at or after ``ts[0]``,
    the initial time, and ``dose_times`` must be increasing and inside ``[ts[0], ts[-1]]``.
    """
    ts = jnp.asarray(ts)
    dose_times = jnp.asarray(dose_times)
    dose = jnp.asarray(dose)
    if dose_times.ndim != 1 or dose_times.size == 0:
        raise ValueError(f"dose_times must be a non-empty 1-D array, got shape {dose_times.shape}")
    # Segment k runs from boundary k to boundary k + 1; the last ends at ts[-1].
    boundaries = jnp.concatenate([ts[:1], dose_times, ts[-1:]])
    term = diffrax.ODETerm(vector_field)
    solver = solver if solver is not None else diffrax.Tsit5()

    def segment(state, bounds):
        start, end, index = bounds
        # A dose at the very start (index 0 of a dose at ts[0]) is handled by the first reset.
        solution = diffrax.diffeqsolve(
            term,
            solver,
            t0=start,
            t1=jnp.maximum(end, start + 1e-12),
            dt0=None,
            y0=state,
            args=args,
            saveat=diffrax.SaveAt(t1=True, dense=True),
            stepsize_controller=diffrax.PIDController(rtol=rtol, atol=atol),
            max_steps=max_steps,
        )
        inside = (ts >= start) & ((ts < end) | (index == boundaries.size - 2))
        values = jax.vmap(solution.evaluate)(jnp.clip(ts, start, end))
        return solution.ys[-1] + dose, jnp.where(inside[:, None], values, 0.0)

    segments = jnp.arange(boundaries.size - 1)
    _, pieces = jax.lax.scan(segment, jnp.asarray(y0), (boundaries[:-1], boundaries[1:], segments))
    return pieces.sum(axis=0)


def one_compartment(t, y: Float[Array, " 1"], args) -> Float[Array, " 1"]:
    """First-order elimination of a drug, ``c' = -k c`` with ``args = {"elimination": k}``."""
    return -args["elimination"] * y


def one_compartment_exact(
    ts: Float[ArrayLike, " m"],
    *,
    dose_times: Float[ArrayLike, " k"],
    dose: float,
    elimination: float,
    c0: float = 0.0,
) -> Float[Array, " m"]:
    """Closed form for :func:`one_compartment` with bolus doses: a sum of decaying exponentials."""
    ts = jnp.asarray(ts)[:, None]
    dose_times = jnp.asarray(dose_times)[None, :]
    since = ts - dose_times
    doses = jnp.where(since >= 0, dose * jnp.exp(-elimination * jnp.maximum(since, 0.0)), 0.0)
    return c0 * jnp.exp(-elimination * ts[:, 0]) + doses.sum(axis=1)
