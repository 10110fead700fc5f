//! Streaming CSV reader for the source exports.

use std::{borrow::Cow, io::Read};

use super::{
    Column, ColumnIndex, ColumnMapping, SourceKind,
    decode::{SkipBom, decode_cell},
    scan::{Fields, Record, Scanner},
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

/// Small on purpose (it is returned for every row): a record's text and a reference to
/// the reader's last record and columns.
#[derive(Clone, Copy)]
enum Repr<'a> {
    /// A record that is valid UTF-8 as a whole (checked once, not per cell).
    Text {
        text: &'a str,
        row: &'a Current,
    },
    /// A record with bytes that are not UTF-8: each cell is decoded on its own.
    Record {
        text: &'a [u8],
        row: &'a Current,
    },
    Cells(&'a [(Column, &'a str)]),
    /// Cells already read from a record (trimmed, non-blank) and that record's
    /// fingerprint, as a partitioned merge routes them (`merge::partition`).
    Routed {
        cells: &'a [(Column, &'a str)],
        fingerprint: u64,
    },
}

/// What a row view of a CSV record borrows from its [`SourceReader`].
#[derive(Debug)]
struct Current {
    /// The last record read.
    record: Record,
    /// The file's columns.
    columns: ColumnIndex,
}

impl std::fmt::Debug for RawRow<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RawRow(<redacted>)")
    }
}

/// The trimmed cell of `column` of a record that is not UTF-8, decoded (cp1252).
#[inline(never)]
fn decoded_cell<'a>(text: &'a [u8], row: &'a Current, column: Column) -> Option<Cow<'a, str>> {
    let fields = row.record.fields(text);
    let raw = fields.get(row.columns.position(column)?)?;
    let t = trim_bytes(raw);
    if t.is_empty() {
        return None;
    }
    match decode_cell(t) {
        Cow::Borrowed(b) => Some(Cow::Borrowed(b)),
        Cow::Owned(mut o) => {
            // Trimmed in place: the decoded text keeps its one allocation.
            let start = o.len() - o.trim_start().len();
            let len = o.trim().len();
            if len == 0 {
                return None;
            }
            o.truncate(start + len);
            o.drain(..start);
            Some(Cow::Owned(o))
        }
    }
}

/// An unescaped cell of a valid record (valid too), from the record's side buffer.
#[inline(never)]
fn side_text(side: &[u8], range: std::ops::Range<usize>) -> Option<&str> {
    std::str::from_utf8(side.get(range)?).ok()
}

