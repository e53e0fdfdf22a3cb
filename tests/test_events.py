"""Events: impact times and their derivatives against closed forms, dosing against superposition."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import scimlkit as sk


@pytest.mark.slow
def test_bouncing_ball_impact_times_match_the_closed_form_to_1e_8():
    hits = jax.jit(lambda h: sk.bouncing_ball_impacts(h, restitution=0.8, n_impacts=5))(1.0)
    exact = sk.bouncing_ball_impact_times_exact(1.0, restitution=0.8, n_impacts=5)
    assert bool(jnp.all(hits.triggered))
    np.testing.assert_allclose(hits.time, exact, rtol=0, atol=1e-8)
    # Just before each impact the ball is on the floor, falling at e^(k-1) sqrt(2 g h).
    np.testing.assert_allclose(hits.state[:, 0], 0.0, atol=1e-8)
    speeds = jnp.sqrt(2 * 9.81) * 0.8 ** jnp.arange(5)
    np.testing.assert_allclose(hits.state[:, 1], -speeds, rtol=1e-8)


@pytest.mark.slow
def test_derivative_of_the_first_impact_time_matches_the_analytic_one():
    # t_1 = sqrt(2 h / g), so dt_1/dh = 1 / sqrt(2 g h).
    def first_impact(h):
        return sk.solve_to_event(
            sk.falling, jnp.stack([h, 0.0]), {"gravity": 9.81}, condition=sk.height, direction=False
        ).time

    for h in (0.5, 2.0):
        np.testing.assert_allclose(jax.grad(first_impact)(h), 1 / np.sqrt(2 * 9.81 * h), rtol=1e-8)


@pytest.mark.slow
def test_derivative_through_resets_matches_the_closed_form():
    def third_impact(h):
        return sk.bouncing_ball_impacts(h, n_impacts=3).time[2]

    exact = jax.grad(lambda h: sk.bouncing_ball_impact_times_exact(h, n_impacts=3)[2])(1.5)
    np.testing.assert_allclose(jax.grad(third_impact)(1.5), exact, rtol=1e-7)


@pytest.mark.slow
def test_a_missed_event_is_reported_not_invented():
    hit = sk.solve_to_event(sk.falling, jnp.array([100.0, 0.0]), {"gravity": 9.81}, condition=sk.height, t_max=1.0)
    assert not bool(hit.triggered)
    assert float(hit.time) == pytest.approx(1.0)


@pytest.mark.slow
def test_doses_match_the_superposition_of_exponentials():
    ts = jnp.linspace(0.0, 24.0, 49)
    dose_times = jnp.array([0.0, 6.0, 12.0, 18.0])
    solved = sk.solve_with_doses(
        sk.one_compartment, jnp.zeros(1), {"elimination": 0.3}, ts=ts, dose_times=dose_times, dose=jnp.ones(1)
    )
    exact = sk.one_compartment_exact(ts, dose_times=dose_times, dose=1.0, elimination=0.3)
    np.testing.assert_allclose(solved[:, 0], exact, rtol=1e-6, atol=1e-8)


def test_bad_arguments_say_what_is_wrong():
    with pytest.raises(ValueError, match="n_events"):
        sk.repeated_events(sk.falling, jnp.ones(2), {}, condition=sk.height, reset=sk.bounce, n_events=0)
    with pytest.raises(ValueError, match="restitution"):
        sk.bouncing_ball_impact_times_exact(1.0, restitution=1.5)
    with pytest.raises(ValueError, match="dose_times"):
        sk.solve_with_doses(sk.one_compartment, jnp.ones(1), {}, ts=jnp.linspace(0, 1, 3), dose_times=jnp.array([]), dose=jnp.ones(1))
