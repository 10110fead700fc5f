//! `creator_crm.scaleout`: the steps of core's partitioned merge
//! (`creator_crm::merge::partition`) as picklable values, bytes and Arrow tables, for
//! engines that run them on other processes (Dask workers, Spark executors).
//!
//! Every value that crosses processes is `bytes` (a `Plan` pickles to its bytes) or a
//! `pyarrow.Table`; every call releases the GIL while it works.

use std::{fs::File, io::BufReader, path::PathBuf, sync::Arc};

use arrow_array::{
    Array, ArrayRef, BinaryArray, Int32Array, LargeBinaryArray, RecordBatch, StringArray,
    cast::AsArray,
};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use creator_crm::{
    Error,
    identity::Region,
    import::SourceKind,
    merge::{
        BrandLink, Conflict, Creator, MergeOptions, Merger, Product, Sample, Snapshot, SourceFile,
        SourcePriority, Video, VideoProduct,
        partition::{self, Facts, Manifest, PartitionOutput, PartitionPlan, Summary, id_order},
    },
};
use pyo3::{
    exceptions::PyTypeError,
    prelude::*,
    pybacked::PyBackedBytes,
    types::{PyBytes, PyDict, PyMapping, PyString, PyTuple},
};
use pyo3_arrow::{PySchema, PyTable, error::PyArrowError};

use crate::{arrow_data, errors, merge::MergeReport, merge::MergeResult, table};

/// The tables `merge_partition` gives, in order (then `"report"` and `"output"`).
const TABLES: [&str; 8] = [
    "creators",
    "conflicts",
    "samples",
    "videos",
    "video_products",
    "snapshots",
    "brand_links",
    "products",
];

fn core_err(e: Error) -> PyErr {
    errors::to_py_err(e)
}

/// The plan of a partitioned merge: the source files in the order `merge_exports` reads
/// them (a file's index in `files` is its id), the partition count and the merge
/// options. Picklable (it pickles to `to_bytes()`), so it can be shipped to workers.
///
/// Args:
///     sources: Maps a source kind (`"euka"`, `"sample_orders"`, ...) to the names of its
///         files (a `str` or a sequence of `str`), in the order `merge_exports` would read
///         them; a name is the file's name in provenance and the report (`merge_exports`
///         names a path by its text, bytes by `"<kind>.csv"`).
///     partitions: Number of partitions (1 to 65536).
///     default_region: Region for phone numbers written without a country code.
///     priorities: Source kinds by contact-field priority, highest first (as in
///         `merge_exports`).
///     suppression: Erased people to leave out: mappings with any of `handle`, `email`,
///         `phone` (as `Merger.suppress` takes them).
///     related_records: Keep samples, videos, snapshots, brand links and products (as in
///         `merge_exports`).
///
/// Raises:
///     InvalidInputError: An unknown kind, priority or region; a partition count out of
///         range; two files with one name; a suppression entry that cannot be
///         normalized.
#[pyclass(name = "Plan", module = "creator_crm.scaleout", frozen)]
pub struct Plan {
    plan: Arc<PartitionPlan>,
}

impl Plan {
    fn of(plan: PartitionPlan) -> Self {
        Plan {
            plan: Arc::new(plan),
        }
    }
}

fn names_of(value: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(vec![s.to_cow()?.into_owned()]);
    }
    value
        .try_iter()?
        .map(|v| v?.extract::<String>())
        .collect::<PyResult<Vec<String>>>()
        .map_err(|_| PyTypeError::new_err("a source's files must be a str or a sequence of str"))
}

