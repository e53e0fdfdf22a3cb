"""Show stored GPU outputs in a CPU build, marked as what they are.

The main branch's build (or a GPU shard) stores each lecture's outputs under its
execution key, profile and device included. A CPU build, a pull request's preview
say, that finds GPU-profile outputs for the same code and the same scimlkit digest
shows those instead of executing the lecture at the reduced CPU scale. The page is then
read under the GPU key, so its provenance line names the GPU device and the date the
outputs were computed on; CPU outputs are never stored under a GPU key, so they can
never be shown as GPU results.

The driver decides which pages take a stored key and writes that into the cache
folder; the Sphinx extension (``execution``) reads it to key those pages.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .book import keyed_notebook
from .context import ExecutionContext
from .shards import KEY_FIELD, lecture_name

STORED_KEYS_FILE = "scimlkit-stored-gpu-keys.json"


def stored_gpu_keys(cache, digest: str) -> dict[str, list[str]]:
    """GPU-profile keys with this digest under which each lecture has outputs, newest first."""
    found: dict[str, list[tuple]] = {}
    for record in cache.list_cache_records():
        key = (record.data or {}).get(KEY_FIELD)
        try:
            context = ExecutionContext.from_key(key or "")
        except ValueError:
            continue
        if context.profile == "gpu" and context.digest == digest:
            found.setdefault(lecture_name(record.uri), []).append((record.created, key))
    return {name: [key for _, key in sorted(keys, reverse=True)] for name, keys in found.items()}


def adopt(cache, notebooks: list[Path], root: Path, key: str) -> list[Path]:
    """On a CPU build, serve lectures from stored GPU outputs; return the others.

    Always rewrites the cache folder's record of which pages take which stored key, so
    a build never follows an older build's choice.
    """
    context = ExecutionContext.from_key(key)
    adopted: dict[Path, str] = {}
    if context.profile == "cpu":
        candidates = stored_gpu_keys(cache, context.digest)
        for path in notebooks:
            for stored_key in candidates.get(lecture_name(path), []):
                try:
                    cache.match_cache_notebook(keyed_notebook(path, stored_key))
                except KeyError:
                    continue  # outputs of an older version of this lecture
                adopted[path] = stored_key
                break
    pages = {
        path.relative_to(root).with_suffix("").as_posix(): {"key": stored, "source_sha256": _digest(path.read_text())}
        for path, stored in adopted.items()
    }
    Path(cache.path).mkdir(parents=True, exist_ok=True)
    (Path(cache.path) / STORED_KEYS_FILE).write_text(json.dumps(pages, indent=2), encoding="utf-8")
    for path, stored_key in adopted.items():
        print(f"[build] {path.relative_to(root)}: showing stored outputs ({stored_key})")
    return [path for path in notebooks if path not in adopted]


def read_stored_keys(cache_path: Path) -> dict[str, dict]:
    """The pages the driver chose to show from stored GPU outputs, with their keys."""
    try:
        return json.loads((cache_path / STORED_KEYS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def stored_key(stored_keys: dict[str, dict], docname: str, text: str) -> str | None:
    """The stored key to read a page under, if the driver chose one for exactly this text.

    A page edited since (or a build that bypassed the driver) gets none: Sphinx could
    otherwise execute it at the CPU profile and cache the result under a GPU key.
    """
    choice = stored_keys.get(docname)
    if choice is None or choice.get("source_sha256") != _digest(text):
        return None
    return choice["key"]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
