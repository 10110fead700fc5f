//! Python bindings of `creator_crm::merge`: `merge_exports`, `Merger` and their result.
//!
//! The creator table is handed to Python as one Arrow record batch
//! (`pyarrow.Table`), built column by column in Rust: no Python object is made
//! per row until the caller asks for `to_pylist()`.

use std::{
    io::{Cursor, Read},
    path::PathBuf,
    sync::Arc,
};

use chrono::{DateTime, Utc};
use creator_crm::{
    Error,
    identity::Region,
    import::SourceKind,
    merge::{
        self, Finish, ImportInput, ManualEdit, MergeOptions, MergeReport as MergeReportRow, Merger,
        SourceFile, SourcePriority,
    },
    table::{Cell, Rejected, Row},
};
use pyo3::{
    exceptions::PyTypeError,
    prelude::*,
    sync::PyOnceLock,
    types::{PyByteArray, PyBytes, PyDict, PyList, PyMemoryView, PyString},
};

use crate::{arrow_input::Source, data, errors, progress::Progress, table};

/// One source to read: a path, or bytes read from a file object.
pub(crate) enum Input {
    Path(PathBuf),
    Bytes(Vec<u8>),
}

impl Input {
    /// Reads `value`: the CSV's bytes (`bytes`, `bytearray`, `memoryview`), a path
    /// (`str` or `os.PathLike`) or a file object (text or binary).
    pub(crate) fn read(value: &Bound<'_, PyAny>) -> PyResult<Input> {
        if value.is_instance_of::<PyBytes>()
            || value.is_instance_of::<PyByteArray>()
            || value.is_instance_of::<PyMemoryView>()
        {
            return Ok(Input::Bytes(value.extract::<Vec<u8>>().or_else(|_| {
                value
                    .call_method0("tobytes")
                    .and_then(|b| b.extract::<Vec<u8>>())
            })?));
        }
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
            "a source must be a path, bytes or a file object opened for reading",
        ))
    }

    /// The name a source goes by in provenance and the report when the caller gives none:
    /// a path's own text, else `<kind>.csv`.
    pub(crate) fn default_name(&self, kind: SourceKind) -> String {
        match self {
            Input::Path(p) => p.display().to_string(),
            Input::Bytes(_) => format!("{}.csv", kind.as_str()),
        }
    }

    /// The size in bytes, when known (0 otherwise).
    pub(crate) fn size(&self) -> u64 {
        match self {
            Input::Path(p) => std::fs::metadata(p).map_or(0, |m| m.len()),
            Input::Bytes(b) => b.len() as u64,
        }
    }

    /// The input `Merger::import_many` takes, with its size hint; read through
    /// `progress`'s stop switch when there is one.
    pub(crate) fn open(
        self,
        file: SourceFile,
        progress: Option<&Progress>,
    ) -> Result<ImportInput<Box<dyn Read + Send>>, Error> {
        let boxed = |reader: Box<dyn Read + Send>| -> Box<dyn Read + Send> {
            match progress {
                Some(p) => Box::new(p.reader(reader)),
                None => reader,
            }
        };
        Ok(match self {
            Input::Path(path) => {
                let input = file.open(&path)?;
                ImportInput {
                    file: input.file,
                    reader: boxed(Box::new(input.reader)),
                    size_hint: input.size_hint,
                }
            }
            Input::Bytes(bytes) => {
                let size = bytes.len() as u64;
                ImportInput::new(file, boxed(Box::new(Cursor::new(bytes)))).size_hint(size)
            }
        })
    }
}

/// The merge settings `merge_exports`, `Merger` and `Crm` share.
pub(crate) fn merge_options(
    default_region: &str,
    priorities: Option<Vec<String>>,
    related_records: bool,
    progress: Option<&Arc<Progress>>,
) -> PyResult<MergeOptions> {
    let region = Region::parse(default_region).map_err(errors::to_py_err)?;
    let priority = match priorities {
        Some(names) => SourcePriority::from_names(names.iter().map(String::as_str))
            .map_err(errors::to_py_err)?,
        None => SourcePriority::default(),
    };
    Ok(MergeOptions {
        region,
        priority,
        threads: std::thread::available_parallelism().map_or(1, usize::from),
        related_records,
        progress: progress.map(Progress::hook),
        ..MergeOptions::default()
    })
}

