//! [`Merger`], the public face of the merge: one type, its methods in one place, its state
//! private. Each method hands its work to [`MergeState`], whose parts live by concern:
//! reading rows (`accumulate`), recording their candidates (`cands`), folding parallel imports (`absorb`), manual edits and
//! suppression (`edit`), stored evidence (`evidence`), the rules (`survivorship`) and
//! the finishing pass (`resolve`).

use std::io::Read;

use super::{
    CreatorEvidence, Finish, ImportInput, ManualEdit, MergeOptions, MergeResult, RecordKeys,
    RelatedRecords, SourceFile, SuppressionList, state::MergeState,
};
use crate::{
    error::Result,
    identity::{Email, Handle},
    import::Column,
};

/// Accumulates rows from any number of files, in any order; [`Merger::finish`] resolves them.
///
/// ```
/// use creator_crm::import::SourceKind;
/// use creator_crm::merge::{Finish, Merger, MergeOptions, SourceFile};
///
/// let mut merger = Merger::new(MergeOptions::default());
/// let euka = "handle,email,phone\n@Ana.B,ana@mailbox.org,(+1)832*****59\n";
/// let phones = "Username,Phone #\nana.b,(+1)8325550159\n";
/// merger.import_csv(&SourceFile::new(SourceKind::Euka, "euka.csv"), euka.as_bytes())?;
/// merger.import_csv(&SourceFile::new(SourceKind::PhoneNumbers, "phones.csv"), phones.as_bytes())?;
/// let result = merger.finish(Finish::Everything);
/// let ana = &result.creators[0];
/// assert_eq!(ana.handle.as_str(), "ana.b");
/// assert_eq!(ana.phone.as_ref().map(|p| p.as_str()), Some("+18325550159"));
/// assert!(ana.phone_verified);
/// assert!(ana.phone_mask_confirmed);
/// assert_eq!(result.report.masked_phones_upgraded, 1);
/// # Ok::<(), creator_crm::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Merger {
    state: MergeState,
}

impl Merger {
    /// An empty merger.
    pub fn new(options: MergeOptions) -> Self {
        Merger {
            state: MergeState::new(options),
        }
    }

    /// The options this merger was built with.
    pub fn options(&self) -> &MergeOptions {
        self.state.options()
    }

    /// Number of distinct creators so far (before suppression).
    pub fn creator_count(&self) -> usize {
        self.state.creator_count()
    }

    /// Reads a whole CSV export of `file.kind` and adds its rows.
    ///
    /// Bad rows are rejected and counted in the report; the file goes on.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Import`] when the file cannot be read at all (empty, a required
    /// column missing, an I/O failure), and when the merger would take more than
    /// [`super::MAX_INPUTS`] rows. Rows read before the error stay merged.
    pub fn import_csv<R: Read>(&mut self, file: &SourceFile, reader: R) -> Result<()> {
        self.state.import_csv(file, reader)
    }

    /// Reads a file of `file.kind` given as Arrow record batches and adds its rows, as
    /// [`Merger::import_csv`] adds a CSV file's: the first batch's field names are the
    /// header, each value is read as the text a CSV export of it holds, and a row's line
    /// is its 1-based position across the batches plus one (see
    /// [`crate::import::arrow`]). Batches are read one at a time, so a reader streams.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray};
    /// use creator_crm::import::SourceKind;
    /// use creator_crm::merge::{Finish, Merger, MergeOptions, SourceFile};
    ///
    /// let batch = RecordBatch::try_from_iter([
    ///     ("Username", Arc::new(StringArray::from(vec!["@Ana.B", "bob"])) as ArrayRef),
    ///     ("Phone #", Arc::new(Int64Array::from(vec![Some(8325550159), None])) as ArrayRef),
    /// ])?;
    /// let mut merger = Merger::new(MergeOptions::default());
    /// merger.import_batches(&SourceFile::new(SourceKind::PhoneNumbers, "phones"), [&batch])?;
    /// let result = merger.finish(Finish::Everything);
    /// assert_eq!(result.creators[0].phone.as_ref().map(|p| p.as_str()), Some("+18325550159"));
    /// assert_eq!(result.report.rows_read, 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`Merger::import_csv`]: [`crate::ErrorKind::Import`] `empty file` when there is
    /// no batch (no header), `missing required column`; and `unsupported column type`
    /// naming a known column whose type has no cell text, `batch columns differ from the
    /// first batch`, `cannot read batch` (at the line of the batch's first row) when the
    /// stream fails. Rows read before the error stay merged.
    #[cfg(feature = "arrow")]
    pub fn import_batches<B: crate::import::arrow::IntoBatch>(
        &mut self,
        file: &SourceFile,
        batches: impl IntoIterator<Item = B>,
    ) -> Result<()> {
        self.state.import_batches(file, batches)
    }

