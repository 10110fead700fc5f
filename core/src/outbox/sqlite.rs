//! [`OutreachStore`] for [`SqliteStore`]: the outbox, the consent ledger and the applied
//! delivery events in tables of the same database (schema step 2).

use chrono::SecondsFormat;
use rusqlite::{OptionalExtension, Transaction, params, params_from_iter};

use super::{ConsentEntry, OutboxEntry, OutboxStatus, OutreachChange, OutreachStore};
use crate::{
    error::Result,
    identity::Handle,
    store::{
        SqliteStore, Version, conflict,
        sqlite::{db_error, enum_text, from_json, sql, to_json},
    },
};

/// The outreach tables (the second step of [`crate::store::sqlite`]'s migrations).
pub(crate) const MIGRATION: &str = r"
CREATE TABLE outbox (
    workspace  TEXT    NOT NULL,
    id         TEXT    NOT NULL,
    creator    TEXT    NOT NULL,
    to_address TEXT    NOT NULL,
    status     TEXT    NOT NULL,
    not_before TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    record     TEXT    NOT NULL,
    PRIMARY KEY (workspace, id)
);
CREATE INDEX outbox_by_status ON outbox (workspace, status, not_before, id);
CREATE INDEX outbox_by_creator ON outbox (workspace, creator);
CREATE INDEX outbox_by_address ON outbox (workspace, to_address);
CREATE TABLE consent (
    workspace TEXT    NOT NULL,
    seq       INTEGER NOT NULL,
    creator   TEXT    NOT NULL,
    record    TEXT    NOT NULL,
    PRIMARY KEY (workspace, seq)
);
CREATE INDEX consent_by_creator ON consent (workspace, creator, seq);
CREATE TABLE outreach_events (
    workspace TEXT NOT NULL,
    key       TEXT NOT NULL,
    PRIMARY KEY (workspace, key)
);
";

