"""Canonical differential-equation problems with their published parameters.

Each factory returns an :class:`ODEProblem`: a vector field ``f(t, y, params)``, an
initial state, a time span and the parameter values the literature uses, so lectures,
tests and benchmarks all start from the same numbers.
"""

from __future__ import annotations

from typing import Any, Callable

import equinox as eqx
import jax.numpy as jnp
from jaxtyping import Array, ArrayLike, Float, PyTree

VectorField = Callable[[Any, Any, Any], Any]


class ODEProblem(eqx.Module):
    """An initial-value problem ``y' = f(t, y, params)``, ``y(t0) = y0``."""

    vector_field: VectorField = eqx.field(static=True)
    y0: Float[Array, " n"]
    params: PyTree
    t_span: tuple[float, float] = eqx.field(static=True)
    name: str = eqx.field(static=True)


def _logistic(t, y, params):
    return params["r"] * y * (1.0 - y / params["K"])


def logistic_growth(r: float = 0.8, K: float = 10.0, u0: float = 0.5) -> ODEProblem:
    """Logistic growth ``u' = r u (1 - u/K)`` on ``t`` in [0, 12] (Verhulst 1838)."""
    return ODEProblem(
        vector_field=_logistic,
        y0=jnp.array([u0]),
        params={"r": jnp.asarray(r), "K": jnp.asarray(K)},
        t_span=(0.0, 12.0),
        name="logistic growth",
    )


def logistic_growth_exact(
    t: Float[ArrayLike, " m"], r: float, K: float, u0: float
) -> Float[Array, " m"]:
    """Closed-form logistic solution ``K / (1 + (K/u0 - 1) exp(-r t))``."""
    t = jnp.asarray(t)
    return K / (1.0 + (K / u0 - 1.0) * jnp.exp(-r * t))


def _lotka_volterra(t, y, params):
    prey, predator = y[0], y[1]
    a, b, c, d = params[0], params[1], params[2], params[3]
    return jnp.stack([a * prey - b * prey * predator, -c * predator + d * prey * predator])


def lotka_volterra(
    params: tuple[float, float, float, float] = (1.5, 1.0, 3.0, 1.0),
    u0: tuple[float, float] = (1.0, 1.0),
    t_span: tuple[float, float] = (0.0, 10.0),
) -> ODEProblem:
    """Lotka-Volterra ``u' = a u - b u v``, ``v' = -c v + d u v``.

    The defaults are the set-up of the original course's second lecture:
    ``p = (1.5, 1.0, 3.0, 1.0)``, ``u0 = (1, 1)``, ``t`` in [0, 10].
    """
    return ODEProblem(
        vector_field=_lotka_volterra,
        y0=jnp.asarray(u0),
        params=jnp.asarray(params),
        t_span=t_span,
        name="Lotka-Volterra",
    )


SPIRAL_MATRIX = ((-0.1, 2.0), (-2.0, -0.1))


def _cubic_spiral(t, y, A):
    # The state is a row vector multiplied from the left: y' = (y**3) A.
    return (y**3) @ A


def cubic_spiral(
    A: tuple[tuple[float, float], tuple[float, float]] = SPIRAL_MATRIX,
    u0: tuple[float, float] = (2.0, 0.0),
    t_span: tuple[float, float] = (0.0, 1.5),
) -> ODEProblem:
    """The cubic spiral ``u' = (u**3) A`` of torchdiffeq's ``ode_demo`` example.

    ``A = [[-0.1, 2], [-2, -0.1]]``, ``u0 = (2, 0)``; the original course's third
    lecture integrates it on ``t`` in [0, 1.5]. The weak damping (-0.1) makes the orbit
    spiral slowly inwards; the cube makes the rotation fast far from the origin.
    """
    return ODEProblem(
        vector_field=_cubic_spiral,
        y0=jnp.asarray(u0),
        params=jnp.asarray(A),
        t_span=t_span,
        name="cubic spiral",
    )


def cosine_forcing_exact(t: Float[ArrayLike, " m"], u0: float = 1.0) -> Float[Array, " m"]:
    """Exact solution ``u0 + sin(2 pi t) / (2 pi)`` of ``u' = cos(2 pi t)``, ``u(0) = u0``.

    The test problem the original course solves with a network in its second lecture.
    """
    t = jnp.asarray(t)
    return u0 + jnp.sin(2.0 * jnp.pi * t) / (2.0 * jnp.pi)


def lotka_volterra_ude(t_span: tuple[float, float] = (0.0, 3.0)) -> ODEProblem:
    """The Lotka-Volterra set-up of the universal-ODE paper (Rackauckas et al. 2020).

    The paper writes ``x' = alpha x - beta x y``, ``y' = gamma x y - delta y`` with
    ``(alpha, beta, gamma, delta) = (1.3, 0.9, 0.8, 1.8)`` and ``u0 = (0.44249296,
    4.6280594)``, observed on ``t`` in [0, 3]. In this module's ``(a, b, c, d)`` order
    that is ``(1.3, 0.9, 1.8, 0.8)``.
    """
    return lotka_volterra(params=(1.3, 0.9, 1.8, 0.8), u0=(0.44249296, 4.6280594), t_span=t_span)


