"""The optax training loop used throughout the course.

:func:`fit` minimises ``loss(params, *args)`` over the floating-point arrays of any
pytree (an equinox model, a dict of parameters, ...), keeps the loss history, and can
stop early or hand control to a callback. The step is compiled once with
``equinox.filter_jit`` and reused by later calls with the same loss function and
optimizer object; the Python loop around it only does bookkeeping.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import optax
from jaxtyping import PyTree

Callback = Callable[[int, PyTree, float], Any]


@dataclass(frozen=True)
class FitResult:
    """What :func:`fit` returns.

    ``params`` are the parameters with the lowest loss seen; ``losses[i]`` is the loss
    evaluated at the start of step ``i``. ``steps`` is how many steps ran (the budget
    unless training stopped early), so it says nothing about convergence;
    ``best_step`` (where the lowest loss was seen) and the history do.
    """

    params: PyTree
    losses: np.ndarray
    best_loss: float
    stopped_early: bool

    @property
    def steps(self) -> int:
        return len(self.losses)

    @property
    def best_step(self) -> int:
        """The step at which the lowest loss was evaluated."""
        return int(np.argmin(self.losses))


def fit(
    loss: Callable[..., jax.Array],
    params: PyTree,
    optimizer: optax.GradientTransformation,
    *args: Any,
    steps: int,
    patience: int | None = None,
    min_delta: float = 0.0,
    callback: Callback | None = None,
    progress: bool = False,
    description: str = "training",
) -> FitResult:
    """Minimise ``loss(params, *args)`` for at most ``steps`` optimizer steps.

    Called as ``fit(loss, params, optax.adam(1e-2), x, y, steps=500)``: the positional
    arguments after the optimizer go to the loss, the budget is a keyword.

    This is the loop a lecture first writes by hand (``opt_state = optimizer.init(params)``,
    then ``value, grads = jax.value_and_grad(loss)(params, *args)``,
    ``updates, opt_state = optimizer.update(grads, opt_state, params)``,
    ``params = optax.apply_updates(params, updates)``), plus: a step compiled once and
    reused by later fits, the best parameters kept, early stopping, and a clear error
    when the loss stops being finite.

    Only the inexact (floating-point) array leaves of ``params`` are trained; everything
    else (activation functions, integers, static fields) is held fixed.

    - ``patience``: stop when the loss has not improved by more than ``min_delta`` for
      this many consecutive steps.
    - ``callback(step, params, loss)``: called after every step; returning ``True``
      stops training.
    - ``progress``: show a tqdm progress bar (useful for long runs in a terminal).

    Optimizers that need the objective itself, such as ``optax.lbfgs``, receive it:
    the loop passes ``value``, ``grad`` and ``value_fn`` to ``optimizer.update``. When
    the optimizer's line search stores the value and gradient at the point it accepts
    (``optax.lbfgs`` does), the next step starts from those instead of evaluating the
    loss and its gradient again, which halves the cost of an L-BFGS step.

    >>> import optax
    >>> result = sk.fit(lambda p: (p - 3.0) ** 2, jnp.array(0.0), optax.adam(0.1), steps=300)
    >>> print(round(float(result.params), 2))
    3.0
    """
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)):
        raise TypeError(f"steps must be an integer number of optimizer steps, got {steps!r}")
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}")
    if patience is not None and patience < 1:
        raise ValueError(f"patience must be at least 1 when given, got {patience}")

    trainable, static = eqx.partition(params, eqx.is_inexact_array)
    trainable = _strongly_typed(trainable)
    opt_state = _strongly_typed(optimizer.init(trainable))
    step = _compiled_step(loss, optimizer, _gradient_source(optimizer, opt_state), static)
    losses: list[float] = []
    best_loss, best_trainable, since_best = np.inf, trainable, 0
    stopped_early = False
    bar = _progress_bar(steps, description) if progress else None
    try:
        for i in range(steps):
            new_trainable, opt_state, value = step(trainable, opt_state, *args)
            value = float(value)
            losses.append(value)
            if not np.isfinite(value):
                raise FloatingPointError(
                    f"loss became {value} at step {i}; lower the learning rate or check "
                    "the model for overflow"
                )
            if value < best_loss - min_delta:
                best_loss, best_trainable, since_best = value, trainable, 0
            else:
                since_best += 1
            trainable = new_trainable
            if bar is not None:
                bar.update(1)
                bar.set_postfix(loss=f"{value:.3e}", refresh=False)
            if patience is not None and since_best >= patience:
                stopped_early = True
                break
            if callback is not None and callback(i, eqx.combine(trainable, static), value):
                stopped_early = True
                break
    finally:
        if bar is not None:
            bar.close()

    return FitResult(
        params=eqx.combine(best_trainable, static),
        losses=np.asarray(losses),
        best_loss=float(best_loss),
        stopped_early=stopped_early,
    )


_STEP_CACHE: OrderedDict[tuple, Callable] = OrderedDict()
_STEP_CACHE_SIZE = 32


#: Where a step gets the loss value and gradient it hands to the optimizer.
_GRADIENT = "jax.value_and_grad"  # plain optimizers (Adam, SGD, ...)
_GRADIENT_AND_OBJECTIVE = "jax.value_and_grad, objective passed on"  # line searches
_FROM_LINE_SEARCH = "line search's stored value and gradient"  # optax.lbfgs


def _gradient_source(optimizer: optax.GradientTransformation, opt_state: PyTree) -> str:
    if not isinstance(optimizer, optax.GradientTransformationExtraArgs):
        return _GRADIENT
    try:
        stored = optax.tree.get(opt_state, "value") is not None and optax.tree.get(opt_state, "grad") is not None
    except KeyError:  # several entries of that name: do not guess which is meant
        stored = False
    return _FROM_LINE_SEARCH if stored else _GRADIENT_AND_OBJECTIVE


def _compiled_step(loss, optimizer, gradient_source: str, static: PyTree) -> Callable:
    """The jitted step for this loss, optimizer and model structure, reused across fits.

    Keeping the step in a small cache (rather than defining it inside :func:`fit`) lets
    a second ``fit`` with the same loss function and optimizer object, say on new data of
    the same shape, skip tracing and compiling. The loss, optimizer and static part of
    the model are bound here once, so each step only flattens the arrays that change;
    that keeps the per-step overhead at the level of a hand-written equinox loop.
    """
    leaves, structure = jax.tree_util.tree_flatten(static)
    key = (loss, optimizer, gradient_source, structure, tuple(leaves))
    try:
        cached = _STEP_CACHE.get(key)
    except TypeError:  # something unhashable in the static part: compile for this fit only
        return _make_step(loss, optimizer, gradient_source, static)
    if cached is None:
        cached = _STEP_CACHE[key] = _make_step(loss, optimizer, gradient_source, static)
        if len(_STEP_CACHE) > _STEP_CACHE_SIZE:
            _STEP_CACHE.popitem(last=False)
    else:
        _STEP_CACHE.move_to_end(key)
    return cached


def _make_step(loss, optimizer, gradient_source: str, static: PyTree) -> Callable:
    def objective(trainable_part, *args):
        return loss(eqx.combine(trainable_part, static), *args)

    @eqx.filter_jit
    def step(trainable, opt_state, *loss_args):
        if gradient_source == _FROM_LINE_SEARCH:
            # Falls back to jax.value_and_grad on the first step, whose stored value is
            # infinite. The loss arguments are closed over, not passed: they may hold
            # functions, which its lax.cond cannot take as operands.
            from_line_search = optax.value_and_grad_from_state(lambda p: objective(p, *loss_args))
            value, grads = from_line_search(trainable, state=opt_state)
        else:
            value, grads = jax.value_and_grad(objective)(trainable, *loss_args)
        if gradient_source != _GRADIENT:
            updates, opt_state = optimizer.update(
                grads,
                opt_state,
                trainable,
                value=value,
                grad=grads,
                value_fn=lambda p: objective(p, *loss_args),
            )
        else:
            updates, opt_state = optimizer.update(grads, opt_state, trainable)
        return _strongly_typed(optax.apply_updates(trainable, updates)), _strongly_typed(opt_state), value

    return step


def _strongly_typed(tree: PyTree) -> PyTree:
    """The same arrays without JAX's "weak type" flag.

    Python scalars become weakly typed arrays (``jnp.asarray(1.3)``, and the counters in
    ``optax.lbfgs``'s initial state), while the arrays a step returns are strongly typed.
    A jitted function sees the two as different input types and would compile the step a
    second time at step two; fixing the types up front keeps it to one compilation.
    """
    return jax.tree.map(lambda leaf: jnp.asarray(leaf, dtype=leaf.dtype) if eqx.is_array(leaf) else leaf, tree)


def _progress_bar(total: int, description: str):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=description, leave=False)
