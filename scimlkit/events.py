"""Events and discontinuities on top of diffrax's event API.

An *event* is a moment the solver has to find, because the model changes there: a ball
touches the floor and its velocity flips, a drug dose is added to a compartment. Two
kinds occur:

- **state events**, at an unknown time where a condition ``g(t, y) = 0`` is crossed.
  :func:`solve_to_event` stops a solve there (``diffrax.Event`` with a Newton root
  finder, so the time is exact to the root tolerance and differentiable through the
  implicit function theorem); :func:`repeated_events` chains such solves with a reset
  map in a ``lax.scan``: the solve is traced once, so the program does not grow with the
  number of events (a new number is still a new scan length, compiled again).
- **time events**, at known times (a dosing schedule). :func:`solve_with_doses` stops at
  each dose, adds it, and restarts.
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

import diffrax
import equinox as eqx
import jax
import jax.numpy as jnp
import optimistix as optx
from jaxtyping import Array, ArrayLike, Float

VectorField = Callable[[Any, Array, Any], Array]
Condition = Callable[[Any, Array, Any], Array]
Reset = Callable[[Array, Any], Array]
FirstStep = Callable[[Any, Array, Any], Array]


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
    dt0: float | Float[ArrayLike, ""] | None = None,
    dtmax: float | None = None,
) -> EventHit:
    """Solve ``y' = vector_field(t, y, args)`` from ``t0`` until ``condition`` crosses zero.

    ``direction=False`` only counts downward crossings (a height falling through 0),
    ``True`` only upward ones, ``None`` both. Diffrax compares the signs of the condition
    at the ends of each step, so with ``None`` (or ``True``) a solve that starts *on* the
    zero and leaves it counts leaving as a crossing, at ``t0`` itself. The event time is the root of
    ``condition(t, y(t), args)`` found by Newton's method on the solver's dense output,
    to ``root_tol``. If no crossing happens before ``t_max`` the solve ends there and
    ``triggered`` is ``False``.

    A crossing is seen only where ``condition`` changes sign between the ends of a step,
    so two crossings inside one step (up and back down) are invisible. This matters when
    a solve starts *on* the zero, as after a reset: with ``dt0=None`` diffrax 0.7 takes a
    first step of 0.01 time units whatever the problem (its initial-step heuristic only
    runs for a bare ``ODETerm``, and ``diffeqsolve`` wraps the term first), so an
    excursion shorter than that is stepped over. Pass ``dt0`` (a first step that ends
    inside the excursion) or ``dtmax`` where excursions can be short.
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
        dt0=dt0,
        y0=jnp.asarray(y0),
        args=args,
        saveat=diffrax.SaveAt(t1=True),
        stepsize_controller=diffrax.PIDController(rtol=rtol, atol=atol, dtmax=dtmax),
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
    first_step: FirstStep | None = None,
    **solve_options: Any,
) -> EventHit:
    """The first ``n_events`` events of a hybrid system, each followed by ``reset``.

    After each event at ``(t_k, y_k)`` the solve restarts from ``(t_k, reset(y_k, args))``.
    Returns the event times (shape ``(n_events,)``) and the states just *before* each
    reset; ``triggered[k]`` is ``False`` where the ``k``-th event did not happen before
    ``t_max``. From the first such ``k`` on nothing is reset: every later entry is the
    end of that solve (time ``t_max``, not triggered), never a state made up by resetting
    a state that was not at an event. The events run in a ``lax.scan``, so the program
    does not grow with their number (each new ``n_events`` is compiled again, at the same
    size). ``solve_options`` go to :func:`solve_to_event`.

    Each restart begins on the event's zero, where an excursion that fits inside the
    solver's first step is missed (see :func:`solve_to_event`). ``first_step(t, y, args)``,
    if given, sets that step from the restart state, e.g. to part of a flight time known
    from the state.

    Starting on the zero has a second trap: with ``direction=None`` (the default of
    :func:`solve_to_event`), or with the direction in which the reset leaves the zero,
    diffrax counts leaving the zero as a crossing and "finds" an event at the restart time
    itself, with ``triggered`` true. Such an event is never real, so it raises an error:
    pass the ``direction`` of the crossings you want (``False`` for a height falling
    through the floor).
    """
    if n_events < 1:
        raise ValueError(f"n_events must be at least 1, got {n_events}")
    if "t0" in solve_options:
        raise ValueError("repeated_events starts at t0 = 0; shift time in the vector field if needed")
    if first_step is not None and solve_options.get("dt0") is not None:
        raise ValueError("give either first_step or dt0, not both")

    def one_event(carry, _):
        t_start, y_start = carry
        options = dict(solve_options)
        if first_step is not None:
            options["dt0"] = first_step(t_start, y_start, args)
        hit = solve_to_event(vector_field, y_start, args, condition=condition, t0=t_start, **options)
        time = eqx.error_if(
            hit.time, hit.triggered & (hit.time <= t_start),
            "repeated_events: an event at the time the solve started; the state sits on the zero of "
            "the condition and leaving it was counted as a crossing. Pass direction (e.g. "
            "direction=False for downward crossings) so that leaving the zero is not one",
        )
        hit = hit._replace(time=time)
        restart = jnp.where(hit.triggered, reset(hit.state, args), hit.state)
        return (hit.time, restart), hit

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


