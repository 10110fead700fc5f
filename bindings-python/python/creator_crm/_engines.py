"""What the Dask and Spark merges share: sources, the plan, task statistics, errors.

Both engines run the same flow over `creator_crm.scaleout`'s primitives: `route` each
file (on the workers) into payloads keyed by partition, shuffle the payloads by
partition, `summarize` each partition, `global_pass` on the driver (shared team
inboxes, suppression, the Legend top 0.1 %), broadcast its facts, `merge_partition`
each partition, and `combine_report` the report parts on the driver. This module
holds the engine-independent pieces: turning `sources` into the ordered file list
`merge_exports` would read, the per-task statistics, and the one error an engine
raises when a task fails.
"""

from __future__ import annotations

import glob
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional, Union

import pyarrow as pa

from creator_crm._native import CrmError, SourceImportError, scaleout

if TYPE_CHECKING:
    from creator_crm.scaleout import Plan

PathText = Union[str, "os.PathLike[str]"]
Source = Union[PathText, Sequence[PathText]]
"""A kind's files: one path, a glob (`"exports/2025-*/euka*.csv"`), or a list of either."""

SuppressionEntry = Mapping[str, str]
"""One erased person, as `Merger.suppress` takes it: `{"handle": ...}`, `{"email": ...}`..."""

_GLOB_CHARS = frozenset("*?[")


FRAMES: tuple[str, ...] = tuple(scaleout.TABLES)
"""The frames of a Dask or Spark result: `MergeResult`'s tables, in `scaleout.TABLES`
order (each product whole in one partition)."""

class ScaleoutError(CrmError):
    """A task of a Dask or Spark merge failed (code `scaleout`); nothing is returned.

    Attributes: `code` (`"scaleout"`), `stage` (`"route"`, `"summarize"`, `"merge"`),
    `field` (the file's name for a route, else None), `partition` (the partition
    for a summarize or merge, else None), `line` and `reason` (the failure, without
    personal data). The engine's own exception is the `__cause__`.
    """

    code: str
    stage: str
    field: Optional[str]
    partition: Optional[int]
    line: Optional[int]
    reason: str

    def __init__(
        self,
        stage: str,
        reason: str,
        *,
        file: Optional[str] = None,
        partition: Optional[int] = None,
    ) -> None:
        where = f"file {file!r}" if file is not None else (
            f"partition {partition}" if partition is not None else "the driver"
        )
        super().__init__(f"scale-out merge failed: {stage} of {where}: {reason}")
        self.code = "scaleout"
        self.stage = stage
        self.field = file
        self.partition = partition
        self.line = None
        self.reason = reason

    def __reduce__(self) -> tuple[object, ...]:
        # Workers raise it too: it crosses process boundaries by pickle.
        return (_rebuild_error, (self.stage, self.reason, self.field, self.partition))


def _rebuild_error(
    stage: str, reason: str, file: Optional[str], partition: Optional[int]
) -> ScaleoutError:
    return ScaleoutError(stage, reason, file=file, partition=partition)


@dataclass(frozen=True)
class SourceFile:
    """One file to merge: its kind, its name in the report, and where to read it."""

    kind: str
    name: str
    """The name `merge_exports` gives it: the path's own text, as the caller wrote it."""
    location: str
    """Where a worker reads it: an absolute local path, or a URL (`s3://...`) as given."""


def is_url(text: str) -> bool:
    """Whether a source names a URL (`s3://bucket/x.csv`) rather than a local path."""
    head, sep, _ = text.partition("://")
    return bool(sep) and head.isidentifier()


def _expand(
    kind: str, entry: PathText, list_url: Optional[Callable[[str], list[str]]]
) -> list[SourceFile]:
    text = os.fspath(entry)
    if not isinstance(text, str):
        raise TypeError(f"{kind}: a source path must be text, not bytes")
    if is_url(text):
        # Remote files: a glob is listed by the engine (Spark: Hadoop, Dask: fsspec).
        if _GLOB_CHARS.isdisjoint(text):
            names = [text]
        else:
            if list_url is None:
                raise _no_match(kind, text, "this engine cannot list a glob over a URL")
            names = list_url(text)
            if not names:
                raise _no_match(kind, text)
        return [SourceFile(kind, name, name) for name in names]
    if _GLOB_CHARS.isdisjoint(text):
        return [SourceFile(kind, text, os.path.abspath(text))]
    names = sorted(glob.glob(text))
    if not names:
        raise _no_match(kind, text)
    return [SourceFile(kind, name, os.path.abspath(name)) for name in names]


def _no_match(kind: str, pattern: str, reason: str = "no file matches") -> SourceImportError:
    err = SourceImportError(f"{kind}: {reason}: {pattern!r}")
    err.code = "import"
    err.field = kind
    err.line = None
    err.reason = reason
    return err


