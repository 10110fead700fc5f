//! The `Merger` class: an incremental merge without a store. Sources are added one at
//! a time (files, in-memory CSV, rows), then `result()` gives what `mergeExports` gives
//! on the same inputs.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, MutexGuard},
};

use creator_crm::{Error, import::SourceKind, merge};
use napi::{
    Env,
    bindgen_prelude::{AsyncTask, Buffer, Either},
};
use napi_derive::napi;

use crate::{
    errors::to_napi_error,
    merge::{
        CoreTask, MergeOptionsJs, MergeResult, ProgressFn, Rows, add_rows, core_options, finish,
        import_files, sorted,
    },
};

/// An incremental merge: add sources in any order, then read the result (as often as
/// wanted; adding more sources afterwards is allowed). The result does not depend on
/// the order sources were added in, and equals `mergeExports` on the same inputs.
///
/// A call made while an `…Async` call of the same merger runs waits for it.
///
/// ```js
/// const m = new Merger({ defaultRegion: 'US' })
/// m.addFile('euka', 'euka.csv')
/// m.addCsv('phone_numbers', 'Username,Phone #\nana,(+1)8325550159\n', 'phones.csv')
/// const { creators, report } = m.result()
/// ```
#[napi(js_name = "Merger")]
pub struct MergerJs {
    inner: Arc<Mutex<merge::Merger>>,
    progress: Option<Arc<ProgressFn>>,
}

fn locked<'a>(env: &Env, m: &'a Mutex<merge::Merger>) -> napi::Result<MutexGuard<'a, merge::Merger>> {
    m.lock()
        .map_err(|_| to_napi_error(env, &Error::invalid("merger", "unusable after an internal error")))
}

fn lock_core(m: &Mutex<merge::Merger>) -> creator_crm::Result<MutexGuard<'_, merge::Merger>> {
    m.lock()
        .map_err(|_| Error::invalid("merger", "unusable after an internal error"))
}

#[napi]
impl MergerJs {
    /// A merger with these options (`onProgress` is called by `addFilesAsync`).
    ///
    /// Throws an `InvalidInputError` for an unknown region or source kind in `priorities`.
    #[napi(constructor, catch_unwind)]
    pub fn new(env: Env, options: Option<MergeOptionsJs>) -> napi::Result<Self> {
        let core = core_options(options.as_ref()).map_err(|e| to_napi_error(&env, &e))?;
        Ok(MergerJs {
            inner: Arc::new(Mutex::new(merge::Merger::new(core))),
            progress: options.and_then(|o| o.on_progress).map(Arc::new),
        })
    }

    /// Imports one CSV export of `kind` from `path`; the path names the file in the
    /// report and in provenance, so adding the same path twice changes nothing.
    ///
    /// Throws an `ImportError` when the file cannot be read at all.
    #[napi(catch_unwind)]
    pub fn add_file(&self, env: Env, kind: String, path: String) -> napi::Result<()> {
        let mut m = locked(&env, &self.inner)?;
        import_files(&mut m, vec![(kind, path)], None).map_err(|e| to_napi_error(&env, &e))
    }

    /// Imports several files at once (kind → path, like `mergeExports`), on as many
    /// threads as the machine has; the same result as adding them one by one.
    #[napi(catch_unwind)]
    pub fn add_files(&self, env: Env, sources: HashMap<String, String>) -> napi::Result<()> {
        let mut m = locked(&env, &self.inner)?;
        import_files(&mut m, sorted(sources), None).map_err(|e| to_napi_error(&env, &e))
    }

    /// `addFiles` off the JavaScript thread, calling the constructor's `onProgress`.
    #[napi(catch_unwind, ts_return_type = "Promise<void>")]
    pub fn add_files_async(&self, sources: HashMap<String, String>) -> AsyncTask<CoreTask<()>> {
        let inner = Arc::clone(&self.inner);
        let progress = self.progress.clone();
        AsyncTask::new(CoreTask::new(move || {
            let mut m = lock_core(&inner)?;
            import_files(&mut m, sorted(sources), progress)
        }))
    }

    /// Imports an in-memory CSV export (text or bytes in any of the encodings the
    /// importer reads). `name` identifies it (default: the kind): two different inputs
    /// of one kind need two names.
    #[napi(
        catch_unwind,
        ts_args_type = "kind: string, data: string | Buffer, name?: string | undefined | null"
    )]
    pub fn add_csv(
        &self,
        env: Env,
        kind: String,
        data: Either<String, Buffer>,
        name: Option<String>,
    ) -> napi::Result<()> {
        let run = || -> creator_crm::Result<()> {
            let kind_parsed: SourceKind = kind.parse()?;
            let file = merge::SourceFile::new(kind_parsed, name.unwrap_or(kind));
            let mut m = lock_core(&self.inner)?;
            match &data {
                Either::A(text) => m.import_csv(&file, text.as_bytes()),
                Either::B(bytes) => m.import_csv(&file, &bytes[..]),
            }
        };
        run().map_err(|e| to_napi_error(&env, &e))
    }

    /// Adds in-memory rows of `kind` (column → value objects, as `mergeRows` takes).
    /// `name` identifies them (default: the kind).
    #[napi(
        catch_unwind,
        ts_args_type = "kind: string, rows: Array<Record<string, string | null>>, name?: string | undefined | null"
    )]
    pub fn add_rows(
        &self,
        env: Env,
        kind: String,
        rows: Rows,
        name: Option<String>,
    ) -> napi::Result<()> {
        let mut m = locked(&env, &self.inner)?;
        let name = name.unwrap_or_else(|| kind.clone());
        add_rows(&mut m, &kind, &name, &rows).map_err(|e| to_napi_error(&env, &e))
    }

    /// Creators merged so far.
    #[napi(getter, catch_unwind)]
    pub fn creator_count(&self, env: Env) -> napi::Result<u32> {
        let m = locked(&env, &self.inner)?;
        Ok(u32::try_from(m.creator_count()).unwrap_or(u32::MAX))
    }

    /// The merge of everything added so far (the merger stays usable).
    #[napi(catch_unwind)]
    pub fn result(&self, env: Env) -> napi::Result<MergeResult> {
        let m = locked(&env, &self.inner)?;
        Ok(MergeResult::from(&finish(&m)))
    }

    /// `result()` off the JavaScript thread.
    #[napi(catch_unwind, ts_return_type = "Promise<MergeResult>")]
    pub fn result_async(&self) -> AsyncTask<CoreTask<merge::MergeResult>> {
        let inner = Arc::clone(&self.inner);
        AsyncTask::new(CoreTask::new(move || Ok(finish(&*lock_core(&inner)?))))
    }
}
