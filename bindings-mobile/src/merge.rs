//! Mobile bindings of `creator_crm::merge`: exports (CSV bytes or text) and in-memory rows
//! in; creators, their related records and the report out, in one call ([`merge_rows`],
//! [`merge_exports`]) or incrementally with a [`Merger`] (manual edits, suppression,
//! progress).
//!
//! The records of the tables are declared with [`table_record!`] from core's table
//! definitions (see `table.rs`).

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, PoisonError},
    time::SystemTime,
};

use creator_crm::{
    Error,
    host::add_rows,
    identity::Region,
    import::SourceKind,
    merge::{
        self as core, ImportInput, ImportProgress, MergeOptions, ProgressHook, SourceFile,
        SourcePriority,
    },
    table,
};

use crate::{
    analytics::MergeResult, errors::CrmError, table::table_record, time::opt_from_system_time,
};

/// One cell of an in-memory row: a column named as in the exports (`"Phone #"`,
/// `"handle"`, any case and punctuation) and its value.
///
/// Its text form (`toString` in Kotlin, `description` in Swift) names the column only:
/// cell values are personal data.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct Cell {
    /// Column name.
    pub column: String,
    /// Cell text.
    pub value: String,
}

impl std::fmt::Debug for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Cell({}, <redacted>)", self.column)
    }
}

display_as_debug!(Cell);

/// In-memory rows of one source kind (`"euka"`, `"sample_orders"`, ...), merged as the
/// rows of a file named `name` (the kind's name when `None`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SourceRows {
    /// The source kind.
    pub kind: String,
    /// Rows, each a list of cells; a row's line in the report is its 1-based index.
    pub rows: Vec<Vec<Cell>>,
    /// The name the rows are merged under (their provenance); the kind's name by default.
    /// Rows added twice under one name are the same file twice: the tables do not change.
    #[uniffi(default = None)]
    pub name: Option<String>,
}

/// One CSV export: its kind, its bytes (UTF-8 with or without BOM, or cp1252) and what is
/// known about it.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct ExportFile {
    /// The source kind (`"euka"`, `"sample_orders"`, ...).
    pub kind: String,
    /// The file's bytes.
    pub data: Vec<u8>,
    /// The file's name, its identity in provenance and tie-breaks: the kind's name by
    /// default. Two different files of one kind need two names; the same file added twice
    /// under one name changes no table.
    #[uniffi(default = None)]
    pub name: Option<String>,
    /// The brand whose export it is: every creator in it gets a brand link.
    #[uniffi(default = None)]
    pub brand: Option<String>,
    /// When the export was taken; rows without a date of their own are observed then.
    #[uniffi(default = None)]
    pub observed_at: Option<SystemTime>,
}

impl std::fmt::Debug for ExportFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportFile")
            .field("kind", &self.kind)
            .field("data", &format_args!("<{} bytes>", self.data.len()))
            .field("name", &self.name)
            .field("brand", &self.brand)
            .field("observed_at", &self.observed_at)
            .finish()
    }
}

/// How to merge: region, priorities, shared-inbox threshold, report size, threads.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MergeSettings {
    /// Region for phone numbers written without a country code (`"US"`).
    #[uniffi(default = "US")]
    pub default_region: String,
    /// Contact-field priority, highest first (`["refunnel", "euka"]`); kinds left out rank
    /// below, in the default order; `manual` always ranks first. Empty: the default
    /// `manual > euka > phone_numbers > refunnel > sample_orders > videos > products`.
    #[uniffi(default = [])]
    pub priorities: Vec<String>,
    /// An email seen on this many creators or more is a shared inbox and used by none.
    #[uniffi(default = 3)]
    pub shared_email_threshold: u32,
    /// How many rejected rows each file report lists (counts are always complete).
    #[uniffi(default = 100)]
    pub max_issues_per_file: u32,
    /// Threads the merge may use (1: only the calling thread). Results are the same.
    #[uniffi(default = 1)]
    pub threads: u32,
}

impl Default for MergeSettings {
    fn default() -> Self {
        MergeSettings {
            default_region: "US".to_owned(),
            priorities: Vec::new(),
            shared_email_threshold: 3,
            max_issues_per_file: 100,
            threads: 1,
        }
    }
}

