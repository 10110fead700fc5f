//! Input of the batch calls: any iterable of `str | None`, or Arrow string data.
//!
//! Arrow input is anything with `__arrow_c_array__` or `__arrow_c_stream__`
//! (pyarrow arrays and chunked arrays, polars Series, pandas Series backed by
//! Arrow, arro3, nanoarrow). It is read without copying each value into a
//! Python `str`, and the work runs with the GIL released.
//!
//! Missing values (`None`, `NaN`, Arrow nulls) give `None` in the output. A
//! value of another type raises `TypeError` for the whole call: that is a
//! programming error, not a data error.

use arrow_array::{Array, cast::AsArray};
use arrow_schema::DataType;
use pyo3::{exceptions::PyTypeError, prelude::*, types::PyString};
use pyo3_arrow::error::PyArrowError;

use crate::arrow_data::{self, is_arrow};

/// Calls `f` on every string of `values` (see the module docs), in order.
///
/// `f` runs with the GIL released for Arrow input, so it must be `Send`.
pub fn map_strings<T: Send>(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    mut f: impl FnMut(&str) -> T + Send,
) -> PyResult<Vec<Option<T>>> {
    if is_arrow(values)? {
        let array = arrow_data::array(values)?;
        let reader = array.into_reader()?;
        return py.detach(move || {
            let mut out = Vec::new();
            for chunk in reader {
                let chunk = chunk.map_err(PyArrowError::from)?;
                map_arrow_chunk(chunk.as_ref(), &mut out, &mut f)?;
            }
            Ok(out)
        });
    }
    let mut out = Vec::with_capacity(values.len().unwrap_or(0));
    for item in values.try_iter()? {
        let item = item?;
        if let Ok(s) = item.cast::<PyString>() {
            out.push(Some(f(&s.to_cow()?)));
        } else if is_missing(&item)? {
            out.push(None);
        } else {
            let type_name = item.get_type().name()?;
            return Err(PyTypeError::new_err(format!(
                "expected str or None, got {type_name}"
            )));
        }
    }
    Ok(out)
}

/// `None`, or a float NaN as pandas uses for missing values.
fn is_missing(item: &Bound<'_, PyAny>) -> PyResult<bool> {
    if item.is_none() {
        return Ok(true);
    }
    Ok(item.extract::<f64>().is_ok_and(f64::is_nan))
}

fn map_arrow_chunk<T>(
    chunk: &dyn Array,
    out: &mut Vec<Option<T>>,
    f: &mut impl FnMut(&str) -> T,
) -> PyResult<()> {
    out.reserve(chunk.len());
    match chunk.data_type() {
        DataType::Utf8 => out.extend(chunk.as_string::<i32>().iter().map(|v| v.map(&mut *f))),
        DataType::LargeUtf8 => out.extend(chunk.as_string::<i64>().iter().map(|v| v.map(&mut *f))),
        DataType::Utf8View => out.extend(chunk.as_string_view().iter().map(|v| v.map(&mut *f))),
        DataType::Null => out.extend((0..chunk.len()).map(|_| None)),
        other => {
            return Err(PyTypeError::new_err(format!(
                "expected an Arrow string array, got {other}"
            )));
        }
    }
    Ok(())
}