/// Runs `import` with the GIL released, telling `progress` (when given) about it: an
/// exception the progress callback raised comes first, then the import's own error.
fn with_progress<T: Send>(
    py: Python<'_>,
    progress: Option<&Arc<Progress>>,
    total_bytes: u64,
    import: impl FnOnce() -> Result<T, Error> + Send,
) -> PyResult<T> {
    if let Some(p) = progress {
        p.begin(py, total_bytes)?;
    }
    let result = py.detach(import);
    if let Some(p) = progress {
        p.end(py)?;
    }
    result.map_err(errors::to_py_err)
}

/// Imports every source on as many threads as the options allow (up to one per file):
/// the result of doing it all on one thread.
fn import_all(
    merger: &mut Merger,
    sources: Vec<(SourceFile, Input)>,
    progress: Option<&Progress>,
) -> Result<(), Error> {
    let threads = merger.options().threads;
    let inputs = sources
        .into_iter()
        .map(|(file, input)| input.open(file, progress))
        .collect::<Result<Vec<_>, Error>>()?;
    merger.import_many(inputs, threads)
}

/// Merges the source exports into one creator table and its related records.
///
/// Runs with the GIL released, importing the files on as many threads as the machine
/// has (up to one per file); the result is the same as on one thread, and the same as
/// a `Merger` given the same sources.
///
/// Args:
///     sources: Maps a source kind (`"sample_orders"`, `"euka"`, `"phone_numbers"`,
///         `"refunnel"`, `"videos"`, `"products"`) to a source, a list (or tuple) of
///         sources, or a dict of name -> source. A source is a path (`str` or
///         `os.PathLike`), the CSV's bytes, a file object opened for reading (text or
///         binary), or Arrow data: a `pyarrow.Table`, `RecordBatch` or
///         `RecordBatchReader`, a polars or pandas DataFrame, anything with
///         `__arrow_c_stream__` or `__arrow_c_array__`. Arrow data is read batch by
///         batch as the same data written as CSV: column names are matched as CSV
///         headers, each value is read as the text a CSV export of it holds (numbers
///         in full digits, dates `YYYY-MM-DD`, timestamps `YYYY-MM-DD HH:MM:SS` in UTC,
///         nulls empty), and a row's line is its 1-based position plus one (the header
///         is line 1). Files are named by the dict's keys, else by the path, else
///         `<kind>.csv`, `<kind>-2.csv`, ... for bytes and file objects and
///         `<kind>.arrow`, `<kind>-2.arrow`, ... for Arrow data, in order.
///     default_region: Region for phone numbers written without a country code.
///     priorities: Source kinds by contact-field priority, highest first (default
///         `euka, phone_numbers, refunnel, sample_orders, videos, products`; manual
///         edits always rank first, kinds left out rank below the listed ones).
///     related_records: Keep samples, videos, snapshots, brand links and products
///         (default). `False` keeps only what the creator table and the report need:
///         the same creators and report at well under half the memory, with the
///         related tables empty.
///     progress: Told how the import goes: a callable called with a dict (`file`,
///         `kind`, `bytes_read`, `total_bytes`, `rows_read`, `done`) every 65,536 rows
///         and at each file's end, from the reading threads (holding the GIL while it
///         runs); or `True` / `"tqdm"` for a `tqdm` progress bar over all the bytes
///         (needs the `tqdm` package). An exception the callable raises stops the
///         import (every file stops at its next read) and is raised by this call.
///
/// Returns:
///     A `MergeResult`: `.creators` and the related tables (`pyarrow.Table`s),
///     `.report`, `.to_pylist()`.
///
/// Raises:
///     InvalidInputError: An unknown source kind, priority or region.
///     SourceImportError: A file cannot be read at all (missing, empty, or lacking a
///         required column), or Arrow data has a known column of a type without text
///         (binary, list, struct, ...; `field` names the column) or its stream fails.
///         Bad rows never raise: they are counted in the report.
///     TypeError: A source of none of these types.
///     ImportError: `progress=True` or `"tqdm"` without the `tqdm` package.
#[pyfunction]
#[pyo3(signature = (sources, *, default_region = "US", priorities = None, related_records = true, progress = None))]
fn merge_exports(
    py: Python<'_>,
    sources: &Bound<'_, PyDict>,
    default_region: &str,
    priorities: Option<Vec<String>>,
    related_records: bool,
    progress: Option<&Bound<'_, PyAny>>,
) -> PyResult<MergeResult> {
    let progress = Progress::from_arg(progress)?;
    let options = merge_options(
        default_region,
        priorities,
        related_records,
        progress.as_ref(),
    )?;
    let sources = crate::arrow_input::Sources::read(sources)?;
    let total = sources.csv_size();
    let stop = progress.as_deref();
    let result = with_progress(py, progress.as_ref(), total, move || {
        let mut merger = Merger::new(options);
        import_all(&mut merger, sources.csv, stop)?;
        crate::arrow_input::import(&mut merger, sources.arrow, stop)?;
        Ok(if related_records {
            merger.finish(Finish::Everything)
        } else {
            merger.finish(Finish::CreatorsReleasing)
        })
    })?;
    Ok(MergeResult::new(result))
}

