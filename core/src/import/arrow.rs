//! Arrow record batches as source rows (feature `arrow`).
//!
//! A file of any kind can come as Arrow record batches instead of CSV bytes (a
//! `pyarrow.Table`, a polars DataFrame, a Parquet or IPC reader, ...). Its rows go
//! through exactly the path of a CSV file's rows:
//!
//! - **Columns**: the field names are the header. They are matched by
//!   [`ColumnIndex::from_headers`], so aliases, case, spaces, punctuation and a BOM are
//!   handled as in a CSV header, the caller's [`ColumnMapping`]
//!   applies, an unknown field is ignored, and a missing required column is the same
//!   [`ErrorKind::Import`] `missing required column` error.
//! - **Values**: each value becomes the text a CSV export of it holds (table below), then
//!   is read by the same cell parsers ([`super::values`]), so values, dropped values and
//!   row errors are those of the same data written as CSV. A null is an empty cell, as in
//!   a CSV. A date too far out for the calendar becomes text that no date parser reads
//!   (the value is dropped, as a bad date in a CSV is).
//! - **Unsupported types** (binary, lists, structs, times of day, durations, ...): a
//!   known column of such a type is an [`ErrorKind::Import`] `unsupported column type`
//!   error naming the column; an unknown field of any type is ignored, as an unknown CSV
//!   header is (its values still tell duplicate rows apart, as a CSV's extra cells do).
//! - **Rows**: a row whose cells are all blank is skipped, and so is sample_orders'
//!   description row under the header, as in a CSV. A row's **line** is its 1-based
//!   position across all batches of the file plus one, as if the field names were line 1:
//!   the line of the same row in the same data written as CSV (with no cell spanning
//!   lines).
//! - **Errors** name the column, the line and the problem, never a value. An error the
//!   stream itself returns (`ArrowError`) is an [`ErrorKind::Import`] `cannot read batch`
//!   error at the line the next row would have; its text is not kept, as it may quote data.
//!
//! | Arrow type | cell text |
//! |---|---|
//! | `Utf8`, `LargeUtf8`, `Utf8View` | the string itself |
//! | `Dictionary` of any type below | the text of the value its key points at |
//! | `Int8`…`Int64`, `UInt8`…`UInt64` | decimal digits (`-12`) |
//! | `Float16`, `Float32`, `Float64` | the shortest text that reads back as the same number, never in exponent form (`1e20` is `100000000000000000000`, `1462.0` is `1462`, `0.1f32` is `0.1`); NaN is an empty cell, infinities are `inf` / `-inf` (not a number) |
//! | `Decimal32`…`Decimal256` | the exact value with its scale (`1234.50`; a negative scale appends zeros) |
//! | `Boolean` | `true` / `false` |
//! | `Date32` | `YYYY-MM-DD`, the layout the exports' date columns use |
//! | `Date64` | `YYYY-MM-DD`, or `YYYY-MM-DD HH:MM:SS[.fff]` when it holds a time of day |
//! | `Timestamp` without a time zone | `YYYY-MM-DD HH:MM:SS`, with the fraction (`.250`) when it is not zero |
//! | `Timestamp` with a time zone | the same layout for the instant in UTC (the merge reads a time without an offset as UTC, so the instant is kept) |
//! | `Null` | an empty cell |
//!
//! [`crate::merge::Merger::import_batches`] and [`crate::merge::Merger::import_reader`]
//! take the batches.

use std::{borrow::Cow, fmt::Write as _};

use arrow_array::{
    Array, ArrayRef, ArrowPrimitiveType, BooleanArray, LargeStringArray, RecordBatch, StringArray,
    StringViewArray,
    cast::AsArray,
    types::{
        Date32Type, Date64Type, Decimal32Type, Decimal64Type, Decimal128Type, Decimal256Type,
        Float16Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type,
        TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
        TimestampSecondType, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
    },
};
use arrow_schema::{ArrowError, DataType, Schema, TimeUnit};

use super::{Column, ColumnIndex, ColumnMapping, RawRow, SourceKind, reader};
use crate::error::{Error, ErrorKind, Result};