/// Whether `b` starts and ends with a byte that is not ASCII white space: nearly every
/// cell does, and is then its own trimmed text.
#[inline]
fn edges_visible(b: &[u8]) -> bool {
    let visible = |c: Option<&u8>| c.is_some_and(|c| !c.is_ascii_whitespace());
    visible(b.first()) && visible(b.last())
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

/// `b` without leading and trailing ASCII whitespace.
#[inline]
fn trim_bytes(b: &[u8]) -> &[u8] {
    if edges_visible(b) {
        return b;
    }
    b.get(trimmed(b)).unwrap_or(&[])
}

/// `s` without leading and trailing ASCII whitespace (ASCII bytes are always character
/// boundaries).
#[inline]
fn trim_str(s: &str) -> &str {
    if edges_visible(s.as_bytes()) {
        return s;
    }
    s.get(trimmed(s.as_bytes())).unwrap_or("")
}

impl<'a> RawRow<'a> {
    /// A row made of in-memory cells. Later cells for the same column are ignored.
    pub fn from_cells(cells: &'a [(Column, &'a str)]) -> RawRow<'a> {
        RawRow {
            repr: Repr::Cells(cells),
        }
    }

    /// A row of cells that [`RawRow::get`] gave for a record, with the record's
    /// fingerprint: it reads and fingerprints as that record did.
    pub(crate) fn routed(cells: &'a [(Column, &'a str)], fingerprint: u64) -> RawRow<'a> {
        RawRow {
            repr: Repr::Routed { cells, fingerprint },
        }
    }

    /// The trimmed cell of `column`; `None` when the column is absent or the cell blank.
    #[inline]
    pub fn get(&self, column: Column) -> Option<Cow<'a, str>> {
        // Inlined at each call: the common case, a cell of a UTF-8 record, is a few
        // loads and compares; decoding is out of line.
        match self.repr {
            Repr::Text { text, row } => {
                let fields = row.record.fields(text.as_bytes());
                let cell = *fields.cells.get(row.columns.position(column)?)?;
                let (in_side, range) = cell.range();
                let s = if in_side {
                    side_text(fields.side, range)?
                } else {
                    text.get(range)?
                };
                let t = trim_str(s);
                (!t.is_empty()).then_some(Cow::Borrowed(t))
            }
            Repr::Record { text, row } => decoded_cell(text, row, column),
            Repr::Cells(cells) => {
                let (_, v) = cells.iter().find(|(c, _)| *c == column)?;
                let t = v.trim();
                (!t.is_empty()).then_some(Cow::Borrowed(t))
            }
            Repr::Routed { cells, .. } => {
                let (_, v) = cells.iter().find(|(c, _)| *c == column)?;
                (!v.is_empty()).then_some(Cow::Borrowed(*v))
            }
        }
    }

    /// A 64-bit fingerprint of the row's content, used to count duplicate rows.
    ///
    /// Rows whose cells are equal once trimmed of ASCII whitespace, in the same order, have
    /// equal fingerprints; different rows almost never do. Public only with the
    /// `internals` feature (for benchmarks; not a stable API).
    #[cfg(feature = "internals")]
    pub fn content_hash(&self) -> u64 {
        self.fingerprint()
    }

    /// The row's content fingerprint (see `content_hash`).
    pub(crate) fn fingerprint(&self) -> u64 {
        match self.repr {
            Repr::Text { text, row } => fingerprint(row.record.fields(text.as_bytes())),
            Repr::Record { text, row } => fingerprint(row.record.fields(text)),
            Repr::Cells(cells) => {
                let state = ahash::RandomState::with_seeds(1, 2, 3, 4);
                let mut sorted: Vec<(Column, &str)> =
                    cells.iter().map(|(c, v)| (*c, v.trim())).collect();
                sorted.sort_unstable();
                state.hash_one(&sorted)
            }
            Repr::Routed { fingerprint, .. } => fingerprint,
        }
    }
}

/// Multipliers of the fingerprint (the fractional digits of pi, as odd 64-bit numbers).
const FP: [u64; 4] = [
    0x243f_6a88_85a3_08d3,
    0x1319_8a2e_0370_7345,
    0xa409_3822_299f_31d1,
    0x082e_fa98_ec4e_6c89,
];

/// The 128-bit product of `a` and `b`, folded to 64 bits.
#[inline]
fn fold_mul(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

/// 8 bytes at `at` as a little-endian word (0 if out of range).
#[inline]
fn word_at(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 8)
        .and_then(|w| <[u8; 8]>::try_from(w).ok())
        .map_or(0, u64::from_le_bytes)
}

/// 4 bytes at `at` as a little-endian word (0 if out of range).
#[inline]
fn half_at(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 4)
        .and_then(|w| <[u8; 4]>::try_from(w).ok())
        .map_or(0, |w| u64::from(u32::from_le_bytes(w)))
}

/// One trimmed cell mixed with its length, independently of the other cells (so the
/// multiplications of consecutive cells overlap). Up to 16 bytes are read as two words,
/// overlapping when shorter: with the length, the words still determine the bytes.
#[inline]
fn cell_mix(t: &[u8]) -> u64 {
    let n = t.len();
    let (a, b) = if n > 16 {
        return long_cell_mix(t);
    } else if n >= 8 {
        (word_at(t, 0), word_at(t, n - 8))
    } else if n >= 4 {
        (half_at(t, 0) | (half_at(t, n - 4) << 32), 0)
    } else {
        let byte = |i: usize| u64::from(t.get(i).copied().unwrap_or(0));
        (
            byte(0) | (byte(n / 2) << 8) | (byte(n.wrapping_sub(1)) << 16),
            0,
        )
    };
    fold_mul(a ^ FP[2], b ^ n as u64 ^ FP[3])
}

