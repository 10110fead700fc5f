//! Routing: one file's rows, read once, each sent to the partition of its normalized
//! handle with what the merge needs of it (its line, content fingerprint and cells), and
//! the file's manifest for the driver.
//!
//! A routed-rows blob (tag `Rows`) is the envelope, then `file: u32 LE`,
//! `partition: u32 LE`, then rows, each:
//!
//! ```text
//! line (varint)  fingerprint (u64 LE)  cells (u8)  { column (u8)  len (varint)  utf-8 }*
//! ```
//!
//! where a column is its index in [`Column::ALL`] and a cell is the trimmed, non-blank
//! text [`crate::import::RawRow::get`] gave for the record (cp1252 already decoded).

use std::io::Read;

use serde::{Deserialize, Serialize};

use super::{
    blob::{self, Reader, Tag, put_varint},
    partition_of_name,
    plan::PartitionPlan,
};
use crate::{
    error::{Error, ErrorKind, Result},
    identity::Handle,
    import::{Column, RawRow, SourceKind, SourceReader},
};

/// Rows of one partition are cut into blobs of about this many bytes.
const CHUNK_BYTES: usize = 4 << 20;

/// A file-level failure as a manifest carries it: kind, reason, field and line, as the
/// one-machine merge raises it (no value from the file).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct FileError {
    import: bool,
    reason: String,
    field: Option<String>,
    line: Option<u64>,
}

impl FileError {
    fn of(e: &Error) -> Self {
        FileError {
            import: e.kind() != ErrorKind::InvalidInput,
            reason: e.reason().to_owned(),
            field: e.field().map(str::to_owned),
            line: e.line(),
        }
    }

    fn error(&self) -> Error {
        let kind = if self.import {
            ErrorKind::Import
        } else {
            ErrorKind::InvalidInput
        };
        let mut e = Error::new(kind, self.reason.clone());
        if let Some(f) = &self.field {
            e = e.with_field(f.clone());
        }
        if let Some(l) = self.line {
            e = e.with_line(l);
        }
        e
    }
}

/// What the driver needs of one file, whatever partitions its rows went to: the rows
/// read, the description rows skipped, and the file-level error, if any.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    file: u32,
    rows: u64,
    description_rows: u64,
    error: Option<FileError>,
}

impl Manifest {
    /// The id of the file this manifest is of.
    pub fn file(&self) -> u32 {
        self.file
    }

    /// Data rows routed (description and blank rows excluded).
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Description rows skipped (sample_orders' row under the header).
    pub fn description_rows(&self) -> u64 {
        self.description_rows
    }

    /// The error the one-machine merge would raise for this file (a header that cannot be
    /// read, a missing required column, a read failure), if any.
    pub fn error(&self) -> Option<Error> {
        self.error.as_ref().map(FileError::error)
    }

    /// The manifest as bytes, stamped with `plan`'s id.
    ///
    /// # Errors
    /// Never in practice.
    pub fn to_bytes(&self, plan: &PartitionPlan) -> Result<Vec<u8>> {
        blob::seal(Tag::Manifest, plan.id(), self)
    }

    /// A manifest [`Manifest::to_bytes`] gave under `plan`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidInput`] on field `blob` for bytes that are not a manifest of
    /// this plan, or name a file it does not have.
    pub fn from_bytes(plan: &PartitionPlan, bytes: &[u8]) -> Result<Self> {
        let m: Manifest = blob::open(Tag::Manifest, plan.id(), bytes)?;
        plan.file(m.file)?;
        Ok(m)
    }
}

/// One file routed: blobs of rows by partition (several per partition for a large file,
/// none for a partition no row went to), and the file's [`Manifest`].
#[derive(Debug, Clone)]
pub struct Routed {
    /// `(partition, routed-rows blob)`, in the order they were cut.
    pub parts: Vec<(u32, Vec<u8>)>,
    /// The file's manifest.
    pub manifest: Manifest,
}

/// The partition of a row of `kind`: its normalized handle's ([`super::partition_of`]);
/// a products row (no creator), its product id's; a row whose handle is missing or
/// invalid, its raw handle's (it is rejected there as in one process), or partition 0.
fn route_of(kind: SourceKind, row: &RawRow<'_>, partitions: u32, scratch: &mut String) -> u32 {
    let hashed = |text: &str| {
        let h = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
        u32::try_from(h % u64::from(partitions.max(1))).unwrap_or(0)
    };
    if kind == SourceKind::Products {
        return row.get(Column::ProductId).map_or(0, |id| hashed(&id));
    }
    let Some(raw) = row.get(Column::Handle).or_else(|| row.get(Column::Profile)) else {
        return 0;
    };
    match Handle::normalize_into(&raw, scratch) {
        Ok(()) => partition_of_name(scratch, partitions),
        Err(_) => hashed(&raw),
    }
}

/// The rows of one partition being cut into blobs.
struct Outbox {
    file: u32,
    plan: u64,
    open: Vec<Option<Vec<u8>>>,
    done: Vec<(u32, Vec<u8>)>,
}

impl Outbox {
    fn buffer(&mut self, partition: u32) -> Option<&mut Vec<u8>> {
        let slot = self.open.get_mut(partition as usize)?;
        if slot.is_none() {
            let mut b = blob::header(Tag::Rows, self.plan);
            b.extend_from_slice(&self.file.to_le_bytes());
            b.extend_from_slice(&partition.to_le_bytes());
            *slot = Some(b);
        }
        slot.as_mut()
    }

