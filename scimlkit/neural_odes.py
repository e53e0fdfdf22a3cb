"""Neural and universal ordinary differential equations as equinox modules.

A *neural ODE* (Chen et al. 2018) lets a network be the right-hand side,
``y' = NN(t, y)``, and treats the solver's output as the model's prediction. A
*universal ODE* (Rackauckas et al. 2020) keeps the terms of a model that are trusted and
lets a network supply the rest, ``y' = f_known(t, y; p) + NN(y)``. An *augmented* neural
ODE (Dupont et al. 2019) flows in a space with extra zero-initialised dimensions, which
lets trajectories pass around each other where in the original space they would have
to cross.

All three are :class:`equinox.Module` pytrees, so :func:`scimlkit.fit`, ``jax.grad``
and ``equinox.filter_jit`` treat them like any network; their solver settings are
static fields, so changing a tolerance recompiles rather than silently being traced.
Gradients flow through the solver by diffrax's default (checkpointed
discretise-then-optimise) adjoint.
"""

from __future__ import annotations

import abc
from typing import Any, Callable

import diffrax
import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, ArrayLike, Float, PRNGKeyArray, PyTree

from .solvers import MODEL_ATOL, MODEL_MAX_STEPS, MODEL_RTOL, integrate

FeatureMap = Callable[[Array], Array]
KnownField = Callable[[Any, Array, Any], Array]


def cube(y: Array) -> Array:
    """``y**3``: the feature map of the cubic-spiral demo (a module-level function so it hashes).

    >>> print(sk.cube(jnp.array([2.0, -1.0])))
    [ 8. -1.]
    """
    return y**3


def gaussian(x: Array) -> Array:
    """``exp(-x**2)``: the radial-basis activation Rackauckas et al. (2020) use in their UDE."""
    return jnp.exp(-(x**2))


_evaluations = [0]


def _count_evaluation() -> None:
    _evaluations[0] += 1


class _Counted(eqx.Module):
    """A vector field that reports each real evaluation to the host (``jax.debug.callback``).

    Module-level and a pytree, so solves of equal structure share one compilation."""

    vector_field: Callable[[Any, Array, Any], Array]

    def __call__(self, t, y, args):
        jax.debug.callback(_count_evaluation)
        return self.vector_field(t, y, args)


def function_evaluations(
    vector_field: Callable[[Any, Array, Any], Array],
    ts: Float[ArrayLike, " m"],
    y0: Float[ArrayLike, " n"],
    args: Any = None,
    **integrate_options: Any,
) -> int:
    """How many times a solve really evaluates ``vector_field`` (the "NFE" of the literature).

    The solve (:func:`integrate` with ``integrate_options``) runs with a field that counts
    each evaluation as it happens, so the number includes what step statistics hide: any
    evaluations spent picking the first step (none in diffrax 0.7.2, see :func:`integrate`),
    the stages of rejected steps, and no phantom "+1" for methods without the
    first-same-as-last property.
    """
    _evaluations[0] = 0
    solution = integrate(_Counted(vector_field), ts, y0, args, **integrate_options)
    jax.block_until_ready(solution.ys)
    jax.effects_barrier()  # the host callbacks may still be queued
    return _evaluations[0]


class MLPField(eqx.Module):
    """The vector field ``NN(features(y))``, or ``NN(features(y), t)`` if time-dependent.

    ``feature_map`` encodes what is known about the form of the dynamics before any
    training: the spiral demo of Chen et al. cubes the state first, so the network only
    has to learn a near-linear map.
    """

    mlp: eqx.nn.MLP
    feature_map: FeatureMap | None = eqx.field(static=True)
    time_dependent: bool = eqx.field(static=True)

    def __init__(
        self,
        *,
        size: int,
        width: int,
        depth: int,
        key: PRNGKeyArray,
        activation: Callable[[Array], Array] = jnp.tanh,
        feature_map: FeatureMap | None = None,
        time_dependent: bool = False,
    ):
        in_size = size + 1 if time_dependent else size
        self.mlp = eqx.nn.MLP(in_size, size, width, depth, activation=activation, key=key)
        self.feature_map = feature_map
        self.time_dependent = time_dependent

    def __call__(self, t, y: Float[Array, " n"], args=None) -> Float[Array, " n"]:
        features = y if self.feature_map is None else self.feature_map(y)
        if self.time_dependent:
            features = jnp.concatenate([features, jnp.reshape(jnp.asarray(t, y.dtype), (1,))])
        return self.mlp(features)


