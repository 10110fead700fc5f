//! In-memory rows for `Merger.add_rows`: an Arrow table or an iterable of mappings, read
//! into cells named by column, then handed to core's `host::add_rows`.

use std::collections::HashMap;

use arrow_array::{RecordBatchReader, cast::AsArray};
use arrow_schema::DataType;
use creator_crm::{Error, host, import::SourceKind, merge::Merger};
use pyo3::{
    exceptions::PyTypeError,
    intern,
    prelude::*,
    types::{PyMapping, PyString},
};
use pyo3_arrow::error::PyArrowError;

use crate::arrow_data;

/// Rows read from Python: each a list of (column index, value) cells, missing values
/// left out.
#[derive(Default)]
pub struct Rows {
    columns: Vec<String>,
    index: HashMap<String, usize>,
    rows: Vec<Vec<(usize, String)>>,
}

impl Rows {
    fn column(&mut self, name: &str) -> usize {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.columns.len();
        self.columns.push(name.to_owned());
        self.index.insert(name.to_owned(), i);
        i
    }

    /// Adds the rows to `merger` as the source `name` of `kind`.
    pub fn add_to(&self, merger: &mut Merger, kind: SourceKind, name: &str) -> Result<(), Error> {
        let columns = &self.columns;
        let rows = self.rows.iter().map(|row| {
            row.iter()
                .filter_map(|(c, v)| Some((columns.get(*c)?.as_str(), v.as_str())))
        });
        host::add_rows(merger, kind, name, rows)
    }
}

/// `None`, or a float NaN as pandas uses for missing values.
fn is_missing(item: &Bound<'_, PyAny>) -> bool {
    item.is_none() || item.extract::<f64>().is_ok_and(f64::is_nan)
}

/// Reads `rows`: an Arrow table (every column as text) or an iterable of mappings of
/// column name to `str` / `None`.
pub fn read_rows(py: Python<'_>, rows: &Bound<'_, PyAny>) -> PyResult<Rows> {
    if rows.hasattr(intern!(py, "__arrow_c_stream__"))?
        || rows.hasattr(intern!(py, "__arrow_c_array__"))?
    {
        let reader = arrow_data::record_batches(rows)?.into_reader()?;
        return py.detach(move || read_arrow(reader));
    }
    if rows.is_instance_of::<PyString>() || rows.is_instance_of::<PyMapping>() {
        return Err(PyTypeError::new_err(
            "rows must be an Arrow table or an iterable of mappings",
        ));
    }
    let mut out = Rows::default();
    for (i, row) in rows.try_iter()?.enumerate() {
        let row = row?;
        let row = row
            .cast::<PyMapping>()
            .map_err(|_| PyTypeError::new_err(format!("row {}: expected a mapping", i + 1)))?;
        let mut cells = Vec::new();
        for item in row.items()?.iter() {
            let (key, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
            let key = key.cast::<PyString>().map_err(|_| {
                PyTypeError::new_err(format!("row {}: column names must be str", i + 1))
            })?;
            let key = key.to_cow()?;
            if let Ok(v) = value.cast::<PyString>() {
                let c = out.column(&key);
                cells.push((c, v.to_cow()?.into_owned()));
            } else if !is_missing(&value) {
                let type_name = value.get_type().name()?;
                return Err(PyTypeError::new_err(format!(
                    "row {}, column {key}: expected str or None, got {type_name}",
                    i + 1
                )));
            }
        }
        out.rows.push(cells);
    }
    Ok(out)
}

/// Every batch of `reader`, each column cast to text.
fn read_arrow(reader: Box<dyn RecordBatchReader + Send>) -> PyResult<Rows> {
    let mut out = Rows::default();
    let columns: Vec<usize> = reader
        .schema()
        .fields()
        .iter()
        .map(|f| out.column(f.name()))
        .collect();
    for batch in reader {
        let batch = batch.map_err(PyArrowError::from)?;
        let first = out.rows.len();
        out.rows
            .extend((0..batch.num_rows()).map(|_| Vec::with_capacity(columns.len())));
        for (array, &c) in batch.columns().iter().zip(&columns) {
            let text = arrow_cast::cast(array, &DataType::Utf8).map_err(PyArrowError::from)?;
            let text = text.as_string::<i32>();
            for (r, value) in text.iter().enumerate() {
                if let (Some(v), Some(row)) = (value, out.rows.get_mut(first + r)) {
                    row.push((c, v.to_owned()));
                }
            }
        }
    }
    Ok(out)
}
