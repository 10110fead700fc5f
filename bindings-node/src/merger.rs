//! The `Merger` class: an incremental merge without a store. Sources are added one at
//! a time (files, in-memory CSV, rows), then `result()` gives what `mergeExports` gives
//! on the same inputs.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, MutexGuard},
};

use creator_crm::{
    Error,
    import::{SourceKind, values},
    merge,
};
use napi::{
    Env,
    bindgen_prelude::{AsyncTask, Buffer, Either, Object},
};
use napi_derive::napi;

use crate::{
    errors::to_napi_error,
    merge::{
        CoreTask, MergeOptionsJs, Merged, Rows, add_rows, core_options, finish, import_files,
        sorted,
    },
};

/// What is known about one source added to a `Merger`.
#[napi(object)]
#[derive(Default)]
pub struct SourceOptions {
    /// The name that identifies the source in the report and in provenance (default:
    /// the path for a file, the kind otherwise). Adding a name twice changes nothing,
    /// so two different inputs need two names.
    pub name: Option<String>,
    /// The brand whose export it is: every creator in it gets a brand link.
    pub brand: Option<String>,
    /// When the export was taken (ISO 8601; without an offset, UTC): rows without a
    /// date of their own are observed then, which decides ties between sources.
    pub observed_at: Option<String>,
}

/// Who `Merger.suppress` leaves out: any of these identifies the person.
#[napi(object)]
pub struct Suppression {
    /// Their TikTok handle.
    pub handle: Option<String>,
    /// An email of theirs.
    pub email: Option<String>,
    /// A full phone number of theirs.
    pub phone: Option<String>,
}

/// `firstName` → `first_name`; snake_case names are unchanged.
pub(crate) fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for ch in name.chars() {
        if ch.is_ascii_uppercase() {
            out.push('_');
            out.push(ch.to_ascii_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

/// The core source file of `kind` named `default_name` unless `options` names it.
fn source_file(
    kind: &str,
    default_name: &str,
    options: Option<SourceOptions>,
) -> creator_crm::Result<merge::SourceFile> {
    let kind: SourceKind = kind.parse()?;
    let o = options.unwrap_or_default();
    let mut file = merge::SourceFile::new(kind, o.name.as_deref().unwrap_or(default_name));
    if let Some(brand) = o.brand {
        file = file.brand(brand);
    }
    if let Some(at) = o.observed_at {
        file = file.observed_at(values::parse_datetime(&at, "observed_at")?);
    }
    Ok(file)
}

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
#[napi]
pub struct Merger {
    inner: Arc<Mutex<merge::Merger>>,
}

fn locked<'a>(
    env: &Env,
    m: &'a Mutex<merge::Merger>,
) -> napi::Result<MutexGuard<'a, merge::Merger>> {
    m.lock().map_err(|_| {
        to_napi_error(
            env,
            &Error::invalid("merger", "unusable after an internal error"),
        )
    })
}

fn lock_core(m: &Mutex<merge::Merger>) -> creator_crm::Result<MutexGuard<'_, merge::Merger>> {
    m.lock()
        .map_err(|_| Error::invalid("merger", "unusable after an internal error"))
}

#[napi]
impl Merger {
    /// A merger with these options (`onProgress` hears of every file it imports).
    ///
    /// Throws an `InvalidInputError` for an unknown region or source kind in `priorities`.
    #[napi(constructor, catch_unwind)]
    pub fn new(env: Env, options: Option<MergeOptionsJs>) -> napi::Result<Self> {
        let core = core_options(options).map_err(|e| to_napi_error(&env, &e))?;
        Ok(Merger {
            inner: Arc::new(Mutex::new(merge::Merger::new(core))),
        })
    }

