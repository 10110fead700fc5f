//! The CSV import never panics, whatever the bytes (the stable-toolchain companion of the
//! `csv_import` cargo-fuzz target): arbitrary bytes, and real headers followed by
//! arbitrary rows, for every source kind.
#![allow(clippy::unwrap_used)]

use creator_crm::merge::Finish;
use creator_crm::{
    import::SourceKind,
    merge::{MergeOptions, Merger, SourceFile},
};
use proptest::prelude::*;

const KINDS: [(SourceKind, &str); 6] = [
    (
        SourceKind::SampleOrders,
        "Order ID,SKU ID,Buyer Username,Recipient,Phone #,Zipcode,State,Created Time\n",
    ),
    (SourceKind::Euka, "handle,email,phone,address\n"),
    (
        SourceKind::PhoneNumbers,
        "Username,Recipient,First Name,Last Name,Phone #\n",
    ),
    (
        SourceKind::Refunnel,
        "username,profile,followers,gmv,engagement,last_post\n",
    ),
    (
        SourceKind::Videos,
        "Video link,Creator username,GMV,Affiliate items sold ,Affiliate CTR\n",
    ),
    (
        SourceKind::Products,
        "Product ID,Product Name,GMV,Items Sold\n",
    ),
];

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,12}",
        "\\PC{0,8}",
        Just("\"a,\nb\"".to_owned()),
        Just("(+1)832*****59".to_owned()),
        Just("$1,2.3.4K".to_owned()),
        Just("99999999999999999999999999999999".to_owned()),
        Just("13/45/2024 99:99".to_owned()),
        Just("https://www.tiktok.com/@a/video/".to_owned()),
    ]
}

fn check(kind: SourceKind, bytes: &[u8]) {
    let mut merger = Merger::new(MergeOptions::default());
    let _ = merger.import_csv(&SourceFile::new(kind, "f.csv"), bytes);
    let r = merger.finish(Finish::Everything);
    for f in &r.report.files {
        assert!(f.rows_rejected <= f.rows_read);
        assert!(f.rejected.iter().all(|i| i.line >= 1));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_bytes_never_panic(k in 0usize..6, bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        check(KINDS[k].0, &bytes);
    }

    #[test]
    fn arbitrary_rows_under_real_headers_never_panic(
        k in 0usize..6,
        rows in prop::collection::vec(prop::collection::vec(cell(), 0..9), 0..12),
    ) {
        let (kind, header) = KINDS[k];
        let mut text = header.to_owned();
        for row in rows {
            text.push_str(&row.join(","));
            text.push('\n');
        }
        check(kind, text.as_bytes());
    }
}