impl MergeSettings {
    pub(crate) fn options(&self) -> Result<MergeOptions, Error> {
        let defaults = MergeOptions::default();
        Ok(MergeOptions {
            region: Region::parse(&self.default_region)?,
            priority: if self.priorities.is_empty() {
                SourcePriority::default()
            } else {
                SourcePriority::from_names(self.priorities.iter().map(String::as_str))?
            },
            shared_email_threshold: usize::try_from(self.shared_email_threshold)
                .unwrap_or(usize::MAX),
            max_issues_per_file: usize::try_from(self.max_issues_per_file).unwrap_or(usize::MAX),
            threads: usize::try_from(self.threads).unwrap_or(1).max(1),
            ..defaults
        })
    }
}

table_record! {
    /// One merged creator: the columns of core's creator table (`creator_columns()`), in
    /// order. Its text form (`toString` in Kotlin, `description` in Swift) shows the
    /// handle only: the rest is personal data.
    #[derive(Clone, PartialEq, Eq, uniffi::Record)]
    #[uniffi::export(Debug, Display)]
    pub struct MergedCreator from core::Creator {
        /// The key: normalized TikTok username.
        pub tiktok_username: String,
        /// Best email (never a placeholder or a shared team inbox).
        pub email: Option<String>,
        /// Best full phone number, E.164.
        pub phone: Option<String>,
        /// A masked number (`+1 832*****59`) when no full number is known.
        pub phone_masked: Option<String>,
        /// True when `phone` is a full number.
        pub phone_verified: bool,
        /// True when a masked number from a source fits the full number.
        pub phone_mask_confirmed: bool,
        /// Given name (may be empty).
        pub first_name: String,
        /// Family name (may be empty).
        pub last_name: String,
        /// Street line (may be empty).
        pub address_line1: String,
        /// Apartment, suite (may be empty).
        pub address_line2: String,
        /// City (may be empty).
        pub city: String,
        /// Two-letter state code for US addresses, else as written.
        pub state: String,
        /// ZIP or postal code as text (may be empty).
        pub zipcode: String,
        /// Country, ISO code when known (may be empty).
        pub country: String,
        /// Followers from the latest snapshot.
        pub follower_count: Option<u64>,
        /// GMV from the latest snapshot, else the sum of the creator's video GMV (exact
        /// decimal text).
        pub total_gmv: String,
        /// `pending`, `approved`, `sent`, `skipped` or `unsubscribed`.
        pub outreach_status: String,
        /// Source kinds the creator was seen in, in priority order.
        pub sources: Vec<String>,
        /// Source kind of the email.
        pub email_source: Option<String>,
        /// Source kind of the full phone number.
        pub phone_source: Option<String>,
        /// Number of losing values kept as alternates.
        pub alternates: u64,
    }
}

impl std::fmt::Debug for MergedCreator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MergedCreator({}, <redacted>)", self.tiktok_username)
    }
}

display_as_debug!(MergedCreator);

table_record! {
    /// A free-sample order line (core's `samples` table), deduplicated by
    /// `(order_id, sku_id)`.
    #[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
    pub struct Sample from core::Sample {
        /// Order id.
        pub order_id: String,
        /// SKU id (empty when the export has none).
        pub sku_id: String,
        /// The creator who received the sample.
        pub tiktok_username: String,
        /// Product name.
        pub product_name: Option<String>,
        /// Variation.
        pub variation: Option<String>,
        /// Quantity.
        pub quantity: Option<u64>,
        /// Order status as exported.
        pub status: Option<String>,
        /// When the order was created.
        pub created_at: Option<SystemTime>,
        /// When it shipped.
        pub shipped_at: Option<SystemTime>,
        /// When it was delivered.
        pub delivered_at: Option<SystemTime>,
        /// The file the kept row came from.
        pub source_file: String,
        /// The kept row's 1-based line in that file.
        pub source_line: u64,
    }
}