    fn cut_if_full(&mut self, partition: u32) {
        if let Some(slot) = self.open.get_mut(partition as usize)
            && slot.as_ref().is_some_and(|b| b.len() >= CHUNK_BYTES)
            && let Some(b) = slot.take()
        {
            self.done.push((partition, b));
        }
    }

    fn finish(mut self) -> Vec<(u32, Vec<u8>)> {
        for (p, slot) in (0u32..).zip(self.open) {
            if let Some(b) = slot {
                self.done.push((p, b));
            }
        }
        self.done
    }
}

/// Reads file `file` of `plan` from `reader` and routes every data row to exactly one
/// partition.
///
/// A file that cannot be read (no header, a missing required column, a read failure
/// part way) is not an error here: its manifest carries the error, which
/// [`super::combine_report`] raises as the one-machine merge does; rows read before a
/// failure part way are routed.
///
/// # Errors
/// [`ErrorKind::InvalidInput`] on field `file` for an id the plan does not have.
pub fn route_csv<R: Read>(plan: &PartitionPlan, file: u32, reader: R) -> Result<Routed> {
    let planned = plan.file(file)?;
    let kind = planned.kind;
    let mut manifest = Manifest {
        file,
        rows: 0,
        description_rows: 0,
        error: None,
    };
    let mut src = match SourceReader::new(kind, reader, &crate::import::ColumnMapping::new()) {
        Ok(src) => src,
        Err(e) => {
            manifest.error = Some(FileError::of(&e));
            return Ok(Routed {
                parts: Vec::new(),
                manifest,
            });
        }
    };
    let columns: Vec<(u8, Column)> = (0u8..)
        .zip(Column::ALL.iter().copied())
        .filter(|(_, c)| src.columns().has(*c))
        .collect();
    let mut out = Outbox {
        file,
        plan: plan.id(),
        open: vec![None; plan.partitions() as usize],
        done: Vec::new(),
    };
    let mut scratch = String::new();
    loop {
        match src.read_row() {
            Ok(Some((line, row))) => {
                manifest.rows += 1;
                let p = route_of(kind, &row, plan.partitions(), &mut scratch);
                if let Some(buf) = out.buffer(p) {
                    encode_row(buf, line, &row, &columns);
                }
                out.cut_if_full(p);
            }
            Ok(None) => break,
            Err(e) => {
                manifest.error = Some(FileError::of(&e));
                break;
            }
        }
    }
    manifest.description_rows = src.description_rows();
    Ok(Routed {
        parts: out.finish(),
        manifest,
    })
}

fn encode_row(buf: &mut Vec<u8>, line: u64, row: &RawRow<'_>, columns: &[(u8, Column)]) {
    put_varint(buf, line);
    buf.extend_from_slice(&row.fingerprint().to_le_bytes());
    let count_at = buf.len();
    buf.push(0);
    let mut n = 0u8;
    for &(i, c) in columns {
        if let Some(v) = row.get(c) {
            buf.push(i);
            put_varint(buf, v.len() as u64);
            buf.extend_from_slice(v.as_bytes());
            n += 1;
        }
    }
    if let Some(slot) = buf.get_mut(count_at) {
        *slot = n;
    }
}

/// The file and partition a routed-rows blob is of, and its rows.
pub(super) struct RoutedRows<'a> {
    pub(super) file: u32,
    pub(super) partition: u32,
    rows: Reader<'a>,
}

impl<'a> RoutedRows<'a> {
    /// Opens a routed-rows blob of `plan`.
    pub(super) fn open(plan: &PartitionPlan, bytes: &'a [u8]) -> Result<Self> {
        let (id, body) = blob::split(Tag::Rows, bytes)?;
        blob::check_plan(id, plan.id())?;
        let mut rows = Reader { rest: body };
        let file = rows.u32()?;
        let partition = rows.u32()?;
        plan.file(file)?;
        plan.check_partition(partition)?;
        Ok(RoutedRows {
            file,
            partition,
            rows,
        })
    }

    /// Calls `add` with each row and its line; the first decoding error stops.
    pub(super) fn each(
        &mut self,
        cells: &mut Vec<(Column, &'a str)>,
        add: &mut dyn FnMut(u64, &RawRow<'_>) -> Result<()>,
    ) -> Result<()> {
        while !self.rows.is_empty() {
            let line = self.rows.varint()?;
            let fingerprint = self.rows.u64()?;
            let n = self.rows.u8()?;
            cells.clear();
            for _ in 0..n {
                let column = Column::ALL
                    .get(usize::from(self.rows.u8()?))
                    .copied()
                    .ok_or_else(blob::corrupt)?;
                let text = self.rows.str()?;
                if text.is_empty() {
                    return Err(blob::corrupt());
                }
                cells.push((column, text));
            }
            add(line, &RawRow::routed(cells, fingerprint))?;
        }
        Ok(())
    }
}
