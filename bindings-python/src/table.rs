//! Arrow tables built from core's table definitions (`creator_crm::table`).
//!
//! One function turns any [`Row`] type's rows into a record batch: the schema comes from
//! [`Row::COLUMNS`] and each column is filled by asking every row for its cell, so a
//! column added in core appears in Python with the same name and type. Column types map
//! to Arrow as: text → `utf8`, bool → `bool`, uint64 → `uint64`, decimal → `decimal128(38,
//! scale)`, date → `date32`, datetime → `timestamp[us, tz=UTC]`, text list →
//! `list<utf8>`, counts → `map<utf8, uint64>`.

use std::sync::Arc;

use arrow_array::{
    Array, ArrayRef, RecordBatch,
    builder::{
        BooleanBuilder, Date32Builder, Decimal128Builder, Float64Builder, ListBuilder, MapBuilder,
        StringBuilder, TimestampMicrosecondBuilder, UInt64Builder,
    },
};
use arrow_schema::{ArrowError, DataType, Field, Schema, TimeUnit};
use chrono::{Datelike, NaiveDate};
use creator_crm::{
    analytics::{
        ConversionOverall, CreatorConversion, CreatorVideoPerformance, Performer,
        ProductConversion, ProductPerformance, Trend,
    },
    merge::{
        BrandLink, Conflict, Creator, FileReport, MergeReport, Product, Sample, Snapshot, Video,
        VideoProduct,
    },
    table::{Cell, ColumnDef, ColumnType, Rejected, Row},
};
use pyo3::{prelude::*, types::PyDict};
use pyo3_arrow::{PyTable, error::PyArrowError};
use rust_decimal::Decimal;

/// Widest precision of an Arrow `decimal128`.
const DECIMAL_PRECISION: u8 = 38;

fn unsupported(def: &ColumnDef) -> ArrowError {
    ArrowError::NotYetImplemented(format!("column {} of type {}", def.name, def.ty.as_str()))
}

fn mismatch(def: &ColumnDef) -> ArrowError {
    ArrowError::InvalidArgumentError(format!(
        "column {}: a cell of another type than {}",
        def.name,
        def.ty.as_str()
    ))
}

fn decimal_scale(scale: u32) -> Result<i8, ArrowError> {
    i8::try_from(scale).map_err(|_| ArrowError::InvalidArgumentError("decimal scale".into()))
}

/// The Arrow type of a column.
fn data_type(def: &ColumnDef) -> Result<DataType, ArrowError> {
    Ok(match def.ty {
        ColumnType::Text => DataType::Utf8,
        ColumnType::Bool => DataType::Boolean,
        ColumnType::UInt64 => DataType::UInt64,
        ColumnType::Float64 => DataType::Float64,
        ColumnType::Decimal { scale } => {
            DataType::Decimal128(DECIMAL_PRECISION, decimal_scale(scale)?)
        }
        ColumnType::Date => DataType::Date32,
        ColumnType::DateTime => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
        ColumnType::TextList => {
            DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true)))
        }
        ColumnType::Counts => Array::data_type(&counts_builder().finish()).clone(),
        _ => return Err(unsupported(def)),
    })
}

fn counts_builder() -> MapBuilder<StringBuilder, UInt64Builder> {
    MapBuilder::new(None, StringBuilder::new(), UInt64Builder::new())
}