/// One record batch of a file, or the error its stream returned instead.
///
/// Implemented for [`RecordBatch`], `&RecordBatch` and `Result<RecordBatch, ArrowError>`
/// (what a [`arrow_array::RecordBatchReader`] yields), so that
/// [`crate::merge::Merger::import_batches`] takes a slice, a `Vec` or a reader alike.
pub trait IntoBatch {
    /// The batch, borrowed or owned.
    ///
    /// # Errors
    /// The stream's own error.
    fn into_batch<'a>(self) -> std::result::Result<Cow<'a, RecordBatch>, ArrowError>
    where
        Self: 'a;
}

impl IntoBatch for RecordBatch {
    fn into_batch<'a>(self) -> std::result::Result<Cow<'a, RecordBatch>, ArrowError> {
        Ok(Cow::Owned(self))
    }
}

impl IntoBatch for &RecordBatch {
    fn into_batch<'a>(self) -> std::result::Result<Cow<'a, RecordBatch>, ArrowError>
    where
        Self: 'a,
    {
        Ok(Cow::Borrowed(self))
    }
}

impl IntoBatch for std::result::Result<RecordBatch, ArrowError> {
    fn into_batch<'a>(self) -> std::result::Result<Cow<'a, RecordBatch>, ArrowError> {
        self.map(Cow::Owned)
    }
}

/// The error of a batch its stream could not give, at the line its first row would have.
pub(crate) fn stream_error(line: u64) -> Error {
    Error::new(ErrorKind::Import, "cannot read batch").with_line(line)
}

/// A file's fields resolved to canonical columns: its "header".
#[derive(Debug, Clone)]
pub(crate) struct ArrowColumns {
    kind: SourceKind,
    columns: ColumnIndex,
    /// The field names, to tell that a later batch has the same header.
    names: Vec<String>,
    /// The canonical column read from each field, `None` for an unknown field.
    known: Vec<Option<Column>>,
}

impl ArrowColumns {
    /// Resolves `schema`'s field names as a CSV header of a `kind` export.
    ///
    /// # Errors
    /// [`ErrorKind::Import`] `missing required column` (as for a CSV file) and
    /// `unsupported column type`, each naming the column.
    pub(crate) fn new(kind: SourceKind, schema: &Schema, mapping: &ColumnMapping) -> Result<Self> {
        let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
        let columns = ColumnIndex::from_headers(names.iter().map(|n| n.as_bytes()), mapping);
        reader::check_required(kind, &columns)?;
        let mut known = vec![None; names.len()];
        for &column in Column::ALL {
            if let Some(slot) = columns.position(column).and_then(|p| known.get_mut(p)) {
                *slot = Some(column);
            }
        }
        let me = ArrowColumns {
            kind,
            columns,
            names,
            known,
        };
        me.check_types(schema)?;
        Ok(me)
    }

    /// Checks that `schema` (a later batch's) has this header and readable known columns.
    ///
    /// # Errors
    /// [`ErrorKind::Import`] `batch columns differ from the first batch`, or `unsupported
    /// column type` naming the column.
    pub(crate) fn check_batch(&self, schema: &Schema) -> Result<()> {
        let same = schema.fields().len() == self.names.len()
            && schema
                .fields()
                .iter()
                .zip(&self.names)
                .all(|(f, n)| f.name() == n);
        if !same {
            return Err(Error::new(
                ErrorKind::Import,
                "batch columns differ from the first batch",
            ));
        }
        self.check_types(schema)
    }

    fn check_types(&self, schema: &Schema) -> Result<()> {
        for (field, known) in schema.fields().iter().zip(&self.known) {
            if let Some(column) = known
                && !supported(field.data_type())
            {
                return Err(Error::new(ErrorKind::Import, "unsupported column type")
                    .with_field(column.as_str()));
            }
        }
        Ok(())
    }
}

