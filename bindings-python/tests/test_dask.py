"""creator_crm.dask on a LocalCluster with 2 worker processes: equal to merge_exports."""

from __future__ import annotations

import logging

import pytest

pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

import dask  # noqa: E402
import pyarrow as pa  # noqa: E402

from creator_crm import SourceImportError, merge_exports, scaleout  # noqa: E402
from creator_crm import dask as crm_dask  # noqa: E402
from creator_crm._engines import split_routed  # noqa: E402
from scaleout_data import (  # noqa: E402
    BUNDLED, DATA, TABLES, assert_same, expanded, partitions_of, reference, write_exports,
)


@pytest.fixture(scope="module")
def client():
    """One cluster for the module: 2 worker processes, one thread each."""
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.CRITICAL,
    ) as cluster, distributed.Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return write_exports(tmp_path_factory.mktemp("exports"))


def tables(result: crm_dask.DaskMergeResult) -> dict[str, pa.Table]:
    return {
        name: pa.Table.from_pandas(frame.compute(), preserve_index=False)
        for name, frame in result.frames().items()
    }


def test_bundled_data_equals_merge_exports(client):
    sources = {kind: str(DATA / name) for kind, name in BUNDLED.items()}
    result = crm_dask.merge_exports(sources, client=client, partitions=3)
    assert result.partitions == 3 and result.creators.npartitions == 3
    assert_same(reference(sources), tables(result), result.report)
    assert {t.stage for t in result.tasks} == {"route", "summarize", "merge"}
    assert all(t.peak_rss > 0 for t in result.tasks)


def test_team_inboxes_and_suppressed_people_across_partitions(client, generated):
    sources, suppression = generated.sources, generated.suppression
    result = crm_dask.merge_exports(sources, client=client, partitions=4, suppression=suppression)
    expected = reference(sources, suppression)
    assert expected.report.shared_emails_dropped > 0
    assert expected.report.creators_suppressed == len(suppression)
    assert_same(expected, tables(result), result.report)
    # The team inboxes' creators and the erased people sit in several partitions, and
    # each creator is merged in its own.
    team = partitions_of(generated.team_inbox_handles, 4)
    assert len(set(team.values())) >= 2
    assert len(set(partitions_of(generated.erased_handles, 4).values())) >= 2
    for i in range(result.partitions):
        part = set(result.creators.get_partition(i).compute()["tiktok_username"])
        assert all(team[h] == i for h in part & set(team))
        assert not part & generated.erased_handles


def test_paths_globs_and_lists_name_the_same_files(client, generated):
    sources = generated.sources
    explicit = {}
    for kind, path in expanded(sources):
        explicit.setdefault(kind, []).append(path)
    a = crm_dask.merge_exports(sources, client=client, partitions=2)
    b = crm_dask.merge_exports(explicit, client=client, partitions=5)
    names = [f["name"] for f in a.report.to_dict()["files"]]
    assert sorted(names) == sorted(path for _, path in expanded(sources))
    assert a.report.to_dict() == b.report.to_dict()
    assert_same(reference(sources), tables(b), b.report)


def test_the_default_client_is_used(client):
    sources = {"euka": str(DATA / "euka.csv"), "refunnel": str(DATA / "refunnel.csv")}
    with client.as_current():
        result = crm_dask.merge_exports(sources)
    assert result.partitions == 2  # the cluster's two worker threads
    assert result.report.to_dict() == reference(sources).report.to_dict()


def test_a_file_that_cannot_be_read_fails_the_whole_merge(client, tmp_path):
    # No header: the same error as merge_exports, from the global pass.
    empty = tmp_path / "videos_empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(SourceImportError) as one:
        merge_exports({"euka": str(DATA / "euka.csv"), "videos": str(empty)})
    sources = {"euka": str(DATA / "euka.csv"), "videos": [str(DATA / "videos.csv"), str(empty)]}
    with pytest.raises(SourceImportError) as e:
        crm_dask.merge_exports(sources, client=client, partitions=2)
    assert (str(e.value), e.value.field, e.value.reason) == (
        str(one.value), one.value.field, one.value.reason
    )
    # A file a worker cannot open: the route task fails, naming it.
    missing = {"euka": str(tmp_path / "gone.csv")}
    with pytest.raises(crm_dask.ScaleoutError) as e:
        crm_dask.merge_exports(missing, client=client, partitions=2)
    assert (e.value.code, e.value.stage, e.value.field) == ("scaleout", "route", missing["euka"])
    assert "FileNotFoundError" in e.value.reason


def test_a_corrupt_payload_fails_the_whole_merge(client):
    sources = {"euka": str(DATA / "euka.csv"), "sample_orders": str(DATA / "sample_orders.csv")}
    plan = scaleout.Plan({k: [v] for k, v in sources.items()}, partitions=3)
    routed = []
    for file_id, (_, path) in enumerate(plan.files):
        with open(path, "rb") as f:
            manifests, parts = split_routed(scaleout.route(plan, file_id, f.read()), 3)
        if file_id == 1:
            parts[1] = [b"\x00 not a payload"]
        routed.append(dask.delayed((manifests, parts, []), traverse=False))
    with pytest.raises(crm_dask.ScaleoutError) as e:
        crm_dask.run_routed(plan, routed, client=client)
    assert e.value.stage in ("summarize", "merge") and e.value.partition == 1


def test_a_glob_that_matches_nothing_is_an_import_error(tmp_path):
    with pytest.raises(SourceImportError) as e:
        crm_dask.merge_exports({"euka": str(tmp_path / "*.csv")})
    assert e.value.field == "euka" and "no file matches" in str(e.value)
    with pytest.raises(TypeError):
        crm_dask.merge_exports({"euka": b"handle\nana\n"})  # type: ignore[dict-item]


def test_the_frames_are_the_merge_results_tables():
    assert crm_dask.FRAMES == TABLES
    assert set(TABLES) <= set(scaleout.TABLES)
