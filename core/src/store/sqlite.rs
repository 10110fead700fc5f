//! [`SqliteStore`]: the embedded store, one SQLite database file (bundled SQLite).
//!
//! The file is an ordinary SQLite database: `sqlite3 crm.db '.tables'` shows one table
//! per kind of record, each keyed by workspace. Creators have real columns for what
//! lists filter and sort on (handle, names, email, badge, tier, whitelisted, outreach
//! status, has phone/email, followers, GMV) beside the full record (`record`: its JSON,
//! compressed as one LZ4 block in a blob whose first byte is `1` when that is shorter);
//! their brands, tags and evidence emails are in tables of their own, indexed, so that
//! [`Store::list_creators`] runs in SQL over indexes. Samples, videos, snapshots and
//! products are `WITHOUT ROWID` tables keyed by their own keys, their records stored
//! the same way. A bulk write into empty tables builds their secondary indexes after
//! its rows, in the same transaction.
//!
//! Each batched read runs in one read transaction (one snapshot, one lock of the file).
//! A write checks a creator's version with the write itself (an insert expecting no row,
//! an update expecting the version read), and skips lookups and deletes in tables the
//! workspace holds nothing in, so a first import writes without reading back.
//!
//! The schema is versioned with `PRAGMA user_version`: opening a database runs the
//! migrations it lacks, and refuses one written by a newer version of the library.
//! The database runs in WAL mode with `synchronous=NORMAL` and foreign keys on; each
//! [`Store::apply`] is one transaction, so a process killed during an import leaves
//! the database as it was before that import. A store over a file checkpoints (copies
//! committed pages from the WAL into the file) on a thread of its own rather than in
//! the commit, and a large `apply` packs its related records on a second thread while
//! it writes the creators: a host's write returns once its transaction is committed.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::Path,
    sync::{Arc, Condvar, Mutex, MutexGuard},
};

use rusqlite::{
    Connection, OptionalExtension, Transaction, params, params_from_iter,
    types::{Value, ValueRef},
};
use rust_decimal::Decimal;
use serde::{Serialize, de::DeserializeOwned};

use super::{
    ActivityRecord, Change, ChangeSet, CreatorPage, CreatorQuery, Cursor, SortField, Store,
    StoredCreator, SupporterState, Version, conflict,
    query::{self, SortValue},
    storage_error,
};
use crate::{
    error::{Error, ErrorKind, Result},
    identity::{Email, Handle},
    merge::{
        BrandLink, Product, RecordKeys, RelatedRecords, Sample, Snapshot, Video, VideoProduct,
    },
    supporters::{Supporter, SupporterId},
};

/// The schema, one step per version: step `i` takes a database from `user_version`
/// `i` to `i + 1`. A step is never edited once released; a change is a new step.
/// Step 1: creators, related records, suppression, supporters, activity; step 2: the
/// outbox, the consent ledger and applied delivery events ([`crate::outbox`]); step 3:
/// the related records' tables without rowids.
const MIGRATIONS: &[&str] = &[
    r"
CREATE TABLE creators (
    workspace         TEXT    NOT NULL,
    handle            TEXT    NOT NULL,
    version           INTEGER NOT NULL,
    first_name        TEXT    NOT NULL,
    last_name         TEXT    NOT NULL,
    email             TEXT,
    badge             TEXT,
    tier              TEXT,
    whitelisted       INTEGER NOT NULL,
    outreach_status   TEXT    NOT NULL,
    has_phone         INTEGER NOT NULL,
    has_email         INTEGER NOT NULL,
    follower_count    INTEGER,
    followers_missing INTEGER NOT NULL,
    total_gmv         TEXT    NOT NULL,
    gmv_key           TEXT    NOT NULL,
    record            TEXT    NOT NULL,
    UNIQUE (workspace, handle)
);
CREATE INDEX creators_by_followers
    ON creators (workspace, followers_missing, follower_count, handle);
CREATE INDEX creators_by_followers_desc
    ON creators (workspace, followers_missing, follower_count DESC, handle);
CREATE INDEX creators_by_gmv ON creators (workspace, gmv_key, handle);
CREATE INDEX creators_by_gmv_desc ON creators (workspace, gmv_key DESC, handle);
CREATE INDEX creators_by_badge ON creators (workspace, badge);
CREATE INDEX creators_by_tier ON creators (workspace, tier);
CREATE INDEX creators_by_outreach ON creators (workspace, outreach_status);
CREATE INDEX creators_by_contact ON creators (workspace, has_email, has_phone);
CREATE TABLE creator_brands (
    workspace TEXT NOT NULL,
    handle    TEXT NOT NULL,
    brand     TEXT NOT NULL,
    PRIMARY KEY (workspace, handle, brand),
    FOREIGN KEY (workspace, handle) REFERENCES creators (workspace, handle) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX creator_brands_by_brand ON creator_brands (workspace, brand, handle);
CREATE TABLE creator_tags (
    workspace TEXT NOT NULL,
    handle    TEXT NOT NULL,
    tag       TEXT NOT NULL,
    PRIMARY KEY (workspace, handle, tag),
    FOREIGN KEY (workspace, handle) REFERENCES creators (workspace, handle) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX creator_tags_by_tag ON creator_tags (workspace, tag, handle);
CREATE TABLE creator_emails (
    workspace TEXT NOT NULL,
    email     TEXT NOT NULL,
    handle    TEXT NOT NULL,
    PRIMARY KEY (workspace, email, handle),
    FOREIGN KEY (workspace, handle) REFERENCES creators (workspace, handle) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX creator_emails_by_handle ON creator_emails (workspace, handle);
CREATE TABLE samples (
    workspace TEXT NOT NULL,
    order_id  TEXT NOT NULL,
    sku_id    TEXT NOT NULL,
    handle    TEXT NOT NULL,
    record    TEXT NOT NULL,
    PRIMARY KEY (workspace, order_id, sku_id)
);
CREATE INDEX samples_by_handle ON samples (workspace, handle);
CREATE TABLE videos (
    workspace TEXT NOT NULL,
    video_id  TEXT NOT NULL,
    handle    TEXT NOT NULL,
    record    TEXT NOT NULL,
    PRIMARY KEY (workspace, video_id)
);
CREATE INDEX videos_by_handle ON videos (workspace, handle);
CREATE TABLE video_products (
    workspace  TEXT NOT NULL,
    video_id   TEXT NOT NULL,
    product_id TEXT NOT NULL,
    PRIMARY KEY (workspace, video_id, product_id)
) WITHOUT ROWID;
CREATE TABLE snapshots (
    workspace TEXT NOT NULL,
    handle    TEXT NOT NULL,
    date      TEXT NOT NULL,
    source    TEXT NOT NULL,
    record    TEXT NOT NULL,
    PRIMARY KEY (workspace, handle, date, source)
);
CREATE TABLE brand_links (
    workspace TEXT NOT NULL,
    handle    TEXT NOT NULL,
    brand     TEXT NOT NULL,
    PRIMARY KEY (workspace, handle, brand)
) WITHOUT ROWID;
CREATE TABLE products (
    workspace  TEXT NOT NULL,
    product_id TEXT NOT NULL,
    record     TEXT NOT NULL,
    PRIMARY KEY (workspace, product_id)
);
CREATE TABLE suppression (
    workspace TEXT NOT NULL,
    hash      BLOB NOT NULL,
    PRIMARY KEY (workspace, hash)
) WITHOUT ROWID;
CREATE TABLE supporters (
    workspace    TEXT NOT NULL,
    creator      TEXT NOT NULL,
    supporter_id TEXT NOT NULL,
    record       TEXT NOT NULL,
    PRIMARY KEY (workspace, creator, supporter_id)
);
CREATE TABLE cooldowns (
    workspace TEXT    NOT NULL,
    creator   TEXT    NOT NULL,
    version   INTEGER NOT NULL,
    state     TEXT    NOT NULL,
    PRIMARY KEY (workspace, creator)
);
CREATE TABLE activity (
    workspace TEXT    NOT NULL,
    seq       INTEGER NOT NULL,
    at        TEXT    NOT NULL,
    actor     TEXT    NOT NULL,
    action    TEXT    NOT NULL,
    target    TEXT    NOT NULL,
    detail    TEXT    NOT NULL,
    PRIMARY KEY (workspace, seq)
);
CREATE INDEX activity_by_target ON activity (workspace, target);
",
    crate::outbox::sqlite::MIGRATION,
    MIGRATION_3,
    MIGRATION_4,
];

/// Step 3: samples, videos, snapshots and products become `WITHOUT ROWID` tables, each
/// stored once in the order of its key (a rowid table keeps a second b-tree for its
/// primary key, which every insert of an import updated as well). Rows are copied as
/// they are. Without statistics SQLite's planner prefers a workspace-prefix scan of the
/// primary key over the (non-covering) handle indexes, so the statements by handle name
/// their index (`INDEXED BY`).
const MIGRATION_3: &str = r"
CREATE TABLE samples_v3 (
    workspace TEXT NOT NULL,
    order_id  TEXT NOT NULL,
    sku_id    TEXT NOT NULL,
    handle    TEXT NOT NULL,
    record    TEXT NOT NULL,
    PRIMARY KEY (workspace, order_id, sku_id)
) WITHOUT ROWID;
INSERT INTO samples_v3 (workspace, order_id, sku_id, handle, record)
    SELECT workspace, order_id, sku_id, handle, record FROM samples;
DROP TABLE samples;
ALTER TABLE samples_v3 RENAME TO samples;
CREATE INDEX samples_by_handle ON samples (workspace, handle);
CREATE TABLE videos_v3 (
    workspace TEXT NOT NULL,
    video_id  TEXT NOT NULL,
    handle    TEXT NOT NULL,
    record    TEXT NOT NULL,
    PRIMARY KEY (workspace, video_id)
) WITHOUT ROWID;
INSERT INTO videos_v3 (workspace, video_id, handle, record)
    SELECT workspace, video_id, handle, record FROM videos;
DROP TABLE videos;
ALTER TABLE videos_v3 RENAME TO videos;
CREATE INDEX videos_by_handle ON videos (workspace, handle);
CREATE TABLE snapshots_v3 (
    workspace TEXT NOT NULL,
    handle    TEXT NOT NULL,
    date      TEXT NOT NULL,
    source    TEXT NOT NULL,
    record    TEXT NOT NULL,
    PRIMARY KEY (workspace, handle, date, source)
) WITHOUT ROWID;
INSERT INTO snapshots_v3 (workspace, handle, date, source, record)
    SELECT workspace, handle, date, source, record FROM snapshots;
DROP TABLE snapshots;
ALTER TABLE snapshots_v3 RENAME TO snapshots;
CREATE TABLE products_v3 (
    workspace  TEXT NOT NULL,
    product_id TEXT NOT NULL,
    record     TEXT NOT NULL,
    PRIMARY KEY (workspace, product_id)
) WITHOUT ROWID;
INSERT INTO products_v3 (workspace, product_id, record)
    SELECT workspace, product_id, record FROM products;
DROP TABLE products;
ALTER TABLE products_v3 RENAME TO products;
";

/// Step 4: the records of creators, samples, videos, snapshots and products are stored
/// packed (their JSON compressed as one LZ4 block, in a blob whose first byte says so;
/// a record that does not get shorter stays JSON text). Records written as JSON text
/// before are packed in place by `crm_pack`, the SQL function the library registers on
/// every connection; the columns beside them are unchanged.
const MIGRATION_4: &str = r"
UPDATE creators SET record = crm_pack(record) WHERE typeof(record) = 'text';
UPDATE samples SET record = crm_pack(record) WHERE typeof(record) = 'text';
UPDATE videos SET record = crm_pack(record) WHERE typeof(record) = 'text';
UPDATE snapshots SET record = crm_pack(record) WHERE typeof(record) = 'text';
UPDATE products SET record = crm_pack(record) WHERE typeof(record) = 'text';
";

/// The page cache's cap, in KiB.
const CACHE_KIB: i64 = 256 * 1024;

/// The schema version this library writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// A store in one SQLite database (a file, or memory for tests).
///
/// ```
/// use creator_crm::store::{SqliteStore, Store};
/// let store = SqliteStore::open_in_memory()?;
/// assert!(store.suppression("default")?.is_empty());
/// # Ok::<(), creator_crm::Error>(())
/// ```
#[derive(Debug)]
pub struct SqliteStore {
    conn: Mutex<Connection>,
    /// Copies committed pages into a database file (none for a database in memory).
    checkpointer: Option<Checkpointer>,
}

/// A committed transaction's pages sit in the WAL until a checkpoint copies them into
/// the database file. SQLite runs that checkpoint inside the `COMMIT` that takes the
/// WAL past its threshold, so the writer waits for the copy and its `fsync`s: ~40 % of
/// a large import's commit, and most of a small one's. The store's connection instead
/// signals this thread, which checkpoints with a connection of its own (`PASSIVE`: it
/// never blocks readers or the writer, and copies only what no reader still needs).
/// The commit's guarantees are unchanged: a committed transaction is in the WAL, which
/// every connection reads, and a process killed mid-checkpoint leaves a whole database
/// (SQLite redoes the copy). Dropping the store stops the thread; closing the store's
/// connection then checkpoints what is left and removes the WAL.
#[derive(Debug)]
struct Checkpointer {
    signal: Arc<CheckpointSignal>,
    thread: Option<std::thread::JoinHandle<()>>,
}

#[derive(Debug, Default)]
struct CheckpointSignal {
    /// (a checkpoint is due, the store is closing)
    state: Mutex<(bool, bool)>,
    wake: Condvar,
}

impl CheckpointSignal {
    fn set(&self, due: bool, stop: bool) {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        state.0 |= due;
        state.1 |= stop;
        self.wake.notify_one();
    }

    /// Waits until a checkpoint is due (`true`) or the store closes (`false`).
    fn wait(&self) -> bool {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        while !state.0 && !state.1 {
            state = self
                .wake
                .wait(state)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        state.0 = false;
        !state.1
    }
}

/// The WAL size, in pages, past which a commit asks for a checkpoint (SQLite's own
/// `wal_autocheckpoint` default).
const CHECKPOINT_PAGES: i32 = 1_000;

/// After a checkpoint has copied everything, the next write starts the WAL over and
/// truncates the file to this size (bytes), so one large import does not leave a WAL
/// of its size on disk while the store stays open.
const WAL_SIZE_LIMIT: i64 = 64 * 1024 * 1024;

impl Checkpointer {
    /// Starts the thread, checkpointing `path` whenever `conn` commits past
    /// [`CHECKPOINT_PAGES`].
    fn start(conn: &mut Connection, path: &Path) -> Result<Checkpointer> {
        let own = Connection::open(path).map_err(db_error("cannot open database"))?;
        let signal = Arc::new(CheckpointSignal::default());
        let hook = signal.clone();
        // The hook replaces SQLite's automatic checkpoint on commit.
        conn.wal_hook(Some(move |_: &mut rusqlite::hooks::Wal, pages: i32| {
            if pages >= CHECKPOINT_PAGES {
                hook.set(true, false);
            }
            Ok(())
        }))
        .map_err(db_error("cannot set the WAL hook"))?;
        let waiting = signal.clone();
        let thread = std::thread::Builder::new()
            .name("crm-sqlite-checkpoint".to_owned())
            .spawn(move || {
                while waiting.wait() {
                    // A checkpoint that fails (a busy or full disk) leaves the frames in
                    // the WAL, still read by every connection, for the next one.
                    let _ = own.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                }
            })
            .map_err(|e| storage_error("cannot start the checkpoint thread", e))?;
        Ok(Checkpointer {
            signal,
            thread: Some(thread),
        })
    }
}

impl Drop for SqliteStore {
    fn drop(&mut self) {
        if let Some(c) = &mut self.checkpointer {
            c.signal.set(false, true);
            if let Some(t) = c.thread.take() {
                let _ = t.join();
            }
        }
    }
}

pub(crate) fn db_error(reason: &'static str) -> impl FnOnce(rusqlite::Error) -> Error {
    move |e| storage_error(reason, e)
}

pub(crate) fn sql(e: rusqlite::Error) -> Error {
    storage_error("sqlite failed", e)
}

pub(crate) fn to_json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| storage_error("record not serializable", e))
}

pub(crate) fn from_json<T: DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| storage_error("stored record is not valid", e))
}

