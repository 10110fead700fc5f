//! The tables a merge produces, defined once: their columns (names, types, nullability,
//! meaning) and how a row reads each cell.
//!
//! Every output is built from these definitions: the CSV export
//! ([`crate::export::write_csv`]), the Python Arrow tables, the Node objects and the mobile
//! records. A binding loops over [`Row::COLUMNS`] and asks each row for its cells, so a
//! column added here appears everywhere, with the same name and type.
//!
//! | table | row type | key |
//! |---|---|---|
//! | creators | [`Creator`] | `tiktok_username` |
//! | samples | [`Sample`] | `order_id`, `sku_id` |
//! | videos | [`Video`] | `video_id` |
//! | video_products | [`VideoProduct`] | `video_id`, `product_id` |
//! | snapshots | [`Snapshot`] | `tiktok_username`, `date`, `source` |
//! | brand_links | [`BrandLink`] | `brand`, `tiktok_username` |
//! | products | [`Product`] | `product_id` |
//! | conflicts | [`Conflict`] | `tiktok_username`, `field`, `kind` |
//! | the report | [`MergeReport`] (one row), [`FileReport`] (one per file), [`Rejected`] (one per rejected row) | |
//!
//! Every row that belongs to a creator carries `tiktok_username`.
//!
//! # Cost
//! [`Row::cell`] is a `match` on the column index and a borrow: text cells point into the
//! row ([`Cell::Text`] is `Cow::Borrowed`), lists are views ([`TextList`]), numbers are
//! copied. The one text built per call is a creator's `phone_masked` (the display form of a
//! masked number, present only on creators without a full number). A columnar consumer
//! (Arrow) loops columns outside and rows inside, so it matches on the column type once
//! per column:
//!
//! ```
//! use creator_crm::{merge::Creator, table::{Cell, Row}};
//!
//! /// Bytes of text in the column `name`, counted without building any row.
//! fn text_bytes(creators: &[Creator], name: &str) -> usize {
//!     let Some(col) = Creator::column_index(name) else { return 0 };
//!     creators
//!         .iter()
//!         .map(|c| match c.cell(col) {
//!             Cell::Text(t) => t.len(),
//!             _ => 0,
//!         })
//!         .sum()
//! }
//! assert_eq!(text_bytes(&[], "email"), 0);
//! ```

mod cell;
mod creator;
mod related;
mod report;

pub use cell::{Cell, ColumnDef, ColumnType, Counts, TextList};
pub use report::{Rejected, rejected_rows};

#[cfg(doc)]
use crate::merge::{
    BrandLink, Conflict, Creator, FileReport, MergeReport, Product, Sample, Snapshot, Video,
    VideoProduct,
};

/// A row of one of the tables: its columns, and each cell by column index.
pub trait Row {
    /// The table's name (`"creators"`, `"samples"`, …), as bindings name the table.
    const TABLE: &'static str;

    /// The columns, in order.
    const COLUMNS: &'static [ColumnDef];

    /// The cell in column `column` (an index into [`Row::COLUMNS`]); [`Cell::Null`] for an
    /// index past the last column.
    fn cell(&self, column: usize) -> Cell<'_>;

    /// The index of the column named `name`.
    fn column_index(name: &str) -> Option<usize> {
        Self::COLUMNS.iter().position(|c| c.name == name)
    }

    /// The column names, in order.
    fn column_names() -> impl Iterator<Item = &'static str> {
        Self::COLUMNS.iter().map(|c| c.name)
    }

    /// Every cell of the row, in column order.
    fn cells(&self) -> impl Iterator<Item = Cell<'_>> {
        (0..Self::COLUMNS.len()).map(|i| self.cell(i))
    }
}

#[cfg(test)]
mod tests;
