"""creator_crm.spark on a local Spark session (local[2]): equal to merge_exports."""

from __future__ import annotations

import os
import sys

import pytest

pytest.importorskip("pyspark")

import pyarrow as pa  # noqa: E402
from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402

from creator_crm import SourceImportError, merge_exports, scaleout  # noqa: E402
from creator_crm import spark as crm_spark  # noqa: E402
from scaleout_data import (  # noqa: E402
    BUNDLED, DATA, TABLES, assert_same, expanded, partitions_of, reference, write_exports,
)

pytestmark = pytest.mark.filterwarnings(
    "ignore:PySpark does not yet fully support pandas:FutureWarning"
)

LOG4J = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
"""


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    """One session for the module: local[2], quiet, UTC, the tests' own Python."""
    log4j = tmp_path_factory.mktemp("spark") / "log4j2.properties"
    log4j.write_text(LOG4J)
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    session = (
        SparkSession.builder.master("local[2]")
        .appName("creator-crm-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "1g")
        .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile=file:{log4j}")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return write_exports(tmp_path_factory.mktemp("exports"))


def tables(result: crm_spark.SparkMergeResult) -> dict[str, pa.Table]:
    return {name: frame.toArrow() for name, frame in result.frames().items()}


def test_bundled_data_equals_merge_exports(spark):
    sources = {kind: str(DATA / name) for kind, name in BUNDLED.items()}
    result = crm_spark.merge_exports(spark, sources, partitions=3)
    try:
        assert result.partitions == 3
        assert_same(reference(sources), tables(result), result.report)
        assert {t.stage for t in result.tasks} == {"route", "summarize", "merge"}
        schema = result.creators.schema
        assert schema.names == scaleout.table_schema("creators").names
    finally:
        result.unpersist()


def test_team_inboxes_suppression_and_every_source_form(spark, generated):
    sources, suppression = generated.sources, generated.suppression
    result = crm_spark.merge_exports(spark, sources, partitions=4, suppression=suppression)
    expected = reference(sources, suppression)
    assert expected.report.shared_emails_dropped > 0
    assert expected.report.creators_suppressed == len(suppression)
    try:
        got = tables(result)
        assert_same(expected, got, result.report)
        names = [f["name"] for f in result.report.to_dict()["files"]]
        assert sorted(names) == sorted(path for _, path in expanded(sources))
        # The team inboxes' creators and the erased people sit in several partitions.
        assert len(set(partitions_of(generated.team_inbox_handles, 4).values())) >= 2
        assert len(set(partitions_of(generated.erased_handles, 4).values())) >= 2
        assert {t.index for t in result.tasks if t.stage == "merge"} == set(range(4))
        handles = set(got["creators"]["tiktok_username"].to_pylist())
        assert generated.team_inbox_handles <= handles
        assert not handles & generated.erased_handles
    finally:
        result.unpersist()


def test_a_file_that_cannot_be_read_fails_the_whole_merge(spark, tmp_path):
    # No header: the same error as merge_exports, from the global pass.
    empty = tmp_path / "videos_empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(SourceImportError) as one:
        merge_exports({"euka": str(DATA / "euka.csv"), "videos": str(empty)})
    sources = {"euka": str(DATA / "euka.csv"), "videos": [str(DATA / "videos.csv"), str(empty)]}
    with pytest.raises(SourceImportError) as e:
        crm_spark.merge_exports(spark, sources, partitions=2)
    assert (str(e.value), e.value.field) == (str(one.value), one.value.field)
    # A file Spark cannot find.
    with pytest.raises(crm_spark.ScaleoutError) as e2:
        crm_spark.merge_exports(spark, {"euka": str(tmp_path / "gone.csv")}, partitions=2)
    assert e2.value.code == "scaleout" and e2.value.stage == "route"


def test_a_corrupt_payload_fails_the_whole_merge(spark):
    sources = {"euka": str(DATA / "euka.csv"), "sample_orders": str(DATA / "sample_orders.csv")}
    plan = scaleout.Plan({k: [v] for k, v in sources.items()}, partitions=3)
    routed = []
    for file_id, (_, path) in enumerate(plan.files):
        with open(path, "rb") as f:
            t = scaleout.route(plan, file_id, f.read())
        routed.append(pa.table({
            "partition": t["partition"], "file": pa.array([file_id] * t.num_rows, pa.int32()),
            "payload": t["payload"],
        }))
    table = pa.concat_tables(routed)
    frame = spark.createDataFrame(table).withColumn(
        "payload",
        F.when(F.col("partition") == 1, F.lit(b"\x00 not a payload")).otherwise(F.col("payload")),
    )
    with pytest.raises(crm_spark.ScaleoutError) as e:
        crm_spark.run_routed(spark, plan, frame)
    assert e.value.stage in ("summarize", "merge") and e.value.partition == 1


def test_a_glob_that_matches_nothing_is_an_import_error(spark, tmp_path):
    with pytest.raises(SourceImportError) as e:
        crm_spark.merge_exports(spark, {"euka": str(tmp_path / "*.csv")})
    assert e.value.field == "euka"


def test_spark_schemas_have_core_columns():
    assert crm_spark.FRAMES == TABLES
    for name in TABLES:
        arrow = scaleout.table_schema(name)
        assert crm_spark.spark_schema(arrow).names == arrow.names
