//! Node bindings of `creator_crm::merge`: merge source exports (files or in-memory rows)
//! into one creator table with a report.

use std::collections::HashMap;

use creator_crm::{
    Error,
    identity::Region,
    import::{Column, SourceKind},
    merge::{self, MergeOptions, Merger, SourceFile},
};
use napi::{Env, Task, bindgen_prelude::AsyncTask};
use napi_derive::napi;

use crate::errors::to_napi_error;

/// Options of the merge calls.
#[napi(object, js_name = "MergeOptions")]
pub struct MergeOptionsJs {
    /// Region for phone numbers written without a country code (default `"US"`).
    pub default_region: Option<String>,
}

/// One merged creator.
#[napi(object)]
pub struct Creator {
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
    /// Given name (may be empty).
    pub first_name: String,
    /// Family name (may be empty).
    pub last_name: String,
    /// Street line.
    pub address_line1: String,
    /// Apartment, suite.
    pub address_line2: String,
    /// City.
    pub city: String,
    /// Two-letter US state code, else as written.
    pub state: String,
    /// ZIP code as text.
    pub zipcode: String,
    /// Country.
    pub country: String,
    /// Followers from the latest snapshot.
    pub follower_count: Option<i64>,
    /// Total GMV as a decimal string (exact; parse with a decimal library if needed).
    pub total_gmv: String,
    /// Outreach status: `"pending"` for merged creators.
    pub outreach_status: String,
    /// Sources the creator was seen in, in priority order.
    pub sources: Vec<String>,
    /// Number of losing values kept as alternates.
    pub alternates: u32,
}

impl From<&merge::Creator> for Creator {
    fn from(c: &merge::Creator) -> Self {
        Creator {
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
            follower_count: c.follower_count.and_then(|n| i64::try_from(n).ok()),
            total_gmv: c.total_gmv.to_string(),
            outreach_status: c.outreach_status.as_str().to_owned(),
            sources: c.sources.iter().map(|s| s.as_str().to_owned()).collect(),
            alternates: u32::try_from(c.alternates.len()).unwrap_or(u32::MAX),
        }
    }
}

/// A rejected row: line and reason, never the row's data.
#[napi(object)]
pub struct RowIssue {
    /// 1-based line (file) or row number (in-memory rows).
    pub line: i64,
    /// The column concerned.
    pub field: Option<String>,
    /// Short reason.
    pub reason: String,
}

/// What happened to one source.
#[napi(object)]
pub struct FileReport {
    /// The source's name (path, or the kind for in-memory rows).
    pub name: String,
    /// Its source kind.
    pub kind: String,
    /// Data rows read.
    pub rows_read: i64,
    /// Rows rejected.
    pub rows_rejected: i64,
    /// Rows identical to an earlier row of the same source.
    pub duplicates_collapsed: i64,
    /// Rejected rows by reason.
    pub rejected_by_reason: HashMap<String, i64>,
    /// Dropped values by reason (the row was kept).
    pub dropped_by_reason: HashMap<String, i64>,
    /// The first rejected rows.
    pub rejected: Vec<RowIssue>,
}

/// What a merge did, in numbers.
#[napi(object)]
pub struct MergeReport {
    /// Per source, by name.
    pub files: Vec<FileReport>,
    /// Data rows read.
    pub rows_read: i64,
    /// Rows rejected as a whole.
    pub rows_rejected: i64,
    /// Values dropped from kept rows.
    pub values_dropped: i64,
    /// Duplicate rows collapsed.
    pub duplicates_collapsed: i64,
    /// Creators in the result.
    pub creators: i64,
    /// Creator fields filled, summed.
    pub fields_filled: i64,
    /// Conflicts.
    pub conflicts: i64,
    /// Creators whose masked phone a full number confirmed.
    pub masked_phones_upgraded: i64,
    /// Team-inbox emails used by nobody.
    pub shared_emails_dropped: i64,
    /// Creators left out by the suppression list.
    pub creators_suppressed: i64,
}

