//! The laws of the merge, checked with proptest:
//!
//! 1. any permutation of rows (and so of files) gives an identical result;
//! 2. merging everything twice gives the same creators and records (idempotence);
//! 3. merging part, finishing, then merging the rest equals merging all at once;
//! 4. every input value survives as the value, an alternate, or a reported conflict
//!    (shared team inboxes and placeholders excepted: they are dropped by rule);
//! 5. importing files on several threads (`Merger::import_many`) equals importing them
//!    one after the other, whatever the thread count and however the files are shared;
//! 6. a merger that keeps no record details (`MergeOptions::related_records` off), and
//!    `Finish::CreatorsReleasing`, give the creator table, conflicts and report of the full
//!    merge;
//! 7. importing the files into a store (`Crm::import_exports`), in any grouping and order,
//!    leaves the stored creators and records of merging them all at once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use creator_crm::merge::Finish;
use std::collections::HashMap;

use chrono::NaiveDate;
use creator_crm::{
    identity::{Email, Handle, PersonName, Phone, Region},
    import::{Column, SourceKind},
    merge::{Field, ImportInput, MergeOptions, MergeResult, Merger, SourceFile},
};
use proptest::prelude::*;

/// The files rows belong to: two of the same kind, to exercise cross-file ties.
fn files() -> Vec<SourceFile> {
    let day = |d| {
        NaiveDate::from_ymd_opt(2024, 6, d)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
    };
    vec![
        SourceFile::new(SourceKind::Euka, "euka_a.csv").observed_at(day(1)),
        SourceFile::new(SourceKind::Euka, "euka_b.csv").observed_at(day(1)),
        SourceFile::new(SourceKind::PhoneNumbers, "phones.csv"),
        SourceFile::new(SourceKind::SampleOrders, "samples.csv").brand("Glow"),
        SourceFile::new(SourceKind::Refunnel, "refunnel.csv").observed_at(day(3)),
        SourceFile::new(SourceKind::Videos, "videos.csv"),
    ]
}

const HANDLES: &[&str] = &[
    "@Ana",
    "ana",
    "https://www.tiktok.com/@ana?lang=en",
    "BO",
    "@cy",
    "dee",
    "x",
];
const EMAILS: &[&str] = &[
    "ana@mailbox.org",
    "ANA.B@mailbox.org",
    "bo@mailbox.org",
    "team@agency.co",
    "n/a",
    "bad@@mail",
    "",
];
pub(crate) const PHONES: &[&str] = &[
    "(+1)3159212129",
    "315-921-2129",
    "(+1)315*****29",
    "(+1)832*****59",
    "+1 415 555 0123",
    "4155550124",
    "12",
    "",
];
pub(crate) const NAMES: &[&str] = &["José Martínez", "JosÃ© MartÃ\u{AD}nez", "Ana B", "Bo", ""];
pub(crate) const DATES: &[&str] = &[
    "2024-05-01",
    "05/02/2024",
    "2024-05-03 10:00:00",
    "",
    "soon",
];
pub(crate) const MONEY: &[&str] = &["$1,234.56", "10", "1.2K", "", "n/a"];

/// A row: the file it belongs to and its cells.
#[derive(Debug, Clone)]
struct Row {
    file: usize,
    cells: Vec<(Column, String)>,
}

fn row_strategy() -> impl Strategy<Value = Row> {
    (
        0..6usize,
        0..HANDLES.len(),
        0..EMAILS.len(),
        0..PHONES.len(),
        0..NAMES.len(),
        0..DATES.len(),
        0..MONEY.len(),
        0..4u8,
    )
        .prop_map(|(file, h, e, p, n, d, m, id)| {
            let mut cells = vec![(Column::Handle, HANDLES[h].to_owned())];
            match file {
                0 | 1 => {
                    cells.push((Column::Email, EMAILS[e].to_owned()));
                    cells.push((Column::Phone, PHONES[p].to_owned()));
                    cells.push((Column::Recipient, NAMES[n].to_owned()));
                }
                2 => {
                    cells.push((Column::Phone, PHONES[p].to_owned()));
                    cells.push((Column::Recipient, NAMES[n].to_owned()));
                }
                3 => {
                    cells.push((Column::OrderId, format!("10{id}")));
                    cells.push((Column::SkuId, "7".to_owned()));
                    cells.push((Column::Phone, PHONES[p].to_owned()));
                    cells.push((Column::Recipient, NAMES[n].to_owned()));
                    cells.push((Column::CreatedTime, DATES[d].to_owned()));
                    cells.push((Column::Zipcode, "2134".to_owned()));
                    cells.push((Column::City, "Boston".to_owned()));
                }
                4 => {
                    cells.push((Column::Followers, MONEY[m].to_owned()));
                    cells.push((Column::Gmv, MONEY[(m + 1) % MONEY.len()].to_owned()));
                    cells.push((Column::LastPost, DATES[d].to_owned()));
                }
                _ => {
                    cells.push((Column::VideoId, format!("7{id}")));
                    cells.push((Column::Gmv, MONEY[m].to_owned()));
                    cells.push((Column::VideoPostDate, DATES[d].to_owned()));
                }
            }
            Row { file, cells }
        })
}

