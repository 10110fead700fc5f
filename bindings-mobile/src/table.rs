//! Records built from core's table definitions (`creator_crm::table`).
//!
//! uniffi records are static, so each table's record is declared here, but only once,
//! with [`table_record!`]: its fields are the table's columns in order, and the one
//! conversion from a core row reads field `i` from the row's cell in column `i`. A Rust test
//! checks every record's field names and types against core's columns, and the Kotlin
//! tests check the generated classes against [`creator_columns`] and its siblings, so a
//! column added in core and not here fails a test.
//!
//! Cell types become foreign types this way: text → `String`, bool → `Boolean`/`Bool`,
//! uint64 → `ULong`/`UInt64`, decimal → exact `String` (`"12.50"`), date → `String`
//! (`YYYY-MM-DD`), datetime → an instant (`java.time.Instant` / `Date`; core times are UTC),
//! text list → list of `String`, counts → map of `String` to count, float64 → `Double`; a
//! nullable column is optional.

use std::{collections::HashMap, time::SystemTime};

use creator_crm::{
    analytics,
    host::naive_as_utc,
    merge,
    table::{self, Cell, ColumnDef, ColumnType, Row},
};

use crate::time::to_system_time;

/// A foreign field type that holds the cells of some columns.
pub(crate) trait FromCell: Sized {
    /// True when the field holds every cell of column `col` (checked by the tests).
    #[cfg_attr(not(test), allow(dead_code))]
    fn fits(col: &ColumnDef) -> bool;

