//! [`PartitionPlan`]: what every step of a partitioned merge agrees on — the files (their
//! index is the file id), the partition count and the merge options — in one value that
//! crosses processes as bytes.

use std::sync::Arc;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::blob::{self, Tag};
use crate::{
    error::{Error, Result},
    identity::Region,
    import::SourceKind,
    merge::{MergeOptions, SourceFile, SourcePriority, SuppressionList},
};

/// Most partitions a plan takes (partition ids are `i32` in the routed tables).
pub const MAX_PARTITIONS: u32 = 1 << 16;

/// One input file of a plan: what [`SourceFile`] says of it, without a column mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedFile {
    /// What the file is.
    pub kind: SourceKind,
    /// Its name in provenance and the report.
    pub name: Arc<str>,
    /// When the export was taken.
    pub observed_at: Option<NaiveDateTime>,
    /// The brand whose export it is.
    pub brand: Option<String>,
}

impl PlannedFile {
    /// The [`SourceFile`] a merger reads this file as.
    pub fn source_file(&self) -> SourceFile {
        SourceFile {
            kind: self.kind,
            name: self.name.clone(),
            observed_at: self.observed_at,
            brand: self.brand.clone(),
            columns: crate::import::ColumnMapping::new(),
        }
    }
}

/// The plan's body as it is serialized.
#[derive(Serialize, Deserialize)]
struct PlanBody {
    files: Vec<PlannedFile>,
    partitions: u32,
    region: String,
    /// Source kinds, highest priority first (every kind once).
    priority: Vec<SourceKind>,
    shared_email_threshold: u64,
    max_issues_per_file: u64,
    related_records: bool,
    salt: Vec<u8>,
    /// Suppression hashes, sorted (so equal plans serialize alike).
    suppressed: Vec<[u8; 32]>,
}

/// What every step of a partitioned merge shares: the input files in the order a
/// one-machine merge reads them (a file's index is its id), the number of partitions,
/// and the merge options (region, priorities, shared-email threshold, suppression list,
/// report limits, whether related records are kept).
///
/// Its [`PartitionPlan::to_bytes`] form is what crosses processes; every blob made under
/// a plan carries the plan's [`PartitionPlan::id`], and a blob of another plan is refused.
///
/// ```
/// use creator_crm::import::SourceKind;
/// use creator_crm::merge::{MergeOptions, SourceFile};
/// use creator_crm::merge::partition::PartitionPlan;
///
/// let files = vec![SourceFile::new(SourceKind::Euka, "euka.csv")];
/// let plan = PartitionPlan::new(files, 4, &MergeOptions::default())?;
/// let again = PartitionPlan::from_bytes(&plan.to_bytes()?)?;
/// assert_eq!(again.id(), plan.id());
/// assert_eq!(again.partitions(), 4);
/// # Ok::<(), creator_crm::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct PartitionPlan {
    files: Vec<PlannedFile>,
    partitions: u32,
    options: MergeOptions,
    id: u64,
}

