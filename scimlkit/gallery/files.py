"""Checks on a project folder's files: nothing links out, nothing is too big.

A submission may only use files inside its own folder: no symbolic links at all (a link
that points inside today can be re-pointed tomorrow), no path that climbs out, and
bounded sizes, so that one project cannot fill the site or smuggle in the build
machine's files.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .problems import Problem

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FOLDER_BYTES = 60 * 1024 * 1024
MAX_FILES = 400
MAX_THUMBNAIL_BYTES = 1024 * 1024
MAX_THUMBNAIL_SIDE = 4000
MIN_THUMBNAIL_SIDE = 64
IMAGE_FORMATS = {"PNG": (".png",), "JPEG": (".jpg", ".jpeg")}


def git_ignored(folder: Path) -> set[Path]:
    """Untracked paths under ``folder`` that git ignores (never submitted), or none outside a repository."""
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), "ls-files", "--others", "--ignored", "--exclude-standard", "--directory", "-z"],
            capture_output=True, timeout=30, check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return set()
    if done.returncode != 0:
        return set()
    return {folder / name.rstrip("/") for name in done.stdout.decode("utf-8", "replace").split("\0") if name}


def folder_problems(folder: Path) -> list[Problem]:
    """Symbolic links, oversized files and too many files anywhere in ``folder``, leaving out
    what git ignores there (a `uv run` environment in code/.venv, caches): it is never submitted."""
    problems = []
    count = total = 0
    ignored = git_ignored(folder)
    for directory, subfolders, names in os.walk(folder, followlinks=False):
        here = Path(directory)
        subfolders[:] = [name for name in subfolders if here / name not in ignored]
        names = [name for name in names if here / name not in ignored]
        for name in sorted(subfolders + names):
            path = here / name
            if path.is_symlink():
                problems.append(Problem(path, "symbolic links are not allowed in a project; copy the file in"))
        subfolders[:] = [name for name in subfolders if not (here / name).is_symlink()]
        for name in names:
            path = here / name
            if path.is_symlink() or not path.is_file():
                continue
            count += 1
            size = path.stat().st_size
            total += size
            if size > MAX_FILE_BYTES:
                problems.append(Problem(path, f"the file is {_mb(size)}; the limit per file is {_mb(MAX_FILE_BYTES)}"))
        if count > MAX_FILES:
            problems.append(Problem(folder, f"the project holds more than {MAX_FILES} files"))
            break
    if total > MAX_FOLDER_BYTES:
        problems.append(Problem(folder, f"the project holds {_mb(total)}; the limit is {_mb(MAX_FOLDER_BYTES)}"))
    return problems


def inside(folder: Path, relative: str) -> Path | None:
    """``folder/relative`` if it stays inside ``folder`` once every link is resolved."""
    candidate = folder / relative
    try:
        resolved = candidate.resolve(strict=False)
        resolved.relative_to(folder.resolve())
    except (ValueError, OSError, RuntimeError):
        return None
    return candidate


def referenced_file(folder: Path, relative: str, yml: Path, field: str, line: int | None) -> list[Problem]:
    """Problems with a file that ``project.yml`` names (it must be a regular file inside)."""
    path = inside(folder, relative)
    if path is None:
        return [Problem(yml, f"{relative!r} points outside the project folder", line, field)]
    if path.is_symlink():
        return [Problem(yml, f"{relative!r} is a symbolic link; copy the file in", line, field)]
    if not path.is_file():
        return [Problem(yml, f"the file {relative!r} does not exist in the project folder", line, field)]
    return []


def image_problems(path: Path, yml: Path, field: str, line: int | None) -> list[Problem]:
    """The thumbnail must be a real PNG or JPEG of sensible size and dimensions."""
    from PIL import Image, UnidentifiedImageError

    size = path.stat().st_size
    if size > MAX_THUMBNAIL_BYTES:
        return [Problem(yml, f"the image is {_mb(size)}; the limit is {_mb(MAX_THUMBNAIL_BYTES)}", line, field)]
    # Only the header is read (format and size, never the pixels), so Pillow's guard against
    # decompression bombs is lifted here: an enormous image is then reported with its size below.
    guard, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        with Image.open(path) as image:
            kind, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError):
        return [Problem(yml, f"{path.name} is not a readable PNG or JPEG image", line, field)]
    finally:
        Image.MAX_IMAGE_PIXELS = guard
    if kind not in IMAGE_FORMATS:
        return [Problem(yml, f"{path.name} is a {kind} image; use PNG or JPEG", line, field)]
    if path.suffix.lower() not in IMAGE_FORMATS[kind]:
        return [Problem(yml, f"{path.name} holds a {kind} image but its name ends in {path.suffix}", line, field)]
    if max(width, height) > MAX_THUMBNAIL_SIDE or min(width, height) < MIN_THUMBNAIL_SIDE:
        return [
            Problem(
                yml,
                f"the image is {width}x{height} pixels; each side must be between "
                f"{MIN_THUMBNAIL_SIDE} and {MAX_THUMBNAIL_SIDE}",
                line,
                field,
            )
        ]
    return []


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"
