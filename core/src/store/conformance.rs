//! The conformance suite every [`Store`] passes: written once here, run against
//! [`super::MemoryStore`], the SQLite store and the host stores of every binding, from
//! each language's own test runner.
//!
//! Each case gets a fresh, empty store from the caller's factory and fails with a
//! message naming what differed (handles and counts, never personal data).
//!
//! ```
//! use std::sync::Arc;
//! use creator_crm::store::{MemoryStore, conformance};
//! let failures: Vec<_> = conformance::run(|| Arc::new(MemoryStore::new()))
//!     .into_iter()
//!     .filter_map(|(name, r)| r.err().map(|e| format!("{name}: {e}")))
//!     .collect();
//! assert!(failures.is_empty(), "{failures:?}");
//! ```

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use super::{
    Change, ChangeSet, CreatorFilter, CreatorQuery, SortField, Store, StoredCreator, Version,
};
use crate::{
    crm::{Actor, Crm, ProfileUpdate, Role},
    error::ErrorKind,
    identity::{Email, Handle},
    import::SourceKind,
    merge::{Finish, MergeOptions, Merger, RecordKeys, SourceFile},
    supporters::{
        Alert, AlertConfig, AlertDetail, AlertKind, AlertPriority, Supporter, SupporterActivity,
        SupporterProfile,
    },
};

/// What a case returns: `Err` with what differed.
pub type CaseResult = std::result::Result<(), String>;

/// One case of the suite.
#[derive(Debug, Clone, Copy)]
pub struct Case {
    /// Its name.
    pub name: &'static str,
    /// Runs it against an empty store.
    pub run: fn(Arc<dyn Store>) -> CaseResult,
}

/// Every case, in a stable order.
pub fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "creators_round_trip_with_versions",
            run: creators_round_trip_with_versions,
        },
        Case {
            name: "stale_versions_conflict_and_change_nothing",
            run: stale_versions_conflict_and_change_nothing,
        },
        Case {
            name: "emails_and_record_keys_find_their_creators",
            run: emails_and_record_keys_find_their_creators,
        },
        Case {
            name: "filters_and_sorts",
            run: filters_and_sorts,
        },
        Case {
            name: "paging_is_stable_under_inserts",
            run: paging_is_stable_under_inserts,
        },
        Case {
            name: "workspaces_see_nothing_of_each_other",
            run: workspaces_see_nothing_of_each_other,
        },
        Case {
            name: "erasure_leaves_nothing_and_survives_reimport",
            run: erasure_leaves_nothing_and_survives_reimport,
        },
        Case {
            name: "manual_edits_survive_reimport",
            run: manual_edits_survive_reimport,
        },
        Case {
            name: "importing_in_parts_equals_merging_at_once",
            run: importing_in_parts_equals_merging_at_once,
        },
        Case {
            name: "supporters_and_cooldowns",
            run: supporters_and_cooldowns,
        },
        Case {
            name: "roles_are_enforced",
            run: roles_are_enforced,
        },
        Case {
            name: "an_import_between_another_ones_reads_and_write_is_kept",
            run: an_import_between_another_ones_reads_and_write_is_kept,
        },
    ]
}

/// Runs every case, each on a fresh store from `make`.
pub fn run(make: impl Fn() -> Arc<dyn Store>) -> Vec<(&'static str, CaseResult)> {
    cases()
        .into_iter()
        .map(|case| (case.name, (case.run)(make())))
        .collect()
}

/// Fails with `what` when `cond` does not hold.
fn ensure(cond: bool, what: impl FnOnce() -> String) -> CaseResult {
    if cond { Ok(()) } else { Err(what()) }
}

/// A store error as a case failure.
fn fail(e: crate::Error) -> String {
    format!("store error: {e}")
}

const WS: &str = "conformance";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .single()
        .unwrap_or_default()
}

fn owner() -> Actor {
    Actor::staff("owner-1", Role::Owner)
}

fn crm(store: &Arc<dyn Store>) -> Crm {
    Crm::new(store.clone(), WS, owner())
}

fn day(d: u32) -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 2, d)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .unwrap_or_default()
}