/// The mantissa of `d` at `scale` decimal places (rounded half away from zero).
pub fn fixed_point(d: Decimal, scale: u32) -> i128 {
    let mut d =
        d.round_dp_with_strategy(scale, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    d.rescale(scale);
    d.mantissa()
}

/// Days from 0001-01-01 (day 1 of the common era) to 1970-01-01.
const UNIX_EPOCH_FROM_CE: i32 = 719_163;

/// Arrow's `date32`: days since 1970-01-01 (every `NaiveDate` fits).
fn days_since_epoch(d: NaiveDate) -> i32 {
    d.num_days_from_ce() - UNIX_EPOCH_FROM_CE
}

/// Column `col` of `rows` as an Arrow array.
fn column<R: Row>(rows: &[R], col: usize, def: &ColumnDef) -> Result<ArrayRef, ArrowError> {
    let n = rows.len();
    let cells = rows.iter().map(|r| r.cell(col));
    Ok(match def.ty {
        ColumnType::Text => {
            let mut b = StringBuilder::with_capacity(n, n * 8);
            for cell in cells {
                match cell {
                    Cell::Text(t) => b.append_value(t),
                    Cell::Null => b.append_null(),
                    _ => return Err(mismatch(def)),
                }
            }
            Arc::new(b.finish())
        }
        ColumnType::Bool => {
            let mut b = BooleanBuilder::with_capacity(n);
            for cell in cells {
                match cell {
                    Cell::Bool(v) => b.append_value(v),
                    Cell::Null => b.append_null(),
                    _ => return Err(mismatch(def)),
                }
            }
            Arc::new(b.finish())
        }
        ColumnType::UInt64 => {
            let mut b = UInt64Builder::with_capacity(n);
            for cell in cells {
                match cell {
                    Cell::UInt(v) => b.append_value(v),
                    Cell::Null => b.append_null(),
                    _ => return Err(mismatch(def)),
                }
            }
            Arc::new(b.finish())
        }
        ColumnType::Float64 => {
            let mut b = Float64Builder::with_capacity(n);
            for cell in cells {
                match cell {
                    Cell::Float(v) => b.append_value(v),
                    Cell::Null => b.append_null(),
                    _ => return Err(mismatch(def)),
                }
            }
            Arc::new(b.finish())
        }
        ColumnType::Decimal { scale } => {
            let mut b = Decimal128Builder::with_capacity(n);
            for cell in cells {
                match cell {
                    Cell::Decimal(d) => b.append_value(fixed_point(d, scale)),
                    Cell::Null => b.append_null(),
                    _ => return Err(mismatch(def)),
                }
            }
            Arc::new(
                b.finish()
                    .with_precision_and_scale(DECIMAL_PRECISION, decimal_scale(scale)?)?,
            )
        }
        ColumnType::Date => {
            let mut b = Date32Builder::with_capacity(n);
            for cell in cells {
                match cell {
                    Cell::Date(d) => b.append_value(days_since_epoch(d)),
                    Cell::Null => b.append_null(),
                    _ => return Err(mismatch(def)),
                }
            }
            Arc::new(b.finish())
        }
        ColumnType::DateTime => {
            let mut b = TimestampMicrosecondBuilder::with_capacity(n);
            for cell in cells {
                match cell {
                    Cell::DateTime(t) => b.append_value(t.and_utc().timestamp_micros()),
                    Cell::Null => b.append_null(),
                    _ => return Err(mismatch(def)),
                }
            }
            Arc::new(b.finish().with_timezone("UTC"))
        }
        ColumnType::TextList => {
            let mut b = ListBuilder::with_capacity(StringBuilder::new(), n);
            for cell in cells {
                match cell {
                    Cell::TextList(list) => {
                        for s in list.iter() {
                            b.values().append_value(s);
                        }
                        b.append(true);
                    }
                    Cell::Null => b.append(false),
                    _ => return Err(mismatch(def)),
                }
            }
            Arc::new(b.finish())
        }
        ColumnType::Counts => {
            let mut b = counts_builder();
            for cell in cells {
                match cell {
                    Cell::Counts(counts) => {
                        for (k, v) in counts.iter() {
                            b.keys().append_value(k);
                            b.values().append_value(v);
                        }
                        b.append(true)?;
                    }
                    Cell::Null => b.append(false)?,
                    _ => return Err(mismatch(def)),
                }
            }
            Arc::new(b.finish())
        }
        _ => return Err(unsupported(def)),
    })
}

/// The Arrow schema of `R`'s table.
pub fn schema<R: Row>() -> Result<Schema, ArrowError> {
    R::COLUMNS
        .iter()
        .map(|def| Ok(Field::new(def.name, data_type(def)?, def.nullable)))
        .collect::<Result<Vec<_>, ArrowError>>()
        .map(Schema::new)
}

/// `rows` as one record batch with `R`'s columns.
pub fn record_batch<R: Row>(rows: &[R]) -> Result<RecordBatch, ArrowError> {
    let columns = R::COLUMNS
        .iter()
        .enumerate()
        .map(|(i, def)| column(rows, i, def))
        .collect::<Result<Vec<_>, _>>()?;
    RecordBatch::try_new(Arc::new(schema::<R>()?), columns)
}

/// `rows` as a `pyarrow.Table` (built with the GIL released).
pub fn to_pyarrow<'py, R: Row + Sync>(py: Python<'py>, rows: &[R]) -> PyResult<Bound<'py, PyAny>> {
    let batch = py
        .detach(|| record_batch(rows))
        .map_err(PyArrowError::from)?;
    let schema = batch.schema();
    PyTable::try_new(vec![batch], schema)?.into_pyarrow(py)
}

