//! Node bindings of `creator_crm::crm`: the `Crm` facade over a store.
//!
//! A creator comes back as its creator-table row (camelCase keys, as `mergeExports`
//! gives it) with `profile`, `brands` and `version`; supporters, alerts and activity
//! records keep core's serde form (snake_case keys), as elsewhere in this package.
//! With a JavaScript store every call runs on the JavaScript thread, the store's own;
//! `importExportsAsync` runs on the libuv pool, so only a built-in store serves it.

use std::{collections::HashMap, io::Read, sync::Arc};

use chrono::{DateTime, Utc};
use creator_crm::{
    Error,
    crm::{Actor, Crm as CoreCrm, CrmOptions, ImportOutcome, ProfileUpdate, Role},
    identity::{Handle, Region},
    import::SourceKind,
    merge::{ImportInput, MergeOptions, OutreachStatus, SourceFile, SuppressionList},
    outbox::OutreachStore,
    privacy::Pseudonymizer,
    store::{CreatorFilter, CreatorPage, CreatorQuery, Cursor, Profile, SortField, StoredCreator},
    supporters::{Alert, AlertConfig, Supporter, SupporterId},
    tiers::{CreatorTier, ShopBadge},
};
use napi::{
    Env,
    bindgen_prelude::{AsyncTask, Buffer, Either, Unknown},
};
use napi_derive::napi;
use serde_json::{Map, Value, json};

use crate::{
    data::{instant, parse, read_all, read_or_default, write},
    errors::to_napi_error,
    merge::{CoreTask, ToJs, sorted, threads},
    merger::snake_case,
    store::StoreArg,
    table,
};

/// Who calls: staff with a role, or a creator (who sees only their own supporters,
/// through the privacy view).
#[napi(object)]
pub struct CrmActor {
    /// The host's id for the person (recorded in the activity log).
    pub id: String,
    /// A staff member's role: `viewer`, `member`, `admin` or `owner`.
    #[napi(ts_type = "'viewer' | 'member' | 'admin' | 'owner'")]
    pub role: Option<String>,
    /// A creator's handle (instead of a role).
    pub creator: Option<String>,
}

/// Options of `new Crm()`.
#[napi(object, js_name = "CrmOptions")]
pub struct CrmOptionsJs {
    /// The workspace every call is scoped to (default `"default"`); nothing crosses
    /// workspaces.
    pub workspace: Option<String>,
    /// Who calls (default: the local owner).
    pub actor: Option<CrmActor>,
    /// Region for phone numbers written without a country code (default `"US"`).
    pub default_region: Option<String>,
    /// The secret salt of the suppression hashes (text or bytes).
    pub salt: Option<Either<String, Buffer>>,
}

/// A page of creators (`listCreators`).
#[napi(object, object_from_js = false, js_name = "CreatorPage")]
pub struct CreatorPageJs {
    /// The creators of the page.
    #[napi(ts_type = "Array<CrmCreator>")]
    pub items: Value,
    /// The cursor of the next page; `null` on the last page.
    #[napi(ts_type = "string | null")]
    pub next_cursor: Value,
    /// How many creators pass the filter in all.
    pub total: i64,
}

/// What `listCreators` takes.
#[napi(object)]
#[derive(Default)]
pub struct ListOptions {
    /// Filters, every one must hold: `badge`, `tier`, `brand`, `tags` (all of them),
    /// `outreachStatus`, `whitelisted`, `hasPhone`, `hasEmail`.
    #[napi(ts_type = "CreatorFilter")]
    pub r#where: Option<Value>,
    /// `"tiktokUsername"` (default), `"followerCount"` or `"totalGmv"`; a leading `-`
    /// sorts largest first. Creators without a value come last either way; ties go by
    /// handle.
    pub order_by: Option<String>,
    /// Creators per page (default 50).
    pub limit: Option<u32>,
    /// The previous page's `nextCursor` (`null` for the first page).
    #[napi(ts_type = "string | null")]
    pub cursor: Option<Value>,
}

