//! Column definitions and cells.

use std::{borrow::Cow, collections::BTreeMap, fmt};

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::import::SourceKind;

/// The type of a column's cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ColumnType {
    /// UTF-8 text ([`Cell::Text`]).
    Text,
    /// True or false ([`Cell::Bool`]).
    Bool,
    /// An unsigned 64-bit count ([`Cell::UInt`]).
    UInt64,
    /// An exact decimal ([`Cell::Decimal`]); a fixed-point consumer (Arrow `decimal128(38,
    /// scale)`) rounds the value to `scale` decimal places.
    Decimal {
        /// Decimal places of a fixed-point representation.
        scale: u32,
    },
    /// A calendar day ([`Cell::Date`]).
    Date,
    /// A time of day on a day, in UTC ([`Cell::DateTime`]): the core holds times without
    /// an offset and every one of them is UTC (see [`crate::host::naive_as_utc`]).
    DateTime,
    /// A list of text ([`Cell::TextList`]).
    TextList,
    /// Counts by name, such as rejected rows by reason ([`Cell::Counts`]).
    Counts,
}

impl ColumnType {
    /// A stable snake_case name (`"text"`, `"decimal"`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            ColumnType::Text => "text",
            ColumnType::Bool => "bool",
            ColumnType::UInt64 => "uint64",
            ColumnType::Decimal { .. } => "decimal",
            ColumnType::Date => "date",
            ColumnType::DateTime => "datetime",
            ColumnType::TextList => "text_list",
            ColumnType::Counts => "counts",
        }
    }
}

/// One column of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ColumnDef {
    /// The column's name (snake_case; the same in every binding).
    pub name: &'static str,
    /// The type of its cells.
    pub ty: ColumnType,
    /// Whether a cell may be [`Cell::Null`]. A non-nullable text column may hold `""`.
    pub nullable: bool,
    /// One line on what the column holds.
    pub doc: &'static str,
}

impl ColumnDef {
    /// A column of type `ty`.
    pub const fn new(
        name: &'static str,
        ty: ColumnType,
        nullable: bool,
        doc: &'static str,
    ) -> Self {
        ColumnDef {
            name,
            ty,
            nullable,
            doc,
        }
    }
}

/// One cell of a row. Text borrows from the row; see the module docs for the cost.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Cell<'a> {
    /// No value (only in nullable columns).
    Null,
    /// Text.
    Text(Cow<'a, str>),
    /// A boolean.
    Bool(bool),
    /// An unsigned count.
    UInt(u64),
    /// An exact decimal, at the precision it was computed (not rescaled).
    Decimal(Decimal),
    /// A day.
    Date(NaiveDate),
    /// A UTC time without its offset.
    DateTime(NaiveDateTime),
    /// A list of text.
    TextList(TextList<'a>),
    /// Counts by name.
    Counts(Counts<'a>),
}

impl<'a> Cell<'a> {
    /// A borrowed text cell.
    pub const fn text(s: &'a str) -> Self {
        Cell::Text(Cow::Borrowed(s))
    }

    /// A text cell, or [`Cell::Null`] for `None`.
    pub fn opt_text(s: Option<&'a str>) -> Self {
        s.map_or(Cell::Null, Cell::text)
    }

    /// True for [`Cell::Null`].
    pub const fn is_null(&self) -> bool {
        matches!(self, Cell::Null)
    }

    /// The cell as JSON: text, lists and counts as strings, arrays and objects, numbers as
    /// numbers, decimals as exact strings (`"12.50"`), days as `YYYY-MM-DD`, times as
    /// RFC 3339 in UTC (`2024-05-01T10:00:00Z`), null as null.
    pub fn to_json(&self) -> Value {
        match self {
            Cell::Null => Value::Null,
            Cell::Text(t) => Value::String(t.to_string()),
            Cell::Bool(b) => Value::Bool(*b),
            Cell::UInt(n) => Value::from(*n),
            Cell::Decimal(d) => Value::String(d.to_string()),
            Cell::Date(d) => Value::String(d.format("%Y-%m-%d").to_string()),
            Cell::DateTime(t) => Value::String(crate::host::utc_rfc3339(*t)),
            Cell::TextList(l) => Value::Array(l.iter().map(Value::from).collect()),
            Cell::Counts(c) => Value::Object(
                c.iter()
                    .map(|(k, n)| (k.to_owned(), Value::from(n)))
                    .collect(),
            ),
        }
    }
}

/// The text form of a cell, as the CSV export writes it (before formula escaping): `""`
/// for null, `true`/`false`, decimals exact, days `YYYY-MM-DD`, times
/// `YYYY-MM-DDTHH:MM:SS[.fff]` (UTC), lists joined with `;`, counts as `name=n` joined
/// with `;`.
impl fmt::Display for Cell<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cell::Null => Ok(()),
            Cell::Text(t) => f.write_str(t),
            Cell::Bool(b) => f.write_str(if *b { "true" } else { "false" }),
            Cell::UInt(n) => f.write_str(itoa::Buffer::new().format(*n)),
            Cell::Decimal(d) => fmt::Display::fmt(d, f),
            Cell::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            Cell::DateTime(t) => write!(f, "{}", t.format("%Y-%m-%dT%H:%M:%S%.f")),
            Cell::TextList(l) => {
                for (i, s) in l.iter().enumerate() {
                    if i > 0 {
                        f.write_str(";")?;
                    }
                    f.write_str(s)?;
                }
                Ok(())
            }
            Cell::Counts(c) => {
                for (i, (k, n)) in c.iter().enumerate() {
                    if i > 0 {
                        f.write_str(";")?;
                    }
                    write!(f, "{k}={n}")?;
                }
                Ok(())
            }
        }
    }
}

/// A list of text held by a row, viewed without copying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextList<'a>(ListRepr<'a>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListRepr<'a> {
    Kinds(&'a [SourceKind]),
}

impl<'a> TextList<'a> {
    /// Source kinds by their names (`euka`, `sample_orders`, …).
    pub const fn source_kinds(kinds: &'a [SourceKind]) -> Self {
        TextList(ListRepr::Kinds(kinds))
    }

    /// The number of items.
    pub const fn len(&self) -> usize {
        match self.0 {
            ListRepr::Kinds(k) => k.len(),
        }
    }

    /// True when the list has no items.
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The items, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &'a str> + 'a {
        match self.0 {
            ListRepr::Kinds(k) => k.iter().map(|k| k.as_str()),
        }
    }
}

/// Counts by name (sorted by name), viewed without copying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts<'a>(&'a BTreeMap<String, u64>);

impl<'a> Counts<'a> {
    /// A view of `counts`.
    pub const fn new(counts: &'a BTreeMap<String, u64>) -> Self {
        Counts(counts)
    }

    /// The number of names.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are no counts.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `(name, count)` pairs, by name.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&'a str, u64)> + 'a {
        self.0.iter().map(|(k, n)| (k.as_str(), *n))
    }
}