/// Whether values of `t` have a cell text.
fn supported(t: &DataType) -> bool {
    match t {
        DataType::Dictionary(_, values) => supported(values),
        DataType::Timestamp(_, _) => true,
        t => {
            t.is_integer()
                || t.is_floating()
                || matches!(
                    t,
                    DataType::Utf8
                        | DataType::LargeUtf8
                        | DataType::Utf8View
                        | DataType::Boolean
                        | DataType::Date32
                        | DataType::Date64
                        | DataType::Null
                        | DataType::Decimal32(_, _)
                        | DataType::Decimal64(_, _)
                        | DataType::Decimal128(_, _)
                        | DataType::Decimal256(_, _)
                )
        }
    }
}

/// Cell texts written out for one column of one batch: cell `i` is
/// `buf[ends[i - 1]..ends[i]]`.
#[derive(Default)]
struct Texts {
    buf: String,
    ends: Vec<usize>,
}

impl Texts {
    fn with_rows(rows: usize) -> Self {
        Texts {
            buf: String::with_capacity(rows * 8),
            ends: Vec::with_capacity(rows),
        }
    }

    fn end_cell(&mut self) {
        self.ends.push(self.buf.len());
    }

    fn get(&self, i: usize) -> &str {
        let start = match i.checked_sub(1) {
            Some(p) => self.ends.get(p).copied().unwrap_or(0),
            None => 0,
        };
        let end = self.ends.get(i).copied().unwrap_or(start);
        self.buf.get(start..end).unwrap_or("")
    }
}