/// The exports the cases import: a contact list, phones, samples for a brand, metrics
/// and videos, over five creators (two sharing a team inbox with a third).
pub(crate) fn exports() -> Vec<(SourceFile, &'static str)> {
    vec![
        (
            SourceFile::new(SourceKind::Euka, "euka.csv").observed_at(day(1)),
            "handle,email,phone,recipient\n\
             @ana.b,ana@mailbox.org,(+1)832*****59,Ana Bell\n\
             bo,team@agency.co,,Bo Chan\n\
             cy,team@agency.co,,Cy Dale\n\
             dee,team@agency.co,4155550124,Dee Fox\n\
             eli,eli@mailbox.org,,Eli Gray\n",
        ),
        (
            SourceFile::new(SourceKind::PhoneNumbers, "phones.csv"),
            "handle,phone\nana.b,(+1)8325550159\n",
        ),
        (
            SourceFile::new(SourceKind::SampleOrders, "samples.csv").brand("Glow"),
            "handle,order_id,sku_id,created_time\n\
             ana.b,1001,7,2026-01-05\n\
             bo,1002,7,2026-01-06\n",
        ),
        (
            SourceFile::new(SourceKind::Refunnel, "refunnel.csv").observed_at(day(3)),
            "handle,followers,gmv\nana.b,12000,$1500\nbo,900,10\ncy,45000,$20000\n",
        ),
        (
            SourceFile::new(SourceKind::Videos, "videos.csv"),
            "handle,video_id,gmv,video_post_date\nana.b,71,$300,2026-01-20\ncy,72,$50,2026-01-21\n",
        ),
    ]
}

fn import(c: &Crm, files: &[(SourceFile, &str)]) -> Result<(), String> {
    let sources = files
        .iter()
        .map(|(f, text)| (f.clone(), text.as_bytes()))
        .collect();
    c.import_exports(sources, now()).map(|_| ()).map_err(fail)
}

/// The merge of `files` at once, with no store.
fn merged_at_once(files: &[(SourceFile, &str)]) -> Result<crate::merge::MergeResult, String> {
    let mut m = Merger::new(MergeOptions::default());
    for (f, text) in files {
        m.import_csv(f, text.as_bytes()).map_err(fail)?;
    }
    Ok(m.finish(Finish::Everything))
}

/// The store's creators are `want`'s, in order.
fn stored_as_merged(store: &Arc<dyn Store>, want: &crate::merge::MergeResult) -> CaseResult {
    let page = store
        .list_creators(
            WS,
            &CreatorQuery {
                limit: 100,
                ..CreatorQuery::default()
            },
        )
        .map_err(fail)?;
    let got: Vec<_> = page.items.iter().map(|s| s.creator.clone()).collect();
    ensure(got == want.creators, || {
        let differ: Vec<&str> = got
            .iter()
            .zip(&want.creators)
            .filter(|(a, b)| a != b)
            .map(|(a, _)| a.handle.as_str())
            .collect();
        format!(
            "{} stored, {} merged at once; differing: {differ:?}",
            got.len(),
            want.creators.len()
        )
    })
}

fn handle(h: &str) -> Result<Handle, String> {
    Handle::parse(h).map_err(fail)
}

fn get(store: &Arc<dyn Store>, ws: &str, h: &str) -> Result<Option<StoredCreator>, String> {
    Ok(store
        .creators(ws, &[handle(h)?])
        .map_err(fail)?
        .into_iter()
        .next())
}

fn handles_of(items: &[StoredCreator]) -> Vec<String> {
    items
        .iter()
        .map(|c| c.creator.handle.as_str().to_owned())
        .collect()
}

fn creators_round_trip_with_versions(store: Arc<dyn Store>) -> CaseResult {
    import(&crm(&store), &exports())?;
    let ana = get(&store, WS, "ana.b")?.ok_or("ana.b not stored")?;
    ensure(ana.version == Version(1), || {
        format!("first version {:?}", ana.version)
    })?;
    let want = merged_at_once(&exports())?;
    let want_ana = want
        .creators
        .iter()
        .find(|c| c.handle.as_str() == "ana.b")
        .ok_or("ana.b not merged")?;
    ensure(ana.creator == *want_ana, || {
        "stored creator differs from the merge".into()
    })?;
    ensure(ana.brands.contains("Glow"), || "brand link lost".into())?;
    let mut changed = ana.clone();
    changed.profile.notes = "called back".into();
    let mut set = ChangeSet::new();
    set.push(Change::PutCreator {
        creator: Box::new(changed),
        expected: Version(1),
    });
    store.apply(WS, &set).map_err(fail)?;
    let again = get(&store, WS, "ana.b")?.ok_or("ana.b gone")?;
    ensure(
        again.version == Version(2) && again.profile.notes == "called back",
        || format!("after update: version {:?}", again.version),
    )?;
    let all = store
        .creators(WS, &[handle("eli")?, handle("nobody")?, handle("ana.b")?])
        .map_err(fail)?;
    ensure(handles_of(&all) == ["ana.b", "eli"], || {
        format!("batched read gave {:?}", handles_of(&all))
    })
}

