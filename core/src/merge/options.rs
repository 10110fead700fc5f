//! Merge settings: source priority, region, shared-email threshold, suppression, files.

use std::{fs::File, io::BufReader, path::Path, sync::Arc};

use chrono::NaiveDateTime;

use super::SuppressionList;
use crate::{
    ErrorKind,
    error::{Error, Result},
    identity::Region,
    import::{ColumnMapping, SourceKind},
};

/// Contact-field priority between sources, highest first.
///
/// [`SourceKind::Manual`] always ranks first whatever the order given: no import overwrites
/// a manual edit. Kinds left out rank below every listed kind, in their default order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcePriority {
    rank: [u8; SourceKind::ALL.len()],
}

// `rank` is indexed by a kind's discriminant: every one is below the number of kinds.
const _: () = {
    let mut i = 0;
    while i < SourceKind::ALL.len() {
        assert!((SourceKind::ALL[i] as usize) < SourceKind::ALL.len());
        i += 1;
    }
};

impl SourcePriority {
    /// The default: `manual > euka > phone_numbers > refunnel > sample_orders > videos > products`.
    pub const DEFAULT_ORDER: [SourceKind; 7] = [
        SourceKind::Manual,
        SourceKind::Euka,
        SourceKind::PhoneNumbers,
        SourceKind::Refunnel,
        SourceKind::SampleOrders,
        SourceKind::Videos,
        SourceKind::Products,
    ];

    /// A priority from `order`, highest first.
    pub fn new(order: impl IntoIterator<Item = SourceKind>) -> Self {
        let mut list: Vec<SourceKind> = vec![SourceKind::Manual];
        for k in order.into_iter().chain(Self::DEFAULT_ORDER) {
            if !list.contains(&k) {
                list.push(k);
            }
        }
        // Every kind is in `list` once (the default order lists them all), the first
        // ranked highest: `list.len()` down to 1.
        let mut rank = [0u8; SourceKind::ALL.len()];
        for (r, k) in (1u8..).zip(list.into_iter().rev()) {
            rank[k as usize] = r;
        }
        SourcePriority { rank }
    }

    /// Parses kind names, highest first (`["euka", "refunnel", …]`).
    ///
    /// # Errors
    /// `InvalidInput` on field `source kind` for an unknown name.
    pub fn from_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Self> {
        let kinds = names
            .into_iter()
            .map(str::parse)
            .collect::<Result<Vec<SourceKind>, Error>>()?;
        Ok(SourcePriority::new(kinds))
    }

    /// Higher is preferred: from 1 for the last kind to the number of kinds for `manual`.
    pub fn rank(&self, kind: SourceKind) -> u8 {
        self.rank[kind as usize]
    }
}

impl Default for SourcePriority {
    fn default() -> Self {
        SourcePriority::new(Self::DEFAULT_ORDER)
    }
}

/// Where an import stands, as told to a [`ProgressHook`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportProgress<'a> {
    /// The file's name, as in its [`SourceFile`].
    pub file: &'a str,
    /// The file's kind.
    pub kind: SourceKind,
    /// Bytes of the file read so far (header and byte order mark included).
    pub bytes_read: u64,
    /// The file's size when known (the size hint given to [`super::Merger::import_many`];
    /// unknown for [`super::Merger::import_csv`]).
    pub total_bytes: Option<u64>,
    /// Data rows read so far.
    pub rows_read: u64,
    /// True on the last call for this file, once it is read to its end (or failed).
    pub done: bool,
}