/// An instant as text whose byte order is the time order (fixed width, UTC).
fn instant_key(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn entries(
    stmt: &mut rusqlite::Statement<'_>,
    params: impl rusqlite::Params,
) -> Result<Vec<OutboxEntry>> {
    let rows: Vec<(String, i64)> = stmt
        .query_map(params, |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(sql)?
        .collect::<rusqlite::Result<_>>()
        .map_err(sql)?;
    rows.into_iter()
        .map(|(record, version)| {
            let mut e: OutboxEntry = from_json(&record)?;
            e.version = Version(u64::try_from(version).unwrap_or_default());
            Ok(e)
        })
        .collect()
}

fn held_version(tx: &Transaction<'_>, ws: &str, id: &str) -> Result<Version> {
    let v: Option<i64> = tx
        .query_row(
            "SELECT version FROM outbox WHERE workspace = ?1 AND id = ?2",
            params![ws, id],
            |r| r.get(0),
        )
        .optional()
        .map_err(sql)?;
    Ok(Version(v.and_then(|v| u64::try_from(v).ok()).unwrap_or(0)))
}

fn apply_change(tx: &Transaction<'_>, ws: &str, change: &OutreachChange) -> Result<()> {
    match change {
        OutreachChange::PutOutbox { entry, expected } => {
            if held_version(tx, ws, &entry.id)? != *expected {
                return Err(conflict("outbox"));
            }
            let version = i64::try_from(expected.next().0).unwrap_or(i64::MAX);
            tx.execute(
                "INSERT OR REPLACE INTO outbox \
                 (workspace, id, creator, to_address, status, not_before, version, record) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    ws,
                    entry.id,
                    entry.creator.as_str(),
                    entry.to,
                    enum_text(&entry.status)?,
                    instant_key(entry.not_before),
                    version,
                    to_json(&**entry)?,
                ],
            )
            .map_err(sql)?;
        }
        OutreachChange::RecordConsent { entry } => {
            tx.execute(
                "INSERT INTO consent (workspace, seq, creator, record) \
                 SELECT ?1, coalesce(max(seq), 0) + 1, ?2, ?3 FROM consent WHERE workspace = ?1",
                params![ws, entry.creator.as_str(), to_json(entry)?],
            )
            .map_err(sql)?;
        }
        OutreachChange::MarkEvent { key } => {
            let added = tx
                .execute(
                    "INSERT OR IGNORE INTO outreach_events (workspace, key) VALUES (?1, ?2)",
                    params![ws, key],
                )
                .map_err(sql)?;
            if added == 0 {
                return Err(conflict("event"));
            }
        }
        OutreachChange::ForgetCreator { creator } => {
            for table in ["outbox", "consent"] {
                tx.execute(
                    &format!("DELETE FROM {table} WHERE workspace = ?1 AND creator = ?2"),
                    params![ws, creator.as_str()],
                )
                .map_err(sql)?;
            }
        }
    }
    Ok(())
}

const ENTRY_COLUMNS: &str = "record, version";

impl OutreachStore for SqliteStore {
    fn outbox(&self, workspace: &str, ids: &[String]) -> Result<Vec<OutboxEntry>> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {ENTRY_COLUMNS} FROM outbox WHERE workspace = ?1 AND id = ?2"
            ))
            .map_err(sql)?;
        let mut ids: Vec<&String> = ids.iter().collect();
        ids.sort();
        ids.dedup();
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.extend(entries(&mut stmt, params![workspace, id])?);
        }
        Ok(out)
    }

    fn outbox_with_status(
        &self,
        workspace: &str,
        status: OutboxStatus,
        limit: usize,
    ) -> Result<Vec<OutboxEntry>> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {ENTRY_COLUMNS} FROM outbox WHERE workspace = ?1 AND status = ?2 \
                 ORDER BY not_before, id LIMIT ?3"
            ))
            .map_err(sql)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        entries(&mut stmt, params![workspace, enum_text(&status)?, limit])
    }

    fn outbox_of(&self, workspace: &str, creator: &Handle) -> Result<Vec<OutboxEntry>> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {ENTRY_COLUMNS} FROM outbox WHERE workspace = ?1 AND creator = ?2 ORDER BY id"
            ))
            .map_err(sql)?;
        entries(&mut stmt, params![workspace, creator.as_str()])
    }

    fn outbox_to(&self, workspace: &str, to: &str) -> Result<Vec<OutboxEntry>> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {ENTRY_COLUMNS} FROM outbox WHERE workspace = ?1 AND to_address = ?2 \
                 ORDER BY id"
            ))
            .map_err(sql)?;
        entries(&mut stmt, params![workspace, to])
    }

    fn consent(&self, workspace: &str, creators: &[Handle]) -> Result<Vec<ConsentEntry>> {
        if creators.is_empty() {
            return Ok(Vec::new());
        }
        let conn = self.lock();
        let marks = vec!["?"; creators.len()].join(", ");
        let mut stmt = conn
            .prepare(&format!(
                "SELECT record FROM consent WHERE workspace = ? AND creator IN ({marks}) ORDER BY seq"
            ))
            .map_err(sql)?;
        let args = std::iter::once(workspace).chain(creators.iter().map(Handle::as_str));
        let rows: Vec<String> = stmt
            .query_map(params_from_iter(args), |r| r.get(0))
            .map_err(sql)?
            .collect::<rusqlite::Result<_>>()
            .map_err(sql)?;
        rows.iter().map(|r| from_json(r)).collect()
    }

    fn events_seen(&self, workspace: &str, keys: &[String]) -> Result<Vec<String>> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare_cached("SELECT 1 FROM outreach_events WHERE workspace = ?1 AND key = ?2")
            .map_err(sql)?;
        let mut seen = Vec::new();
        for key in keys {
            if stmt.exists(params![workspace, key]).map_err(sql)? {
                seen.push(key.clone());
            }
        }
        Ok(seen)
    }

    fn apply_outreach(&self, workspace: &str, changes: &[OutreachChange]) -> Result<()> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(db_error("cannot begin transaction"))?;
        for change in changes {
            // An error drops `tx`, which rolls every change back.
            apply_change(&tx, workspace, change)?;
        }
        tx.commit().map_err(db_error("cannot commit"))
    }
}