fn stale_versions_conflict_and_change_nothing(store: Arc<dyn Store>) -> CaseResult {
    import(&crm(&store), &exports())?;
    let ana = get(&store, WS, "ana.b")?.ok_or("ana.b not stored")?;
    let eli = get(&store, WS, "eli")?.ok_or("eli not stored")?;
    let mut fresh = ana.clone();
    fresh.profile.notes = "first".into();
    let mut stale = eli.clone();
    stale.profile.notes = "second".into();
    let before = store.activity(WS, 100).map_err(fail)?.len();
    let mut set = ChangeSet::new();
    set.push(Change::PutCreator {
        creator: Box::new(fresh),
        expected: ana.version,
    });
    set.push(Change::Suppress {
        hashes: vec![[7; 32]],
    });
    set.push(Change::LogActivity {
        record: super::ActivityRecord {
            seq: 0,
            at: now(),
            actor: "t".into(),
            action: "test".into(),
            target: String::new(),
            detail: String::new(),
        },
    });
    set.push(Change::PutCreator {
        creator: Box::new(stale),
        expected: eli.version.next(),
    });
    let err = store.apply(WS, &set).err().ok_or("stale change applied")?;
    ensure(err.kind() == ErrorKind::Conflict, || {
        format!("stale change gave {:?}", err.kind())
    })?;
    let ana_after = get(&store, WS, "ana.b")?.ok_or("ana.b gone")?;
    ensure(ana_after == ana, || {
        "a failed change set changed a creator".into()
    })?;
    ensure(store.suppression(WS).map_err(fail)?.is_empty(), || {
        "a failed change set suppressed".into()
    })?;
    ensure(
        store.activity(WS, 100).map_err(fail)?.len() == before,
        || "a failed change set logged".into(),
    )?;
    // Creating what exists, or deleting what does not, conflicts too.
    let mut create = ChangeSet::new();
    create.push(Change::PutCreator {
        creator: Box::new(eli.clone()),
        expected: Version::ABSENT,
    });
    let e = store.apply(WS, &create).err().ok_or("re-create applied")?;
    ensure(e.kind() == ErrorKind::Conflict, || {
        format!("{:?}", e.kind())
    })?;
    let mut delete = ChangeSet::new();
    delete.push(Change::DeleteCreator {
        handle: handle("nobody")?,
        expected: Version(1),
    });
    let e = store
        .apply(WS, &delete)
        .err()
        .ok_or("phantom delete applied")?;
    ensure(e.kind() == ErrorKind::Conflict, || {
        format!("{:?}", e.kind())
    })
}

fn emails_and_record_keys_find_their_creators(store: Arc<dyn Store>) -> CaseResult {
    import(&crm(&store), &exports())?;
    let team = Email::parse("team@agency.co")
        .map_err(fail)?
        .ok_or("placeholder")?;
    let found = store.creators_with_emails(WS, &[team]).map_err(fail)?;
    ensure(handles_of(&found) == ["bo", "cy", "dee"], || {
        format!("team inbox holders {:?}", handles_of(&found))
    })?;
    let related = store
        .related(WS, &[handle("ana.b")?, handle("cy")?])
        .map_err(fail)?;
    let mut samples: Vec<&str> = related
        .samples
        .iter()
        .map(|s| s.order_id.as_str())
        .collect();
    samples.sort_unstable();
    let mut videos: Vec<&str> = related.videos.iter().map(|v| v.video_id.as_str()).collect();
    videos.sort_unstable();
    ensure(samples == ["1001"] && videos == ["71", "72"], || {
        format!("related samples {samples:?} videos {videos:?}")
    })?;
    ensure(
        related.snapshots.len() == 2 && related.brand_links.len() == 1,
        || {
            format!(
                "related snapshots {} brand links {}",
                related.snapshots.len(),
                related.brand_links.len()
            )
        },
    )?;
    let mut keys = RecordKeys::default();
    keys.samples.insert(("1002".into(), "7".into()));
    keys.videos.insert("72".into());
    keys.videos.insert("999".into());
    let by_keys = store.related_by_keys(WS, &keys).map_err(fail)?;
    let owners: Vec<&str> = by_keys
        .samples
        .iter()
        .map(|s| s.handle.as_str())
        .chain(by_keys.videos.iter().map(|v| v.handle.as_str()))
        .collect();
    ensure(owners == ["bo", "cy"], || {
        format!("owners by key {owners:?}")
    })
}

