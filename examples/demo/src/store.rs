//! The demo's second half: the CRM on a [`SqliteStore`] file, and welcome outreach
//! through a recording sender.
//!
//! The bundled exports are imported into `crm.db` beside the merged table; one creator
//! is edited by hand and one erased; the same exports are imported again, and the edit
//! survives while the erased creator stays out. A filtered, sorted page is listed, a few
//! creators are approved, the welcome messages are previewed and sent at the demo's
//! clock, respecting consent and quiet hours. Only handles, field names and counts are
//! printed; the preview is rendered with the first name masked.

use std::{fs::File, io::BufReader, path::Path, sync::Arc};

use chrono::{DateTime, Duration, Utc};
use creator_crm::{
    crm::{Actor, Crm, CrmOptions, ProfileUpdate, Role},
    merge::{Field, MergeOptions},
    messaging::{Recorded, RecordingSender},
    outbox::{ConsentAction, OutreachConfig, OutreachService},
    outreach::{Channel, TemplateSet, WelcomeContext, sms_segments},
    store::{CreatorFilter, CreatorQuery, SortField, SqliteStore},
};

use crate::FILES;

type DemoResult<T> = Result<T, Box<dyn std::error::Error>>;

/// The workspace the demo's brand works in.
const WORKSPACE: &str = "glow-co";

/// Opens `crm.db` afresh (the file and its WAL removed first, so reruns match).
fn fresh_store(path: &Path) -> DemoResult<Arc<SqliteStore>> {
    for suffix in ["", "-wal", "-shm"] {
        let file = format!("{}{suffix}", path.display());
        if Path::new(&file).exists() {
            std::fs::remove_file(&file)?;
        }
    }
    Ok(Arc::new(SqliteStore::open(path)?))
}

/// Imports the bundled exports into the store; prints what the import did.
fn import(crm: &Crm, data: &Path, now: DateTime<Utc>, label: &str) -> DemoResult<()> {
    let mut sources = Vec::new();
    for (kind, name) in FILES {
        let reader = BufReader::new(File::open(data.join(name))?);
        sources.push((crate::source_file(kind, name), reader));
    }
    let o = crm.import_exports(sources, now)?;
    println!(
        "{label:<10} {} rows: {} created, {} updated, {} deleted",
        o.report.rows_read, o.created, o.updated, o.deleted
    );
    Ok(())
}

/// Runs the store and outreach half of the demo; `db` is where `crm.db` goes.
pub fn run(data: &Path, db: &Path, now: DateTime<Utc>) -> DemoResult<()> {
    let store = fresh_store(db)?;
    let options = CrmOptions {
        merge: MergeOptions {
            suppression: crate::suppression(data)?,
            ..MergeOptions::default()
        },
        ..CrmOptions::default()
    };
    let crm = Crm::with_options(
        store.clone(),
        WORKSPACE,
        Actor::staff("demo", Role::Owner),
        options,
    );

    println!("\n== the CRM on SQLite");
    import(&crm, data, now, "import")?;
    let by_gmv = |filter: CreatorFilter, limit: usize| CreatorQuery {
        filter,
        sort: SortField::TotalGmv,
        descending: true,
        limit,
        cursor: None,
    };
    let top = crm.list_creators(&by_gmv(CreatorFilter::default(), 3))?;
    let (Some(edited), Some(erased)) = (top.items.first(), top.items.get(1)) else {
        return Err("the bundled data holds fewer than two creators".into());
    };
    let (edited, erased) = (
        edited.creator.handle.as_str().to_owned(),
        erased.creator.handle.as_str().to_owned(),
    );
    crm.edit_creator(
        &edited,
        vec![
            ("first_name".into(), "Demo".into()),
            ("last_name".into(), "Edit".into()),
        ],
        now,
    )?;
    println!("edited     @{edited}: first_name, last_name (source manual)");
    let deleted = crm.erase_creator(&erased, now)?;
    println!("erased     @{erased}: {deleted} creator(s) deleted, their keys suppressed");
    import(&crm, data, now + Duration::hours(1), "re-import")?;
    let after = crm.get_creator(&edited)?;
    let kept = after.as_ref().is_some_and(|c| {
        c.creator.first_name.as_str() == "Demo"
            && c.creator
                .provenance_of(Field::Name)
                .is_some_and(|p| p.source.as_str() == "manual")
    });
    println!(
        "after re-import: the manual edit of @{edited} {}; @{erased} {}",
        if kept { "is kept" } else { "was LOST" },
        if crm.get_creator(&erased)?.is_none() {
            "stays erased"
        } else {
            "CAME BACK"
        }
    );

    // Whitelisting is the brand's own decision: the ten top creators with a phone.
    let with_phone = CreatorFilter {
        has_phone: Some(true),
        ..CreatorFilter::default()
    };
    for c in crm.list_creators(&by_gmv(with_phone.clone(), 10))?.items {
        let update = ProfileUpdate {
            whitelisted: Some(true),
            ..ProfileUpdate::default()
        };
        crm.update_profile(c.creator.handle.as_str(), &update, now)?;
    }
    let page = crm.list_creators(&by_gmv(
        CreatorFilter {
            whitelisted: Some(true),
            has_email: Some(true),
            ..with_phone
        },
        5,
    ))?;
    println!(
        "page: whitelisted, with phone and email, by GMV: {} of {}{}",
        page.items.len(),
        page.total,
        if page.next_cursor.is_some() {
            ", more on the next page"
        } else {
            ""
        }
    );
    for c in &page.items {
        println!(
            "    @{:<25} {:>12}",
            c.creator.handle.as_str(),
            c.creator.total_gmv.round_dp(2).to_string()
        );
    }

    outreach(crm, store, &page.items, now)?;
    println!("\ncrm.db: {} (open it with sqlite3)", db.display());
    Ok(())
}

