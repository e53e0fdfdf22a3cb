"""The ``{build-environment}`` directive: versions and the device the build ran on."""

from __future__ import annotations

import platform
from importlib import metadata

from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ..build.execution import keyed_pages
from .tables import table

PACKAGES = (
    "scimlkit",
    "jax",
    "jaxlib",
    "diffrax",
    "equinox",
    "optax",
    "numpy",
    "scipy",
    "matplotlib",
    "jupyter-book",
    "myst-nb",
    "jupyter-cache",
    "sphinx",
)


def package_versions() -> list[tuple[str, str]]:
    rows = [("python", platform.python_version())]
    for name in PACKAGES:
        try:
            rows.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            rows.append((name, "not installed"))
    return rows


class BuildEnvironment(SphinxDirective):
    """Render the execution context and the package versions as two tables."""

    def run(self):
        context = self.env.app.scimlkit_context
        keyed_pages(self.env)[self.env.docname] = context.key
        where = table(
            ["setting", "value"],
            [
                ("profile", context.profile),
                ("JAX device", context.device),
                ("scimlkit numerics + lock digest", context.digest),
                ("machine", f"{platform.machine()}, {platform.system()} {platform.release()}"),
            ],
            caption="Where the notebooks executed",
        )
        versions = table(["package", "version"], package_versions(), caption="Package versions")
        return [where, versions]


def setup(app: Sphinx) -> None:
    app.add_directive("build-environment", BuildEnvironment)
