//! The merge report as tables: the totals (one row), one row per file, one row per
//! rejected row.

use super::{Cell, ColumnDef, ColumnType as T, Counts, Row, TextList};
use crate::merge::{Conflict, FileReport, MergeReport, RowIssue};

const fn count(name: &'static str, doc: &'static str) -> ColumnDef {
    ColumnDef::new(name, T::UInt64, false, doc)
}

/// The totals of a merge: every counter of [`MergeReport`], by name. The per-file reports
/// are the rows of [`FileReport`]; rejected rows those of [`Rejected`].
impl Row for MergeReport {
    const TABLE: &'static str = "report";

    const COLUMNS: &'static [ColumnDef] = &[
        count("rows_read", "Data rows read, all files."),
        count("rows_rejected", "Rows rejected as a whole (no usable key)."),
        count(
            "values_dropped",
            "Values dropped from kept rows (bad email syntax, unparsable number, ...).",
        ),
        count(
            "duplicates_collapsed",
            "Rows identical to an earlier row of the same file.",
        ),
        count("creators", "Creators in the result."),
        count("fields_filled", "Creator fields filled, summed."),
        count(
            "conflicts",
            "Fields with more than one value, plus masks that do not fit the full number.",
        ),
        ColumnDef::new(
            "conflicts_by_field",
            T::Counts,
            false,
            "Conflicts by field.",
        ),
        count(
            "masked_phones_upgraded",
            "Creators whose masked phone a full number confirmed.",
        ),
        count(
            "phone_masks_confirmed",
            "Creators whose `phone_mask_confirmed` is true.",
        ),
        count(
            "shared_emails_dropped",
            "Distinct emails used by nobody because too many creators share them.",
        ),
        count(
            "creators_suppressed",
            "Creators left out by the suppression list.",
        ),
        count("samples", "Sample order lines after dedupe."),
        count("videos", "Videos after dedupe."),
        count("video_products", "Video-product links."),
        count("snapshots", "Metric snapshots after dedupe."),
        count("brand_links", "Brand links."),
        count("products", "Products after dedupe."),
    ];

    fn cell(&self, column: usize) -> Cell<'_> {
        let n = match column {
            0 => self.rows_read,
            1 => self.rows_rejected,
            2 => self.values_dropped,
            3 => self.duplicates_collapsed,
            4 => self.creators,
            5 => self.fields_filled,
            6 => self.conflicts,
            7 => return Cell::Counts(Counts::new(&self.conflicts_by_field)),
            8 => self.masked_phones_upgraded,
            9 => self.phone_masks_confirmed,
            10 => self.shared_emails_dropped,
            11 => self.creators_suppressed,
            12 => self.samples,
            13 => self.videos,
            14 => self.video_products,
            15 => self.snapshots,
            16 => self.brand_links,
            17 => self.products,
            _ => return Cell::Null,
        };
        Cell::UInt(n)
    }
}

/// What happened to one file. Its first rejected rows are the rows of [`Rejected`].
impl Row for FileReport {
    const TABLE: &'static str = "files";

    const COLUMNS: &'static [ColumnDef] = &[
        ColumnDef::new("name", T::Text, false, "The file's name as given."),
        ColumnDef::new("kind", T::Text, false, "Its source kind."),
        count(
            "rows_read",
            "Data rows read (description and blank rows excluded).",
        ),
        count("rows_rejected", "Rows rejected as a whole."),
        count(
            "duplicates_collapsed",
            "Rows identical to an earlier row of the same file.",
        ),
        count(
            "description_rows_skipped",
            "Description rows skipped (the row under sample_orders' header).",
        ),
        ColumnDef::new(
            "rejected_by_reason",
            T::Counts,
            false,
            "Rejected rows by reason (`handle: too short` → count).",
        ),
        ColumnDef::new(
            "dropped_by_reason",
            T::Counts,
            false,
            "Dropped values by reason; their rows were kept.",
        ),
    ];

    fn cell(&self, column: usize) -> Cell<'_> {
        match column {
            0 => Cell::text(&self.name),
            1 => Cell::text(self.kind.as_str()),
            2 => Cell::UInt(self.rows_read),
            3 => Cell::UInt(self.rows_rejected),
            4 => Cell::UInt(self.duplicates_collapsed),
            5 => Cell::UInt(self.description_rows_skipped),
            6 => Cell::Counts(Counts::new(&self.rejected_by_reason)),
            7 => Cell::Counts(Counts::new(&self.dropped_by_reason)),
            _ => Cell::Null,
        }
    }
}

/// A rejected row with the file it is in: line and reason, never the row's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rejected<'a> {
    /// The file's name as given.
    pub file: &'a str,
    /// The row's line and reason.
    pub issue: &'a RowIssue,
}

impl Row for Rejected<'_> {
    const TABLE: &'static str = "rejected";

    const COLUMNS: &'static [ColumnDef] = &[
        ColumnDef::new("file", T::Text, false, "The file's name as given."),
        ColumnDef::new(
            "line",
            T::UInt64,
            false,
            "1-based line in the file (row number for in-memory rows).",
        ),
        ColumnDef::new("field", T::Text, true, "The column concerned."),
        ColumnDef::new("reason", T::Text, false, "Short reason, no personal data."),
    ];

    fn cell(&self, column: usize) -> Cell<'_> {
        match column {
            0 => Cell::text(self.file),
            1 => Cell::UInt(self.issue.line),
            2 => Cell::opt_text(self.issue.field.as_deref()),
            3 => Cell::text(&self.issue.reason),
            _ => Cell::Null,
        }
    }
}

/// The first rejected rows of every file (the ones the report keeps), file by file.
pub fn rejected_rows(report: &MergeReport) -> impl Iterator<Item = Rejected<'_>> {
    report.files.iter().flat_map(|f| {
        f.rejected.iter().map(move |issue| Rejected {
            file: &f.name,
            issue,
        })
    })
}

/// A disagreement survivorship resolved: the creator, the field and the sources, never
/// the values.
impl Row for Conflict {
    const TABLE: &'static str = "conflicts";

    const COLUMNS: &'static [ColumnDef] = &[
        ColumnDef::new("tiktok_username", T::Text, false, "The creator."),
        ColumnDef::new(
            "field",
            T::Text,
            false,
            "The field (`email`, `phone`, `name`, `address`, ...).",
        ),
        ColumnDef::new(
            "kind",
            T::Text,
            false,
            "`different_values`, or `mask_mismatch` for a mask that does not fit the full number.",
        ),
        ColumnDef::new(
            "chosen",
            T::Text,
            false,
            "Source kind of the winning value.",
        ),
        ColumnDef::new(
            "others",
            T::TextList,
            false,
            "Source kinds of the other values, in priority order.",
        ),
    ];

    fn cell(&self, column: usize) -> Cell<'_> {
        match column {
            0 => Cell::text(self.handle.as_str()),
            1 => Cell::text(self.field.as_str()),
            2 => Cell::text(self.kind.as_str()),
            3 => Cell::text(self.chosen.as_str()),
            4 => Cell::TextList(TextList::source_kinds(&self.others)),
            _ => Cell::Null,
        }
    }
}