/// Rows with their line numbers: line = 2 + position within its file.
fn numbered(rows: &[Row]) -> Vec<(usize, u64, Row)> {
    let mut next: HashMap<usize, u64> = HashMap::new();
    rows.iter()
        .map(|r| {
            let line = next.entry(r.file).or_insert(2);
            let out = (r.file, *line, r.clone());
            *line += 1;
            out
        })
        .collect()
}

fn feed(m: &mut Merger, files: &[SourceFile], rows: &[(usize, u64, Row)]) {
    for (f, line, row) in rows {
        let cells: Vec<(Column, &str)> = row.cells.iter().map(|(c, v)| (*c, v.as_str())).collect();
        m.add_cells(&files[*f], *line, &cells).unwrap();
    }
}

fn merge_rows(rows: &[(usize, u64, Row)]) -> MergeResult {
    let files = files();
    let mut m = Merger::new(MergeOptions::default());
    feed(&mut m, &files, rows);
    m.finish(Finish::Everything)
}

/// Everything but the row counters, which count what was fed.
fn outcome(r: &MergeResult) -> impl PartialEq + std::fmt::Debug + '_ {
    (
        &r.creators,
        &r.conflicts,
        &r.samples,
        &r.videos,
        &r.video_products,
        &r.snapshots,
        &r.brand_links,
        &r.products,
        (
            r.report.creators,
            r.report.conflicts,
            r.report.fields_filled,
            r.report.masked_phones_upgraded,
            r.report.phone_masks_confirmed,
        ),
    )
}

/// Rows with `(file, line)`, in feeding order.
type Rows = Vec<(usize, u64, Row)>;

fn rows_and_permutation() -> impl Strategy<Value = (Rows, Rows)> {
    prop::collection::vec(row_strategy(), 1..40).prop_flat_map(|rows| {
        let numbered = numbered(&rows);
        (Just(numbered.clone()), Just(numbered).prop_shuffle())
    })
}