def resolve_sources(
    sources: Mapping[str, Source],
    *,
    list_url: Optional[Callable[[str], list[str]]] = None,
) -> list[SourceFile]:
    """The files to merge, in merge order: kinds in `sources`' order, each kind's files
    in the order given, a glob's matches sorted by name.

    Names are what `merge_exports` and `Merger.add` call a path (its own text), so
    the report of a scale-out merge names the same files. A glob over a URL is listed
    by `list_url` (the engine's own listing).

    Raises:
        SourceImportError: A glob that matches no file.
        TypeError: A source that is not a path, a glob or a list of them.
    """
    files: list[SourceFile] = []
    for kind, value in sources.items():
        if isinstance(value, (str, os.PathLike)):
            entries: Sequence[PathText] = [value]
        elif isinstance(value, Sequence):
            entries = value
        else:
            raise TypeError(
                f"{kind}: a scale-out source is a path, a glob or a list of them "
                f"(file objects and bytes only work with creator_crm.merge_exports)"
            )
        for entry in entries:
            if not isinstance(entry, (str, os.PathLike)):
                raise TypeError(f"{kind}: a scale-out source is a path, a glob or a list of them")
            files.extend(_expand(kind, entry, list_url))
    return files


def make_plan(
    files: Sequence[SourceFile],
    *,
    partitions: Optional[int],
    default_parallelism: int,
    default_region: str,
    priorities: Optional[Sequence[str]],
    suppression: Optional[Sequence[SuppressionEntry]],
) -> Plan:
    """The native plan over `files`: kinds in order of first appearance, names per kind."""
    from creator_crm import scaleout

    by_kind: dict[str, list[str]] = {}
    for f in files:
        by_kind.setdefault(f.kind, []).append(f.name)
    count = partitions if partitions is not None else max(1, default_parallelism)
    if count < 1:
        raise ValueError("partitions must be at least 1")
    return scaleout.Plan(
        by_kind,
        partitions=count,
        default_region=default_region,
        priorities=list(priorities) if priorities is not None else None,
        suppression=[dict(s) for s in suppression] if suppression is not None else None,
    )


def plan_order(plan: Plan, files: Sequence[SourceFile]) -> list[SourceFile]:
    """`files` in the plan's file-id order (index = file id)."""
    by_key = {(f.kind, f.name): f for f in files}
    return [by_key[(kind, name)] for kind, name in plan.files]


@dataclass
class TaskStats:
    """What one task took: wall time and the peak resident memory of its process."""

    stage: str
    """`"route"`, `"summarize"` or `"merge"`."""
    index: int
    """The file id (route) or the partition (summarize, merge)."""
    seconds: float
    peak_rss: int
    """Peak resident set size in bytes of the process while the task ran (sampled)."""
    payload_bytes: int = 0
    """Payload bytes the task wrote (route) or read (summarize, merge): the shuffle."""
    host: str = field(default_factory=lambda: f"{os.uname().nodename}:{os.getpid()}")
    """`node:pid` of the process that ran it."""


def _rss() -> int:
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):  # not Linux: the process's peak so far
        import resource

        return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024


@contextmanager
def measured(stage: str, index: int, out: list[TaskStats]) -> Iterator[TaskStats]:
    """Times the block and samples the process's memory every 10 ms while it runs; the
    block may set the yielded record's `payload_bytes`."""
    record = TaskStats(stage, index, 0.0, 0)
    peak = _rss()
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.01):
            peak = max(peak, _rss())

    sampler = threading.Thread(target=sample, daemon=True)
    start = time.perf_counter()
    sampler.start()
    try:
        yield record
    finally:
        done.set()
        sampler.join()
        record.seconds = time.perf_counter() - start
        record.peak_rss = max(peak, _rss())
        out.append(record)


def error_reason(err: BaseException) -> str:
    """A failure's reason for `ScaleoutError`: a `CrmError`'s own message (never
    personal data), else the exception's type and message."""
    if isinstance(err, ScaleoutError):
        return err.reason
    if isinstance(err, CrmError):
        return str(err)
    return f"{type(err).__name__}: {err}"


def blobs(values: Iterable[object]) -> list[bytes]:
    """Binary cells as `bytes` (a missing one is a broken payload)."""
    out = []
    for v in values:
        if not isinstance(v, bytes):
            raise ValueError("a payload is missing")
        out.append(v)
    return out


def texts(values: Iterable[object]) -> list[str]:
    """Text cells as `str` (a missing one is a broken payload)."""
    out = []
    for v in values:
        if not isinstance(v, str):
            raise ValueError("a text cell is missing")
        out.append(v)
    return out


def split_routed(table: pa.Table, partitions: int) -> tuple[list[bytes], list[list[bytes]]]:
    """`scaleout.route`'s output split up: the manifests (partition -1) for the driver,
    and each partition's payloads (in the order routed).

    Payloads travel as `bytes` (a route gives a few per partition, never one per row):
    an Arrow buffer that comes out of a pickle need not be aligned as Arrow's C
    interface wants it, `bytes` need nothing.
    """
    manifests: list[bytes] = []
    parts: list[list[bytes]] = [[] for _ in range(partitions)]
    keys = table.column("partition").to_pylist()
    for key, blob in zip(keys, blobs(table.column("payload").to_pylist())):
        if key == -1:
            manifests.append(blob)
        elif isinstance(key, int) and 0 <= key < partitions:
            parts[key].append(blob)
        else:
            raise ValueError("routed rows outside the plan's partitions")
    return manifests, parts
