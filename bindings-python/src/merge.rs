//! Python bindings of `creator_crm::merge`: `merge_exports` and its result.
//!
//! The creator table is handed to Python as one Arrow record batch
//! (`pyarrow.Table`), built column by column in Rust: no Python object is made
//! per row until the caller asks for `to_pylist()`.

use std::{
    io::{Cursor, Read},
    path::PathBuf,
    sync::Arc,
};

use arrow_array::{
    ArrayRef, BooleanArray, Decimal128Array, RecordBatch, StringArray, UInt32Array, UInt64Array,
};
use arrow_schema::{DataType, Field, Schema};
use creator_crm::{
    Error,
    identity::Region,
    import::SourceKind,
    merge::{self, Creator, ImportInput, MergeOptions, Merger, SourceFile},
};
use pyo3::{
    exceptions::PyTypeError,
    prelude::*,
    types::{PyBytes, PyDict, PyString},
};
use pyo3_arrow::PyTable;
use rust_decimal::Decimal;

use crate::errors;

/// Scale of the `total_gmv` decimal column.
const GMV_SCALE: u32 = 4;

/// One source to read: a path, or bytes read from a file object.
enum Input {
    Path(PathBuf),
    Bytes(Vec<u8>),
}

fn read_input(value: &Bound<'_, PyAny>) -> PyResult<Input> {
    if let Ok(path) = value.extract::<PathBuf>() {
        return Ok(Input::Path(path));
    }
    if value.hasattr("read")? {
        let data = value.call_method0("read")?;
        if let Ok(b) = data.cast::<PyBytes>() {
            return Ok(Input::Bytes(b.as_bytes().to_vec()));
        }
        if let Ok(s) = data.cast::<PyString>() {
            return Ok(Input::Bytes(s.to_cow()?.as_bytes().to_vec()));
        }
    }
    Err(PyTypeError::new_err(
        "a source must be a path or a file object opened for reading",
    ))
}

/// Imports every source on as many threads as the machine has (up to one per file), and
/// lets `finish` resolve creators on as many: the result of doing it all on one thread.
/// `merge_exports` returns creators and the report, so related records are kept no
/// further than those need.
fn import_all(sources: Vec<(SourceKind, String, Input)>, region: Region) -> Result<Merger, Error> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let mut merger = Merger::new(MergeOptions {
        region,
        threads,
        related_records: false,
        ..MergeOptions::default()
    });
    let mut inputs: Vec<ImportInput<Box<dyn Read + Send>>> = Vec::new();
    for (kind, name, input) in sources {
        let file = SourceFile::new(kind, name);
        match input {
            Input::Path(path) => {
                let input = file.open(&path)?;
                inputs.push(ImportInput {
                    file: input.file,
                    reader: Box::new(input.reader),
                    size_hint: input.size_hint,
                });
            }
            Input::Bytes(bytes) => {
                let size = bytes.len() as u64;
                let reader: Box<dyn Read + Send> = Box::new(Cursor::new(bytes));
                inputs.push(ImportInput::new(file, reader).size_hint(size));
            }
        }
    }
    merger.import_many(inputs, threads)?;
    Ok(merger)
}

/// Merges the source exports into one creator table.
///
/// Runs with the GIL released, importing the files on as many threads as the machine
/// has (up to one per file); the result is the same as on one thread.
///
/// Args:
///     sources: Maps a source kind (`"sample_orders"`, `"euka"`, `"phone_numbers"`,
///         `"refunnel"`, `"videos"`, `"products"`) to a path (`str` or `os.PathLike`) or
///         a file object opened for reading (text or binary).
///     default_region: Region for phone numbers written without a country code.
///
/// Returns:
///     A `MergeResult`: `.creators` (a `pyarrow.Table`), `.report`, `.to_pylist()`.
///
/// Raises:
///     InvalidInputError: An unknown source kind or region.
///     SourceImportError: A file cannot be read at all (missing, empty, or lacking a
///         required column). Bad rows never raise: they are counted in the report.
#[pyfunction]
#[pyo3(signature = (sources, *, default_region = "US"))]
fn merge_exports(
    py: Python<'_>,
    sources: &Bound<'_, PyDict>,
    default_region: &str,
) -> PyResult<MergeResult> {
    let region = Region::parse(default_region).map_err(errors::to_py_err)?;
    let mut inputs = Vec::with_capacity(sources.len());
    for (key, value) in sources.iter() {
        let kind_name: String = key.extract()?;
        let kind: SourceKind = kind_name.parse().map_err(errors::to_py_err)?;
        let name = match value.extract::<PathBuf>() {
            Ok(p) => p.display().to_string(),
            Err(_) => format!("{kind_name}.csv"),
        };
        inputs.push((kind, name, read_input(&value)?));
    }
    let result = py
        .detach(move || import_all(inputs, region).map(Merger::into_creators))
        .map_err(errors::to_py_err)?;
    Ok(MergeResult(Arc::new(result)))
}