impl PartitionPlan {
    /// A plan for `files` (read in this order by the one-machine merge it equals) over
    /// `partitions` partitions, merged with `options` (its thread count and progress
    /// hook are not part of a plan).
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidInput`]: `partitions` outside `1..=65536`; two files
    /// with one name (field `files`); a file with a column mapping (field `columns`:
    /// plans take the built-in header aliases only); more than
    /// [`crate::merge::MAX_FILES`] files.
    pub fn new(files: Vec<SourceFile>, partitions: u32, options: &MergeOptions) -> Result<Self> {
        if partitions == 0 || partitions > MAX_PARTITIONS {
            return Err(Error::invalid(
                "partitions",
                "partitions must be between 1 and 65536",
            ));
        }
        if files.len() > crate::merge::MAX_FILES {
            return Err(Error::invalid("files", "too many files"));
        }
        let mut planned: Vec<PlannedFile> = Vec::with_capacity(files.len());
        for f in files {
            if !f.columns.is_empty() {
                return Err(Error::invalid(
                    "columns",
                    "a partitioned merge takes no column mapping",
                ));
            }
            if planned.iter().any(|p| p.name == f.name) {
                return Err(Error::invalid("files", "two files with one name"));
            }
            planned.push(PlannedFile {
                kind: f.kind,
                name: f.name,
                observed_at: f.observed_at,
                brand: f.brand,
            });
        }
        let options = MergeOptions {
            region: options.region,
            priority: options.priority.clone(),
            shared_email_threshold: options.shared_email_threshold,
            suppression: options.suppression.clone(),
            max_issues_per_file: options.max_issues_per_file,
            related_records: options.related_records,
            ..MergeOptions::default()
        };
        let mut plan = PartitionPlan {
            files: planned,
            partitions,
            options,
            id: 0,
        };
        plan.id = blob::plan_id(&blob::encode_body(&plan.body())?);
        Ok(plan)
    }

    /// The plan's files; a file's index is its id.
    pub fn files(&self) -> &[PlannedFile] {
        &self.files
    }

    /// The file with id `file`.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidInput`] on field `file` for an id the plan does not have.
    pub fn file(&self, file: u32) -> Result<&PlannedFile> {
        usize::try_from(file)
            .ok()
            .and_then(|i| self.files.get(i))
            .ok_or_else(|| Error::invalid("file", "no such file in the plan"))
    }

    /// Number of partitions.
    pub fn partitions(&self) -> u32 {
        self.partitions
    }

    /// Checks that `partition` is one of the plan's.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidInput`] on field `partition`.
    pub fn check_partition(&self, partition: u32) -> Result<()> {
        if partition < self.partitions {
            Ok(())
        } else {
            Err(Error::invalid("partition", "no such partition in the plan"))
        }
    }

    /// The merge options every partition merges with (one thread, no progress hook).
    pub fn options(&self) -> &MergeOptions {
        &self.options
    }

    /// A fingerprint of the plan (xxh3 of its bytes), stamped on every blob made under it.
    pub fn id(&self) -> u64 {
        self.id
    }

    fn body(&self) -> PlanBody {
        let o = &self.options;
        let mut kinds = SourceKind::ALL.to_vec();
        kinds.sort_by_key(|k| std::cmp::Reverse(o.priority.rank(*k)));
        let mut suppressed: Vec<[u8; 32]> = o.suppression.hashes().copied().collect();
        suppressed.sort_unstable();
        PlanBody {
            files: self.files.clone(),
            partitions: self.partitions,
            region: o.region.as_str().to_owned(),
            priority: kinds,
            shared_email_threshold: o.shared_email_threshold as u64,
            max_issues_per_file: o.max_issues_per_file as u64,
            related_records: o.related_records,
            salt: o.suppression.salt().to_vec(),
            suppressed,
        }
    }

    /// The plan as bytes (see [`PartitionPlan::from_bytes`]).
    ///
    /// # Errors
    /// Never in practice: serializing a plan cannot fail.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        blob::seal(Tag::Plan, self.id, &self.body())
    }

    /// The plan [`PartitionPlan::to_bytes`] gave.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidInput`] on field `blob` for bytes that are not a plan
    /// (another blob, another version, corrupt), and as [`PartitionPlan::new`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let (id, body): (u64, PlanBody) = blob::open_any(Tag::Plan, bytes)?;
        let region = Region::parse(&body.region)?;
        let mut suppression = SuppressionList::new(&body.salt);
        for h in body.suppressed {
            suppression.insert_hash(h);
        }
        let options = MergeOptions {
            region,
            priority: SourcePriority::new(body.priority),
            shared_email_threshold: usize::try_from(body.shared_email_threshold)
                .unwrap_or(usize::MAX),
            suppression,
            max_issues_per_file: usize::try_from(body.max_issues_per_file).unwrap_or(usize::MAX),
            related_records: body.related_records,
            ..MergeOptions::default()
        };
        let files = body.files.iter().map(PlannedFile::source_file).collect();
        let plan = PartitionPlan::new(files, body.partitions, &options)?;
        if plan.id != id {
            return Err(blob::corrupt());
        }
        Ok(plan)
    }
}