/// The first byte of a packed record: its JSON compressed as one LZ4 block, the
/// decompressed length before it (`lz4_flex`'s size-prepended block format).
const PACKED_LZ4: u8 = 1;

/// A record as the creators, samples, videos, snapshots and products tables store it: its
/// JSON compressed ([`pack`]) when that is smaller, else the JSON text itself. Either
/// form reads back with [`unpack`].
fn packed<T: Serialize>(value: &T) -> Result<Value> {
    let json =
        serde_json::to_vec(value).map_err(|e| storage_error("record not serializable", e))?;
    Ok(pack(json))
}

/// JSON bytes as a stored record: a blob `[PACKED_LZ4, lz4 block…]` when it is shorter
/// than the text, the text otherwise (short records barely compress).
fn pack(json: Vec<u8>) -> Value {
    let block = lz4_flex::block::compress_prepend_size(&json);
    if block.len() < json.len() {
        let mut blob = Vec::with_capacity(block.len() + 1);
        blob.push(PACKED_LZ4);
        blob.extend_from_slice(&block);
        Value::Blob(blob)
    } else {
        match String::from_utf8(json) {
            Ok(text) => Value::Text(text),
            Err(e) => Value::Blob(e.into_bytes()),
        }
    }
}

/// Reads a stored record: JSON text (as every schema before step 4 wrote it), or a
/// packed blob.
fn unpack<T: DeserializeOwned>(stored: ValueRef<'_>) -> Result<T> {
    let invalid = |e| storage_error("stored record is not valid", e);
    match stored {
        ValueRef::Text(text) => serde_json::from_slice(text).map_err(invalid),
        ValueRef::Blob([PACKED_LZ4, block @ ..]) => {
            let json = lz4_flex::block::decompress_size_prepended(block)
                .map_err(|e| storage_error("stored record is not valid", e))?;
            serde_json::from_slice(&json).map_err(invalid)
        }
        _ => Err(Error::new(ErrorKind::Storage, "stored record is not valid")),
    }
}

/// `crm_pack(record)`, the SQL function of schema step 4: a JSON text record packed as
/// [`pack`] does (anything else is returned as it is).
fn register_pack_function(conn: &Connection) -> Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        "crm_pack",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            Ok(match ctx.get_raw(0) {
                ValueRef::Text(text) => pack(text.to_vec()),
                ValueRef::Null => Value::Null,
                ValueRef::Integer(i) => Value::Integer(i),
                ValueRef::Real(r) => Value::Real(r),
                ValueRef::Blob(b) => Value::Blob(b.to_vec()),
            })
        },
    )
    .map_err(db_error("cannot register crm_pack"))
}

/// The text of a unit enum as its serde form gives it (`"gold"`, `"pending"`), the
/// same for the columns and the filters that compare with them.
pub(crate) fn enum_text<T: Serialize>(value: &T) -> Result<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        Ok(_) => Err(Error::new(ErrorKind::Storage, "enum without a text form")),
        Err(e) => Err(storage_error("record not serializable", e)),
    }
}

