//! Streaming CSV reader for the source exports.

use std::{
    borrow::Cow,
    hash::{BuildHasher, Hasher},
    io::Read,
};

use csv::{ByteRecord, StringRecord};

use super::{
    Column, ColumnIndex, ColumnMapping, SourceKind,
    decode::{SkipBom, decode_cell},
};
use crate::error::{Error, ErrorKind, Result};

/// One source row seen through its canonical columns, without copying cells.
///
/// A row comes from a CSV record ([`SourceReader::read_row`]) or from in-memory
/// `(column, value)` cells ([`RawRow::from_cells`]), as bindings pass them.
#[derive(Clone, Copy)]
pub struct RawRow<'a> {
    repr: Repr<'a>,
}

#[derive(Clone, Copy)]
enum Repr<'a> {
    /// A record that is valid UTF-8 as a whole (checked once, not per cell).
    Text {
        record: &'a StringRecord,
        columns: &'a ColumnIndex,
    },
    /// A record with bytes that are not UTF-8: each cell is decoded on its own.
    Record {
        record: &'a ByteRecord,
        columns: &'a ColumnIndex,
    },
    Cells(&'a [(Column, &'a str)]),
}

impl std::fmt::Debug for RawRow<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RawRow(<redacted>)")
    }
}

/// The range of `b` without leading and trailing ASCII whitespace.
fn trimmed(b: &[u8]) -> std::ops::Range<usize> {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    start..end
}

fn trim_bytes(b: &[u8]) -> &[u8] {
    b.get(trimmed(b)).unwrap_or(&[])
}

/// `s` without leading and trailing ASCII whitespace (ASCII bytes are always character
/// boundaries).
fn trim_str(s: &str) -> &str {
    s.get(trimmed(s.as_bytes())).unwrap_or("")
}

impl<'a> RawRow<'a> {
    /// A row made of in-memory cells. Later cells for the same column are ignored.
    pub fn from_cells(cells: &'a [(Column, &'a str)]) -> RawRow<'a> {
        RawRow {
            repr: Repr::Cells(cells),
        }
    }

    /// The trimmed cell of `column`; `None` when the column is absent or the cell blank.
    pub fn get(&self, column: Column) -> Option<Cow<'a, str>> {
        match self.repr {
            Repr::Text { record, columns } => {
                let t = trim_str(record.get(columns.position(column)?)?);
                (!t.is_empty()).then_some(Cow::Borrowed(t))
            }
            Repr::Record { record, columns } => {
                let raw = record.get(columns.position(column)?)?;
                let t = trim_bytes(raw);
                if t.is_empty() {
                    return None;
                }
                let s = decode_cell(t);
                match s {
                    Cow::Borrowed(b) => Some(Cow::Borrowed(b)),
                    Cow::Owned(o) => {
                        let t = o.trim();
                        (!t.is_empty()).then(|| Cow::Owned(t.to_owned()))
                    }
                }
            }
            Repr::Cells(cells) => {
                let (_, v) = cells.iter().find(|(c, _)| *c == column)?;
                let t = v.trim();
                (!t.is_empty()).then_some(Cow::Borrowed(t))
            }
        }
    }

    /// A 64-bit fingerprint of the row's content, used to count duplicate rows.
    pub fn content_hash(&self) -> u64 {
        let state = ahash::RandomState::with_seeds(1, 2, 3, 4);
        match self.repr {
            Repr::Text { record, .. } => {
                let mut h = state.build_hasher();
                for cell in record {
                    h.write(trim_bytes(cell.as_bytes()));
                    h.write_u8(0x1f);
                }
                h.finish()
            }
            Repr::Record { record, .. } => {
                let mut h = state.build_hasher();
                for cell in record {
                    h.write(trim_bytes(cell));
                    h.write_u8(0x1f);
                }
                h.finish()
            }
            Repr::Cells(cells) => {
                let mut sorted: Vec<(Column, &str)> =
                    cells.iter().map(|(c, v)| (*c, v.trim())).collect();
                sorted.sort_unstable();
                state.hash_one(&sorted)
            }
        }
    }
}

