"""pyarrow data with misaligned buffers is copied aligned before the extension reads it,
and merges, cleans and scores as the same data aligned."""

import pickle

import pyarrow as pa
import pytest

from creator_crm import _aligned, merge_exports, parse_phones_table
from test_arrow_input import arrow_sources, csv_merge, flat  # noqa: F401 (fixture)
from test_merger import same_result


def misaligned(value):
    """`value` rebuilt from pickle protocol 5 out-of-band buffers, each placed one byte
    into a larger allocation, as a reader of a framed transport may hand them out."""
    buffers = []
    data = pickle.dumps(value, protocol=5, buffer_callback=buffers.append)
    odd = [memoryview(bytearray(b"\0" + bytes(b.raw())))[1:] for b in buffers]
    return pickle.loads(data, buffers=odd)


TABLE = pa.table(
    {
        "handle": ["@ana", None, "@bo", "@cy"],
        "gmv": [1.5, 2.0, None, 4.25],
        "orders": pa.array([1, 2, 3, None], pa.int64()),
        "brand": pa.array(["acme", "acme", "zen", None]).dictionary_encode(),
        "nothing": pa.nulls(4),
    }
)


def test_misaligned_buffers_are_detected():
    assert _aligned.is_aligned(TABLE)
    odd = misaligned(TABLE)
    assert not _aligned.is_aligned(odd)
    assert odd.equals(TABLE)


@pytest.mark.parametrize(
    "shape",
    [
        lambda t: t,
        lambda t: t.to_batches()[0],
        lambda t: t.column("handle"),
        lambda t: t.column("handle").chunk(0),
        lambda t: t.column("brand").chunk(0),
    ],
    ids=["table", "batch", "chunked_array", "array", "dictionary_array"],
)
def test_aligned_copies_misaligned_data_and_keeps_its_values(shape):
    odd = misaligned(shape(TABLE))
    fixed = _aligned.aligned(odd)
    assert _aligned.is_aligned(fixed)
    assert fixed.equals(shape(TABLE))
    assert type(fixed) is type(odd)


def test_aligned_data_and_other_values_go_through_unchanged():
    assert _aligned.aligned(TABLE) is TABLE
    batch = TABLE.to_batches()[0]
    assert _aligned.aligned(batch) is batch
    for other in (b"handle\n@ana\n", "path.csv", ["@ana"], None):
        assert _aligned.aligned(other) is other


def test_readers_are_aligned_batch_by_batch():
    odd = misaligned(TABLE)
    reader = pa.RecordBatchReader.from_batches(odd.schema, odd.to_batches())
    batches = list(_aligned.aligned(reader))
    assert all(_aligned.is_aligned(b) for b in batches)
    assert pa.Table.from_batches(batches).equals(TABLE)


def test_misaligned_exports_merge_as_their_csv_files(flat):  # noqa: F811 (fixture)
    tables = arrow_sources(flat, misaligned)
    assert not any(_aligned.is_aligned(t) for by_name in tables.values() for t in by_name.values())
    same_result(merge_exports(tables), csv_merge(flat))


def test_a_misaligned_column_of_phones_reads_as_the_aligned_one():
    phones = pa.array(["+1 512 555 0100", "(212) 555-0199", None, "not a phone"])
    assert parse_phones_table(misaligned(phones)).equals(parse_phones_table(phones))