    /// The field's value for `cell` (of a column it fits).
    fn from_cell(cell: Cell<'_>) -> Self;
}

/// Columns whose cells are exact text forms: text, decimals (exact), days (`YYYY-MM-DD`).
#[cfg_attr(not(test), allow(dead_code))]
fn textual(ty: ColumnType) -> bool {
    matches!(
        ty,
        ColumnType::Text | ColumnType::Decimal { .. } | ColumnType::Date
    )
}

/// The text of a textual cell: its display form (decimals exact, days `YYYY-MM-DD`).
fn cell_text(cell: Cell<'_>) -> Option<String> {
    match cell {
        Cell::Null => None,
        Cell::Text(t) => Some(t.into_owned()),
        other => Some(other.to_string()),
    }
}

impl FromCell for String {
    fn fits(col: &ColumnDef) -> bool {
        textual(col.ty) && !col.nullable
    }
    fn from_cell(cell: Cell<'_>) -> Self {
        cell_text(cell).unwrap_or_default()
    }
}

impl FromCell for Option<String> {
    fn fits(col: &ColumnDef) -> bool {
        textual(col.ty) && col.nullable
    }
    fn from_cell(cell: Cell<'_>) -> Self {
        cell_text(cell)
    }
}

impl FromCell for bool {
    fn fits(col: &ColumnDef) -> bool {
        col.ty == ColumnType::Bool && !col.nullable
    }
    fn from_cell(cell: Cell<'_>) -> Self {
        matches!(cell, Cell::Bool(true))
    }
}

impl FromCell for Option<u64> {
    fn fits(col: &ColumnDef) -> bool {
        col.ty == ColumnType::UInt64 && col.nullable
    }
    fn from_cell(cell: Cell<'_>) -> Self {
        match cell {
            Cell::UInt(n) => Some(n),
            _ => None,
        }
    }
}

impl FromCell for u64 {
    fn fits(col: &ColumnDef) -> bool {
        col.ty == ColumnType::UInt64 && !col.nullable
    }
    fn from_cell(cell: Cell<'_>) -> Self {
        Option::<u64>::from_cell(cell).unwrap_or_default()
    }
}

impl FromCell for Option<SystemTime> {
    fn fits(col: &ColumnDef) -> bool {
        col.ty == ColumnType::DateTime && col.nullable
    }
    fn from_cell(cell: Cell<'_>) -> Self {
        match cell {
            Cell::DateTime(t) => Some(to_system_time(naive_as_utc(t))),
            _ => None,
        }
    }
}

impl FromCell for Option<f64> {
    fn fits(col: &ColumnDef) -> bool {
        col.ty == ColumnType::Float64 && col.nullable
    }
    fn from_cell(cell: Cell<'_>) -> Self {
        match cell {
            Cell::Float(v) => Some(v),
            _ => None,
        }
    }
}

impl FromCell for f64 {
    fn fits(col: &ColumnDef) -> bool {
        col.ty == ColumnType::Float64 && !col.nullable
    }
    fn from_cell(cell: Cell<'_>) -> Self {
        Option::<f64>::from_cell(cell).unwrap_or(f64::NAN)
    }
}

impl FromCell for Vec<String> {
    fn fits(col: &ColumnDef) -> bool {
        col.ty == ColumnType::TextList && !col.nullable
    }
    fn from_cell(cell: Cell<'_>) -> Self {
        match cell {
            Cell::TextList(list) => list.iter().map(str::to_owned).collect(),
            _ => Vec::new(),
        }
    }
}

impl FromCell for HashMap<String, u64> {
    fn fits(col: &ColumnDef) -> bool {
        col.ty == ColumnType::Counts && !col.nullable
    }
    fn from_cell(cell: Cell<'_>) -> Self {
        match cell {
            Cell::Counts(counts) => counts.iter().map(|(k, n)| (k.to_owned(), n)).collect(),
            _ => HashMap::new(),
        }
    }
}

/// Declares the record of a core table: the fields are the table's columns, in order;
/// `from_row` reads field `i` from cell `i`; `mismatches` (tests) names the fields whose
/// name or type does not fit the column at their place.
macro_rules! table_record {
    (
        $(#[$meta:meta])*
        pub struct $name:ident from $row:ty {
            $( $(#[$fmeta:meta])* pub $field:ident: $ty:ty, )+
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )+
        }

        impl $name {
            /// The record of one core row: each field from the cell of its column.
            #[allow(unused_assignments)]
            pub(crate) fn from_row(row: &$row) -> Self {
                use creator_crm::table::Row as _;
                let mut column = 0usize;
                $(
                    let $field = <$ty as $crate::table::FromCell>::from_cell(row.cell(column));
                    column += 1;
                )+
                $name { $($field),+ }
            }

            /// Fields whose name or type differs from core's column at their place, and
            /// core's columns the record lacks.
            #[cfg(test)]
            pub(crate) fn mismatches() -> Vec<String> {
                use creator_crm::table::Row as _;
                let fields: &[(&str, fn(&creator_crm::table::ColumnDef) -> bool)] = &[
                    $( (stringify!($field), <$ty as $crate::table::FromCell>::fits), )+
                ];
                let columns = <$row>::COLUMNS;
                let mut out = Vec::new();
                for (i, (name, fits)) in fields.iter().enumerate() {
                    match columns.get(i) {
                        Some(c) if c.name == *name && fits(c) => {}
                        Some(c) => out.push(format!("{name} (column {i} is {} {:?})", c.name, c.ty)),
                        None => out.push(format!("{name} (no column {i})")),
                    }
                }
                for c in columns.iter().skip(fields.len()) {
                    out.push(format!("missing {}", c.name));
                }
                out
            }
        }
    };
}

pub(crate) use table_record;

/// The type of a column's cells.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ColumnKind {
    /// Text.
    Text,
    /// True or false.
    Bool,
    /// An unsigned 64-bit count.
    Uint64,
    /// An exact decimal (a `String` in the records).
    Decimal {
        /// Decimal places of a fixed-point representation.
        scale: u32,
    },
    /// A calendar day (`YYYY-MM-DD` in the records).
    Date,
    /// A UTC instant.
    DateTime,
    /// A list of text.
    TextList,
    /// Counts by name.
    Counts,
    /// A 64-bit float: rates and ratios, never money (`Double` / `Double`).
    Float64,
    /// A type this version of the bindings does not know yet (its stable name).
    Other {
        /// The type's stable snake_case name.
        name: String,
    },
}

impl From<ColumnType> for ColumnKind {
    fn from(ty: ColumnType) -> Self {
        match ty {
            ColumnType::Text => ColumnKind::Text,
            ColumnType::Bool => ColumnKind::Bool,
            ColumnType::UInt64 => ColumnKind::Uint64,
            ColumnType::Decimal { scale } => ColumnKind::Decimal { scale },
            ColumnType::Date => ColumnKind::Date,
            ColumnType::DateTime => ColumnKind::DateTime,
            ColumnType::TextList => ColumnKind::TextList,
            ColumnType::Counts => ColumnKind::Counts,
            ColumnType::Float64 => ColumnKind::Float64,
            other => ColumnKind::Other {
                name: other.as_str().to_owned(),
            },
        }
    }
}

/// One column of a core table: its name (snake_case; the record field is its camelCase
/// form in Kotlin and Swift), type, nullability and meaning.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TableColumn {
    /// The column's name, as in the CSV export and the other bindings.
    pub name: String,
    /// The type of its cells.
    pub kind: ColumnKind,
    /// Whether a cell may be missing (an optional field).
    pub nullable: bool,
    /// One line on what it holds.
    pub doc: String,
}

fn columns<R: Row>() -> Vec<TableColumn> {
    R::COLUMNS
        .iter()
        .map(|c| TableColumn {
            name: c.name.to_owned(),
            kind: c.ty.into(),
            nullable: c.nullable,
            doc: c.doc.to_owned(),
        })
        .collect()
}

/// The creator table's columns, in order: the fields of `MergedCreator`.
#[uniffi::export]
pub fn creator_columns() -> Vec<TableColumn> {
    columns::<merge::Creator>()
}

/// The columns of a table by its name: `creators`, `samples`, `videos`, `video_products`,
/// `snapshots`, `brand_links`, `products`, `conflicts`, `report` (the fields of `MergeReport`), `files`
/// (`FileReport`), `rejected` (`RejectedRow`), and the analytics tables of
/// [`analytics_table_names`]; `None` for another name.
#[uniffi::export]
pub fn table_columns(table: String) -> Option<Vec<TableColumn>> {
    Some(match table.as_str() {
        t if t == merge::Creator::TABLE => columns::<merge::Creator>(),
        t if t == merge::Sample::TABLE => columns::<merge::Sample>(),
        t if t == merge::Video::TABLE => columns::<merge::Video>(),
        t if t == merge::VideoProduct::TABLE => columns::<merge::VideoProduct>(),
        t if t == merge::Snapshot::TABLE => columns::<merge::Snapshot>(),
        t if t == merge::BrandLink::TABLE => columns::<merge::BrandLink>(),
        t if t == merge::Product::TABLE => columns::<merge::Product>(),
        t if t == merge::Conflict::TABLE => columns::<merge::Conflict>(),
        t if t == merge::MergeReport::TABLE => columns::<merge::MergeReport>(),
        t if t == merge::FileReport::TABLE => columns::<merge::FileReport>(),
        t if t == table::Rejected::TABLE => columns::<table::Rejected<'static>>(),
        t if t == analytics::Performer::TABLE => columns::<analytics::Performer>(),
        t if t == analytics::Trend::TABLE => columns::<analytics::Trend>(),
        t if t == analytics::CreatorVideoPerformance::TABLE => {
            columns::<analytics::CreatorVideoPerformance>()
        }
        t if t == analytics::ProductPerformance::TABLE => {
            columns::<analytics::ProductPerformance>()
        }
        t if t == analytics::CreatorConversion::TABLE => columns::<analytics::CreatorConversion>(),
        t if t == analytics::ProductConversion::TABLE => columns::<analytics::ProductConversion>(),
        t if t == analytics::ConversionOverall::TABLE => columns::<analytics::ConversionOverall>(),
        _ => return None,
    })
}

/// The names of every table [`table_columns`] knows, in the order of a merge outcome.
#[uniffi::export]
pub fn table_names() -> Vec<String> {
    [
        merge::Creator::TABLE,
        merge::Sample::TABLE,
        merge::Video::TABLE,
        merge::VideoProduct::TABLE,
        merge::Snapshot::TABLE,
        merge::BrandLink::TABLE,
        merge::Product::TABLE,
        merge::Conflict::TABLE,
        merge::MergeReport::TABLE,
        merge::FileReport::TABLE,
        table::Rejected::TABLE,
    ]
    .into_iter()
    .map(str::to_owned)
    .collect()
}

/// The names of the analytics tables [`table_columns`] knows: `top_performers`
/// (`Performer`), `trending` (`CreatorTrend`), `video_performance`
/// (`CreatorVideoPerformance`), `product_performance` (`ProductPerformance`),
/// `sample_conversion` (`CreatorConversion`), `sample_conversion_by_product`
/// (`ProductConversion`), `sample_conversion_overall` (`ConversionOverall`).
#[uniffi::export]
pub fn analytics_table_names() -> Vec<String> {
    [
        analytics::Performer::TABLE,
        analytics::Trend::TABLE,
        analytics::CreatorVideoPerformance::TABLE,
        analytics::ProductPerformance::TABLE,
        analytics::CreatorConversion::TABLE,
        analytics::ProductConversion::TABLE,
        analytics::ConversionOverall::TABLE,
    ]
    .into_iter()
    .map(str::to_owned)
    .collect()
}