/// A progress callback for long imports, shared by every thread of an import.
///
/// Called every [`ProgressHook::EVERY_ROWS`] rows of a file and once at its end (with
/// [`ImportProgress::done`] set), from the thread that reads the file: with
/// [`super::Merger::import_many`] on several threads, calls for different files may come
/// from different threads at once. The callback should return quickly.
///
/// ```
/// use std::sync::{Arc, atomic::{AtomicU64, Ordering}};
/// use creator_crm::import::SourceKind;
/// use creator_crm::merge::{MergeOptions, Merger, ProgressHook, SourceFile};
///
/// let seen = Arc::new(AtomicU64::new(0));
/// let hook = { let seen = seen.clone(); ProgressHook::new(move |p| seen.store(p.bytes_read, Ordering::Relaxed)) };
/// let mut merger = Merger::new(MergeOptions { progress: Some(hook), ..MergeOptions::default() });
/// let csv = "handle,email\nana,ana@mailbox.org\n";
/// merger.import_csv(&SourceFile::new(SourceKind::Euka, "euka.csv"), csv.as_bytes())?;
/// assert_eq!(seen.load(Ordering::Relaxed), csv.len() as u64);
/// # Ok::<(), creator_crm::Error>(())
/// ```
#[derive(Clone)]
pub struct ProgressHook(Arc<dyn Fn(&ImportProgress<'_>) + Send + Sync>);

impl ProgressHook {
    /// Rows between two calls within a file.
    pub const EVERY_ROWS: u64 = 1 << 16;

    /// A hook calling `f`.
    pub fn new(f: impl Fn(&ImportProgress<'_>) + Send + Sync + 'static) -> Self {
        ProgressHook(Arc::new(f))
    }

    /// Calls the hook.
    pub fn report(&self, progress: &ImportProgress<'_>) {
        (self.0)(progress);
    }
}

impl std::fmt::Debug for ProgressHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProgressHook")
    }
}

/// Settings for a [`super::Merger`].
#[derive(Debug, Clone)]
pub struct MergeOptions {
    /// Region for phone numbers written without a country code.
    pub region: Region,
    /// Contact-field priority.
    pub priority: SourcePriority,
    /// An email seen on this many creators or more is a shared inbox and is used by none.
    pub shared_email_threshold: usize,
    /// Erased people to leave out.
    pub suppression: SuppressionList,
    /// How many rejected rows each file report lists (counts are always complete).
    pub max_issues_per_file: usize,
    /// Reuse the parse of repeated cell values within a file, and parse each distinct phone
    /// number once (on by default). Off, every cell is parsed from its own text: the
    /// reference path the tests compare the fast path against. Results are identical.
    /// Only with the `internals` feature (for tests and benchmarks; not a stable API).
    #[cfg(feature = "internals")]
    pub parse_cache: bool,
    /// Threads [`Merger::finish`] may use to resolve creators (1, the default: only the
    /// calling thread). Results are identical for any count.
    ///
    /// [`Merger::finish`]: super::Merger::finish
    pub threads: usize,
    /// Keep every field of samples, videos, snapshots and products so that
    /// [`Merger::finish`] can return them (on, the default). Off, the merger keeps of each
    /// record only what the creator table and the report read (its key, creator and row;
    /// a video's GMV; a snapshot's followers and GMV), well under half the memory: the
    /// creator table, conflicts and report are the same, and `finish` returns the
    /// related-record vectors empty, as [`Finish::CreatorsOnly`] does.
    ///
    /// [`Merger::finish`]: super::Merger::finish
    /// [`Finish::CreatorsOnly`]: super::Finish::CreatorsOnly
    pub related_records: bool,
    /// Told how far each file's import has come (none by default).
    pub progress: Option<ProgressHook>,
}

impl MergeOptions {
    /// Whether repeated cells reuse their parse: always, unless the `internals` feature's
    /// `parse_cache` turns it off.
    #[inline]
    pub(crate) fn parse_cache(&self) -> bool {
        #[cfg(feature = "internals")]
        return self.parse_cache;
        #[cfg(not(feature = "internals"))]
        true
    }
}

impl Default for MergeOptions {
    fn default() -> Self {
        MergeOptions {
            region: Region::US,
            priority: SourcePriority::default(),
            shared_email_threshold: 3,
            suppression: SuppressionList::default(),
            max_issues_per_file: 100,
            #[cfg(feature = "internals")]
            parse_cache: true,
            threads: 1,
            related_records: true,
            progress: None,
        }
    }
}

/// One input of [`super::Merger::import_many`]: a file, the reader of its bytes, and its
/// size in bytes when known.
///
/// The size hint sizes the record stores the file fills once its first rows are read,
/// shares files out between threads by size, and is the
/// [`ImportProgress::total_bytes`] of the file.
#[derive(Debug)]
pub struct ImportInput<R> {
    /// The file.
    pub file: SourceFile,
    /// Its bytes.
    pub reader: R,
    /// Its size in bytes, if known.
    pub size_hint: Option<u64>,
}

impl<R> ImportInput<R> {
    /// An input of unknown size.
    pub fn new(file: SourceFile, reader: R) -> Self {
        ImportInput {
            file,
            reader,
            size_hint: None,
        }
    }

    /// Sets the size hint.
    #[must_use]
    pub fn size_hint(mut self, bytes: u64) -> Self {
        self.size_hint = Some(bytes);
        self
    }
}

/// One input file: its kind, a name that identifies it, and what is known about it.
///
/// The name is the file's identity in provenance and tie-breaks, so importing the same
/// name twice is idempotent, and two different files need two different names.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// What the file is.
    pub kind: SourceKind,
    /// Its name (a path or any stable label).
    pub name: Arc<str>,
    /// When the export was taken; rows without their own date are observed then.
    pub observed_at: Option<NaiveDateTime>,
    /// The brand whose export it is; every creator in it gets a brand link.
    pub brand: Option<String>,
    /// The caller's own header names.
    pub columns: ColumnMapping,
}