/// A follower count as an SQLite integer (counts past `i64::MAX` do not occur; they
/// would sort as `i64::MAX`).
fn count_key(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A decimal as text whose byte order is the numbers' order, so that SQL sorts and
/// compares money exactly: `1`, the integer part's length (two digits), the integer
/// digits, the fraction digits (trailing zeros dropped) for a number ≥ 0; `0`, 99 minus
/// that length, every digit complemented to 9, and `~` for a negative one.
pub(crate) fn money_key(value: Decimal) -> String {
    let d = value.normalize();
    if d.is_zero() {
        return "100".to_owned();
    }
    let digits = d.mantissa().unsigned_abs().to_string();
    let scale = d.scale() as usize;
    let (int, frac) = if digits.len() > scale {
        let (i, f) = digits.split_at(digits.len() - scale);
        (i.to_owned(), f.to_owned())
    } else {
        (String::new(), format!("{digits:0>scale$}"))
    };
    if d.is_sign_negative() {
        let complement: String = int
            .chars()
            .chain(frac.chars())
            .map(|c| char::from(b'9' - (c as u8 - b'0')))
            .collect();
        format!("0{:02}{complement}~", 99 - int.len())
    } else {
        format!("1{:02}{int}{frac}", int.len())
    }
}

impl SqliteStore {
    /// Opens (creating when missing) the database at `path` and migrates it.
    ///
    /// # Errors
    /// [`ErrorKind::Storage`] when the file cannot be opened or is not a database of
    /// this library, or was written by a newer version of it.
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteStore> {
        let path = path.as_ref();
        let conn = Connection::open(path).map_err(db_error("cannot open database"))?;
        let mut store = SqliteStore::with_connection(conn)?;
        let conn = store
            .conn
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        conn.pragma_update(None, "journal_size_limit", WAL_SIZE_LIMIT)
            .map_err(db_error("cannot set the WAL size limit"))?;
        store.checkpointer = Some(Checkpointer::start(conn, path)?);
        Ok(store)
    }

    /// A store in memory (gone when dropped), with the same schema as a file.
    ///
    /// # Errors
    /// [`ErrorKind::Storage`] when SQLite fails.
    pub fn open_in_memory() -> Result<SqliteStore> {
        let conn = Connection::open_in_memory().map_err(db_error("cannot open database"))?;
        SqliteStore::with_connection(conn)
    }

    fn with_connection(mut conn: Connection) -> Result<SqliteStore> {
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(db_error("cannot set journal mode"))?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(db_error("cannot set synchronous"))?;
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(db_error("cannot enable foreign keys"))?;
        // An import writes one transaction of hundreds of MB of pages; with SQLite's
        // default 2 MiB cache it spills pages into the WAL mid-transaction and reads them
        // back. Pages are cached as used, up to this cap (in KiB, as a negative number).
        conn.pragma_update(None, "cache_size", -CACHE_KIB)
            .map_err(db_error("cannot set cache size"))?;
        // Sorts (building an index after a bulk write, ORDER BY without an index) run
        // in memory rather than in temporary files.
        conn.pragma_update(None, "temp_store", "MEMORY")
            .map_err(db_error("cannot set temp store"))?;
        register_pack_function(&conn)?;
        migrate(&mut conn)?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
            checkpointer: None,
        })
    }

    /// The schema version of the open database.
    ///
    /// # Errors
    /// [`ErrorKind::Storage`] when SQLite fails.
    pub fn schema_version(&self) -> Result<u32> {
        self.lock()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(sql)
    }

    /// What `PRAGMA integrity_check` says of the database: `"ok"` when it is whole.
    ///
    /// # Errors
    /// [`ErrorKind::Storage`] when SQLite fails.
    pub fn integrity_check(&self) -> Result<String> {
        let conn = self.lock();
        let mut stmt = conn.prepare("PRAGMA integrity_check").map_err(sql)?;
        let lines: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .map_err(sql)?
            .collect::<rusqlite::Result<_>>()
            .map_err(sql)?;
        Ok(lines.join("\n"))
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while the lock was held rolled its transaction back (a dropped
        // `Transaction` rolls back), so the connection is still usable.
        self.conn
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(db_error("cannot begin migration"))?;
    let current: u32 = tx
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(db_error("not a database"))?;
    if current > SCHEMA_VERSION {
        return Err(Error::new(
            ErrorKind::Storage,
            "database written by a newer version of the library",
        )
        .with_field("schema_version"));
    }
    for step in &MIGRATIONS[current as usize..] {
        tx.execute_batch(step)
            .map_err(db_error("migration failed"))?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)
        .map_err(db_error("migration failed"))?;
    tx.commit().map_err(db_error("migration failed"))
}

/// A read-only transaction around a batched read: its lookups share one snapshot and
/// one lock of the file, instead of each taking and releasing the lock (in WAL mode a
/// read outside a transaction costs a lock round-trip per statement). Dropping it ends
/// it (a rollback of nothing).
fn read_transaction(conn: &Connection) -> Result<Transaction<'_>> {
    conn.unchecked_transaction()
        .map_err(db_error("cannot begin read"))
}

/// Whether `table` holds any row of the workspace (the tables of related records).
fn holds_rows(conn: &Connection, table: &str, workspace: &str) -> Result<bool> {
    conn.prepare_cached(&format!(
        "SELECT EXISTS (SELECT 1 FROM {table} WHERE workspace = ?1)"
    ))
    .map_err(sql)?
    .query_row(params![workspace], |r| r.get(0))
    .map_err(sql)
}

/// Reads stored creators from rows of `(record, version)`.
fn creators_from(
    stmt: &mut rusqlite::Statement<'_>,
    params: impl rusqlite::Params,
) -> Result<Vec<StoredCreator>> {
    let mut rows = stmt.query(params).map_err(sql)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(sql)? {
        let version: i64 = row.get(1).map_err(sql)?;
        let mut c: StoredCreator = unpack(row.get_ref(0).map_err(sql)?)?;
        c.version = Version(version.unsigned_abs());
        out.push(c);
    }
    Ok(out)
}

fn records_from<T: DeserializeOwned>(
    stmt: &mut rusqlite::Statement<'_>,
    params: impl rusqlite::Params,
) -> Result<Vec<T>> {
    let mut rows = stmt.query(params).map_err(sql)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(sql)? {
        out.push(unpack(row.get_ref(0).map_err(sql)?)?);
    }
    Ok(out)
}

fn video_links(conn: &Connection, workspace: &str, videos: &[Video]) -> Result<Vec<VideoProduct>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT product_id FROM video_products WHERE workspace = ?1 AND video_id = ?2 \
             ORDER BY product_id",
        )
        .map_err(sql)?;
    let mut out = Vec::new();
    for v in videos {
        let mut rows = stmt.query(params![workspace, v.video_id]).map_err(sql)?;
        while let Some(row) = rows.next().map_err(sql)? {
            out.push(VideoProduct {
                video_id: v.video_id.clone(),
                product_id: row.get(0).map_err(sql)?,
            });
        }
    }
    Ok(out)
}

fn snapshot_date(s: &Snapshot) -> String {
    s.date.map(|d| d.to_string()).unwrap_or_default()
}

/// The SQL of a list query: the `WHERE` conditions (after the workspace) and their
/// parameters.
struct Conditions {
    sql: String,
    params: Vec<Value>,
}

impl Conditions {
    fn push(&mut self, cond: &str, params: impl IntoIterator<Item = Value>) {
        self.sql.push_str(" AND ");
        self.sql.push_str(cond);
        self.params.extend(params);
    }
}

fn filter_conditions(workspace: &str, query: &CreatorQuery) -> Result<Conditions> {
    let f = &query.filter;
    let mut c = Conditions {
        sql: "c.workspace = ?".to_owned(),
        params: vec![Value::Text(workspace.to_owned())],
    };
    if let Some(b) = f.badge {
        c.push("c.badge = ?", [Value::Text(enum_text(&b)?)]);
    }
    if let Some(t) = f.tier {
        c.push("c.tier = ?", [Value::Text(enum_text(&t)?)]);
    }
    if let Some(b) = &f.brand {
        c.push(
            "EXISTS (SELECT 1 FROM creator_brands b WHERE b.workspace = c.workspace \
             AND b.handle = c.handle AND b.brand = ?)",
            [Value::Text(b.clone())],
        );
    }
    for t in &f.tags {
        c.push(
            "EXISTS (SELECT 1 FROM creator_tags t WHERE t.workspace = c.workspace \
             AND t.handle = c.handle AND t.tag = ?)",
            [Value::Text(t.clone())],
        );
    }
    if let Some(s) = f.outreach_status {
        c.push("c.outreach_status = ?", [Value::Text(enum_text(&s)?)]);
    }
    if let Some(w) = f.whitelisted {
        c.push("c.whitelisted = ?", [Value::Integer(i64::from(w))]);
    }
    if let Some(h) = f.has_phone {
        c.push("c.has_phone = ?", [Value::Integer(i64::from(h))]);
    }
    if let Some(h) = f.has_email {
        c.push("c.has_email = ?", [Value::Integer(i64::from(h))]);
    }
    Ok(c)
}

/// The `ORDER BY` of the list order ([`query::list_order`]): by the sort column (absent
/// followers last either way), then by handle ascending.
fn order_by(query: &CreatorQuery) -> &'static str {
    match (query.sort, query.descending) {
        (SortField::Handle, _) => "c.handle",
        (SortField::FollowerCount, false) => "c.followers_missing, c.follower_count, c.handle",
        (SortField::FollowerCount, true) => "c.followers_missing, c.follower_count DESC, c.handle",
        (SortField::TotalGmv, false) => "c.gmv_key, c.handle",
        (SortField::TotalGmv, true) => "c.gmv_key DESC, c.handle",
    }
}

/// Adds the condition "strictly after the cursor's position" in the list order.
fn after_cursor(c: &mut Conditions, query: &CreatorQuery, cursor: &Cursor) -> Result<()> {
    let (value, handle) = cursor.position(query)?;
    let h = Value::Text(handle);
    let cmp = if query.descending { "<" } else { ">" };
    match (query.sort, value) {
        (SortField::Handle, _) => c.push("c.handle > ?", [h]),
        (SortField::FollowerCount, SortValue::None) => {
            c.push("c.followers_missing = 1 AND c.handle > ?", [h]);
        }
        (SortField::FollowerCount, SortValue::Count(n)) => {
            let v = Value::Integer(count_key(n));
            c.push(
                &format!(
                    "(c.followers_missing = 1 OR c.follower_count {cmp} ? \
                     OR (c.follower_count = ? AND c.handle > ?))"
                ),
                [v.clone(), v, h],
            );
        }
        (SortField::TotalGmv, SortValue::Money(d)) => {
            let v = Value::Text(money_key(d));
            if query.descending {
                c.push(
                    "(c.gmv_key < ? OR (c.gmv_key = ? AND c.handle > ?))",
                    [v.clone(), v, h],
                );
            } else {
                c.push("(c.gmv_key, c.handle) > (?, ?)", [v, h]);
            }
        }
        // Every creator has a GMV, and a position without a value comes after every
        // one with a value: nothing is after it. (A position of another field's kind
        // is not a cursor of this query and never parses.)
        _ => c.push("0", []),
    }
    Ok(())
}

