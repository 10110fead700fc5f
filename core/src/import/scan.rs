//! The CSV record scanner behind [`super::SourceReader`].
//!
//! It reads what the `csv` crate reads with `ReaderBuilder::new().has_headers(false)
//! .flexible(true)` (the reader this scanner replaced, kept as the reference in the tests):
//!
//! - fields are split at `,`; a field that *starts* with `"` is quoted: `,`, `\r` and `\n`
//!   inside it are data, and `""` is one `"`. A quote anywhere else is a literal byte, and
//!   the bytes after a closing quote up to the next `,` or terminator are appended to the
//!   field as they are. No escape byte, no comments.
//! - a record ends at the first `\r` or `\n` outside quotes; the `\n` of a `\r\n` and any
//!   blank lines are skipped before the next record. A quote still open at the end of the
//!   input ends the field and the record; a last record without a terminator is kept.
//! - records have any number of fields, and a record always has at least one.
//! - a UTF-8 byte order mark at the very start of what the scanner reads is dropped (as
//!   `csv_core` does; [`super::SourceReader`] reads through [`super::decode::SkipBom`],
//!   so a file that starts with two marks loses both, as it did with the `csv` crate).
//! - a record's line is 1 plus the number of `\n` bytes before its first byte: the line a
//!   person opens, in `\n`, `\r\n` and mixed files alike, after blank lines too. (Here
//!   the scanner differs from the `csv` crate, whose position is taken before it skips the
//!   `\n` of a preceding `\r\n` and any blank lines, so that in a `\r\n` file every
//!   record after the first reports the line before its own; the tests compare lines with
//!   that position moved past the bytes it skips.)
//! - a read error ends the input: it is returned once, with the line of the record being
//!   read, and reads after it find no record. Interrupted reads are retried.
//!
//! The input is read in large chunks into one buffer; a record cut by the end of a chunk is
//! scanned again once the rest is read (the buffer grows when one record fills it). Cells
//! are ranges of that buffer, except the few that must be rewritten (a quoted field with
//! `""` in it, or bytes after its closing quote), which are unescaped into a side buffer.
//! A chunk that is valid UTF-8 is kept as a `String` (checked once, as a whole), so a
//! record of it is a `str` slice with no check of its own.
//!
//! Finding the structural bytes (`,` `"` `\r` `\n`) is what costs: each 64-byte block of
//! a chunk is turned into a bit mask of them, in one branch-free pass the compiler
//! vectorizes, and the scanner then visits set bits only, so ordinary bytes are never
//! looked at one by one.

use std::io::{self, Read};

/// Bytes read from the source per chunk.
const CHUNK: usize = 256 * 1024;

/// The UTF-8 byte order mark.
const BOM: &[u8; 3] = b"\xEF\xBB\xBF";

/// The bit of [`Cell::start`] that marks a cell held in the side buffer. Buffer offsets
/// never reach it: no allocation is larger than `isize::MAX` bytes.
const SIDE: usize = 1 << (usize::BITS - 1);

/// Where one cell's bytes are: a range of the record's text, or of the side buffer when
/// the [`SIDE`] bit of `start` is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cell {
    /// First byte, relative to the record's start (or to the side buffer), with [`SIDE`].
    start: usize,
    /// One past the last byte, relative like `start` (without [`SIDE`]).
    end: usize,
}

impl Cell {
    /// The cell's range in its buffer, and whether that buffer is the side buffer.
    #[inline]
    pub(crate) fn range(self) -> (bool, std::ops::Range<usize>) {
        (self.start & SIDE != 0, (self.start & !SIDE)..self.end)
    }
}

/// The cells of the last record read, reused from one record to the next.
#[derive(Debug, Default)]
pub(crate) struct Record {
    /// One entry per field, in order.
    cells: Vec<Cell>,
    /// Unescaped copies of the fields that could not be borrowed from the text.
    side: Vec<u8>,
    /// Where the record's text starts in the scanner's buffer.
    start: usize,
    /// Where it ends (its terminator, or the end of the input).
    end: usize,
    /// The 1-based line the record starts on.
    line: u64,
}

impl Record {
    /// The 1-based line the record starts on.
    pub(crate) fn line(&self) -> u64 {
        self.line
    }

    /// The record's cells, given its text (as [`Scanner::fields`] or
    /// [`Scanner::text`] return it).
    pub(crate) fn fields<'a>(&'a self, text: &'a [u8]) -> Fields<'a> {
        Fields {
            text,
            side: &self.side,
            cells: &self.cells,
        }
    }
}