/// [`cell_mix`] of a cell longer than 16 bytes: one multiplication per 16 bytes, chained.
#[inline(never)]
fn long_cell_mix(t: &[u8]) -> u64 {
    let n = t.len();
    let mut acc = FP[1];
    let mut at = 0;
    while n - at > 16 {
        acc = fold_mul(acc ^ word_at(t, at) ^ FP[2], word_at(t, at + 8) ^ FP[3]);
        at += 16;
    }
    fold_mul(
        acc ^ word_at(t, n - 16) ^ FP[2],
        word_at(t, n - 8) ^ n as u64 ^ FP[3],
    )
}

/// Fingerprint of a record's cells, trimmed of ASCII whitespace: each cell is mixed with
/// its length on its own, and the mixes are combined in order (an addition and a
/// rotation each), then the count of cells.
fn fingerprint(fields: Fields<'_>) -> u64 {
    let mut acc = FP[0];
    for cell in fields.iter() {
        acc = acc.wrapping_add(cell_mix(trim_bytes(cell))).rotate_left(23);
    }
    fold_mul(acc ^ FP[1], fields.cells.len() as u64 ^ FP[2])
}

/// Reads one source export row by row, with 1-based line numbers.
///
/// A row's line is the line its record starts on, the line a person opens: 1 plus the
/// `\n`s before it, in `\n`, `\r\n` and mixed files alike, blank lines and quoted cells
/// that span lines included.
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
    scanner: Scanner<SkipBom<R>>,
    /// The last record read and the columns.
    current: Current,
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
        let mut scanner = Scanner::new(SkipBom::new(reader));
        let mut header = Record::default();
        let found = scanner.read(&mut header).map_err(|e| {
            Error::new(ErrorKind::Import, "cannot read header row").with_source(e.source)
        })?;
        if !found {
            return Err(Error::new(ErrorKind::Import, "empty file"));
        }
        let columns = ColumnIndex::from_headers(scanner.fields(&header).iter(), mapping);
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
            scanner,
            current: Current {
                record: header,
                columns,
            },
            first: true,
            description_rows: 0,
        })
    }

    /// The resolved columns.
    pub fn columns(&self) -> &ColumnIndex {
        &self.current.columns
    }

    /// The source kind being read.
    pub fn kind(&self) -> SourceKind {
        self.kind
    }

    /// How many description rows (sample_orders' row under the header) were skipped.
    pub fn description_rows(&self) -> u64 {
        self.description_rows
    }

    /// Bytes of the input read so far, up to the end of the last row returned (the header
    /// and a byte order mark included).
    pub fn bytes_read(&self) -> u64 {
        self.scanner.consumed()
    }

    /// The next non-blank row and its 1-based line, or `None` at the end of the file.
    ///
    /// # Errors
    /// [`ErrorKind::Import`] when the underlying reader fails; the file cannot go on.
    pub fn read_row(&mut self) -> Result<Option<(u64, RawRow<'_>)>> {
        loop {
            let current = &mut self.current;
            let more = self.scanner.read(&mut current.record).map_err(|e| {
                Error::new(ErrorKind::Import, "cannot read row")
                    .with_line(e.line)
                    .with_source(e.source)
            })?;
            if !more {
                return Ok(None);
            }
            let fields = self.scanner.fields(&current.record);
            if fields.iter().all(|c| trim_bytes(c).is_empty()) {
                continue;
            }
            let first = std::mem::replace(&mut self.first, false);
            if first && is_description_row(self.kind, &current.columns, fields) {
                self.description_rows += 1;
                continue;
            }
            break;
        }
        let row = &self.current;
        // The record's cells are split at ASCII bytes, so they are all valid UTF-8 exactly
        // when the record is: one check (usually already made for its whole chunk), and
        // cells of a record that is not UTF-8 are decoded one by one (cp1252).
        let repr = match self.scanner.text(&row.record) {
            Some(text) => Repr::Text { text, row },
            None => {
                let text = self.scanner.fields(&row.record).text;
                match std::str::from_utf8(text) {
                    Ok(text) => Repr::Text { text, row },
                    Err(_) => Repr::Record { text, row },
                }
            }
        };
        Ok(Some((row.record.line(), RawRow { repr })))
    }
}

