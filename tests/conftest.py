"""Test-wide settings: float64, as in every lecture."""

import jax

jax.config.update("jax_enable_x64", True)