#[pymethods]
impl Plan {
    #[new]
    #[pyo3(signature = (sources, *, partitions, default_region = "US", priorities = None, suppression = None, related_records = true))]
    fn new(
        sources: &Bound<'_, PyMapping>,
        partitions: u32,
        default_region: &str,
        priorities: Option<Vec<String>>,
        suppression: Option<Vec<Bound<'_, PyMapping>>>,
        related_records: bool,
    ) -> PyResult<Self> {
        let region = Region::parse(default_region).map_err(core_err)?;
        let priority = match priorities {
            Some(names) => {
                SourcePriority::from_names(names.iter().map(String::as_str)).map_err(core_err)?
            }
            None => SourcePriority::default(),
        };
        let mut merger = Merger::new(MergeOptions {
            region,
            priority,
            related_records,
            ..MergeOptions::default()
        });
        for entry in suppression.unwrap_or_default() {
            let get = |k: &str| -> PyResult<Option<String>> {
                match entry.get_item(k) {
                    Ok(v) if !v.is_none() => Ok(Some(v.extract::<String>()?)),
                    _ => Ok(None),
                }
            };
            let (h, e, p) = (get("handle")?, get("email")?, get("phone")?);
            merger
                .suppress(h.as_deref(), e.as_deref(), p.as_deref())
                .map_err(core_err)?;
        }
        let mut files = Vec::new();
        for item in sources.items()?.iter() {
            let (kind, names): (String, Bound<'_, PyAny>) = item.extract()?;
            let kind: SourceKind = kind.parse().map_err(core_err)?;
            for name in names_of(&names)? {
                files.push(SourceFile::new(kind, name));
            }
        }
        PartitionPlan::new(files, partitions, merger.options())
            .map(Plan::of)
            .map_err(core_err)
    }

    /// Number of partitions.
    #[getter]
    fn partitions(&self) -> u32 {
        self.plan.partitions()
    }

    /// The files as `(kind, name)`; a file's index is its id (`route`'s `file`).
    #[getter]
    fn files(&self) -> Vec<(String, String)> {
        self.plan
            .files()
            .iter()
            .map(|f| (f.kind.as_str().to_owned(), f.name.to_string()))
            .collect()
    }

    /// The plan's fingerprint, stamped on every blob made under it.
    #[getter]
    fn id(&self) -> u64 {
        self.plan.id()
    }

    /// The plan as bytes.
    ///
    /// Returns:
    ///     `bytes` that `Plan.from_bytes` reads back.
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let b = self.plan.to_bytes().map_err(core_err)?;
        Ok(PyBytes::new(py, &b))
    }

    /// The plan `to_bytes` gave.
    ///
    /// Args:
    ///     data: The bytes.
    ///
    /// Returns:
    ///     The `Plan`.
    ///
    /// Raises:
    ///     InvalidInputError: Bytes that are not a plan (`field == "blob"`).
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Plan> {
        PartitionPlan::from_bytes(data)
            .map(Plan::of)
            .map_err(core_err)
    }

    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let load = py
            .import("creator_crm.scaleout")?
            .getattr("_plan_from_bytes")?;
        let args = PyTuple::new(py, [self.to_bytes(py)?])?;
        Ok((load, args))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Plan>()
            .is_ok_and(|o| o.get().plan.id() == self.plan.id())
    }

    fn __hash__(&self) -> u64 {
        self.plan.id()
    }

    fn __repr__(&self) -> String {
        format!(
            "Plan(files={}, partitions={})",
            self.plan.files().len(),
            self.plan.partitions()
        )
    }
}

/// `Plan.from_bytes`, as pickle calls it.
#[pyfunction]
fn _plan_from_bytes(data: &[u8]) -> PyResult<Plan> {
    Plan::from_bytes(data)
}

/// The blobs of `value`: a sequence of bytes-like objects, or an Arrow table / array
/// source whose `column` (default the first) is binary.
fn blobs(value: &Bound<'_, PyAny>, column: &str) -> PyResult<Vec<Blob>> {
    if value.hasattr("__arrow_c_stream__")? || value.hasattr("__arrow_c_array__")? {
        let reader = arrow_data::record_batches(value)?.into_reader()?;
        let mut out = Vec::new();
        for batch in reader {
            let batch = batch.map_err(PyArrowError::from)?;
            let col = batch
                .column_by_name(column)
                .or_else(|| (batch.num_columns() == 1).then(|| batch.column(0)))
                .ok_or_else(|| {
                    PyTypeError::new_err(format!("a table without a `{column}` column"))
                })?;
            push_binary(col, &mut out)?;
        }
        return Ok(out);
    }
    if value.is_instance_of::<PyBytes>() || value.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(
            "expected a sequence of bytes, not one bytes object",
        ));
    }
    value
        .try_iter()?
        .map(|v| Ok(Blob::Py(v?.extract::<PyBackedBytes>()?)))
        .collect()
}