/// What an import did to the store.
#[napi(object, object_from_js = false, js_name = "ImportOutcome")]
pub struct ImportOutcomeJs {
    /// The merge report of what was imported (the new rows on their own).
    #[napi(ts_type = "MergeReport")]
    pub report: Value,
    /// Creators written that were not stored before.
    pub created: i64,
    /// Stored creators whose record changed.
    pub updated: i64,
    /// Stored creators a suppression entry now covers, deleted.
    pub deleted: i64,
}

/// An import's outcome on its way to JavaScript.
pub struct Outcome(ImportOutcome);

fn n(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

impl Outcome {
    fn to_js_object(&self) -> ImportOutcomeJs {
        let o = &self.0;
        ImportOutcomeJs {
            report: table::report(&o.report),
            created: n(o.created),
            updated: n(o.updated),
            deleted: n(o.deleted),
        }
    }
}

impl ToJs for Outcome {
    type Js<'env> = ImportOutcomeJs;
    fn to_js(self, _env: &Env) -> napi::Result<ImportOutcomeJs> {
        Ok(self.to_js_object())
    }
}

/// A stored creator as JavaScript sees it: the creator-table row, then `profile`,
/// `brands` and `version`.
fn creator_value(c: &StoredCreator) -> Value {
    let mut row = match table::row(&c.creator) {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    row.insert("profile".into(), profile_value(&c.profile));
    row.insert("brands".into(), json!(c.brands));
    row.insert("version".into(), json!(c.version.0));
    Value::Object(row)
}

fn profile_value(p: &Profile) -> Value {
    json!({
        "badge": p.badge,
        "tier": p.tier,
        "whitelisted": p.whitelisted,
        "tags": p.tags,
        "notes": p.notes,
        "outreachStatus": p.outreach_status,
    })
}

fn creator_list(items: &[StoredCreator]) -> Value {
    Value::Array(items.iter().map(creator_value).collect())
}

fn read_actor(actor: Option<CrmActor>) -> creator_crm::Result<Actor> {
    let Some(a) = actor else {
        return Ok(Actor::staff("local", Role::Owner));
    };
    match (a.creator, a.role) {
        (Some(h), None) => Ok(Actor::Creator {
            id: a.id,
            handle: Handle::parse(&h)?,
        }),
        (None, Some(role)) => Ok(Actor::staff(a.id, Role::parse(&role)?)),
        _ => Err(Error::invalid(
            "actor",
            "an actor has either a role or a creator handle",
        )),
    }
}

fn merge_options(options: &CrmOptionsJs) -> creator_crm::Result<MergeOptions> {
    // Imports read their files on every core, as `mergeExports` does.
    let mut merge = MergeOptions {
        threads: threads(),
        ..MergeOptions::default()
    };
    if let Some(code) = options.default_region.as_deref() {
        merge.region = Region::parse(code)?;
    }
    match &options.salt {
        Some(Either::A(text)) => merge.suppression = SuppressionList::new(text.as_bytes()),
        Some(Either::B(bytes)) => merge.suppression = SuppressionList::new(&bytes[..]),
        None => {}
    }
    Ok(merge)
}

/// `now`, or the clock when not given.
fn read_now(env: &Env, now: Option<String>) -> napi::Result<DateTime<Utc>> {
    match now {
        Some(t) => instant(env, &t, "now"),
        None => Ok(Utc::now()),
    }
}

/// The files an import reads: kind → a CSV path, or the CSV's bytes, with their sizes.
fn open_sources(
    sources: HashMap<String, Either<String, Buffer>>,
) -> creator_crm::Result<Vec<ImportInput<Box<dyn Read + Send>>>> {
    let mut files: Vec<ImportInput<Box<dyn Read + Send>>> = Vec::with_capacity(sources.len());
    for (kind, source) in sorted(sources) {
        let kind: SourceKind = kind.parse()?;
        match source {
            Either::A(path) => {
                let input = SourceFile::new(kind, path.as_str()).open(&path)?;
                files.push(ImportInput {
                    file: input.file,
                    reader: Box::new(input.reader),
                    size_hint: input.size_hint,
                });
            }
            Either::B(bytes) => {
                let size = bytes.len() as u64;
                let csv = std::io::Cursor::new(bytes.to_vec());
                let file = SourceFile::new(kind, kind.as_str());
                files.push(
                    ImportInput::new(file, Box::new(csv) as Box<dyn Read + Send>).size_hint(size),
                );
            }
        }
    }
    Ok(files)
}

/// The filter keys `listCreators` reads (camelCase; snake_case works too).
const FILTER_KEYS: [&str; 8] = [
    "badge",
    "tier",
    "brand",
    "tags",
    "outreach_status",
    "whitelisted",
    "has_phone",
    "has_email",
];

fn read_filter(value: Option<Value>) -> creator_crm::Result<CreatorFilter> {
    let Some(Value::Object(map)) = value.filter(|v| !v.is_null()) else {
        return Ok(CreatorFilter::default());
    };
    let mut snake = Map::new();
    for (k, v) in map {
        let key = snake_case(&k);
        if !FILTER_KEYS.contains(&key.as_str()) {
            return Err(Error::invalid("where", "unknown filter"));
        }
        snake.insert(key, v);
    }
    parse(Value::Object(snake), "where")
}

fn read_query(options: ListOptions) -> creator_crm::Result<CreatorQuery> {
    let filter = read_filter(options.r#where)?;
    let order = options.order_by.as_deref().unwrap_or("tiktokUsername");
    let (descending, field) = match order.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, order),
    };
    Ok(CreatorQuery {
        filter,
        sort: SortField::parse(&snake_case(field))?,
        descending,
        limit: options.limit.map_or(50, |l| l as usize),
        cursor: match options.cursor {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) => Some(Cursor::from_text(text)),
            Some(_) => return Err(Error::invalid("cursor", "must be a string or null")),
        },
    })
}

