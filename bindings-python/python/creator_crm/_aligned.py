"""Arrow data with every buffer aligned, before the extension reads it.

The Arrow C data interface only recommends aligned buffers, and pyarrow can hand out
misaligned ones: a table rebuilt from pickle protocol 5 out-of-band buffers that sit at
odd offsets of a larger allocation, for one. The Rust Arrow reader takes a buffer as a
typed slice (and reads a string column's offsets through a typed pointer while
importing it), which is undefined behaviour on a misaligned address.

`aligned` gives pyarrow data back unchanged when every buffer is aligned to
`ALIGNMENT` bytes, the largest alignment a Rust Arrow type needs (`i128`), and a copy
in pyarrow's own allocator (64-byte aligned) otherwise: only the misaligned batches or
chunks are copied. Anything that is not pyarrow data goes through unchanged (polars and
the other producers allocate aligned buffers).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

ALIGNMENT = 16


def aligned(value: Any) -> Any:
    """`value` with every Arrow buffer aligned (see the module docs)."""
    if not type(value).__module__.startswith("pyarrow"):
        return value
    import pyarrow as pa

    if isinstance(value, pa.RecordBatch):
        return value if is_aligned(value) else _copy_batch(value)
    if isinstance(value, pa.Table):
        if is_aligned(value):
            return value
        batches = [b if is_aligned(b) else _copy_batch(b) for b in value.to_batches()]
        return pa.Table.from_batches(batches, schema=value.schema)
    if isinstance(value, pa.RecordBatchReader):
        return pa.RecordBatchReader.from_batches(value.schema, _aligned_batches(value))
    if isinstance(value, pa.ChunkedArray):
        if is_aligned(value):
            return value
        chunks = [c if _array_aligned(c) else _copy_array(c) for c in value.chunks]
        return pa.chunked_array(chunks, type=value.type)
    if isinstance(value, pa.Array):
        return value if _array_aligned(value) else _copy_array(value)
    return value


def is_aligned(value: Any) -> bool:
    """Whether every buffer of a pyarrow table, batch, array or chunked array starts at
    a multiple of `ALIGNMENT`."""
    import pyarrow as pa

    if isinstance(value, pa.RecordBatch):
        return all(_array_aligned(c) for c in value.columns)
    if isinstance(value, pa.Table):
        return all(_array_aligned(c) for col in value.columns for c in col.chunks)
    if isinstance(value, pa.ChunkedArray):
        return all(_array_aligned(c) for c in value.chunks)
    return _array_aligned(value)


def _array_aligned(array: Any) -> bool:
    # `buffers()` lists the buffers of the array and of its children; a dictionary's
    # values are an array of their own.
    if any(b is not None and b.address % ALIGNMENT for b in array.buffers()):
        return False
    dictionary = getattr(array, "dictionary", None)
    return dictionary is None or _array_aligned(dictionary)


def _copy_array(array: Any) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_dictionary(array.type):
        return pa.DictionaryArray.from_arrays(
            _copy_array(array.indices), _copy_array(array.dictionary)
        )
    # `take` of every row gathers the values into newly allocated buffers.
    every_row = pc.indices_nonzero(pc.is_null(pa.nulls(len(array))))
    return array.take(every_row)


def _copy_batch(batch: Any) -> Any:
    import pyarrow as pa

    return pa.RecordBatch.from_arrays(
        [_copy_array(c) for c in batch.columns], schema=batch.schema
    )


def _aligned_batches(reader: Any) -> Iterator[Any]:
    for batch in reader:
        yield batch if is_aligned(batch) else _copy_batch(batch)
