"""Linear stability of time-stepping methods, and how stiff a system is.

Applied to the test equation ``y' = lambda y``, a one-step method multiplies the solution
by ``R(z)`` per step, ``z = h lambda``; the method is stable where ``|R(z)| <= 1``, its
*stability region*. A system is stiff when its Jacobian has eigenvalues of very different
sizes: an explicit method's step is then limited by the fastest (and long-decayed) mode,
not by the accuracy the slow dynamics need.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from jaxtyping import Complex, Float

StabilityFunction = Callable[[np.ndarray], np.ndarray]


def explicit_euler_stability(z):
    """``R(z) = 1 + z``."""
    return 1.0 + z


def rk4_stability(z):
    """The classical Runge-Kutta method: the degree-4 Taylor polynomial of ``exp(z)``."""
    return 1.0 + z + z**2 / 2 + z**3 / 6 + z**4 / 24


def implicit_euler_stability(z):
    """``R(z) = 1 / (1 - z)``: stable on the whole left half-plane and beyond."""
    return 1.0 / (1.0 - z)


def trapezoid_stability(z):
    """``R(z) = (1 + z/2) / (1 - z/2)``: exactly the left half-plane (A-stable, not L-stable)."""
    return (1.0 + z / 2) / (1.0 - z / 2)


#: Stability functions ``R(z)`` of four one-step methods, by name, for :func:`plot_stability_region`.
STABILITY_FUNCTIONS: dict[str, StabilityFunction] = {
    "explicit Euler": explicit_euler_stability,
    "RK4": rk4_stability,
    "implicit Euler": implicit_euler_stability,
    "trapezoid": trapezoid_stability,
}


def plot_stability_region(ax, stability: StabilityFunction, *, extent: float = 4.0, color=None, label=None, n: int = 401):
    """Shade ``{z : |R(z)| <= 1}`` on ``ax`` over the square ``[-extent, extent]^2`` and outline it."""
    axis = np.linspace(-extent, extent, n)
    z = axis[None, :] + 1j * axis[:, None]
    modulus = np.abs(stability(z))
    ax.contourf(axis, axis, modulus, levels=[0.0, 1.0], colors=[color], alpha=0.3)
    ax.contour(axis, axis, modulus, levels=[1.0], colors=[color], linewidths=1.5)
    if label is not None:
        ax.plot([], [], color=color, label=label)
    ax.axhline(0.0, color="0.5", linewidth=0.8)
    ax.axvline(0.0, color="0.5", linewidth=0.8)
    ax.set_aspect("equal")
    ax.set_xlabel(r"Re $h\lambda$")
    ax.set_ylabel(r"Im $h\lambda$")


def real_stability_limit(stability: StabilityFunction, *, search: float = 100.0) -> float:
    """The largest ``x`` such that ``|R(-s)| <= 1`` for all ``0 <= s <= x`` (``inf`` if beyond ``search``).

    For ``y' = lambda y`` with ``lambda < 0`` the step must satisfy ``h |lambda| <= x``.

    >>> print(round(sk.real_stability_limit(sk.STABILITY_FUNCTIONS["explicit Euler"]), 2))
    2.0
    """
    s = np.linspace(0.0, search, 200_001)
    unstable = np.abs(stability(-s)) > 1.0 + 1e-12
    return float(s[np.argmax(unstable)]) if unstable.any() else float("inf")


def stiffness_ratio(jacobian: Float[np.ndarray, "n n"]) -> tuple[float, Complex[np.ndarray, " n"]]:
    """``max |Re lambda| / min |Re lambda|`` over the eigenvalues with negative real part, and the eigenvalues.

    Eigenvalues with zero real part (conservation laws) are left out of the ratio.

    >>> ratio, eigenvalues = sk.stiffness_ratio(np.diag([-1.0, -1000.0]))
    >>> print(round(ratio, 6))
    1000.0
    """
    eigenvalues = np.linalg.eigvals(np.asarray(jacobian))
    decay = -eigenvalues.real
    scale = np.abs(eigenvalues).max()
    decaying = decay[decay > 1e-12 * scale]
    if decaying.size == 0:
        raise ValueError("stiffness_ratio: no eigenvalue has a negative real part")
    return float(decaying.max() / decaying.min()), eigenvalues