fn read_profile_update(changes: Value) -> creator_crm::Result<ProfileUpdate> {
    let Value::Object(map) = changes else {
        return Err(Error::invalid("changes", "must be an object"));
    };
    let mut u = ProfileUpdate::default();
    for (key, v) in map {
        match snake_case(&key).as_str() {
            "badge" => u.badge = Some(parse::<Option<ShopBadge>>(v, "badge")?),
            "tier" => u.tier = Some(parse::<Option<CreatorTier>>(v, "tier")?),
            "whitelisted" => u.whitelisted = Some(parse(v, "whitelisted")?),
            "add_tags" => u.add_tags = parse(v, "addTags")?,
            "remove_tags" => u.remove_tags = parse(v, "removeTags")?,
            "notes" => u.notes = Some(parse(v, "notes")?),
            "outreach_status" => {
                u.outreach_status = Some(parse::<OutreachStatus>(v, "outreachStatus")?);
            }
            _ => return Err(Error::invalid("changes", "unknown profile field")),
        }
    }
    Ok(u)
}

/// The CRM over a store, for one workspace and one actor: imports, manual edits,
/// erasure, creators, profiles, supporters, alerts and the activity log, all kept in
/// the store. Roles are enforced: viewers read, members edit, admins import, erase and
/// read the activity log, owners do everything; a creator sees only its own
/// supporters. A call the actor may not make throws a `ForbiddenError`
/// (`code: "forbidden"`) before anything is read.
///
/// ```js
/// const crm = new Crm(new MemoryStore(), { workspace: 'brand-a', actor: { id: 'u1', role: 'admin' } })
/// crm.importExports({ euka: 'euka.csv', phone_numbers: 'phones.csv' })
/// const { items, nextCursor, total } = crm.listCreators({ where: { hasPhone: true }, orderBy: '-followerCount', limit: 20 })
/// ```
#[napi]
pub struct Crm {
    crm: CoreCrm,
    outreach: Option<Arc<dyn OutreachStore>>,
}

impl Crm {
    /// The core facade.
    pub(crate) fn core(&self) -> &CoreCrm {
        &self.crm
    }

    /// The facade's store as an outreach store, when it is a built-in one.
    pub(crate) fn outreach_store(&self) -> Option<Arc<dyn OutreachStore>> {
        self.outreach.clone()
    }
}