fn n(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn counts(m: &std::collections::BTreeMap<String, u64>) -> HashMap<String, i64> {
    m.iter().map(|(k, v)| (k.clone(), n(*v))).collect()
}

impl From<&merge::MergeReport> for MergeReport {
    fn from(r: &merge::MergeReport) -> Self {
        MergeReport {
            files: r
                .files
                .iter()
                .map(|f| FileReport {
                    name: f.name.clone(),
                    kind: f.kind.as_str().to_owned(),
                    rows_read: n(f.rows_read),
                    rows_rejected: n(f.rows_rejected),
                    duplicates_collapsed: n(f.duplicates_collapsed),
                    rejected_by_reason: counts(&f.rejected_by_reason),
                    dropped_by_reason: counts(&f.dropped_by_reason),
                    rejected: f
                        .rejected
                        .iter()
                        .map(|i| RowIssue {
                            line: n(i.line),
                            field: i.field.clone(),
                            reason: i.reason.clone(),
                        })
                        .collect(),
                })
                .collect(),
            rows_read: n(r.rows_read),
            rows_rejected: n(r.rows_rejected),
            values_dropped: n(r.values_dropped),
            duplicates_collapsed: n(r.duplicates_collapsed),
            creators: n(r.creators),
            fields_filled: n(r.fields_filled),
            conflicts: n(r.conflicts),
            masked_phones_upgraded: n(r.masked_phones_upgraded),
            shared_emails_dropped: n(r.shared_emails_dropped),
            creators_suppressed: n(r.creators_suppressed),
        }
    }
}

/// The outcome of a merge.
#[napi(object)]
pub struct MergeResult {
    /// Merged creators, sorted by handle.
    pub creators: Vec<Creator>,
    /// The report.
    pub report: MergeReport,
}

impl From<&merge::MergeResult> for MergeResult {
    fn from(r: &merge::MergeResult) -> Self {
        MergeResult {
            creators: r.creators.iter().map(Creator::from).collect(),
            report: MergeReport::from(&r.report),
        }
    }
}

fn region(options: &Option<MergeOptionsJs>) -> creator_crm::Result<Region> {
    match options.as_ref().and_then(|o| o.default_region.as_deref()) {
        Some(code) => Region::parse(code),
        None => Ok(Region::default()),
    }
}

/// A merger that resolves creators on as many threads as the machine has (the result is
/// the same as on one) and keeps of related records only what the creator table and the
/// report read: these calls return creators and the report.
fn merger(region: Region) -> Merger {
    Merger::new(MergeOptions {
        region,
        threads: threads(),
        related_records: false,
        ..MergeOptions::default()
    })
}

fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Sorted by kind name, so the outcome never depends on object key order.
fn sorted<T>(sources: HashMap<String, T>) -> Vec<(String, T)> {
    let mut v: Vec<(String, T)> = sources.into_iter().collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

/// Imports the files on as many threads as the machine has (up to one per file);
/// `Merger::import_many` gives the result of importing them one after the other.
fn merge_files(
    sources: HashMap<String, String>,
    region: Region,
) -> creator_crm::Result<merge::MergeResult> {
    let mut m = merger(region);
    let mut inputs = Vec::new();
    for (kind, path) in sorted(sources) {
        let kind: SourceKind = kind.parse()?;
        let file = SourceFile::new(kind, path.as_str());
        inputs.push(file.open(&path)?);
    }
    m.import_many(inputs, threads())?;
    Ok(m.into_creators())
}

/// Rows as objects of column → value. Keys are matched like CSV headers (any case and
/// punctuation: `"Phone #"`, `"phone"`); unknown keys are ignored.
type Rows = Vec<HashMap<String, Option<String>>>;

fn merge_rows_inner(
    sources: HashMap<String, Rows>,
    region: Region,
) -> creator_crm::Result<merge::MergeResult> {
    let mut m = merger(region);
    for (kind_name, rows) in sorted(sources) {
        let kind: SourceKind = kind_name.parse()?;
        let file = SourceFile::new(kind, kind_name);
        for (i, row) in rows.iter().enumerate() {
            let cells: Vec<(Column, &str)> = row
                .iter()
                .filter_map(|(k, v)| Some((k.parse::<Column>().ok()?, v.as_deref()?)))
                .collect();
            m.add_cells(&file, u64::try_from(i + 1).unwrap_or(u64::MAX), &cells)?;
        }
    }
    Ok(m.into_creators())
}

/// Merges source export files into one creator table.
///
/// `sources` maps a source kind (`"sample_orders"`, `"euka"`, `"phone_numbers"`,
/// `"refunnel"`, `"videos"`, `"products"`) to a CSV path. Bad rows never throw: they are
/// counted in `report`. Throws an `ImportError` when a file cannot be read at all, an
/// `InvalidInputError` for an unknown kind or region.
///
/// ```js
/// const { creators, report } = mergeExports({ euka: 'euka.csv', sample_orders: 'orders.csv' })
/// ```
#[napi(catch_unwind)]
pub fn merge_exports(
    env: Env,
    sources: HashMap<String, String>,
    options: Option<MergeOptionsJs>,
) -> napi::Result<MergeResult> {
    region(&options)
        .and_then(|r| merge_files(sources, r))
        .map(|r| MergeResult::from(&r))
        .map_err(|e| to_napi_error(&env, &e))
}

/// Merges in-memory rows: `sources` maps a source kind to an array of row objects
/// (column → value, columns named as in the exports). A row's `line` in the report is
/// its 1-based index.
///
/// ```js
/// mergeRows({ euka: [{ handle: '@Ana', email: 'ana@mailbox.org' }] }).creators[0].tiktokUsername // 'ana'
/// ```
#[napi(
    catch_unwind,
    ts_args_type = "sources: Record<string, Array<Record<string, string | null>>>, options?: MergeOptions | undefined | null"
)]
pub fn merge_rows(
    env: Env,
    sources: HashMap<String, Rows>,
    options: Option<MergeOptionsJs>,
) -> napi::Result<MergeResult> {
    region(&options)
        .and_then(|r| merge_rows_inner(sources, r))
        .map(|r| MergeResult::from(&r))
        .map_err(|e| to_napi_error(&env, &e))
}