/// The version of a creator in the transaction.
fn creator_version(tx: &Transaction<'_>, workspace: &str, handle: &str) -> Result<Version> {
    let v: Option<i64> = tx
        .prepare_cached("SELECT version FROM creators WHERE workspace = ?1 AND handle = ?2")
        .map_err(sql)?
        .query_row(params![workspace, handle], |r| r.get(0))
        .optional()
        .map_err(sql)?;
    Ok(v.map_or(Version::ABSENT, |v| Version(v.unsigned_abs())))
}

fn cooldown_version(tx: &Transaction<'_>, workspace: &str, creator: &str) -> Result<Version> {
    let v: Option<i64> = tx
        .prepare_cached("SELECT version FROM cooldowns WHERE workspace = ?1 AND creator = ?2")
        .map_err(sql)?
        .query_row(params![workspace, creator], |r| r.get(0))
        .optional()
        .map_err(sql)?;
    Ok(v.map_or(Version::ABSENT, |v| Version(v.unsigned_abs())))
}

fn version_value(v: Version) -> i64 {
    i64::try_from(v.0).unwrap_or(i64::MAX)
}

fn put_creator(
    tx: &Transaction<'_>,
    ws: &str,
    creator: &StoredCreator,
    expected: Version,
    record: Value,
) -> Result<()> {
    let c = &creator.creator;
    let p = &creator.profile;
    let h = c.handle.as_str();
    let version = expected.next();
    let badge = p.badge.as_ref().map(enum_text).transpose()?;
    let tier = p.tier.as_ref().map(enum_text).transpose()?;
    let params: [Value; 17] = [
        Value::Text(ws.to_owned()),
        Value::Text(h.to_owned()),
        Value::Integer(version_value(version)),
        Value::Text(c.first_name.to_string()),
        Value::Text(c.last_name.to_string()),
        c.email
            .as_ref()
            .map_or(Value::Null, |e| Value::Text(e.as_str().to_owned())),
        badge.map_or(Value::Null, Value::Text),
        tier.map_or(Value::Null, Value::Text),
        Value::Integer(i64::from(p.whitelisted)),
        Value::Text(enum_text(&p.outreach_status)?),
        Value::Integer(i64::from(c.phone.is_some())),
        Value::Integer(i64::from(c.email.is_some())),
        c.follower_count
            .map_or(Value::Null, |n| Value::Integer(count_key(n))),
        Value::Integer(i64::from(c.follower_count.is_none())),
        Value::Text(c.total_gmv.to_string()),
        Value::Text(money_key(c.total_gmv)),
        record,
    ];
    // The version check is the write itself: an insert that finds the row, or an update
    // that finds another version, changes nothing, and that is the conflict.
    if expected == Version::ABSENT {
        let inserted = tx
            .prepare_cached(
                "INSERT INTO creators (workspace, handle, version, first_name, last_name, email, \
                 badge, tier, whitelisted, outreach_status, has_phone, has_email, \
                 follower_count, followers_missing, total_gmv, gmv_key, record) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
                 ON CONFLICT (workspace, handle) DO NOTHING",
            )
            .map_err(sql)?
            .execute(params_from_iter(params))
            .map_err(sql)?;
        if inserted == 0 {
            return Err(conflict("creator"));
        }
    } else {
        let mut params = params.to_vec();
        params.push(Value::Integer(version_value(expected)));
        let updated = tx
            .prepare_cached(
                "UPDATE creators SET version = ?3, first_name = ?4, last_name = ?5, email = ?6, \
                 badge = ?7, tier = ?8, whitelisted = ?9, outreach_status = ?10, \
                 has_phone = ?11, has_email = ?12, follower_count = ?13, \
                 followers_missing = ?14, total_gmv = ?15, gmv_key = ?16, record = ?17 \
                 WHERE workspace = ?1 AND handle = ?2 AND version = ?18",
            )
            .map_err(sql)?
            .execute(params_from_iter(params))
            .map_err(sql)?;
        if updated == 0 {
            return Err(conflict("creator"));
        }
        for table in ["creator_brands", "creator_tags", "creator_emails"] {
            tx.prepare_cached(&format!(
                "DELETE FROM {table} WHERE workspace = ?1 AND handle = ?2"
            ))
            .map_err(sql)?
            .execute(params![ws, h])
            .map_err(sql)?;
        }
    }
    let mut brands = tx
        .prepare_cached("INSERT INTO creator_brands (workspace, handle, brand) VALUES (?1, ?2, ?3)")
        .map_err(sql)?;
    for b in &creator.brands {
        brands.execute(params![ws, h, b]).map_err(sql)?;
    }
    let mut tags = tx
        .prepare_cached("INSERT INTO creator_tags (workspace, handle, tag) VALUES (?1, ?2, ?3)")
        .map_err(sql)?;
    for t in &p.tags {
        tags.execute(params![ws, h, t]).map_err(sql)?;
    }
    let emails: BTreeSet<&str> = creator.evidence.emails().map(Email::as_str).collect();
    let mut stmt = tx
        .prepare_cached("INSERT INTO creator_emails (workspace, email, handle) VALUES (?1, ?2, ?3)")
        .map_err(sql)?;
    for e in emails {
        stmt.execute(params![ws, e, h]).map_err(sql)?;
    }
    Ok(())
}

/// Deletes the samples, videos (with their product links), snapshots and brand links
/// of `handles`.
fn remove_records_of(tx: &Transaction<'_>, ws: &str, handles: &[&str]) -> Result<()> {
    let mut links = tx
        .prepare_cached(
            "DELETE FROM video_products WHERE workspace = ?1 AND video_id IN \
             (SELECT video_id FROM videos INDEXED BY videos_by_handle \
             WHERE workspace = ?1 AND handle = ?2)",
        )
        .map_err(sql)?;
    let mut deletes = [
        "samples INDEXED BY samples_by_handle",
        "videos INDEXED BY videos_by_handle",
        "snapshots",
        "brand_links",
    ]
    .map(|table| format!("DELETE FROM {table} WHERE workspace = ?1 AND handle = ?2"));
    let mut stmts = Vec::with_capacity(deletes.len());
    for d in &mut deletes {
        stmts.push(tx.prepare_cached(d).map_err(sql)?);
    }
    for h in handles {
        links.execute(params![ws, h]).map_err(sql)?;
        for s in &mut stmts {
            s.execute(params![ws, h]).map_err(sql)?;
        }
    }
    Ok(())
}

