"""Plain versus augmented neural ODEs on the map x -> -x; writes ../figures/*.png.

A one-dimensional ODE flow cannot send 1 to -1 and -1 to 1 at once (its trajectories
would have to cross), so a plain neural ODE fails on this map however long it trains;
adding one extra, zero-initialised dimension removes the obstruction.
Run from this folder: python train.py (about half a minute on a laptop CPU).
"""

from __future__ import annotations

from pathlib import Path

import jax
import jax.numpy as jnp
import matplotlib
import optax

matplotlib.use("Agg")
import matplotlib.pyplot as plt

FIGURES = Path(__file__).resolve().parent.parent / "figures"
STEPS, T_END, WIDTH, EPOCHS, LEARNING_RATE = 20, 1.0, 32, 600, 1e-2


def init_mlp(key, sizes):
    params = []
    keys = jax.random.split(key, len(sizes) - 1)
    for layer_key, fan_in, fan_out in zip(keys, sizes[:-1], sizes[1:]):
        weight = jax.random.normal(layer_key, (fan_in, fan_out)) / jnp.sqrt(fan_in)
        params.append((weight, jnp.zeros(fan_out)))
    return params


def mlp(params, z):
    for weight, bias in params[:-1]:
        z = jnp.tanh(z @ weight + bias)
    weight, bias = params[-1]
    return z @ weight + bias


def flow(params, z0):
    """Integrate z' = f(z) from 0 to T_END with classical fourth-order Runge-Kutta."""
    h = T_END / STEPS

    def step(z, _):
        k1 = mlp(params, z)
        k2 = mlp(params, z + h / 2 * k1)
        k3 = mlp(params, z + h / 2 * k2)
        k4 = mlp(params, z + h * k3)
        return z + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4), None

    z, _ = jax.lax.scan(step, z0, None, length=STEPS)
    return z


def predict(params, x, extra):
    z0 = jnp.concatenate([x, jnp.zeros((x.shape[0], extra))], axis=1)
    return flow(params, z0)[:, :1]


def train(extra: int, seed: int = 0):
    x = jnp.linspace(-1.0, 1.0, 64)[:, None]
    target = -x
    params = init_mlp(jax.random.PRNGKey(seed), [1 + extra, WIDTH, WIDTH, 1 + extra])
    optimizer = optax.adam(LEARNING_RATE)
    state = optimizer.init(params)

    @jax.jit
    def update(params, state):
        loss, grads = jax.value_and_grad(lambda p: jnp.mean((predict(p, x, extra) - target) ** 2))(params)
        updates, state = optimizer.update(grads, state)
        return optax.apply_updates(params, updates), state, loss

    losses = []
    for _ in range(EPOCHS):
        params, state, loss = update(params, state)
        losses.append(float(loss))
    return params, losses


def main() -> None:
    FIGURES.mkdir(exist_ok=True)
    results = {"neural ODE (1-D)": (0, *train(0)), "augmented neural ODE (+1 dim)": (1, *train(1))}
    for name, (_, _, losses) in results.items():
        print(f"{name}: final mean squared error {losses[-1]:.2e}")

    fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
    for name, (_, _, losses) in results.items():
        ax.semilogy(losses, label=name)
    ax.set_xlabel("Adam step")
    ax.set_ylabel("mean squared error")
    ax.legend(frameon=False)
    fig.savefig(FIGURES / "losses.png", dpi=100)
    plt.close(fig)

    grid = jnp.linspace(-1.0, 1.0, 201)[:, None]
    fig, ax = plt.subplots(figsize=(6, 3.75), layout="constrained")
    ax.plot(grid[:, 0], -grid[:, 0], color="0.5", linestyle="--", label="target: -x")
    for name, (extra, params, _) in results.items():
        ax.plot(grid[:, 0], predict(params, grid, extra)[:, 0], label=name)
    ax.set_xlabel("input x")
    ax.set_ylabel("output of the flow at t = 1")
    ax.legend(frameon=False)
    fig.savefig(FIGURES / "maps.png", dpi=100)
    fig.savefig(FIGURES / "thumbnail.png", dpi=80)
    plt.close(fig)


if __name__ == "__main__":
    main()
