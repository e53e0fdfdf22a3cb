"""Spread the book's execution over machines: shards, portable bundles and their merge.

``python -m scimlkit.site.build --execute-only --shard I/N --bundle DIR`` executes the
I-th of N balanced parts of the outdated lectures and writes the executed notebooks to
``DIR`` with a manifest naming the execution key they ran under. ``--merge DIR...`` on
another machine adds bundles to its execution cache after checking each one against
that machine's own key and sources, so the final build executes nothing a shard did.

Shards are balanced by each lecture's last recorded run time (kept with every cache
entry), longest first onto the least loaded shard. Every shard computes the same split
from the same restored cache, so no coordination between the machines is needed.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .book import keyed_notebook
from .context import ExecutionContext

MANIFEST = "bundle.json"
BUNDLE_FORMAT = 1
#: What the cache keeps with each executed notebook (``CacheBundleIn.data``).
SECONDS_FIELD = "execution_seconds"
KEY_FIELD = "execution_key"
COMPUTED_FIELD = "computed_utc"
CELLS_FIELD = "cells"  # per code cell: number, tags, device, seconds (placement.cell_records)
#: Assumed run time of a lecture that never ran here and with nothing recorded to compare.
UNKNOWN_SECONDS = 60.0


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based, as written on the command line
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """``"2/4"`` -> ``Shard(2, 4)``, with a message saying what is wrong otherwise."""
        index, slash, count = text.partition("/")
        if not (slash and index.strip().isdigit() and count.strip().isdigit()):
            raise ValueError(f"--shard {text!r}: write it as I/N, e.g. 1/4")
        shard = cls(int(index), int(count))
        if not 1 <= shard.index <= shard.count:
            raise ValueError(f"--shard {text!r}: I must be between 1 and N")
        return shard

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def lecture_name(path: str | Path) -> str:
    """A lecture's folder and file name: the same on every machine, wherever the checkout is."""
    path = Path(path)
    return f"{path.parent.name}/{path.name}"


def recorded_seconds(cache) -> dict[str, float]:
    """Each lecture's most recent recorded run time, by :func:`lecture_name`."""
    latest: dict[str, tuple[datetime, float]] = {}
    for record in cache.list_cache_records():
        seconds = (record.data or {}).get(SECONDS_FIELD)
        if seconds is None:
            continue
        name = lecture_name(record.uri)
        if name not in latest or record.created > latest[name][0]:
            latest[name] = (record.created, float(seconds))
    return {name: seconds for name, (_, seconds) in latest.items()}


def expected_seconds(paths: list[Path], recorded: dict[str, float]) -> dict[Path, float]:
    """Recorded run times, with the median of the known ones for lectures never run."""
    known = [recorded[lecture_name(path)] for path in paths if lecture_name(path) in recorded]
    fallback = statistics.median(known) if known else UNKNOWN_SECONDS
    return {path: recorded.get(lecture_name(path), fallback) for path in paths}


def split(paths: list[Path], seconds: dict[Path, float], count: int) -> list[list[Path]]:
    """Longest-first onto the least loaded of ``count`` shards; each shard in input order."""
    loads = [0.0] * count
    shards: list[list[Path]] = [[] for _ in range(count)]
    for path in sorted(paths, key=lambda p: (-seconds[p], lecture_name(p))):
        lightest = min(range(count), key=lambda index: (loads[index], index))
        shards[lightest].append(path)
        loads[lightest] += seconds[path]
    order = {path: position for position, path in enumerate(paths)}
    return [sorted(shard, key=order.__getitem__) for shard in shards]


def select(pending: list[Path], cache, shard: Shard) -> list[Path]:
    """This shard's part of the outdated lectures."""
    seconds = expected_seconds(pending, recorded_seconds(cache))
    return split(pending, seconds, shard.count)[shard.index - 1]


def cache_data(seconds: float, key: str, cells: list[dict]) -> dict:
    """What the cache keeps beside an executed notebook."""
    computed = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return {SECONDS_FIELD: seconds, KEY_FIELD: key, COMPUTED_FIELD: computed, CELLS_FIELD: cells}


