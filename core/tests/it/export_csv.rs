//! The CSV export of the bundled sample data (`examples/demo/data`): the creator table's
//! header and a few rows are pinned with insta, and every table writes a header of its
//! columns and one record per row.
#![allow(clippy::unwrap_used)]

use std::{fs::File, io::BufReader, path::PathBuf};

use creator_crm::{
    export::write_csv,
    import::SourceKind,
    merge::{Creator, Finish, MergeOptions, MergeResult, Merger, SourceFile},
    table::Row,
};

fn merge_sample() -> MergeResult {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/demo/data");
    let mut m = Merger::new(MergeOptions::default());
    for (kind, name) in [
        (SourceKind::SampleOrders, "sample_orders.csv"),
        (SourceKind::Euka, "euka.csv"),
        (SourceKind::PhoneNumbers, "phone_numbers.csv"),
        (SourceKind::Refunnel, "refunnel.csv"),
        (SourceKind::Videos, "videos.csv"),
        (SourceKind::Products, "products.csv"),
    ] {
        let reader = BufReader::new(File::open(dir.join(name)).unwrap());
        m.import_csv(&SourceFile::new(kind, name), reader).unwrap();
    }
    m.finish(Finish::Everything)
}

fn csv<'r, R: Row + 'r>(rows: impl IntoIterator<Item = &'r R>) -> String {
    let mut out = Vec::new();
    write_csv(rows, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// The header, the first three creators, and the first of the others with a masked phone
/// only and with an alternate and a confirmed mask. Phones start with `+`, so they are
/// written escaped (`'+1…`).
#[test]
fn sample_creators_csv() {
    let r = merge_sample();
    let mut picked: Vec<&Creator> = r.creators.iter().take(3).collect();
    let preds: [&dyn Fn(&Creator) -> bool; 2] =
        [&|c| c.phone.is_none() && c.phone_masked.is_some(), &|c| {
            !c.alternates.is_empty() && c.phone_mask_confirmed
        }];
    for pred in preds {
        if let Some(c) = r.creators.iter().skip(3).find(|c| pred(c)) {
            picked.push(c);
        }
    }
    insta::assert_snapshot!("sample_creators_csv", csv(picked));
}

#[test]
fn every_table_writes_its_header_and_one_record_per_row() {
    fn check<R: Row>(rows: &[R]) {
        let text = csv(rows);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(
            header,
            R::column_names().collect::<Vec<_>>(),
            "{}",
            R::TABLE
        );
        assert_eq!(reader.records().count(), rows.len(), "{}", R::TABLE);
    }
    let r = merge_sample();
    assert!(!r.samples.is_empty() && !r.videos.is_empty() && !r.snapshots.is_empty());
    check(&r.creators);
    check(&r.samples);
    check(&r.videos);
    check(&r.video_products);
    check(&r.snapshots);
    check(&r.brand_links);
    check(&r.products);
    check(&r.report.files);
}

/// Each merge table by name writes what `write_csv` writes of that table; an unknown name
/// is an error on `table` that lists the names.
#[test]
fn merge_tables_by_name() {
    use creator_crm::{
        export::{MERGE_TABLES, to_csv_string, write_merge_table},
        table::rejected_rows,
    };
    let r = merge_sample();
    let named = |name: &str| to_csv_string(|out| write_merge_table(&r, name, out)).unwrap();
    assert_eq!(named("creators"), csv(&r.creators));
    assert_eq!(named("samples"), csv(&r.samples));
    assert_eq!(named("videos"), csv(&r.videos));
    assert_eq!(named("video_products"), csv(&r.video_products));
    assert_eq!(named("snapshots"), csv(&r.snapshots));
    assert_eq!(named("brand_links"), csv(&r.brand_links));
    assert_eq!(named("products"), csv(&r.products));
    assert_eq!(named("conflicts"), csv(&r.conflicts));
    assert_eq!(named("files"), csv(&r.report.files));
    assert_eq!(
        named("rejected"),
        csv(&rejected_rows(&r.report).collect::<Vec<_>>())
    );
    assert_eq!(
        MERGE_TABLES,
        [
            "creators",
            "samples",
            "videos",
            "video_products",
            "snapshots",
            "brand_links",
            "products",
            "conflicts",
            "files",
            "rejected"
        ]
    );
    let err = write_merge_table(&r, "creator", Vec::new()).unwrap_err();
    assert_eq!(err.field(), Some("table"));
    assert!(
        err.to_string().contains("creators, samples, videos"),
        "{err}"
    );
}

proptest::proptest! {
    /// Any text survives the CSV round trip as its escaped form: quotes, commas, line
    /// breaks and formula prefixes included.
    #[test]
    fn text_cells_read_back_as_their_escaped_form(a in "\\PC*", b in "[=+@\\-\t\r,\"\n a-z]{0,12}") {
        let links = [creator_crm::merge::VideoProduct { video_id: a.clone(), product_id: b.clone() }];
        let text = csv(&links);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        proptest::prop_assert_eq!(records.len(), 1);
        let escape = creator_crm::export::escape_cell;
        proptest::prop_assert_eq!(&records[0][0], &*escape(&a));
        proptest::prop_assert_eq!(&records[0][1], &*escape(&b));
    }
}
