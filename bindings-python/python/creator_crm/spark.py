"""The merge on Spark: `merge_exports(spark, sources)`, equal to the one-machine merge.

The files are read on the executors (`binaryFile`), each routed by `mapInArrow`
(`scaleout.route`: rows keyed by the hash of the normalized handle), the payloads
grouped by partition and summarized (`applyInArrow`), the driver runs the small global
pass (shared team inboxes, suppression, the Legend top 0.1 %) and broadcasts its facts,
and each partition is merged by `applyInArrow`. Arrow all the way: no Python runs per
row. The creators and the related records come back as Spark DataFrames, the report
as a `MergeReport`; rows and report equal `creator_crm.merge_exports` on the same files.

    from pyspark.sql import SparkSession
    from creator_crm import spark as crm_spark

    spark = SparkSession.builder.getOrCreate()
    result = crm_spark.merge_exports(spark, {"sample_orders": "s3a://exports/*/sample_orders*.csv"})
    result.creators.where("total_gmv > 1000").show()
    result.report.creators

Column types are core's, as Spark has them: text is `string`, money `decimal(38, s)`,
times `timestamp`, lists `array<string>`; counts (unsigned in Arrow) are `bigint`.
Needs PySpark 4 (`applyInArrow`); executors need `creator-crm` and `pyarrow`.
"""

from __future__ import annotations

import ast
import json
import posixpath
import re
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Callable, Optional, Union

import pyarrow as pa
import pyarrow.compute as pc
from pyspark import StorageLevel
from pyspark.errors import PySparkException
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import StructType

from creator_crm import _engines
from creator_crm._engines import FRAMES, ScaleoutError, Source, SuppressionEntry, TaskStats
from creator_crm._native import MergeReport

if TYPE_CHECKING:
    from creator_crm.scaleout import Plan

__all__ = [
    "FRAMES",
    "ScaleoutError",
    "SparkMergeResult",
    "merge_exports",
    "run_routed",
    "spark_schema",
]

_ROUTED = "partition int, file int, payload binary"
_SUMMARY = "partition int, summary binary, stats string"
_MERGED = "partition int, name string, seq int, part binary"
_ROUTED_FIELDS: list[pa.Field[Any]] = [
    pa.field("partition", pa.int32()),
    pa.field("file", pa.int32()),
    pa.field("payload", pa.binary()),
]
_ROUTED_ARROW = pa.schema(_ROUTED_FIELDS)
_STATS = -2  # routed rows carrying a route task's statistics
_MANIFEST = -1
_CHUNK_ROWS = 65_536  # rows per Arrow IPC part of a merged table


@dataclass
class SparkMergeResult:
    """The outcome of `creator_crm.spark.merge_exports`.

    Every frame is a Spark DataFrame whose rows are those of the same-named
    `MergeResult` table of `creator_crm.merge_exports` on the same files (in no
    particular order). They read the merged partitions, which stay cached
    (memory and disk) until `unpersist()`.
    """

    creators: DataFrame
    conflicts: DataFrame
    samples: DataFrame
    videos: DataFrame
    video_products: DataFrame
    snapshots: DataFrame
    brand_links: DataFrame
    products: DataFrame
    report: MergeReport
    """The merge's report, equal to `merge_exports(...).report`."""
    partitions: int
    """How many partitions the rows were hashed into."""
    tasks: list[TaskStats]
    """Each task's wall time and its Python worker's peak memory while it ran."""
    _cached: DataFrame

    def frames(self) -> dict[str, DataFrame]:
        """Every frame by table name, in `FRAMES` order."""
        return {name: getattr(self, name) for name in FRAMES}

    def unpersist(self) -> None:
        """Frees the cached merged partitions (the frames recompute them if read again)."""
        self._cached.unpersist()


def spark_schema(arrow: pa.Schema) -> StructType:
    """A core table's Spark schema: Arrow's, with unsigned counts as `bigint`."""
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(_signed(arrow), prefer_timestamp_ntz=False)


def _signed(arrow: pa.Schema) -> pa.Schema:
    fields = [
        f.with_type(pa.int64()) if pa.types.is_unsigned_integer(f.type) else f for f in arrow
    ]
    metadata: Optional[dict[Union[bytes, str], Union[bytes, str]]] = (
        {k: v for k, v in arrow.metadata.items()} if arrow.metadata else None
    )
    return pa.schema(fields, metadata=metadata)


# --- functions run on the executors ----------------------------------------------------


