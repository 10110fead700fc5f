//! Node bindings of `creator_crm::merge`: merge source exports (files, in-memory CSV
//! or rows) into one creator table with its related records and a report, in one call
//! (`mergeExports`, `mergeRows`) or incrementally (the `Merger` class).

use std::{collections::HashMap, sync::Arc};

use creator_crm::{
    Error, host,
    identity::Region,
    import::SourceKind,
    merge::{self, Finish, MergeOptions, SourceFile, SourcePriority},
};
use napi::{
    Env, JsValue, ScopedTask, Status,
    bindgen_prelude::{AsyncTask, JsObjectValue, Object, ToNapiValue, TypeName, Unknown},
    threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode},
};
use napi_derive::napi;

use crate::{errors::to_napi_error, table};
use serde_json::Value;

/// The JavaScript progress callback, callable from any thread.
pub type ProgressFn =
    ThreadsafeFunction<MergeProgress, Unknown<'static>, MergeProgress, Status, false>;

/// Options of the merge calls and of `new Merger()`.
#[napi(object, js_name = "MergeOptions", object_to_js = false)]
#[derive(Default)]
pub struct MergeOptionsJs {
    /// Region for phone numbers written without a country code (default `"US"`).
    pub default_region: Option<String>,
    /// Contact-field priority, highest first, as source kinds (default `["manual",
    /// "euka", "phone_numbers", "refunnel", "sample_orders", "videos"]`; kinds left out
    /// rank below the ones named).
    #[napi(ts_type = "Array<SourceKind>")]
    pub priorities: Option<Vec<String>>,
    /// An email seen on this many creators or more is a team inbox, used by none (default 3).
    pub shared_email_threshold: Option<u32>,
    /// Keep the related records (samples, videos, video products, snapshots, brand
    /// links, products) in the result (default `true`). Off, the merge keeps only what
    /// the creator table and the report read, in well under half the memory, and the
    /// related-record arrays come back empty.
    pub related_records: Option<bool>,
    /// Called with the progress of each file's import (every 65,536 rows and at the
    /// file's end). The merge never waits for it: reports are queued for the JavaScript
    /// thread, so they arrive while an `…Async` call runs, and only after a synchronous
    /// call returns.
    #[napi(ts_type = "(progress: MergeProgress) => void")]
    pub on_progress: Option<ProgressFn>,
}

fn n(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// The outcome of a merge: the creator table, its related records and the report,
/// each row built from core's table definitions (see `tableColumns`).
///
/// The object a merge call returns also carries the merge itself, invisibly, for the
/// analytics calls (`sampleConversion`, `dashboard`, ...), and keeps it in memory as long
/// as the object lives; a copy (`{ ...result }`, `structuredClone`) carries only the rows.
#[napi(object, object_from_js = false)]
pub struct MergeResult {
    /// Merged creators, sorted by handle.
    #[napi(ts_type = "Array<Creator>")]
    pub creators: Value,
    /// Sample order lines, deduplicated by `(orderId, skuId)`.
    #[napi(ts_type = "Array<Sample>")]
    pub samples: Value,
    /// Videos, deduplicated by `videoId`.
    #[napi(ts_type = "Array<Video>")]
    pub videos: Value,
    /// Which products each video features.
    #[napi(ts_type = "Array<VideoProduct>")]
    pub video_products: Value,
    /// Metric snapshots, one per `(tiktokUsername, date, source)`.
    #[napi(ts_type = "Array<Snapshot>")]
    pub snapshots: Value,
    /// Which brands each creator works with.
    #[napi(ts_type = "Array<BrandLink>")]
    pub brand_links: Value,
    /// Products, deduplicated by `productId`.
    #[napi(ts_type = "Array<Product>")]
    pub products: Value,
    /// Creator fields that had more than one value: which source won, which lost
    /// (source kinds only, never the values).
    #[napi(ts_type = "Array<Conflict>")]
    pub conflicts: Value,
    /// The report.
    #[napi(ts_type = "MergeReport")]
    pub report: Value,
}

impl From<&merge::MergeResult> for MergeResult {
    fn from(r: &merge::MergeResult) -> Self {
        MergeResult {
            creators: table::table(&r.creators),
            samples: table::table(&r.samples),
            videos: table::table(&r.videos),
            video_products: table::table(&r.video_products),
            snapshots: table::table(&r.snapshots),
            brand_links: table::table(&r.brand_links),
            products: table::table(&r.products),
            conflicts: table::table(&r.conflicts),
            report: table::report(&r.report),
        }
    }
}

/// The core result a `MergeResult` object carries, invisibly (`napi_wrap`), for the
/// analytics to read: the object JavaScript holds is the merge, so the analytics take it
/// as their input, and a copy of it (`{ ...result }`, `structuredClone`) is not one.
pub(crate) struct Held(Arc<merge::MergeResult>);

/// A merge on its way to JavaScript: its tables, built where the merge ran, and the core
/// result the object will carry.
pub struct Merged {
    tables: MergeResult,
    core: Arc<merge::MergeResult>,
}

impl Merged {
    /// The tables of `core`, and `core` itself.
    pub(crate) fn new(core: merge::MergeResult) -> Self {
        Merged {
            tables: MergeResult::from(&core),
            core: Arc::new(core),
        }
    }

    /// The `MergeResult` object, carrying the core result.
    pub(crate) fn into_js(self, env: &Env) -> napi::Result<Object<'_>> {
        let mut obj = self.tables.into_unknown(env)?.coerce_to_object()?;
        obj.wrap(Held(self.core), None)?;
        Ok(obj)
    }
}