/// Reads one source export row by row, with 1-based line numbers.
///
/// A row's line is the line its record starts on (a quoted cell may span lines). Blank lines
/// are skipped; a record right after blank lines reports the first of them, as the `csv`
/// crate counts them into the record.
///
/// ```
/// use creator_crm::import::{ColumnMapping, SourceKind, SourceReader, Column};
/// let csv = "Username,Phone #\n@Ana.B,(+1)3159212129\n";
/// let mut reader = SourceReader::new(SourceKind::PhoneNumbers, csv.as_bytes(), &ColumnMapping::new()).unwrap();
/// let (line, row) = reader.read_row().unwrap().unwrap();
/// assert_eq!(line, 2);
/// assert_eq!(row.get(Column::Handle).as_deref(), Some("@Ana.B"));
/// ```
pub struct SourceReader<R: Read> {
    kind: SourceKind,
    csv: csv::Reader<SkipBom<R>>,
    columns: ColumnIndex,
    /// The last record when it was not UTF-8 (or the buffer to read the next one into).
    record: Option<ByteRecord>,
    /// The last record when it was valid UTF-8.
    text: Option<StringRecord>,
    first: bool,
    description_rows: u64,
}

impl<R: Read> std::fmt::Debug for SourceReader<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SourceReader")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

impl<R: Read> SourceReader<R> {
    /// Reads the header row of a `kind` export and resolves its columns.
    ///
    /// # Errors
    /// [`ErrorKind::Import`] when the file cannot be read, is empty, or lacks a column the
    /// kind needs (the error's field names the column).
    pub fn new(kind: SourceKind, reader: R, mapping: &ColumnMapping) -> Result<Self> {
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(SkipBom::new(reader));
        let mut header = ByteRecord::new();
        let found = csv
            .read_byte_record(&mut header)
            .map_err(|e| Error::new(ErrorKind::Import, "cannot read header row").with_source(e))?;
        if !found {
            return Err(Error::new(ErrorKind::Import, "empty file"));
        }
        let columns = ColumnIndex::from_headers(header.iter(), mapping);
        for &need in kind.required_columns() {
            if !need.iter().any(|c| columns.has(*c)) {
                let name = need.first().map_or("column", |c| c.as_str());
                return Err(
                    Error::new(ErrorKind::Import, "missing required column").with_field(name)
                );
            }
        }
        Ok(SourceReader {
            kind,
            csv,
            columns,
            record: None,
            text: None,
            first: true,
            description_rows: 0,
        })
    }

    /// The resolved columns.
    pub fn columns(&self) -> &ColumnIndex {
        &self.columns
    }

    /// The source kind being read.
    pub fn kind(&self) -> SourceKind {
        self.kind
    }

    /// How many description rows (sample_orders' row under the header) were skipped.
    pub fn description_rows(&self) -> u64 {
        self.description_rows
    }

    /// The next non-blank row and its 1-based line, or `None` at the end of the file.
    ///
    /// # Errors
    /// [`ErrorKind::Import`] when the underlying reader fails; the file cannot go on.
    pub fn read_row(&mut self) -> Result<Option<(u64, RawRow<'_>)>> {
        // Reuse the last record's buffers, whichever form it was left in.
        let mut record = match (self.record.take(), self.text.take()) {
            (Some(r), _) => r,
            (None, Some(t)) => t.into_byte_record(),
            (None, None) => ByteRecord::new(),
        };
        loop {
            let read = self.csv.read_byte_record(&mut record);
            let more = match read {
                Ok(more) => more,
                Err(e) => {
                    let line = e.position().map_or(0, csv::Position::line);
                    self.record = Some(record);
                    return Err(Error::new(ErrorKind::Import, "cannot read row")
                        .with_line(line)
                        .with_source(e));
                }
            };
            if !more {
                self.record = Some(record);
                return Ok(None);
            }
            if record.iter().all(|c| trim_bytes(c).is_empty()) {
                continue;
            }
            let first = std::mem::replace(&mut self.first, false);
            if first && self.is_description_row(&record) {
                self.description_rows += 1;
                continue;
            }
            let line = record.position().map_or(0, csv::Position::line);
            // One UTF-8 check for the whole record; cells of a record that is not UTF-8
            // are decoded one by one (cp1252).
            let repr = match StringRecord::from_byte_record(record) {
                Ok(text) => Repr::Text {
                    record: self.text.insert(text),
                    columns: &self.columns,
                },
                Err(e) => Repr::Record {
                    record: self.record.insert(e.into_byte_record()),
                    columns: &self.columns,
                },
            };
            return Ok(Some((line, RawRow { repr })));
        }
    }