table_record! {
    /// A video (core's `videos` table), deduplicated by `video_id`; the latest metrics win.
    #[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
    pub struct Video from core::Video {
        /// Video id (from the URL when the export has no id column).
        pub video_id: String,
        /// The creator who posted it.
        pub tiktok_username: String,
        /// Title.
        pub name: Option<String>,
        /// When it was posted.
        pub posted_at: Option<SystemTime>,
        /// GMV (exact decimal text).
        pub gmv: Option<String>,
        /// Affiliate items sold.
        pub items_sold: Option<u64>,
        /// Affiliate orders.
        pub orders: Option<u64>,
        /// Shoppable video impressions.
        pub impressions: Option<u64>,
        /// Likes.
        pub likes: Option<u64>,
        /// Comments.
        pub comments: Option<u64>,
        /// Click-through rate in percent points (exact decimal text).
        pub ctr: Option<String>,
        /// Estimated commission (exact decimal text).
        pub commission: Option<String>,
        /// The file the kept row came from.
        pub source_file: String,
        /// The kept row's 1-based line in that file.
        pub source_line: u64,
    }
}

table_record! {
    /// A link between a video and a product (core's `video_products` table).
    #[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
    pub struct VideoProduct from core::VideoProduct {
        /// Video id.
        pub video_id: String,
        /// Product id.
        pub product_id: String,
    }
}

table_record! {
    /// A creator's metrics at one time (core's `snapshots` table), deduplicated by
    /// `(tiktok_username, date, source)`.
    #[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
    pub struct Snapshot from core::Snapshot {
        /// The creator.
        pub tiktok_username: String,
        /// The day the metrics describe (`YYYY-MM-DD`).
        pub date: Option<String>,
        /// Source kind of the row.
        pub source: String,
        /// Followers.
        pub followers: Option<u64>,
        /// GMV (exact decimal text).
        pub gmv: Option<String>,
        /// Earned media value (exact decimal text).
        pub emv: Option<String>,
        /// Number of posts.
        pub total_posts: Option<u64>,
        /// Likes.
        pub likes: Option<u64>,
        /// Comments.
        pub comments: Option<u64>,
        /// Shares.
        pub shares: Option<u64>,
        /// Engagement rate in percent points (exact decimal text).
        pub engagement: Option<String>,
        /// Impressions.
        pub impressions: Option<u64>,
        /// Day of the last post (`YYYY-MM-DD`).
        pub last_post: Option<String>,
        /// The file the kept row came from.
        pub source_file: String,
        /// The kept row's 1-based line in that file.
        pub source_line: u64,
    }
}

table_record! {
    /// A creator seen in a brand's file (core's `brand_links` table).
    #[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
    pub struct BrandLink from core::BrandLink {
        /// Brand name as given with the file.
        pub brand: String,
        /// The creator seen in the brand's file.
        pub tiktok_username: String,
    }
}

table_record! {
    /// A product from product analytics (core's `products` table), deduplicated by
    /// `product_id`.
    #[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
    pub struct Product from core::Product {
        /// Product id.
        pub product_id: String,
        /// Name.
        pub name: Option<String>,
        /// GMV (exact decimal text).
        pub gmv: Option<String>,
        /// Items sold.
        pub items_sold: Option<u64>,
        /// Orders.
        pub orders: Option<u64>,
        /// The file the kept row came from.
        pub source_file: String,
        /// The kept row's 1-based line in that file.
        pub source_line: u64,
    }
}

table_record! {
    /// The merge in numbers: every counter of core's report (`table_columns("report")`).
    #[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
    pub struct MergeReport from core::MergeReport {
        /// Data rows read, all files.
        pub rows_read: u64,
        /// Rows rejected as a whole (no usable key).
        pub rows_rejected: u64,
        /// Values dropped from kept rows (bad email syntax, unparsable number, ...).
        pub values_dropped: u64,
        /// Rows identical to an earlier row of the same file.
        pub duplicates_collapsed: u64,
        /// Creators in the result.
        pub creators: u64,
        /// Creator fields filled, summed.
        pub fields_filled: u64,
        /// Fields with more than one value, plus masks that do not fit the full number.
        pub conflicts: u64,
        /// Conflicts by field.
        pub conflicts_by_field: HashMap<String, u64>,
        /// Creators whose masked phone a full number confirmed.
        pub masked_phones_upgraded: u64,
        /// Creators whose `phone_mask_confirmed` is true.
        pub phone_masks_confirmed: u64,
        /// Distinct emails used by nobody because too many creators share them.
        pub shared_emails_dropped: u64,
        /// Creators left out by the suppression list.
        pub creators_suppressed: u64,
        /// Sample order lines after dedupe.
        pub samples: u64,
        /// Videos after dedupe.
        pub videos: u64,
        /// Video-product links.
        pub video_products: u64,
        /// Metric snapshots after dedupe.
        pub snapshots: u64,
        /// Brand links.
        pub brand_links: u64,
        /// Products after dedupe.
        pub products: u64,
    }
}