/// `items` in the order of `key` (a stable sort: of two items with one key the later
/// still replaces the earlier).
fn sorted_by<'a, T, K: Ord>(items: &'a [T], key: impl Fn(&'a T) -> K) -> Vec<&'a T> {
    let mut refs: Vec<&T> = items.iter().collect();
    refs.sort_by_key(|t| key(t));
    refs
}

/// A set of related records in the order [`put_records`] writes them: each table's in
/// the order of its primary key.
struct RelatedOrder<'a> {
    samples: Vec<&'a Sample>,
    videos: Vec<&'a Video>,
    video_products: Vec<&'a VideoProduct>,
    snapshots: Vec<(String, &'a Snapshot)>,
    brand_links: Vec<&'a BrandLink>,
    products: Vec<&'a Product>,
}

impl<'a> RelatedOrder<'a> {
    fn of(r: &'a RelatedRecords) -> RelatedOrder<'a> {
        // Stable, as `sorted_by`: of two snapshots with one key the later replaces the
        // earlier.
        let mut snapshots: Vec<(String, &Snapshot)> =
            r.snapshots.iter().map(|s| (snapshot_date(s), s)).collect();
        snapshots.sort_by(|(da, a), (db, b)| {
            let key = |d, s: &'a Snapshot| (s.handle.as_str(), d, s.source.as_str());
            key(da, a).cmp(&key(db, b))
        });
        RelatedOrder {
            samples: sorted_by(&r.samples, |s| (&s.order_id, &s.sku_id)),
            videos: sorted_by(&r.videos, |v| &v.video_id),
            video_products: sorted_by(&r.video_products, |l| (&l.video_id, &l.product_id)),
            snapshots,
            brand_links: sorted_by(&r.brand_links, |b| (b.handle.as_str(), &b.brand)),
            products: sorted_by(&r.products, |p| &p.product_id),
        }
    }

    /// How many records of the set are packed.
    fn packed_records(&self) -> usize {
        self.samples.len() + self.videos.len() + self.snapshots.len() + self.products.len()
    }

    /// Packs the set's records in the order [`put_records`] takes them; false when
    /// `out` stops.
    fn pack_into(&self, out: &mut PackedOut) -> bool {
        self.samples.iter().all(|s| out.pack(*s))
            && self.videos.iter().all(|v| out.pack(*v))
            && self.snapshots.iter().all(|(_, s)| out.pack(*s))
            && self.products.iter().all(|p| out.pack(*p))
    }
}

/// Writes related records in the order of `r` (each table by its primary key: a batch
/// of new rows then appends to the b-tree page by page instead of splitting pages all
/// over it), their records packed by `packer`.
fn put_records(
    tx: &Transaction<'_>,
    ws: &str,
    r: &RelatedOrder<'_>,
    packer: &mut Packer,
) -> Result<()> {
    let mut stmt = tx
        .prepare_cached(
            "INSERT OR REPLACE INTO samples (workspace, order_id, sku_id, handle, record) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .map_err(sql)?;
    for s in &r.samples {
        let record = packer.record(*s)?;
        stmt.execute(params![ws, s.order_id, s.sku_id, s.handle.as_str(), record])
            .map_err(sql)?;
    }
    let mut stmt = tx
        .prepare_cached(
            "INSERT OR REPLACE INTO videos (workspace, video_id, handle, record) \
             VALUES (?1, ?2, ?3, ?4)",
        )
        .map_err(sql)?;
    for v in &r.videos {
        let record = packer.record(*v)?;
        stmt.execute(params![ws, v.video_id, v.handle.as_str(), record])
            .map_err(sql)?;
    }
    let mut stmt = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO video_products (workspace, video_id, product_id) \
             VALUES (?1, ?2, ?3)",
        )
        .map_err(sql)?;
    for l in &r.video_products {
        stmt.execute(params![ws, l.video_id, l.product_id])
            .map_err(sql)?;
    }
    let mut stmt = tx
        .prepare_cached(
            "INSERT OR REPLACE INTO snapshots (workspace, handle, date, source, record) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .map_err(sql)?;
    for (date, s) in &r.snapshots {
        let record = packer.record(*s)?;
        stmt.execute(params![
            ws,
            s.handle.as_str(),
            date,
            s.source.as_str(),
            record
        ])
        .map_err(sql)?;
    }
    let mut stmt = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO brand_links (workspace, handle, brand) VALUES (?1, ?2, ?3)",
        )
        .map_err(sql)?;
    for b in &r.brand_links {
        stmt.execute(params![ws, b.handle.as_str(), b.brand])
            .map_err(sql)?;
    }
    let mut stmt = tx
        .prepare_cached(
            "INSERT OR REPLACE INTO products (workspace, product_id, record) VALUES (?1, ?2, ?3)",
        )
        .map_err(sql)?;
    for p in &r.products {
        let record = packer.record(*p)?;
        stmt.execute(params![ws, p.product_id, record])
            .map_err(sql)?;
    }
    Ok(())
}

fn apply_change(tx: &Transaction<'_>, ws: &str, change: &Change) -> Result<()> {
    match change {
        Change::PutCreator { creator, expected } => {
            put_creator(tx, ws, creator, *expected, packed(&**creator)?)?;
        }
        Change::DeleteCreator { handle, expected } => {
            let h = handle.as_str();
            let held = creator_version(tx, ws, h)?;
            if held != *expected || held == Version::ABSENT {
                return Err(conflict("creator"));
            }
            remove_records_of(tx, ws, &[h])?;
            for stmt in [
                "DELETE FROM creators WHERE workspace = ?1 AND handle = ?2",
                "DELETE FROM supporters WHERE workspace = ?1 AND creator = ?2",
                "DELETE FROM cooldowns WHERE workspace = ?1 AND creator = ?2",
            ] {
                tx.prepare_cached(stmt)
                    .map_err(sql)?
                    .execute(params![ws, h])
                    .map_err(sql)?;
            }
        }
        Change::PutRelated { handles, records } => {
            put_related(
                tx,
                ws,
                handles,
                &RelatedOrder::of(records),
                &mut Packer::Inline,
            )?;
        }
        Change::Suppress { hashes } => {
            let mut stmt = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO suppression (workspace, hash) VALUES (?1, ?2)",
                )
                .map_err(sql)?;
            for h in hashes {
                stmt.execute(params![ws, &h[..]]).map_err(sql)?;
            }
        }
        Change::PutSupporters {
            creator,
            supporters,
        } => {
            let mut stmt = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO supporters (workspace, creator, supporter_id, record) \
                     VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(sql)?;
            for s in supporters {
                stmt.execute(params![ws, creator.as_str(), s.id.as_str(), to_json(s)?])
                    .map_err(sql)?;
            }
        }
        Change::DeleteSupporters { creator, ids } => {
            let mut stmt = tx
                .prepare_cached(
                    "DELETE FROM supporters WHERE workspace = ?1 AND creator = ?2 \
                     AND supporter_id = ?3",
                )
                .map_err(sql)?;
            for id in ids {
                stmt.execute(params![ws, creator.as_str(), id.as_str()])
                    .map_err(sql)?;
            }
        }
        Change::PutCooldowns {
            creator,
            state,
            expected,
        } => {
            let held = cooldown_version(tx, ws, creator.as_str())?;
            if held != *expected {
                return Err(conflict("cooldowns"));
            }
            tx.prepare_cached(
                "INSERT OR REPLACE INTO cooldowns (workspace, creator, version, state) \
                 VALUES (?1, ?2, ?3, ?4)",
            )
            .map_err(sql)?
            .execute(params![
                ws,
                creator.as_str(),
                version_value(expected.next()),
                to_json(state)?
            ])
            .map_err(sql)?;
        }
        Change::LogActivity { record } => {
            tx.prepare_cached(
                "INSERT INTO activity (workspace, seq, at, actor, action, target, detail) \
                 VALUES (?1, (SELECT COUNT(*) + 1 FROM activity WHERE workspace = ?1), \
                 ?2, ?3, ?4, ?5, ?6)",
            )
            .map_err(sql)?
            .execute(params![
                ws,
                record
                    .at
                    .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
                record.actor,
                record.action,
                record.target,
                record.detail
            ])
            .map_err(sql)?;
        }
        Change::RedactActivity { target } => {
            tx.prepare_cached(
                "UPDATE activity SET target = '' WHERE workspace = ?1 AND target = ?2",
            )
            .map_err(sql)?
            .execute(params![ws, target])
            .map_err(sql)?;
        }
    }
    Ok(())
}

/// A run of writes at least this long into empty tables builds those tables' secondary
/// indexes after its rows instead of row by row ([`without_indexes`]).
const BULK_ROWS: usize = 1_000;

/// Whether `table` holds no row at all (of any workspace: indexes span workspaces).
fn table_is_empty(tx: &Transaction<'_>, table: &str) -> Result<bool> {
    tx.prepare_cached(&format!("SELECT NOT EXISTS (SELECT 1 FROM {table})"))
        .map_err(sql)?
        .query_row([], |r| r.get(0))
        .map_err(sql)
}

/// Runs `write` with the secondary indexes of `tables` dropped, then creates them again
/// from their own SQL as the schema holds it, all in the transaction: building an index
/// over rows already written sorts them once, where filling it row by row in the order
/// of the rows (random for most indexes) splits pages all over it. Keys of `UNIQUE` and
/// `PRIMARY KEY` constraints (indexes without SQL) stay, and with them every conflict
/// check. The schema is the same afterwards; a rollback restores it with the rows.
fn without_indexes<T>(
    tx: &Transaction<'_>,
    tables: &[&str],
    write: impl FnOnce() -> Result<T>,
) -> Result<T> {
    let mut indexes: Vec<(String, String)> = Vec::new();
    {
        let mut stmt = tx
            .prepare_cached(
                "SELECT name, sql FROM sqlite_schema \
                 WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL ORDER BY name",
            )
            .map_err(sql)?;
        for table in tables {
            let mut rows = stmt.query(params![table]).map_err(sql)?;
            while let Some(row) = rows.next().map_err(sql)? {
                indexes.push((row.get(0).map_err(sql)?, row.get(1).map_err(sql)?));
            }
        }
    }
    for (name, _) in &indexes {
        tx.execute_batch(&format!("DROP INDEX \"{name}\""))
            .map_err(sql)?;
    }
    let out = write()?;
    for (_, create) in &indexes {
        tx.execute_batch(create).map_err(sql)?;
    }
    Ok(out)
}

/// A run of consecutive `PutCreator` in the order of their handles (stably, so two puts
/// of one creator keep their order; puts of distinct creators are independent, so the
/// outcome is the same), which fills the creators' key index in order.
fn creators_in_order(run: &[Change]) -> Vec<(&StoredCreator, Version)> {
    let mut sorted: Vec<(&StoredCreator, Version)> = run
        .iter()
        .filter_map(|c| match c {
            Change::PutCreator { creator, expected } => Some((&**creator, *expected)),
            _ => None,
        })
        .collect();
    sorted.sort_by(|(a, _), (b, _)| a.creator.handle.cmp(&b.creator.handle));
    sorted
}

/// Writes a run of creators (in the order [`creators_in_order`] gives), their records
/// packed by `packer`. A long run into an empty creators table builds the secondary
/// indexes after it.
fn put_creators(
    tx: &Transaction<'_>,
    ws: &str,
    run: &[(&StoredCreator, Version)],
    packer: &mut Packer,
) -> Result<()> {
    let mut write = || {
        for (creator, expected) in run {
            put_creator(tx, ws, creator, *expected, packer.record(*creator)?)?;
        }
        Ok(())
    };
    if run.len() >= BULK_ROWS && table_is_empty(tx, "creators")? {
        without_indexes(
            tx,
            &[
                "creators",
                "creator_brands",
                "creator_tags",
                "creator_emails",
            ],
            write,
        )
    } else {
        write()
    }
}

/// Applies a `PutRelated` (the records of `handles` replaced by `records`); a large
/// one into empty tables of samples and videos builds their handle indexes after its
/// rows.
fn put_related(
    tx: &Transaction<'_>,
    ws: &str,
    handles: &[Handle],
    records: &RelatedOrder<'_>,
    packer: &mut Packer,
) -> Result<()> {
    let mut write = || {
        let set: BTreeSet<&str> = handles.iter().map(Handle::as_str).collect();
        let handles: Vec<&str> = set.into_iter().collect();
        // A workspace holding no related record has none to replace (a first import).
        let mut stored = false;
        for table in ["samples", "videos", "snapshots", "brand_links"] {
            stored = stored || holds_rows(tx, table, ws)?;
        }
        if stored {
            remove_records_of(tx, ws, &handles)?;
        }
        put_records(tx, ws, records, packer)
    };
    let rows = records.samples.len() + records.videos.len();
    if rows >= BULK_ROWS && table_is_empty(tx, "samples")? && table_is_empty(tx, "videos")? {
        without_indexes(tx, &["samples", "videos"], write)
    } else {
        write()
    }
}

/// A change set as `apply` writes it: runs of `PutCreator` in handle order, the records
/// of each `PutRelated` in key order, every other change as it is.
enum Step<'a> {
    Creators(Vec<(&'a StoredCreator, Version)>),
    Related(&'a [Handle], RelatedOrder<'a>),
    Other(&'a Change),
}

fn steps(all: &[Change]) -> Vec<Step<'_>> {
    let mut steps = Vec::new();
    let mut at = 0;
    while let Some(change) = all.get(at) {
        match change {
            Change::PutCreator { .. } => {
                let len = all[at..]
                    .iter()
                    .position(|c| !matches!(c, Change::PutCreator { .. }))
                    .unwrap_or(all.len() - at);
                steps.push(Step::Creators(creators_in_order(&all[at..at + len])));
                at += len;
            }
            Change::PutRelated { handles, records } => {
                steps.push(Step::Related(handles, RelatedOrder::of(records)));
                at += 1;
            }
            _ => {
                steps.push(Step::Other(change));
                at += 1;
            }
        }
    }
    steps
}

/// How many records `steps` packs.
fn packed_records(steps: &[Step<'_>]) -> usize {
    steps
        .iter()
        .map(|s| match s {
            Step::Creators(run) => run.len(),
            Step::Related(_, r) => r.packed_records(),
            Step::Other(_) => 0,
        })
        .sum()
}

/// Records packed per message from the packing thread, and messages it may be ahead.
const PACKED_CHUNK: usize = 256;
const PACKED_AHEAD: usize = 64;

/// The packed records ([`packed`]) the writes of `apply` take, one by one in the order
/// they write them: packed there and then, or, for a change set of at least
/// [`BULK_ROWS`] records, by a thread that packs them ahead while SQLite writes (on a
/// large import, JSON and LZ4 cost about what SQLite's inserts do). Both walk the same
/// [`Step`]s in the same order, so the `n`-th record taken is the `n`-th packed.
enum Packer {
    Inline,
    Ahead {
        chunks: std::sync::mpsc::Receiver<Result<Vec<Value>>>,
        chunk: std::vec::IntoIter<Value>,
    },
}

impl Packer {
    /// The packed form of `value`, the next record written.
    fn record<T: Serialize>(&mut self, value: &T) -> Result<Value> {
        match self {
            Packer::Inline => packed(value),
            Packer::Ahead { chunks, chunk } => loop {
                if let Some(v) = chunk.next() {
                    return Ok(v);
                }
                match chunks.recv() {
                    Ok(next) => *chunk = next?.into_iter(),
                    Err(_) => {
                        return Err(Error::new(ErrorKind::Storage, "packing records failed"));
                    }
                }
            },
        }
    }
}

/// The packing thread's end of a [`Packer::Ahead`].
struct PackedOut {
    out: std::sync::mpsc::SyncSender<Result<Vec<Value>>>,
    chunk: Vec<Value>,
}

impl PackedOut {
    /// Packs `value`; false when packing failed (the error is sent) or the writer is gone.
    fn pack<T: Serialize>(&mut self, value: &T) -> bool {
        match packed(value) {
            Ok(v) => {
                self.chunk.push(v);
                if self.chunk.len() < PACKED_CHUNK {
                    return true;
                }
                let full = std::mem::replace(&mut self.chunk, Vec::with_capacity(PACKED_CHUNK));
                self.out.send(Ok(full)).is_ok()
            }
            Err(e) => {
                let _ = self.out.send(Err(e));
                false
            }
        }
    }

    /// Packs every record of `steps` in order, then sends the last chunk.
    fn pack_all(mut self, steps: &[Step<'_>]) {
        for step in steps {
            let going = match step {
                Step::Creators(run) => run.iter().all(|(c, _)| self.pack(*c)),
                Step::Related(_, r) => r.pack_into(&mut self),
                Step::Other(_) => true,
            };
            if !going {
                return;
            }
        }
        if !self.chunk.is_empty() {
            let _ = self.out.send(Ok(self.chunk));
        }
    }
}

const CREATOR_COLUMNS: &str = "c.record, c.version";

impl Store for SqliteStore {
    fn creators(&self, workspace: &str, handles: &[Handle]) -> Result<Vec<StoredCreator>> {
        let guard = self.lock();
        let conn = read_transaction(&guard)?;
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {CREATOR_COLUMNS} FROM creators c WHERE c.workspace = ?1 AND c.handle = ?2"
            ))
            .map_err(sql)?;
        let set: BTreeSet<&str> = handles.iter().map(Handle::as_str).collect();
        let mut out = Vec::with_capacity(set.len());
        for h in set {
            out.extend(creators_from(&mut stmt, params![workspace, h])?);
        }
        Ok(out)
    }

    fn creators_with_emails(
        &self,
        workspace: &str,
        emails: &[Email],
    ) -> Result<Vec<StoredCreator>> {
        let guard = self.lock();
        let conn = read_transaction(&guard)?;
        let mut by_email = conn
            .prepare_cached("SELECT handle FROM creator_emails WHERE workspace = ?1 AND email = ?2")
            .map_err(sql)?;
        let mut handles = BTreeSet::new();
        for e in emails {
            let mut rows = by_email
                .query(params![workspace, e.as_str()])
                .map_err(sql)?;
            while let Some(row) = rows.next().map_err(sql)? {
                handles.insert(row.get::<_, String>(0).map_err(sql)?);
            }
        }
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {CREATOR_COLUMNS} FROM creators c WHERE c.workspace = ?1 AND c.handle = ?2"
            ))
            .map_err(sql)?;
        let mut out = Vec::with_capacity(handles.len());
        for h in &handles {
            out.extend(creators_from(&mut stmt, params![workspace, h])?);
        }
        Ok(out)
    }

    fn related(&self, workspace: &str, handles: &[Handle]) -> Result<RelatedRecords> {
        let guard = self.lock();
        let conn = read_transaction(&guard)?;
        let set: BTreeSet<&str> = handles.iter().map(Handle::as_str).collect();
        let mut samples: Vec<Sample> = Vec::new();
        let mut videos: Vec<Video> = Vec::new();
        let mut snapshots: Vec<Snapshot> = Vec::new();
        let mut brand_links = Vec::new();
        let mut s_stmt = conn
            .prepare_cached(
                "SELECT record FROM samples INDEXED BY samples_by_handle \
                 WHERE workspace = ?1 AND handle = ?2",
            )
            .map_err(sql)?;
        let mut v_stmt = conn
            .prepare_cached(
                "SELECT record FROM videos INDEXED BY videos_by_handle \
                 WHERE workspace = ?1 AND handle = ?2",
            )
            .map_err(sql)?;
        let mut n_stmt = conn
            .prepare_cached("SELECT record FROM snapshots WHERE workspace = ?1 AND handle = ?2")
            .map_err(sql)?;
        let mut b_stmt = conn
            .prepare_cached(
                "SELECT brand FROM brand_links WHERE workspace = ?1 AND handle = ?2 ORDER BY brand",
            )
            .map_err(sql)?;
        for h in &set {
            samples.extend(records_from::<Sample>(&mut s_stmt, params![workspace, h])?);
            videos.extend(records_from::<Video>(&mut v_stmt, params![workspace, h])?);
            snapshots.extend(records_from::<Snapshot>(
                &mut n_stmt,
                params![workspace, h],
            )?);
            let mut rows = b_stmt.query(params![workspace, h]).map_err(sql)?;
            while let Some(row) = rows.next().map_err(sql)? {
                brand_links.push(BrandLink {
                    brand: row.get(0).map_err(sql)?,
                    handle: Handle::from_normalized(h),
                });
            }
        }
        // The order of every store: by each record's key.
        samples.sort_by(|a, b| (&a.order_id, &a.sku_id).cmp(&(&b.order_id, &b.sku_id)));
        videos.sort_by(|a, b| a.video_id.cmp(&b.video_id));
        snapshots.sort_by(|a, b| {
            (a.handle.as_str(), a.date, a.source).cmp(&(b.handle.as_str(), b.date, b.source))
        });
        Ok(RelatedRecords {
            video_products: video_links(&conn, workspace, &videos)?,
            samples,
            videos,
            snapshots,
            brand_links,
            products: Vec::new(),
        })
    }

    fn related_by_keys(&self, workspace: &str, keys: &RecordKeys) -> Result<RelatedRecords> {
        let guard = self.lock();
        let conn = read_transaction(&guard)?;
        let mut samples: Vec<Sample> = Vec::new();
        let mut stmt = conn
            .prepare_cached(
                "SELECT record FROM samples WHERE workspace = ?1 AND order_id = ?2 AND sku_id = ?3",
            )
            .map_err(sql)?;
        // A table the workspace holds nothing in answers no key (a first import asks for
        // every key it brings).
        let sample_keys = if holds_rows(&conn, "samples", workspace)? {
            keys.samples.iter().collect()
        } else {
            Vec::new()
        };
        for (order, sku) in sample_keys {
            samples.extend(records_from::<Sample>(
                &mut stmt,
                params![workspace, order, sku],
            )?);
        }
        let mut videos: Vec<Video> = Vec::new();
        let mut stmt = conn
            .prepare_cached("SELECT record FROM videos WHERE workspace = ?1 AND video_id = ?2")
            .map_err(sql)?;
        let video_keys = if holds_rows(&conn, "videos", workspace)? {
            keys.videos.iter().collect()
        } else {
            Vec::new()
        };
        for id in video_keys {
            videos.extend(records_from::<Video>(&mut stmt, params![workspace, id])?);
        }
        let mut products: Vec<Product> = Vec::new();
        let mut stmt = conn
            .prepare_cached("SELECT record FROM products WHERE workspace = ?1 AND product_id = ?2")
            .map_err(sql)?;
        let product_keys = if holds_rows(&conn, "products", workspace)? {
            keys.products.iter().collect()
        } else {
            Vec::new()
        };
        for id in product_keys {
            products.extend(records_from::<Product>(&mut stmt, params![workspace, id])?);
        }
        Ok(RelatedRecords {
            video_products: video_links(&conn, workspace, &videos)?,
            samples,
            videos,
            snapshots: Vec::new(),
            brand_links: Vec::new(),
            products,
        })
    }

    fn list_creators(&self, workspace: &str, query: &CreatorQuery) -> Result<CreatorPage> {
        let filter = filter_conditions(workspace, query)?;
        let total: i64 = {
            let conn = self.lock();
            let mut stmt = conn
                .prepare_cached(&format!(
                    "SELECT COUNT(*) FROM creators c WHERE {}",
                    filter.sql
                ))
                .map_err(sql)?;
            stmt.query_row(params_from_iter(filter.params.iter()), |r| r.get(0))
                .map_err(sql)?
        };
        let mut page = filter;
        if let Some(cursor) = &query.cursor {
            after_cursor(&mut page, query, cursor)?;
        }
        let limit = query.limit.max(1);
        let fetch = i64::try_from(limit).unwrap_or(i64::MAX - 1) + 1;
        page.params.push(Value::Integer(fetch));
        let mut items = {
            let conn = self.lock();
            let mut stmt = conn
                .prepare_cached(&format!(
                    "SELECT {CREATOR_COLUMNS} FROM creators c WHERE {} ORDER BY {} LIMIT ?",
                    page.sql,
                    order_by(query)
                ))
                .map_err(sql)?;
            creators_from(&mut stmt, params_from_iter(page.params.iter()))?
        };
        let more = items.len() > limit;
        items.truncate(limit);
        let next_cursor = if more {
            items.last().map(|c| Cursor::of(query, c))
        } else {
            None
        };
        Ok(CreatorPage {
            items,
            next_cursor,
            total: total.unsigned_abs(),
        })
    }

    fn search_creators(
        &self,
        workspace: &str,
        text: &str,
        limit: usize,
    ) -> Result<Vec<StoredCreator>> {
        let Some(text) = query::search_text(text) else {
            return Ok(Vec::new());
        };
        let guard = self.lock();
        let conn = read_transaction(&guard)?;
        let mut handles = Vec::new();
        {
            let mut stmt = conn
                .prepare_cached(
                    "SELECT handle, first_name, last_name, email FROM creators \
                     WHERE workspace = ?1 ORDER BY handle",
                )
                .map_err(sql)?;
            let mut rows = stmt.query(params![workspace]).map_err(sql)?;
            while handles.len() < limit {
                let Some(row) = rows.next().map_err(sql)? else {
                    break;
                };
                let handle: String = row.get(0).map_err(sql)?;
                let first: String = row.get(1).map_err(sql)?;
                let last: String = row.get(2).map_err(sql)?;
                let email: Option<String> = row.get(3).map_err(sql)?;
                if query::matches_text_fields(&handle, &first, &last, email.as_deref(), &text) {
                    handles.push(handle);
                }
            }
        }
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {CREATOR_COLUMNS} FROM creators c WHERE c.workspace = ?1 AND c.handle = ?2"
            ))
            .map_err(sql)?;
        let mut out = Vec::with_capacity(handles.len());
        for h in &handles {
            out.extend(creators_from(&mut stmt, params![workspace, h])?);
        }
        Ok(out)
    }

    fn suppression(&self, workspace: &str) -> Result<Vec<[u8; 32]>> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare_cached("SELECT hash FROM suppression WHERE workspace = ?1 ORDER BY hash")
            .map_err(sql)?;
        let mut rows = stmt.query(params![workspace]).map_err(sql)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(sql)? {
            let bytes: Vec<u8> = row.get(0).map_err(sql)?;
            let hash: [u8; 32] = bytes
                .try_into()
                .map_err(|_| Error::new(ErrorKind::Storage, "stored hash is not 32 bytes"))?;
            out.push(hash);
        }
        Ok(out)
    }

    fn supporters(&self, workspace: &str, creator: &Handle) -> Result<SupporterState> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare_cached(
                "SELECT record FROM supporters WHERE workspace = ?1 AND creator = ?2 \
                 ORDER BY supporter_id",
            )
            .map_err(sql)?;
        let supporters: Vec<Supporter> =
            records_from(&mut stmt, params![workspace, creator.as_str()])?;
        let cooldown: Option<(String, i64)> = conn
            .prepare_cached(
                "SELECT state, version FROM cooldowns WHERE workspace = ?1 AND creator = ?2",
            )
            .map_err(sql)?
            .query_row(params![workspace, creator.as_str()], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
            .map_err(sql)?;
        let (cooldowns, cooldowns_version) = match cooldown {
            Some((state, v)) => (from_json(&state)?, Version(v.unsigned_abs())),
            None => Default::default(),
        };
        // Supporter ids sort as their text, the order of `SupporterId`.
        let by_id: BTreeMap<SupporterId, Supporter> =
            supporters.into_iter().map(|s| (s.id.clone(), s)).collect();
        Ok(SupporterState {
            supporters: by_id.into_values().collect(),
            cooldowns,
            cooldowns_version,
        })
    }

    fn activity(&self, workspace: &str, limit: usize) -> Result<Vec<ActivityRecord>> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare_cached(
                "SELECT seq, at, actor, action, target, detail FROM activity \
                 WHERE workspace = ?1 ORDER BY seq DESC LIMIT ?2",
            )
            .map_err(sql)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut rows = stmt.query(params![workspace, limit]).map_err(sql)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(sql)? {
            let seq: i64 = row.get(0).map_err(sql)?;
            let at: String = row.get(1).map_err(sql)?;
            out.push(ActivityRecord {
                seq: seq.unsigned_abs(),
                at: chrono::DateTime::parse_from_rfc3339(&at)
                    .map_err(|e| storage_error("stored time is not valid", e))?
                    .with_timezone(&chrono::Utc),
                actor: row.get(2).map_err(sql)?,
                action: row.get(3).map_err(sql)?,
                target: row.get(4).map_err(sql)?,
                detail: row.get(5).map_err(sql)?,
            });
        }
        Ok(out)
    }

    fn apply(&self, workspace: &str, changes: &ChangeSet) -> Result<()> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(db_error("cannot begin transaction"))?;
        // An error drops `tx`, which rolls every change of the set back.
        let steps = steps(&changes.changes);
        std::thread::scope(|scope| {
            let mut packer = if packed_records(&steps) >= BULK_ROWS {
                let (out, chunks) = std::sync::mpsc::sync_channel(PACKED_AHEAD);
                let out = PackedOut {
                    out,
                    chunk: Vec::with_capacity(PACKED_CHUNK),
                };
                let steps = &steps;
                scope.spawn(move || out.pack_all(steps));
                Packer::Ahead {
                    chunks,
                    chunk: Vec::new().into_iter(),
                }
            } else {
                Packer::Inline
            };
            // Returning drops `packer`: a packing thread still at work then stops.
            for step in &steps {
                match step {
                    Step::Creators(run) => put_creators(&tx, workspace, run, &mut packer)?,
                    Step::Related(handles, records) => {
                        put_related(&tx, workspace, handles, records, &mut packer)?;
                    }
                    Step::Other(change) => apply_change(&tx, workspace, change)?,
                }
            }
            Ok::<(), Error>(())
        })?;
        tx.commit().map_err(db_error("cannot commit"))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn money_keys_sort_as_the_numbers() {
        let values = [
            "-1000.5", "-100", "-7", "-5.55", "-5.5", "-5", "-0.55", "-0.5", "0", "0.05", "0.5",
            "0.55", "1", "1.5", "1.55", "9.99", "10", "15", "100.01", "1000",
        ];
        let keys: Vec<String> = values
            .iter()
            .map(|v| money_key(v.parse().unwrap()))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        assert_eq!(
            money_key("1.50".parse().unwrap()),
            money_key("1.5".parse().unwrap())
        );
        assert_eq!(money_key("0.00".parse().unwrap()), "100");
    }

    #[test]
    fn a_database_of_schema_2_upgrades_with_its_records() {
        use crate::merge::{Finish, MergeOptions, Merger};
        let path = std::env::temp_dir().join(format!("crm-v2-{}.db", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let mut merger = Merger::new(MergeOptions::default());
        for (file, text) in super::super::conformance::exports() {
            merger.import_csv(&file, text.as_bytes()).unwrap();
        }
        let result = merger.finish(Finish::Everything);
        assert!(!result.samples.is_empty() && !result.videos.is_empty());
        assert!(!result.snapshots.is_empty());
        {
            // A database as the library wrote it at schema 2, with JSON records.
            let conn = Connection::open(&path).unwrap();
            for step in &MIGRATIONS[..2] {
                conn.execute_batch(step).unwrap();
            }
            conn.pragma_update(None, "user_version", 2).unwrap();
            for s in &result.samples {
                conn.execute(
                    "INSERT INTO samples VALUES ('w', ?1, ?2, ?3, ?4)",
                    params![s.order_id, s.sku_id, s.handle.as_str(), to_json(s).unwrap()],
                )
                .unwrap();
            }
            for v in &result.videos {
                conn.execute(
                    "INSERT INTO videos VALUES ('w', ?1, ?2, ?3)",
                    params![v.video_id, v.handle.as_str(), to_json(v).unwrap()],
                )
                .unwrap();
            }
            for n in &result.snapshots {
                conn.execute(
                    "INSERT INTO snapshots VALUES ('w', ?1, ?2, ?3, ?4)",
                    params![
                        n.handle.as_str(),
                        snapshot_date(n),
                        n.source.as_str(),
                        to_json(n).unwrap()
                    ],
                )
                .unwrap();
            }
            conn.execute(
                "INSERT INTO products VALUES ('w', 'p1', '{\"product_id\":\"p1\",\"name\":null,\
                 \"gmv\":null,\"items_sold\":null,\"orders\":null,\"provenance\":\
                 {\"source\":\"products\",\"file\":\"products.csv\",\"line\":2,\
                 \"observed_at\":null}}')",
                [],
            )
            .unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        assert_eq!(store.integrity_check().unwrap(), "ok");
        let handles: Vec<Handle> = result.creators.iter().map(|c| c.handle.clone()).collect();
        let got = store.related("w", &handles).unwrap();
        assert_eq!(got.samples, result.samples);
        assert_eq!(got.videos, result.videos);
        let mut want_snapshots = result.snapshots.clone();
        want_snapshots.sort_by(|a, b| {
            (a.handle.as_str(), a.date, a.source).cmp(&(b.handle.as_str(), b.date, b.source))
        });
        assert_eq!(got.snapshots, want_snapshots);
        let keys = RecordKeys {
            products: ["p1".to_owned()].into(),
            ..RecordKeys::default()
        };
        let products = store.related_by_keys("w", &keys).unwrap().products;
        assert_eq!(products.len(), 1);
        assert_eq!(products[0].product_id, "p1");
        for table in ["samples", "videos", "snapshots", "products"] {
            let sql: String = store
                .lock()
                .query_row(
                    "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1",
                    [table],
                    |r| r.get(0),
                )
                .unwrap();
            assert!(sql.ends_with("WITHOUT ROWID"), "{table}: {sql}");
        }
        drop(store);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }

    /// The tables of packed records and the columns of their keys.
    const PACKED_TABLES: [(&str, &[&str]); 5] = [
        ("creators", &["workspace", "handle"]),
        ("samples", &["workspace", "order_id", "sku_id"]),
        ("videos", &["workspace", "video_id"]),
        ("snapshots", &["workspace", "handle", "date", "source"]),
        ("products", &["workspace", "product_id"]),
    ];

    #[test]
    fn a_database_of_schema_3_upgrades_with_its_records_packed() {
        use crate::crm::{Actor, Crm, Role};
        use std::sync::Arc;
        let path = std::env::temp_dir().join(format!("crm-v3-{}.db", std::process::id()));
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        let store = Arc::new(SqliteStore::open(&path).unwrap());
        let crm = Crm::new(store.clone(), "w", Actor::staff("o", Role::Owner));
        let files = super::super::conformance::exports();
        let sources = files
            .iter()
            .map(|(f, text)| (f.clone(), text.as_bytes()))
            .collect();
        let at = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 3, 2, 9, 0, 0).unwrap();
        crm.import_exports(sources, at).unwrap();
        let page = |s: &SqliteStore| {
            s.list_creators("w", &CreatorQuery::default())
                .unwrap()
                .items
        };
        let creators = page(&store);
        let handles: Vec<Handle> = creators.iter().map(|c| c.creator.handle.clone()).collect();
        let related = store.related("w", &handles).unwrap();
        assert!(!creators.is_empty() && !related.samples.is_empty());
        {
            // The database as schema 3 wrote it: every record JSON text.
            let conn = store.lock();
            for (table, keys) in PACKED_TABLES {
                let cols = keys.join(", ");
                let mut rows: Vec<(Vec<Value>, String)> = Vec::new();
                let mut stmt = conn
                    .prepare(&format!("SELECT {cols}, record FROM {table}"))
                    .unwrap();
                let mut q = stmt.query([]).unwrap();
                while let Some(row) = q.next().unwrap() {
                    let key: Vec<Value> = (0..keys.len()).map(|i| row.get(i).unwrap()).collect();
                    let json: serde_json::Value = unpack(row.get_ref(keys.len()).unwrap()).unwrap();
                    rows.push((key, json.to_string()));
                }
                let cond: Vec<String> = keys
                    .iter()
                    .enumerate()
                    .map(|(i, k)| format!("{k} = ?{}", i + 2))
                    .collect();
                let update = format!(
                    "UPDATE {table} SET record = ?1 WHERE {}",
                    cond.join(" AND ")
                );
                for (key, text) in rows {
                    let mut values = vec![Value::Text(text)];
                    values.extend(key);
                    conn.execute(&update, params_from_iter(values)).unwrap();
                }
                let blobs: i64 = conn
                    .query_row(
                        &format!("SELECT COUNT(*) FROM {table} WHERE typeof(record) <> 'text'"),
                        [],
                        |r| r.get(0),
                    )
                    .unwrap();
                assert_eq!(blobs, 0, "{table}");
            }
            conn.pragma_update(None, "user_version", 3).unwrap();
        }
        drop(crm);
        drop(store);
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        assert_eq!(store.integrity_check().unwrap(), "ok");
        assert_eq!(page(&store), creators);
        assert_eq!(store.related("w", &handles).unwrap(), related);
        // The creators' records (with their evidence) got shorter as blobs.
        let packed: i64 = store
            .lock()
            .query_row(
                "SELECT COUNT(*) FROM creators WHERE typeof(record) = 'blob'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(packed, i64::try_from(creators.len()).unwrap());
        drop(store);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }

    #[test]
    fn a_bulk_import_builds_the_same_store_and_schema_as_row_by_row() {
        use crate::{
            crm::{Actor, Crm, Role},
            import::SourceKind,
            merge::SourceFile,
            store::{CreatorFilter, MemoryStore},
        };
        use creator_crm_datagen::{Config, generate_in_memory};
        use std::sync::Arc;
        let sqlite = Arc::new(SqliteStore::open_in_memory().unwrap());
        let memory: Arc<dyn Store> = Arc::new(MemoryStore::new());
        let schema = |s: &SqliteStore| -> Vec<String> {
            let conn = s.lock();
            let mut stmt = conn
                .prepare("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name")
                .unwrap();
            stmt.query_map([], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap()
        };
        let fresh_schema = schema(&sqlite);
        let at = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 6, 1, 12, 0, 0).unwrap();
        // A first import past `BULK_ROWS` creators (the bulk path), then an increment
        // that overlaps it (row by row, with the indexes in place).
        for (rows, seed) in [(12_000, 5), (3_000, 6)] {
            let data = generate_in_memory(&Config::for_rows(rows, seed))
                .unwrap()
                .interleaved(seed);
            for store in [sqlite.clone() as Arc<dyn Store>, memory.clone()] {
                let files = data
                    .files
                    .iter()
                    .map(|(k, name, bytes)| {
                        let kind: SourceKind = k.parse().unwrap();
                        (SourceFile::new(kind, *name), &bytes[..])
                    })
                    .collect();
                Crm::new(store, "w", Actor::staff("o", Role::Owner))
                    .import_exports(files, at)
                    .unwrap();
            }
            assert_eq!(schema(&sqlite), fresh_schema);
            for query in [
                CreatorQuery {
                    limit: 100_000,
                    ..CreatorQuery::default()
                },
                CreatorQuery {
                    filter: CreatorFilter {
                        has_email: Some(true),
                        ..CreatorFilter::default()
                    },
                    sort: SortField::TotalGmv,
                    descending: true,
                    limit: 100_000,
                    cursor: None,
                },
            ] {
                let got = sqlite.list_creators("w", &query).unwrap();
                let want = memory.list_creators("w", &query).unwrap();
                assert_eq!(got, want);
            }
            let all = memory
                .list_creators(
                    "w",
                    &CreatorQuery {
                        limit: 100_000,
                        ..CreatorQuery::default()
                    },
                )
                .unwrap()
                .items;
            assert!(all.len() > BULK_ROWS);
            let handles: Vec<Handle> = all.iter().map(|c| c.creator.handle.clone()).collect();
            assert_eq!(
                sqlite.related("w", &handles).unwrap(),
                memory.related("w", &handles).unwrap()
            );
        }
        assert_eq!(sqlite.integrity_check().unwrap(), "ok");
    }

    #[test]
    fn a_file_store_checkpoints_while_open_and_leaves_no_wal_when_dropped() {
        use crate::{
            crm::{Actor, Crm, CrmOptions, Role},
            import::SourceKind,
            merge::{ImportInput, MergeOptions, SourceFile},
            store::MemoryStore,
        };
        use creator_crm_datagen::{Config, generate_in_memory};
        use std::sync::Arc;
        let path = std::env::temp_dir().join(format!("crm-checkpoint-{}.db", std::process::id()));
        let remove = || {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        };
        remove();
        let wal = std::path::PathBuf::from(format!("{}-wal", path.display()));
        let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
        let data = generate_in_memory(&Config::for_rows(12_000, 8))
            .unwrap()
            .interleaved(8);
        let inputs = || -> Vec<ImportInput<&[u8]>> {
            data.files
                .iter()
                .map(|(k, name, bytes)| {
                    let kind: SourceKind = k.parse().unwrap();
                    ImportInput::new(SourceFile::new(kind, *name), &bytes[..])
                        .size_hint(bytes.len() as u64)
                })
                .collect()
        };
        let at = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 6, 1, 12, 0, 0).unwrap();
        let everything = CreatorQuery {
            limit: 100_000,
            ..CreatorQuery::default()
        };
        // The files read on two threads, into the file; on one, into memory.
        let store = Arc::new(SqliteStore::open(&path).unwrap());
        let two_threads = CrmOptions {
            merge: MergeOptions {
                threads: 2,
                ..MergeOptions::default()
            },
            ..CrmOptions::default()
        };
        let actor = || Actor::staff("o", Role::Owner);
        Crm::with_options(store.clone(), "w", actor(), two_threads)
            .import_inputs(inputs(), at)
            .unwrap();
        let memory = Arc::new(MemoryStore::new());
        Crm::new(memory.clone(), "w", actor())
            .import_inputs(inputs(), at)
            .unwrap();
        let want = memory.list_creators("w", &everything).unwrap();
        assert_eq!(store.list_creators("w", &everything).unwrap(), want);
        // The commit left its pages in the WAL; the store's thread copies them into the
        // file while the store stays open (the import wrote well past the threshold).
        assert!(size(&wal) > 4 * 1024 * 1024, "WAL of {} bytes", size(&wal));
        let mut waited = 0;
        while size(&path) < size(&wal) / 2 && waited < 600 {
            std::thread::sleep(std::time::Duration::from_millis(50));
            waited += 1;
        }
        assert!(
            size(&path) >= size(&wal) / 2,
            "the file holds {} bytes, the WAL {}",
            size(&path),
            size(&wal)
        );
        drop(store);
        assert!(!wal.exists(), "the WAL outlived the store");
        let reopened = SqliteStore::open(&path).unwrap();
        assert_eq!(reopened.list_creators("w", &everything).unwrap(), want);
        assert_eq!(reopened.integrity_check().unwrap(), "ok");
        drop(reopened);
        remove();
    }

    #[test]
    fn a_record_reads_back_packed_or_as_text() {
        let related = RecordKeys::default();
        let long = vec!["the same text again and again"; 40];
        for value in [serde_json::json!(long), serde_json::json!({"a": 1})] {
            let stored = packed(&value).unwrap();
            let back: serde_json::Value = unpack(ValueRef::from(&stored)).unwrap();
            assert_eq!(back, value);
        }
        assert!(matches!(packed(&long).unwrap(), Value::Blob(_)));
        assert!(matches!(packed(&related).unwrap(), Value::Text(_)));
        assert!(unpack::<serde_json::Value>(ValueRef::Blob(&[PACKED_LZ4, 9, 9])).is_err());
        assert!(unpack::<serde_json::Value>(ValueRef::Blob(&[7])).is_err());
    }

    #[test]
    fn a_database_of_a_newer_version_is_refused() {
        let dir = std::env::temp_dir().join(format!("crm-newer-{}.db", std::process::id()));
        let _ = std::fs::remove_file(&dir);
        {
            let store = SqliteStore::open(&dir).unwrap();
            assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
            store
                .lock()
                .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
                .unwrap();
        }
        let err = SqliteStore::open(&dir).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Storage);
        assert_eq!(err.field(), Some("schema_version"));
        // Reopening a current database runs no migration again.
        let ok = std::env::temp_dir().join(format!("crm-current-{}.db", std::process::id()));
        let _ = std::fs::remove_file(&ok);
        drop(SqliteStore::open(&ok).unwrap());
        assert_eq!(
            SqliteStore::open(&ok).unwrap().schema_version().unwrap(),
            SCHEMA_VERSION
        );
        for p in [dir, ok] {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
            }
        }
    }
}