fn push_binary(col: &ArrayRef, out: &mut Vec<Blob>) -> PyResult<()> {
    if let Some(a) = col.as_any().downcast_ref::<BinaryArray>() {
        out.extend(a.iter().flatten().map(|b| Blob::Owned(b.to_vec())));
    } else if let Some(a) = col.as_any().downcast_ref::<LargeBinaryArray>() {
        out.extend(a.iter().flatten().map(|b| Blob::Owned(b.to_vec())));
    } else {
        return Err(PyTypeError::new_err("expected a binary column"));
    }
    Ok(())
}

/// One blob handed in: Python's bytes, or bytes copied out of an Arrow column.
enum Blob {
    Py(PyBackedBytes),
    Owned(Vec<u8>),
}

impl Blob {
    fn bytes(&self) -> &[u8] {
        match self {
            Blob::Py(b) => b,
            Blob::Owned(b) => b,
        }
    }
}

fn views(blobs: &[Blob]) -> Vec<&[u8]> {
    blobs.iter().map(Blob::bytes).collect()
}

fn manifests(plan: &PartitionPlan, value: &Bound<'_, PyAny>) -> PyResult<Vec<Manifest>> {
    blobs(value, "payload")?
        .iter()
        .map(|b| Manifest::from_bytes(plan, b.bytes()).map_err(core_err))
        .collect()
}

fn route_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("partition", DataType::Int32, false),
        Field::new("payload", DataType::Binary, false),
    ]))
}

/// One cell of binary, as a one-row table with column `name`.
fn cell_table<'py>(py: Python<'py>, name: &str, bytes: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    let schema = Arc::new(Schema::new(vec![Field::new(name, DataType::Binary, false)]));
    let col: ArrayRef = Arc::new(BinaryArray::from_vec(vec![bytes]));
    let batch = RecordBatch::try_new(schema.clone(), vec![col]).map_err(PyArrowError::from)?;
    PyTable::try_new(vec![batch], schema)?.into_pyarrow(py)
}