/// The work of [`merge_exports_async`], run on the libuv thread pool.
pub struct MergeExportsTask {
    sources: HashMap<String, String>,
    region: creator_crm::Result<Region>,
    /// The core error, kept to build the JavaScript error in [`Task::reject`].
    failure: Option<Error>,
}

impl Task for MergeExportsTask {
    type Output = merge::MergeResult;
    type JsValue = MergeResult;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let result = match &self.region {
            Ok(region) => merge_files(std::mem::take(&mut self.sources), *region),
            Err(e) => Err(Error::invalid(
                e.field().unwrap_or("region").to_owned(),
                e.reason().to_owned(),
            )),
        };
        result.map_err(|e| {
            let message = e.to_string();
            self.failure = Some(e);
            napi::Error::from_reason(message)
        })
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        Ok(MergeResult::from(&output))
    }

    fn reject(&mut self, env: Env, err: napi::Error) -> napi::Result<Self::JsValue> {
        match &self.failure {
            Some(core) => Err(to_napi_error(&env, core)),
            None => Err(err),
        }
    }
}

/// `mergeExports` off the JavaScript thread: same result, as a promise.
#[napi(catch_unwind, ts_return_type = "Promise<MergeResult>")]
pub fn merge_exports_async(
    sources: HashMap<String, String>,
    options: Option<MergeOptionsJs>,
) -> AsyncTask<MergeExportsTask> {
    AsyncTask::new(MergeExportsTask {
        sources,
        region: region(&options),
        failure: None,
    })
}