impl SourceFile {
    /// A file of `kind` named `name`.
    pub fn new(kind: SourceKind, name: impl Into<Arc<str>>) -> Self {
        SourceFile {
            kind,
            name: name.into(),
            observed_at: None,
            brand: None,
            columns: ColumnMapping::new(),
        }
    }

    /// Sets the export time.
    #[must_use]
    pub fn observed_at(mut self, at: NaiveDateTime) -> Self {
        self.observed_at = Some(at);
        self
    }

    /// Sets the brand.
    #[must_use]
    pub fn brand(mut self, brand: impl Into<String>) -> Self {
        self.brand = Some(brand.into());
        self
    }

    /// Sets a column mapping.
    #[must_use]
    pub fn columns(mut self, columns: ColumnMapping) -> Self {
        self.columns = columns;
        self
    }

    /// Opens this file's export at `path` for [`super::Merger::import_many`]: a buffered
    /// reader, with the file's size as the size hint when the system tells it.
    ///
    /// # Errors
    /// [`ErrorKind::Import`] on the field named by the file's kind when the file cannot be
    /// opened (the path stays out of the message; the I/O error is the source).
    pub fn open(self, path: impl AsRef<Path>) -> Result<ImportInput<BufReader<File>>> {
        let f = File::open(path).map_err(|e| {
            Error::new(ErrorKind::Import, "cannot open file")
                .with_field(self.kind.as_str())
                .with_source(e)
        })?;
        let size_hint = f.metadata().ok().map(|m| m.len());
        Ok(ImportInput {
            file: self,
            reader: BufReader::with_capacity(1 << 16, f),
            size_hint,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::unwrap_used)]
    fn opening_an_export_gives_its_size_or_a_typed_error_without_the_path() {
        let path = std::env::temp_dir().join(format!("crm-open-{}.csv", std::process::id()));
        std::fs::write(&path, "handle\nana\n").unwrap();
        let file = SourceFile::new(SourceKind::Euka, "euka.csv");
        let input = file.clone().open(&path).unwrap();
        assert_eq!(input.size_hint, Some(11));
        assert_eq!(&*input.file.name, "euka.csv");
        std::fs::remove_file(&path).unwrap();
        let err = file.open(&path).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Import);
        assert_eq!(
            (err.field(), err.reason()),
            (Some("euka"), "cannot open file")
        );
        assert!(!err.to_string().contains("crm-open"), "{err}");
    }

    #[test]
    fn manual_always_first_and_order_configurable() {
        let p = SourcePriority::default();
        assert!(p.rank(SourceKind::Manual) > p.rank(SourceKind::Euka));
        assert!(p.rank(SourceKind::Euka) > p.rank(SourceKind::PhoneNumbers));
        assert!(p.rank(SourceKind::SampleOrders) > p.rank(SourceKind::Videos));
        let p = SourcePriority::new([SourceKind::SampleOrders, SourceKind::Euka]);
        assert!(p.rank(SourceKind::Manual) > p.rank(SourceKind::SampleOrders));
        assert!(p.rank(SourceKind::SampleOrders) > p.rank(SourceKind::Euka));
        assert!(p.rank(SourceKind::Euka) > p.rank(SourceKind::PhoneNumbers));
        assert!(SourcePriority::from_names(["nope"]).is_err());
        // Every kind gets its own rank, 7 (manual) down to 1.
        let mut ranks: Vec<u8> = SourceKind::ALL.iter().map(|k| p.rank(*k)).collect();
        ranks.sort_unstable();
        assert_eq!(ranks, [1, 2, 3, 4, 5, 6, 7]);
    }
}