/// Routes one file's rows to the partitions of their normalized handles.
///
/// Args:
///     plan: The plan.
///     file: The file's id (its index in `plan.files`).
///     data: The CSV's bytes (`bytes`, `bytearray`, `memoryview`) or a path to it.
///
/// Returns:
///     A `pyarrow.Table` with columns `partition: int32` and `payload: binary`: every row
///     of the file is in exactly one payload of its partition (a large file gives
///     several payloads per partition); the one row with `partition == -1` is the
///     file's manifest (what only the driver needs: description rows, a file-level
///     error), for `global_pass` and `combine`.
///
/// Raises:
///     InvalidInputError: A file id the plan does not have.
///     OSError: A path that cannot be opened.
///
/// A file that cannot be read (no header, a missing required column) is not raised
/// here: its manifest carries the error, which `global_pass` and `combine` raise as
/// `merge_exports` does (`SourceImportError`).
#[pyfunction]
fn route<'py>(
    py: Python<'py>,
    plan: &Plan,
    file: u32,
    data: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let plan = Arc::clone(&plan.plan);
    let routed = if let Ok(path) = data.extract::<PathBuf>()
        && !data.is_instance_of::<PyBytes>()
    {
        let f = File::open(&path)?;
        py.detach(|| partition::route_csv(&plan, file, BufReader::with_capacity(1 << 20, f)))
    } else {
        let bytes = data.extract::<PyBackedBytes>().or_else(|_| {
            data.call_method0("tobytes")
                .and_then(|b| b.extract::<PyBackedBytes>().map_err(PyErr::from))
        })?;
        py.detach(|| partition::route_csv(&plan, file, &bytes[..]))
    }
    .map_err(core_err)?;
    let manifest = routed.manifest.to_bytes(&plan).map_err(core_err)?;
    let schema = route_schema();
    let batches = py
        .detach(|| {
            let mut rows: Vec<(i32, &[u8])> = routed
                .parts
                .iter()
                .map(|(p, b)| (i32::try_from(*p).unwrap_or(i32::MAX), b.as_slice()))
                .collect();
            rows.push((-1, manifest.as_slice()));
            // Batches of at most 64 payloads (about 256 MiB), within `binary`'s offsets.
            rows.chunks(64)
                .map(|chunk| {
                    let parts: ArrayRef =
                        Arc::new(Int32Array::from_iter_values(chunk.iter().map(|r| r.0)));
                    let payloads: ArrayRef =
                        Arc::new(BinaryArray::from_vec(chunk.iter().map(|r| r.1).collect()));
                    RecordBatch::try_new(schema.clone(), vec![parts, payloads])
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .map_err(PyArrowError::from)?;
    PyTable::try_new(batches, schema)?.into_pyarrow(py)
}

/// What one partition tells the global pass (shared-email counts, the record keys it
/// holds), computed from its payloads.
///
/// Args:
///     plan: The plan.
///     partition: The partition.
///     payloads: Every payload `route` gave for this partition (from every file, in any
///         order): a sequence of `bytes`, or an Arrow table with a `payload` column.
///
/// Returns:
///     `bytes` for `global_pass`.
///
/// Raises:
///     InvalidInputError: A payload that is not routed rows of this plan and partition,
///         or is corrupt (`field == "blob"`); a partition the plan does not have.
#[pyfunction]
fn summarize<'py>(
    py: Python<'py>,
    plan: &Plan,
    partition: u32,
    payloads: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyBytes>> {
    let plan = Arc::clone(&plan.plan);
    let blobs = blobs(payloads, "payload")?;
    let bytes = py
        .detach(|| partition::summarize(&plan, partition, &views(&blobs))?.to_bytes(&plan))
        .map_err(core_err)?;
    Ok(PyBytes::new(py, &bytes))
}

/// The broadcast facts: the shared emails over every partition, and which partition
/// keeps each sample or video key several partitions hold.
///
/// Args:
///     plan: The plan.
///     summaries: `summarize`'s bytes, one per partition (a partition with no payloads
///         may be left out).
///     manifests: The manifests (`route`'s `partition == -1` payloads), one per file:
///         a sequence of `bytes` or an Arrow table with a `payload` column.
///
/// Returns:
///     `bytes` for `merge_partition`, `combine` and `combine_report`.
///
/// Raises:
///     SourceImportError: A file could not be read (the first in plan order), as
///         `merge_exports` raises it.
///     InvalidInputError: A blob that is not what it should be (`field == "blob"`); a
///         file without a manifest or with two (`field == "manifests"`); two summaries of
///         one partition.
#[pyfunction]
fn global_pass<'py>(
    py: Python<'py>,
    plan: &Plan,
    summaries: &Bound<'py, PyAny>,
    manifests: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyBytes>> {
    let plan = Arc::clone(&plan.plan);
    let summaries = blobs(summaries, "summary")?;
    let manifests = self::manifests(&plan, manifests)?;
    let bytes = py
        .detach(|| {
            let summaries = summaries
                .iter()
                .map(|b| Summary::from_bytes(&plan, b.bytes()))
                .collect::<Result<Vec<_>, _>>()?;
            partition::global_pass(&plan, &summaries, &manifests)?.to_bytes(&plan)
        })
        .map_err(core_err)?;
    Ok(PyBytes::new(py, &bytes))
}

fn put<'py, R: creator_crm::table::Row + Sync>(
    py: Python<'py>,
    d: &Bound<'py, PyDict>,
    name: &str,
    rows: &[R],
) -> PyResult<()> {
    d.set_item(name, table::to_pyarrow(py, rows)?)
}

/// Merges one partition with the broadcast facts.
///
/// Args:
///     plan: The plan.
///     partition: The partition.
///     payloads: Every payload `route` gave for this partition, as for `summarize`.
///     facts: `global_pass`'s bytes.
///     output: Also give `"output"`, the partition's whole result as one binary cell,
///         which `combine` needs (default). Engines that keep the tables distributed
///         and use `combine_report` and `reduce_table` pass `False`.
///
/// Returns:
///     A `dict` of `pyarrow.Table`s: this partition's rows of `creators`, `conflicts`,
///     `samples`, `videos`, `video_products`, `snapshots`, `brand_links` and `products`
///     (the schemas of `MergeResult`'s tables, `table_schema(name)`), `"report"` (one
///     binary cell: this partition's part of the report, for `combine_report`) and,
///     with `output`, `"output"`.
///
/// Raises:
///     InvalidInputError: As `summarize`, and facts of another plan.
#[pyfunction]
#[pyo3(signature = (plan, partition, payloads, facts, *, output = true))]
fn merge_partition<'py>(
    py: Python<'py>,
    plan: &Plan,
    partition: u32,
    payloads: &Bound<'py, PyAny>,
    facts: &[u8],
    output: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let plan = Arc::clone(&plan.plan);
    let blobs = blobs(payloads, "payload")?;
    let facts = Facts::from_bytes(&plan, facts).map_err(core_err)?;
    let (out, report, whole) = py
        .detach(|| -> Result<_, Error> {
            let out = partition::merge_partition(&plan, partition, &views(&blobs), &facts)?;
            let report = out.report_bytes(&plan)?;
            let whole = if output {
                Some(out.to_bytes(&plan)?)
            } else {
                None
            };
            Ok((out, report, whole))
        })
        .map_err(core_err)?;
    let d = PyDict::new(py);
    put(py, &d, "creators", &out.creators)?;
    put(py, &d, "conflicts", &out.conflicts)?;
    put(py, &d, "samples", &out.samples)?;
    put(py, &d, "videos", &out.videos)?;
    put(py, &d, "video_products", &out.video_products)?;
    put(py, &d, "snapshots", &out.snapshots)?;
    put(py, &d, "brand_links", &out.brand_links)?;
    put(py, &d, "products", &out.products)?;
    d.set_item("report", cell_table(py, "report", &report)?)?;
    if let Some(whole) = whole {
        d.set_item("output", cell_table(py, "output", &whole)?)?;
    }
    Ok(d)
}

/// The Arrow schema of a table `merge_partition` gives (for engines that declare their
/// output schema, such as Spark's `mapInArrow`).
///
/// Args:
///     name: `"creators"`, `"conflicts"`, `"samples"`, `"videos"`, `"video_products"`,
///         `"snapshots"`, `"brand_links"`, `"products"`, `"report"` or `"output"` (one
///         binary column of that name), or `"route"` (`route`'s table).
///
/// Returns:
///     A `pyarrow.Schema`.
///
/// Raises:
///     InvalidInputError: An unknown name (`field == "table"`).
#[pyfunction]
fn table_schema<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    let schema: Schema = match name {
        "creators" => table::schema::<Creator>(),
        "conflicts" => table::schema::<Conflict>(),
        "samples" => table::schema::<Sample>(),
        "videos" => table::schema::<Video>(),
        "video_products" => table::schema::<VideoProduct>(),
        "snapshots" => table::schema::<Snapshot>(),
        "brand_links" => table::schema::<BrandLink>(),
        "products" => table::schema::<Product>(),
        "report" | "output" => Ok(Schema::new(vec![Field::new(name, DataType::Binary, false)])),
        "route" => Ok(route_schema().as_ref().clone()),
        _ => return Err(core_err(Error::invalid("table", "unknown table"))),
    }
    .map_err(PyArrowError::from)?;
    PySchema::new(Arc::new(schema)).into_pyarrow(py)
}

