//! Arrow data from Python, taken through the C data interface with every buffer
//! aligned first: pyarrow can hand out misaligned buffers (tables rebuilt from pickle
//! protocol 5 out-of-band buffers at odd offsets), which the Rust Arrow reader must not
//! see. `creator_crm._aligned` copies only what is misaligned and leaves everything
//! else, and every other producer's data, as it is.

use pyo3::{intern, prelude::*, sync::PyOnceLock};
use pyo3_arrow::input::{AnyArray, AnyRecordBatch};

/// Whether `value` is Arrow data (it exports an Arrow C stream or array).
pub(crate) fn is_arrow(value: &Bound<'_, PyAny>) -> PyResult<bool> {
    let py = value.py();
    Ok(value.hasattr(intern!(py, "__arrow_c_stream__"))?
        || value.hasattr(intern!(py, "__arrow_c_array__"))?)
}

/// `value` through `creator_crm._aligned.aligned`.
fn aligned<'py>(value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    static ALIGNED: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    ALIGNED
        .import(value.py(), "creator_crm._aligned", "aligned")?
        .call1((value,))
}

/// Tabular Arrow data (a table, batch, reader or stream), buffers aligned.
pub(crate) fn record_batches(value: &Bound<'_, PyAny>) -> PyResult<AnyRecordBatch> {
    aligned(value)?.extract()
}

/// A column of Arrow data (an array, chunked array or stream), buffers aligned.
pub(crate) fn array(value: &Bound<'_, PyAny>) -> PyResult<AnyArray> {
    aligned(value)?.extract()
}