/// The outcome of `merge_exports`.
///
/// Attributes:
///     creators: The merged creators as a `pyarrow.Table`, one row per creator, sorted
///         by handle.
///     report: The `MergeReport`.
#[pyclass(name = "MergeResult", module = "creator_crm", frozen)]
pub struct MergeResult(Arc<merge::MergeResult>);

#[pymethods]
impl MergeResult {
    #[getter]
    fn creators<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let batch = creators_batch(&self.0.creators)?;
        let schema = batch.schema();
        PyTable::try_new(vec![batch], schema)?.into_pyarrow(py)
    }

    #[getter]
    fn report(&self) -> MergeReport {
        MergeReport(self.0.clone())
    }

    /// The creators as a list of dicts (one per creator, keys as the table's columns).
    ///
    /// Returns:
    ///     `list[dict]`; `total_gmv` is a `decimal.Decimal`.
    fn to_pylist<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.creators(py)?.call_method0("to_pylist")
    }

    fn __len__(&self) -> usize {
        self.0.creators.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "MergeResult(creators={}, conflicts={})",
            self.0.report.creators, self.0.report.conflicts
        )
    }
}

/// What a merge did, in numbers (reasons and field names only, never values).
///
/// Attributes:
///     rows_read: Data rows read, all files.
///     rows_rejected: Rows rejected as a whole (no usable handle or id).
///     values_dropped: Values dropped from kept rows (bad email syntax, bad number, ...).
///     duplicates_collapsed: Rows identical to an earlier row of the same file.
///     creators: Creators in the result.
///     fields_filled: Creator fields filled, summed.
///     conflicts: Fields with disagreeing values, plus masks that do not fit the number.
///     masked_phones_upgraded: Creators whose masked phone a full number confirmed.
///     shared_emails_dropped: Team-inbox emails used by nobody.
///     creators_suppressed: Creators left out by the suppression list.
#[pyclass(name = "MergeReport", module = "creator_crm", frozen)]
pub struct MergeReport(Arc<merge::MergeResult>);

#[pymethods]
impl MergeReport {
    #[getter]
    fn rows_read(&self) -> u64 {
        self.0.report.rows_read
    }
    #[getter]
    fn rows_rejected(&self) -> u64 {
        self.0.report.rows_rejected
    }
    #[getter]
    fn values_dropped(&self) -> u64 {
        self.0.report.values_dropped
    }
    #[getter]
    fn duplicates_collapsed(&self) -> u64 {
        self.0.report.duplicates_collapsed
    }
    #[getter]
    fn creators(&self) -> u64 {
        self.0.report.creators
    }
    #[getter]
    fn fields_filled(&self) -> u64 {
        self.0.report.fields_filled
    }
    #[getter]
    fn conflicts(&self) -> u64 {
        self.0.report.conflicts
    }
    #[getter]
    fn masked_phones_upgraded(&self) -> u64 {
        self.0.report.masked_phones_upgraded
    }
    #[getter]
    fn shared_emails_dropped(&self) -> u64 {
        self.0.report.shared_emails_dropped
    }
    #[getter]
    fn creators_suppressed(&self) -> u64 {
        self.0.report.creators_suppressed
    }

