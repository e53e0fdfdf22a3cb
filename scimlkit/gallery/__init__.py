"""Student projects: the ``project.yml`` schema, its checks, and the scaffold.

Used by the ``scimlkit project`` command and by the site's gallery extension
(``scimlkit.site.gallery_pages``); it never imports the numerics.
"""

from .check import (
    PROJECT_FILE,
    CheckedProject,
    check_project,
    check_projects,
    project_folders,
)
from .problems import Problem
from .scaffold import ScaffoldError, new_project, slugify
from .schema import Author, Project
from .topics import TOPICS

__all__ = [
    "PROJECT_FILE",
    "TOPICS",
    "Author",
    "CheckedProject",
    "Problem",
    "Project",
    "ScaffoldError",
    "check_project",
    "check_projects",
    "new_project",
    "project_folders",
    "slugify",
]
