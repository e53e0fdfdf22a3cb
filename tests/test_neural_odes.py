"""The toolkit's own contracts for neural and universal ODEs.

What lecture 5 *claims* about its runs (the spiral fit, the crossing map, the circles,
the universal ODE's forecast, the digits) is asserted on the executed lecture itself in
``tests/lectures/test_05_neural_and_universal_odes.py``; these tests do not re-run
copies of its cells.
"""

import diffrax
import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import scimlkit as sk


def decay(t, y, args):
    return -y


@pytest.mark.slow
def test_function_evaluations_are_counted_as_they_happen():
    ts = jnp.linspace(0.0, 1.0, 3)
    # Fixed steps: Euler evaluates once per step and Heun twice, with no extra "+1".
    assert sk.function_evaluations(decay, ts, jnp.ones(1), solver=diffrax.Euler(), rtol=None, dt0=0.1) == 10
    assert sk.function_evaluations(decay, ts, jnp.ones(1), solver=diffrax.Heun(), rtol=None, dt0=0.25) == 8
    # Tsit5 (first same as last) with a given first step: 6 new evaluations per step plus the first.
    solution = sk.integrate(decay, ts, jnp.ones(1), dt0=0.1)
    steps = int(solution.stats["num_steps"])
    assert sk.function_evaluations(decay, ts, jnp.ones(1), dt0=0.1) == 6 * steps + 1


@pytest.mark.slow
def test_function_evaluations_include_rejected_steps_and_the_first_step_choice():
    def fast(t, y, args):
        return -50.0 * y * jnp.sin(3.0 * t + y)

    ts = jnp.linspace(0.0, 1.0, 3)
    solution = sk.integrate(fast, ts, jnp.ones(1))
    assert int(solution.stats["num_rejected_steps"]) > 0
    counted = sk.function_evaluations(fast, ts, jnp.ones(1))
    # The formula from step statistics (6 per attempted step + 1) undercounts this solve.
    assert counted > 6 * int(solution.stats["num_steps"]) + 1


@pytest.mark.slow
def test_tolerances_given_as_arrays_share_one_compilation():
    traces = []

    def traced_decay(t, y, args):
        traces.append(1)  # runs only while JAX traces the solve
        return -y

    def solve(tol):
        return sk.integrate(traced_decay, jnp.linspace(0, 1, 3), jnp.ones(1), rtol=tol, atol=tol)

    loose = solve(jnp.asarray(1e-3))
    traced_once = len(traces)
    tight = solve(jnp.asarray(1e-9))
    assert len(traces) == traced_once
    # Still the tolerance asked for: the tight solve takes more steps and is more accurate.
    assert int(tight.stats["num_steps"]) > int(loose.stats["num_steps"])
    np.testing.assert_allclose(tight.ys[-1], jnp.exp(-1.0), rtol=1e-8)


@pytest.mark.slow
def test_neural_ode_is_its_field_solved_by_diffrax():
    model = sk.NeuralODE(data_size=2, width=8, depth=1, key=jax.random.key(0))
    ts, y0 = jnp.linspace(0.0, 1.0, 5), jnp.array([1.0, -0.5])
    direct = diffrax.diffeqsolve(
        diffrax.ODETerm(lambda t, y, args: model.field.mlp(y)),
        diffrax.Tsit5(),
        t0=0.0,
        t1=1.0,
        dt0=None,
        y0=y0,
        saveat=diffrax.SaveAt(ts=ts),
        stepsize_controller=diffrax.PIDController(rtol=1e-6, atol=1e-6),
    )
    np.testing.assert_allclose(model(ts, y0), direct.ys, rtol=0, atol=1e-14)
    assert model.function_evaluations(ts, y0) > 6


def test_sizes_are_keyword_arguments():
    with pytest.raises(TypeError):
        sk.NeuralODE(2, 50, 1, key=jax.random.key(0))  # type: ignore[misc]
    with pytest.raises(TypeError):
        sk.AugmentedNeuralODE(1, 1, 16, 1, key=jax.random.key(0))  # type: ignore[misc]


def known_only(fixed=False):
    return sk.UniversalODE(
        known=sk.lotka_volterra_known,
        params=jnp.array([1.0, 1.0]),
        data_size=2,
        width=4,
        depth=1,
        output_scale=0.0,
        fixed=fixed,
        key=jax.random.key(0),
    )


@pytest.mark.slow
def test_universal_ode_trains_its_known_constants_by_default():
    model = known_only()
    grads = eqx.filter_grad(lambda m: jnp.sum(m(jnp.linspace(0, 1, 5), jnp.array([1.0, 1.0]))))(model)
    # d/d alpha of x(t) = e^{alpha t} summed over t = 0, 0.25, ..., 1 at alpha = 1.
    t = np.linspace(0, 1, 5)
    np.testing.assert_allclose(grads.params[0], np.sum(t * np.exp(t)), rtol=1e-5)
    # output_scale=0 switches the network off: the model is the known part alone.
    np.testing.assert_allclose(
        model(jnp.array([0.0, 1.0]), jnp.array([1.0, 1.0]))[-1], [jnp.e, jnp.exp(-1.0)], rtol=1e-5
    )
    held = known_only(fixed=True)
    held_grads = eqx.filter_grad(lambda m: jnp.sum(m(jnp.linspace(0, 1, 5), jnp.array([1.0, 1.0]))))(held)
    np.testing.assert_array_equal(held_grads.params, 0.0)


@pytest.mark.slow
def test_augmented_model_pads_with_zeros_and_reads_the_data_coordinates():
    model = sk.AugmentedNeuralODE(data_size=1, augment=2, width=8, depth=1, key=jax.random.key(0))
    xs = jnp.array([[0.5], [-1.0]])
    path = model.solve(xs, jnp.array([0.0, 1.0])).ys
    np.testing.assert_array_equal(path[0], [[0.5, 0.0, 0.0], [-1.0, 0.0, 0.0]])
    np.testing.assert_array_equal(model(xs), path[-1][:, :1])
    # A fixed-step Heun flow from 0 to 1 with dt0 = 0.25: two evaluations per step, four steps.
    heun = sk.AugmentedNeuralODE(
        data_size=1, augment=1, width=8, depth=1, solver=diffrax.Heun(), rtol=None, dt0=0.25, key=jax.random.key(0)
    )
    assert heun.function_evaluations(xs) == 8


def test_augmented_model_refuses_a_negative_augmentation():
    with pytest.raises(ValueError, match="augment must be non-negative"):
        sk.AugmentedNeuralODE(data_size=2, augment=-1, width=8, depth=1, key=jax.random.key(0))
