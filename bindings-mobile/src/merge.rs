//! Mobile bindings of `creator_crm::merge`: in-memory rows in, merged creators out.

use creator_crm::{
    identity::Region,
    import::{Column, SourceKind},
    merge::{self, MergeOptions, Merger, SourceFile},
};

use crate::errors::CrmError;

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

/// The rows of one source kind (`"euka"`, `"sample_orders"`, ...).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SourceRows {
    /// The source kind.
    pub kind: String,
    /// Rows, each a list of cells; a row's line in the report is its 1-based index.
    pub rows: Vec<Vec<Cell>>,
}

/// One merged creator. Its text form (`toString` in Kotlin, `description` in Swift) shows
/// the handle only: the rest is personal data.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct MergedCreator {
    /// The key: normalized TikTok username.
    pub tiktok_username: String,
    /// Best email, if any.
    pub email: Option<String>,
    /// Best full phone number (E.164), if any.
    pub phone: Option<String>,
    /// A masked phone (`+1 832*****59`) when no full number is known.
    pub phone_masked: Option<String>,
    /// True when a masked number from a source agrees with the full number.
    pub phone_verified: bool,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Street line.
    pub address_line1: String,
    /// Apartment, suite.
    pub address_line2: String,
    /// City.
    pub city: String,
    /// State.
    pub state: String,
    /// ZIP code as text.
    pub zipcode: String,
    /// Country.
    pub country: String,
    /// Followers from the latest snapshot.
    pub follower_count: Option<u64>,
    /// Total GMV as an exact decimal string.
    pub total_gmv: String,
    /// Outreach status (`pending`).
    pub outreach_status: String,
    /// Sources the creator was seen in, in priority order.
    pub sources: Vec<String>,
}

impl std::fmt::Debug for MergedCreator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MergedCreator({}, <redacted>)", self.tiktok_username)
    }
}

display_as_debug!(MergedCreator);

impl From<&merge::Creator> for MergedCreator {
    fn from(c: &merge::Creator) -> Self {
        MergedCreator {
            tiktok_username: c.handle.as_str().to_owned(),
            email: c.email.as_ref().map(|e| e.as_str().to_owned()),
            phone: c.phone.as_ref().map(|p| p.as_str().to_owned()),
            phone_masked: c.phone_masked.as_ref().map(merge::masked_text),
            phone_verified: c.phone_verified,
            first_name: c.first_name.to_string(),
            last_name: c.last_name.to_string(),
            address_line1: c.address.line1.to_string(),
            address_line2: c.address.line2.to_string(),
            city: c.address.city.to_string(),
            state: c.address.state.to_string(),
            zipcode: c.address.zip.to_string(),
            country: c.address.country.to_string(),
            follower_count: c.follower_count,
            total_gmv: c.total_gmv.to_string(),
            outreach_status: c.outreach_status.as_str().to_owned(),
            sources: c.sources.iter().map(|s| s.as_str().to_owned()).collect(),
        }
    }
}

/// The merge in numbers.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MergeSummary {
    /// Data rows read.
    pub rows_read: u64,
    /// Rows rejected as a whole.
    pub rows_rejected: u64,
    /// Creators in the result.
    pub creators: u64,
    /// Conflicts.
    pub conflicts: u64,
    /// Creators whose masked phone a full number confirmed.
    pub masked_phones_upgraded: u64,
    /// Duplicate rows collapsed.
    pub duplicates_collapsed: u64,
}

/// Merged creators and the report.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MergeOutcome {
    /// Creators sorted by handle.
    pub creators: Vec<MergedCreator>,
    /// The report.
    pub report: MergeSummary,
}

/// Merges in-memory rows of the source kinds into one creator table.
///
/// # Errors
/// `InvalidInput` for an unknown source kind or region.
#[uniffi::export]
pub fn merge_rows(
    sources: Vec<SourceRows>,
    default_region: Option<String>,
) -> Result<MergeOutcome, CrmError> {
    let region = default_region.map_or(Ok(Region::default()), |r| Region::parse(&r))?;
    // Creators and the report only: related records are kept no further than they need.
    let mut merger = Merger::new(MergeOptions {
        region,
        related_records: false,
        ..MergeOptions::default()
    });
    let mut sources = sources;
    sources.sort_by(|a, b| a.kind.cmp(&b.kind));
    for source in &sources {
        let kind: SourceKind = source.kind.parse()?;
        let file = SourceFile::new(kind, source.kind.as_str());
        for (i, row) in source.rows.iter().enumerate() {
            let cells: Vec<(Column, &str)> = row
                .iter()
                .filter_map(|c| Some((c.column.parse::<Column>().ok()?, c.value.as_str())))
                .collect();
            merger.add_cells(&file, u64::try_from(i + 1).unwrap_or(u64::MAX), &cells)?;
        }
    }
    let r = merger.into_creators();
    Ok(MergeOutcome {
        creators: r.creators.iter().map(MergedCreator::from).collect(),
        report: MergeSummary {
            rows_read: r.report.rows_read,
            rows_rejected: r.report.rows_rejected,
            creators: r.report.creators,
            conflicts: r.report.conflicts,
            masked_phones_upgraded: r.report.masked_phones_upgraded,
            duplicates_collapsed: r.report.duplicates_collapsed,
        },
    })
}