/// sample_orders exports carry a row describing each column right under the header
/// (`Platform unique order ID.`): an order id cell with no digit at all.
fn is_description_row(kind: SourceKind, columns: &ColumnIndex, fields: Fields<'_>) -> bool {
    if kind != SourceKind::SampleOrders {
        return false;
    }
    let Some(cell) = columns
        .position(Column::OrderId)
        .and_then(|p| fields.get(p))
    else {
        return false;
    };
    let cell = trim_bytes(cell);
    !cell.is_empty() && !cell.iter().any(u8::is_ascii_digit)
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
            // The description row is line 2; a blank line and a two-line cell are counted.
            vec![(3, "@ana".into()), (5, "bob".into()), (7, "cy".into())]
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

    /// The fingerprint of every row of `body` under a one-column header, in order.
    fn fingerprints(body: &[u8]) -> Vec<u64> {
        let mut csv = b"handle\n".to_vec();
        csv.extend_from_slice(body);
        let mut r = SourceReader::new(SourceKind::Euka, &csv[..], &ColumnMapping::new()).unwrap();
        let mut out = Vec::new();
        while let Some((_, row)) = r.read_row().unwrap() {
            out.push(row.fingerprint());
        }
        out
    }

    #[test]
    fn equal_trimmed_cells_have_equal_fingerprints() {
        let same = [
            &b"ana,b c,\n"[..],
            b"\"ana\", b c ,\"\"\n",
            b" ana ,\"b c\" ,\t\n",
            b"\"an\"a,\"b\" c,\r\n",
        ];
        for rows in same {
            let f = fingerprints(rows);
            assert_eq!(f.len(), 1);
            assert_eq!(f, fingerprints(same[0]), "{rows:?}");
        }
        // Long cells, in the text or unescaped into the side buffer.
        let long = "abcdefghijklmnopqrstuvwxyz0123456789";
        assert_eq!(
            fingerprints(format!("{long},x\n").as_bytes()),
            fingerprints(format!("\"{long}\" , x\n").as_bytes())
        );
        assert_eq!(
            fingerprints(b"a\"\"b,x\n"),
            fingerprints(b"\"a\"\"\"\"b\",x\n")
        );
    }

    #[test]
    fn different_cells_have_different_fingerprints() {
        let mut body = Vec::new();
        let rows = [
            "ana",
            "ana,",
            "ana,,",
            ",ana",
            "an,a",
            "\"an,a\"",
            "anb",
            "bna",
            "an a",
            "ana,b",
            "b,ana",
            "ab,na",
            // Every length around the 4-, 8- and 16-byte reads, one byte apart.
            "abcd",
            "abce",
            "abcdefgh",
            "abcdefgi",
            "bbcdefgh",
            "abcdefghi",
            "abcdefghj",
            "abcdefghijklmnop",
            "abcdefghijklmnoq",
            "bbcdefghijklmnop",
            "abcdefghijklmnopq",
            "abcdefghijklmnopr",
            "abcdefghijklmnopqrstuvwxyz012345",
            "abcdefghijklmnopqrstuvwxyz012346",
            "bbcdefghijklmnopqrstuvwxyz012345",
            "abcdefghijklmnopqrstuvwxyz0123456",
            "a",
            "b",
            "ab",
            "ba",
            "abc",
            "acb",
        ];
        for row in rows {
            body.extend_from_slice(row.as_bytes());
            body.push(b'\n');
        }
        let mut f = fingerprints(&body);
        assert_eq!(f.len(), rows.len());
        f.sort_unstable();
        f.dedup();
        assert_eq!(f.len(), rows.len());
    }

    #[test]
    fn records_not_utf8_decode_per_cell_and_fingerprint_alike() {
        let csv = b"handle,first name\nana,Jos\xE9\n\"ana\",Jos\xE9\nana,Jos\xC3\xA9\n";
        let mut r = SourceReader::new(SourceKind::Euka, &csv[..], &ColumnMapping::new()).unwrap();
        let mut seen = Vec::new();
        while let Some((line, row)) = r.read_row().unwrap() {
            let name = row.get(Column::FirstName).unwrap();
            seen.push((line, name.into_owned(), row.fingerprint()));
        }
        assert_eq!(seen[0].1, "José");
        assert_eq!(seen[2].1, "José");
        assert_eq!(seen[0].2, seen[1].2);
        assert_ne!(seen[0].2, seen[2].2);
        assert_eq!(seen.iter().map(|s| s.0).collect::<Vec<_>>(), vec![2, 3, 4]);
    }

    #[test]
    fn crlf_lf_and_mixed_files_report_the_line_a_person_opens() {
        let lines_of = |kind: SourceKind, csv: &str| {
            let mut r = SourceReader::new(kind, csv.as_bytes(), &ColumnMapping::new()).unwrap();
            let mut lines = Vec::new();
            while let Some((line, row)) = r.read_row().unwrap() {
                lines.push((line, row.get(Column::Handle).unwrap().into_owned()));
            }
            lines
        };
        let want = vec![(2, "ana".into()), (4, "bob".into()), (6, "cy".into())];
        let lf = "handle,email\nana,\"a\nb\"\nbob,\n\ncy,\n";
        assert_eq!(lines_of(SourceKind::Euka, lf), want);
        assert_eq!(lines_of(SourceKind::Euka, &lf.replace('\n', "\r\n")), want);
        let mixed = "handle,email\r\nana,\"a\nb\"\r\nbob,\n\r\ncy,\r\n";
        assert_eq!(lines_of(SourceKind::Euka, mixed), want);
        // The sample_orders description row under the header, in a CRLF export.
        let orders = "Order ID,Buyer Username\r\n\
                      Platform unique order ID.,Buyer's TikTok username\r\n\
                      5770001,ana\r\n\
                      5770002,\"bo\r\nb\"\r\n\
                      5770003,cy\r\n";
        assert_eq!(
            lines_of(SourceKind::SampleOrders, orders),
            vec![(3, "ana".into()), (4, "bo\r\nb".into()), (6, "cy".into())]
        );
    }

    #[test]
    fn io_errors_are_import_errors_with_the_line() {
        struct Fails(Vec<u8>);
        impl Read for Fails {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                if self.0.is_empty() {
                    return Err(std::io::Error::other("device gone"));
                }
                let n = self.0.len().min(buf.len()).min(4);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0.drain(..n);
                Ok(n)
            }
        }
        let mut r = SourceReader::new(
            SourceKind::Euka,
            Fails(b"handle\nana\nbob".to_vec()),
            &ColumnMapping::new(),
        )
        .unwrap();
        let (line, _) = r.read_row().unwrap().unwrap();
        assert_eq!(line, 2);
        let e = r.read_row().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Import);
        assert_eq!(e.reason(), "cannot read row");
        assert_eq!(e.line(), Some(3));
        assert!(r.read_row().unwrap().is_none());
        let e = SourceReader::new(SourceKind::Euka, Fails(Vec::new()), &ColumnMapping::new())
            .unwrap_err();
        assert_eq!(e.reason(), "cannot read header row");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]

        /// Two rows have the same fingerprint exactly when their trimmed cells are equal,
        /// however they are quoted or padded.
        #[test]
        fn fingerprints_follow_trimmed_cells(
            rows in proptest::collection::vec(
                proptest::collection::vec(
                    (proptest::sample::select(vec!["", "a", "b", "ab", "a,b", "a\"b", "x y", "0123456789abcdefgh"]),
                     proptest::sample::select(vec!["", " ", "\t"]),
                     proptest::bool::ANY),
                    1..4,
                ),
                2..6,
            )
        ) {
            let mut body = Vec::new();
            let mut cells: Vec<Vec<&str>> = Vec::new();
            for row in &rows {
                // A first cell that is never blank, so that no row is skipped.
                let mut line = String::from("h");
                let mut trimmed = vec!["h"];
                for (value, pad, quote) in row {
                    line.push(',');
                    let must_quote = value.contains(',') || value.contains('"');
                    if *quote || must_quote {
                        // Padding before a quote would make it a literal byte.
                        line.push('"');
                        line.push_str(&value.replace('"', "\"\""));
                        line.push('"');
                    } else {
                        line.push_str(pad);
                        line.push_str(value);
                    }
                    // After a closing quote, bytes are appended to the cell as they are.
                    line.push_str(pad);
                    trimmed.push(value.trim());
                }
                line.push_str("\r\n");
                body.extend_from_slice(line.as_bytes());
                cells.push(trimmed);
            }
            let f = fingerprints(&body);
            proptest::prop_assert_eq!(f.len(), cells.len());
            for i in 0..cells.len() {
                for j in 0..cells.len() {
                    proptest::prop_assert_eq!(f[i] == f[j], cells[i] == cells[j]);
                }
            }
        }
    }
}