class _SolvedODE(eqx.Module):
    """What :class:`NeuralODE` and :class:`UniversalODE` share: solver settings (static,
    so changing a tolerance recompiles) and how a model turns into a trajectory."""

    solver: diffrax.AbstractSolver = eqx.field(static=True)
    rtol: float = eqx.field(static=True)
    atol: float = eqx.field(static=True)
    max_steps: int = eqx.field(static=True)

    @abc.abstractmethod
    def vector_field(self, t, y: Float[Array, " n"], args=None) -> Float[Array, " n"]:
        """The right-hand side ``y' = f(t, y)``."""

    def solve(self, ts: Float[ArrayLike, " m"], y0: Float[ArrayLike, " n"]) -> diffrax.Solution:
        """The full diffrax solution (with ``stats``), for diagnostics."""
        return integrate(
            self.vector_field, ts, y0, solver=self.solver, rtol=self.rtol, atol=self.atol, max_steps=self.max_steps
        )

    def __call__(self, ts: Float[ArrayLike, " m"], y0: Float[ArrayLike, " n"]) -> Float[Array, "m n"]:
        return self.solve(ts, y0).ys

    def function_evaluations(self, ts: Float[ArrayLike, " m"], y0: Float[ArrayLike, " n"]) -> int:
        """Real vector-field evaluations of ``self.solve(ts, y0)`` (see :func:`function_evaluations`)."""
        return function_evaluations(
            self.vector_field, ts, y0, solver=self.solver, rtol=self.rtol, atol=self.atol, max_steps=self.max_steps
        )


class NeuralODE(_SolvedODE):
    """``y' = NN(y)`` solved by diffrax: ``model(ts, y0)`` returns one row per time.

    ``NeuralODE(data_size=2, width=50, depth=1, key=key)``: a field with ``depth`` hidden
    layers of ``width`` units; ``feature_map`` and ``time_dependent`` are passed to
    :class:`MLPField`. Defaults: :func:`integrate`'s (Tsit5, ``rtol = atol = 1e-6``, at most
    4096 steps). Lecture 5 writes the same model from scratch in a dozen lines; this one
    adds the options, solver statistics and :meth:`function_evaluations`.
    """

    field: MLPField

    def __init__(
        self,
        *,
        data_size: int,
        width: int,
        depth: int,
        key: PRNGKeyArray,
        activation: Callable[[Array], Array] = jnp.tanh,
        feature_map: FeatureMap | None = None,
        time_dependent: bool = False,
        solver: diffrax.AbstractSolver | None = None,
        rtol: float = MODEL_RTOL,
        atol: float = MODEL_ATOL,
        max_steps: int = MODEL_MAX_STEPS,
    ):
        self.field = MLPField(
            size=data_size,
            width=width,
            depth=depth,
            key=key,
            activation=activation,
            feature_map=feature_map,
            time_dependent=time_dependent,
        )
        self.solver = solver if solver is not None else diffrax.Tsit5()
        self.rtol, self.atol, self.max_steps = rtol, atol, max_steps

    def vector_field(self, t, y: Float[Array, " n"], args=None) -> Float[Array, " n"]:
        return self.field(t, y, args)


class UniversalODE(_SolvedODE):
    """A universal differential equation ``y' = known(t, y, params) + NN(y)``.

    ``UniversalODE(known=f, params=(1.3, 1.8), data_size=2, width=5, depth=3, key=key)``.
    ``known`` is the trusted part of the model (a plain function, held static);
    ``params`` are its constants, trained jointly with the network (the definition of a
    universal differential equation) unless ``fixed=True`` holds them with
    ``jax.lax.stop_gradient``. ``output_scale`` multiplies the network so that
    a freshly initialised one starts as a small correction instead of dominating the
    known physics.
    """

    known: KnownField = eqx.field(static=True)
    params: PyTree
    network: eqx.nn.MLP
    output_scale: float = eqx.field(static=True)
    fixed: bool = eqx.field(static=True)

    def __init__(
        self,
        *,
        known: KnownField,
        params: PyTree,
        data_size: int,
        width: int,
        depth: int,
        key: PRNGKeyArray,
        activation: Callable[[Array], Array] = gaussian,
        output_scale: float = 1.0,
        fixed: bool = False,
        solver: diffrax.AbstractSolver | None = None,
        rtol: float = MODEL_RTOL,
        atol: float = MODEL_ATOL,
        max_steps: int = MODEL_MAX_STEPS,
    ):
        self.known = known
        self.params = jax.tree.map(jnp.asarray, params)
        self.network = eqx.nn.MLP(data_size, data_size, width, depth, activation=activation, key=key)
        self.output_scale = output_scale
        self.fixed = fixed
        self.solver = solver if solver is not None else diffrax.Tsit5()
        self.rtol, self.atol, self.max_steps = rtol, atol, max_steps

    def missing_terms(self, y: Float[Array, " n"]) -> Float[Array, " n"]:
        """What the network contributes at state ``y``: the learned part of the physics."""
        return self.output_scale * self.network(y)

    def vector_field(self, t, y: Float[Array, " n"], args=None) -> Float[Array, " n"]:
        params = jax.lax.stop_gradient(self.params) if self.fixed else self.params
        return self.known(t, y, params) + self.missing_terms(y)


