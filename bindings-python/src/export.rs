//! CSV export of the merge's and the dashboard's tables: core's formula-safe CSV
//! (`creator_crm::export`), returned as text or written to a file, with the GIL
//! released while it is written.

use std::{
    fs::File,
    io::{BufWriter, Write},
    path::PathBuf,
};

use creator_crm::export::to_csv_string;
use pyo3::prelude::*;

use crate::errors;

/// Runs `write` into a new file at `path` (returning `None`), or into memory (returning
/// the text) when there is no path.
///
/// Raises `OSError` when the file cannot be created, the library's error for a bad
/// table name or a failed write.
pub(crate) fn csv_text_or_file(
    py: Python<'_>,
    path: Option<PathBuf>,
    write: impl FnOnce(&mut dyn Write) -> creator_crm::Result<()> + Send,
) -> PyResult<Option<String>> {
    match path {
        None => py
            .detach(|| to_csv_string(|out| write(out)))
            .map(Some)
            .map_err(errors::to_py_err),
        Some(path) => {
            let file = File::create(&path)?;
            py.detach(|| write(&mut BufWriter::new(file)))
                .map(|()| None)
                .map_err(errors::to_py_err)
        }
    }
}
