//! Sources given as Arrow data (`pyarrow.Table`, `RecordBatch`, `RecordBatchReader`, a
//! polars DataFrame, anything with `__arrow_c_stream__` / `__arrow_c_array__`) and the
//! `sources` mapping of `merge_exports`: per kind one source, a list of them, or a dict of
//! name → source.
//!
//! Arrow data is read batch by batch through core's `Merger::import_readers`, with the
//! GIL released: values become the text a CSV export of them holds (core's
//! `import::arrow`), so the merge equals the merge of the same data written as CSV.

use std::sync::{
    Arc,
    atomic::{AtomicBool, Ordering},
};

use crate::{
    arrow_data::{self, is_arrow},
    errors,
    merge::Input,
    progress::Progress,
};
use arrow_array::{RecordBatch, RecordBatchReader};
use arrow_schema::{ArrowError, SchemaRef};
use creator_crm::{
    Error,
    import::SourceKind,
    merge::{Merger, SourceFile},
};
use pyo3::{
    exceptions::PyTypeError,
    prelude::*,
    types::{PyDict, PyList, PyString, PyTuple},
};

/// The batches of one Arrow source, read from any thread.
pub(crate) type Batches = Box<dyn RecordBatchReader + Send>;

/// The batches of Arrow data `value` (see [`is_arrow`]), streamed: nothing is read yet.
pub(crate) fn batches(value: &Bound<'_, PyAny>) -> PyResult<Batches> {
    arrow_data::record_batches(value)?.into_reader()
}

/// The name of the `n`-th unnamed source of `kind` (1-based): `<kind>.<ext>`, then
/// `<kind>-2.<ext>`, ...
pub(crate) fn unnamed(kind: SourceKind, n: u32, ext: &str) -> String {
    if n <= 1 {
        format!("{}.{ext}", kind.as_str())
    } else {
        format!("{}-{n}.{ext}", kind.as_str())
    }
}

/// One source read from Python: CSV (a path, bytes or a file object), or Arrow data.
pub(crate) enum Source {
    Csv(Input),
    Arrow(Batches),
}

impl Source {
    /// Reads `value`: Arrow data when it exports an Arrow stream or array, else what
    /// [`Input::read`] takes.
    pub(crate) fn read(value: &Bound<'_, PyAny>) -> PyResult<Source> {
        if is_arrow(value)? {
            return Ok(Source::Arrow(batches(value)?));
        }
        Input::read(value).map(Source::Csv).map_err(|e| {
            if e.is_instance_of::<PyTypeError>(value.py()) {
                PyTypeError::new_err(
                    "a source must be a path, bytes, a file object opened for reading or \
                     Arrow data (anything with __arrow_c_stream__ or __arrow_c_array__)",
                )
            } else {
                e
            }
        })
    }
}

/// What `merge_exports` reads: CSV files and Arrow sources, each with its file.
#[derive(Default)]
pub(crate) struct Sources {
    pub csv: Vec<(SourceFile, Input)>,
    pub arrow: Vec<(SourceFile, Batches)>,
}

impl Sources {
    /// Reads the `sources` mapping: each kind maps to one source, a list (or tuple) of sources, or a
    /// dict of name → source. A path is named by its text; unnamed bytes and file objects
    /// `<kind>.csv`, `<kind>-2.csv`, ...; unnamed Arrow data `<kind>.arrow`,
    /// `<kind>-2.arrow`, ... (counted per kind, in order).
    pub(crate) fn read(sources: &Bound<'_, PyDict>) -> PyResult<Sources> {
        let mut out = Sources::default();
        for (key, value) in sources.iter() {
            let kind: SourceKind = key
                .extract::<String>()?
                .parse()
                .map_err(errors::to_py_err)?;
            let (mut csv_n, mut arrow_n) = (0, 0);
            if let Ok(named) = value.cast::<PyDict>() {
                for (name, value) in named.iter() {
                    let name = name.cast::<PyString>().map_err(|_| {
                        PyTypeError::new_err("the names of a kind's sources must be str")
                    })?;
                    out.push(SourceFile::new(kind, name.to_cow()?.as_ref()), &value)?;
                }
                continue;
            }
            let items: Vec<Bound<'_, PyAny>> = if let Ok(list) = value.cast::<PyList>() {
                list.iter().collect()
            } else if let Ok(tuple) = value.cast::<PyTuple>() {
                tuple.iter().collect()
            } else {
                vec![value]
            };
            for value in items {
                let source = Source::read(&value)?;
                let name = match &source {
                    Source::Csv(input @ Input::Path(_)) => input.default_name(kind),
                    Source::Csv(Input::Bytes(_)) => {
                        csv_n += 1;
                        unnamed(kind, csv_n, "csv")
                    }
                    Source::Arrow(_) => {
                        arrow_n += 1;
                        unnamed(kind, arrow_n, "arrow")
                    }
                };
                out.add(SourceFile::new(kind, name), source);
            }
        }
        Ok(out)
    }

    fn push(&mut self, file: SourceFile, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let source = Source::read(value)?;
        self.add(file, source);
        Ok(())
    }

    fn add(&mut self, file: SourceFile, source: Source) {
        match source {
            Source::Csv(input) => self.csv.push((file, input)),
            Source::Arrow(batches) => self.arrow.push((file, batches)),
        }
    }

    /// Bytes of the CSV sources, when known (Arrow sources count none).
    pub(crate) fn csv_size(&self) -> u64 {
        self.csv.iter().map(|(_, input)| input.size()).sum()
    }
}

/// A stream that ends with an error once the import is asked to stop (an exception of
/// the progress callback), as a CSV file's reader fails its next read.
struct Stoppable {
    inner: Batches,
    stop: Arc<AtomicBool>,
}

impl Iterator for Stoppable {
    type Item = Result<RecordBatch, ArrowError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.stop.load(Ordering::Relaxed) {
            return Some(Err(ArrowError::ExternalError(
                "stopped by the progress callback".into(),
            )));
        }
        self.inner.next()
    }
}

impl RecordBatchReader for Stoppable {
    fn schema(&self) -> SchemaRef {
        self.inner.schema()
    }
}

/// Imports Arrow `inputs` into `merger` on as many threads as its options allow (up to
/// one per source), each stopping when `progress` asks.
pub(crate) fn import(
    merger: &mut Merger,
    inputs: Vec<(SourceFile, Batches)>,
    progress: Option<&Progress>,
) -> Result<(), Error> {
    if inputs.is_empty() {
        return Ok(());
    }
    let threads = merger.options().threads;
    let inputs = inputs
        .into_iter()
        .map(|(file, inner)| {
            let reader: Batches = match progress {
                Some(p) => Box::new(Stoppable {
                    inner,
                    stop: p.stop_flag(),
                }),
                None => inner,
            };
            (file, reader)
        })
        .collect();
    merger.import_readers(inputs, threads)
}