/// The whole report from the partitions' report parts, equal to `merge_exports`'s.
///
/// Args:
///     plan: The plan.
///     facts: `global_pass`'s bytes.
///     manifests: The manifests, as for `global_pass`.
///     report_parts: The `"report"` cells of `merge_partition`: a sequence of `bytes`,
///         of `"report"` tables, or one Arrow table with a `report` column.
///
/// Returns:
///     A `MergeReport`.
///
/// Raises:
///     SourceImportError: As `global_pass`.
///     InvalidInputError: A blob that is not what it should be.
#[pyfunction]
fn combine_report(
    py: Python<'_>,
    plan: &Plan,
    facts: &[u8],
    manifests: &Bound<'_, PyAny>,
    report_parts: &Bound<'_, PyAny>,
) -> PyResult<MergeReport> {
    let plan = Arc::clone(&plan.plan);
    let facts = Facts::from_bytes(&plan, facts).map_err(core_err)?;
    let manifests = self::manifests(&plan, manifests)?;
    let parts = cells(report_parts, "report")?;
    let report = py
        .detach(|| {
            let parts = parts
                .iter()
                .map(|b| partition::report_from_bytes(&plan, b.bytes()))
                .collect::<Result<Vec<_>, _>>()?;
            partition::combine_report(&plan, &facts, &manifests, &parts)
        })
        .map_err(core_err)?;
    Ok(MergeReport::of_report(report))
}

