"""Automatic differentiation in miniature: dual numbers (forward mode) and a tape (reverse mode).

These are teaching implementations on Python floats, small enough to read in one
sitting, and exact: they apply the chain rule to the same elementary operations JAX
does, so they agree with ``jax.jvp`` and ``jax.vjp`` to rounding (the tests check
1e-12). The elementary functions :func:`sin`, :func:`cos`, :func:`exp`, :func:`log`,
:func:`tanh` and :func:`sqrt` accept a plain float, a :class:`Dual` or a
:class:`Variable`, so one function definition can be run forward, differentiated
forward, or recorded on a tape.

- Forward mode: ``derivative(f, x)``, ``jvp(f, primals, tangents)``,
  ``jacobian_forward(f, x)`` (one pass per input, i.e. by columns).
- Reverse mode: ``gradient(f, x)``, ``vjp(f, primals, cotangents)``,
  ``jacobian_reverse(f, x)`` (one backward sweep per output, i.e. by rows).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

Number = float | int


# --------------------------------------------------------------------------- forward mode
@dataclass(frozen=True)
class Dual:
    """``value + tangent * eps`` with ``eps**2 = 0``: a number that carries its derivative."""

    value: float
    tangent: float = 0.0

    def _lift(self, other: Any) -> Dual:
        if isinstance(other, Dual):
            return other
        if isinstance(other, (int, float)):
            return Dual(float(other), 0.0)
        return NotImplemented

    def __add__(self, other: Any) -> Dual:
        other = self._lift(other)
        if other is NotImplemented:
            return other
        return Dual(self.value + other.value, self.tangent + other.tangent)

    __radd__ = __add__

    def __sub__(self, other: Any) -> Dual:
        other = self._lift(other)
        if other is NotImplemented:
            return other
        return Dual(self.value - other.value, self.tangent - other.tangent)

    def __rsub__(self, other: Any) -> Dual:
        return self._lift(other) - self

    def __mul__(self, other: Any) -> Dual:
        other = self._lift(other)
        if other is NotImplemented:
            return other
        return Dual(self.value * other.value, self.tangent * other.value + self.value * other.tangent)

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> Dual:
        other = self._lift(other)
        if other is NotImplemented:
            return other
        quotient = self.value / other.value
        return Dual(quotient, (self.tangent - quotient * other.tangent) / other.value)

    def __rtruediv__(self, other: Any) -> Dual:
        return self._lift(other) / self

    def __neg__(self) -> Dual:
        return Dual(-self.value, -self.tangent)

    def __pow__(self, exponent: Any) -> Dual:
        if isinstance(exponent, (int, float)):
            # d(x^p) = p x^(p-1) dx; written this way so x = 0 with an integer p works.
            return Dual(self.value**exponent, exponent * self.value ** (exponent - 1) * self.tangent)
        return exp(exponent * log(self))

    def __rpow__(self, base: Any) -> Dual:
        return exp(self * math.log(base))


# --------------------------------------------------------------------------- reverse mode
@dataclass(eq=False)
class Tape:
    """The record of a computation: for each node, its parents and the local partials."""

    parents: list[tuple[int, ...]] = field(default_factory=list)
    partials: list[tuple[float, ...]] = field(default_factory=list)

    def record(self, value: float, parents: tuple[Variable, ...] = (), partials: tuple[float, ...] = ()) -> Variable:
        self.parents.append(tuple(parent.index for parent in parents))
        self.partials.append(partials)
        return Variable(value, self, len(self.parents) - 1)

    def backward(self, seeds: dict[int, float]) -> list[float]:
        """Adjoints of every node, given the adjoints ``seeds`` of the outputs.

        Nodes are recorded in the order they were computed, so walking the tape
        backwards visits a node only after everything that used it.
        """
        adjoint = [0.0] * len(self.parents)
        for index, seed in seeds.items():
            adjoint[index] += seed
        for node in range(len(self.parents) - 1, -1, -1):
            if adjoint[node] == 0.0:
                continue
            for parent, partial in zip(self.parents[node], self.partials[node]):
                adjoint[parent] += adjoint[node] * partial
        return adjoint


@dataclass(frozen=True, eq=False)
class Variable:
    """A value recorded on a :class:`Tape`; arithmetic on it records new nodes."""

    value: float
    tape: Tape
    index: int

    def _lift(self, other: Any) -> Variable:
        if isinstance(other, Variable):
            if other.tape is not self.tape:
                raise ValueError("cannot combine variables recorded on two different tapes")
            return other
        if isinstance(other, (int, float)):
            return self.tape.record(float(other))
        return NotImplemented

    def __add__(self, other: Any) -> Variable:
        other = self._lift(other)
        if other is NotImplemented:
            return other
        return self.tape.record(self.value + other.value, (self, other), (1.0, 1.0))

    __radd__ = __add__

    def __sub__(self, other: Any) -> Variable:
        other = self._lift(other)
        if other is NotImplemented:
            return other
        return self.tape.record(self.value - other.value, (self, other), (1.0, -1.0))

    def __rsub__(self, other: Any) -> Variable:
        return self._lift(other) - self

    def __mul__(self, other: Any) -> Variable:
        other = self._lift(other)
        if other is NotImplemented:
            return other
        return self.tape.record(self.value * other.value, (self, other), (other.value, self.value))

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> Variable:
        other = self._lift(other)
        if other is NotImplemented:
            return other
        quotient = self.value / other.value
        return self.tape.record(quotient, (self, other), (1.0 / other.value, -quotient / other.value))

    def __rtruediv__(self, other: Any) -> Variable:
        return self._lift(other) / self

    def __neg__(self) -> Variable:
        return self.tape.record(-self.value, (self,), (-1.0,))

    def __pow__(self, exponent: Any) -> Variable:
        if isinstance(exponent, (int, float)):
            return self.tape.record(self.value**exponent, (self,), (exponent * self.value ** (exponent - 1),))
        return exp(exponent * log(self))

    def __rpow__(self, base: Any) -> Variable:
        return exp(self * math.log(base))


# --------------------------------------------------------------------------- elementary functions
def _elementary(x: Any, function: Callable[[float], float], slope: Callable[[float], float]):
    """``function(x)`` for a float, a :class:`Dual` or a :class:`Variable`."""
    if isinstance(x, Dual):
        return Dual(function(x.value), slope(x.value) * x.tangent)
    if isinstance(x, Variable):
        return x.tape.record(function(x.value), (x,), (slope(x.value),))
    if isinstance(x, (int, float)):
        return function(float(x))
    raise TypeError(f"expected a float, Dual or Variable, got {type(x).__name__}")


def sin(x):
    return _elementary(x, math.sin, math.cos)


def cos(x):
    return _elementary(x, math.cos, lambda v: -math.sin(v))


def exp(x):
    return _elementary(x, math.exp, math.exp)


def log(x):
    return _elementary(x, math.log, lambda v: 1.0 / v)


def tanh(x):
    return _elementary(x, math.tanh, lambda v: 1.0 - math.tanh(v) ** 2)


def sqrt(x):
    return _elementary(x, math.sqrt, lambda v: 0.5 / math.sqrt(v))


# --------------------------------------------------------------------------- the user-facing API
Function = Callable[..., Any]


def _as_floats(values: Sequence[Number], name: str) -> list[float]:
    try:
        return [float(v) for v in values]
    except TypeError as error:
        raise TypeError(f"{name} must be a sequence of numbers, got {type(values).__name__}") from error


def _outputs(result: Any) -> tuple[list[Any], bool]:
    """The function's outputs as a list, and whether it returned a single scalar."""
    if isinstance(result, (list, tuple)):
        return list(result), False
    return [result], True