/// Approves the page's creators, previews the welcome messages, records one SMS
/// consent, plans and sends through a recording sender.
fn outreach(
    crm: Crm,
    store: Arc<SqliteStore>,
    creators: &[creator_crm::store::StoredCreator],
    now: DateTime<Utc>,
) -> DemoResult<()> {
    println!("\n== welcome outreach (a recording sender stands in for Mailgun and Twilio)");
    let templates = TemplateSet::with_defaults()?;
    let mut config = OutreachConfig::welcome("welcome-2025-11", "Glow Co");
    config.community_invite_url = "https://glow.example/community".into();
    config.postal_address = "Glow Co, 100 Main St, Austin, TX 78701".into();
    config.unsubscribe_base_url = "https://glow.example/unsubscribe/".into();
    config.consent_base_url = Some("https://glow.example/sms-consent".into());
    config.consent_key = b"demo-consent-key-kept-by-the-host".to_vec();

    // The preview, with the first name masked: the rest is the brand's own text.
    let ctx = WelcomeContext {
        first_name: Some("[first name]".into()),
        brand_name: config.brand_name.clone(),
        community_invite_url: config.community_invite_url.clone(),
        unsubscribe_url: Some(format!("{}[outbox id]", config.unsubscribe_base_url)),
        postal_address: Some(config.postal_address.clone()),
        sms_consent_url: None,
    };
    let email = templates.render_email("welcome", &ctx)?;
    let sms = templates.render_sms("welcome", &ctx)?;
    let segments = sms_segments(&sms);
    println!("email subject: {}", email.subject);
    for line in email.text.lines().filter(|l| !l.trim().is_empty()) {
        println!("    | {line}");
    }
    println!(
        "sms ({} characters, {} segment(s), {}):",
        segments.characters,
        segments.segments,
        segments.encoding.as_str()
    );
    println!("    | {sms}");

    let sender = Arc::new(RecordingSender::new());
    let service = OutreachService::new(
        crm,
        store,
        sender.clone(),
        sender.clone(),
        templates,
        config,
    );
    let handles: Vec<&str> = creators.iter().map(|c| c.creator.handle.as_str()).collect();
    let approved = service.approve(&handles, now)?;
    println!("approved {approved} creator(s)");
    if let Some(first) = handles.first() {
        service.record_consent(first, Channel::Sms, ConsentAction::OptIn, now)?;
        println!("SMS consent recorded for @{first} (staff, text version sms-consent-1)");
    }

    // 08:00 UTC is 03:00 in New York: email goes out, SMS waits for the allowed hours.
    let morning = now + Duration::hours(8);
    let planned = service.plan(morning)?;
    let no_consent = planned
        .plan
        .skipped
        .iter()
        .filter(|s| s.reason.as_str() == "no_consent")
        .count();
    println!(
        "plan at {}: {} queued ({} skipped for no SMS consent)",
        morning.format("%H:%M UTC"),
        planned.queued,
        no_consent
    );
    let first = service.send_due(morning)?;
    println!(
        "send at {}: {} sent, {} deferred",
        morning.format("%H:%M UTC"),
        first.sent,
        first.deferred
    );
    let noon = now + Duration::hours(17);
    let second = service.send_due(noon)?;
    println!(
        "send at {}: {} sent, {} deferred",
        noon.format("%H:%M UTC"),
        second.sent,
        second.deferred
    );
    let again = service.send_due(noon)?;
    println!("send again: {} sent (nothing twice)", again.sent);
    let (emails, texts) = sender.sent().iter().fold((0, 0), |(e, s), m| match m {
        Recorded::Email(..) => (e + 1, s),
        Recorded::Sms(..) => (e, s + 1),
    });
    println!("the recording sender got {emails} email(s) and {texts} SMS");
    if let Some(first) = handles.first() {
        println!(
            "history of @{first}: {} message(s)",
            service.history(first)?.len()
        );
    }
    Ok(())
}
