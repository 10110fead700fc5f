"""The merge on Dask: `merge_exports(sources, client=client)`, equal to the one-machine merge.

Every file is read and routed on a worker (`scaleout.route`: rows keyed by the hash of
the normalized handle), the payloads move to their partition's task, each partition is
summarized, the driver runs the small global pass (shared team inboxes, suppression,
the Legend top 0.1 %) and broadcasts its facts, and each partition is merged on a
worker. The creators and the related records come back as Dask DataFrames (pandas
partitions with Arrow-backed columns, `pd.ArrowDtype`), the report as a `MergeReport`.
The result's rows and report equal `creator_crm.merge_exports` on the same files.

    from dask.distributed import Client
    from creator_crm import dask as crm_dask

    client = Client("tcp://scheduler:8786")
    result = crm_dask.merge_exports(
        {"sample_orders": "exports/*/sample_orders*.csv", "euka": ["a/euka.csv", "b/euka.csv"]},
        client=client,
    )
    result.creators.head()
    result.report.creators

Needs `dask[distributed]` (and pandas); workers need `creator-crm` installed.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

import dask.dataframe as dd
import pandas as pd
import pyarrow as pa
from dask.base import compute, persist, tokenize
from dask.delayed import delayed

from creator_crm import _engines
from creator_crm._engines import FRAMES, ScaleoutError, Source, SuppressionEntry, TaskStats
from creator_crm._native import MergeReport

if TYPE_CHECKING:
    from distributed import Client

    from creator_crm.scaleout import Plan

__all__ = ["FRAMES", "DaskMergeResult", "ScaleoutError", "merge_exports", "run_routed"]



@dataclass(frozen=True)
class DaskMergeResult:
    """The outcome of `creator_crm.dask.merge_exports`.

    Every frame is a Dask DataFrame whose rows are those of the same-named
    `MergeResult` table of `creator_crm.merge_exports` on the same files (in no
    particular order across partitions; within one, as the merge sorts them), with
    the same columns as Arrow-backed pandas dtypes. The merge has run: the cluster
    holds the merged partitions until the result is dropped, and computing a frame
    only turns them into pandas.
    """

    creators: dd.DataFrame
    conflicts: dd.DataFrame
    samples: dd.DataFrame
    videos: dd.DataFrame
    video_products: dd.DataFrame
    snapshots: dd.DataFrame
    brand_links: dd.DataFrame
    products: dd.DataFrame
    report: MergeReport
    """The merge's report, equal to `merge_exports(...).report`."""
    partitions: int
    """How many partitions the rows were hashed into."""
    tasks: list[TaskStats]
    """Each task's wall time and its worker's peak memory while it ran."""

    def frames(self) -> dict[str, dd.DataFrame]:
        """Every frame by table name, in `FRAMES` order."""
        return {name: getattr(self, name) for name in FRAMES}


# --- tasks (run on the workers; module-level so they pickle by reference) ------------


def _route(
    plan: Plan, file_id: int, f: _engines.SourceFile
) -> tuple[list[bytes], list[list[bytes]], list[TaskStats]]:
    """Reads and routes one file: its manifests and one payload array per partition."""
    from creator_crm import scaleout

    stats: list[TaskStats] = []
    try:
        with _engines.measured("route", file_id, stats) as record:
            # A local path is read by the native code; a URL's bytes through fsspec.
            data = _read_file(f.location) if _engines.is_url(f.location) else f.location
            table = scaleout.route(plan, file_id, data)
            manifests, parts = _engines.split_routed(table, plan.partitions)
            record.payload_bytes = sum(len(b) for part in parts for b in part)
    except Exception as e:
        raise ScaleoutError("route", _engines.error_reason(e), file=f.name) from e
    return manifests, parts, stats


def _read_file(location: str) -> bytes:
    """A source file's bytes, read where the task runs (URLs through fsspec)."""
    if _engines.is_url(location):
        import fsspec

        with fsspec.open(location, "rb") as f:
            data: bytes = f.read()
            return data
    with open(location, "rb") as f:
        return f.read()


def _list_url(url: str) -> list[str]:
    """The files a glob over a URL names, listed through fsspec."""
    import fsspec

    fs, _, paths = fsspec.core.get_fs_token_paths(url)
    return sorted(str(fs.unstrip_protocol(p)) for p in paths)


def _summarize(
    plan: Plan, partition: int, *pieces: list[bytes]
) -> tuple[bytes, list[TaskStats]]:
    from creator_crm import scaleout

    stats: list[TaskStats] = []
    try:
        with _engines.measured("summarize", partition, stats) as record:
            payloads = [b for piece in pieces for b in piece]
            record.payload_bytes = sum(len(b) for b in payloads)
            summary = scaleout.summarize(plan, partition, payloads)
    except Exception as e:
        raise ScaleoutError("summarize", _engines.error_reason(e), partition=partition) from e
    return summary, stats


def _merge(
    plan: Plan, partition: int, facts: bytes, *pieces: list[bytes]
) -> tuple[dict[str, pa.Table], list[TaskStats]]:
    from creator_crm import scaleout

    stats: list[TaskStats] = []
    try:
        with _engines.measured("merge", partition, stats) as record:
            payloads = [b for piece in pieces for b in piece]
            record.payload_bytes = sum(len(b) for b in payloads)
            parts = scaleout.merge_partition(plan, partition, payloads, facts, output=False)
    except Exception as e:
        raise ScaleoutError("merge", _engines.error_reason(e), partition=partition) from e
    return parts, stats


def _report(merged: tuple[dict[str, pa.Table], list[TaskStats]]) -> bytes:
    """A partition's report part as bytes (see `_engines.split_routed` on why not Arrow)."""
    [cell] = _engines.blobs(merged[0]["report"].column(0).to_pylist())
    return cell