def _half_flight(t, y: Float[Array, " 2"], args) -> Array:
    """Half the free-fall time from ``(x, v)`` down to the floor, ``(v + sqrt(v^2 + 2 g x)) / (2 g)``.

    From a bounce (``x = 0``, ``v > 0``) that is ``v / g``, the apex, where the height is
    at its largest: a first step of this length ends above the floor, so the descent
    through it is a sign change the solver sees. The gradient is stopped: it is a step
    size, not part of the answer.
    """
    x, v = jax.lax.stop_gradient(y[0]), jax.lax.stop_gradient(y[1])
    g = args["gravity"]
    flight = (v + jnp.sqrt(v**2 + 2.0 * g * jnp.maximum(x, 0.0))) / g
    # A ball at rest on the floor has no flight; any positive step will do there.
    return jnp.where(flight > 0.0, flight / 2.0, 0.01)


def bouncing_ball_impacts(
    drop_height: float | Float[ArrayLike, ""],
    *,
    gravity: float = 9.81,
    restitution: float = 0.8,
    n_impacts: int = 5,
    **solve_options: Any,
) -> EventHit:
    """The first ``n_impacts`` impacts of a ball dropped from rest at ``drop_height``.

    Each flight starts with a step to its apex (``_half_flight``), so no flight is
    stepped over for being shorter than a first step. The flights shrink geometrically
    towards the accumulation time (Zeno behaviour), so a long enough run loses them
    anyway. Rather than return wrong impacts, it raises an error when a solve ends below
    the floor without an impact, or when a flight comes back to the floor at a speed that
    differs from the one it left with, ``e |v_k|``, by more than ``100 sqrt(eps)``
    relative (``1.5e-6`` in float64). For ``e = 0.8`` dropped from 1 m that first happens
    at the 89th impact, where a flight lasts about 3e-9 s, and it is the root finder's
    tolerance (``root_tol = 1e-12`` relative, about 4e-12 s near t = 4 s) that sets it,
    not yet float64's time resolution (about 9e-16 s there): ``root_tol = 1e-14`` moves
    it to about the 101st impact; below that Newton's method stops converging.
    """
    args = {"gravity": jnp.asarray(gravity), "restitution": jnp.asarray(restitution)}
    y0 = jnp.stack([jnp.asarray(drop_height, dtype=jnp.result_type(float)), jnp.asarray(0.0)])
    hits = repeated_events(
        falling, y0, args, condition=height, reset=bounce, n_events=n_impacts, direction=False,
        first_step=_half_flight, **solve_options,
    )
    # Two checks that need no closed form. A solve that ends below the floor without an
    # impact stepped across one. And in free flight the ball comes back to the floor at the
    # speed it left with, e |v_k|; once flights are only a few thousand root tolerances
    # long near the accumulation time, the located impact times lose that.
    # (With e = 0 the ball leaves at speed 0 and stays down: no impact follows, none missed.)
    speeds = jnp.abs(hits.state[..., 1])
    launched = jnp.asarray(restitution) * speeds[..., :-1]
    left_the_floor = jnp.concatenate([jnp.ones_like(speeds[..., :1], dtype=bool), launched > 0.0], axis=-1)
    stepped_over = jnp.any(~hits.triggered & (hits.state[..., 0] < 0.0) & left_the_floor)
    both = hits.triggered[..., 1:] & hits.triggered[..., :-1]
    measurable = both & (launched > 0.0)
    relative = jnp.abs(speeds[..., 1:] - launched) / jnp.where(measurable, launched, 1.0)
    mismatch = jnp.where(measurable, relative, 0.0)
    tolerance = 100.0 * jnp.sqrt(jnp.finfo(speeds.dtype).eps)
    unresolved = jnp.any(mismatch > tolerance)
    time = eqx.error_if(
        hits.time, stepped_over | unresolved,
        "bouncing_ball_impacts: the flights became too short to resolve (an impact was stepped over, "
        "or a ball came back to the floor at a speed other than the one it left with); "
        "ask for fewer impacts",
    )
    return hits._replace(time=time)


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
    at a dose time is the one *after* the dose. The solve starts at ``ts[0]`` from ``y0``;
    ``ts`` must be increasing, and ``dose_times`` increasing and inside ``[ts[0], ts[-1]]``.
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
