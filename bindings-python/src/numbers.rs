//! Numeric input of the analytics calls: one number, or a column of numbers.
//!
//! A column is any of:
//!
//! - Arrow data (`__arrow_c_array__` or `__arrow_c_stream__`: pyarrow arrays and chunked
//!   arrays, polars Series, pandas Series backed by Arrow) of a numeric type, read without
//!   a Python object per value (decimals exactly);
//! - anything numpy turns into a one-dimensional array (`__array__`: numpy arrays, pandas
//!   Series), read as `float64`;
//! - any other iterable of numbers (`int`, `float`, `decimal.Decimal`, numpy scalars).
//!
//! A single number is anything with `__float__` that is not iterable. A missing value
//! (`None`, `NaN`, an Arrow null) raises `InvalidInputError` naming the argument and the
//! index: a model has no value to use for it.

use std::{str::FromStr, sync::Arc};

use arrow_array::{
    Array, ArrayRef, Decimal128Array, Float64Array,
    cast::AsArray,
    types::{Decimal128Type, Float64Type},
};
use arrow_schema::DataType;
use creator_crm::Error;
use pyo3::{exceptions::PyTypeError, intern, prelude::*, types::PyDict};
use pyo3_arrow::{PyArray, error::PyArrowError};
use rust_decimal::{
    Decimal,
    prelude::{FromPrimitive, ToPrimitive},
};

use crate::{arrow_data, errors};

/// A number type a column can be read as.
pub trait Number: Sized + Copy + Send {
    /// The value of a float (`None` when it has none: NaN, an infinite decimal).
    fn of_f64(v: f64) -> Option<Self>;
    /// The value of an exact decimal.
    fn of_decimal(d: Decimal) -> Option<Self>;
}

impl Number for f64 {
    fn of_f64(v: f64) -> Option<Self> {
        (!v.is_nan()).then_some(v)
    }
    fn of_decimal(d: Decimal) -> Option<Self> {
        d.to_f64()
    }
}

impl Number for Decimal {
    fn of_f64(v: f64) -> Option<Self> {
        Decimal::from_f64(v)
    }
    fn of_decimal(d: Decimal) -> Option<Self> {
        Some(d)
    }
}

/// One number, or a column of them.
pub enum Numbers<T> {
    /// A single number.
    One(T),
    /// A column.
    Many(Vec<T>),
}

impl<T: Copy> Numbers<T> {
    /// How many values a column has (`None` for a single number).
    pub fn len(&self) -> Option<usize> {
        match self {
            Numbers::One(_) => None,
            Numbers::Many(v) => Some(v.len()),
        }
    }

    /// Value `i` (the single number for every `i`).
    fn get(&self, i: usize) -> Option<T> {
        match self {
            Numbers::One(v) => Some(*v),
            Numbers::Many(v) => v.get(i).copied(),
        }
    }
}

fn missing(field: &'static str, index: usize) -> PyErr {
    errors::to_py_err(Error::invalid(
        field,
        format!("missing or unusable value (customer {index})"),
    ))
}

/// The error for a single value (no index).
fn missing_one(field: &'static str) -> PyErr {
    errors::to_py_err(Error::invalid(field, "missing or unusable value"))
}

/// Reads `obj` as one number or a column (see the module docs); `field` names it in errors.
pub fn numbers<T: Number>(obj: &Bound<'_, PyAny>, field: &'static str) -> PyResult<Numbers<T>> {
    if !arrow_data::is_arrow(obj)? && obj.try_iter().is_err() {
        return value(obj, field)?
            .map(Numbers::One)
            .ok_or_else(|| missing_one(field));
    }
    column(obj, field).map(Numbers::Many)
}

/// One Python number (`None` when it is missing: `None`, NaN); a `decimal.Decimal` is
/// read exactly.
fn value<T: Number>(item: &Bound<'_, PyAny>, field: &'static str) -> PyResult<Option<T>> {
    if item.is_none() {
        return Ok(None);
    }
    if item.get_type().name()?.to_cow()? == "Decimal" {
        let text: String = item.str()?.extract()?;
        return Ok(Decimal::from_str(&text)
            .or_else(|_| Decimal::from_scientific(&text))
            .ok()
            .and_then(T::of_decimal));
    }
    let v: f64 = item.extract().map_err(|_| {
        PyTypeError::new_err(format!(
            "{field}: expected numbers, got {}",
            item.get_type()
                .name()
                .map_or_else(|_| "?".into(), |n| n.to_string())
        ))
    })?;
    Ok(T::of_f64(v))
}

/// Reads `obj` as a column of numbers (see the module docs); `field` names it in errors.
pub fn column<T: Number>(obj: &Bound<'_, PyAny>, field: &'static str) -> PyResult<Vec<T>> {
    let py = obj.py();
    if arrow_data::is_arrow(obj)? {
        let array = arrow_data::array(obj)?;
        let reader = array.into_reader()?;
        let mut out = Vec::new();
        for chunk in reader {
            let chunk = chunk.map_err(PyArrowError::from)?;
            arrow_chunk(chunk.as_ref(), field, &mut out)?;
        }
        return Ok(out);
    }
    if obj.hasattr(intern!(py, "__array__"))? {
        let np = py.import(intern!(py, "numpy"))?;
        let kwargs = PyDict::new(py);
        kwargs.set_item(intern!(py, "dtype"), intern!(py, "float64"))?;
        let array = np.call_method(intern!(py, "ascontiguousarray"), (obj,), Some(&kwargs))?;
        let ndim: usize = array.getattr(intern!(py, "ndim"))?.extract()?;
        if ndim != 1 {
            return Err(PyTypeError::new_err(format!(
                "{field}: expected a one-dimensional column, got {ndim} dimensions"
            )));
        }
        let bytes: Vec<u8> = array.call_method0(intern!(py, "tobytes"))?.extract()?;
        return bytes
            .chunks_exact(8)
            .enumerate()
            .map(|(i, b)| {
                let mut raw = [0u8; 8];
                raw.copy_from_slice(b);
                T::of_f64(f64::from_ne_bytes(raw)).ok_or_else(|| missing(field, i))
            })
            .collect();
    }
    let mut out = Vec::with_capacity(obj.len().unwrap_or(0));
    for (i, item) in obj.try_iter()?.enumerate() {
        out.push(value(&item?, field)?.ok_or_else(|| missing(field, i))?);
    }
    Ok(out)
}