    /// [`Merger::import_batches`] of a reader's batches, its schema read first: a stream
    /// with no batch is a file with a header and no row (its columns are still checked).
    ///
    /// # Errors
    /// As [`Merger::import_batches`], `empty file` aside.
    #[cfg(feature = "arrow")]
    pub fn import_reader<R: arrow_array::RecordBatchReader>(
        &mut self,
        file: &SourceFile,
        reader: R,
    ) -> Result<()> {
        self.state.import_reader(file, reader)
    }

    /// Imports Arrow `inputs` using up to `threads` threads, with the same result as
    /// calling [`Merger::import_reader`] on each in turn (as [`Merger::import_many`] does
    /// for CSV files; inputs with the same file name go to the same thread).
    ///
    /// # Errors
    /// The first failing input's error, in input order. Every other input is still
    /// imported.
    #[cfg(feature = "arrow")]
    pub fn import_readers<R: arrow_array::RecordBatchReader + Send>(
        &mut self,
        inputs: Vec<(SourceFile, R)>,
        threads: usize,
    ) -> Result<()> {
        self.state.import_readers(inputs, threads)
    }

    /// Adds one in-memory row of `file.kind` at `line` (as bindings pass rows).
    ///
    /// # Errors
    /// [`crate::ErrorKind::Import`] `too many files` when `file` would be a merger's
    /// [`super::MAX_FILES`]`+1`-th file, or the row its [`super::MAX_INPUTS`]`+1`-th
    /// input. A bad row is not an error: it is rejected and counted in the report.
    pub fn add_cells(
        &mut self,
        file: &SourceFile,
        line: u64,
        cells: &[(Column, &str)],
    ) -> Result<()> {
        self.state.add_cells(file, line, cells)
    }

    /// Imports `inputs` using up to `threads` threads, with the same result as calling
    /// [`Merger::import_csv`] on each in turn.
    ///
    /// A file's size hint also sizes the record stores it fills once its
    /// first rows are read, so that they do not grow while it is read.
    ///
    /// Files are shared out by size (largest first, each to the least loaded thread; a
    /// file of unknown size weighs nothing);
    /// inputs with the same file name go to the same thread. With `threads <= 1` or a
    /// single input, everything runs on the calling thread. A file this merger imported
    /// before meets its earlier rows when the states are folded, so its repeated rows are
    /// counted as duplicates either way.
    ///
    /// # Errors
    /// The first failing input's error, in input order (as [`Merger::import_csv`]
    /// reports it). Every other input is still imported.
    pub fn import_many<R: Read + Send>(
        &mut self,
        inputs: Vec<ImportInput<R>>,
        threads: usize,
    ) -> Result<()> {
        self.state.import_many(inputs, threads)
    }