/// One row as a dict of its cells (JSON forms: decimals and times as strings).
pub fn row_dict<'py, R: Row>(py: Python<'py>, row: &R) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (def, cell) in R::COLUMNS.iter().zip(row.cells()) {
        d.set_item(def.name, crate::data::to_py(py, &cell.to_json())?)?;
    }
    Ok(d)
}

/// The columns of `R`'s table as dicts: `name`, `type`, `nullable`, `doc`.
fn column_dicts<'py, R: Row>(py: Python<'py>) -> PyResult<Vec<Bound<'py, PyDict>>> {
    R::COLUMNS
        .iter()
        .map(|def| {
            let d = PyDict::new(py);
            d.set_item("name", def.name)?;
            d.set_item("type", def.ty.as_str())?;
            d.set_item("nullable", def.nullable)?;
            d.set_item("doc", def.doc)?;
            Ok(d)
        })
        .collect()
}

/// The columns of one of the tables a merge or the analytics give, as core defines them.
///
/// The same names, in the same order, are the columns of the `pyarrow.Table`s of
/// `MergeResult` (and of the CSV export, the Node objects and the mobile records).
///
/// Args:
///     table: `"creators"` (default), `"samples"`, `"videos"`, `"video_products"`,
///         `"snapshots"`, `"brand_links"`, `"products"`, `"conflicts"`, or a table of
///         the report:
///         `"report"` (the totals), `"files"`, `"rejected"`, or an analytics table:
///         `"top_performers"`, `"trending"`, `"video_performance"`,
///         `"product_performance"`, `"sample_conversion"`,
///         `"sample_conversion_by_product"`, `"sample_conversion_overall"`.
///
/// Returns:
///     One dict per column, in order: `name`, `type` (`"text"`, `"bool"`, `"uint64"`,
///     `"float64"`, `"decimal"`, `"date"`, `"datetime"`, `"text_list"`, `"counts"`), `nullable`,
///     `doc`.
///
/// Raises:
///     InvalidInputError: An unknown table name.
#[pyfunction]
#[pyo3(signature = (table = "creators"))]
pub fn table_columns<'py>(py: Python<'py>, table: &str) -> PyResult<Vec<Bound<'py, PyDict>>> {
    match table {
        "creators" => column_dicts::<Creator>(py),
        "samples" => column_dicts::<Sample>(py),
        "videos" => column_dicts::<Video>(py),
        "video_products" => column_dicts::<VideoProduct>(py),
        "snapshots" => column_dicts::<Snapshot>(py),
        "brand_links" => column_dicts::<BrandLink>(py),
        "products" => column_dicts::<Product>(py),
        "conflicts" => column_dicts::<Conflict>(py),
        "report" => column_dicts::<MergeReport>(py),
        "files" => column_dicts::<FileReport>(py),
        "rejected" => column_dicts::<Rejected<'_>>(py),
        "top_performers" => column_dicts::<Performer>(py),
        "trending" => column_dicts::<Trend>(py),
        "video_performance" => column_dicts::<CreatorVideoPerformance>(py),
        "product_performance" => column_dicts::<ProductPerformance>(py),
        "sample_conversion" => column_dicts::<CreatorConversion>(py),
        "sample_conversion_by_product" => column_dicts::<ProductConversion>(py),
        "sample_conversion_overall" => column_dicts::<ConversionOverall>(py),
        _ => Err(crate::errors::to_py_err(creator_crm::Error::invalid(
            "table",
            "unknown table",
        ))),
    }
}

/// Adds the function to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(table_columns, m)?)?;
    Ok(())
}