/// The core result carried by a `MergeResult` object of this library.
///
/// Throws an `InvalidInputError` (`field: "result"`) for any other object.
pub(crate) fn held(env: &Env, result: &Object<'_>) -> napi::Result<Arc<merge::MergeResult>> {
    result
        .unwrap::<Held>()
        .map(|h| Arc::clone(&h.0))
        .map_err(|_| {
            to_napi_error(
                env,
                &Error::invalid(
                    "result",
                    "not a MergeResult returned by mergeExports, mergeRows or Merger.result",
                ),
            )
        })
}

/// How far the import of one file has got, as `onProgress` receives it: every 65,536
/// rows of a file and once at its end.
#[napi(object)]
pub struct MergeProgress {
    /// The file's name (its path for files).
    pub file: String,
    /// Its source kind.
    #[napi(ts_type = "SourceKind")]
    pub kind: String,
    /// Bytes of the file read so far.
    pub bytes_read: i64,
    /// The file's size, when known (files; not in-memory CSV).
    pub total_bytes: Option<i64>,
    /// Data rows of the file read so far.
    pub rows_read: i64,
    /// True for the report at the file's end.
    pub done: bool,
}

/// A core progress hook that queues each report for the JavaScript callback without
/// waiting for it (the merge never blocks on JavaScript).
fn progress_hook(callback: ProgressFn) -> merge::ProgressHook {
    merge::ProgressHook::new(move |p| {
        callback.call(
            MergeProgress {
                file: p.file.to_owned(),
                kind: p.kind.as_str().to_owned(),
                bytes_read: n(p.bytes_read),
                total_bytes: p.total_bytes.map(n),
                rows_read: n(p.rows_read),
                done: p.done,
            },
            ThreadsafeFunctionCallMode::NonBlocking,
        );
    })
}

/// Core options from the JavaScript ones.
pub(crate) fn core_options(options: Option<MergeOptionsJs>) -> creator_crm::Result<MergeOptions> {
    let mut o = MergeOptions {
        threads: threads(),
        ..MergeOptions::default()
    };
    let Some(js) = options else { return Ok(o) };
    if let Some(code) = js.default_region.as_deref() {
        o.region = Region::parse(code)?;
    }
    if let Some(names) = &js.priorities {
        o.priority = SourcePriority::from_names(names.iter().map(String::as_str))?;
    }
    if let Some(t) = js.shared_email_threshold {
        o.shared_email_threshold = t as usize;
    }
    if let Some(related) = js.related_records {
        o.related_records = related;
    }
    o.progress = js.on_progress.map(progress_hook);
    Ok(o)
}