/// Appends the values of one Arrow chunk to `out`.
fn arrow_chunk<T: Number>(
    chunk: &dyn Array,
    field: &'static str,
    out: &mut Vec<T>,
) -> PyResult<()> {
    let offset = out.len();
    if let Some(i) = (0..chunk.len()).find(|&i| chunk.is_null(i)) {
        return Err(missing(field, offset + i));
    }
    out.reserve(chunk.len());
    match chunk.data_type() {
        DataType::Decimal128(_, scale) => {
            let scale = u32::try_from(*scale).unwrap_or(u32::MAX);
            let values = chunk.as_primitive::<Decimal128Type>();
            for (i, v) in values.values().iter().enumerate() {
                let d = Decimal::try_from_i128_with_scale(*v, scale).ok();
                out.push(
                    d.and_then(T::of_decimal)
                        .ok_or_else(|| missing(field, offset + i))?,
                );
            }
        }
        t if t.is_numeric() => {
            let floats = arrow_cast::cast(chunk, &DataType::Float64).map_err(PyArrowError::from)?;
            for (i, v) in floats
                .as_primitive::<Float64Type>()
                .values()
                .iter()
                .enumerate()
            {
                out.push(T::of_f64(*v).ok_or_else(|| missing(field, offset + i))?);
            }
        }
        other => {
            return Err(PyTypeError::new_err(format!(
                "{field}: expected an Arrow array of numbers, got {other}"
            )));
        }
    }
    Ok(())
}

/// Reads a column of whole numbers at least 0 (counts such as `frequency`).
pub fn whole(values: &[f64], field: &'static str) -> PyResult<Vec<u32>> {
    values
        .iter()
        .enumerate()
        .map(|(i, &v)| whole_one(v, field).map_err(|_| not_whole(field, Some(i))))
        .collect()
}

fn whole_one(v: f64, field: &'static str) -> PyResult<u32> {
    if v.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&v) {
        // Checked above: a whole number in range.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        return Ok(v as u32);
    }
    Err(not_whole(field, None))
}

fn not_whole(field: &'static str, index: Option<usize>) -> PyErr {
    let reason = match index {
        Some(i) => format!("{field} must be a whole number at least 0 (customer {i})"),
        None => format!("{field} must be a whole number at least 0"),
    };
    errors::to_py_err(Error::invalid(field, reason))
}

/// How many rows a per-customer call has: the length its columns share (`None` when
/// every argument is a single number, which then applies to every row).
///
/// `args` are the arguments' names and lengths (`Numbers::len`).
pub fn rows(args: &[(&'static str, Option<usize>)]) -> PyResult<Option<usize>> {
    let mut rows: Option<(usize, &'static str)> = None;
    for &(name, len) in args {
        match (rows, len) {
            (None, Some(n)) => rows = Some((n, name)),
            (Some((m, first)), Some(n)) if m != n => {
                return Err(errors::to_py_err(Error::invalid(
                    name,
                    format!("{name} has {n} values, {first} has {m}"),
                )));
            }
            _ => {}
        }
    }
    Ok(rows.map(|(n, _)| n))
}

/// Value `i` of `arg` read as a whole number (a count such as `frequency`).
pub fn whole_at(arg: &Numbers<f64>, i: usize, field: &'static str) -> PyResult<u32> {
    let v = arg.get(i).ok_or_else(|| missing_one(field))?;
    whole_one(v, field).map_err(|_| match arg {
        Numbers::One(_) => not_whole(field, None),
        Numbers::Many(_) => not_whole(field, Some(i)),
    })
}

/// Value `i` of `arg`.
pub fn at<T: Copy>(arg: &Numbers<T>, i: usize, field: &'static str) -> PyResult<T> {
    arg.get(i).ok_or_else(|| missing_one(field))
}

/// `values` as a `pyarrow.Array` of `float64`.
pub fn float_array(py: Python<'_>, values: Vec<f64>) -> PyResult<Bound<'_, PyAny>> {
    to_pyarrow(py, Arc::new(Float64Array::from(values)))
}

/// An Arrow array as a `pyarrow.Array` (through the Arrow C data interface).
fn to_pyarrow(py: Python<'_>, array: ArrayRef) -> PyResult<Bound<'_, PyAny>> {
    py.import(intern!(py, "pyarrow"))?
        .getattr(intern!(py, "array"))?
        .call1((PyArray::from_array_ref(array),))
}

/// `values` as a `pyarrow.Array` of `decimal128(38, scale)`.
pub fn decimal_array<'py>(
    py: Python<'py>,
    values: &[Decimal],
    scale: u32,
) -> PyResult<Bound<'py, PyAny>> {
    let scale_i8 = i8::try_from(scale).unwrap_or(i8::MAX);
    let array = Decimal128Array::from_iter_values(
        values.iter().map(|d| crate::table::fixed_point(*d, scale)),
    )
    .with_precision_and_scale(38, scale_i8)
    .map_err(PyArrowError::from)?;
    to_pyarrow(py, Arc::new(array))
}