/// A read record's cells, borrowed from the scanner's buffer and the record's side buffer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields<'a> {
    /// The record's text, from its first byte to its terminator (excluded).
    pub(crate) text: &'a [u8],
    /// Cells that had to be unescaped.
    pub(crate) side: &'a [u8],
    /// Where each cell is in `text` or `side`.
    pub(crate) cells: &'a [Cell],
}

impl<'a> Fields<'a> {
    /// The bytes of cell `i`, unescaped, untrimmed.
    pub(crate) fn get(&self, i: usize) -> Option<&'a [u8]> {
        cell_in(*self.cells.get(i)?, self.text, self.side)
    }

    /// Every cell's bytes, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &'a [u8]> + 'a {
        let (text, side) = (self.text, self.side);
        self.cells
            .iter()
            .map(move |c| cell_in(*c, text, side).unwrap_or(&[]))
    }
}

/// Cell `cell` of a record whose text is `text` and side buffer `side`; `None` only if
/// the range is not in the buffer (never for a scanned record).
fn cell_in<'a>(cell: Cell, text: &'a [u8], side: &'a [u8]) -> Option<&'a [u8]> {
    let (in_side, range) = cell.range();
    if in_side {
        side.get(range)
    } else {
        text.get(range)
    }
}

/// An I/O error while reading a record, with the line that record started on.
#[derive(Debug)]
pub(crate) struct ReadError {
    /// The record's 1-based line.
    pub(crate) line: u64,
    /// What the reader returned.
    pub(crate) source: io::Error,
}

/// The chunk buffer, held as a `String` when it is all valid UTF-8 (checked once per
/// chunk), so that records of it are `str` slices without a check of their own.
#[derive(Debug)]
enum Chunk {
    /// Valid UTF-8: exactly the bytes read (`filled` of them).
    Text(String),
    /// Not (all) valid UTF-8, or being refilled: `filled` bytes read, then spare room.
    Bytes(Vec<u8>),
}

impl Default for Chunk {
    fn default() -> Self {
        Chunk::Bytes(Vec::new())
    }
}

impl Chunk {
    /// The buffer's bytes, whichever way it is held.
    fn bytes(&self) -> &[u8] {
        match self {
            Chunk::Text(s) => s.as_bytes(),
            Chunk::Bytes(v) => v,
        }
    }
}

/// Reads CSV records from `R` in chunks. See the [module docs](self).
pub(crate) struct Scanner<R> {
    reader: R,
    /// The chunk buffer: bytes `pos..filled` are read and not consumed yet.
    chunk: Chunk,
    /// The buffer's size: bytes are read until this many are held.
    capacity: usize,
    /// The first byte not consumed yet.
    pos: usize,
    /// How many bytes of the buffer were read.
    filled: usize,
    /// Bytes consumed before the buffer's first byte.
    consumed: u64,
    /// The reader returned 0.
    eof: bool,
    /// An error the reader returned after some bytes of a refill: returned when the
    /// scanner needs more than those bytes, as a buffered reader would.
    pending: Option<io::Error>,
    /// The reader failed: no more records, as with the `csv` crate.
    failed: bool,
    /// The start of the input was checked for a byte order mark.
    bom_checked: bool,
    /// 1 plus the `\n` bytes consumed so far.
    line: u64,
    /// The structural-byte mask of each 64-byte block of the buffer.
    masks: Vec<u64>,
    /// Structural bytes found in the buffer and not visited yet.
    events: Events,
}

impl<R> std::fmt::Debug for Scanner<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scanner")
            .field("line", &self.line)
            .finish_non_exhaustive()
    }
}

impl<R: Read> Scanner<R> {
    /// A scanner reading `reader` in [`CHUNK`]-byte chunks.
    pub(crate) fn new(reader: R) -> Self {
        Scanner::with_chunk(reader, CHUNK)
    }

    /// A scanner whose buffer starts at `chunk` bytes (at least 1; tests use tiny ones to
    /// cut records at every place).
    pub(crate) fn with_chunk(reader: R, chunk: usize) -> Self {
        Scanner {
            reader,
            chunk: Chunk::default(),
            capacity: chunk.max(1),
            pos: 0,
            filled: 0,
            consumed: 0,
            eof: false,
            pending: None,
            failed: false,
            bom_checked: false,
            line: 1,
            masks: Vec::new(),
            events: Events::default(),
        }
    }

    /// Bytes of the input consumed so far: up to the end of the last record read.
    pub(crate) fn consumed(&self) -> u64 {
        self.consumed + self.pos as u64
    }