/// The cells of one column of one batch.
enum ColText<'b> {
    Utf8(&'b StringArray),
    LargeUtf8(&'b LargeStringArray),
    View(&'b StringViewArray),
    Written(Texts),
    Dict {
        keys: &'b dyn Array,
        index: Vec<usize>,
        values: Box<ColText<'b>>,
    },
    Blank,
}

impl<'b> ColText<'b> {
    /// The cells of `array`: borrowed strings, or text written for another type. `known`
    /// columns must have a supported type ([`ArrowColumns`] checked it); an unknown field
    /// of another type is written as Arrow displays it (for the row fingerprint only).
    fn of(array: &'b ArrayRef) -> ColText<'b> {
        match array.data_type() {
            DataType::Utf8 => ColText::Utf8(array.as_string::<i32>()),
            DataType::LargeUtf8 => ColText::LargeUtf8(array.as_string::<i64>()),
            DataType::Utf8View => ColText::View(array.as_string_view()),
            DataType::Null => ColText::Blank,
            DataType::Dictionary(_, _) => {
                let Some(dict) = array.as_any_dictionary_opt() else {
                    return ColText::Blank;
                };
                if dict.values().is_empty() {
                    // Every key is null (or points nowhere): nothing to read.
                    return ColText::Blank;
                }
                ColText::Dict {
                    keys: dict.keys(),
                    index: dict.normalized_keys(),
                    values: Box::new(ColText::of(dict.values())),
                }
            }
            _ => ColText::Written(write_cells(array.as_ref())),
        }
    }

    /// Cell `i`; empty when null.
    #[inline]
    fn get(&self, i: usize) -> &str {
        match self {
            ColText::Utf8(a) => string_cell(*a, i),
            ColText::LargeUtf8(a) => string_cell(*a, i),
            ColText::View(a) => {
                if i >= a.len() || a.is_null(i) {
                    ""
                } else {
                    a.value(i)
                }
            }
            ColText::Written(t) => t.get(i),
            ColText::Dict {
                keys,
                index,
                values,
            } => {
                if keys.is_null(i) {
                    return "";
                }
                match index.get(i) {
                    Some(&k) => values.get(k),
                    None => "",
                }
            }
            ColText::Blank => "",
        }
    }
}

fn string_cell<O: arrow_array::OffsetSizeTrait>(
    a: &arrow_array::GenericStringArray<O>,
    i: usize,
) -> &str {
    if i >= a.len() || a.is_null(i) {
        ""
    } else {
        a.value(i)
    }
}

/// Writes each value of a primitive array with `write`; nulls are empty.
fn primitive<T: ArrowPrimitiveType>(
    array: &dyn Array,
    mut write: impl FnMut(&mut String, T::Native),
) -> Texts {
    let Some(a) = array.as_primitive_opt::<T>() else {
        return Texts::default();
    };
    let mut out = Texts::with_rows(a.len());
    for v in a.iter() {
        if let Some(v) = v {
            write(&mut out.buf, v);
        }
        out.end_cell();
    }
    out
}

/// Decimal digits of an integer.
fn int<T>(array: &dyn Array) -> Texts
where
    T: ArrowPrimitiveType,
    T::Native: itoa::Integer,
{
    primitive::<T>(array, |buf, v| {
        buf.push_str(itoa::Buffer::new().format(v));
    })
}

/// A finite float's shortest round-trip text in positional notation (Rust's `Display`
/// never uses an exponent); NaN is empty.
fn float<T>(array: &dyn Array) -> Texts
where
    T: ArrowPrimitiveType,
    T::Native: std::fmt::Display + Into<f64> + Copy,
{
    primitive::<T>(array, |buf, v| {
        let f: f64 = v.into();
        if f.is_nan() {
            return;
        }
        let _ = write!(buf, "{v}");
    })
}

/// The digits of an unscaled decimal `digits` (with its sign) placed by `scale`.
fn place_decimal(buf: &mut String, digits: &str, scale: i8) {
    let (sign, digits) = match digits.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", digits),
    };
    buf.push_str(sign);
    if scale <= 0 {
        buf.push_str(digits);
        if digits != "0" {
            buf.extend(std::iter::repeat_n('0', usize::from(scale.unsigned_abs())));
        }
        return;
    }
    let scale = usize::from(scale.unsigned_abs());
    if digits.len() > scale {
        let (whole, frac) = digits.split_at(digits.len() - scale);
        buf.push_str(whole);
        buf.push('.');
        buf.push_str(frac);
    } else {
        buf.push_str("0.");
        buf.extend(std::iter::repeat_n('0', scale - digits.len()));
        buf.push_str(digits);
    }
}

fn decimal<T>(array: &dyn Array, scale: i8) -> Texts
where
    T: ArrowPrimitiveType,
    T::Native: std::fmt::Display,
{
    let mut digits = String::new();
    primitive::<T>(array, |buf, v| {
        digits.clear();
        let _ = write!(digits, "{v}");
        place_decimal(buf, &digits, scale);
    })
}

/// Text for a date or time that the calendar cannot hold: no date parser reads it, so
/// the value is dropped as a bad date.
const OUT_OF_RANGE: &str = "date out of range";

/// `YYYY-MM-DD HH:MM:SS`, then the fraction of `nanos` in `digits` digits when not zero.
fn write_datetime(buf: &mut String, secs: i64, nanos: u32, digits: usize, date_only: bool) {
    let Some(t) = chrono::DateTime::from_timestamp(secs, nanos) else {
        buf.push_str(OUT_OF_RANGE);
        return;
    };
    let t = t.naive_utc();
    if date_only {
        let _ = write!(buf, "{}", t.date().format("%Y-%m-%d"));
        return;
    }
    let _ = write!(buf, "{}", t.format("%Y-%m-%d %H:%M:%S"));
    if nanos != 0 && digits > 0 {
        let frac = format!("{nanos:09}");
        buf.push('.');
        buf.push_str(frac.get(..digits).unwrap_or(&frac));
    }
}

/// A count of `per_sec` units since the epoch as seconds (rounded down) and nanoseconds.
fn split_units(v: i64, per_sec: i64) -> (i64, u32) {
    let secs = v.div_euclid(per_sec);
    let sub = v.rem_euclid(per_sec);
    let nanos = sub.saturating_mul(1_000_000_000 / per_sec);
    (secs, u32::try_from(nanos).unwrap_or(0))
}

fn timestamp<T>(array: &dyn Array, per_sec: i64, digits: usize) -> Texts
where
    T: ArrowPrimitiveType<Native = i64>,
{
    primitive::<T>(array, |buf, v| {
        let (secs, nanos) = split_units(v, per_sec);
        write_datetime(buf, secs, nanos, digits, false);
    })
}

/// The text of every value of `array`, of a type other than the strings, dictionaries
/// and `Null` ([`ColText::of`]).
fn write_cells(array: &dyn Array) -> Texts {
    match array.data_type() {
        DataType::Int8 => int::<Int8Type>(array),
        DataType::Int16 => int::<Int16Type>(array),
        DataType::Int32 => int::<Int32Type>(array),
        DataType::Int64 => int::<Int64Type>(array),
        DataType::UInt8 => int::<UInt8Type>(array),
        DataType::UInt16 => int::<UInt16Type>(array),
        DataType::UInt32 => int::<UInt32Type>(array),
        DataType::UInt64 => int::<UInt64Type>(array),
        DataType::Float16 => float::<Float16Type>(array),
        DataType::Float32 => float::<Float32Type>(array),
        DataType::Float64 => float::<Float64Type>(array),
        DataType::Decimal32(_, s) => decimal::<Decimal32Type>(array, *s),
        DataType::Decimal64(_, s) => decimal::<Decimal64Type>(array, *s),
        DataType::Decimal128(_, s) => decimal::<Decimal128Type>(array, *s),
        DataType::Decimal256(_, s) => decimal::<Decimal256Type>(array, *s),
        DataType::Boolean => booleans(array),
        DataType::Date32 => primitive::<Date32Type>(array, |buf, days| {
            write_datetime(buf, i64::from(days).saturating_mul(86_400), 0, 0, true);
        }),
        DataType::Date64 => primitive::<Date64Type>(array, |buf, ms| {
            let (secs, nanos) = split_units(ms, 1_000);
            let date_only = nanos == 0 && secs.rem_euclid(86_400) == 0;
            write_datetime(buf, secs, nanos, 3, date_only);
        }),
        DataType::Timestamp(TimeUnit::Second, _) => timestamp::<TimestampSecondType>(array, 1, 0),
        DataType::Timestamp(TimeUnit::Millisecond, _) => {
            timestamp::<TimestampMillisecondType>(array, 1_000, 3)
        }
        DataType::Timestamp(TimeUnit::Microsecond, _) => {
            timestamp::<TimestampMicrosecondType>(array, 1_000_000, 6)
        }
        DataType::Timestamp(TimeUnit::Nanosecond, _) => {
            timestamp::<TimestampNanosecondType>(array, 1_000_000_000, 9)
        }
        _ => displayed(array),
    }
}

fn booleans(array: &dyn Array) -> Texts {
    let Some(a) = array.as_any().downcast_ref::<BooleanArray>() else {
        return Texts::default();
    };
    let mut out = Texts::with_rows(a.len());
    for v in a.iter() {
        match v {
            Some(true) => out.buf.push_str("true"),
            Some(false) => out.buf.push_str("false"),
            None => {}
        }
        out.end_cell();
    }
    out
}

/// An unknown field of a type without a cell text, as Arrow displays it: only the row
/// fingerprint reads it (two rows that differ there are not duplicates).
fn displayed(array: &dyn Array) -> Texts {
    use arrow_cast::display::{ArrayFormatter, FormatOptions};
    let mut out = Texts::with_rows(array.len());
    let options = FormatOptions::default().with_null("");
    match ArrayFormatter::try_new(array, &options) {
        Ok(f) => {
            for i in 0..array.len() {
                let _ = write!(out.buf, "{}", f.value(i));
                out.end_cell();
            }
        }
        Err(_) => {
            for _ in 0..array.len() {
                out.end_cell();
            }
        }
    }
    out
}

/// The rows of one batch as cell texts, field by field.
pub(crate) struct BatchCells<'b> {
    columns: Vec<ColText<'b>>,
    rows: usize,
}

impl<'b> BatchCells<'b> {
    /// The cells of `batch` (whose schema [`ArrowColumns`] accepted).
    pub(crate) fn new(batch: &'b RecordBatch) -> Self {
        BatchCells {
            columns: batch.columns().iter().map(ColText::of).collect(),
            rows: batch.num_rows(),
        }
    }

    /// Number of rows.
    pub(crate) fn rows(&self) -> usize {
        self.rows
    }

    /// Fills `out` with the cells of row `i`, one per field.
    pub(crate) fn row<'s>(&'s self, i: usize, out: &mut Vec<&'s str>) {
        out.clear();
        out.extend(self.columns.iter().map(|c| c.get(i)));
    }
}