    /// sample_orders exports carry a row describing each column right under the header
    /// (`Platform unique order ID.`): an order id cell with no digit at all.
    fn is_description_row(&self, record: &ByteRecord) -> bool {
        if self.kind != SourceKind::SampleOrders {
            return false;
        }
        let Some(cell) = self
            .columns
            .position(Column::OrderId)
            .and_then(|p| record.get(p))
        else {
            return false;
        };
        let cell = trim_bytes(cell);
        !cell.is_empty() && !cell.iter().any(u8::is_ascii_digit)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn description_row_is_skipped_and_lines_are_kept() {
        let csv = "Order ID,Buyer Username,Recipient\n\
                   Platform unique order ID.,Buyer's TikTok username,Name of the recipient\n\
                   5770001,@ana,\"Ana, B\"\n\
                   \n\
                   5770002,bob,\"multi\nline\"\n\
                   5770003,cy,x\n";
        let mut r = SourceReader::new(
            SourceKind::SampleOrders,
            csv.as_bytes(),
            &ColumnMapping::new(),
        )
        .unwrap();
        let mut seen = Vec::new();
        while let Some((line, row)) = r.read_row().unwrap() {
            seen.push((line, row.get(Column::Handle).unwrap().into_owned()));
        }
        assert_eq!(r.description_rows(), 1);
        assert_eq!(
            seen,
            // The csv crate skips blank lines and counts them into the next record.
            vec![(3, "@ana".into()), (4, "bob".into()), (7, "cy".into())]
        );
    }

    #[test]
    fn missing_required_column_is_an_import_error() {
        let e = SourceReader::new(
            SourceKind::Euka,
            "email,phone\n".as_bytes(),
            &ColumnMapping::new(),
        )
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Import);
        assert_eq!(e.field(), Some("handle"));
        let e =
            SourceReader::new(SourceKind::Euka, "".as_bytes(), &ColumnMapping::new()).unwrap_err();
        assert_eq!(e.reason(), "empty file");
    }

    #[test]
    fn bom_cp1252_short_rows_and_blank_cells() {
        let csv = b"\xEF\xBB\xBFhandle,first name,email\nana,Jos\xE9\nbob,  ,\n";
        let mut r = SourceReader::new(SourceKind::Euka, &csv[..], &ColumnMapping::new()).unwrap();
        let (_, row) = r.read_row().unwrap().unwrap();
        assert_eq!(row.get(Column::Handle).as_deref(), Some("ana"));
        assert_eq!(row.get(Column::FirstName).as_deref(), Some("José"));
        assert_eq!(row.get(Column::Email), None);
        let (_, row) = r.read_row().unwrap().unwrap();
        assert_eq!(row.get(Column::FirstName), None);
        assert!(r.read_row().unwrap().is_none());
    }

    #[test]
    fn in_memory_cells() {
        let cells = [(Column::Handle, " @x "), (Column::Email, "")];
        let row = RawRow::from_cells(&cells);
        assert_eq!(row.get(Column::Handle).as_deref(), Some("@x"));
        assert_eq!(row.get(Column::Email), None);
        assert_eq!(format!("{row:?}"), "RawRow(<redacted>)");
    }
}