table_record! {
    /// What happened to one file (core's `files` table).
    #[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
    pub struct FileReport from core::FileReport {
        /// The file's name as given.
        pub name: String,
        /// Its source kind.
        pub kind: String,
        /// Data rows read (description and blank rows excluded).
        pub rows_read: u64,
        /// Rows rejected as a whole.
        pub rows_rejected: u64,
        /// Rows identical to an earlier row of the same file.
        pub duplicates_collapsed: u64,
        /// Description rows skipped (the row under sample_orders' header).
        pub description_rows_skipped: u64,
        /// Rejected rows by reason (`handle: too short` → count).
        pub rejected_by_reason: HashMap<String, u64>,
        /// Dropped values by reason; their rows were kept.
        pub dropped_by_reason: HashMap<String, u64>,
    }
}

table_record! {
    /// A rejected row (core's `rejected` table): file, line and reason, never its data.
    #[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
    pub struct RejectedRow from table::Rejected<'_> {
        /// The file's name as given.
        pub file: String,
        /// 1-based line in the file (row number for in-memory rows).
        pub line: u64,
        /// The column concerned.
        pub field: Option<String>,
        /// Short reason, no personal data.
        pub reason: String,
    }
}

table_record! {
    /// A reported disagreement (core's `conflicts` table): the creator and field, never
    /// the values.
    #[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
    pub struct Conflict from core::Conflict {
        /// The creator.
        pub tiktok_username: String,
        /// The field (`email`, `phone`, `name`, `address`, ...).
        pub field: String,
        /// `different_values`, or `mask_mismatch` for a mask that does not fit the full
        /// number.
        pub kind: String,
        /// Source kind of the winning value.
        pub chosen: String,
        /// Source kinds of the other values, in priority order.
        pub others: Vec<String>,
    }
}

/// Everything a merge produces: the creator table, the related records, the conflicts
/// and the report, each list in core's order.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MergeOutcome {
    /// Creators sorted by handle.
    pub creators: Vec<MergedCreator>,
    /// Sample order lines, by `(order_id, sku_id)` (numeric ids in numeric order).
    pub samples: Vec<Sample>,
    /// Videos, by id (numeric ids in numeric order).
    pub videos: Vec<Video>,
    /// Video-product links, by video then product id.
    pub video_products: Vec<VideoProduct>,
    /// Metric snapshots, by creator, date, source.
    pub snapshots: Vec<Snapshot>,
    /// Brand links, by brand then creator.
    pub brand_links: Vec<BrandLink>,
    /// Products, by id (numeric ids in numeric order).
    pub products: Vec<Product>,
    /// Conflicts, by creator and field.
    pub conflicts: Vec<Conflict>,
    /// The totals.
    pub report: MergeReport,
    /// One report per file, by name.
    pub files: Vec<FileReport>,
    /// The first rejected rows of every file, file by file.
    pub rejected: Vec<RejectedRow>,
}

impl From<&core::MergeResult> for MergeOutcome {
    fn from(r: &core::MergeResult) -> Self {
        MergeOutcome {
            creators: r.creators.iter().map(MergedCreator::from_row).collect(),
            samples: r.samples.iter().map(Sample::from_row).collect(),
            videos: r.videos.iter().map(Video::from_row).collect(),
            video_products: r
                .video_products
                .iter()
                .map(VideoProduct::from_row)
                .collect(),
            snapshots: r.snapshots.iter().map(Snapshot::from_row).collect(),
            brand_links: r.brand_links.iter().map(BrandLink::from_row).collect(),
            products: r.products.iter().map(Product::from_row).collect(),
            conflicts: r.conflicts.iter().map(Conflict::from_row).collect(),
            report: MergeReport::from_row(&r.report),
            files: r.report.files.iter().map(FileReport::from_row).collect(),
            rejected: table::rejected_rows(&r.report)
                .map(|row| RejectedRow::from_row(&row))
                .collect(),
        }
    }
}

