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
    "apply_stencil": "convolutions",
    "fornberg_weights": "convolutions",
    "heat_step_data": "convolutions",
    "periodic_grid": "convolutions",
    "second_difference_stencil": "convolutions",
    "stencil_loss": "convolutions",
    "map_batch": "devices",
    "shard_batch": "devices",
    "GRADIENT_METHODS": "gradients",
    "loss_gradient": "gradients",
    "trajectory": "gradients",
    "AugmentedNeuralODE": "neural_odes",
    "NeuralODE": "neural_odes",
    "UniversalODE": "neural_odes",
    "cube": "neural_odes",
    "function_evaluations": "neural_odes",
    "gaussian": "neural_odes",
    "integrate": "solvers",
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
    "lorenz": "problems",
    "pendulum": "problems",
    "sir": "problems",
    "solve": "solvers",
    "budget": "profiles",
    "device_summary": "profiles",
    "profile": "profiles",
    "multiple_shooting_loss": "shooting",
    "shooting_guess": "shooting",
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
    "BSDEProblem": "deep_bsde",
    "DeepBSDE": "deep_bsde",
    "DeepBSDEResult": "deep_bsde",
    "allen_cahn_problem": "deep_bsde",
    "bsde_loss": "deep_bsde",
    "hjb_problem": "deep_bsde",
    "hjb_reference": "deep_bsde",
    "train_deep_bsde": "deep_bsde",
    "GeometricBrownianMotion": "sdes",
    "brownian_path": "sdes",
    "convergence_order": "sdes",
    "euler_maruyama": "sdes",
    "ornstein_uhlenbeck_density": "sdes",
    "solve_sde": "sdes",
    "strong_errors": "sdes",
    "SobolIndices": "estimation",
    "fisher_information": "estimation",
    "forward_sensitivities": "estimation",
    "ishigami": "estimation",
    "ishigami_indices": "estimation",
    "saltelli_estimates": "estimation",
    "sobol_indices": "estimation",
    "trajectory_loss": "estimation",
    "Burgers": "pinns",
    "HardConstrainedBurgers": "pinns",
    "add_worst_points": "pinns",
    "burgers_cole_hopf": "pinns",
    "burgers_loss": "pinns",
    "latin_hypercube": "pinns",
    "pinn_derivatives": "pinns",
    "pinn_field": "pinns",
    "pinn_network": "pinns",
    "relative_l2_error": "pinns",
    "train_adam_lbfgs": "pinns",
    "FeatureLibrary": "sindy",
    "SINDyModel": "sindy",
    "finite_difference_derivative": "sindy",
    "fit_sindy": "sindy",
    "smoothed_derivative": "sindy",
    "smoothed_states": "sindy",
    "stlsq": "sindy",
    "ode_residual_loss": "trial_solutions",
    "grid_1d": "finite_differences",
    "heat_fourier_mode": "finite_differences",
    "laplacian_1d": "finite_differences",
    "laplacian_2d": "finite_differences",
    "laplacian_stencil": "finite_differences",
    "observed_order": "finite_differences",
    "ROBERTSON_REFERENCE_1E11": "problems",
    "robertson": "problems",
    "brusselator_2d": "reaction_diffusion",
    "gierer_meinhardt": "reaction_diffusion",
    "split_species": "reaction_diffusion",
    "ColouredJacobian": "sparse_jacobians",
    "coloured_jacobian": "sparse_jacobians",
    "greedy_colouring": "sparse_jacobians",
    "jacobian_sparsity": "sparse_jacobians",
    "DenseLU": "implicit_solvers",
    "Krylov": "implicit_solvers",
    "ROS34PW2": "implicit_solvers",
    "SparseLU": "implicit_solvers",
    "fft_diffusion_preconditioner": "implicit_solvers",
    "newton_krylov": "implicit_solvers",
    "solve_rosenbrock": "implicit_solvers",
    "solve_rosenbrock_w": "implicit_solvers",
    "FourierW": "compiled_rosenbrock",
    "SparseW": "compiled_rosenbrock",
    "solve_rosenbrock_compiled": "compiled_rosenbrock",
    "solve_rosenbrock_w_compiled": "compiled_rosenbrock",
    "STABILITY_FUNCTIONS": "stiffness",
    "plot_stability_region": "stiffness",
    "real_stability_limit": "stiffness",
    "stiffness_ratio": "stiffness",
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
    # Only the toolkit: not the helpers this module imports (importlib, Any, ...).
    return list(__all__)


