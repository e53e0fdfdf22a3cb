"""The fixed list of project keywords, each tied to the part of the course it draws on.

Keywords are chosen from this list (not typed freely) so that the gallery's filter
stays short and every project points back at the lectures a reader should know.
"""

from __future__ import annotations

from typing import Literal

# keyword -> (label shown on the site, course schedule topic it draws on)
TOPICS: dict[str, tuple[str, str]] = {
    "neural-odes": ("Neural ODEs", "Neural and universal differential equations"),
    "udes": ("Universal differential equations", "Neural and universal differential equations"),
    "pinns": ("Physics-informed neural networks", "Physics-informed neural networks"),
    "sindy": ("SINDy", "Turning neural networks back into equations with SINDy"),
    "stiff-solvers": ("Stiff solvers", "Tweaking differential equation solvers to accelerate fitting"),
    "sdes": ("Stochastic differential equations", "SDEs, deep learning and high-dimensional PDEs"),
    "high-dimensional-pdes": ("High-dimensional PDEs", "SDEs, deep learning and high-dimensional PDEs"),
    "pdes": ("Numerical PDEs", "Applied numerical differential equations"),
    "surrogates": ("Surrogates", "Accelerating PDEs with neural network approaches"),
    "gpu": ("GPU computing", "Writing good code for GPU acceleration"),
    "automatic-differentiation": ("Automatic differentiation", "Choices for gradient calculations"),
    "parameter-estimation": ("Parameter estimation", "Estimating model parameters from data"),
    "sensitivity-analysis": ("Sensitivity analysis", "Estimating model parameters from data"),
    "events": ("Events and hybrid models", "Event handling in neural-embedded models"),
    "training": ("Training and diagnostics", "Choosing networks, optimizers and learning rates"),
}

Keyword = Literal[
    "neural-odes",
    "udes",
    "pinns",
    "sindy",
    "stiff-solvers",
    "sdes",
    "high-dimensional-pdes",
    "pdes",
    "surrogates",
    "gpu",
    "automatic-differentiation",
    "parameter-estimation",
    "sensitivity-analysis",
    "events",
    "training",
]


def label(keyword: str) -> str:
    return TOPICS[keyword][0]