/// An incremental merge without a store: add sources one at a time, then read the
/// result, as often as wanted.
///
/// `result()` after adding sources equals `merge_exports` on the same sources (and
/// options); adding a source later and calling `result()` again equals merging
/// everything at once. Imports run with the GIL released.
///
/// Args:
///     default_region: Region for phone numbers written without a country code.
///     priorities: Source kinds by contact-field priority, highest first (as in
///         `merge_exports`).
///     related_records: Keep samples, videos, snapshots, brand links and products
///         (default), as in `merge_exports`.
///     progress: A callable, or `True` / `"tqdm"` for a bar, told how each `add`
///         goes (as in `merge_exports`). An exception the callable raises stops that
///         `add` and is raised by it; the rows read before stay merged, as after a
///         read error, and the merger stays usable.
///
/// Raises:
///     InvalidInputError: An unknown priority or region.
///     ImportError: `progress=True` or `"tqdm"` without the `tqdm` package.
///     TypeError: Any other `progress` that is not a callable.
#[pyclass(name = "Merger", module = "creator_crm")]
pub struct PyMerger {
    merger: Merger,
    progress: Option<Arc<Progress>>,
    /// File objects added so far per kind, to name each one apart.
    unnamed: [u32; SourceKind::ALL.len()],
    /// Arrow sources added so far per kind without a name.
    unnamed_arrow: [u32; SourceKind::ALL.len()],
}

impl PyMerger {
    /// The name of the next unnamed file object (`<kind>.csv`, `<kind>-2.csv`, ...) or
    /// Arrow source (`<kind>.arrow`, `<kind>-2.arrow`, ...) of `kind`.
    fn next_unnamed(&mut self, kind: SourceKind, arrow: bool) -> String {
        let counts = if arrow {
            &mut self.unnamed_arrow
        } else {
            &mut self.unnamed
        };
        let n = counts.get_mut(kind as usize).map_or(1, |n| {
            *n += 1;
            *n
        });
        crate::arrow_input::unnamed(kind, n, if arrow { "arrow" } else { "csv" })
    }
}

#[pymethods]
impl PyMerger {
    #[new]
    #[pyo3(signature = (*, default_region = "US", priorities = None, related_records = true, progress = None))]
    fn new(
        default_region: &str,
        priorities: Option<Vec<String>>,
        related_records: bool,
        progress: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let progress = Progress::from_arg(progress)?;
        let options = merge_options(
            default_region,
            priorities,
            related_records,
            progress.as_ref(),
        )?;
        Ok(PyMerger {
            merger: Merger::new(options),
            progress,
            unnamed: [0; SourceKind::ALL.len()],
            unnamed_arrow: [0; SourceKind::ALL.len()],
        })
    }

