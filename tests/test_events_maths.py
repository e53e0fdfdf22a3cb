"""Events and doses against closed forms, with untidy constants (smaller versions of test_events.py's checks)."""

from __future__ import annotations

import inspect

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import scimlkit as sk

jax.config.update("jax_enable_x64", True)


def test_impact_times_closed_form_by_hand():
    # t1 = sqrt(2 h / g); each bounce adds 2 e^j v1 / g with v1 = g t1.
    h, g, e = 2.0, 3.0, 0.5
    t1 = np.sqrt(2 * h / g)
    expected = [t1, t1 + 2 * e * t1, t1 + 2 * (e + e**2) * t1, t1 + 2 * (e + e**2 + e**3) * t1]
    np.testing.assert_allclose(sk.bouncing_ball_impact_times_exact(h, gravity=g, restitution=e, n_impacts=4),
                               expected, rtol=1e-14)
    np.testing.assert_allclose(sk.bouncing_ball_impact_times_exact(h, gravity=g, restitution=0.0, n_impacts=3),
                               [t1, t1, t1], rtol=1e-14)
    with pytest.raises(ValueError, match="restitution"):
        sk.bouncing_ball_impact_times_exact(1.0, restitution=1.0)


def test_the_simulated_ball_and_its_closed_form_are_the_same_ball_by_default():
    # Called with the same drop height and nothing else, both describe the same impacts.
    simulated = inspect.signature(sk.bouncing_ball_impacts).parameters
    closed_form = inspect.signature(sk.bouncing_ball_impact_times_exact).parameters
    for name in ("gravity", "restitution", "n_impacts"):
        assert simulated[name].default == closed_form[name].default, name


def test_ball_fields_and_reset_by_hand():
    args = {"gravity": 3.0, "restitution": 0.25}
    np.testing.assert_allclose(sk.falling(0.0, jnp.array([1.5, -2.0]), args), [-2.0, -3.0])
    np.testing.assert_allclose(sk.bounce(jnp.array([1e-9, -4.0]), args), [0.0, 1.0])
    assert float(sk.height(0.0, jnp.array([0.7, 3.0]), args)) == 0.7
    np.testing.assert_allclose(sk.one_compartment(0.0, jnp.array([2.0, 4.0]), {"elimination": jnp.array([0.5, 0.25])}),
                               [-1.0, -1.0])


def test_one_compartment_closed_form_by_hand():
    # In the fast loop: the two-compartment dosing test below no longer uses this closed form.
    ts = jnp.array([0.0, 1.0, 2.5, 4.0])
    exact = sk.one_compartment_exact(ts, dose_times=jnp.array([1.0, 2.0]), dose=2.0, elimination=0.4, c0=3.0)
    t = np.asarray(ts)
    by_hand = 3.0 * np.exp(-0.4 * t) + np.where(t >= 1.0, 2.0 * np.exp(-0.4 * (t - 1.0)), 0.0) \
        + np.where(t >= 2.0, 2.0 * np.exp(-0.4 * (t - 2.0)), 0.0)
    np.testing.assert_allclose(exact, by_hand, rtol=1e-14)


def test_doses_on_and_between_samples_on_two_compartments():
    # Doses at 0.7 (between samples) and 2.0 (on a sample: the state saved there is the one
    # after the dose, counted once), a different rate and dose per component; the reference
    # is the superposition of exponentials written out here, not the toolkit's closed form.
    ts = jnp.linspace(0.0, 3.0, 7)
    rates, dose, c0 = np.array([0.3, 1.1]), np.array([1.0, 0.5]), np.array([2.0, 0.0])
    dose_times = np.array([0.7, 2.0])
    solved = sk.solve_with_doses(sk.one_compartment, jnp.asarray(c0), {"elimination": jnp.asarray(rates)}, ts=ts,
                                 dose_times=jnp.asarray(dose_times), dose=jnp.asarray(dose))
    assert solved.shape == (7, 2)
    t = np.asarray(ts)[:, None]
    by_hand = c0 * np.exp(-rates * t)
    for when in dose_times:
        by_hand = by_hand + np.where(t >= when, dose * np.exp(-rates * np.maximum(t - when, 0.0)), 0.0)
    np.testing.assert_allclose(solved, by_hand, rtol=1e-6, atol=1e-9)
    # At t = 2.0 the dose has just been added: the jump is the whole dose.
    assert float(solved[4, 1]) == pytest.approx(0.5 + 0.5 * np.exp(-1.1 * 1.3), rel=1e-6)


@pytest.mark.slow
def test_first_impact_of_a_dropped_ball():
    # Dropped from 2 m under g = 3: lands at sqrt(4/3) s with speed sqrt(12).
    hit = sk.solve_to_event(sk.falling, jnp.array([2.0, 0.0]), {"gravity": 3.0}, condition=sk.height,
                            direction=False)
    assert bool(hit.triggered)
    assert float(hit.time) == pytest.approx(np.sqrt(4 / 3), rel=1e-8)
    np.testing.assert_allclose(hit.state, [0.0, -np.sqrt(12.0)], atol=1e-8)
