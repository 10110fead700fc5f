//! The partitioned merge (`merge::partition`) equals the one-machine merge, checked with
//! proptest: for any partition count (1..=16), any order of files, of rows within a file
//! and of the payloads a partition receives, every table and the whole report are those
//! of `Merger`. Two generators: rows drawn from small pools (handles spelled several
//! ways, team inboxes, masks, sample and video ids seen for several creators, products,
//! bad rows, duplicates) and datagen's exports (with its erased people suppressed).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use creator_crm::{
    identity::Handle,
    import::SourceKind,
    merge::{
        Finish, MergeOptions, MergeResult, Merger, SourceFile,
        partition::{
            PartitionPlan, global_pass, merge_partition, partition_of, route_csv, summarize,
        },
    },
};
use creator_crm_datagen::{Config, generate_in_memory};
use proptest::prelude::*;

// The value pools of the merge laws (messy phones, mojibake names, dates, money).
use super::merge_laws::{DATES, MONEY, NAMES, PHONES};

const HANDLES: &[&str] = &[
    "@Ana",
    "ana",
    "https://www.tiktok.com/@ana?lang=en",
    "BO",
    "bo",
    "@cy",
    "dee",
    "eve.x",
    "fay_1",
    "gus",
    "hal",
    "x",
    "",
    "erased.one",
];
const EMAILS: &[&str] = &[
    "ana@mailbox.org",
    "ANA@mailbox.org",
    "bo@mailbox.org",
    "team@agency.co",
    "team@agency.co",
    "hq@studio.io",
    "n/a",
    "bad@@mail",
    "",
    "gone@mailbox.org",
];

/// The files: two of one kind, to exercise ties between files.
fn files() -> Vec<(SourceFile, &'static [&'static str])> {
    let day = |d| {
        chrono::NaiveDate::from_ymd_opt(2024, 6, d)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
    };
    vec![
        (
            SourceFile::new(SourceKind::Euka, "euka_a.csv").observed_at(day(1)),
            &["handle", "email", "phone", "recipient"],
        ),
        (
            SourceFile::new(SourceKind::Euka, "euka_b.csv").observed_at(day(1)),
            &["handle", "email", "phone", "recipient"],
        ),
        (
            SourceFile::new(SourceKind::PhoneNumbers, "phones.csv"),
            &["Username", "Phone #", "Recipient"],
        ),
        (
            SourceFile::new(SourceKind::SampleOrders, "samples.csv").brand("Glow"),
            &[
                "Order ID",
                "SKU ID",
                "Buyer Username",
                "Phone #",
                "Created Time",
                "Zipcode",
            ],
        ),
        (
            SourceFile::new(SourceKind::Refunnel, "refunnel.csv").observed_at(day(3)),
            &["username", "followers", "gmv", "last_post"],
        ),
        (
            SourceFile::new(SourceKind::Videos, "videos.csv"),
            &[
                "Video ID",
                "Creator username",
                "GMV",
                "Video post date",
                "Product ID",
            ],
        ),
        (
            SourceFile::new(SourceKind::Products, "products.csv"),
            &["Product ID", "Product Name", "GMV"],
        ),
    ]
}

/// A row: its file and its cells (in the file's header order).
fn row_strategy() -> impl Strategy<Value = (usize, Vec<String>)> {
    (
        0..7usize,
        0..HANDLES.len(),
        0..EMAILS.len(),
        0..PHONES.len(),
        0..NAMES.len(),
        0..DATES.len(),
        0..MONEY.len(),
        0..4u8,
    )
        .prop_map(|(file, h, e, p, n, d, m, id)| {
            let s = |v: &str| v.to_owned();
            let cells = match file {
                0 | 1 => vec![s(HANDLES[h]), s(EMAILS[e]), s(PHONES[p]), s(NAMES[n])],
                2 => vec![s(HANDLES[h]), s(PHONES[p]), s(NAMES[n])],
                3 => vec![
                    format!("10{id}"),
                    s("7"),
                    s(HANDLES[h]),
                    s(PHONES[p]),
                    s(DATES[d]),
                    s("2134"),
                ],
                4 => vec![
                    s(HANDLES[h]),
                    s(MONEY[m]),
                    s(MONEY[(m + 1) % MONEY.len()]),
                    s(DATES[d]),
                ],
                5 => vec![
                    format!("7{id}"),
                    s(HANDLES[h]),
                    s(MONEY[m]),
                    s(DATES[d]),
                    format!("{}", 8 + id % 3),
                ],
                _ => vec![
                    [s("8"), s("9"), s("x1"), s("")][usize::from(id)].clone(),
                    s(NAMES[n]),
                    s(MONEY[m]),
                ],
            };
            (file, cells)
        })
}

/// The CSV text of each file from `rows` (in their order); sample_orders gets its
/// description row.
fn csv_files(rows: &[(usize, Vec<String>)]) -> Vec<Vec<u8>> {
    files()
        .iter()
        .enumerate()
        .map(|(f, (file, header))| {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(*header).unwrap();
            if file.kind == SourceKind::SampleOrders {
                w.write_record(["Platform unique order ID.", "SKU", "Buyer", "", "", ""])
                    .unwrap();
            }
            for (_, cells) in rows.iter().filter(|r| r.0 == f) {
                w.write_record(cells).unwrap();
            }
            w.into_inner().unwrap()
        })
        .collect()
}

fn options(suppress: bool) -> MergeOptions {
    let mut m = Merger::new(MergeOptions::default());
    if suppress {
        m.suppress(Some("erased.one"), None, None).unwrap();
        m.suppress(None, Some("gone@mailbox.org"), None).unwrap();
        m.suppress(None, None, Some("+1 415 555 0123")).unwrap();
    }
    m.options().clone()
}