    /// The cells of `record`, last filled by [`Scanner::read`] on this scanner.
    pub(crate) fn fields<'a>(&'a self, record: &'a Record) -> Fields<'a> {
        Fields {
            text: self
                .chunk
                .bytes()
                .get(record.start..record.end)
                .unwrap_or(&[]),
            side: &record.side,
            cells: &record.cells,
        }
    }

    /// The text of `record` as `str`, when the chunk it is in was valid UTF-8 (else the
    /// caller checks the record itself).
    pub(crate) fn text<'a>(&'a self, record: &Record) -> Option<&'a str> {
        match &self.chunk {
            Chunk::Text(s) => s.get(record.start..record.end),
            Chunk::Bytes(_) => None,
        }
    }

    /// Reads the next record into `record`; `false` at the end of the input (and after an
    /// I/O error was returned).
    ///
    /// # Errors
    /// The reader's error, with the line of the record being read.
    pub(crate) fn read(&mut self, record: &mut Record) -> Result<bool, ReadError> {
        match self.read_inner(record) {
            Ok(found) => Ok(found),
            Err(source) => {
                self.failed = true;
                // The line reached: where the record being read starts.
                Err(ReadError {
                    line: self.line,
                    source,
                })
            }
        }
    }

    /// [`Scanner::read`] without the line on errors.
    fn read_inner(&mut self, record: &mut Record) -> io::Result<bool> {
        if self.failed {
            return Ok(false);
        }
        if !self.bom_checked {
            while self.filled - self.pos < BOM.len() && !self.eof {
                self.refill()?;
            }
            if self.chunk.bytes().get(self.pos..self.pos + BOM.len()) == Some(BOM) {
                self.pos += BOM.len();
            }
            self.bom_checked = true;
        }
        // Blank lines, and the `\n` of the last record's `\r\n`.
        loop {
            let data = self.chunk.bytes();
            while self.pos < self.filled {
                match data.get(self.pos) {
                    Some(b'\n') => self.line += 1,
                    Some(b'\r') => {}
                    _ => break,
                }
                self.pos += 1;
            }
            if self.pos < self.filled {
                break;
            }
            if self.eof {
                return Ok(false);
            }
            self.refill()?;
        }
        // The record starts here, past the blank lines.
        record.line = self.line;
        loop {
            let data = self.chunk.bytes().get(..self.filled).unwrap_or(&[]);
            match parse(
                data,
                &self.masks,
                self.pos,
                self.eof,
                &mut self.events,
                record,
            ) {
                Some(end) => {
                    record.start = self.pos;
                    record.end = end.text_end;
                    self.pos = end.next;
                    self.line += end.newlines;
                    return Ok(true);
                }
                None => self.refill()?,
            }
        }
    }

    /// Moves the unconsumed bytes to the front (doubling the buffer when they fill it),
    /// reads until the buffer is full or the input ends, and checks the chunk for UTF-8.
    fn refill(&mut self) -> io::Result<()> {
        self.events.valid = false;
        let mut buf = match std::mem::take(&mut self.chunk) {
            Chunk::Text(s) => s.into_bytes(),
            Chunk::Bytes(v) => v,
        };
        if self.pos > 0 && self.pos <= self.filled && self.filled <= buf.len() {
            self.consumed += self.pos as u64;
            buf.copy_within(self.pos..self.filled, 0);
            self.filled -= self.pos;
            self.pos = 0;
        }
        let read = self.fill(&mut buf);
        // Bytes past `filled` are only left behind at the end of the input or an error.
        buf.truncate(self.filled);
        self.chunk = match String::from_utf8(buf) {
            Ok(s) => Chunk::Text(s),
            Err(e) => Chunk::Bytes(e.into_bytes()),
        };
        self.masks.clear();
        self.masks
            .extend(self.chunk.bytes().chunks(64).map(chunk_mask));
        read
    }

    /// Reads into `buf` from `filled` until `capacity` bytes are held or the input ends.
    /// An error after some bytes were read is kept for the next call.
    fn fill(&mut self, buf: &mut Vec<u8>) -> io::Result<()> {
        if let Some(e) = self.pending.take() {
            return Err(e);
        }
        let before = self.filled;
        if self.filled == self.capacity {
            self.capacity = self
                .capacity
                .checked_mul(2)
                .ok_or_else(|| io::Error::new(io::ErrorKind::OutOfMemory, "record too large"))?;
        }
        // Zeroed once per size: a full chunk keeps its length through the refills.
        buf.resize(self.capacity, 0);
        while self.filled < self.capacity && !self.eof {
            let Some(free) = buf.get_mut(self.filled..) else {
                break;
            };
            match self.reader.read(free) {
                Ok(0) => self.eof = true,
                Ok(n) => self.filled = self.filled.saturating_add(n).min(self.capacity),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if self.filled > before => {
                    self.pending = Some(e);
                    break;
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

/// A cursor over the structural bytes of the buffer, lowest first.
#[derive(Debug, Default, Clone, Copy)]
struct Events {
    /// The block being visited (its bytes start at `64 * block`).
    block: usize,
    /// Structural bytes of that block not visited yet.
    mask: u64,
    /// The cursor describes the buffer as it is (cleared when bytes move).
    valid: bool,
}

impl Events {
    /// Drops the events before `at`.
    #[inline]
    fn seek(&mut self, masks: &[u64], at: usize) {
        let block = at / 64;
        if !(self.valid && self.block == block) {
            self.block = block;
            self.mask = masks.get(block).copied().unwrap_or(0);
            self.valid = true;
        }
        self.mask &= u64::MAX << (at % 64);
    }

    /// The offset of the next structural byte, or `None` at the end of the buffer.
    #[inline]
    fn next(&mut self, masks: &[u64]) -> Option<usize> {
        while self.mask == 0 {
            let &mask = masks.get(self.block + 1)?;
            self.block += 1;
            self.mask = mask;
        }
        let i = self.mask.trailing_zeros() as usize;
        self.mask &= self.mask - 1;
        Some(self.block * 64 + i)
    }
}

/// The structural-byte mask of a block of at most 64 bytes (bits past its end clear).
#[inline]
fn chunk_mask(bytes: &[u8]) -> u64 {
    match <&[u8; 64]>::try_from(bytes) {
        Ok(block) => mask64(block),
        Err(_) => {
            let mut block = [0u8; 64];
            for (d, s) in block.iter_mut().zip(bytes) {
                *d = *s;
            }
            mask64(&block)
        }
    }
}

/// The structural-byte mask of one block. Written in two steps the compiler vectorizes
/// well: a 0/1 byte per input byte (vector compares), then each 8 of those gathered into 8
/// bits by one multiplication (byte `i` of the word lands on bit `56 + i`, and no two
/// partial products overlap, so nothing carries).
#[inline]
fn mask64(block: &[u8; 64]) -> u64 {
    let mut hits = [0u8; 64];
    for (h, &b) in hits.iter_mut().zip(block) {
        *h = u8::from((b == b',') | (b == b'"') | (b == b'\n') | (b == b'\r'));
    }
    let mut mask = 0u64;
    for (i, w) in hits.chunks_exact(8).enumerate() {
        let w = <[u8; 8]>::try_from(w).map_or(0, u64::from_le_bytes);
        mask |= (w.wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * i);
    }
    mask
}

/// Where a scanned record ends.
struct End {
    /// One past the record's last text byte (its terminator, or the end of the input).
    text_end: usize,
    /// Where the next record may start (past the terminator's first byte).
    next: usize,
    /// `\n` bytes consumed, the terminator's included.
    newlines: u64,
}

/// Scans the record starting at `start` (not a terminator byte) into `record`'s cells;
/// `None` when `data` ends inside it and more input may follow.
#[inline]
fn parse(
    data: &[u8],
    masks: &[u64],
    start: usize,
    eof: bool,
    events: &mut Events,
    record: &mut Record,
) -> Option<End> {
    // Working copies the compiler can keep in registers.
    let mut cells = std::mem::take(&mut record.cells);
    let mut ev = *events;
    cells.clear();
    record.side.clear();
    ev.seek(masks, start);
    let end = parse_fields(
        data,
        masks,
        start,
        eof,
        &mut ev,
        &mut cells,
        &mut record.side,
    );
    record.cells = cells;
    *events = ev;
    end
}

/// [`parse`] on its working copies.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn parse_fields(
    data: &[u8],
    masks: &[u64],
    start: usize,
    eof: bool,
    events: &mut Events,
    cells: &mut Vec<Cell>,
    side: &mut Vec<u8>,
) -> Option<End> {
    let mut newlines = 0;
    // The current field, unquoted so far, starts here.
    let mut from = start;
    loop {
        let Some(p) = events.next(masks) else {
            if !eof {
                return None;
            }
            cells.push(Cell {
                start: from - start,
                end: data.len() - start,
            });
            return Some(End {
                text_end: data.len(),
                next: data.len(),
                newlines,
            });
        };
        let b = data.get(p).copied().unwrap_or(b',');
        if b == b'"' {
            if p != from {
                // A quote inside an unquoted field is a literal byte.
                continue;
            }
            match quoted_field(
                data,
                masks,
                start,
                p,
                eof,
                events,
                cells,
                side,
                &mut newlines,
            )? {
                FieldEnd::Delimiter(at) => {
                    from = at + 1;
                    continue;
                }
                FieldEnd::Record(end) => return Some(end),
            }
        }
        cells.push(Cell {
            start: from - start,
            end: p - start,
        });
        if b == b',' {
            from = p + 1;
            continue;
        }
        return Some(End {
            text_end: p,
            next: p + 1,
            newlines: newlines + u64::from(b == b'\n'),
        });
    }
}

/// How a field ended.
enum FieldEnd {
    /// At the `,` at this offset.
    Delimiter(usize),
    /// With the record.
    Record(End),
}

/// Reads the quoted field opening at `open` and pushes its cell; `None` when `data` ends
/// inside it and more input may follow.
#[inline]
#[allow(clippy::too_many_arguments)]
fn quoted_field(
    data: &[u8],
    masks: &[u64],
    start: usize,
    open: usize,
    eof: bool,
    events: &mut Events,
    cells: &mut Vec<Cell>,
    side: &mut Vec<u8>,
    newlines: &mut u64,
) -> Option<FieldEnd> {
    let (close, doubled) = match quoted(data, masks, eof, events, newlines) {
        Quoted::Closed { close, doubled } => (close, doubled),
        Quoted::Open { doubled } => {
            // Unterminated at the end of the input: the field and the record end.
            let at = QuotedAt {
                start,
                open,
                close: data.len(),
                doubled,
            };
            return Some(end_at_input_end(data, at, cells, side, *newlines));
        }
        Quoted::NeedMore => return None,
    };
    // Bytes after the closing quote, quotes included, belong to the field up to the next
    // delimiter or terminator.
    loop {
        let Some(p) = events.next(masks) else {
            if !eof {
                return None;
            }
            let at = QuotedAt {
                start,
                open,
                close,
                doubled,
            };
            return Some(end_at_input_end(data, at, cells, side, *newlines));
        };
        let b = data.get(p).copied().unwrap_or(b',');
        if b == b'"' {
            continue;
        }
        let cell = quoted_cell(data, start, open, close, doubled, p, side);
        cells.push(cell);
        return Some(if b == b',' {
            FieldEnd::Delimiter(p)
        } else {
            FieldEnd::Record(End {
                text_end: p,
                next: p + 1,
                newlines: *newlines + u64::from(b == b'\n'),
            })
        });
    }
}

/// How a quoted field's quoted part ended.
enum Quoted {
    /// At this closing quote.
    Closed { close: usize, doubled: bool },
    /// Never: the input ended inside it.
    Open { doubled: bool },
    /// `data` ended inside it, or right after a quote, and more input may follow.
    NeedMore,
}

/// Scans a quoted field's content, from the event after its opening quote, counting `\n`.
#[inline]
fn quoted(
    data: &[u8],
    masks: &[u64],
    eof: bool,
    events: &mut Events,
    newlines: &mut u64,
) -> Quoted {
    let mut doubled = false;
    loop {
        let Some(p) = events.next(masks) else {
            return if eof {
                Quoted::Open { doubled }
            } else {
                Quoted::NeedMore
            };
        };
        match data.get(p) {
            Some(b'\n') => *newlines += 1,
            Some(b'"') => match data.get(p + 1) {
                Some(b'"') => {
                    // `""`: one quote of content; its second byte is the next event.
                    doubled = true;
                    events.next(masks);
                }
                Some(_) => return Quoted::Closed { close: p, doubled },
                None if eof => return Quoted::Closed { close: p, doubled },
                None => return Quoted::NeedMore,
            },
            _ => {}
        }
    }
}

/// Where a quoted field is: its first byte, its opening and closing quote, and whether it
/// holds doubled quotes.
struct QuotedAt {
    start: usize,
    open: usize,
    close: usize,
    doubled: bool,
}

/// The last quoted field of the input, ended by the end of the input, and the record
/// with it.
fn end_at_input_end(
    data: &[u8],
    at: QuotedAt,
    cells: &mut Vec<Cell>,
    side: &mut Vec<u8>,
    newlines: u64,
) -> FieldEnd {
    let end = data.len();
    let cell = quoted_cell(data, at.start, at.open, at.close, at.doubled, end, side);
    cells.push(cell);
    FieldEnd::Record(End {
        text_end: end,
        next: end,
        newlines,
    })
}

/// The cell of the quoted field whose quotes are at `open` and `close` (`close` is the
/// end of the input when it never closed) and which ends at `end`, in a record starting at
/// `start`: borrowed when it is the quoted content as it is, else unescaped into `side`.
fn quoted_cell(
    data: &[u8],
    start: usize,
    open: usize,
    close: usize,
    doubled: bool,
    end: usize,
    side: &mut Vec<u8>,
) -> Cell {
    let content = open + 1..close;
    let tail = (close + 1).min(end)..end;
    if !doubled && tail.is_empty() {
        return Cell {
            start: content.start - start,
            end: content.end - start,
        };
    }
    let from = side.len();
    unescape(data.get(content).unwrap_or(&[]), side);
    side.extend_from_slice(data.get(tail).unwrap_or(&[]));
    Cell {
        start: from | SIDE,
        end: side.len(),
    }
}

/// Appends quoted content to `out` with each `""` made one `"`.
fn unescape(content: &[u8], out: &mut Vec<u8>) {
    let mut rest = content;
    while let Some(q) = rest.iter().position(|&b| b == b'"') {
        out.extend_from_slice(rest.get(..=q).unwrap_or(&[]));
        // Quoted content only holds quotes in pairs: the second one is skipped.
        rest = rest.get(q + 2..).unwrap_or(&[]);
    }
    out.extend_from_slice(rest);
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use proptest::prelude::*;

    use super::*;
    use crate::import::decode::SkipBom;

    /// A record as compared: its line and its cells.
    type Rec = (u64, Vec<Vec<u8>>);

    /// What the `csv` crate reads, configured as the reader this scanner replaced, with
    /// each record's line moved past what the crate skips before the record (a BOM at
    /// the start, the `\n` of a preceding `\r\n`, blank lines): the line the record
    /// starts on.
    fn reference(bytes: &[u8]) -> Vec<Rec> {
        let mut stream = Vec::new();
        SkipBom::new(bytes).read_to_end(&mut stream).unwrap();
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(&stream[..]);
        let mut out = Vec::new();
        let mut rec = csv::ByteRecord::new();
        while rdr.read_byte_record(&mut rec).unwrap() {
            let pos = rec.position().unwrap();
            let mut at = usize::try_from(pos.byte()).unwrap();
            if at == 0 && stream.starts_with(BOM) {
                at = BOM.len();
            }
            let skipped = stream[at..]
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .filter(|&&b| b == b'\n')
                .count();
            out.push((
                pos.line() + skipped as u64,
                rec.iter().map(<[u8]>::to_vec).collect(),
            ));
        }
        out
    }

    /// A reader that hands out 1 to 7 bytes per call (the sizes cycle).
    struct Trickle<'a> {
        bytes: &'a [u8],
        n: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.n = self.n % 7 + 1;
            let k = self.n.min(buf.len()).min(self.bytes.len());
            let (head, rest) = self.bytes.split_at(k);
            buf[..k].copy_from_slice(head);
            self.bytes = rest;
            Ok(k)
        }
    }

    fn scan_with<R: Read>(reader: R, chunk: usize) -> Vec<Rec> {
        let mut s = Scanner::with_chunk(SkipBom::new(reader), chunk);
        let mut rec = Record::default();
        let mut out = Vec::new();
        while s.read(&mut rec).unwrap() {
            let cells = s.fields(&rec).iter().map(<[u8]>::to_vec).collect();
            out.push((rec.line(), cells));
        }
        out
    }

    /// Read from a slice, big chunks.
    fn scan(bytes: &[u8]) -> Vec<Rec> {
        scan_with(bytes, CHUNK)
    }

    /// Every way of reading `bytes` gives what the `csv` crate gives.
    fn check(bytes: &[u8]) {
        let want = reference(bytes);
        assert_eq!(scan(bytes), want, "slice, input {bytes:?}");
        for chunk in [1, 2, 3, 5, 64, 65] {
            assert_eq!(
                scan_with(Trickle { bytes, n: 0 }, chunk),
                want,
                "trickle, chunk {chunk}, input {bytes:?}"
            );
        }
        assert_eq!(scan_with(bytes, 7), want, "chunk 7, input {bytes:?}");
    }

    fn cells(rec: &[&str]) -> Vec<Vec<u8>> {
        rec.iter().map(|c| c.as_bytes().to_vec()).collect()
    }

    /// `bytes` reads as `want`, and every way of reading it agrees with the `csv` crate.
    fn expect(bytes: &[u8], want: Vec<Rec>) {
        assert_eq!(scan(bytes), want, "input {bytes:?}");
        check(bytes);
    }

    #[test]
    fn plain_records_and_terminators() {
        let want = vec![(1, cells(&["a", "b"])), (2, cells(&["c", "d", ""]))];
        expect(b"a,b\nc,d,\n", want.clone());
        // The last record needs no terminator.
        expect(b"a,b\nc,d,", want);
        // `\r\n`: each record on its own line (the csv crate says 1 for the second).
        expect(
            b"a,b\r\nc,d,\r\n",
            vec![(1, cells(&["a", "b"])), (2, cells(&["c", "d", ""]))],
        );
        // Mixed terminators.
        expect(
            b"a\r\nb\nc\r\nd",
            vec![
                (1, cells(&["a"])),
                (2, cells(&["b"])),
                (3, cells(&["c"])),
                (4, cells(&["d"])),
            ],
        );
        // A lone `\r` ends a record too.
        expect(
            b"a\rb\r\rc",
            vec![(1, cells(&["a"])), (1, cells(&["b"])), (1, cells(&["c"]))],
        );
        for input in [&b","[..], b",,\n,", b"\n", b"", b"x"] {
            check(input);
        }
    }

    #[test]
    fn a_record_after_blank_lines_reports_its_own_line() {
        expect(
            b"a\n\n\nb\n\r\n\rc\n\n",
            vec![(1, cells(&["a"])), (4, cells(&["b"])), (6, cells(&["c"]))],
        );
        expect(b"\n\n\r\n", vec![]);
        expect(b"\n\na", vec![(3, cells(&["a"]))]);
        expect(
            b"a\r\n\r\n\r\nb\r\n",
            vec![(1, cells(&["a"])), (4, cells(&["b"]))],
        );
    }

    #[test]
    fn quoted_fields() {
        // Delimiters and terminators inside quotes, doubled quotes, lines counted inside.
        expect(
            b"\"a,b\",\"c\nd\",\"e\"\"f\"\ng\n",
            vec![(1, cells(&["a,b", "c\nd", "e\"f"])), (3, cells(&["g"]))],
        );
        // Bytes after a closing quote are kept as they are, quotes included.
        expect(b"\"a\"b\"c,d", vec![(1, cells(&["ab\"c", "d"]))]);
        expect(b"\"a\" ,\"\"\n", vec![(1, cells(&["a ", ""]))]);
        // A quote inside an unquoted field is a literal byte.
        expect(b"a\"b,c\"\n", vec![(1, cells(&["a\"b", "c\""]))]);
        // `\r` after a closing quote ends the record.
        expect(
            b"\"a\"\r\n\"b\"\"\"\r\n",
            vec![(1, cells(&["a"])), (2, cells(&["b\""]))],
        );
        // A quoted cell over `\r\n` lines: the next record starts after them.
        expect(
            b"h\r\n\"x\r\ny\r\nz\",1\r\nnext\r\n",
            vec![
                (1, cells(&["h"])),
                (2, cells(&["x\r\ny\r\nz", "1"])),
                (5, cells(&["next"])),
            ],
        );
        for input in [&b"\"\"\"\""[..], b"\"\"\"", b"\"\"", b"\""] {
            check(input);
        }
    }

    #[test]
    fn unterminated_quote_ends_the_record_at_the_end() {
        expect(b"a,\"b\nc,d", vec![(1, cells(&["a", "b\nc,d"]))]);
        expect(b"\"b\"\"", vec![(1, cells(&["b\""]))]);
        expect(b"\"b\"", vec![(1, cells(&["b"]))]);
        check(b"x\n\"\n\n");
    }

    #[test]
    fn bom_is_dropped_once_at_the_start() {
        expect(b"\xEF\xBB\xBFa,b", vec![(1, cells(&["a", "b"]))]);
        expect(
            b"a\n\xEF\xBB\xBFb",
            vec![(1, cells(&["a"])), (2, vec![b"\xEF\xBB\xBFb".to_vec()])],
        );
        for input in [
            &b"\xEF\xBB\xBF"[..],
            b"\xEF\xBB",
            b"\xEF\xBB\xBF\xEF\xBB\xBFx",
            b"\xEF\xBB\xBF\xEF\xBB\xBF\xEF\xBB\xBFx",
            b"\xEF\xBB\xBF\"a\"",
        ] {
            check(input);
        }
    }

    #[test]
    fn long_records_span_chunks() {
        let mut input = Vec::new();
        for i in 0..2_000 {
            input.extend_from_slice(format!("{i},\"q{i}\nx\"\"y\",plain {i},").as_bytes());
            input.extend_from_slice(if i % 3 == 0 { b"\r\n" } else { b"\n" });
        }
        // A record larger than the chunk makes the buffer grow.
        input.extend_from_slice(&[b'z'; 300_000]);
        let want = reference(&input);
        assert_eq!(want.len(), 2_001);
        assert_eq!(scan(&input), want);
        assert_eq!(scan_with(&input[..], 100), want);
        assert_eq!(
            scan_with(
                Trickle {
                    bytes: &input,
                    n: 0
                },
                4096
            ),
            want
        );
    }

    #[test]
    fn io_errors_carry_the_line_and_end_the_input() {
        struct Fails<'a>(&'a [u8]);
        impl Read for Fails<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.0.is_empty() {
                    return Err(io::Error::other("disk gone"));
                }
                let k = self.0.len().min(buf.len());
                buf[..k].copy_from_slice(&self.0[..k]);
                self.0 = &self.0[k..];
                Ok(k)
            }
        }
        let mut s = Scanner::with_chunk(Fails(b"a\nb\n\"c\nd"), 1);
        let mut rec = Record::default();
        assert!(s.read(&mut rec).unwrap());
        assert!(s.read(&mut rec).unwrap());
        let e = s.read(&mut rec).unwrap_err();
        assert_eq!(e.line, 3);
        assert_eq!(e.source.to_string(), "disk gone");
        assert!(!s.read(&mut rec).unwrap());
    }

    #[test]
    fn interrupted_reads_are_retried() {
        struct Interrupts<'a>(&'a [u8], bool);
        impl Read for Interrupts<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                self.1 = !self.1;
                if self.1 {
                    return Err(io::ErrorKind::Interrupted.into());
                }
                let k = self.0.len().min(buf.len()).min(2);
                buf[..k].copy_from_slice(&self.0[..k]);
                self.0 = &self.0[k..];
                Ok(k)
            }
        }
        let input = b"a,b\r\n\"c\"\"\",d\n";
        assert_eq!(scan_with(Interrupts(input, false), 4), reference(input));
    }

    #[test]
    fn side_cells_and_borrowed_cells() {
        let mut s = Scanner::new(&b"a,\"b\",\"c\"\"\",\"d\"e\n"[..]);
        let mut rec = Record::default();
        assert!(s.read(&mut rec).unwrap());
        let f = s.fields(&rec);
        assert_eq!(f.text, b"a,\"b\",\"c\"\"\",\"d\"e");
        // Only the cells that must be rewritten are copied.
        assert_eq!(f.side, b"c\"de");
        let got: Vec<&[u8]> = f.iter().collect();
        assert_eq!(got, [&b"a"[..], b"b", b"c\"", b"de"]);
        assert_eq!(f.get(4), None);
    }

    /// Bytes heavy in CSV syntax, with letters, spaces and a few bytes that are not UTF-8.
    fn csv_bytes() -> impl Strategy<Value = Vec<u8>> {
        let byte = prop_oneof![
            4 => Just(b','),
            4 => Just(b'"'),
            2 => Just(b'\r'),
            3 => Just(b'\n'),
            2 => Just(b' '),
            6 => prop::sample::select(&b"abcxyz019"[..]),
            1 => prop::sample::select(&[0xE9u8, 0xEF, 0xBB, 0xBF, 0xC3, 0xA9, 0x80, 0xFF][..]),
        ];
        prop::collection::vec(byte, 0..200)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        #[test]
        fn records_equal_the_csv_crate(bytes in csv_bytes(), chunk in 1usize..80) {
            let want = reference(&bytes);
            prop_assert_eq!(&scan(&bytes), &want);
            prop_assert_eq!(&scan_with(Trickle { bytes: &bytes, n: chunk % 7 }, chunk), &want);
        }

        #[test]
        fn records_equal_the_csv_crate_after_a_bom(bytes in csv_bytes()) {
            let mut input = BOM.to_vec();
            input.extend_from_slice(&bytes);
            let want = reference(&input);
            prop_assert_eq!(&scan(&input), &want);
            prop_assert_eq!(&scan_with(Trickle { bytes: &input, n: 0 }, 3), &want);
        }
    }
}