def lotka_volterra_known(t, y, params):
    """The terms of Lotka-Volterra a modeller is sure of: ``(alpha x, -delta y)``.

    ``params = (alpha, delta)``; the interactions ``-beta x y`` and ``+gamma x y`` are
    what a universal ODE leaves to a network.
    """
    return jnp.stack([params[0] * y[0], -params[1] * y[1]])


def _robertson_field(t, y: Float[Array, " 3"], k: Float[Array, " 3"]) -> Float[Array, " 3"]:
    k1, k2, k3 = k[0], k[1], k[2]
    y1, y2, y3 = y[0], y[1], y[2]
    return jnp.stack([-k1 * y1 + k3 * y2 * y3, k1 * y1 - k2 * y2**2 - k3 * y2 * y3, k2 * y2**2])


def robertson(t_end: float = 1e5) -> ODEProblem:
    """Robertson's chemical kinetics, the classic stiff test (Hairer and Wanner, section IV.1).

    ``y1' = -k1 y1 + k3 y2 y3``, ``y2' = k1 y1 - k2 y2^2 - k3 y2 y3``, ``y3' = k2 y2^2`` with
    rate constants ``(0.04, 3e7, 1e4)`` spanning eleven orders of magnitude, from ``(1, 0, 0)``.
    """
    return ODEProblem(_robertson_field, jnp.array([1.0, 0.0, 0.0]), jnp.array([0.04, 3e7, 1e4]), (0.0, t_end), "Robertson")


#: The reference solution of :func:`robertson` at t = 1e11 from the Bari IVP test set (Mazzia and Magherini).
ROBERTSON_REFERENCE_1E11 = (0.2083340149701255e-07, 0.8333360770334713e-13, 0.9999999791665050)


def _lorenz(t, y, params):
    sigma, rho, beta = params[0], params[1], params[2]
    return jnp.stack([sigma * (y[1] - y[0]), y[0] * (rho - y[2]) - y[1], y[0] * y[1] - beta * y[2]])


def lorenz(
    params: tuple[float, float, float] = (10.0, 28.0, 8.0 / 3.0),
    u0: tuple[float, float, float] = (-8.0, 8.0, 27.0),
    t_span: tuple[float, float] = (0.0, 10.0),
) -> ODEProblem:
    """The Lorenz system ``x' = sigma (y - x)``, ``y' = x (rho - z) - y``, ``z' = x y - beta z``.

    ``(sigma, rho, beta) = (10, 28, 8/3)`` and ``u0 = (-8, 8, 27)``, the chaotic set-up
    of the SINDy paper (Brunton, Proctor and Kutz 2016).

    >>> problem = sk.lorenz()
    >>> problem.name, problem.t_span
    ('Lorenz', (0.0, 10.0))
    """
    return ODEProblem(
        vector_field=_lorenz, y0=jnp.asarray(u0), params=jnp.asarray(params), t_span=t_span, name="Lorenz"
    )


def _pendulum(t, y, params):
    return jnp.stack([y[1], -params[0] * jnp.sin(y[0])])


def pendulum(
    g_over_l: float = 1.0, u0: tuple[float, float] = (2.5, 0.0), t_span: tuple[float, float] = (0.0, 20.0)
) -> ODEProblem:
    """The nonlinear pendulum ``theta' = omega``, ``omega' = -(g/l) sin(theta)``.

    The default start, 2.5 rad from the bottom, swings far enough that ``sin theta`` is
    nowhere near ``theta``: a polynomial library of low degree cannot describe it.
    """
    return ODEProblem(
        vector_field=_pendulum, y0=jnp.asarray(u0), params=jnp.asarray([g_over_l]), t_span=t_span, name="pendulum"
    )


def _sir(t, y, params):
    susceptible, infected = y[0], y[1]
    beta, gamma = params[0], params[1]
    new_infections = beta * susceptible * infected
    return jnp.stack([-new_infections, new_infections - gamma * infected, gamma * infected])


def sir(
    params: tuple[float, float] = (0.4, 0.1),
    infected0: float = 0.01,
    t_span: tuple[float, float] = (0.0, 100.0),
) -> ODEProblem:
    """The SIR epidemic ``S' = -beta S I``, ``I' = beta S I - gamma I``, ``R' = gamma I``
    (Kermack and McKendrick 1927), in fractions of the population.

    ``params = (beta, gamma)``: infection rate and recovery rate per day; the basic
    reproduction number is ``beta / gamma`` (4 by default).
    """
    return ODEProblem(
        vector_field=_sir,
        y0=jnp.array([1.0 - infected0, infected0, 0.0]),
        params=jnp.asarray(params),
        t_span=t_span,
        name="SIR",
    )