/// Blobs from a sequence whose items are bytes or one-column tables, or from one table.
fn cells(value: &Bound<'_, PyAny>, column: &str) -> PyResult<Vec<Blob>> {
    if value.hasattr("__arrow_c_stream__")? {
        return blobs(value, column);
    }
    let mut out = Vec::new();
    for item in value.try_iter()? {
        let item = item?;
        if item.hasattr("__arrow_c_stream__")? {
            out.extend(blobs(&item, column)?);
        } else {
            out.push(Blob::Py(item.extract::<PyBackedBytes>()?));
        }
    }
    Ok(out)
}

/// The result `merge_exports` gives on the same files, from every partition's
/// `merge_partition` output (collected on this process).
///
/// Args:
///     plan: The plan.
///     facts: `global_pass`'s bytes.
///     manifests: The manifests, as for `global_pass`.
///     parts: `merge_partition`'s dicts (made with `output=True`), one per partition (a
///         partition with no payloads may be left out).
///
/// Returns:
///     A `MergeResult` equal to `merge_exports`'s.
///
/// Raises:
///     SourceImportError: As `global_pass`.
///     InvalidInputError: A part without `"output"` (`field == "parts"`), two parts of
///         one partition, or a blob that is not what it should be.
#[pyfunction]
fn combine(
    py: Python<'_>,
    plan: &Plan,
    facts: &[u8],
    manifests: &Bound<'_, PyAny>,
    parts: &Bound<'_, PyAny>,
) -> PyResult<MergeResult> {
    let plan = Arc::clone(&plan.plan);
    let facts = Facts::from_bytes(&plan, facts).map_err(core_err)?;
    let manifests = self::manifests(&plan, manifests)?;
    let mut outputs = Vec::new();
    for part in parts.try_iter()? {
        let part = part?;
        let cell = part
            .cast::<PyMapping>()
            .map_err(|_| PyTypeError::new_err("a part must be merge_partition's dict"))?
            .get_item("output")
            .map_err(|_| {
                core_err(Error::invalid(
                    "parts",
                    "a part made without output (merge_partition(..., output=True))",
                ))
            })?;
        outputs.extend(blobs(&cell, "output")?);
    }
    let result = py
        .detach(|| {
            let parts = outputs
                .iter()
                .map(|b| PartitionOutput::from_bytes(&plan, b.bytes()))
                .collect::<Result<Vec<_>, _>>()?;
            partition::combine(&plan, &facts, &manifests, parts)
        })
        .map_err(core_err)?;
    Ok(MergeResult::new(result))
}