/// Where a row of a batch goes: skipped (blank or sample_orders' description row) or
/// read as a [`RawRow`].
pub(crate) enum RowKind {
    /// All cells blank.
    Blank,
    /// sample_orders' description row.
    Description,
    /// A data row.
    Data,
}

impl ArrowColumns {
    /// A row view of `cells` (one per field).
    pub(crate) fn raw_row<'a>(&'a self, cells: &'a [&'a str]) -> RawRow<'a> {
        RawRow::from_positions(cells, &self.columns)
    }

    /// What `cells` are: `first` is true for the file's first non-blank row.
    pub(crate) fn classify(&self, cells: &[&str], first: bool) -> RowKind {
        if cells
            .iter()
            .all(|c| reader::trim_bytes(c.as_bytes()).is_empty())
        {
            return RowKind::Blank;
        }
        let order_id = self
            .columns
            .position(Column::OrderId)
            .and_then(|p| cells.get(p))
            .map(|c| c.as_bytes());
        if first && reader::is_description_cell(self.kind, order_id) {
            RowKind::Description
        } else {
            RowKind::Data
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    use std::sync::Arc;

    use arrow_array::{
        Date32Array, Date64Array, Decimal128Array, DictionaryArray, Float32Array, Float64Array,
        Int8Array, Int64Array, NullArray, TimestampMicrosecondArray, TimestampMillisecondArray,
        TimestampNanosecondArray, TimestampSecondArray, UInt64Array, types::Int8Type,
    };

    /// The cell texts of `array`, as a file's rows read them.
    fn texts(array: impl Array + 'static) -> Vec<String> {
        let array: ArrayRef = Arc::new(array);
        let col = ColText::of(&array);
        (0..array.len()).map(|i| col.get(i).to_owned()).collect()
    }

    #[test]
    fn each_type_has_the_text_of_a_csv_export() {
        assert_eq!(
            texts(StringArray::from(vec![Some(" a "), None, Some("")])),
            [" a ", "", ""]
        );
        assert_eq!(
            texts(LargeStringArray::from(vec![Some("b"), None])),
            ["b", ""]
        );
        assert_eq!(
            texts(StringViewArray::from(vec![Some("c"), None])),
            ["c", ""]
        );
        let dict: DictionaryArray<Int8Type> = vec![Some("x"), None, Some("y"), Some("x")]
            .into_iter()
            .collect();
        assert_eq!(texts(dict), ["x", "", "y", "x"]);
        let typed_dict = DictionaryArray::<Int8Type>::try_new(
            Int8Array::from(vec![Some(1), None, Some(0)]),
            Arc::new(Int64Array::from(vec![Some(7), Some(-3)])),
        )
        .unwrap();
        assert_eq!(texts(typed_dict), ["-3", "", "7"]);
        assert_eq!(
            texts(Int8Array::from(vec![Some(-128), None, Some(7)])),
            ["-128", "", "7"]
        );
        assert_eq!(
            texts(UInt64Array::from(vec![u64::MAX])),
            ["18446744073709551615"]
        );
        assert_eq!(
            texts(Float64Array::from(vec![
                1462.0,
                1e20,
                0.1,
                -2.5e-7,
                1_729_900_000_003.0,
                f64::NAN,
                f64::INFINITY,
                f64::NEG_INFINITY,
                -0.0,
            ])),
            [
                "1462",
                "100000000000000000000",
                "0.1",
                "-0.00000025",
                "1729900000003",
                "",
                "inf",
                "-inf",
                "-0",
            ]
        );
        assert_eq!(
            texts(Float32Array::from(vec![0.1f32, 16_777_216.0])),
            ["0.1", "16777216"]
        );
        let halves: ArrayRef = Arc::new(Float32Array::from(vec![1.5f32, -2.0]));
        let halves = arrow_cast::cast(&halves, &DataType::Float16).unwrap();
        let col = ColText::of(&halves);
        assert_eq!([col.get(0), col.get(1)], ["1.5", "-2"]);
        let d = Decimal128Array::from(vec![Some(123_450), Some(-5), None])
            .with_precision_and_scale(10, 2)
            .unwrap();
        assert_eq!(texts(d), ["1234.50", "-0.05", ""]);
        let d = Decimal128Array::from(vec![12])
            .with_precision_and_scale(10, -3)
            .unwrap();
        assert_eq!(texts(d), ["12000"]);
        let wide: ArrayRef = Arc::new(
            Decimal128Array::from(vec![-123_456])
                .with_precision_and_scale(20, 4)
                .unwrap(),
        );
        let wide = arrow_cast::cast(&wide, &DataType::Decimal256(40, 4)).unwrap();
        assert_eq!(ColText::of(&wide).get(0), "-12.3456");
        assert_eq!(
            texts(BooleanArray::from(vec![Some(true), None, Some(false)])),
            ["true", "", "false"]
        );
        assert_eq!(
            texts(Date32Array::from(vec![
                Some(0),
                Some(19_787),
                Some(-1),
                None
            ])),
            ["1970-01-01", "2024-03-05", "1969-12-31", ""]
        );
        assert_eq!(
            texts(Date32Array::from(vec![i32::MAX])),
            ["date out of range"]
        );
        assert_eq!(
            texts(Date64Array::from(vec![86_400_000, 1_709_649_000_250])),
            ["1970-01-02", "2024-03-05 14:30:00.250"]
        );
        assert_eq!(
            texts(TimestampSecondArray::from(vec![1_709_649_000, -1])),
            ["2024-03-05 14:30:00", "1969-12-31 23:59:59"]
        );
        assert_eq!(
            texts(TimestampMillisecondArray::from(vec![
                1_709_649_000_250,
                -500
            ])),
            ["2024-03-05 14:30:00.250", "1969-12-31 23:59:59.500"]
        );
        assert_eq!(
            texts(TimestampMicrosecondArray::from(vec![1_709_649_000_000_001])),
            ["2024-03-05 14:30:00.000001"]
        );
        // With a zone: the instant, in UTC.
        assert_eq!(
            texts(
                TimestampNanosecondArray::from(vec![1_709_649_000_000_000_000])
                    .with_timezone("America/Chicago")
            ),
            ["2024-03-05 14:30:00"]
        );
        assert_eq!(texts(NullArray::new(2)), ["", ""]);
    }

    #[test]
    fn texts_of_typed_columns_read_back_as_their_values() {
        use crate::import::values::{parse_count, parse_money, parse_timestamp};
        assert_eq!(parse_count("1462", "n").unwrap(), 1462);
        assert_eq!(parse_money("-0.05", "n").unwrap().to_string(), "-0.05");
        assert_eq!(
            parse_timestamp("2024-03-05 14:30:00.250", "t").unwrap(),
            1_709_649_000
        );
        assert_eq!(parse_timestamp("1969-12-31 23:59:59.500", "t").unwrap(), -1);
        assert!(parse_timestamp("date out of range", "t").is_err());
        assert!(parse_count("inf", "n").is_err());
    }

    #[test]
    fn decimals_are_placed_by_their_scale() {
        let text = |d: &str, s: i8| {
            let mut b = String::new();
            place_decimal(&mut b, d, s);
            b
        };
        assert_eq!(text("123456", 2), "1234.56");
        assert_eq!(text("-5", 3), "-0.005");
        assert_eq!(text("0", 2), "0.00");
        assert_eq!(text("12", -2), "1200");
        assert_eq!(text("0", -2), "0");
        assert_eq!(text("-7", 0), "-7");
    }

    #[test]
    fn units_split_towards_the_past() {
        assert_eq!(split_units(1_500, 1_000), (1, 500_000_000));
        assert_eq!(split_units(-500, 1_000), (-1, 500_000_000));
        assert_eq!(
            split_units(i64::MIN, 1_000_000_000).0,
            i64::MIN / 1_000_000_000 - 1
        );
    }
}