/// How far the import of one file has come: passed to a [`MergeProgress`].
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ImportStatus {
    /// The file's name.
    pub file: String,
    /// Its source kind.
    pub kind: String,
    /// Bytes of the file read so far.
    pub bytes_read: u64,
    /// The file's size in bytes.
    pub total_bytes: Option<u64>,
    /// Data rows read so far.
    pub rows_read: u64,
    /// True on the last call for this file.
    pub done: bool,
}

impl From<&ImportProgress<'_>> for ImportStatus {
    fn from(p: &ImportProgress<'_>) -> Self {
        ImportStatus {
            file: p.file.to_owned(),
            kind: p.kind.as_str().to_owned(),
            bytes_read: p.bytes_read,
            total_bytes: p.total_bytes,
            rows_read: p.rows_read,
            done: p.done,
        }
    }
}

/// A progress callback implemented in Kotlin or Swift, for long imports of CSV exports.
///
/// Called every 65,536 rows of a file and once at its end (`done`), on the thread that
/// reads the file: the caller's, or with `MergeSettings.threads` above 1 one of the
/// merge's own threads. It should return quickly, and must not call the `Merger` it
/// reports for (that merger is busy until the import returns). An exception it throws does not stop the
/// import: the calls for the rest of that import are skipped and the import fails with
/// it (a `CrmException` as thrown; any other exception as `CrmException.Host`, its class and message) once the
/// file is merged. Adding the same file again leaves every table as it is (its rows
/// count again in the report, as duplicates).
#[uniffi::export(foreign)]
pub trait MergeProgress: Send + Sync {
    /// Reports the progress of one file.
    fn on_progress(&self, status: ImportStatus) -> Result<(), CrmError>;
}

/// The hook given to core and the first error the foreign callback threw.
struct Progress {
    callback: Arc<dyn MergeProgress>,
    failed: Mutex<Option<CrmError>>,
}

impl Progress {
    fn hook(self: &Arc<Self>) -> ProgressHook {
        let me = Arc::clone(self);
        ProgressHook::new(move |p| {
            let mut failed = me.failed.lock().unwrap_or_else(PoisonError::into_inner);
            if failed.is_none() {
                *failed = me.callback.on_progress(ImportStatus::from(p)).err();
            }
        })
    }

    /// The error thrown since the last call, if any.
    fn take_error(&self) -> Result<(), CrmError> {
        self.failed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .map_or(Ok(()), Err)
    }
}

/// An incremental merge without a store: add exports and rows in any order, manual edits
/// and suppression entries, and read the result at any time. The result equals
/// [`merge_exports`] / [`merge_rows`] on the same inputs.
///
/// Safe to share between threads: calls are serialized.
#[derive(uniffi::Object)]
pub struct Merger {
    inner: Mutex<core::Merger>,
    threads: usize,
    progress: Option<Arc<Progress>>,
}

impl std::fmt::Debug for Merger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Merger")
            .field("threads", &self.threads)
            .field("progress", &self.progress.is_some())
            .finish_non_exhaustive()
    }
}

impl Merger {
    fn build(
        settings: Option<MergeSettings>,
        progress: Option<Arc<dyn MergeProgress>>,
    ) -> Result<Self, CrmError> {
        let mut options = settings.unwrap_or_default().options()?;
        let progress = progress.map(|callback| {
            Arc::new(Progress {
                callback,
                failed: Mutex::new(None),
            })
        });
        options.progress = progress.as_ref().map(Progress::hook);
        Ok(Merger {
            threads: options.threads,
            inner: Mutex::new(core::Merger::new(options)),
            progress,
        })
    }