    /// Imports one source export.
    ///
    /// Args:
    ///     kind: The source kind (`"euka"`, `"sample_orders"`, ...).
    ///     source: A path (`str` or `os.PathLike`), the CSV's bytes (`bytes`,
    ///         `bytearray`, `memoryview`), a file object opened for reading, or Arrow
    ///         data (a `pyarrow.Table`, `RecordBatch` or `RecordBatchReader`, a polars or
    ///         pandas DataFrame: read batch by batch as in `merge_exports`).
    ///     name: The file's name in provenance and the report (default: the path, or
    ///         `<kind>.csv` for the first file object of a kind, `<kind>-2.csv` for
    ///         the second, ..., and `<kind>.arrow`, `<kind>-2.arrow`, ... for Arrow
    ///         data). Adding the same name again changes nothing.
    ///     brand: The brand whose export it is: every creator in it gets a brand link.
    ///     observed_at: When the export was taken (a naive `datetime` is UTC); rows
    ///         without a date of their own are observed then.
    ///
    /// Returns:
    ///     None.
    ///
    /// Raises:
    ///     InvalidInputError: An unknown kind or a bad `observed_at`.
    ///     SourceImportError: The file cannot be read at all (as in `merge_exports`).
    ///         Bad rows never raise.
    #[pyo3(signature = (kind, source, *, name = None, brand = None, observed_at = None))]
    fn add(
        &mut self,
        py: Python<'_>,
        kind: &str,
        source: &Bound<'_, PyAny>,
        name: Option<String>,
        brand: Option<String>,
        observed_at: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let kind: SourceKind = kind.parse().map_err(errors::to_py_err)?;
        let source = Source::read(source)?;
        let name = match (name, &source) {
            (Some(name), _) => name,
            (None, Source::Csv(input @ Input::Path(_))) => input.default_name(kind),
            (None, Source::Csv(Input::Bytes(_))) => self.next_unnamed(kind, false),
            (None, Source::Arrow(_)) => self.next_unnamed(kind, true),
        };
        let mut file = SourceFile::new(kind, name);
        if let Some(brand) = brand {
            file = file.brand(brand);
        }
        if let Some(at) = observed_at.filter(|a| !a.is_none()) {
            let at: DateTime<Utc> = data::from_py(at, "observed_at")?;
            file = file.observed_at(at.naive_utc());
        }
        let merger = &mut self.merger;
        let stop = self.progress.as_deref();
        match source {
            Source::Csv(input) => {
                let total = input.size();
                with_progress(py, self.progress.as_ref(), total, move || {
                    import_all(merger, vec![(file, input)], stop)
                })
            }
            Source::Arrow(batches) => with_progress(py, self.progress.as_ref(), 0, move || {
                crate::arrow_input::import(merger, vec![(file, batches)], stop)
            }),
        }
    }

    /// Imports in-memory rows as one source, as if they were the rows of a file.
    ///
    /// Args:
    ///     kind: The source kind (`"euka"`, `"sample_orders"`, ...).
    ///     rows: An Arrow table (anything with `__arrow_c_stream__` or
    ///         `__arrow_c_array__`: a `pyarrow.Table`, a polars or pandas DataFrame; every
    ///         column is read as text, nulls are missing values), or an iterable of
    ///         mappings of column name to `str` or `None` (missing). Columns are named as
    ///         in the exports and matched like a CSV header (`"Phone #"`, `"phone"`);
    ///         unknown columns are ignored.
    ///     name: The source's name in provenance and the report (default: the kind).
    ///         A row's line in the report is its 1-based position.
    ///
    /// Returns:
    ///     None.
    ///
    /// Raises:
    ///     InvalidInputError: An unknown kind.
    ///     SourceImportError: The merger holds too many sources.
    ///     TypeError: A row that is not a mapping, or a value that is not `str` or `None`.
    #[pyo3(signature = (kind, rows, *, name = None))]
    fn add_rows(
        &mut self,
        py: Python<'_>,
        kind: &str,
        rows: &Bound<'_, PyAny>,
        name: Option<String>,
    ) -> PyResult<()> {
        let kind: SourceKind = kind.parse().map_err(errors::to_py_err)?;
        let name = name.unwrap_or_else(|| kind.as_str().to_owned());
        let rows = crate::rows::read_rows(py, rows)?;
        let merger = &mut self.merger;
        py.detach(move || rows.add_to(merger, kind, &name))
            .map_err(errors::to_py_err)
    }