if TYPE_CHECKING:
    from .claims import (
        glue,
    )
    from .compiled_rosenbrock import (
        FourierW,
        SparseW,
        solve_rosenbrock_compiled,
        solve_rosenbrock_w_compiled,
    )
    from .convolutions import (
        apply_stencil,
        fornberg_weights,
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
    )
    from .deep_bsde import (
        BSDEProblem,
        DeepBSDE,
        DeepBSDEResult,
        allen_cahn_problem,
        bsde_loss,
        hjb_problem,
        hjb_reference,
        train_deep_bsde,
    )
    from .devices import (
        map_batch,
        shard_batch,
    )
    from .ensembles import (
        ensemble_solve,
        solve_one_by_one,
    )
    from .estimation import (
        SobolIndices,
        fisher_information,
        forward_sensitivities,
        ishigami,
        ishigami_indices,
        saltelli_estimates,
        sobol_indices,
        trajectory_loss,
    )
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
    from .finite_differences import (
        grid_1d,
        heat_fourier_mode,
        laplacian_1d,
        laplacian_2d,
        laplacian_stencil,
        observed_order,
    )
    from .gradients import (
        GRADIENT_METHODS,
        loss_gradient,
        trajectory,
    )
    from .implicit_solvers import (
        ROS34PW2,
        DenseLU,
        Krylov,
        SparseLU,
        fft_diffusion_preconditioner,
        newton_krylov,
        solve_rosenbrock,
        solve_rosenbrock_w,
    )
    from .neural_odes import (
        AugmentedNeuralODE,
        NeuralODE,
        UniversalODE,
        cube,
        function_evaluations,
        gaussian,
    )
    from .pinns import (
        Burgers,
        HardConstrainedBurgers,
        add_worst_points,
        burgers_cole_hopf,
        burgers_loss,
        latin_hypercube,
        pinn_derivatives,
        pinn_field,
        pinn_network,
        relative_l2_error,
        train_adam_lbfgs,
    )
    from .plotting import (
        COLORS,
        new_figure,
        use_book_style,
    )
    from .problems import (
        ROBERTSON_REFERENCE_1E11,
        ODEProblem,
        cosine_forcing_exact,
        cubic_spiral,
        logistic_growth,
        logistic_growth_exact,
        lorenz,
        lotka_volterra,
        lotka_volterra_known,
        lotka_volterra_ude,
        pendulum,
        robertson,
        sir,
    )
    from .profiles import (
        budget,
        device_summary,
        profile,
    )
    from .reaction_diffusion import (
        brusselator_2d,
        gierer_meinhardt,
        split_species,
    )
    from .sdes import (
        GeometricBrownianMotion,
        brownian_path,
        convergence_order,
        euler_maruyama,
        ornstein_uhlenbeck_density,
        solve_sde,
        strong_errors,
    )
    from .shooting import (
        multiple_shooting_loss,
        shooting_guess,
        split_into_segments,
    )
    from .sindy import (
        FeatureLibrary,
        SINDyModel,
        finite_difference_derivative,
        fit_sindy,
        smoothed_derivative,
        smoothed_states,
        stlsq,
    )
    from .solvers import (
        integrate,
        solve,
    )
    from .sparse_jacobians import (
        ColouredJacobian,
        coloured_jacobian,
        greedy_colouring,
        jacobian_sparsity,
    )
    from .stiffness import (
        STABILITY_FUNCTIONS,
        plot_stability_region,
        real_stability_limit,
        stiffness_ratio,
    )
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
    from .training import (
        FitResult,
        fit,
    )
    from .trial_solutions import (
        TrialSolution,
        ode_residual_loss,
    )