/// The rows of each file written as CSV (header from the file's columns).
fn csv_files(rows: &[(usize, u64, Row)]) -> Vec<(usize, Vec<u8>)> {
    let mut out: Vec<(usize, Vec<u8>)> = Vec::new();
    for f in 0..files().len() {
        let mine: Vec<&Row> = rows.iter().filter(|r| r.0 == f).map(|r| &r.2).collect();
        let Some(first) = mine.first() else { continue };
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(first.cells.iter().map(|(c, _)| c.as_str()))
            .unwrap();
        for r in &mine {
            w.write_record(r.cells.iter().map(|(_, v)| v.as_str()))
                .unwrap();
        }
        out.push((f, w.into_inner().unwrap()));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn importing_on_threads_equals_importing_in_turn(
        (rows, _) in rows_and_permutation(),
        threads in 1usize..5,
        sizes in prop::collection::vec(0u64..1000, 7),
        repeat_first in any::<bool>(),
    ) {
        let files = files();
        let mut csvs = csv_files(&rows);
        if repeat_first && let Some(first) = csvs.first().cloned() {
            csvs.push(first);
        }
        let inputs = || {
            csvs.iter()
                .zip(&sizes)
                .map(|((f, bytes), size)| ImportInput::new(files[*f].clone(), &bytes[..]).size_hint(*size))
                .collect()
        };
        let mut one = Merger::new(MergeOptions::default());
        for (f, bytes) in &csvs {
            one.import_csv(&files[*f], &bytes[..]).unwrap();
        }
        let mut many = Merger::new(MergeOptions::default());
        many.import_many(inputs(), threads).unwrap();
        let one_creators = one.finish(Finish::CreatorsOnly);
        let one = one.finish(Finish::Everything);
        prop_assert_eq!(&many.finish(Finish::Everything), &one);
        prop_assert_eq!(many.finish(Finish::CreatorsReleasing), one_creators);
        // Folding mergers that keep no record details gives the same table and report.
        let mut lean = Merger::new(MergeOptions { related_records: false, ..MergeOptions::default() });
        lean.import_many(inputs(), threads).unwrap();
        let lean = lean.finish(Finish::CreatorsReleasing);
        prop_assert_eq!(&lean.creators, &one.creators);
        prop_assert_eq!(&lean.conflicts, &one.conflicts);
        prop_assert_eq!(&lean.report, &one.report);
    }

    #[test]
    fn without_related_records_the_table_and_report_are_unchanged((rows, _) in rows_and_permutation()) {
        let files = files();
        let full = merge_rows(&rows);
        let mut m = Merger::new(MergeOptions { related_records: false, ..MergeOptions::default() });
        feed(&mut m, &files, &rows);
        let lean = m.finish(Finish::Everything);
        prop_assert_eq!(m.finish(Finish::CreatorsOnly), lean.clone());
        prop_assert_eq!(m.finish(Finish::CreatorsReleasing), lean.clone());
        prop_assert_eq!(&lean.creators, &full.creators);
        prop_assert_eq!(&lean.conflicts, &full.conflicts);
        prop_assert_eq!(&lean.report, &full.report);
        prop_assert!(lean.samples.is_empty() && lean.videos.is_empty() && lean.snapshots.is_empty());
        prop_assert!(lean.video_products.is_empty() && lean.brand_links.is_empty() && lean.products.is_empty());
    }

    #[test]
    fn any_order_of_rows_and_files_gives_the_same_result((rows, shuffled) in rows_and_permutation()) {
        let a = merge_rows(&rows);
        let b = merge_rows(&shuffled);
        prop_assert_eq!(&a.creators, &b.creators);
        prop_assert_eq!(&a, &b);
    }

    #[test]
    fn merging_twice_changes_nothing((rows, shuffled) in rows_and_permutation()) {
        let once = merge_rows(&rows);
        let mut twice_rows = rows.clone();
        twice_rows.extend(shuffled);
        let twice = merge_rows(&twice_rows);
        prop_assert_eq!(outcome(&once), outcome(&twice));
    }

    #[test]
    fn incremental_equals_all_at_once((rows, _) in rows_and_permutation(), cut in 0usize..40) {
        let files = files();
        let cut = cut.min(rows.len());
        let mut m = Merger::new(MergeOptions::default());
        feed(&mut m, &files, &rows[..cut]);
        let _partial = m.finish(Finish::Everything);
        feed(&mut m, &files, &rows[cut..]);
        prop_assert_eq!(m.finish(Finish::Everything), merge_rows(&rows));
    }

    #[test]
    fn every_value_survives_as_value_alternate_or_conflict((rows, _) in rows_and_permutation()) {
        let r = merge_rows(&rows);
        let creator = |h: &Handle| r.creators.iter().find(|c| &c.handle == h);
        // Emails on 3+ creators are shared inboxes, dropped by rule.
        let mut owners: HashMap<String, Vec<Handle>> = HashMap::new();
        for (_, _, row) in &rows {
            let get = |col| row.cells.iter().find(|(c, _)| *c == col).map(|(_, v)| v.as_str());
            let (Some(h), Some(e)) = (get(Column::Handle), get(Column::Email)) else { continue };
            if let (Ok(h), Ok(Some(e))) = (Handle::parse(h), Email::parse(e)) {
                let v = owners.entry(e.as_str().to_owned()).or_default();
                if !v.contains(&h) { v.push(h); }
            }
        }
        for (_, _, row) in &rows {
            let get = |col| row.cells.iter().find(|(c, _)| *c == col).map(|(_, v)| v.as_str());
            let Some(Ok(handle)) = get(Column::Handle).map(Handle::parse) else { continue };
            let c = creator(&handle).expect("a valid handle makes a creator");
            // The data model's meaning: verified exactly when the phone is a full number;
            // a confirming mask needs one.
            prop_assert_eq!(c.phone_verified, c.phone.is_some());
            prop_assert!(!c.phone_mask_confirmed || c.phone.is_some());
            let alt = |f: Field, v: &str| c.alternates.iter().any(|a| a.field == f && a.value == v);
            if let Some(Ok(Some(e))) = get(Column::Email).map(Email::parse) {
                if owners.get(e.as_str()).is_some_and(|o| o.len() < 3) {
                    prop_assert!(c.email.as_ref() == Some(&e) || alt(Field::Email, e.as_str()));
                }
            }
            if let Some(Ok(Phone::E164 { number, .. })) = get(Column::Phone).map(|p| Phone::parse(p, Region::US)) {
                prop_assert!(c.phone.as_ref() == Some(&number) || alt(Field::Phone, number.as_str()));
            }
            if let Some(Ok(Phone::Masked(m))) = get(Column::Phone).map(|p| Phone::parse(p, Region::US)) {
                let text = creator_crm::merge::masked_text(&m);
                let kept = c.phone_masked.as_ref() == Some(&m)
                    || alt(Field::MaskedPhone, &text)
                    || c.phone.as_ref().is_some_and(|p| m.is_consistent_with(p) && c.phone_mask_confirmed);
                prop_assert!(kept);
            }
            if let Some(Some(n)) = get(Column::Recipient).map(PersonName::from_full) {
                let full = format!("{} {}", n.first, n.last);
                let is_value = c.first_name == n.first && c.last_name == n.last;
                prop_assert!(is_value || alt(Field::Name, full.trim()));
            }
        }
    }
}

/// Every creator and record a store holds in the workspace `ws`, in the merge's orders.
fn stored(store: &dyn creator_crm::store::Store, ws: &str) -> MergeResult {
    use creator_crm::store::CreatorQuery;
    let page = store
        .list_creators(
            ws,
            &CreatorQuery {
                limit: 10_000,
                ..CreatorQuery::default()
            },
        )
        .unwrap();
    let creators: Vec<_> = page.items.iter().map(|c| c.creator.clone()).collect();
    let handles: Vec<Handle> = creators.iter().map(|c| c.handle.clone()).collect();
    let mut r = store.related(ws, &handles).unwrap();
    r.samples
        .sort_by(|a, b| (&a.order_id, &a.sku_id).cmp(&(&b.order_id, &b.sku_id)));
    r.videos.sort_by(|a, b| a.video_id.cmp(&b.video_id));
    r.video_products.sort();
    r.snapshots
        .sort_by(|a, b| (&a.handle, a.date, a.source).cmp(&(&b.handle, b.date, b.source)));
    r.brand_links.sort();
    MergeResult {
        creators,
        conflicts: Vec::new(),
        samples: r.samples,
        videos: r.videos,
        video_products: r.video_products,
        snapshots: r.snapshots,
        brand_links: r.brand_links,
        products: Vec::new(),
        report: Default::default(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn importing_into_a_store_in_parts_equals_merging_at_once(
        (rows, _) in rows_and_permutation(),
        groups in prop::collection::vec(0usize..3, 6),
        order in Just(vec![0usize, 1, 2]).prop_shuffle(),
    ) {
        use std::sync::Arc;
        use creator_crm::{crm::{Actor, Crm, Role}, store::{MemoryStore, Store}};
        let files = files();
        let csvs = csv_files(&rows);
        let mut at_once = Merger::new(MergeOptions::default());
        for (f, bytes) in &csvs {
            at_once.import_csv(&files[*f], &bytes[..]).unwrap();
        }
        let mut want = at_once.finish(Finish::Everything);
        want.video_products.sort();
        let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        let crm = Crm::new(store.clone(), "w", Actor::staff("t", Role::Admin));
        let now = chrono::DateTime::from_timestamp(1_780_000_000, 0).unwrap();
        for g in order {
            let part: Vec<_> = csvs
                .iter()
                .filter(|(f, _)| groups[*f] == g)
                .map(|(f, bytes)| (files[*f].clone(), &bytes[..]))
                .collect();
            if !part.is_empty() {
                crm.import_exports(part, now).unwrap();
            }
        }
        let got = stored(&*store, "w");
        prop_assert_eq!(&got.creators, &want.creators);
        prop_assert_eq!(&got.samples, &want.samples);
        prop_assert_eq!(&got.videos, &want.videos);
        prop_assert_eq!(&got.video_products, &want.video_products);
        prop_assert_eq!(&got.snapshots, &want.snapshots);
        prop_assert_eq!(&got.brand_links, &want.brand_links);
    }
}