def _frame(merged: tuple[dict[str, pa.Table], list[TaskStats]], name: str) -> pd.DataFrame:
    return _pandas(merged[0][name])


def _pandas(table: pa.Table) -> pd.DataFrame:
    return table.to_pandas(types_mapper=pd.ArrowDtype)


# --- the driver -----------------------------------------------------------------------


def merge_exports(
    sources: Mapping[str, Source],
    *,
    client: Optional[Client] = None,
    partitions: Optional[int] = None,
    default_region: str = "US",
    priorities: Optional[Sequence[str]] = None,
    suppression: Optional[Sequence[SuppressionEntry]] = None,
) -> DaskMergeResult:
    """Merges the source exports on Dask; rows and report equal `creator_crm.merge_exports`.

    Args:
        sources: Maps a source kind (`"sample_orders"`, `"euka"`, ...) to a path, a glob
            or a list of paths and globs (a glob's matches in name order). Local paths
            are read by the workers, so they must see the same files; URLs
            (`s3://...`) go through fsspec. Files are named as `merge_exports` names
            them (the path's text), in the order given.
        client: The `distributed.Client` to run on (default: the current default
            client, else Dask's local scheduler).
        partitions: How many partitions the rows are hashed into (default: the
            cluster's worker threads). Any count gives the same result.
        default_region: Region for phone numbers written without a country code.
        priorities: Source kinds by contact-field priority, highest first (as in
            `merge_exports`).
        suppression: Erased people, each a mapping with `handle`, `email` or `phone`
            (as `Merger.suppress` takes them): their rows are left out.

    Returns:
        A `DaskMergeResult`: `.creators` and the related-record frames, `.report`.

    Raises:
        ScaleoutError: A task failed (a file that cannot be read at all, a corrupt
            payload, a lost worker); the failure is named and nothing is returned.
        SourceImportError: A glob that matches no file.
        InvalidInputError: An unknown source kind, priority or region.
    """
    files = _engines.resolve_sources(sources, list_url=_list_url)
    plan = _engines.make_plan(
        files,
        partitions=partitions,
        default_parallelism=_parallelism(client),
        default_region=default_region,
        priorities=priorities,
        suppression=suppression,
    )
    ordered = _engines.plan_order(plan, files)
    routed = [
        delayed(_route, pure=False, nout=3)(plan, fid, f) for fid, f in enumerate(ordered)
    ]
    return run_routed(plan, routed, client=client)


def run_routed(
    plan: Plan, routed: Sequence[Any], *, client: Optional[Client] = None
) -> DaskMergeResult:
    """The merge from routed files on: `routed` holds one Dask object per file (in
    file-id order) computing to `(manifests, payloads per partition, task statistics)`,
    as `merge_exports` routes them.

    `merge_exports` calls it on the routed files; it is public for tests and for
    callers that route rows of their own.
    """
    from creator_crm import scaleout

    count = plan.partitions
    # 1. shuffle the payloads to their partitions; summarize them.
    routed = _persist(client, list(routed))
    pieces = [[delayed(operator.getitem)(r[1], p) for r in routed] for p in range(count)]
    summaries = [delayed(_summarize, nout=2)(plan, p, *pieces[p]) for p in range(count)]
    manifests_out, summaries_out, route_stats = _compute(
        client,
        "summarize",
        [r[0] for r in routed],
        summaries,
        [r[2] for r in routed],
    )
    manifests = [m for per_file in manifests_out for m in per_file]
    tasks: list[TaskStats] = [s for per_file in route_stats for s in per_file]
    tasks += [s for _, stats in summaries_out for s in stats]

    # 2. the global pass on the driver; its facts go to every partition's merge.
    facts = scaleout.global_pass(plan, [s for s, _ in summaries_out], manifests)
    facts_key = delayed(facts, name=f"creator-crm-facts-{tokenize(facts)}")
    merged = [
        delayed(_merge, pure=False)(plan, p, facts_key, *pieces[p]) for p in range(count)
    ]
    merged = list(_persist(client, merged))
    del routed, pieces
    report_parts, merge_stats = _compute(
        client,
        "merge",
        [delayed(_report)(m) for m in merged],
        [delayed(operator.getitem)(m, 1) for m in merged],
    )
    tasks += [s for stats in merge_stats for s in stats]
    report = scaleout.combine_report(plan, facts, manifests, list(report_parts))

    frames: dict[str, dd.DataFrame] = {}
    for name in FRAMES:
        meta = _pandas(scaleout.table_schema(name).empty_table())
        frames[name] = dd.from_delayed(
            [delayed(_frame)(m, name) for m in merged], meta=meta, verify_meta=False
        )
    return DaskMergeResult(**frames, report=report, partitions=count, tasks=tasks)


def _parallelism(client: Optional[Client]) -> int:
    if client is None:
        try:
            from distributed import default_client

            client = default_client()
        except (ImportError, ValueError):
            import os

            return os.cpu_count() or 1
    threads: dict[str, int] = client.nthreads()
    return max(1, sum(threads.values()))


def _persist(client: Optional[Client], objs: list[Any]) -> list[Any]:
    if client is not None:
        return list(client.persist(objs))
    return list(persist(*objs))


def _compute(client: Optional[Client], stage: str, *objs: list[Any]) -> tuple[Any, ...]:
    try:
        if client is not None:
            return tuple(client.compute(list(objs), sync=True))
        return tuple(compute(*objs))
    except ScaleoutError:
        raise
    except Exception as e:
        raise ScaleoutError(stage, _engines.error_reason(e)) from e