class AugmentedNeuralODE(eqx.Module):
    """A map ``x -> readout(phi_T([x, 0]))`` through the flow ``phi_T`` of a neural ODE.

    ``AugmentedNeuralODE(data_size=1, augment=1, width=16, depth=1, key=key)``:
    ``augment`` zeros are appended to the input before the flow (Dupont et al.
    2019); ``augment=0`` is the plain neural-ODE map of Chen et al. Without
    ``out_size`` the output is the first ``data_size`` coordinates of the final state,
    so the flow itself must do all the work; with ``out_size`` a linear layer reads the
    whole final state, as in classification. The field is time-dependent by default.
    The model works on batches, ``model(xs)`` with one input per row of ``xs``.

    For a constant step (``rtol=None`` and ``dt0``), ``max_steps`` defaults to just the
    steps needed, which keeps reverse-mode checkpointing cheap.
    """

    field: MLPField
    readout: eqx.nn.Linear | None
    data_size: int = eqx.field(static=True)
    augment: int = eqx.field(static=True)
    t1: float = eqx.field(static=True)
    solver: diffrax.AbstractSolver = eqx.field(static=True)
    rtol: float | None = eqx.field(static=True)
    atol: float = eqx.field(static=True)
    dt0: float | None = eqx.field(static=True)
    max_steps: int = eqx.field(static=True)

    def __init__(
        self,
        *,
        data_size: int,
        augment: int,
        width: int,
        depth: int,
        key: PRNGKeyArray,
        out_size: int | None = None,
        activation: Callable[[Array], Array] = jnp.tanh,
        time_dependent: bool = True,
        t1: float = 1.0,
        solver: diffrax.AbstractSolver | None = None,
        rtol: float | None = 1e-4,
        atol: float = 1e-6,
        dt0: float | None = None,
        max_steps: int | None = None,
    ):
        if augment < 0:
            raise ValueError(f"augment must be non-negative, got {augment}")
        field_key, readout_key = jax.random.split(key)
        size = data_size + augment
        self.field = MLPField(
            size=size, width=width, depth=depth, key=field_key, activation=activation, time_dependent=time_dependent
        )
        self.readout = None if out_size is None else eqx.nn.Linear(size, out_size, key=readout_key)
        self.data_size, self.augment, self.t1 = data_size, augment, t1
        self.solver = solver if solver is not None else diffrax.Tsit5()
        if max_steps is None:
            max_steps = MODEL_MAX_STEPS if rtol is not None or dt0 is None else int(round(t1 / dt0)) + 1
        self.rtol, self.atol, self.dt0, self.max_steps = rtol, atol, dt0, max_steps

    def _solver_options(self) -> dict[str, Any]:
        return dict(solver=self.solver, rtol=self.rtol, atol=self.atol, dt0=self.dt0, max_steps=self.max_steps)

    def _augmented(self, xs: Float[ArrayLike, "b d"]) -> Float[Array, "b s"]:
        """The inputs with ``augment`` zero coordinates appended: the flow's initial states."""
        xs = jnp.asarray(xs)
        return jnp.concatenate([xs, jnp.zeros((xs.shape[0], self.augment), dtype=xs.dtype)], axis=1)

    def _batch_field(self, t, states: Float[Array, "b s"], args=None) -> Float[Array, "b s"]:
        return jax.vmap(lambda state: self.field(t, state))(states)

    def solve(self, xs: Float[Array, "b d"], ts: Float[ArrayLike, " m"] | None = None) -> diffrax.Solution:
        """Flow a whole batch ``[xs, 0]`` from ``t = 0`` to ``t1`` as one ODE.

        One solve for the batch (as torchdiffeq does) instead of one per sample: the
        step size is chosen for all samples together, which keeps the cost of a
        training step to a single adaptive loop. The state is saved at ``ts`` (from 0
        to ``t1``; by default just the two ends), with shape ``(len(ts), batch, size)``.
        """
        ts = jnp.array([0.0, self.t1]) if ts is None else ts
        return integrate(self._batch_field, ts, self._augmented(xs), **self._solver_options())

    def features(self, xs: Float[Array, "b d"]) -> Float[Array, "b s"]:
        """The final states ``phi_T([x, 0])`` of a batch, before the readout."""
        return self.solve(xs).ys[-1]

    def __call__(self, xs: Float[Array, "b d"]) -> Float[Array, "b k"]:
        """Outputs for a batch of inputs (one row each); a single input is ``model(x[None])[0]``."""
        final = self.features(xs)
        return final[:, : self.data_size] if self.readout is None else jax.vmap(self.readout)(final)

    def function_evaluations(self, xs: Float[Array, "b d"]) -> int:
        """Real vector-field evaluations of the batch solve from ``xs`` (see :func:`function_evaluations`)."""
        return function_evaluations(
            self._batch_field, jnp.array([0.0, self.t1]), self._augmented(xs), **self._solver_options()
        )