    /// The whole report as plain Python data (files, reasons, counts).
    ///
    /// Returns:
    ///     A `dict` with the attributes above plus `files` (per-file counts, rejected
    ///     rows by reason, and the first rejected lines) and related-record counts.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let json = serde_json::to_string(&self.0.report)
            .map_err(|e| PyTypeError::new_err(e.to_string()))?;
        py.import("json")?.call_method1("loads", (json,))
    }

    fn __repr__(&self) -> String {
        let r = &self.0.report;
        format!(
            "MergeReport(rows_read={}, rows_rejected={}, creators={}, conflicts={}, masked_phones_upgraded={})",
            r.rows_read, r.rows_rejected, r.creators, r.conflicts, r.masked_phones_upgraded
        )
    }
}

fn text<S: AsRef<str>>(values: impl Iterator<Item = Option<S>>) -> ArrayRef {
    Arc::new(values.collect::<StringArray>())
}

fn gmv(d: &Decimal) -> i128 {
    let mut d = *d;
    d.rescale(GMV_SCALE);
    d.mantissa()
}

/// The creator table as one record batch.
fn creators_batch(creators: &[Creator]) -> PyResult<RecordBatch> {
    // Text columns read straight from the creators; `owned` for text built per row.
    let s = |f: for<'a> fn(&'a Creator) -> Option<&'a str>| text(creators.iter().map(f));
    let owned = |f: fn(&Creator) -> Option<String>| text(creators.iter().map(f));
    let utf8 = |name: &str, nullable: bool| Field::new(name, DataType::Utf8, nullable);
    let schema = Schema::new(vec![
        utf8("tiktok_username", false),
        utf8("email", true),
        utf8("phone", true),
        utf8("phone_masked", true),
        Field::new("phone_verified", DataType::Boolean, false),
        utf8("first_name", false),
        utf8("last_name", false),
        utf8("address_line1", false),
        utf8("address_line2", false),
        utf8("city", false),
        utf8("state", false),
        utf8("zipcode", false),
        utf8("country", false),
        Field::new("follower_count", DataType::UInt64, true),
        Field::new(
            "total_gmv",
            DataType::Decimal128(38, i8::try_from(GMV_SCALE).unwrap_or(4)),
            false,
        ),
        utf8("outreach_status", false),
        utf8("sources", false),
        Field::new("alternates", DataType::UInt32, false),
    ]);
    let gmv_array = Decimal128Array::from_iter_values(creators.iter().map(|c| gmv(&c.total_gmv)))
        .with_precision_and_scale(38, i8::try_from(GMV_SCALE).unwrap_or(4))
        .map_err(|e| PyTypeError::new_err(e.to_string()))?;
    let columns: Vec<ArrayRef> = vec![
        s(|c| Some(c.handle.as_str())),
        s(|c| c.email.as_ref().map(|e| e.as_str())),
        s(|c| c.phone.as_ref().map(|p| p.as_str())),
        owned(|c| c.phone_masked.as_ref().map(merge::masked_text)),
        Arc::new(
            creators
                .iter()
                .map(|c| Some(c.phone_verified))
                .collect::<BooleanArray>(),
        ),
        s(|c| Some(c.first_name.as_str())),
        s(|c| Some(c.last_name.as_str())),
        s(|c| Some(c.address.line1.as_str())),
        s(|c| Some(c.address.line2.as_str())),
        s(|c| Some(c.address.city.as_str())),
        s(|c| Some(c.address.state.as_str())),
        s(|c| Some(c.address.zip.as_str())),
        s(|c| Some(c.address.country.as_str())),
        Arc::new(
            creators
                .iter()
                .map(|c| c.follower_count)
                .collect::<UInt64Array>(),
        ),
        Arc::new(gmv_array),
        s(|c| Some(c.outreach_status.as_str())),
        owned(|c| {
            Some(
                c.sources
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(";"),
            )
        }),
        Arc::new(
            creators
                .iter()
                .map(|c| u32::try_from(c.alternates.len()).unwrap_or(u32::MAX))
                .collect::<UInt32Array>(),
        ),
    ];
    RecordBatch::try_new(Arc::new(schema), columns).map_err(|e| PyTypeError::new_err(e.to_string()))
}

/// Registers the merge functions and classes.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(merge_exports, m)?)?;
    m.add_class::<MergeResult>()?;
    m.add_class::<MergeReport>()?;
    Ok(())
}