    /// Records a manual edit: its values outrank every import, whether the import comes
    /// before or after the edit, and among edits the later one wins (see
    /// [`ManualEdit::observed_at`]). The result of [`Merger::finish`] then shows the edit
    /// with provenance `manual`, file [`MANUAL_FILE`](super::MANUAL_FILE), line `n` for the `n`-th edit.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidInput`] naming the field: `handle` for an invalid handle,
    /// a column that is not one of [`EDITABLE_FIELDS`](super::EDITABLE_FIELDS) (`unknown field`), an email that is
    /// not one or is a placeholder, a phone that is not a full number, a US ZIP that is
    /// not 5 or 9 digits, an edit that sets nothing. Nothing is recorded then.
    pub fn edit(&mut self, edit: &ManualEdit) -> Result<()> {
        self.state.edit(edit)
    }

    /// Replaces the suppression list (entries added with [`Merger::suppress`] included).
    pub fn set_suppression(&mut self, list: SuppressionList) {
        self.state.set_suppression(list)
    }

    /// Adds a suppression entry for a person: their handle, email and phone as given
    /// (each optional, normalized here as an import normalizes them). A creator whose
    /// handle, or any email or full phone seen for them, matches an entry is left out of
    /// the result, with their related records, whether the rows came before or after the
    /// entry. The entries join [`super::MergeOptions::suppression`] (with its salt).
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidInput`] naming the field when a value cannot be
    /// normalized (an invalid handle, a malformed or placeholder email, a phone that is
    /// not a full number) or when none is given. Nothing is added then.
    pub fn suppress(
        &mut self,
        handle: Option<&str>,
        email: Option<&str>,
        phone: Option<&str>,
    ) -> Result<()> {
        self.state.suppress(handle, email, phone)
    }

    /// Every creator's evidence, in handle order, suppressed creators included (a store
    /// holding them learns they are now suppressed when it finishes).
    pub fn evidence(&self) -> Vec<CreatorEvidence> {
        self.state.evidence()
    }

    /// Every related record with the row it came from, suppressed creators' included, in
    /// the orders of [`super::MergeResult`]. Empty when the merger keeps no record
    /// details ([`super::MergeOptions::related_records`] off).
    pub fn related_records(&self) -> RelatedRecords {
        self.state.related_records()
    }

    /// The handles of every creator, in handle order.
    pub fn handles(&self) -> Vec<Handle> {
        self.state.handles()
    }

    /// Every email seen for any creator, sorted, each once.
    pub fn emails(&self) -> Vec<Email> {
        self.state.emails()
    }

    /// The keys of every sample, video and product this merger holds.
    pub fn record_keys(&self) -> RecordKeys {
        self.state.record_keys()
    }

    /// Adds a creator's stored evidence, through the rules a row's values go through:
    /// the creator is created when new, each value kept with the better provenance.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Import`] `too many files` past [`super::MAX_FILES`] file
    /// names or past [`super::MAX_INPUTS`] inputs (each value is one);
    /// [`crate::ErrorKind::InvalidInput`] for a line past `u32`. Values added before the
    /// error stay.
    pub fn add_evidence(&mut self, evidence: &CreatorEvidence) -> Result<()> {
        self.state.add_evidence(evidence)
    }

    /// Adds stored related records, each kept when it is newer than the record of its
    /// key already here (as on import). A record's creator is created when new (with no
    /// evidence, it is seen in no source).
    ///
    /// # Errors
    /// As [`Merger::add_evidence`]. Records added before the error stay.
    pub fn add_related(&mut self, records: &RelatedRecords) -> Result<()> {
        self.state.add_related(records)
    }

    /// Resolves everything accumulated so far into what `what` asks for.
    ///
    /// With [`Finish::Everything`] and [`Finish::CreatorsOnly`] the merger is left as it
    /// was, so more files can be added and `finish` called again: merging incrementally
    /// equals merging at once. [`Finish::CreatorsReleasing`] leaves it empty, with the
    /// same options.
    pub fn finish(&mut self, what: Finish) -> MergeResult {
        self.state.finish(what)
    }
}