    /// Records a manual edit of one creator: its values outrank every import, before or
    /// after it; among edits the later `at` wins (an edit without one is the oldest),
    /// then the later edit.
    ///
    /// Args:
    ///     handle: The creator's handle, as typed (`"@Ana.B"` edits `ana.b`).
    ///     fields: Column names of the creator table and their new values: `email`,
    ///         `phone`, `first_name`, `last_name`, `address_line1`, `address_line2`,
    ///         `city`, `state`, `zipcode`, `country`.
    ///     at: When the edit was made (a naive `datetime` is UTC).
    ///
    /// Returns:
    ///     None.
    ///
    /// Raises:
    ///     InvalidInputError: Naming the field: an invalid handle, an unknown column, an
    ///         invalid email or phone, a bad ZIP, or no field at all. Nothing is recorded.
    #[pyo3(signature = (handle, fields, *, at = None))]
    fn edit(
        &mut self,
        handle: &str,
        fields: &Bound<'_, PyDict>,
        at: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let mut edit = ManualEdit::new(handle);
        for (k, v) in fields.iter() {
            edit = edit.set(k.extract::<String>()?, v.extract::<String>()?);
        }
        if let Some(at) = at.filter(|a| !a.is_none()) {
            let at: DateTime<Utc> = data::from_py(at, "at")?;
            edit = edit.observed_at(at.naive_utc());
        }
        self.merger.edit(&edit).map_err(errors::to_py_err)
    }

    /// Leaves a person out of the result (an erased person): every creator whose
    /// handle, email or phone matches, with their related records, whether their rows
    /// came before or after. Values are normalized as an import would.
    ///
    /// Args:
    ///     handle: A handle, as typed.
    ///     email: An email address.
    ///     phone: A full phone number (in the merger's default region unless it has a
    ///         country code).
    ///
    /// Returns:
    ///     None.
    ///
    /// Raises:
    ///     InvalidInputError: Naming the field of a value that cannot be normalized, or
    ///         when none is given. Nothing is added.
    #[pyo3(signature = (*, handle = None, email = None, phone = None))]
    fn suppress(
        &mut self,
        handle: Option<&str>,
        email: Option<&str>,
        phone: Option<&str>,
    ) -> PyResult<()> {
        self.merger
            .suppress(handle, email, phone)
            .map_err(errors::to_py_err)
    }

    /// Resolves everything added so far; the merger stays usable.
    ///
    /// Returns:
    ///     A `MergeResult`, equal to `merge_exports` on the same sources.
    fn result(&mut self, py: Python<'_>) -> MergeResult {
        let merger = &mut self.merger;
        MergeResult::new(py.detach(move || merger.finish(Finish::Everything)))
    }

    /// Distinct creators so far (before suppression).
    fn __len__(&self) -> usize {
        self.merger.creator_count()
    }

    fn __repr__(&self) -> String {
        format!("Merger(creators={})", self.merger.creator_count())
    }
}

/// The outcome of `merge_exports` and `Merger.result()`.
///
/// Every table is a `pyarrow.Table` whose columns are core's definition of that table
/// (`table_columns(name)`); rows that belong to a creator carry `tiktok_username`.
///
/// Attributes:
///     creators: One row per creator, sorted by handle.
///     samples: Free-sample order lines, one per `(order_id, sku_id)`.
///     videos: Videos, one per `video_id`.
///     video_products: Links between videos and products.
///     snapshots: Creator metrics at a date, one per `(tiktok_username, date, source)`.
///     brand_links: Creators seen in a brand's file.
///     products: Products, one per `product_id`.
///     conflicts: Fields whose sources disagreed: creator, field, kind and the sources
///         (never the values), sorted by creator and field.
///     report: The `MergeReport`.
#[pyclass(name = "MergeResult", module = "creator_crm", frozen)]
pub struct MergeResult {
    result: Arc<merge::MergeResult>,
    /// Each table, built on first access (Arrow tables are immutable: every access
    /// returns the same `pyarrow.Table`).
    tables: [PyOnceLock<Py<PyAny>>; 8],
}

impl MergeResult {
    /// The core result, for the calls that compute over it (analytics).
    pub(crate) fn shared(&self) -> Arc<merge::MergeResult> {
        Arc::clone(&self.result)
    }

    pub(crate) fn new(result: merge::MergeResult) -> Self {
        MergeResult {
            result: Arc::new(result),
            tables: std::array::from_fn(|_| PyOnceLock::new()),
        }
    }

