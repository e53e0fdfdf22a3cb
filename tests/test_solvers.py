"""solve and integrate: their defaults as documented, the step cap to the step, where they start and save."""

from __future__ import annotations

import inspect
import re

import diffrax
import equinox as eqx
import jax.numpy as jnp
import numpy as np
import pytest

import scimlkit as sk
from scimlkit import solvers


def decay(t, y, args):
    return -y


def defaults(function) -> dict[str, object]:
    return {name: p.default for name, p in inspect.signature(function).parameters.items()
            if p.default is not inspect.Parameter.empty}


def documented_table() -> dict[str, tuple[float, float, int]]:
    """The module docstring's table of defaults: function -> (rtol, atol, max_steps)."""
    rows = re.findall(r"^:func:`(\w+)`\s+``([^`]+)``\s+``([^`]+)``\s+``([^`]+)``\s*$", solvers.__doc__, re.M)
    return {name: (float(rtol), float(atol), int(steps)) for name, rtol, atol, steps in rows}


def test_defaults_are_the_documented_ones_and_integrate_caps_steps_where_diffrax_does():
    table = documented_table()
    assert set(table) == {"solve", "integrate"}
    for function in (sk.solve, sk.integrate):
        given = defaults(function)
        assert (given["rtol"], given["atol"], given["max_steps"]) == table[function.__name__]
    # The module says integrate's cap "is diffrax's own default": checked against diffrax itself.
    assert defaults(sk.integrate)["max_steps"] == defaults(diffrax.diffeqsolve)["max_steps"]
    # Reference solves a hundred times tighter than a model's forward pass, as the table says.
    assert defaults(sk.solve)["rtol"] == pytest.approx(defaults(sk.integrate)["rtol"] / 100)
    assert defaults(sk.solve)["atol"] == pytest.approx(defaults(sk.integrate)["atol"] / 100)


def test_solver_options_are_keyword_only():
    # A positional fourth argument would silently land in the wrong option (y0 as params,
    # a solver as args): both functions refuse it.
    problem = sk.logistic_growth()
    ts = jnp.linspace(0.0, 1.0, 3)
    with pytest.raises(TypeError):
        sk.solve(problem, ts, None, jnp.array([1.0]))  # type: ignore[misc]
    with pytest.raises(TypeError):
        sk.integrate(decay, ts, jnp.ones(1), None, diffrax.Euler())  # type: ignore[misc]


@pytest.mark.slow
def test_each_starts_where_it_should_saves_at_every_time_and_solve_is_the_more_accurate():
    # The logistic problem starts at t = 0; the saved times start later and are uneven.
    problem = sk.logistic_growth(r=0.8, K=10.0, u0=0.5)
    ts = jnp.array([1.5, 4.0, 7.25, 12.0])
    exact = sk.logistic_growth_exact(ts, r=0.8, K=10.0, u0=0.5)
    # solve integrates from the problem's start, t = 0 ...
    reference = sk.solve(problem, ts)
    # ... and integrate from ts[0], here from the exact state at t = 1.5.
    model = sk.integrate(problem.vector_field, ts, exact[:1], problem.params).ys
    assert reference.shape == model.shape == (4, 1)
    reference_error = np.max(np.abs(reference[:, 0] - exact))
    model_error = np.max(np.abs(model[:, 0] - exact))
    # Measured: 1.1e-8 at solve's rtol = atol = 1e-8, 4.2e-6 at integrate's 1e-6 (solution up to 10).
    assert reference_error < 1e-7
    assert model_error < 3e-5
    assert model_error > 50 * reference_error


@pytest.mark.slow
def test_integrate_takes_exactly_its_default_cap_of_steps_and_refuses_one_more():
    # Explicit Euler with a constant step of 2**-12 reaches t = 1 in exactly 4096 steps,
    # the default cap, and gives (1 - h)**4096; a step of 1/4097 needs one step more.
    ts = jnp.array([0.0, 1.0])
    h = 2.0**-12
    solution = sk.integrate(decay, ts, jnp.ones(1), solver=diffrax.Euler(), rtol=None, dt0=h)
    assert int(solution.stats["num_steps"]) == 4096
    np.testing.assert_allclose(solution.ys[-1, 0], (1 - h) ** 4096, rtol=1e-13)
    with pytest.raises(eqx.EquinoxRuntimeError, match="max_steps"):
        sk.integrate(decay, ts, jnp.ones(1), solver=diffrax.Euler(), rtol=None, dt0=1 / 4097)
