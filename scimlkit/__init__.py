"""scimlkit: the toolkit behind the *Scientific Machine Learning in Python* course.

The lectures import the public names below. They load on first use, so that tools
which only need a corner of the package (the book's Sphinx extension, the project
command) start without importing JAX.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "glue": "claims",
    "add_relative_noise": "data",
    "concentric_circles": "data",
    "load_digits": "data",
    "noisy_solution": "data",
    "train_test_split": "data",
    "apply_stencil": "convolutions",
    "heat_step_data": "convolutions",
    "periodic_grid": "convolutions",
    "second_difference_stencil": "convolutions",
    "stencil_loss": "convolutions",
    "GRADIENT_METHODS": "gradients",
    "diffrax_adjoint": "gradients",
    "loss_gradient": "gradients",
    "trajectory": "gradients",
    "AugmentedNeuralODE": "neural_odes",
    "MLPField": "neural_odes",
    "NeuralODE": "neural_odes",
    "UniversalODE": "neural_odes",
    "cube": "neural_odes",
    "function_evaluations": "neural_odes",
    "gaussian": "neural_odes",
    "integrate": "neural_odes",
    "ensemble_solve": "ensembles",
    "solve_one_by_one": "ensembles",
    "EventHit": "events",
    "bounce": "events",
    "bouncing_ball_impact_times_exact": "events",
    "bouncing_ball_impacts": "events",
    "falling": "events",
    "height": "events",
    "one_compartment": "events",
    "one_compartment_exact": "events",
    "repeated_events": "events",
    "solve_to_event": "events",
    "solve_with_doses": "events",
    "COLORS": "plotting",
    "new_figure": "plotting",
    "use_book_style": "plotting",
    "ODEProblem": "problems",
    "cosine_forcing_exact": "problems",
    "cubic_spiral": "problems",
    "logistic_growth": "problems",
    "logistic_growth_exact": "problems",
    "lotka_volterra": "problems",
    "lotka_volterra_known": "problems",
    "lotka_volterra_ude": "problems",
    "solve": "problems",
    "budget": "profiles",
    "device_summary": "profiles",
    "profile": "profiles",
    "multiple_shooting_loss": "shooting",
    "solve_segments": "shooting",
    "split_into_segments": "shooting",
    "Surrogate": "surrogates",
    "fit_surrogate": "surrogates",
    "galerkin_field": "surrogates",
    "neumann_laplacian": "surrogates",
    "pod_basis": "surrogates",
    "reaction_diffusion_field": "surrogates",
    "relative_error": "surrogates",
    "sample_parameters": "surrogates",
    "FitResult": "training",
    "fit": "training",
    "TrialSolution": "trial_solutions",
    "ode_residual_loss": "trial_solutions",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        module = importlib.import_module(f".{_EXPORTS[name]}", __name__)
        value = getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'scimlkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


if TYPE_CHECKING:
    from .claims import glue
    from .convolutions import (
        apply_stencil,
        heat_step_data,
        periodic_grid,
        second_difference_stencil,
        stencil_loss,
    )
    from .data import (
        add_relative_noise,
        concentric_circles,
        load_digits,
        noisy_solution,
        train_test_split,
    )
    from .ensembles import ensemble_solve, solve_one_by_one
    from .events import (
        EventHit,
        bounce,
        bouncing_ball_impact_times_exact,
        bouncing_ball_impacts,
        falling,
        height,
        one_compartment,
        one_compartment_exact,
        repeated_events,
        solve_to_event,
        solve_with_doses,
    )
    from .gradients import GRADIENT_METHODS, diffrax_adjoint, loss_gradient, trajectory
    from .neural_odes import (
        AugmentedNeuralODE,
        MLPField,
        NeuralODE,
        UniversalODE,
        cube,
        function_evaluations,
        gaussian,
        integrate,
    )
    from .plotting import COLORS, new_figure, use_book_style
    from .problems import (
        ODEProblem,
        cosine_forcing_exact,
        cubic_spiral,
        logistic_growth,
        logistic_growth_exact,
        lotka_volterra,
        lotka_volterra_known,
        lotka_volterra_ude,
        solve,
    )
    from .profiles import budget, device_summary, profile
    from .shooting import multiple_shooting_loss, solve_segments, split_into_segments
    from .surrogates import (
        Surrogate,
        fit_surrogate,
        galerkin_field,
        neumann_laplacian,
        pod_basis,
        reaction_diffusion_field,
        relative_error,
        sample_parameters,
    )
    from .training import FitResult, fit
    from .trial_solutions import TrialSolution, ode_residual_loss
