//! Merging creator records from many sources into one table, with provenance and a report.
//!
//! A [`Merger`] takes rows from the six source exports (and manual edits) in any order,
//! keyed by the normalized TikTok handle, and keeps for every creator field each distinct
//! value with its best [`Provenance`]. [`Merger::finish`] then applies survivorship:
//!
//! - contact fields (email, phone, name, address): the highest-priority source wins
//!   ([`SourcePriority`], default `manual > euka > phone_numbers > refunnel > sample_orders >
//!   videos`), ties go to the latest observation, then to the smallest value; the losers
//!   are kept as [`Alternate`]s and reported as [`Conflict`]s;
//! - a full phone beats a masked one and sets `phone_verified`; a mask that fits it sets
//!   `phone_mask_confirmed` (a "masked phone upgraded"), a mask that does not is a
//!   `mask_mismatch` conflict;
//! - metrics (followers, GMV) come from the latest snapshot; GMV falls back to the sum of
//!   the creator's video GMV;
//! - manual edits ([`Merger::edit`]) always outrank imports, and a later edit wins over
//!   an earlier one;
//! - placeholder emails never enter; an email on `shared_email_threshold` creators or more
//!   (a team inbox) is used by none of them;
//! - related records dedupe by key: samples `(order_id, sku_id)`, videos `video_id`,
//!   snapshots `(creator, date, source)`, brand links `(brand, creator)`, products
//!   `product_id`; the newest row wins;
//! - creators matching the [`SuppressionList`] (erased people, also added with
//!   [`Merger::suppress`]) are left out, whenever the entry was added.
//!
//! Long imports can report their progress to a [`ProgressHook`] in
//! [`MergeOptions::progress`].
//!
//! Because the state is a set of candidates and `finish` does not consume it, the result
//! is the same for any order of rows and files, merging a file twice changes nothing, and
//! adding a file to an existing merger then finishing equals merging everything at once.
//! `tests/it/merge_laws.rs` checks these laws with proptest.
//!
//! Hosts with cores to spare can import several files at once with
//! [`Merger::import_many`] and resolve creators on several threads with
//! [`MergeOptions::threads`]; both give the one-thread result (law 5 of
//! `tests/it/merge_laws.rs`). By default nothing starts a thread.
//!
//! A host that wants only the creator table and the report (the notebook's
//! `merge_exports`) sets [`MergeOptions::related_records`] off, so that of each sample,
//! video and snapshot only its key, creator, row and the metrics the table reads are kept,
//! and finishes with [`Finish::CreatorsReleasing`], which releases the merger's state as it
//! builds the table: the same table and report at well under half the peak memory
//! (law 6 of `tests/it/merge_laws.rs`).

mod absorb;
mod accumulate;
mod cands;
mod edit;
mod evidence;
mod ids;
mod intern;
mod keyed;
mod merger;
mod model;
mod options;
pub mod partition;
mod parts;
mod report;
mod resolve;
mod seen;
mod state;
mod strcache;
mod suppress;
mod survivorship;

pub use edit::{EDITABLE_FIELDS, MANUAL_FILE, ManualEdit};
pub use evidence::{CreatorEvidence, Evidence, EvidenceValue, RecordKeys, RelatedRecords};
pub use merger::Merger;
pub use model::{
    Alternate, BrandLink, Conflict, ConflictKind, Creator, Field, FieldProvenance, OutreachStatus,
    Product, Provenance, Sample, Snapshot, Video, VideoProduct,
};
pub use options::{
    ImportInput, ImportProgress, MergeOptions, ProgressHook, SourceFile, SourcePriority,
};
pub use report::{FileReport, MergeReport, RowIssue};
pub use resolve::{Finish, MergeResult, masked_text};
pub use state::{MAX_FILES, MAX_INPUTS};
pub use suppress::SuppressionList;

#[cfg(test)]
mod tests;
