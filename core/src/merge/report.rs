//! The merge report: what was read, rejected, filled, collapsed and disputed.
//!
//! Reasons and field names only: a report never holds a value from a row.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::import::SourceKind;

/// A row that was rejected, or a value that was dropped from a row.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RowIssue {
    /// 1-based line in the file.
    pub line: u64,
    /// The column concerned, if any.
    pub field: Option<String>,
    /// Short reason, no personal data.
    pub reason: String,
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileReport {
    /// The file's name as given.
    pub name: String,
    /// Its source kind (serialized as its name, `"euka"`, …).
    pub kind: SourceKind,
    /// Data rows read (description and blank rows excluded).
    pub rows_read: u64,
    /// Rows rejected as a whole (no usable key).
    pub rows_rejected: u64,
    /// Rows identical to an earlier row of the same file.
    pub duplicates_collapsed: u64,
    /// Description rows skipped (sample_orders' row under the header).
    pub description_rows_skipped: u64,
    /// Rejected rows by reason (`"handle: too short"` → count).
    pub rejected_by_reason: BTreeMap<String, u64>,
    /// Dropped values by reason (`"email: invalid syntax"` → count); the row was kept.
    pub dropped_by_reason: BTreeMap<String, u64>,
    /// The first rejected rows (lowest lines), at most [`super::MergeOptions::max_issues_per_file`].
    pub rejected: Vec<RowIssue>,
}

impl FileReport {
    /// The report of a file nothing was read from yet.
    pub(crate) fn new(name: String, kind: SourceKind) -> Self {
        FileReport {
            name,
            kind,
            rows_read: 0,
            rows_rejected: 0,
            duplicates_collapsed: 0,
            description_rows_skipped: 0,
            rejected_by_reason: BTreeMap::new(),
            dropped_by_reason: BTreeMap::new(),
            rejected: Vec::new(),
        }
    }
}

/// The whole merge in numbers.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MergeReport {
    /// Per file, by name.
    pub files: Vec<FileReport>,
    /// Data rows read, all files.
    pub rows_read: u64,
    /// Rows rejected, all files.
    pub rows_rejected: u64,
    /// Values dropped from kept rows (bad email syntax, unparsable number, …).
    pub values_dropped: u64,
    /// Duplicate rows collapsed.
    pub duplicates_collapsed: u64,
    /// Creators in the result.
    pub creators: u64,
    /// Creator fields filled (email, phone, name, address, followers, GMV), summed.
    pub fields_filled: u64,
    /// Fields with more than one value, plus masked numbers that disagree with the full one.
    pub conflicts: u64,
    /// Conflicts by field.
    pub conflicts_by_field: BTreeMap<String, u64>,
    /// Creators whose masked phone was confirmed by a full number from another row.
    pub masked_phones_upgraded: u64,
    /// Creators whose `phone_mask_confirmed` is true. A mask confirms a full number exactly
    /// when that mask is upgraded by it, so this always equals
    /// [`MergeReport::masked_phones_upgraded`]; it is the same fact named after the
    /// creator column, for hosts that read the report beside the table.
    pub phone_masks_confirmed: u64,
    /// Distinct emails dropped because too many creators share them (team inboxes).
    pub shared_emails_dropped: u64,
    /// Creators left out because a suppression entry matches them.
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

impl MergeReport {
    /// Rejected rows by reason over all files.
    pub fn rejected_by_reason(&self) -> BTreeMap<String, u64> {
        let mut out = BTreeMap::new();
        for f in &self.files {
            for (r, n) in &f.rejected_by_reason {
                *out.entry(r.clone()).or_insert(0) += n;
            }
        }
        out
    }

    /// Dropped values by reason over all files.
    pub fn dropped_by_reason(&self) -> BTreeMap<String, u64> {
        let mut out = BTreeMap::new();
        for f in &self.files {
            for (r, n) in &f.dropped_by_reason {
                *out.entry(r.clone()).or_insert(0) += n;
            }
        }
        out
    }

    /// Rows read per source kind.
    pub fn rows_by_kind(&self) -> BTreeMap<SourceKind, u64> {
        let mut out = BTreeMap::new();
        for f in &self.files {
            *out.entry(f.kind).or_insert(0) += f.rows_read;
        }
        out
    }
}
