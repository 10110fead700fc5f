//! Writing results as CSV that is safe to open in a spreadsheet.
//!
//! Any table of [`crate::table`] can be written: a header row of its column names
//! ([`Row::COLUMNS`]), then one record per row, each cell in its text form
//! ([`Cell`]'s `Display`: `""` for null, `true`/`false`, exact decimals, ISO days and
//! times, lists joined with `;`).
//!
//! A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is
//! a formula to Excel, LibreOffice and Google Sheets ("CSV injection"). Every
//! text cell written here (text, lists, counts) goes through [`escape_cell`], which
//! prefixes such a cell with `'` (the OWASP recommendation) so it is shown as text.
//! Numbers, booleans and times the library formats itself are written as they are.

use std::{borrow::Cow, fmt::Write as _, io::Write};

use crate::{
    analytics::{
        ConversionOverall, CreatorConversion, CreatorVideoPerformance, Dashboard, Performer,
        ProductConversion, ProductPerformance, Trend,
    },
    error::{Error, ErrorKind, Result},
    merge::{
        BrandLink, Conflict, Creator, FileReport, MergeResult, Product, Sample, Snapshot, Video,
        VideoProduct,
    },
    table::{Cell, Rejected, Row, rejected_rows},
};

/// Neutralizes a cell that a spreadsheet would run as a formula by prefixing `'`.
///
/// ```
/// use creator_crm::export::escape_cell;
/// assert_eq!(escape_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(escape_cell("ana"), "ana");
/// ```
pub fn escape_cell(cell: &str) -> Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

fn csv_error(e: impl std::error::Error + Send + Sync + 'static) -> Error {
    Error::new(ErrorKind::Import, "cannot write csv").with_source(e)
}

/// Writes rows of any table as CSV: a header row of [`Row::COLUMNS`]' names, then one
/// record per row, every text cell escaped.
///
/// ```
/// use creator_crm::{export::write_csv, merge::VideoProduct};
/// let links = [VideoProduct { video_id: "7".into(), product_id: "=1+1".into() }];
/// let mut out = Vec::new();
/// write_csv(&links, &mut out).unwrap();
/// assert_eq!(String::from_utf8(out).unwrap(), "video_id,product_id\n7,'=1+1\n");
/// ```
///
/// # Errors
/// [`ErrorKind::Import`] when the writer fails.
pub fn write_csv<'r, R, W>(rows: impl IntoIterator<Item = &'r R>, out: W) -> Result<()>
where
    R: Row + 'r,
    W: Write,
{
    let mut w = csv::Writer::from_writer(out);
    w.write_record(R::column_names()).map_err(csv_error)?;
    let mut buf = String::new();
    for row in rows {
        for i in 0..R::COLUMNS.len() {
            match row.cell(i) {
                Cell::Null => w.write_field(""),
                Cell::Text(t) => w.write_field(escape_cell(&t).as_bytes()),
                cell @ (Cell::TextList(_) | Cell::Counts(_)) => {
                    buf.clear();
                    // Writing to a String cannot fail.
                    let _ = write!(buf, "{cell}");
                    w.write_field(escape_cell(&buf).as_bytes())
                }
                cell => {
                    buf.clear();
                    let _ = write!(buf, "{cell}");
                    w.write_field(buf.as_bytes())
                }
            }
            .map_err(csv_error)?;
        }
        w.write_record(None::<&[u8]>).map_err(csv_error)?;
    }
    w.flush().map_err(csv_error)?;
    Ok(())
}

/// Writes merged creators as CSV ([`write_csv`] of the creator table).
///
/// # Errors
/// [`ErrorKind::Import`] when the writer fails.
pub fn write_creators_csv<W: Write>(creators: &[Creator], out: W) -> Result<()> {
    write_csv(creators, out)
}

/// The tables of a merge that [`write_merge_table`] writes, by name: the related records,
/// the conflicts, and the report's files and rejected rows.
pub const MERGE_TABLES: [&str; 10] = [
    Creator::TABLE,
    Sample::TABLE,
    Video::TABLE,
    VideoProduct::TABLE,
    Snapshot::TABLE,
    BrandLink::TABLE,
    Product::TABLE,
    Conflict::TABLE,
    FileReport::TABLE,
    Rejected::TABLE,
];