fn filters_and_sorts(store: Arc<dyn Store>) -> CaseResult {
    let c = crm(&store);
    import(&c, &exports())?;
    let update = ProfileUpdate {
        add_tags: vec!["vip".into()],
        whitelisted: Some(true),
        ..ProfileUpdate::default()
    };
    c.update_profile("cy", &update, now()).map_err(fail)?;
    let list = |filter: CreatorFilter, sort: SortField, descending: bool| {
        let q = CreatorQuery {
            filter,
            sort,
            descending,
            limit: 50,
            cursor: None,
        };
        store
            .list_creators(WS, &q)
            .map(|p| (handles_of(&p.items), p.total))
            .map_err(fail)
    };
    let all = list(CreatorFilter::default(), SortField::Handle, false)?;
    ensure(
        all == (
            vec![
                "ana.b".into(),
                "bo".into(),
                "cy".into(),
                "dee".into(),
                "eli".into(),
            ],
            5,
        ),
        || format!("all {all:?}"),
    )?;
    let with_email = CreatorFilter {
        has_email: Some(true),
        ..CreatorFilter::default()
    };
    let r = list(with_email, SortField::Handle, false)?;
    ensure(r.0 == ["ana.b", "eli"], || {
        format!("has_email (team inbox used by none) {r:?}")
    })?;
    let with_phone = CreatorFilter {
        has_phone: Some(true),
        ..CreatorFilter::default()
    };
    let r = list(with_phone, SortField::Handle, false)?;
    ensure(r.0 == ["ana.b", "dee"], || format!("has_phone {r:?}"))?;
    let brand = CreatorFilter {
        brand: Some("Glow".into()),
        ..CreatorFilter::default()
    };
    let r = list(brand, SortField::Handle, false)?;
    ensure(r.0 == ["ana.b", "bo"], || format!("brand {r:?}"))?;
    let vip = CreatorFilter {
        tags: vec!["vip".into()],
        whitelisted: Some(true),
        ..CreatorFilter::default()
    };
    let r = list(vip, SortField::Handle, false)?;
    ensure(r.0 == ["cy"], || format!("tags+whitelisted {r:?}"))?;
    let r = list(CreatorFilter::default(), SortField::FollowerCount, true)?;
    ensure(r.0 == ["cy", "ana.b", "bo", "dee", "eli"], || {
        format!("followers desc (none last) {r:?}")
    })?;
    let r = list(CreatorFilter::default(), SortField::FollowerCount, false)?;
    ensure(r.0 == ["bo", "ana.b", "cy", "dee", "eli"], || {
        format!("followers asc (none last) {r:?}")
    })?;
    let r = list(CreatorFilter::default(), SortField::TotalGmv, true)?;
    ensure(r.0 == ["cy", "ana.b", "bo", "dee", "eli"], || {
        format!("gmv desc {r:?}")
    })?;
    let found = store.search_creators(WS, "  BELL ", 10).map_err(fail)?;
    ensure(handles_of(&found) == ["ana.b"], || {
        format!("search by name {:?}", handles_of(&found))
    })?;
    let found = store.search_creators(WS, "mailbox.org", 1).map_err(fail)?;
    ensure(handles_of(&found) == ["ana.b"], || {
        format!("search by email, limit 1 {:?}", handles_of(&found))
    })?;
    let found = store.search_creators(WS, "e", 10).map_err(fail)?;
    ensure(handles_of(&found) == ["ana.b", "cy", "dee", "eli"], || {
        format!("search by handle or name {:?}", handles_of(&found))
    })
}