    /// Table `slot` (of `rows`), built the first time it is asked for.
    fn table<'py, R: Row + Sync>(
        &self,
        py: Python<'py>,
        slot: usize,
        rows: impl FnOnce(&merge::MergeResult) -> &[R],
    ) -> PyResult<Bound<'py, PyAny>> {
        let Some(cell) = self.tables.get(slot) else {
            return table::to_pyarrow(py, rows(&self.result));
        };
        cell.get_or_try_init(py, || {
            table::to_pyarrow(py, rows(&self.result)).map(Bound::unbind)
        })
        .map(|t| t.bind(py).clone())
    }
}

#[pymethods]
impl MergeResult {
    #[getter]
    fn creators<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.table(py, 0, |r| &r.creators)
    }

    #[getter]
    fn samples<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.table(py, 1, |r| &r.samples)
    }

    #[getter]
    fn videos<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.table(py, 2, |r| &r.videos)
    }

    #[getter]
    fn video_products<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.table(py, 3, |r| &r.video_products)
    }

    #[getter]
    fn snapshots<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.table(py, 4, |r| &r.snapshots)
    }

    #[getter]
    fn brand_links<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.table(py, 5, |r| &r.brand_links)
    }

    #[getter]
    fn products<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.table(py, 6, |r| &r.products)
    }

    #[getter]
    fn conflicts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.table(py, 7, |r| &r.conflicts)
    }

    #[getter]
    fn report(&self) -> MergeReport {
        MergeReport(Arc::clone(&self.result))
    }

    /// One of the merge's tables as CSV that is safe to open in a spreadsheet: a header of
    /// the table's columns (`table_columns(table)`), then one record per row; a text cell
    /// that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage
    /// return first) is written with a leading `'`.
    ///
    /// Args:
    ///     table: `"creators"`, `"samples"`, `"videos"`, `"video_products"`,
    ///         `"snapshots"`, `"brand_links"`, `"products"`, `"conflicts"`, or the
    ///         report's `"files"` and `"rejected"` rows.
    ///     path: Where to write the file (a `str` or `os.PathLike`); without it the CSV
    ///         is returned.
    ///
    /// Returns:
    ///     The CSV text, or `None` when it was written to `path`.
    ///
    /// Raises:
    ///     InvalidInputError: `table` is none of those (`field == "table"`).
    ///     OSError: `path` cannot be created.
    #[pyo3(signature = (table = "creators", path = None))]
    fn to_csv(
        &self,
        py: Python<'_>,
        table: &str,
        path: Option<PathBuf>,
    ) -> PyResult<Option<String>> {
        let result = Arc::clone(&self.result);
        crate::export::csv_text_or_file(py, path, move |out| {
            creator_crm::export::write_merge_table(&result, table, out)
        })
    }

    /// The creators as a list of dicts (one per creator, keys as the table's columns).
    ///
    /// Returns:
    ///     `list[dict]`, as `creators.to_pylist()`: `total_gmv` is a `decimal.Decimal`,
    ///     `sources` a list of kinds.
    fn to_pylist<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.creators(py)?.call_method0("to_pylist")
    }

    fn __len__(&self) -> usize {
        self.result.creators.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "MergeResult(creators={}, conflicts={})",
            self.result.report.creators, self.result.report.conflicts
        )
    }
}

/// What a merge did, in numbers (reasons and field names only, never values).
///
/// One attribute per column of core's report definition (`table_columns("report")`):
///
/// Attributes:
///     rows_read: Data rows read, all files.
///     rows_rejected: Rows rejected as a whole (no usable key).
///     values_dropped: Values dropped from kept rows (bad email syntax, bad number, ...).
///     duplicates_collapsed: Rows identical to an earlier row of the same file.
///     creators: Creators in the result.
///     fields_filled: Creator fields filled, summed.
///     conflicts: Fields with disagreeing values, plus masks that do not fit the number.
///     conflicts_by_field: Conflicts by field name.
///     masked_phones_upgraded: Creators whose masked phone a full number confirmed.
///     phone_masks_confirmed: Creators whose `phone_mask_confirmed` is true.
///     shared_emails_dropped: Team-inbox emails used by nobody.
///     creators_suppressed: Creators left out by the suppression list.
///     samples: Sample order lines after dedupe.
///     videos: Videos after dedupe.
///     video_products: Video-product links.
///     snapshots: Metric snapshots after dedupe.
///     brand_links: Brand links.
///     products: Products after dedupe.
///     files: Per-file reports (`table_columns("files")` plus `rejected`, the first
///         rejected rows: `line`, `field`, `reason`).
#[pyclass(name = "MergeReport", module = "creator_crm", frozen)]
pub struct MergeReport(Arc<merge::MergeResult>);