class BundleWriter:
    """Collects a shard's executed notebooks into a portable folder."""

    def __init__(self, folder: Path, root: Path, key: str, shard: Shard | None) -> None:
        self.folder, self.root, self.key, self.shard = folder, root, key, shard
        self.entries: list[dict] = []
        (folder / "notebooks").mkdir(parents=True, exist_ok=True)
        self._write_manifest()

    def add(self, path: Path, notebook, data: dict) -> None:
        """Add an executed notebook with what the cache keeps beside it (:func:`cache_data`)."""
        import nbformat

        source = path.relative_to(self.root).as_posix()
        file = f"notebooks/{source.replace('/', '__')}.ipynb"
        nbformat.write(notebook, self.folder / file)
        self.entries.append({"source": source, "file": file, **data})
        self._write_manifest()

    def _write_manifest(self) -> None:
        manifest = {
            "format": BUNDLE_FORMAT,
            "key": self.key,
            "shard": str(self.shard) if self.shard else None,
            "notebooks": self.entries,
        }
        (self.folder / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")


def key_problem(bundle_key: str, context: ExecutionContext) -> str | None:
    """Why outputs computed under ``bundle_key`` must not enter this machine's cache.

    The bundle's key must be this machine's own, except that a GPU-profile bundle with
    the same code digest is accepted on any machine: a CPU build shows such stored GPU
    outputs, marked as such, instead of executing at the reduced scale (``stored_outputs``).
    """
    try:
        theirs = ExecutionContext.from_key(bundle_key)
    except ValueError as error:
        return str(error)
    if theirs.digest != context.digest:
        return (
            f"it was executed with scimlkit/lock digest {theirs.digest}, this checkout has "
            f"{context.digest} (the toolkit or uv.lock differ)"
        )
    if theirs == context or theirs.profile == "gpu":
        return None
    return (
        f"it was executed at the {theirs.profile} profile on {theirs.device}; this build "
        f"runs at the {context.profile} profile on {context.device}"
    )


def merge(folders: list[Path], cache, root: Path, context: ExecutionContext) -> list[str]:
    """Add each bundle's notebooks to ``cache``; return why bundles were refused.

    A bundle is taken whole or not at all: its key must pass :func:`key_problem`, and
    each notebook must have exactly the code cells of the lecture in this checkout.
    """
    refused = []
    for folder in folders:
        try:
            notebooks = _checked_bundle(folder, cache, root, context)
        except ValueError as error:
            refused.append(f"{folder}: bundle refused: {error}")
            continue
        for source, notebook, entry in notebooks:
            _store(cache, source, notebook, entry)
        print(f"[build] merged {len(notebooks)} notebook(s) from {folder}", flush=True)
    return refused


def _checked_bundle(folder: Path, cache, root: Path, context: ExecutionContext) -> list:
    import nbformat

    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValueError(f"no readable {MANIFEST} ({error})") from error
    if manifest.get("format") != BUNDLE_FORMAT:
        raise ValueError(f"format {manifest.get('format')!r}, expected {BUNDLE_FORMAT}")
    key = manifest.get("key", "")
    problem = key_problem(key, context)
    if problem:
        raise ValueError(problem)
    checked = []
    for entry in manifest.get("notebooks", []):
        source = root / entry["source"]
        if not source.is_file():
            raise ValueError(f"{entry['source']} is not a lecture of this checkout")
        notebook = nbformat.read(folder / entry["file"], as_version=4)
        _, theirs = cache.create_hashed_notebook(notebook)
        _, ours = cache.create_hashed_notebook(keyed_notebook(source, key))
        if theirs != ours:
            raise ValueError(f"{entry['file']} does not match {entry['source']} in this checkout")
        checked.append((source, notebook, entry))
    return checked


def _store(cache, source: Path, notebook, entry: dict) -> None:
    """Cache a notebook, dated when it was computed (the page's provenance shows that date)."""
    from jupyter_cache.base import CacheBundleIn
    from jupyter_cache.cache.db import NbCacheRecord, session_context

    data = {field: entry.get(field) for field in (SECONDS_FIELD, KEY_FIELD, COMPUTED_FIELD, CELLS_FIELD)}
    record = cache.cache_notebook_bundle(
        CacheBundleIn(notebook, str(source), data=data), check_validity=False, overwrite=True
    )
    computed = datetime.fromisoformat(entry[COMPUTED_FIELD]).astimezone(timezone.utc)
    with session_context(cache.db) as session:
        stored = session.get(NbCacheRecord, record.pk)
        stored.created = computed.replace(tzinfo=None)  # the cache keeps naive UTC times
        session.commit()


def add_arguments(parser) -> None:
    """The build driver's options for shards, bundles and merging."""
    parser.add_argument(
        "--execute-only", action="store_true", help="execute outdated lectures into the cache; build no pages"
    )
    parser.add_argument(
        "--shard",
        metavar="I/N",
        help="execute only the I-th of N parts of the outdated lectures, balanced by recorded run times "
        "(needs --execute-only)",
    )
    parser.add_argument(
        "--bundle",
        type=Path,
        metavar="DIR",
        help="also write the executed notebooks to DIR as a portable bundle "
        "(default with --shard: _build/bundles/shard-I-of-N)",
    )
    parser.add_argument(
        "--merge",
        nargs="+",
        type=Path,
        metavar="DIR",
        help="add these bundles to the execution cache after checking each one's execution key, then stop",
    )


def shard_and_bundle(args, root: Path, key: str) -> tuple[Shard | None, BundleWriter | None]:
    """The shard and bundle the command line asks for (``ValueError`` says what is wrong)."""
    shard = Shard.parse(args.shard) if args.shard else None
    if shard is not None and not args.execute_only:
        raise ValueError("--shard executes part of the book and builds no pages: add --execute-only")
    folder = args.bundle
    if folder is None and shard is not None:
        folder = root / "_build" / "bundles" / f"shard-{shard.index}-of-{shard.count}"
    bundle = BundleWriter(folder.resolve(), root, key, shard) if folder is not None else None
    return shard, bundle


def merge_command(folders: list[Path], cache_path: Path, root: Path, context: ExecutionContext) -> int:
    """``--merge``: add the bundles; exit status 1 when any was refused."""
    import sys

    from jupyter_cache import get_cache

    refused = merge([folder.resolve() for folder in folders], get_cache(str(cache_path)), root, context)
    for message in refused:
        print(f"error: {message}", file=sys.stderr)
    return 1 if refused else 0