#[napi]
impl Crm {
    /// The facade over `store`: a `MemoryStore`, a `SqliteStore`, or any object with
    /// the store protocol's methods (`storeMethods()`).
    ///
    /// Throws an `InvalidInputError` for a store without those methods (`field`: the
    /// first one missing), an unknown role or region, or an actor with both or neither
    /// of `role` and `creator`.
    #[napi(
        constructor,
        catch_unwind,
        ts_args_type = "store: Store, options?: CrmOptions | undefined | null"
    )]
    pub fn new(env: Env, store: Unknown<'_>, options: Option<CrmOptionsJs>) -> napi::Result<Self> {
        let store = StoreArg::read(&env, store)?;
        let outreach = store.outreach.clone();
        let options = options.unwrap_or(CrmOptionsJs {
            workspace: None,
            actor: None,
            default_region: None,
            salt: None,
        });
        let build = || -> creator_crm::Result<CoreCrm> {
            let merge = merge_options(&options)?;
            let workspace = options
                .workspace
                .clone()
                .unwrap_or_else(|| "default".into());
            let crm_options = CrmOptions {
                merge,
                ..CrmOptions::default()
            };
            Ok(CoreCrm::with_options(
                store.store,
                workspace,
                read_actor(options.actor)?,
                crm_options,
            ))
        };
        Ok(Crm {
            crm: build().map_err(|e| to_napi_error(&env, &e))?,
            outreach,
        })
    }

    /// The workspace.
    #[napi(getter, catch_unwind)]
    pub fn workspace(&self) -> String {
        self.crm.workspace().to_owned()
    }

    /// Imports exports into the store, incrementally: the stored creators afterwards
    /// equal merging everything imported (and edited) at once. `sources` maps a source
    /// kind to a CSV path or the CSV's bytes; `now` (ISO 8601) is when it happens.
    ///
    /// Throws a `ForbiddenError` below admin, an `ImportError` when a file cannot be
    /// read at all (nothing is written then), a `ConflictError` when other writers won
    /// every attempt.
    #[napi(
        catch_unwind,
        ts_args_type = "sources: Sources<string | Buffer>, now?: string | undefined | null"
    )]
    pub fn import_exports(
        &self,
        env: Env,
        sources: HashMap<String, Either<String, Buffer>>,
        now: Option<String>,
    ) -> napi::Result<ImportOutcomeJs> {
        let now = read_now(&env, now)?;
        let run = || -> creator_crm::Result<Outcome> {
            let files = open_sources(sources)?;
            Ok(Outcome(self.crm.import_inputs(files, now)?))
        };
        run()
            .map(|o| o.to_js_object())
            .map_err(|e| to_napi_error(&env, &e))
    }

    /// `importExports` of CSV paths off the JavaScript thread, with a built-in store.
    /// A JavaScript store cannot serve it: it is called only on its own thread, so the
    /// promise rejects with a `StorageError` (`reason: "host store called off its
    /// JavaScript thread"`) and nothing is written.
    #[napi(
        catch_unwind,
        ts_args_type = "sources: Sources<string>, now?: string | undefined | null",
        ts_return_type = "Promise<ImportOutcome>"
    )]
    pub fn import_exports_async(
        &self,
        env: Env,
        sources: HashMap<String, String>,
        now: Option<String>,
    ) -> napi::Result<AsyncTask<CoreTask<Outcome>>> {
        let now = read_now(&env, now)?;
        let crm = self.crm.clone();
        Ok(AsyncTask::new(CoreTask::new(move || {
            let sources = sources
                .into_iter()
                .map(|(k, v)| (k, Either::A(v)))
                .collect();
            let files = open_sources(sources)?;
            Ok(Outcome(crm.import_inputs(files, now)?))
        })))
    }

    /// Edits a creator by hand (the `manual` source: no later import overwrites it);
    /// `fields` maps creator-table columns (`email`, `phone`, `firstName`, `lastName`,
    /// `addressLine1`, `addressLine2`, `city`, `state`, `zipcode`, `country`) to values.
    /// Returns the creator afterwards, or `null` when a suppression entry covers it.
    ///
    /// Throws a `ForbiddenError` for a viewer or a creator, an `InvalidInputError` for
    /// an unknown column or a bad value (naming the field).
    #[napi(
        catch_unwind,
        ts_args_type = "handle: string, fields: CreatorEdit, now?: string | undefined | null",
        ts_return_type = "CrmCreator | null"
    )]
    pub fn edit_creator(
        &self,
        env: Env,
        handle: String,
        fields: HashMap<String, String>,
        now: Option<String>,
    ) -> napi::Result<Value> {
        let now = read_now(&env, now)?;
        let mut fields: Vec<(String, String)> = fields
            .into_iter()
            .map(|(k, v)| (snake_case(&k), v))
            .collect();
        fields.sort();
        let run = || -> creator_crm::Result<Option<StoredCreator>> {
            self.crm.edit_creator(&handle, fields, now)?;
            self.crm.get_creator(&handle)
        };
        run()
            .map(|c| c.as_ref().map_or(Value::Null, creator_value))
            .map_err(|e| to_napi_error(&env, &e))
    }

    /// Erases a person: their handle, emails and phones join the suppression list (as
    /// keyed hashes) and they are deleted with every record of theirs, so no re-import
    /// brings them back. Returns how many creators were deleted.
    ///
    /// Throws a `ForbiddenError` below admin.
    #[napi(catch_unwind)]
    pub fn erase_creator(
        &self,
        env: Env,
        handle: String,
        now: Option<String>,
    ) -> napi::Result<i64> {
        let now = read_now(&env, now)?;
        self.crm
            .erase_creator(&handle, now)
            .map(n)
            .map_err(|e| to_napi_error(&env, &e))
    }

    /// The stored creator `handle`, or `null`.
    #[napi(catch_unwind, ts_return_type = "CrmCreator | null")]
    pub fn get_creator(&self, env: Env, handle: String) -> napi::Result<Value> {
        self.crm
            .get_creator(&handle)
            .map(|c| c.as_ref().map_or(Value::Null, creator_value))
            .map_err(|e| to_napi_error(&env, &e))
    }

    /// One page of creators: `{ items, nextCursor, total }`.
    ///
    /// Throws an `InvalidInputError` for an unknown filter (`field: "where"`) or sort
    /// field (`field: "order_by"`), or a cursor of another query (`field: "cursor"`).
    #[napi(catch_unwind)]
    pub fn list_creators(
        &self,
        env: Env,
        options: Option<ListOptions>,
    ) -> napi::Result<CreatorPageJs> {
        let run = || -> creator_crm::Result<CreatorPage> {
            let query = read_query(options.unwrap_or_default())?;
            self.crm.list_creators(&query)
        };
        let page = run().map_err(|e| to_napi_error(&env, &e))?;
        Ok(CreatorPageJs {
            items: creator_list(&page.items),
            next_cursor: page
                .next_cursor
                .map_or(Value::Null, |c| Value::String(c.as_str().to_owned())),
            total: n(page.total),
        })
    }

    /// Creators whose handle, name or email contains `text` (any case), in handle
    /// order, at most `limit` (default 20).
    #[napi(catch_unwind, ts_return_type = "Array<CrmCreator>")]
    pub fn search_creators(
        &self,
        env: Env,
        text: String,
        limit: Option<u32>,
    ) -> napi::Result<Value> {
        self.crm
            .search_creators(&text, limit.map_or(20, |l| l as usize))
            .map(|found| creator_list(&found))
            .map_err(|e| to_napi_error(&env, &e))
    }

    /// Changes a stored creator's profile: any of `badge` (`null` clears it), `tier`
    /// (`null` clears it), `whitelisted`, `addTags`, `removeTags`, `notes`,
    /// `outreachStatus`. Returns the profile afterwards.
    ///
    /// Throws a `ForbiddenError` for a viewer or a creator, an `InvalidInputError` for
    /// an unknown key or value, or a creator that is not stored.
    #[napi(
        catch_unwind,
        ts_args_type = "handle: string, changes: ProfileChanges, now?: string | undefined | null",
        ts_return_type = "CrmProfile"
    )]
    pub fn update_profile(
        &self,
        env: Env,
        handle: String,
        changes: Value,
        now: Option<String>,
    ) -> napi::Result<Value> {
        let now = read_now(&env, now)?;
        let run = || -> creator_crm::Result<Profile> {
            let update = read_profile_update(changes)?;
            self.crm.update_profile(&handle, &update, now)
        };
        run()
            .map(|p| profile_value(&p))
            .map_err(|e| to_napi_error(&env, &e))
    }

    /// Creates or replaces supporters of a creator (events form).
    ///
    /// Throws a `ForbiddenError` for a viewer or a creator.
    #[napi(
        catch_unwind,
        ts_args_type = "creator: string, supporters: Array<SupporterRecord>, now?: string | undefined | null"
    )]
    pub fn put_supporters(
        &self,
        env: Env,
        creator: String,
        supporters: Vec<Value>,
        now: Option<String>,
    ) -> napi::Result<()> {
        let now = read_now(&env, now)?;
        let run = || -> creator_crm::Result<()> {
            let people: Vec<Supporter> = read_all(supporters, "supporters", parse)?;
            self.crm.put_supporters(&creator, people, now)
        };
        run().map_err(|e| to_napi_error(&env, &e))
    }

    /// Deletes supporters of a creator by id.
    #[napi(catch_unwind)]
    pub fn delete_supporters(
        &self,
        env: Env,
        creator: String,
        ids: Vec<String>,
        now: Option<String>,
    ) -> napi::Result<()> {
        let now = read_now(&env, now)?;
        let ids: Vec<SupporterId> = ids.into_iter().map(SupporterId::new).collect();
        self.crm
            .delete_supporters(&creator, ids, now)
            .map_err(|e| to_napi_error(&env, &e))
    }

    /// A creator's supporters as the host holds them (staff only), by id.
    #[napi(catch_unwind, ts_return_type = "Array<SupporterRecord>")]
    pub fn supporters(&self, env: Env, creator: String) -> napi::Result<Value> {
        let s = self
            .crm
            .supporters(&creator)
            .map_err(|e| to_napi_error(&env, &e))?;
        write(&env, &s)
    }

    /// A creator's supporters as the creator may see them: the privacy view, with ids
    /// pseudonymized by `key` (at least 16 bytes), no personal data.
    ///
    /// Throws a `ForbiddenError` for another creator's actor.
    #[napi(catch_unwind, ts_return_type = "Array<SupporterView>")]
    pub fn supporter_views(&self, env: Env, creator: String, key: Buffer) -> napi::Result<Value> {
        let run = || {
            let keys = Pseudonymizer::new(&key[..])?;
            self.crm.supporter_views(&creator, &keys)
        };
        let views = run().map_err(|e| to_napi_error(&env, &e))?;
        write(&env, &views)
    }

    /// Delivers candidate alerts with the cooldown state kept in the store: what is
    /// delivered starts its cooldown. Returns `{ delivered, suppressed, expired }`.
    ///
    /// Throws a `ForbiddenError` for another creator's actor or a viewer.
    #[napi(
        catch_unwind,
        ts_args_type = "creator: string, alerts: Array<Alert>, config?: AlertConfig | undefined | null, now?: string | undefined | null",
        ts_return_type = "AlertOutcome"
    )]
    pub fn deliver_alerts(
        &self,
        env: Env,
        creator: String,
        alerts: Vec<Value>,
        config: Option<Value>,
        now: Option<String>,
    ) -> napi::Result<Value> {
        let now = read_now(&env, now)?;
        let config: AlertConfig = read_or_default(&env, config, "config")?;
        let alerts: Vec<Alert> =
            read_all(alerts, "alerts", parse).map_err(|e| to_napi_error(&env, &e))?;
        let outcome = self
            .crm
            .deliver_alerts(&creator, alerts, &config, now)
            .map_err(|e| to_napi_error(&env, &e))?;
        write(&env, &outcome)
    }

    /// The newest activity records (who, what, when; never personal data), newest
    /// first, at most `limit` (default 100).
    ///
    /// Throws a `ForbiddenError` below admin.
    #[napi(catch_unwind, ts_return_type = "Array<ActivityRecord>")]
    pub fn activity_log(&self, env: Env, limit: Option<u32>) -> napi::Result<Value> {
        let log = self
            .crm
            .activity_log(limit.map_or(100, |l| l as usize))
            .map_err(|e| to_napi_error(&env, &e))?;
        write(&env, &log)
    }
}
