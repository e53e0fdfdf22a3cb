import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

import scimlkit as sk


def quadratic(params, target):
    return jnp.sum((params["x"] - target) ** 2)


def test_fit_minimises_and_records_the_loss_history():
    result = sk.fit(quadratic, {"x": jnp.zeros(3)}, optax.adam(0.1), jnp.array([1.0, -2.0, 3.0]), steps=500)
    np.testing.assert_allclose(result.params["x"], [1.0, -2.0, 3.0], atol=1e-3)
    assert result.steps == 500 and result.losses.shape == (500,)
    assert result.losses[0] == pytest.approx(14.0)
    assert result.best_loss == pytest.approx(result.losses.min())
    assert not result.stopped_early


@pytest.mark.slow
def test_fit_trains_only_floating_point_leaves_of_an_equinox_model():
    model = eqx.nn.MLP(1, 1, 8, 1, activation=jnp.tanh, key=jax.random.key(0))
    xs = jnp.linspace(-1, 1, 32)[:, None]

    def loss(model):
        return jnp.mean((jax.vmap(model)(xs) - xs**2) ** 2)

    result = sk.fit(loss, model, optax.adam(1e-2), steps=300)
    assert result.best_loss < 0.1 * float(loss(model))
    assert result.params.activation is jnp.tanh


@pytest.mark.slow
def test_lbfgs_receives_the_objective_it_needs():
    result = sk.fit(quadratic, {"x": jnp.zeros(2)}, optax.lbfgs(), jnp.array([0.5, 4.0]), steps=20)
    np.testing.assert_allclose(result.params["x"], [0.5, 4.0], atol=1e-8)



def rosenbrock(params):
    x, y = params["x"][0], params["x"][1]
    return (1.0 - x) ** 2 + 100.0 * (y - x**2) ** 2


@pytest.mark.slow
def test_lbfgs_steps_reuse_the_line_searchs_value_and_gradient():
    """Same iterates as the textbook loop, with one loss evaluation fewer per step."""
    evaluations = []

    def counted(params):
        jax.debug.callback(lambda: evaluations.append(1))
        return rosenbrock(params)

    start, steps, optimizer = {"x": jnp.array([-1.2, 1.0])}, 30, optax.lbfgs()
    result = sk.fit(counted, start, optimizer, steps=steps)
    by_fit = len(evaluations)

    @jax.jit
    def textbook_step(params, state):
        value, grads = jax.value_and_grad(counted)(params)
        updates, state = optimizer.update(grads, state, params, value=value, grad=grads, value_fn=counted)
        return optax.apply_updates(params, updates), state, value

    evaluations.clear()
    params, state, losses = start, optimizer.init(start), []
    for _ in range(steps):
        params, state, value = textbook_step(params, state)
        losses.append(float(value))
    by_hand = len(evaluations)

    # The line search evaluates at p + s*d, apply_updates forms the same sum in another
    # order: the two loops agree to rounding, which L-BFGS amplifies over 30 steps.
    np.testing.assert_allclose(result.losses, losses, rtol=1e-5)
    assert result.losses[-1] < 1e-4 * result.losses[0]
    assert by_fit == by_hand - (steps - 1), (by_fit, by_hand)

@pytest.mark.slow
def test_lbfgs_takes_loss_arguments_that_are_not_arrays():
    def shifted(params, shift, target):
        return quadratic(params, shift(target))

    result = sk.fit(shifted, {"x": jnp.zeros(2)}, optax.lbfgs(), lambda y: y + 1.0, jnp.array([0.5, 4.0]), steps=20)
    np.testing.assert_allclose(result.params["x"], [1.5, 5.0], atol=1e-8)


def test_plain_gradient_transformations_work_too():
    plain = optax.GradientTransformation(*optax.sgd(0.1)[:2])
    result = sk.fit(quadratic, {"x": jnp.zeros(1)}, plain, jnp.array([2.0]), steps=100)
    np.testing.assert_allclose(result.params["x"], [2.0], atol=1e-6)


def test_patience_stops_a_stalled_fit_and_returns_the_best_parameters():
    # A learning rate of zero never improves on the first loss.
    result = sk.fit(quadratic, {"x": jnp.ones(1)}, optax.sgd(0.0), jnp.zeros(1), steps=1000, patience=5)
    assert result.stopped_early
    assert result.steps == 6
    np.testing.assert_array_equal(result.params["x"], [1.0])


