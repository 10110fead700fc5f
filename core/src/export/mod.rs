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
    error::{Error, ErrorKind, Result},
    merge::Creator,
    table::{Cell, Row},
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

fn csv_error(e: csv::Error) -> Error {
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
    w.flush()
        .map_err(|e| Error::new(ErrorKind::Import, "cannot write csv").with_source(e))?;
    Ok(())
}

/// Writes merged creators as CSV ([`write_csv`] of the creator table).
///
/// # Errors
/// [`ErrorKind::Import`] when the writer fails.
pub fn write_creators_csv<W: Write>(creators: &[Creator], out: W) -> Result<()> {
    write_csv(creators, out)
}

#[cfg(test)]
mod tests;
