"""Type stubs of `creator_crm.scaleout`, the native module of the partitioned merge.

The steps, each a function of picklable values, `bytes` and `pyarrow.Table`s, so that an
engine (Dask, Spark) can run them on other processes:

1. `Plan(sources, partitions=n)`: the files in the order `merge_exports` reads them;
2. `route(plan, file, data)` per file: every row to its partition (`partition` column),
   and the file's manifest (the row with `partition == -1`);
3. `summarize(plan, p, payloads)` per partition, then `global_pass(plan, summaries,
   manifests)` once: the facts broadcast to every partition;
4. `merge_partition(plan, p, payloads, facts)` per partition: its rows of every table;
5. `combine(plan, facts, manifests, parts)` (collected on one process) or
   `combine_report` and `reduce_table` (tables kept distributed): equal to
   `merge_exports` on the same files.
"""

from collections.abc import Mapping, Sequence
from typing import Any, Union, final

import os

import pyarrow

from creator_crm._native import MergeReport, MergeResult

_Blobs = Union[Sequence[bytes], pyarrow.Table]

TABLES: list[str]
"""The tables `merge_partition` gives rows of, beside `"report"` and `"output"`."""

@final
class Plan:
    """The plan of a partitioned merge: files (index = file id), partitions, options.

    Picklable: it pickles to `to_bytes()`.
    """

    def __init__(
        self,
        sources: Mapping[str, Union[str, Sequence[str]]],
        *,
        partitions: int,
        default_region: str = "US",
        priorities: Sequence[str] | None = None,
        suppression: Sequence[Mapping[str, str | None]] | None = None,
        related_records: bool = True,
    ) -> None: ...
    @property
    def partitions(self) -> int:
        """Number of partitions."""
    @property
    def files(self) -> list[tuple[str, str]]:
        """`(kind, name)` of every file; a file's index is its id."""
    @property
    def id(self) -> int:
        """The plan's fingerprint, stamped on every blob made under it."""
    def to_bytes(self) -> bytes:
        """The plan as bytes."""
    @staticmethod
    def from_bytes(data: bytes) -> Plan:
        """The plan `to_bytes` gave; `InvalidInputError` for other bytes."""
    def __reduce__(self) -> tuple[Any, tuple[bytes]]: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...

def _plan_from_bytes(data: bytes) -> Plan: ...
def route(
    plan: Plan, file: int, data: Union[bytes, bytearray, memoryview, str, os.PathLike[str]]
) -> pyarrow.Table:
    """`partition: int32`, `payload: binary`; `partition == -1` is the file's manifest."""

def summarize(plan: Plan, partition: int, payloads: _Blobs) -> bytes:
    """What one partition tells the global pass."""

def global_pass(plan: Plan, summaries: _Blobs, manifests: _Blobs) -> bytes:
    """The facts broadcast to every partition; raises a file's import error."""

def merge_partition(
    plan: Plan, partition: int, payloads: _Blobs, facts: bytes, *, output: bool = True
) -> dict[str, pyarrow.Table]:
    """This partition's rows of every table, `"report"` and (with `output`) `"output"`."""

def table_schema(name: str) -> pyarrow.Schema:
    """The schema of a table `merge_partition` gives (or `"route"`)."""

def combine_report(
    plan: Plan,
    facts: bytes,
    manifests: _Blobs,
    report_parts: Union[Sequence[Union[bytes, pyarrow.Table]], pyarrow.Table],
) -> MergeReport:
    """The whole report, equal to `merge_exports`'s."""

def combine(
    plan: Plan, facts: bytes, manifests: _Blobs, parts: Sequence[Mapping[str, pyarrow.Table]]
) -> MergeResult:
    """The whole result, equal to `merge_exports`'s."""

def reduce_table(name: str, tables: Sequence[pyarrow.Table]) -> pyarrow.Table:
    """The pieces of one table, concatenated in `merge_exports`'s order."""