/// How a table's rows are ordered: its key columns, each compared as a handle or text
/// (byte order), a record id (`id_order`), a date (nulls first) or a source kind.
#[derive(Clone, Copy)]
enum Key {
    Text(&'static str),
    Id(&'static str),
    Source(&'static str),
}

fn keys_of(name: &str) -> Option<&'static [Key]> {
    Some(match name {
        "creators" | "conflicts" => &[Key::Text("tiktok_username")],
        "samples" => &[Key::Id("order_id"), Key::Id("sku_id")],
        "videos" => &[Key::Id("video_id")],
        "video_products" => &[Key::Id("video_id"), Key::Id("product_id")],
        "snapshots" => &[
            Key::Text("tiktok_username"),
            Key::Text("date"),
            Key::Source("source"),
        ],
        "brand_links" => &[Key::Text("brand"), Key::Text("tiktok_username")],
        "products" => &[Key::Id("product_id")],
        _ => return None,
    })
}

/// The one-machine table from the partitions' pieces of it: concatenated and put in
/// `merge_exports`'s order (each row comes from one partition, so nothing is
/// deduplicated). For a global table such as `products`, or any table collected on one
/// process.
///
/// Args:
///     name: The table: `"creators"`, `"conflicts"`, `"samples"`, `"videos"`,
///         `"video_products"`, `"snapshots"`, `"brand_links"` or `"products"`.
///     tables: The pieces (`pyarrow.Table`s or anything with `__arrow_c_stream__`),
///         with `table_schema(name)`.
///
/// Returns:
///     A `pyarrow.Table` with `table_schema(name)`.
///
/// Raises:
///     InvalidInputError: An unknown name (`field == "table"`).
///     TypeError: A piece with another schema.
#[pyfunction]
fn reduce_table<'py>(
    py: Python<'py>,
    name: &str,
    tables: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let keys = keys_of(name).ok_or_else(|| core_err(Error::invalid("table", "unknown table")))?;
    let schema: SchemaRef = table_schema(py, name)?.extract::<PySchema>()?.into_inner();
    let mut batches = Vec::new();
    for t in tables.try_iter()? {
        let reader = arrow_data::record_batches(&t?)?.into_reader()?;
        for batch in reader {
            let batch = batch.map_err(PyArrowError::from)?;
            if batch.schema().fields() != schema.fields() {
                return Err(PyTypeError::new_err(format!(
                    "a piece of {name} with another schema"
                )));
            }
            batches.push(batch);
        }
    }
    let sorted = py
        .detach(|| sort_batches(&schema, &batches, keys))
        .map_err(PyArrowError::from)?;
    PyTable::try_new(vec![sorted], schema)?.into_pyarrow(py)
}

fn sort_batches(
    schema: &SchemaRef,
    batches: &[RecordBatch],
    keys: &[Key],
) -> Result<RecordBatch, arrow_schema::ArrowError> {
    let all = arrow_select::concat::concat_batches(schema, batches)?;
    let columns: Vec<(Key, StringArray)> = keys
        .iter()
        .map(|k| {
            let (Key::Text(c) | Key::Id(c) | Key::Source(c)) = *k;
            let col = all
                .column_by_name(c)
                .ok_or_else(|| arrow_schema::ArrowError::SchemaError(format!("no column {c}")))?;
            let text = arrow_cast::cast(col, &DataType::Utf8)?;
            Ok((*k, text.as_string::<i32>().clone()))
        })
        .collect::<Result<_, arrow_schema::ArrowError>>()?;
    let mut order: Vec<u32> = (0..u32::try_from(all.num_rows()).unwrap_or(u32::MAX)).collect();
    fn value(a: &StringArray, i: u32) -> Option<&str> {
        (!a.is_null(i as usize)).then(|| a.value(i as usize))
    }
    order.sort_by(|&x, &y| {
        columns
            .iter()
            .map(|(k, a)| {
                let (vx, vy) = (value(a, x), value(a, y));
                match k {
                    Key::Text(_) => vx.cmp(&vy),
                    Key::Id(_) => match (vx, vy) {
                        (Some(p), Some(q)) => id_order(p, q),
                        _ => vx.cmp(&vy),
                    },
                    Key::Source(_) => {
                        let kind = |v: Option<&str>| v.and_then(|s| s.parse::<SourceKind>().ok());
                        kind(vx).cmp(&kind(vy))
                    }
                }
            })
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let indices = arrow_array::UInt32Array::from(order);
    arrow_select::take::take_record_batch(&all, &indices)
}

/// The native `creator_crm.scaleout` module.
pub fn register(parent: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = parent.py();
    let m = PyModule::new(py, "creator_crm.scaleout")?;
    m.add(
        "__doc__",
        "The steps of the partitioned merge (plan, route, summarize, global pass, merge, \
         combine) as picklable values, bytes and Arrow tables, for Dask and Spark.",
    )?;
    m.add_class::<Plan>()?;
    m.add_function(wrap_pyfunction!(_plan_from_bytes, &m)?)?;
    m.add_function(wrap_pyfunction!(route, &m)?)?;
    m.add_function(wrap_pyfunction!(summarize, &m)?)?;
    m.add_function(wrap_pyfunction!(global_pass, &m)?)?;
    m.add_function(wrap_pyfunction!(merge_partition, &m)?)?;
    m.add_function(wrap_pyfunction!(table_schema, &m)?)?;
    m.add_function(wrap_pyfunction!(combine_report, &m)?)?;
    m.add_function(wrap_pyfunction!(combine, &m)?)?;
    m.add_function(wrap_pyfunction!(reduce_table, &m)?)?;
    m.add("TABLES", TABLES.to_vec())?;
    parent.add("scaleout", &m)?;
    py.import("sys")?
        .getattr("modules")?
        .set_item("creator_crm.scaleout", &m)?;
    Ok(())
}
