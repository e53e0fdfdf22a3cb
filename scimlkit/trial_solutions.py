"""Networks that solve ODEs: the trial-solution method of Lagaris et al. (1998).

Instead of a solver producing numbers on a grid, a network ``NN(t)`` is shaped into a
function that satisfies the initial condition by construction,

    u(t) = u0 + (t - t0) NN(t),

and is trained so that its derivative, computed exactly by automatic differentiation,
matches the right-hand side at collocation points. No data are needed: the equation
is the loss. Physics-informed neural networks grew out of this idea.
"""

from __future__ import annotations

from typing import Any, Callable

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, ArrayLike, Float, PRNGKeyArray


class TrialSolution(eqx.Module):
    """``u(t) = u0 + (t - t0) * NN(t)`` for a scalar or vector state.

    ``u0`` and ``t0`` are held fixed (the initial condition is exact for any weights);
    only the network trains. Call it on a scalar time: ``u = model(0.3)``. Built as
    ``TrialSolution(u0=1.0, width=16, depth=2, key=key)``; lecture 3 writes the same
    function from scratch first.

    >>> model = sk.TrialSolution(u0=1.0, width=8, depth=1, key=jax.random.key(0))
    >>> print(model(0.0))
    [1.]
    """

    network: eqx.nn.MLP
    u0: Float[Array, " n"] = eqx.field(converter=jnp.asarray)
    t0: float = eqx.field(static=True)

    def __init__(
        self,
        *,
        u0: Float[ArrayLike, " n"],
        width: int,
        depth: int,
        key: PRNGKeyArray,
        t0: float = 0.0,
        activation: Callable[[Array], Array] = jnp.tanh,
    ):
        u0 = jnp.atleast_1d(jnp.asarray(u0, dtype=float))
        self.network = eqx.nn.MLP(1, u0.shape[0], width, depth, activation=activation, key=key)
        self.u0 = u0
        self.t0 = t0

    def __call__(self, t: Float[ArrayLike, ""]) -> Float[Array, " n"]:
        t = jnp.asarray(t, dtype=self.u0.dtype)
        # stop_gradient: the initial condition is data, not a trainable parameter.
        return jax.lax.stop_gradient(self.u0) + (t - self.t0) * self.network(jnp.reshape(t, (1,)))

    def derivative(self, t: Float[ArrayLike, ""]) -> Float[Array, " n"]:
        """``du/dt`` at ``t`` by forward-mode automatic differentiation (exact, no step size)."""
        t = jnp.asarray(t, dtype=self.u0.dtype)
        return jax.jvp(self, (t,), (jnp.ones_like(t),))[1]


def ode_residual_loss(
    model: TrialSolution,
    vector_field: Callable[[Array, Array, Any], Array],
    ts: Float[Array, " m"],
    args: Any = None,
) -> Float[Array, ""]:
    """Mean squared residual ``|u'(t) - f(t, u(t))|^2`` over the collocation times ``ts``."""

    def residual(t):
        return model.derivative(t) - vector_field(t, model(t), args)

    return jnp.mean(jax.vmap(residual)(ts) ** 2)