    /// Imports one CSV export of `kind` from `path`; the path names the file in the
    /// report and in provenance (unless `options.name` does), so adding the same path
    /// twice changes nothing.
    ///
    /// Throws an `ImportError` when the file cannot be read at all.
    #[napi(
        catch_unwind,
        ts_args_type = "kind: SourceKind, path: string, options?: SourceOptions | undefined | null"
    )]
    pub fn add_file(
        &self,
        env: Env,
        kind: String,
        path: String,
        options: Option<SourceOptions>,
    ) -> napi::Result<()> {
        let run = || -> creator_crm::Result<()> {
            let file = source_file(&kind, &path, options)?;
            let input = file.open(&path)?;
            lock_core(&self.inner)?.import_csv(&input.file, input.reader)
        };
        run().map_err(|e| to_napi_error(&env, &e))
    }

    /// Imports several files at once (kind → path, like `mergeExports`), on as many
    /// threads as the machine has; the same result as adding them one by one.
    #[napi(catch_unwind, ts_args_type = "sources: Sources<string>")]
    pub fn add_files(&self, env: Env, sources: HashMap<String, String>) -> napi::Result<()> {
        let mut m = locked(&env, &self.inner)?;
        import_files(&mut m, sorted(sources)).map_err(|e| to_napi_error(&env, &e))
    }

    /// `addFiles` off the JavaScript thread; the constructor's `onProgress` hears of
    /// the files as they are read.
    #[napi(
        catch_unwind,
        ts_args_type = "sources: Sources<string>",
        ts_return_type = "Promise<void>"
    )]
    pub fn add_files_async(&self, sources: HashMap<String, String>) -> AsyncTask<CoreTask<()>> {
        let inner = Arc::clone(&self.inner);
        AsyncTask::new(CoreTask::new(move || {
            let mut m = lock_core(&inner)?;
            import_files(&mut m, sorted(sources))
        }))
    }

    /// Imports an in-memory CSV export (text, or bytes in any of the encodings the
    /// importer reads). `options.name` identifies it (default: the kind).
    #[napi(
        catch_unwind,
        ts_args_type = "kind: SourceKind, data: string | Buffer, options?: SourceOptions | undefined | null"
    )]
    pub fn add_csv(
        &self,
        env: Env,
        kind: String,
        data: Either<String, Buffer>,
        options: Option<SourceOptions>,
    ) -> napi::Result<()> {
        let run = || -> creator_crm::Result<()> {
            let file = source_file(&kind, &kind, options)?;
            let mut m = lock_core(&self.inner)?;
            match &data {
                Either::A(text) => m.import_csv(&file, text.as_bytes()),
                Either::B(bytes) => m.import_csv(&file, &bytes[..]),
            }
        };
        run().map_err(|e| to_napi_error(&env, &e))
    }

    /// Adds in-memory rows of `kind` (column → value objects, as `mergeRows` takes);
    /// a row's line in the report is its 1-based index. `options.name` identifies them
    /// (default: the kind); `brand` and `observedAt` apply to files and CSV only (an
    /// `InvalidInputError` here).
    #[napi(
        catch_unwind,
        ts_args_type = "kind: SourceKind, rows: Array<ExportRow>, options?: SourceOptions | undefined | null"
    )]
    pub fn add_rows(
        &self,
        env: Env,
        kind: String,
        rows: Rows,
        options: Option<SourceOptions>,
    ) -> napi::Result<()> {
        let run = || -> creator_crm::Result<()> {
            let o = options.unwrap_or_default();
            if o.brand.is_some() || o.observed_at.is_some() {
                return Err(Error::invalid(
                    "options",
                    "brand and observedAt apply to files and csv",
                ));
            }
            let name = o.name.as_deref().unwrap_or(&kind);
            let kind: SourceKind = kind.parse()?;
            let mut m = lock_core(&self.inner)?;
            add_rows(&mut m, kind, name, &rows)
        };
        run().map_err(|e| to_napi_error(&env, &e))
    }

    /// Edits a creator by hand (the manual source, which outranks every import before
    /// or after): `fields` maps creator-table columns (`email`, `phone`, `first_name`,
    /// `last_name`, `address_line1`, `address_line2`, `city`, `state`, `zipcode`,
    /// `country`; camelCase keys work too) to values. Among manual values the later `at`
    /// (ISO 8601; without an offset, UTC) wins, then the later edit.
    ///
    /// Throws an `InvalidInputError` naming the field for an unknown field or a value
    /// that does not normalize (nothing is applied then).
    ///
    /// ```js
    /// m.edit('ana', { email: 'ana@work.example', city: 'Austin' })
    /// ```
    #[napi(
        catch_unwind,
        ts_args_type = "handle: string, fields: CreatorEdit, at?: string | undefined | null"
    )]
    pub fn edit(
        &self,
        env: Env,
        handle: String,
        fields: HashMap<String, String>,
        at: Option<String>,
    ) -> napi::Result<()> {
        let run = || -> creator_crm::Result<()> {
            let mut edit = merge::ManualEdit::new(handle);
            for (field, value) in sorted(fields) {
                edit = edit.set(snake_case(&field), value);
            }
            if let Some(at) = at {
                edit = edit.observed_at(values::parse_datetime(&at, "at")?);
            }
            lock_core(&self.inner)?.edit(&edit)
        };
        run().map_err(|e| to_napi_error(&env, &e))
    }

    /// Leaves a person out of the result (an erased person): any of their handle, email
    /// and phone, normalized as an import normalizes them. It applies to rows added
    /// before and after.
    ///
    /// Throws an `InvalidInputError` naming the field for a value that does not
    /// normalize, or when nothing is given.
    #[napi(catch_unwind)]
    pub fn suppress(&self, env: Env, person: Suppression) -> napi::Result<()> {
        let run = || -> creator_crm::Result<()> {
            lock_core(&self.inner)?.suppress(
                person.handle.as_deref(),
                person.email.as_deref(),
                person.phone.as_deref(),
            )
        };
        run().map_err(|e| to_napi_error(&env, &e))
    }

    /// Creators merged so far.
    #[napi(getter, catch_unwind)]
    pub fn creator_count(&self, env: Env) -> napi::Result<u32> {
        let m = locked(&env, &self.inner)?;
        Ok(u32::try_from(m.creator_count()).unwrap_or(u32::MAX))
    }

    /// The merge of everything added so far (the merger stays usable).
    #[napi(catch_unwind, ts_return_type = "MergeResult")]
    pub fn result<'env>(&self, env: &'env Env) -> napi::Result<Object<'env>> {
        let core = finish(&mut *locked(env, &self.inner)?);
        Merged::new(core).into_js(env)
    }

    /// `result()` off the JavaScript thread.
    #[napi(catch_unwind, ts_return_type = "Promise<MergeResult>")]
    pub fn result_async(&self) -> AsyncTask<CoreTask<Merged>> {
        let inner = Arc::clone(&self.inner);
        AsyncTask::new(CoreTask::new(move || {
            Ok(Merged::new(finish(&mut *lock_core(&inner)?)))
        }))
    }
}