pub(crate) fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Sorted by kind name, so the outcome never depends on object key order.
pub(crate) fn sorted<T>(sources: HashMap<String, T>) -> Vec<(String, T)> {
    let mut v: Vec<(String, T)> = sources.into_iter().collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

/// Imports the files on as many threads as the machine has (up to one per file), with
/// the result of importing them one after the other.
pub(crate) fn import_files(
    m: &mut merge::Merger,
    sources: Vec<(String, String)>,
) -> creator_crm::Result<()> {
    let mut inputs = Vec::new();
    for (kind, path) in sources {
        let kind: SourceKind = kind.parse()?;
        let file = SourceFile::new(kind, path.as_str());
        inputs.push(file.open(&path)?);
    }
    m.import_many(inputs, threads())
}

/// Rows as objects of column → value. Keys are matched like CSV headers (any case and
/// punctuation: `"Phone #"`, `"phone"`); unknown keys are ignored.
pub(crate) type Rows = Vec<HashMap<String, Option<String>>>;

/// Adds `rows` to `m` as one source named `name`; errors are `host::add_rows`'s.
pub(crate) fn add_rows(
    m: &mut merge::Merger,
    kind: SourceKind,
    name: &str,
    rows: &Rows,
) -> creator_crm::Result<()> {
    let cells = rows.iter().map(|row| {
        row.iter()
            .filter_map(|(k, v)| Some((k.as_str(), v.as_deref()?)))
    });
    host::add_rows(m, kind, name, cells)
}

/// The result, with related records when the options keep them.
/// The merger is kept, so more sources can be added after.
pub(crate) fn finish(m: &mut merge::Merger) -> merge::MergeResult {
    let what = if m.options().related_records {
        Finish::Everything
    } else {
        Finish::CreatorsOnly
    };
    m.finish(what)
}

fn merge_files(
    sources: HashMap<String, String>,
    options: MergeOptions,
) -> creator_crm::Result<merge::MergeResult> {
    let mut m = merge::Merger::new(options);
    import_files(&mut m, sorted(sources))?;
    let what = if m.options().related_records {
        Finish::Everything
    } else {
        Finish::CreatorsReleasing
    };
    Ok(m.finish(what))
}

/// Merges source export files into one creator table with its related records.
///
/// `sources` maps a source kind (`"sample_orders"`, `"euka"`, `"phone_numbers"`,
/// `"refunnel"`, `"videos"`, `"products"`) to a CSV path. Bad rows never throw: they are
/// counted in `report`. Throws an `ImportError` when a file cannot be read at all, an
/// `InvalidInputError` for an unknown kind, region or priority. `onProgress` is not
/// called: use `mergeExportsAsync` for progress.
///
/// ```js
/// const { creators, samples, report } = mergeExports({ euka: 'euka.csv', sample_orders: 'orders.csv' })
/// ```
#[napi(
    catch_unwind,
    ts_args_type = "sources: Sources<string>, options?: MergeOptions | undefined | null",
    ts_return_type = "MergeResult"
)]
pub fn merge_exports<'env>(
    env: &'env Env,
    sources: HashMap<String, String>,
    options: Option<MergeOptionsJs>,
) -> napi::Result<Object<'env>> {
    core_options(options)
        .and_then(|o| merge_files(sources, o))
        .map_err(|e| to_napi_error(env, &e))
        .and_then(|r| Merged::new(r).into_js(env))
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
    ts_args_type = "sources: Sources<Array<ExportRow>>, options?: MergeOptions | undefined | null",
    ts_return_type = "MergeResult"
)]
pub fn merge_rows<'env>(
    env: &'env Env,
    sources: HashMap<String, Rows>,
    options: Option<MergeOptionsJs>,
) -> napi::Result<Object<'env>> {
    let run = || -> creator_crm::Result<merge::MergeResult> {
        let mut m = merge::Merger::new(core_options(options)?);
        for (kind, rows) in sorted(sources) {
            add_rows(&mut m, kind.parse()?, &kind, &rows)?;
        }
        Ok(finish(&mut m))
    };
    run()
        .map_err(|e| to_napi_error(env, &e))
        .and_then(|r| Merged::new(r).into_js(env))
}

/// Runs core work on the libuv thread pool and keeps the core error, so that
/// `reject` can build the typed JavaScript error where the `Env` is at hand.
pub struct CoreTask<T: Send + 'static> {
    work: Option<Box<dyn FnOnce() -> creator_crm::Result<T> + Send>>,
    failure: Option<Error>,
}

impl<T: Send + 'static> CoreTask<T> {
    pub(crate) fn new(work: impl FnOnce() -> creator_crm::Result<T> + Send + 'static) -> Self {
        CoreTask {
            work: Some(Box::new(work)),
            failure: None,
        }
    }
}

/// What a [`CoreTask`] hands back to JavaScript.
pub trait ToJs: Send + Sized + 'static {
    /// The JavaScript value.
    type Js<'env>: ToNapiValue + TypeName;
    /// Converts on the JavaScript thread.
    fn to_js(self, env: &Env) -> napi::Result<Self::Js<'_>>;
}

/// The tables are built on the worker thread: only the hand-over to JavaScript (and
/// attaching the core result) is left to `resolve`.
impl ToJs for Merged {
    type Js<'env> = Object<'env>;
    fn to_js(self, env: &Env) -> napi::Result<Object<'_>> {
        self.into_js(env)
    }
}

/// CSV text.
impl ToJs for String {
    type Js<'env> = String;
    fn to_js(self, _env: &Env) -> napi::Result<String> {
        Ok(self)
    }
}

impl ToJs for () {
    type Js<'env> = ();
    fn to_js(self, _env: &Env) -> napi::Result<()> {
        Ok(())
    }
}

impl<'task, T: ToJs> ScopedTask<'task> for CoreTask<T> {
    type Output = T;
    type JsValue = T::Js<'task>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let work = self
            .work
            .take()
            .ok_or_else(|| napi::Error::from_reason("task already run"))?;
        work().map_err(|e| {
            let message = e.to_string();
            self.failure = Some(e);
            napi::Error::from_reason(message)
        })
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        output.to_js(env)
    }

    fn reject(&mut self, env: &'task Env, err: napi::Error) -> napi::Result<Self::JsValue> {
        match &self.failure {
            Some(core) => Err(to_napi_error(env, core)),
            None => Err(err),
        }
    }
}

/// `mergeExports` off the JavaScript thread: same result, as a promise, with
/// `options.onProgress` called as the files are read.
#[napi(
    catch_unwind,
    ts_args_type = "sources: Sources<string>, options?: MergeOptions | undefined | null",
    ts_return_type = "Promise<MergeResult>"
)]
pub fn merge_exports_async(
    sources: HashMap<String, String>,
    options: Option<MergeOptionsJs>,
) -> AsyncTask<CoreTask<Merged>> {
    let parsed = core_options(options);
    AsyncTask::new(CoreTask::new(move || {
        merge_files(sources, parsed?).map(Merged::new)
    }))
}
