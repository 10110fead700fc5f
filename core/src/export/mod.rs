//! Writing results as CSV that is safe to open in a spreadsheet.
//!
//! A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is
//! a formula to Excel, LibreOffice and Google Sheets ("CSV injection"). Every
//! text cell written here goes through [`escape_cell`], which prefixes such a
//! cell with `'` (the OWASP recommendation) so it is shown as text. Numbers
//! the library formats itself are written as they are.

use std::{borrow::Cow, io::Write};

use crate::{
    error::{Error, ErrorKind, Result},
    merge::{Creator, Field},
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

/// The columns of [`write_creators_csv`], in order.
pub const CREATOR_COLUMNS: &[&str] = &[
    "tiktok_username",
    "email",
    "phone",
    "phone_masked",
    "phone_verified",
    "phone_mask_confirmed",
    "first_name",
    "last_name",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "zipcode",
    "country",
    "follower_count",
    "total_gmv",
    "outreach_status",
    "sources",
    "email_source",
    "phone_source",
    "alternates",
];

fn io_error(e: csv::Error) -> Error {
    Error::new(ErrorKind::Import, "cannot write csv").with_source(e)
}

/// Writes merged creators as CSV with a header row, every text cell escaped.
///
/// # Errors
/// [`ErrorKind::Import`] when the writer fails.
pub fn write_creators_csv<W: Write>(creators: &[Creator], out: W) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CREATOR_COLUMNS).map_err(io_error)?;
    for c in creators {
        let masked = c.phone_masked.as_ref().map(crate::merge::masked_text);
        let source = |f: Field| c.provenance_of(f).map_or("", |p| p.source.as_str());
        let sources = c
            .sources
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(";");
        let cells: [Cow<'_, str>; 21] = [
            escape_cell(c.handle.as_str()),
            escape_cell(c.email.as_ref().map_or("", |e| e.as_str())),
            escape_cell(c.phone.as_ref().map_or("", |p| p.as_str())),
            escape_cell(masked.as_deref().unwrap_or(""))
                .into_owned()
                .into(),
            Cow::Borrowed(if c.phone_verified { "true" } else { "false" }),
            Cow::Borrowed(if c.phone_mask_confirmed {
                "true"
            } else {
                "false"
            }),
            escape_cell(&c.first_name),
            escape_cell(&c.last_name),
            escape_cell(&c.address.line1),
            escape_cell(&c.address.line2),
            escape_cell(&c.address.city),
            escape_cell(&c.address.state),
            escape_cell(&c.address.zip),
            escape_cell(&c.address.country),
            Cow::Owned(c.follower_count.map_or_else(String::new, |n| n.to_string())),
            Cow::Owned(c.total_gmv.to_string()),
            Cow::Borrowed(c.outreach_status.as_str()),
            Cow::Owned(sources),
            Cow::Borrowed(source(Field::Email)),
            Cow::Borrowed(source(Field::Phone)),
            Cow::Owned(c.alternates.len().to_string()),
        ];
        w.write_record(cells.iter().map(|c| c.as_bytes()))
            .map_err(io_error)?;
    }
    w.flush()
        .map_err(|e| Error::new(ErrorKind::Import, "cannot write csv").with_source(e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_prefixes_are_escaped() {
        for bad in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(escape_cell(bad).starts_with('\''), "{bad:?}");
        }
        for ok in ["", "ana", "1", "'quoted", " =x"] {
            assert_eq!(escape_cell(ok), ok);
        }
    }
}