impl MergeReport {
    /// The report of an import into a store.
    pub(crate) fn of_report(report: merge::MergeReport) -> MergeReport {
        MergeReport(Arc::new(merge::MergeResult {
            report,
            ..merge::MergeResult::default()
        }))
    }

    fn report(&self) -> &merge::MergeReport {
        &self.0.report
    }

    fn count(&self, name: &str) -> u64 {
        let r = self.report();
        match MergeReportRow::column_index(name).map(|i| r.cell(i)) {
            Some(Cell::UInt(n)) => n,
            _ => 0,
        }
    }
}

#[pymethods]
impl MergeReport {
    #[getter]
    fn rows_read(&self) -> u64 {
        self.count("rows_read")
    }
    #[getter]
    fn rows_rejected(&self) -> u64 {
        self.count("rows_rejected")
    }
    #[getter]
    fn values_dropped(&self) -> u64 {
        self.count("values_dropped")
    }
    #[getter]
    fn duplicates_collapsed(&self) -> u64 {
        self.count("duplicates_collapsed")
    }
    #[getter]
    fn creators(&self) -> u64 {
        self.count("creators")
    }
    #[getter]
    fn fields_filled(&self) -> u64 {
        self.count("fields_filled")
    }
    #[getter]
    fn conflicts(&self) -> u64 {
        self.count("conflicts")
    }
    #[getter]
    fn conflicts_by_field<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.to_dict(py)?
            .get_item("conflicts_by_field")?
            .ok_or_else(|| PyTypeError::new_err("conflicts_by_field"))
    }
    #[getter]
    fn masked_phones_upgraded(&self) -> u64 {
        self.count("masked_phones_upgraded")
    }
    #[getter]
    fn phone_masks_confirmed(&self) -> u64 {
        self.count("phone_masks_confirmed")
    }
    #[getter]
    fn shared_emails_dropped(&self) -> u64 {
        self.count("shared_emails_dropped")
    }
    #[getter]
    fn creators_suppressed(&self) -> u64 {
        self.count("creators_suppressed")
    }
    #[getter]
    fn samples(&self) -> u64 {
        self.count("samples")
    }
    #[getter]
    fn videos(&self) -> u64 {
        self.count("videos")
    }
    #[getter]
    fn video_products(&self) -> u64 {
        self.count("video_products")
    }
    #[getter]
    fn snapshots(&self) -> u64 {
        self.count("snapshots")
    }
    #[getter]
    fn brand_links(&self) -> u64 {
        self.count("brand_links")
    }
    #[getter]
    fn products(&self) -> u64 {
        self.count("products")
    }
    #[getter]
    fn files<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.to_dict(py)?
            .get_item("files")?
            .ok_or_else(|| PyTypeError::new_err("files"))
    }

    /// The whole report as plain Python data, built from core's report definition.
    ///
    /// Returns:
    ///     A `dict` with every attribute above; `files` is a list of per-file dicts
    ///     (counts, rejected and dropped values by reason, and `rejected`, the first
    ///     rejected rows).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let report = self.report();
        let d = table::row_dict(py, report)?;
        let files = PyList::empty(py);
        for f in &report.files {
            let fd = table::row_dict(py, f)?;
            let rejected = PyList::empty(py);
            for issue in &f.rejected {
                let row = table::row_dict(
                    py,
                    &Rejected {
                        file: &f.name,
                        issue,
                    },
                )?;
                row.del_item("file")?;
                rejected.append(row)?;
            }
            fd.set_item("rejected", rejected)?;
            files.append(fd)?;
        }
        d.set_item("files", files)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "MergeReport(rows_read={}, rows_rejected={}, creators={}, conflicts={}, masked_phones_upgraded={})",
            self.rows_read(),
            self.rows_rejected(),
            self.creators(),
            self.conflicts(),
            self.masked_phones_upgraded()
        )
    }
}

/// Registers the merge functions and classes.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(merge_exports, m)?)?;
    m.add_class::<PyMerger>()?;
    m.add_class::<MergeResult>()?;
    m.add_class::<MergeReport>()?;
    Ok(())
}