fn one_machine(
    options: &MergeOptions,
    files: &[SourceFile],
    data: &[Vec<u8>],
    order: &[usize],
) -> MergeResult {
    let mut m = Merger::new(options.clone());
    for &i in order {
        m.import_csv(&files[i], &data[i][..]).unwrap();
    }
    if options.related_records {
        m.finish(Finish::Everything)
    } else {
        m.finish(Finish::CreatorsReleasing)
    }
}

/// Every step by hand, files routed in `order`, each partition's payloads rotated by
/// `turn` (any order of payloads).
fn partitioned(
    plan: &PartitionPlan,
    data: &[Vec<u8>],
    order: &[usize],
    turn: usize,
) -> MergeResult {
    let plan = PartitionPlan::from_bytes(&plan.to_bytes().unwrap()).unwrap();
    let n = plan.partitions() as usize;
    let mut payloads: Vec<Vec<Vec<u8>>> = vec![Vec::new(); n];
    let mut manifests = Vec::new();
    for &i in order {
        let routed = route_csv(&plan, i as u32, &data[i][..]).unwrap();
        for (p, blob) in routed.parts {
            payloads[p as usize].push(blob);
        }
        manifests.push(routed.manifest);
    }
    for blobs in &mut payloads {
        if !blobs.is_empty() {
            let k = turn % blobs.len();
            blobs.rotate_left(k);
        }
    }
    let view = |p: usize| payloads[p].iter().map(Vec::as_slice).collect::<Vec<_>>();
    // A partition no row went to may be left out of the global pass.
    let summaries: Vec<_> = (0..n)
        .filter(|&p| !payloads[p].is_empty())
        .map(|p| summarize(&plan, p as u32, &view(p)).unwrap())
        .collect();
    let facts = global_pass(&plan, &summaries, &manifests).unwrap();
    let parts: Vec<_> = (0..n)
        .rev()
        .map(|p| merge_partition(&plan, p as u32, &view(p), &facts).unwrap())
        .collect();
    creator_crm::merge::partition::combine(&plan, &facts, &manifests, parts).unwrap()
}

fn check(
    options: &MergeOptions,
    files: Vec<SourceFile>,
    data: &[Vec<u8>],
    partitions: u32,
    order: &[usize],
    turn: usize,
) -> Result<(), TestCaseError> {
    // The plan lists the files in the one-machine order.
    let want = one_machine(options, &files, data, order);
    let ordered: Vec<SourceFile> = order.iter().map(|&i| files[i].clone()).collect();
    let ordered_data: Vec<Vec<u8>> = order.iter().map(|&i| data[i].clone()).collect();
    let plan = PartitionPlan::new(ordered, partitions, options).unwrap();
    let ids: Vec<usize> = (0..order.len()).rev().collect();
    let got = partitioned(&plan, &ordered_data, &ids, turn);
    prop_assert_eq!(&got.report, &want.report);
    prop_assert_eq!(got, want);
    Ok(())
}

fn permuted(n: usize) -> impl Strategy<Value = Vec<usize>> {
    Just((0..n).collect::<Vec<usize>>()).prop_shuffle()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn partitioned_equals_one_machine_on_pooled_rows(
        rows in prop::collection::vec(row_strategy(), 1..80).prop_shuffle(),
        partitions in 1u32..=16,
        order in permuted(7),
        turn in 0usize..8,
        suppress in any::<bool>(),
        related in any::<bool>(),
    ) {
        let options = MergeOptions { related_records: related, ..options(suppress) };
        let data = csv_files(&rows);
        let files: Vec<SourceFile> = files().into_iter().map(|(f, _)| f).collect();
        check(&options, files, &data, partitions, &order, turn)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn partitioned_equals_one_machine_on_generated_exports(
        seed in 0u64..1_000,
        partitions in 1u32..=16,
        order in permuted(6),
        turn in 0usize..8,
    ) {
        let cfg = Config { creators: 60, seed };
        let generated = generate_in_memory(&cfg).unwrap().interleaved(seed);
        let mut m = Merger::new(MergeOptions::default());
        for h in &generated.erased {
            m.suppress(Some(h), None, None).unwrap();
        }
        let options = m.options().clone();
        let files: Vec<SourceFile> = generated
            .files
            .iter()
            .map(|(kind, name, _)| SourceFile::new(kind.parse().unwrap(), *name))
            .collect();
        let data: Vec<Vec<u8>> = generated.files.iter().map(|(_, _, b)| b.clone()).collect();
        check(&options, files, &data, partitions, &order, turn)?;
    }
}

#[test]
fn the_generated_exports_spread_what_the_global_pass_decides_over_partitions() {
    let cfg = Config {
        creators: 400,
        seed: 7,
    };
    let generated = generate_in_memory(&cfg).unwrap();
    let mut m = Merger::new(MergeOptions::default());
    for h in &generated.erased {
        m.suppress(Some(h), None, None).unwrap();
    }
    let files: Vec<SourceFile> = generated
        .files
        .iter()
        .map(|(kind, name, _)| SourceFile::new(kind.parse().unwrap(), *name))
        .collect();
    for (f, (_, _, b)) in files.iter().zip(&generated.files) {
        m.import_csv(f, &b[..]).unwrap();
    }
    let r = m.finish(Finish::Everything);
    assert!(r.report.shared_emails_dropped > 0);
    assert!(r.report.creators_suppressed > 0);
    // Erased people land in more than one of 16 partitions.
    let parts: std::collections::BTreeSet<u32> = generated
        .erased
        .iter()
        .map(|h| partition_of(&Handle::parse(h).unwrap(), 16))
        .collect();
    assert!(parts.len() > 1, "{parts:?}");
}