    // No core call panics on input: a poisoned lock holds a whole merger.
    fn lock(&self) -> std::sync::MutexGuard<'_, core::Merger> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn import(&self, files: Vec<ExportFile>) -> Result<(), CrmError> {
        let inputs = files
            .iter()
            .map(|f| {
                Ok(ImportInput {
                    file: source_file(f)?,
                    reader: f.data.as_slice(),
                    size_hint: Some(f.data.len() as u64),
                })
            })
            .collect::<Result<Vec<_>, CrmError>>()?;
        let imported = self.lock().import_many(inputs, self.threads);
        let thrown = self.progress.as_ref().map_or(Ok(()), |p| p.take_error());
        imported?;
        thrown
    }

    fn add_source_rows(&self, source: &SourceRows) -> Result<(), CrmError> {
        let kind: SourceKind = source.kind.parse()?;
        let name = source.name.as_deref().unwrap_or(kind.as_str());
        let rows = source
            .rows
            .iter()
            .map(|row| row.iter().map(|c| (c.column.as_str(), c.value.as_str())));
        Ok(add_rows(&mut self.lock(), kind, name, rows)?)
    }
}

pub(crate) fn source_file(f: &ExportFile) -> Result<SourceFile, CrmError> {
    let kind: SourceKind = f.kind.parse()?;
    let mut file = SourceFile::new(kind, f.name.as_deref().unwrap_or(kind.as_str()));
    if let Some(at) = opt_from_system_time(f.observed_at)? {
        file = file.observed_at(at.naive_utc());
    }
    if let Some(brand) = &f.brand {
        file = file.brand(brand.as_str());
    }
    Ok(file)
}

#[uniffi::export]
impl Merger {
    /// An empty merger with `settings` (the defaults when `None`) and an optional
    /// progress callback for CSV imports.
    ///
    /// # Errors
    /// `InvalidInput` for an unknown region or source kind in the priorities.
    #[uniffi::constructor(default(settings = None, progress = None))]
    pub fn new(
        settings: Option<MergeSettings>,
        progress: Option<Arc<dyn MergeProgress>>,
    ) -> Result<Arc<Self>, CrmError> {
        Ok(Arc::new(Merger::build(settings, progress)?))
    }

    /// Adds one CSV export. Bad rows are rejected and counted in the report; the file
    /// goes on.
    ///
    /// # Errors
    /// `InvalidInput` for an unknown kind; `Import` when the file cannot be read at all
    /// (empty, a required column missing); the error a progress callback threw.
    pub fn add_csv(&self, file: ExportFile) -> Result<(), CrmError> {
        self.import(vec![file])
    }

    /// Adds one CSV export given as text, named `name` (the kind's name when `None`).
    ///
    /// # Errors
    /// As [`Merger::add_csv`].
    #[uniffi::method(default(name = None))]
    pub fn add_csv_text(
        &self,
        kind: String,
        text: String,
        name: Option<String>,
    ) -> Result<(), CrmError> {
        self.import(vec![ExportFile {
            kind,
            data: text.into_bytes(),
            name,
            brand: None,
            observed_at: None,
        }])
    }

    /// Adds several CSV exports at once, on up to `MergeSettings.threads` threads; the
    /// result is the one of adding them one by one.
    ///
    /// # Errors
    /// The first failing file's error, in the given order; every other file is still
    /// added.
    pub fn add_csvs(&self, files: Vec<ExportFile>) -> Result<(), CrmError> {
        self.import(files)
    }

    /// Adds in-memory rows of one source kind.
    ///
    /// # Errors
    /// `InvalidInput` for an unknown kind; the error of core's `host::add_rows` for rows
    /// the merger cannot take (a file past its limit of files).
    pub fn add_rows(&self, source: SourceRows) -> Result<(), CrmError> {
        self.add_source_rows(&source)
    }

