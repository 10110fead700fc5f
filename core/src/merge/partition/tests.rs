#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::{
    ErrorKind,
    import::SourceKind,
    merge::{Finish, MergeOptions, Merger, SourceFile},
};

const EUKA: &str = "handle,email,phone\n\
@Ana.B,team@agency.co,(+1)832*****59\n\
bo,team@agency.co,4155550124\n\
cy,team@agency.co,\n\
dee,dee@mailbox.org,\n\
x,bad@mail.org,\n\
ana.b,ana@mailbox.org,\n\
erased.one,gone@mailbox.org,\n";
const PHONES: &str =
    "Username,Phone #\nana.b,(+1)8325550159\nhttps://www.tiktok.com/@bo?lang=en,(+1)3159212129\n";
const SAMPLES: &str = "Order ID,SKU ID,Buyer Username,Created Time,Phone #\n\
Platform unique order ID.,SKU,Buyer,Created,Phone\n\
100,7,ana.b,2024-05-01,\n\
100,7,bo,2024-05-02,\n\
101,7,cy,2024-05-02,\n\
101,7,dee,2024-05-01,\n\
102,7,erased.one,2024-05-03,\n\
102,7,dee,2024-05-01,\n";
const VIDEOS: &str = "Video link,Creator username,GMV,Video post date,Product ID\n\
https://www.tiktok.com/@ana.b/video/71,ana.b,$10,2024-05-01,9\n\
https://www.tiktok.com/@bo/video/71,bo,$12,2024-05-02,8\n\
https://www.tiktok.com/@bo/video/72,bo,$1,2024-05-02,8\n\
https://www.tiktok.com/@cy/video/72,erased.one,$1,2024-05-03,9\n";
const PRODUCTS: &str =
    "Product ID,Product Name,GMV\n9,Glow,$5\n8,Dew,$7\n9,Glow,$6\nx1,Odd,$1\n,None,$1\n";

fn files() -> Vec<(SourceFile, &'static str)> {
    vec![
        (SourceFile::new(SourceKind::Euka, "euka.csv"), EUKA),
        (
            SourceFile::new(SourceKind::PhoneNumbers, "phones.csv"),
            PHONES,
        ),
        (
            SourceFile::new(SourceKind::SampleOrders, "samples.csv").brand("Glow"),
            SAMPLES,
        ),
        (SourceFile::new(SourceKind::Videos, "videos.csv"), VIDEOS),
        (
            SourceFile::new(SourceKind::Products, "products.csv"),
            PRODUCTS,
        ),
    ]
}

fn options() -> MergeOptions {
    let mut m = Merger::new(MergeOptions::default());
    m.suppress(Some("erased.one"), None, None).unwrap();
    m.options().clone()
}

fn one_machine(options: &MergeOptions) -> crate::merge::MergeResult {
    let mut m = Merger::new(options.clone());
    for (f, text) in files() {
        m.import_csv(&f, text.as_bytes()).unwrap();
    }
    m.finish(Finish::Everything)
}

#[test]
fn every_partition_count_gives_the_one_machine_result() {
    let options = options();
    let want = one_machine(&options);
    assert!(want.report.shared_emails_dropped > 0);
    assert_eq!(want.report.creators_suppressed, 1);
    let inputs: Vec<&[u8]> = files().iter().map(|(_, t)| t.as_bytes()).collect();
    for n in 1..=9 {
        let plan =
            PartitionPlan::new(files().into_iter().map(|(f, _)| f).collect(), n, &options).unwrap();
        let plan = PartitionPlan::from_bytes(&plan.to_bytes().unwrap()).unwrap();
        let got = merge_partitioned(&plan, &inputs).unwrap();
        assert_eq!(got.report, want.report, "{n} partitions");
        assert_eq!(got, want, "{n} partitions");
    }
}

#[test]
fn file_errors_are_raised_as_one_machine_raises_them() {
    let options = MergeOptions::default();
    let files = vec![
        SourceFile::new(SourceKind::Euka, "euka.csv"),
        SourceFile::new(SourceKind::PhoneNumbers, "phones.csv"),
    ];
    let plan = PartitionPlan::new(files.clone(), 3, &options).unwrap();
    let err = merge_partitioned(&plan, &[EUKA.as_bytes(), b"Nothing,Here\n1,2\n"]).unwrap_err();
    let mut m = Merger::new(options);
    let want = m
        .import_csv(&files[1], &b"Nothing,Here\n1,2\n"[..])
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Import);
    assert_eq!(err.to_string(), want.to_string());
}

#[test]
fn foreign_and_corrupt_blobs_are_typed_errors() {
    let options = MergeOptions::default();
    let files: Vec<SourceFile> = files().into_iter().map(|(f, _)| f).collect();
    let plan = PartitionPlan::new(files.clone(), 2, &options).unwrap();
    let other = PartitionPlan::new(files, 3, &options).unwrap();
    let routed = route_csv(&plan, 0, EUKA.as_bytes()).unwrap();
    let (p, rows) = routed.parts.first().cloned().unwrap();
    for bad in [
        &b""[..],
        b"hello",
        &rows[..rows.len() - 1],
        &plan.to_bytes().unwrap(),
    ] {
        let e = summarize(&plan, p, &[bad]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
    }
    let e = summarize(&other, p, &[&rows]).unwrap_err();
    assert_eq!(e.reason(), "scale-out blob of another plan");
    let e = summarize(&plan, (p + 1) % 2, &[&rows]).unwrap_err();
    assert_eq!(e.reason(), "routed rows of another partition");
    assert!(PartitionPlan::from_bytes(&rows).is_err());
    let mut flipped = plan.to_bytes().unwrap();
    if let Some(b) = flipped.last_mut() {
        *b ^= 1;
    }
    assert!(PartitionPlan::from_bytes(&flipped).is_err());
    // Every cut of a blob is an error, never a panic.
    for cut in 0..rows.len() {
        let _ = summarize(&plan, p, &[&rows[..cut]]);
    }
}

#[test]
fn partitions_are_fixed_values() {
    // Pinned: the partition function must never change between releases.
    let h = |s: &str| partition_of(&crate::identity::Handle::parse(s).unwrap(), 16);
    assert_eq!(
        [h("ana.b"), h("bo"), h("creator_01")],
        [
            h("@ANA.B"),
            h("https://www.tiktok.com/@bo"),
            h(" creator_01 ")
        ]
    );
    assert_eq!(xxhash_rust::xxh3::xxh3_64(b""), 0x2d06_8005_38d3_94c2);
}