def jvp(f: Function, primals: Sequence[Number], tangents: Sequence[Number]):
    """``(f(x), J(x) @ v)`` by one forward pass with dual numbers; ``f`` takes scalars."""
    primals, tangents = _as_floats(primals, "primals"), _as_floats(tangents, "tangents")
    if len(primals) != len(tangents):
        raise ValueError(f"{len(primals)} primals but {len(tangents)} tangents")
    outputs, scalar = _outputs(f(*(Dual(x, v) for x, v in zip(primals, tangents))))
    duals = [out if isinstance(out, Dual) else Dual(float(out)) for out in outputs]
    values, derivatives = [d.value for d in duals], [d.tangent for d in duals]
    return (values[0], derivatives[0]) if scalar else (values, derivatives)


def derivative(f: Callable[[Any], Any], x: Number) -> float:
    """``f'(x)`` for a scalar function of one scalar, by forward mode."""
    return jvp(f, [x], [1.0])[1]


def jacobian_forward(f: Function, primals: Sequence[Number]) -> list[list[float]]:
    """The Jacobian ``J[i][j] = d f_i / d x_j``, one forward pass per input (by columns)."""
    primals = _as_floats(primals, "primals")
    columns = []
    for j in range(len(primals)):
        _, column = jvp(f, primals, [1.0 if k == j else 0.0 for k in range(len(primals))])
        columns.append(column if isinstance(column, list) else [column])
    return [list(row) for row in zip(*columns)]


def vjp(f: Function, primals: Sequence[Number], cotangents: Sequence[Number] | Number):
    """``(f(x), u @ J(x))`` by recording ``f`` on a tape and sweeping it backwards once."""
    primals = _as_floats(primals, "primals")
    tape = Tape()
    inputs = [tape.record(x) for x in primals]
    outputs, scalar = _outputs(f(*inputs))
    cotangents = [cotangents] if scalar and isinstance(cotangents, (int, float)) else cotangents
    cotangents = _as_floats(cotangents, "cotangents")
    if len(cotangents) != len(outputs):
        raise ValueError(f"f returned {len(outputs)} outputs but {len(cotangents)} cotangents were given")
    seeds: dict[int, float] = {}
    values = []
    for out, u in zip(outputs, cotangents):
        if isinstance(out, Variable):
            seeds[out.index] = seeds.get(out.index, 0.0) + u
            values.append(out.value)
        else:  # an output that does not depend on the inputs
            values.append(float(out))
    adjoint = tape.backward(seeds)
    gradient_of_inputs = [adjoint[x.index] for x in inputs]
    return (values[0] if scalar else values), gradient_of_inputs


def gradient(f: Function, primals: Sequence[Number]) -> list[float]:
    """The gradient of a scalar function of several scalars, by one reverse sweep."""
    return vjp(f, primals, 1.0)[1]


def jacobian_reverse(f: Function, primals: Sequence[Number]) -> list[list[float]]:
    """The Jacobian, one reverse sweep per output (by rows)."""
    primals = _as_floats(primals, "primals")
    outputs, _ = _outputs(f(*primals))
    rows = []
    for i in range(len(outputs)):
        _, row = vjp(lambda *x: _outputs(f(*x))[0], primals, [1.0 if k == i else 0.0 for k in range(len(outputs))])
        rows.append(row)
    return rows