def test_callback_sees_each_step_and_can_stop_training():
    seen = []

    def stop_at_third(step, params, loss):
        seen.append((step, loss))
        return step == 2

    result = sk.fit(quadratic, {"x": jnp.zeros(1)}, optax.adam(0.1), jnp.ones(1), steps=100, callback=stop_at_third)
    assert [step for step, _ in seen] == [0, 1, 2]
    assert result.stopped_early and result.steps == 3


def test_divergence_is_reported_with_the_step():
    with pytest.raises(FloatingPointError, match="loss became nan at step 0"):
        sk.fit(lambda p: jnp.sum(p["x"]) * jnp.nan, {"x": jnp.ones(1)}, optax.adam(0.1), steps=10)


@pytest.mark.parametrize("kwargs, message", [({"steps": 0}, "steps must be at least 1"), ({"steps": 5, "patience": 0}, "patience")])
def test_invalid_settings_are_refused(kwargs, message):
    steps = kwargs.pop("steps")
    with pytest.raises(ValueError, match=message):
        sk.fit(quadratic, {"x": jnp.zeros(1)}, optax.adam(0.1), jnp.ones(1), steps=steps, **kwargs)


def test_progress_bar_runs_and_closes(capsys):
    result = sk.fit(quadratic, {"x": jnp.zeros(1)}, optax.adam(0.1), jnp.ones(1), steps=5, progress=True)
    assert result.steps == 5
    assert "training" in capsys.readouterr().err


def test_a_second_fit_with_the_same_loss_and_optimizer_reuses_the_compiled_step():
    traces = []

    def counting_loss(params, target):
        traces.append(1)  # runs only while JAX traces the step
        return jnp.sum((params["x"] - target) ** 2)

    optimizer = optax.adam(0.1)
    sk.fit(counting_loss, {"x": jnp.zeros(2)}, optimizer, jnp.ones(2), steps=5)
    traced_once = len(traces)
    second = sk.fit(counting_loss, {"x": jnp.zeros(2)}, optimizer, jnp.array([2.0, -1.0]), steps=300)
    assert traced_once > 0 and len(traces) == traced_once
    np.testing.assert_allclose(second.params["x"], [2.0, -1.0], atol=1e-3)
    # A new shape must trace again (and still be right).
    sk.fit(counting_loss, {"x": jnp.zeros(3)}, optimizer, jnp.ones(3), steps=5)
    assert len(traces) > traced_once



@pytest.mark.parametrize(
    "params, optimizer",
    [
        # jnp.asarray of a Python float is "weakly typed"; the updated array is not.
        ({"x": jnp.asarray(0.5)}, optax.adam(0.1)),
        # optax.lbfgs's initial state holds weakly typed counters that its update replaces.
        ({"x": jnp.zeros(2)}, optax.lbfgs()),
    ],
    ids=["weakly-typed-parameter", "lbfgs-state"],
)
def test_the_step_is_traced_once_however_the_inputs_are_typed(params, optimizer):
    traces = []

    def counting_loss(params):
        traces.append(1)
        return jnp.sum((params["x"] - 1.0) ** 2)

    sk.fit(counting_loss, params, optimizer, steps=1)
    traced_once = len(traces)
    result = sk.fit(counting_loss, params, optimizer, steps=6)
    # Step two would see differently typed inputs and retrace if fit did not fix the types.
    assert len(traces) == traced_once
    assert result.best_loss < result.losses[0]


def test_best_step_is_where_the_lowest_loss_was_seen():
    # SGD with too large a step on x^2 oscillates and grows: the best loss is the first.
    result = sk.fit(quadratic, {"x": jnp.ones(1)}, optax.sgd(1.1), jnp.zeros(1), steps=5)
    assert result.best_step == 0
    result = sk.fit(quadratic, {"x": jnp.ones(1)}, optax.sgd(0.1), jnp.zeros(1), steps=5)
    assert result.best_step == 4


@pytest.mark.parametrize("steps", [None, 2.5, True])
def test_steps_must_be_an_integer_keyword(steps):
    with pytest.raises(TypeError, match="steps must be an integer"):
        sk.fit(quadratic, {"x": jnp.zeros(1)}, optax.adam(0.1), jnp.ones(1), steps=steps)


def test_an_old_style_positional_budget_is_refused():
    # fit(loss, params, optimizer, 100, data) from before steps became a keyword.
    with pytest.raises(TypeError, match="steps"):
        sk.fit(quadratic, {"x": jnp.zeros(1)}, optax.adam(0.1), 100, jnp.ones(1))
