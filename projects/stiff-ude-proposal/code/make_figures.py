"""Draw the proposal's figure into ../figures/ and print the numbers its text quotes
(run: python make_figures.py)."""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from scipy.integrate import solve_ivp

FIGURES = Path(__file__).resolve().parent.parent / "figures"
K1, K2, K3 = 0.04, 3.0e7, 1.0e4  # Robertson's rate constants


def robertson(t, y):
    y1, y2, y3 = y
    return [-K1 * y1 + K3 * y2 * y3, K1 * y1 - K3 * y2 * y3 - K2 * y2**2, K2 * y2**2]


def jacobian(t, y):
    y1, y2, y3 = y
    return [[-K1, K3 * y3, K3 * y2], [K1, -K3 * y3 - 2 * K2 * y2, -K3 * y2], [0.0, 2 * K2 * y2, 0.0]]


times = np.logspace(-5, 5, 200)
solution = solve_ivp(robertson, (0.0, 1e5), [1.0, 0.0, 0.0], method="Radau", t_eval=times,
                     jac=jacobian, rtol=1e-10, atol=1e-14)
explicit = solve_ivp(robertson, (0.0, 1e2), [1.0, 0.0, 0.0], method="RK45", rtol=1e-6, atol=1e-10)
implicit = solve_ivp(robertson, (0.0, 1e2), [1.0, 0.0, 0.0], method="Radau", jac=jacobian, rtol=1e-6, atol=1e-10)
eigenvalues = np.linalg.eigvals(jacobian(0.0, solution.y[:, np.searchsorted(times, 1.0)]))
print(f"steps to t = 100 at rtol 1e-6: RK45 {explicit.t.size - 1}, Radau {implicit.t.size - 1}")
print(f"largest |eigenvalue| of the Jacobian at t = 1: {np.abs(eigenvalues).max():.3g}")
print(f"peak of y2: {solution.y[1].max():.3g} at t = {times[solution.y[1].argmax()]:.2g}")

fig, ax = plt.subplots(figsize=(4.8, 3.0), dpi=100, layout="constrained")
ax.semilogx(times, solution.y[0], label="$y_1$")
ax.semilogx(times, 1e4 * solution.y[1], label="$10^4\\,y_2$")
ax.semilogx(times, solution.y[2], label="$y_3$")
ax.set_xlabel("t")
ax.set_ylabel("concentration")
ax.legend(frameon=False)
fig.savefig(FIGURES / "thumbnail.png")
plt.close(fig)