/// Writes the merge's table `table` (one of [`MERGE_TABLES`]) as CSV ([`write_csv`]).
///
/// ```
/// use creator_crm::{
///     export::write_merge_table,
///     merge::{Finish, MergeOptions, Merger},
/// };
/// let result = Merger::new(MergeOptions::default()).finish(Finish::Everything);
/// let mut out = Vec::new();
/// write_merge_table(&result, "brand_links", &mut out).unwrap();
/// assert_eq!(String::from_utf8(out).unwrap(), "brand,tiktok_username\n");
/// assert_eq!(write_merge_table(&result, "brands", Vec::new()).unwrap_err().field(), Some("table"));
/// ```
///
/// # Errors
/// [`ErrorKind::InvalidInput`] on field `table` for a name not in [`MERGE_TABLES`];
/// [`ErrorKind::Import`] when the writer fails.
pub fn write_merge_table<W: Write>(result: &MergeResult, table: &str, out: W) -> Result<()> {
    match table {
        Creator::TABLE => write_csv(&result.creators, out),
        Sample::TABLE => write_csv(&result.samples, out),
        Video::TABLE => write_csv(&result.videos, out),
        VideoProduct::TABLE => write_csv(&result.video_products, out),
        Snapshot::TABLE => write_csv(&result.snapshots, out),
        BrandLink::TABLE => write_csv(&result.brand_links, out),
        Product::TABLE => write_csv(&result.products, out),
        Conflict::TABLE => write_csv(&result.conflicts, out),
        FileReport::TABLE => write_csv(&result.report.files, out),
        Rejected::TABLE => write_csv(&rejected_rows(&result.report).collect::<Vec<_>>(), out),
        _ => Err(unknown_table(&MERGE_TABLES)),
    }
}

/// The tables of a [`Dashboard`] that [`write_dashboard_table`] writes, named as its fields.
pub const DASHBOARD_TABLES: [&str; 9] = [
    "top_by_gmv",
    "top_by_items_sold",
    "top_by_orders",
    "trending",
    "videos_by_creator",
    "products",
    "conversion_by_creator",
    "conversion_by_product",
    "conversion_overall",
];

/// Writes the dashboard's table `table` (one of [`DASHBOARD_TABLES`]) as CSV
/// ([`write_csv`]); `conversion_overall` is one row.
///
/// # Errors
/// [`ErrorKind::InvalidInput`] on field `table` for a name not in [`DASHBOARD_TABLES`];
/// [`ErrorKind::Import`] when the writer fails.
pub fn write_dashboard_table<W: Write>(dashboard: &Dashboard, table: &str, out: W) -> Result<()> {
    let d = dashboard;
    match table {
        "top_by_gmv" => write_csv::<Performer, _>(&d.top_by_gmv, out),
        "top_by_items_sold" => write_csv::<Performer, _>(&d.top_by_items_sold, out),
        "top_by_orders" => write_csv::<Performer, _>(&d.top_by_orders, out),
        "trending" => write_csv::<Trend, _>(&d.trending, out),
        "videos_by_creator" => write_csv::<CreatorVideoPerformance, _>(&d.videos_by_creator, out),
        "products" => write_csv::<ProductPerformance, _>(&d.products, out),
        "conversion_by_creator" => write_csv::<CreatorConversion, _>(&d.conversion_by_creator, out),
        "conversion_by_product" => write_csv::<ProductConversion, _>(&d.conversion_by_product, out),
        "conversion_overall" => {
            write_csv::<ConversionOverall, _>(std::iter::once(&d.conversion_overall), out)
        }
        _ => Err(unknown_table(&DASHBOARD_TABLES)),
    }
}

/// Every table of the dashboard as CSV text, in the order of [`DASHBOARD_TABLES`].
///
/// # Errors
/// [`ErrorKind::Import`] when a table cannot be written (it cannot, into memory).
pub fn dashboard_csv(
    dashboard: &Dashboard,
) -> Result<[(&'static str, String); DASHBOARD_TABLES.len()]> {
    let mut tables = DASHBOARD_TABLES.map(|name| (name, String::new()));
    for (name, text) in &mut tables {
        *text = to_csv_string(|out| write_dashboard_table(dashboard, name, out))?;
    }
    Ok(tables)
}

/// The CSV that `write` writes, as text.
///
/// # Errors
/// What `write` returns.
pub fn to_csv_string(write: impl FnOnce(&mut Vec<u8>) -> Result<()>) -> Result<String> {
    let mut out = Vec::new();
    write(&mut out)?;
    // Every cell is written from Rust strings, so the output is UTF-8.
    String::from_utf8(out).map_err(csv_error)
}

fn unknown_table(names: &[&str]) -> Error {
    Error::invalid(
        "table",
        format!("unknown table; one of {}", names.join(", ")),
    )
}

#[cfg(test)]
mod tests;