fn paging_is_stable_under_inserts(store: Arc<dyn Store>) -> CaseResult {
    let c = crm(&store);
    let rows: String = (0..20)
        .map(|i| format!("creator_{:02},{}\n", i * 2, 100 + (i * 7) % 5))
        .collect();
    let text = format!("handle,followers\n{rows}");
    let file = SourceFile::new(SourceKind::Refunnel, "metrics.csv").observed_at(day(1));
    import(&c, &[(file, text.as_str())])?;
    for (sort, descending) in [
        (SortField::Handle, false),
        (SortField::FollowerCount, true),
        (SortField::FollowerCount, false),
    ] {
        let mut seen: Vec<String> = Vec::new();
        let mut cursor = None;
        let mut inserted = 0;
        loop {
            let q = CreatorQuery {
                filter: CreatorFilter::default(),
                sort,
                descending,
                limit: 3,
                cursor: cursor.clone(),
            };
            let page = store.list_creators(WS, &q).map_err(fail)?;
            seen.extend(handles_of(&page.items));
            // Creators added between pages, before and after the cursor.
            let odd = format!(
                "handle,followers\ncreator_{:02},{}\n",
                inserted * 2 + 1,
                100 + inserted % 5
            );
            inserted += 1;
            let file = SourceFile::new(SourceKind::Refunnel, "late.csv").observed_at(day(2));
            import(&c, &[(file, odd.as_str())])?;
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        let originals: Vec<&String> = seen
            .iter()
            .filter(|h| {
                h.trim_start_matches("creator_")
                    .parse::<u32>()
                    .is_ok_and(|n| n % 2 == 0)
            })
            .collect();
        let mut distinct = originals.clone();
        distinct.sort();
        distinct.dedup();
        ensure(originals.len() == 20 && distinct.len() == 20, || {
            format!(
                "{}: saw {} of the 20 creators there before paging ({} distinct)",
                sort.as_str(),
                originals.len(),
                distinct.len()
            )
        })?;
        let mut dupes = seen.clone();
        dupes.sort();
        dupes.dedup();
        ensure(dupes.len() == seen.len(), || {
            format!("{}: a creator came twice", sort.as_str())
        })?;
    }
    let bad = CreatorQuery {
        cursor: Some(super::Cursor::from_text("total_gmv:desc:1:x")),
        ..CreatorQuery::default()
    };
    let e = store
        .list_creators(WS, &bad)
        .err()
        .ok_or("a cursor of another query was taken")?;
    ensure(
        e.kind() == ErrorKind::InvalidInput && e.field() == Some("cursor"),
        || format!("foreign cursor gave {:?} {:?}", e.kind(), e.field()),
    )
}

fn workspaces_see_nothing_of_each_other(store: Arc<dyn Store>) -> CaseResult {
    let a = Crm::new(store.clone(), "brand-a", owner());
    import(&a, &exports())?;
    a.put_supporters("ana.b", vec![supporter("s-1")], now())
        .map_err(fail)?;
    a.erase_creator("eli", now()).map_err(fail)?;
    let b = "brand-b";
    let team = Email::parse("team@agency.co")
        .map_err(fail)?
        .ok_or("placeholder")?;
    let ana = handle("ana.b")?;
    let mut keys = RecordKeys::default();
    keys.samples.insert(("1001".into(), "7".into()));
    keys.videos.insert("71".into());
    let checks: Vec<(&str, bool)> = vec![
        (
            "creators",
            store
                .creators(b, std::slice::from_ref(&ana))
                .map_err(fail)?
                .is_empty(),
        ),
        (
            "creators_with_emails",
            store
                .creators_with_emails(b, &[team])
                .map_err(fail)?
                .is_empty(),
        ),
        (
            "related",
            store
                .related(b, std::slice::from_ref(&ana))
                .map_err(fail)?
                .is_empty(),
        ),
        (
            "related_by_keys",
            store.related_by_keys(b, &keys).map_err(fail)?.is_empty(),
        ),
        (
            "list_creators",
            store
                .list_creators(b, &CreatorQuery::default())
                .map_err(fail)?
                .total
                == 0,
        ),
        (
            "search_creators",
            store.search_creators(b, "a", 10).map_err(fail)?.is_empty(),
        ),
        (
            "suppression",
            store.suppression(b).map_err(fail)?.is_empty(),
        ),
        (
            "supporters",
            store
                .supporters(b, &ana)
                .map_err(fail)?
                .supporters
                .is_empty(),
        ),
        ("activity", store.activity(b, 10).map_err(fail)?.is_empty()),
    ];
    for (what, empty) in checks {
        ensure(empty, || {
            format!("workspace brand-b sees {what} of brand-a")
        })?;
    }
    // The same handle in another workspace is another creator.
    let other = Crm::new(store.clone(), b, owner());
    import(&other, &exports()[..1])?;
    let in_b = get(&store, b, "ana.b")?.ok_or("ana.b not in brand-b")?;
    ensure(
        in_b.creator.phone.is_none() && in_b.brands.is_empty(),
        || "brand-b's creator holds brand-a's data".into(),
    )?;
    ensure(get(&store, b, "eli")?.is_some(), || {
        "brand-a's erasure reached brand-b".into()
    })
}

fn erasure_leaves_nothing_and_survives_reimport(store: Arc<dyn Store>) -> CaseResult {
    let c = crm(&store);
    import(&c, &exports())?;
    c.put_supporters("ana.b", vec![supporter("s-1")], now())
        .map_err(fail)?;
    c.edit_creator(
        "ana.b",
        vec![("email".into(), "ana@workmail.co".into())],
        now(),
    )
    .map_err(fail)?;
    let deleted = c.erase_creator("@Ana.B", now()).map_err(fail)?;
    ensure(deleted == 1, || format!("erasure deleted {deleted}"))?;
    let check = |when: &str| -> CaseResult {
        ensure(get(&store, WS, "ana.b")?.is_none(), || {
            format!("{when}: creator still stored")
        })?;
        let related = store.related(WS, &[handle("ana.b")?]).map_err(fail)?;
        ensure(related.is_empty(), || {
            format!("{when}: records still stored")
        })?;
        let mut keys = RecordKeys::default();
        keys.samples.insert(("1001".into(), "7".into()));
        keys.videos.insert("71".into());
        let by_keys = store.related_by_keys(WS, &keys).map_err(fail)?;
        ensure(
            by_keys.samples.is_empty() && by_keys.videos.is_empty(),
            || format!("{when}: records still found by key"),
        )?;
        for text in ["ana", "bell", "mailbox.org", "workmail.co"] {
            let found = store.search_creators(WS, text, 10).map_err(fail)?;
            ensure(!handles_of(&found).contains(&"ana.b".to_owned()), || {
                format!("{when}: search finds the erased creator")
            })?;
        }
        let state = store.supporters(WS, &handle("ana.b")?).map_err(fail)?;
        ensure(state.supporters.is_empty(), || {
            format!("{when}: supporters still stored")
        })?;
        let log = store.activity(WS, 1000).map_err(fail)?;
        ensure(
            log.iter()
                .all(|r| !r.target.contains("ana") && !r.detail.contains("ana")),
            || format!("{when}: the activity log names the erased creator"),
        )
    };
    check("after erasure")?;
    ensure(!store.suppression(WS).map_err(fail)?.is_empty(), || {
        "no suppression entry".into()
    })?;
    import(&c, &exports())?;
    check("after re-import")?;
    ensure(get(&store, WS, "eli")?.is_some(), || {
        "re-import lost another creator".into()
    })
}

fn manual_edits_survive_reimport(store: Arc<dyn Store>) -> CaseResult {
    let c = crm(&store);
    import(&c, &exports())?;
    c.edit_creator(
        "eli",
        vec![
            ("email".into(), "eli.gray@workmail.co".into()),
            ("first_name".into(), "Elias".into()),
            ("last_name".into(), "Gray".into()),
        ],
        now(),
    )
    .map_err(fail)?;
    import(&c, &exports())?;
    let eli = get(&store, WS, "eli")?.ok_or("eli gone")?;
    let email = eli.creator.email.as_ref().map(|e| e.as_str().to_owned());
    ensure(
        email.as_deref() == Some("eli.gray@workmail.co") && eli.creator.first_name == "Elias",
        || "an import overwrote a manual edit".into(),
    )?;
    let source = eli
        .creator
        .provenance_of(crate::merge::Field::Email)
        .map(|p| p.source);
    ensure(source == Some(SourceKind::Manual), || {
        format!("email provenance {source:?}")
    })?;
    // A later edit wins over an earlier one.
    let later = now() + chrono::Duration::minutes(5);
    c.edit_creator(
        "eli",
        vec![("email".into(), "eli@newmail.co".into())],
        later,
    )
    .map_err(fail)?;
    let eli = get(&store, WS, "eli")?.ok_or("eli gone")?;
    let email = eli.creator.email.as_ref().map(|e| e.as_str().to_owned());
    ensure(email.as_deref() == Some("eli@newmail.co"), || {
        "the later edit lost".into()
    })?;
    // A profile survives imports too.
    let update = ProfileUpdate {
        notes: Some("prefers email".into()),
        ..ProfileUpdate::default()
    };
    c.update_profile("eli", &update, now()).map_err(fail)?;
    import(&c, &exports())?;
    let eli = get(&store, WS, "eli")?.ok_or("eli gone")?;
    ensure(eli.profile.notes == "prefers email", || {
        "an import reset the profile".into()
    })
}

fn importing_in_parts_equals_merging_at_once(store: Arc<dyn Store>) -> CaseResult {
    // The contact list split into one file per row, so that the team inbox becomes
    // shared only once its third holder arrives, after the others were stored.
    let mut all = exports();
    let (euka, text) = all.remove(0);
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default();
    let rows: Vec<String> = lines.map(|l| format!("{header}\n{l}\n")).collect();
    let mut split: Vec<(SourceFile, String)> = rows
        .into_iter()
        .enumerate()
        .map(|(i, t)| {
            let mut f = euka.clone();
            f.name = format!("euka_{i}.csv").into();
            (f, t)
        })
        .collect();
    split.extend(all.into_iter().map(|(f, t)| (f, t.to_owned())));
    let all: Vec<(SourceFile, &str)> = split.iter().map(|(f, t)| (f.clone(), t.as_str())).collect();
    let c = crm(&store);
    // In reverse order, one file at a time.
    for file in all.iter().rev() {
        import(&c, std::slice::from_ref(file))?;
    }
    let want = merged_at_once(&all)?;
    stored_as_merged(&store, &want)?;
    let handles: Vec<Handle> = want.creators.iter().map(|c| c.handle.clone()).collect();
    let related = store.related(WS, &handles).map_err(fail)?;
    let mut samples = related.samples.clone();
    samples.sort_by(|a, b| (&a.order_id, &a.sku_id).cmp(&(&b.order_id, &b.sku_id)));
    let mut videos = related.videos.clone();
    videos.sort_by(|a, b| a.video_id.cmp(&b.video_id));
    ensure(samples == want.samples && videos == want.videos, || {
        "stored records differ from the merge".into()
    })
}

fn supporter(id: &str) -> Supporter {
    Supporter {
        id: id.into(),
        display_name: Some("Night Owl".into()),
        joined_at: now(),
        time_zone: chrono_tz::America::Chicago,
        fan_club: None,
        online: true,
        activity: SupporterActivity::default(),
        profile: SupporterProfile {
            real_name: Some("Pat Doe".into()),
            email: Some("pat@example.com".into()),
            ..SupporterProfile::default()
        },
    }
}

fn supporters_and_cooldowns(store: Arc<dyn Store>) -> CaseResult {
    let c = crm(&store);
    import(&c, &exports())?;
    c.put_supporters("ana.b", vec![supporter("s-1"), supporter("s-2")], now())
        .map_err(fail)?;
    let got = c.supporters("ana.b").map_err(fail)?;
    ensure(got.len() == 2, || format!("{} supporters", got.len()))?;
    let alert = |at| Alert {
        supporter: "s-1".into(),
        kind: AlertKind::VipOnline,
        priority: AlertPriority::Urgent,
        created_at: at,
        expires_at: None,
        detail: AlertDetail::None,
    };
    let cfg = AlertConfig::default();
    let first = c
        .deliver_alerts("ana.b", vec![alert(now())], &cfg, now())
        .map_err(fail)?;
    let later = now() + chrono::Duration::minutes(10);
    let second = c
        .deliver_alerts("ana.b", vec![alert(later)], &cfg, later)
        .map_err(fail)?;
    ensure(
        first.delivered.len() == 1 && second.suppressed.len() == 1,
        || {
            format!(
                "cooldown not kept: delivered {} then suppressed {}",
                first.delivered.len(),
                second.suppressed.len()
            )
        },
    )?;
    let state = store.supporters(WS, &handle("ana.b")?).map_err(fail)?;
    let mut stale = ChangeSet::new();
    stale.push(Change::PutCooldowns {
        creator: handle("ana.b")?,
        state: state.cooldowns.clone(),
        expected: Version::ABSENT,
    });
    let e = store
        .apply(WS, &stale)
        .err()
        .ok_or("stale cooldowns applied")?;
    ensure(e.kind() == ErrorKind::Conflict, || {
        format!("{:?}", e.kind())
    })?;
    c.delete_supporters("ana.b", vec!["s-2".into()], now())
        .map_err(fail)?;
    let left = c.supporters("ana.b").map_err(fail)?;
    ensure(left.len() == 1 && left[0].id.as_str() == "s-1", || {
        format!("{} supporters after a delete", left.len())
    })
}

fn roles_are_enforced(store: Arc<dyn Store>) -> CaseResult {
    let c = crm(&store);
    import(&c, &exports())?;
    let forbidden = |r: crate::Result<()>, what: &str| -> CaseResult {
        match r {
            Err(e) if e.kind() == ErrorKind::Forbidden => Ok(()),
            Err(e) => Err(format!("{what}: {:?} instead of forbidden", e.kind())),
            Ok(()) => Err(format!("{what}: allowed")),
        }
    };
    let viewer = c.as_actor(Actor::staff("v", Role::Viewer));
    let member = c.as_actor(Actor::staff("m", Role::Member));
    let creator = c.as_actor(Actor::Creator {
        id: "creator-ana".into(),
        handle: handle("ana.b")?,
    });
    let edit = || vec![("first_name".to_owned(), "X".to_owned())];
    forbidden(
        viewer.edit_creator("bo", edit(), now()).map(|_| ()),
        "viewer edits",
    )?;
    forbidden(
        member.erase_creator("bo", now()).map(|_| ()),
        "member erases",
    )?;
    forbidden(
        member
            .import_exports(vec![(exports()[0].0.clone(), &b""[..])], now())
            .map(|_| ()),
        "member imports",
    )?;
    forbidden(member.activity_log(10).map(|_| ()), "member reads the log")?;
    forbidden(
        creator.get_creator("bo").map(|_| ()),
        "creator reads creators",
    )?;
    forbidden(
        creator.supporters("ana.b").map(|_| ()),
        "creator reads raw supporters",
    )?;
    let keys = crate::privacy::Pseudonymizer::new(b"conformance-view-key").map_err(fail)?;
    forbidden(
        creator.supporter_views("bo", &keys).map(|_| ()),
        "creator reads another creator's supporters",
    )?;
    ensure(viewer.get_creator("bo").map_err(fail)?.is_some(), || {
        "viewer cannot read".into()
    })?;
    member.edit_creator("bo", edit(), now()).map_err(fail)?;
    c.put_supporters("ana.b", vec![supporter("s-1")], now())
        .map_err(fail)?;
    let views = creator.supporter_views("ana.b", &keys).map_err(fail)?;
    let json = serde_json::to_string(&views).map_err(|e| e.to_string())?;
    ensure(
        views.len() == 1
            && !json.contains("Pat")
            && !json.contains("pat@")
            && !json.contains("s-1"),
        || "the creator's view shows personal data or host ids".into(),
    )?;
    let log = c.activity_log(100).map_err(fail)?;
    let mine: Vec<(&str, &str)> = log
        .iter()
        .filter(|r| r.action == "edit_creator")
        .map(|r| (r.actor.as_str(), r.target.as_str()))
        .collect();
    ensure(mine == [("m", "bo")], || format!("edit activity {mine:?}"))?;
    ensure(
        log.iter()
            .all(|r| !r.detail.contains('@') && !r.target.contains('@') && !r.detail.contains("X")),
        || "an activity record holds personal data".into(),
    )?;
    Ok(())
}

/// A store that runs `first` (another writer) just before the first change set it
/// applies, so that the writer of that change set read the store before the other one
/// wrote.
struct WrittenBetween {
    inner: Arc<dyn Store>,
    first: std::sync::Mutex<Option<Box<dyn FnOnce() -> CaseResult + Send>>>,
    outcome: std::sync::Mutex<CaseResult>,
}

impl Store for WrittenBetween {
    fn creators(&self, ws: &str, handles: &[Handle]) -> crate::Result<Vec<StoredCreator>> {
        self.inner.creators(ws, handles)
    }
    fn creators_with_emails(&self, ws: &str, e: &[Email]) -> crate::Result<Vec<StoredCreator>> {
        self.inner.creators_with_emails(ws, e)
    }
    fn related(&self, ws: &str, handles: &[Handle]) -> crate::Result<crate::merge::RelatedRecords> {
        self.inner.related(ws, handles)
    }
    fn related_by_keys(
        &self,
        ws: &str,
        keys: &RecordKeys,
    ) -> crate::Result<crate::merge::RelatedRecords> {
        self.inner.related_by_keys(ws, keys)
    }
    fn list_creators(&self, ws: &str, q: &CreatorQuery) -> crate::Result<super::CreatorPage> {
        self.inner.list_creators(ws, q)
    }
    fn search_creators(&self, ws: &str, t: &str, n: usize) -> crate::Result<Vec<StoredCreator>> {
        self.inner.search_creators(ws, t, n)
    }
    fn suppression(&self, ws: &str) -> crate::Result<Vec<[u8; 32]>> {
        self.inner.suppression(ws)
    }
    fn supporters(&self, ws: &str, creator: &Handle) -> crate::Result<super::SupporterState> {
        self.inner.supporters(ws, creator)
    }
    fn activity(&self, ws: &str, limit: usize) -> crate::Result<Vec<super::ActivityRecord>> {
        self.inner.activity(ws, limit)
    }
    fn apply(&self, ws: &str, changes: &ChangeSet) -> crate::Result<()> {
        let first = self
            .first
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if let Some(first) = first {
            *self
                .outcome
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = first();
        }
        self.inner.apply(ws, changes)
    }
}

/// Two imports at once: one re-imports the contact list (changing no creator), the
/// other brings the metrics and samples, and commits between the first one's reads and
/// its write. A change set replaces the records of the creators it names, so the first
/// import must not name creators whose records it leaves as they were, nor write
/// records it read before the other import changed them: the store ends as importing
/// both in turn, the metrics' snapshots and the samples kept.
fn an_import_between_another_ones_reads_and_write_is_kept(store: Arc<dyn Store>) -> CaseResult {
    let files = exports();
    let contacts = [files[0].clone()];
    let others: Vec<(SourceFile, &str)> = files[2..4].to_vec();
    import(&crm(&store), &contacts)?;
    let racing = Arc::new(WrittenBetween {
        inner: store.clone(),
        first: std::sync::Mutex::new(None),
        outcome: std::sync::Mutex::new(Ok(())),
    });
    let inner = store.clone();
    let theirs = others.clone();
    *racing
        .first
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) =
        Some(Box::new(move || import(&crm(&inner), &theirs)));
    let as_store: Arc<dyn Store> = racing.clone();
    import(&crm(&as_store), &contacts)?;
    racing
        .outcome
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone()?;
    let mut all = contacts.to_vec();
    all.extend(others);
    let want = merged_at_once(&all)?;
    stored_as_merged(&store, &want)?;
    let handles: Vec<Handle> = want.creators.iter().map(|c| c.handle.clone()).collect();
    let related = store.related(WS, &handles).map_err(fail)?;
    ensure(
        related.snapshots.len() == want.snapshots.len()
            && related.samples.len() == want.samples.len(),
        || {
            format!(
                "{} snapshots and {} samples stored, {} and {} imported",
                related.snapshots.len(),
                related.samples.len(),
                want.snapshots.len(),
                want.samples.len()
            )
        },
    )
}