def _path_key(path: str) -> tuple[str, str, str]:
    """A file's identity as the driver lists it and as `binaryFile` reports it
    (`/a/b.csv`, `file:/a/b.csv` and `file:///a/b.csv` are one file)."""
    parts = urllib.parse.urlsplit(path)
    scheme = parts.scheme or "file"
    return scheme, parts.netloc, posixpath.normpath(urllib.parse.unquote(parts.path))


def _router(
    plan: Plan, files: dict[tuple[str, str, str], tuple[int, str]]
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    def route(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        from creator_crm import scaleout

        for batch in batches:
            paths = _engines.texts(batch.column(0).to_pylist())  # one row per file
            contents = batch.column(1)
            for i, path in enumerate(paths):
                file_id, name = files[_path_key(path)]
                stats: list[TaskStats] = []
                try:
                    with _engines.measured("route", file_id, stats) as record:
                        data = contents[i].as_py()
                        table = scaleout.route(plan, file_id, data)
                        del data
                        keys = table.column("partition")
                        record.payload_bytes = table.filter(
                            pc.greater_equal(keys, pa.scalar(0, pa.int32()))
                        ).column("payload").nbytes
                except Exception as e:
                    raise ScaleoutError("route", _engines.error_reason(e), file=name) from e
                out = table.select(["partition"]).append_column(
                    "file", pa.array([file_id] * table.num_rows, pa.int32())
                ).append_column("payload", table.column("payload")).cast(_ROUTED_ARROW)
                yield from out.to_batches()
                yield _stats_batch(file_id, stats)

    return route


def _stats_batch(file_id: int, stats: list[TaskStats]) -> pa.RecordBatch:
    return pa.record_batch(
        [
            pa.array([_STATS] * len(stats), pa.int32()),
            pa.array([file_id] * len(stats), pa.int32()),
            pa.array([json.dumps(asdict(s)).encode() for s in stats], pa.binary()),
        ],
        names=["partition", "file", "payload"],
    )


def _payloads(table: pa.Table) -> pa.Table:
    """A group's payloads in file order, as the one-process merge reads them (the
    placeholder row that gives every partition a group carries a null payload)."""
    table = table.sort_by("file")
    column = table.column("payload").combine_chunks()
    if column.null_count:
        column = column.drop_null()
    return pa.table({"payload": column})


def _summarizer(plan: Plan) -> Callable[[pa.Table], pa.Table]:
    def summarize(table: pa.Table) -> pa.Table:
        from creator_crm import scaleout

        partition = int(table.column("partition")[0].as_py())
        stats: list[TaskStats] = []
        try:
            with _engines.measured("summarize", partition, stats) as record:
                payloads = _payloads(table)
                record.payload_bytes = payloads.nbytes
                summary = scaleout.summarize(plan, partition, payloads)
        except Exception as e:
            raise ScaleoutError("summarize", _engines.error_reason(e), partition=partition) from e
        return pa.table(
            {
                "partition": pa.array([partition], pa.int32()),
                "summary": pa.array([summary], pa.binary()),
                "stats": pa.array([json.dumps([asdict(s) for s in stats])], pa.string()),
            }
        )

    return summarize


def _merger(plan: Plan, facts: Any) -> Callable[[pa.Table], pa.Table]:
    def merge(table: pa.Table) -> pa.Table:
        from creator_crm import scaleout

        partition = int(table.column("partition")[0].as_py())
        stats: list[TaskStats] = []
        try:
            with _engines.measured("merge", partition, stats) as record:
                payloads = _payloads(table)
                record.payload_bytes = payloads.nbytes
                parts = scaleout.merge_partition(
                    plan, partition, payloads, facts.value, output=False
                )
        except Exception as e:
            raise ScaleoutError("merge", _engines.error_reason(e), partition=partition) from e
        names: list[str] = []
        seqs: list[int] = []
        blobs: list[bytes] = []
        for name, part in parts.items():
            chunks = (
                _engines.blobs(part.column(0).to_pylist()) if name == "report" else _ipc_chunks(part)
            )
            for seq, blob in enumerate(chunks):
                names.append(name)
                seqs.append(seq)
                blobs.append(blob)
        names.append("__stats__")
        seqs.append(0)
        blobs.append(json.dumps([asdict(s) for s in stats]).encode())
        return pa.table(
            {
                "partition": pa.array([partition] * len(names), pa.int32()),
                "name": pa.array(names, pa.string()),
                "seq": pa.array(seqs, pa.int32()),
                "part": pa.array(blobs, pa.binary()),
            }
        )

    return merge


def _ipc_chunks(table: pa.Table) -> Iterator[bytes]:
    """A merged table as Arrow IPC streams of at most `_CHUNK_ROWS` rows."""
    offsets = range(0, max(table.num_rows, 1), _CHUNK_ROWS)
    for offset in offsets:
        sink = pa.BufferOutputStream()
        chunk = table.slice(offset, _CHUNK_ROWS)
        with pa.ipc.new_stream(sink, chunk.schema) as writer:
            writer.write_table(chunk)
        yield sink.getvalue().to_pybytes()


def _read_ipc(blob: bytes) -> pa.Table:
    return pa.ipc.open_stream(blob).read_all()


def _decoder(schema: pa.Schema) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    signed = _signed(schema)

    def decode(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            for blob in _engines.blobs(batch.column(0).to_pylist()):  # one row per IPC part
                yield from _read_ipc(blob).cast(signed).to_batches()

    return decode


# --- the driver ------------------------------------------------------------------------


def merge_exports(
    spark: SparkSession,
    sources: Mapping[str, Source],
    *,
    partitions: Optional[int] = None,
    default_region: str = "US",
    priorities: Optional[Sequence[str]] = None,
    suppression: Optional[Sequence[SuppressionEntry]] = None,
) -> SparkMergeResult:
    """Merges the source exports on Spark; rows and report equal `creator_crm.merge_exports`.

    Args:
        spark: The session to run on.
        sources: Maps a source kind (`"sample_orders"`, `"euka"`, ...) to a path, a glob
            or a list of paths and globs (a glob's matches in name order). Local paths
            and globs are listed on the driver and read on the executors, so they must
            see the same files; URLs that Spark reads (`s3a://...`, `hdfs://...`) are
            listed by Spark. Files are named as `merge_exports` names them (the path's
            text), in the order given.
        partitions: How many partitions the rows are hashed into (default: the session's
            `defaultParallelism`). Any count gives the same result.
        default_region: Region for phone numbers written without a country code.
        priorities: Source kinds by contact-field priority, highest first (as in
            `merge_exports`).
        suppression: Erased people, each a mapping with `handle`, `email` or `phone`
            (as `Merger.suppress` takes them): their rows are left out.

    Returns:
        A `SparkMergeResult`: `.creators` and the related-record frames (Spark
        DataFrames), `.report`.

    Raises:
        ScaleoutError: A task failed (a file that cannot be read at all, a corrupt
            payload, a lost executor): the failure is named and nothing is returned.
        SourceImportError: A glob that matches no file.
        InvalidInputError: An unknown source kind, priority or region.
    """
    files = _engines.resolve_sources(sources, list_url=lambda url: _list_url(spark, url))
    plan = _engines.make_plan(
        files,
        partitions=partitions,
        default_parallelism=spark.sparkContext.defaultParallelism,
        default_region=default_region,
        priorities=priorities,
        suppression=suppression,
    )
    ordered = _engines.plan_order(plan, files)
    by_path = {_path_key(f.location): (fid, f.name) for fid, f in enumerate(ordered)}
    if len(by_path) != len(ordered):
        raise ScaleoutError("route", "the same file is listed twice")
    locations = [_spark_location(f.location) for f in ordered]
    try:
        raw = spark.read.format("binaryFile").load(locations)
    except PySparkException as e:
        raise ScaleoutError("route", _spark_reason(e)) from e
    routed = raw.select("path", "content").mapInArrow(_router(plan, by_path), _ROUTED)
    return run_routed(spark, plan, routed)


def run_routed(spark: SparkSession, plan: Plan, routed: DataFrame) -> SparkMergeResult:
    """The merge from routed payloads on: `(partition, file, payload)` rows, as
    `scaleout.route` gives them for each file (manifests at partition -1), plus route
    statistics at partition -2.

    `merge_exports` calls it on the routed files; it is public for tests and for
    callers that route rows of their own.
    """
    from creator_crm import scaleout

    count = plan.partitions
    routed = routed.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        head = _collect(routed.where(F.col("partition") < 0), "route")
        head = head.sort_by([("file", "ascending"), ("partition", "ascending")])
        kinds = head.column("partition").to_pylist()
        blobs = _engines.blobs(head.column("payload").to_pylist())
        files = head.column("file").to_pylist()
        by_file = {f: b for f, k, b in zip(files, kinds, blobs) if k == _MANIFEST}
        tasks = [TaskStats(**json.loads(b)) for k, b in zip(kinds, blobs) if k == _STATS]
        manifests = [by_file.get(f) or _empty_manifest(plan, f) for f in range(len(plan.files))]

        # Every partition gets a group, even one no row hashed to.
        every = spark.range(count).select(
            F.col("id").cast("int").alias("partition"),
            F.lit(-1).alias("file"),
            F.lit(None).cast("binary").alias("payload"),
        )
        payloads = routed.where(F.col("partition") >= 0).unionByName(every)
        # One shuffle: hashed into `count` Spark partitions, which the groupings reuse.
        grouped = payloads.repartition(count, "partition").groupBy("partition")
        summaries = _collect(grouped.applyInArrow(_summarizer(plan), _SUMMARY), "summarize")
        summaries = summaries.sort_by("partition")
        for stats in _engines.texts(summaries.column("stats").to_pylist()):
            tasks += [TaskStats(**s) for s in json.loads(stats)]
        facts = scaleout.global_pass(
            plan, _engines.blobs(summaries.column("summary").to_pylist()), manifests
        )

        shared = spark.sparkContext.broadcast(facts)
        merged = grouped.applyInArrow(_merger(plan, shared), _MERGED).persist(
            StorageLevel.MEMORY_AND_DISK
        )
        try:
            side = _collect(merged.where(F.col("name").isin("report", "__stats__")), "merge")
        except BaseException:
            merged.unpersist()
            raise
    finally:
        routed.unpersist()
    side = side.sort_by([("partition", "ascending"), ("seq", "ascending")])
    report_parts: list[bytes] = []
    side_names = _engines.texts(side.column("name").to_pylist())
    for name, blob in zip(side_names, _engines.blobs(side.column("part").to_pylist())):
        if name == "__stats__":
            tasks += [TaskStats(**s) for s in json.loads(blob)]
        else:
            report_parts.append(blob)
    report = scaleout.combine_report(plan, facts, manifests, report_parts)

    frames: dict[str, DataFrame] = {}
    for name in FRAMES:
        schema = scaleout.table_schema(name)
        frames[name] = (
            merged.where(F.col("name") == name)
            .select("part")
            .mapInArrow(_decoder(schema), spark_schema(schema))
        )
    return SparkMergeResult(
        **frames,
        report=report,
        partitions=count,
        tasks=tasks,
        _cached=merged,
    )


def _empty_manifest(plan: Plan, file_id: int) -> bytes:
    """The manifest of a file Spark gave no row for: `binaryFile` skips empty files, and
    an empty file routes to nothing but its manifest (which holds its error)."""
    from creator_crm import scaleout

    routed = scaleout.route(plan, file_id, b"")
    keys = routed.column("partition").to_pylist()
    [manifest] = [b for k, b in zip(keys, _engines.blobs(routed.column("payload").to_pylist())) if k == _MANIFEST]
    return manifest


def _collect(frame: DataFrame, stage: str) -> pa.Table:
    """`frame`'s rows on the driver; a failed task becomes one `ScaleoutError`."""
    try:
        return frame.toArrow()
    except PySparkException as e:
        raise _task_error(stage, e) from e
    except Exception as e:
        if type(e).__name__ == "Py4JJavaError":
            raise _task_error(stage, e) from e
        raise


_WORKER_ERROR = re.compile(
    r"scale-out merge failed: (?P<stage>\w+) of "
    r"(?:file (?P<file>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")|partition (?P<partition>\d+)"
    r"|the driver): (?P<reason>[^\n]*)"
)


def _task_error(stage: str, e: BaseException) -> ScaleoutError:
    """The `ScaleoutError` a task raised, rebuilt from Spark's report of it (Spark hands
    the driver the worker's traceback as text)."""
    m = _WORKER_ERROR.search(str(e))
    if m is not None:
        file = ast.literal_eval(m.group("file")) if m.group("file") else None
        partition = int(m.group("partition")) if m.group("partition") else None
        return ScaleoutError(m.group("stage"), m.group("reason"), file=file, partition=partition)
    return ScaleoutError(stage, _spark_reason(e))


def _spark_reason(e: BaseException) -> str:
    lines = [line.strip() for line in str(e).splitlines() if line.strip()]
    return lines[-1] if lines else type(e).__name__


def _spark_location(location: str) -> str:
    if _engines.is_url(location):
        return location
    return "file://" + location


def _list_url(spark: SparkSession, url: str) -> list[str]:
    """The files a Hadoop URL (a glob) names, as Spark lists them."""
    try:
        listed = spark.read.format("binaryFile").load(url).select("path").toArrow()
    except PySparkException as e:
        raise ScaleoutError("route", _spark_reason(e)) from e
    return sorted(_engines.texts(listed.column("path").to_pylist()))