    /// Records a manual edit of the creator `handle`: `fields` maps creator-table columns
    /// (`email`, `phone`, `first_name`, `last_name`, `address_line1`, `address_line2`,
    /// `city`, `state`, `zipcode`, `country`) to values. It outranks every import, before
    /// or after it; among edits the later `at` wins (an edit without one is the oldest).
    /// Name and address are each set as a whole: the parts left out are empty.
    ///
    /// # Errors
    /// `InvalidInput` naming the field: an invalid handle, an unknown column, an invalid
    /// email or phone, a bad ZIP, nothing to set. Nothing is recorded then.
    #[uniffi::method(default(at = None))]
    pub fn edit(
        &self,
        handle: String,
        fields: HashMap<String, String>,
        at: Option<SystemTime>,
    ) -> Result<(), CrmError> {
        let mut fields: Vec<(String, String)> = fields.into_iter().collect();
        fields.sort();
        let mut edit = core::ManualEdit::new(handle);
        edit.fields = fields;
        if let Some(at) = opt_from_system_time(at)? {
            edit = edit.observed_at(at.naive_utc());
        }
        Ok(self.lock().edit(&edit)?)
    }

    /// Leaves a person out of the result (with their related records), whatever was
    /// added before or after: by handle, email and/or full phone number, normalized first.
    ///
    /// # Errors
    /// `InvalidInput` naming the field for a value that cannot be normalized (or a
    /// placeholder email, a masked phone), or when none is given. Nothing is added then.
    #[uniffi::method(default(handle = None, email = None, phone = None))]
    pub fn suppress(
        &self,
        handle: Option<String>,
        email: Option<String>,
        phone: Option<String>,
    ) -> Result<(), CrmError> {
        Ok(self
            .lock()
            .suppress(handle.as_deref(), email.as_deref(), phone.as_deref())?)
    }

    /// Distinct creators so far (before suppression).
    pub fn creator_count(&self) -> u64 {
        self.lock().creator_count() as u64
    }

    /// The merge of everything added so far; the merger stays usable.
    pub fn result(&self) -> MergeOutcome {
        MergeOutcome::from(&self.lock().finish(core::Finish::Everything))
    }

    /// The merge of everything added so far as an immutable [`MergeResult`], the input of
    /// the analytics (`sampleConversion`, `dashboard`, ...); the merger stays usable and
    /// later additions do not change the result.
    pub fn finish(&self) -> Arc<MergeResult> {
        MergeResult::new(self.lock().finish(core::Finish::Everything))
    }
}

/// Merges in-memory rows of several source kinds, each kind's rows named by the kind
/// (or their `name`), into creators, related records and the report (core's
/// `host::add_rows` for each source, as [`Merger::add_rows`]).
///
/// # Errors
/// `InvalidInput` for an unknown source kind or region.
#[uniffi::export(default(default_region = None))]
pub fn merge_rows(
    sources: Vec<SourceRows>,
    default_region: Option<String>,
) -> Result<MergeOutcome, CrmError> {
    let settings = MergeSettings {
        default_region: default_region.unwrap_or_else(|| "US".to_owned()),
        ..MergeSettings::default()
    };
    let merger = Merger::build(Some(settings), None)?;
    for source in &sources {
        merger.add_source_rows(source)?;
    }
    Ok(merger.result())
}

/// Merges CSV exports (bytes) into creators, related records and the report: the
/// one-shot form of a [`Merger`].
///
/// # Errors
/// `InvalidInput` for an unknown kind, region or priority; `Import` for a file that
/// cannot be read at all; the error a progress callback threw.
#[uniffi::export(default(settings = None, progress = None))]
pub fn merge_exports(
    files: Vec<ExportFile>,
    settings: Option<MergeSettings>,
    progress: Option<Arc<dyn MergeProgress>>,
) -> Result<MergeOutcome, CrmError> {
    let merger = Merger::build(settings, progress)?;
    merger.import(files)?;
    Ok(merger.result())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_record_has_its_tables_columns_in_order() {
        let checks: [(&str, Vec<String>); 11] = [
            ("creators", MergedCreator::mismatches()),
            ("samples", Sample::mismatches()),
            ("videos", Video::mismatches()),
            ("video_products", VideoProduct::mismatches()),
            ("snapshots", Snapshot::mismatches()),
            ("brand_links", BrandLink::mismatches()),
            ("products", Product::mismatches()),
            ("conflicts", Conflict::mismatches()),
            ("report", MergeReport::mismatches()),
            ("files", FileReport::mismatches()),
            ("rejected", RejectedRow::mismatches()),
        ];
        for (table, mismatches) in checks {
            assert!(mismatches.is_empty(), "{table}: {mismatches:?}");
        }
    }
}
