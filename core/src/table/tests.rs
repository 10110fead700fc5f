#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;

use super::*;
use crate::merge::{
    BrandLink, Conflict, Creator, FileReport, MergeReport, Product, Sample, Snapshot, Video,
    VideoProduct,
};

fn check_columns<R: Row>() {
    let names: Vec<&str> = R::column_names().collect();
    let distinct: HashSet<&str> = names.iter().copied().collect();
    assert_eq!(
        distinct.len(),
        names.len(),
        "{}: duplicate column",
        R::TABLE
    );
    for c in R::COLUMNS {
        assert!(!c.doc.is_empty(), "{}.{} has no doc", R::TABLE, c.name);
        assert!(
            c.name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
            "{}.{} is not snake_case",
            R::TABLE,
            c.name
        );
    }
}

#[test]
fn every_table_has_distinct_documented_snake_case_columns() {
    check_columns::<Creator>();
    check_columns::<Sample>();
    check_columns::<Video>();
    check_columns::<VideoProduct>();
    check_columns::<Snapshot>();
    check_columns::<BrandLink>();
    check_columns::<Product>();
    check_columns::<Conflict>();
    check_columns::<MergeReport>();
    check_columns::<FileReport>();
    check_columns::<Rejected<'_>>();
}

#[test]
fn creator_table_has_the_contract_columns() {
    for name in [
        "tiktok_username",
        "email",
        "phone",
        "phone_verified",
        "phone_mask_confirmed",
        "first_name",
        "last_name",
        "city",
        "state",
        "zipcode",
        "country",
        "follower_count",
        "total_gmv",
    ] {
        assert!(Creator::column_index(name).is_some(), "{name}");
    }
}

#[test]
fn rows_of_a_creator_carry_its_username() {
    assert!(Sample::column_index("tiktok_username").is_some());
    assert!(Video::column_index("tiktok_username").is_some());
    assert!(Snapshot::column_index("tiktok_username").is_some());
    assert!(BrandLink::column_index("tiktok_username").is_some());
}

#[test]
fn report_columns_name_every_counter() {
    // Every number of the serialized report is a column (files are their own table).
    let json = serde_json::to_value(MergeReport::default()).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .map(|o| {
            o.keys()
                .map(String::as_str)
                .filter(|k| *k != "files")
                .collect()
        })
        .unwrap_or_default();
    let mut names: Vec<&str> = MergeReport::column_names().collect();
    let mut keys = keys;
    names.sort_unstable();
    keys.sort_unstable();
    assert_eq!(names, keys);

    let mut m = crate::merge::Merger::new(crate::merge::MergeOptions::default());
    let file = crate::merge::SourceFile::new(crate::import::SourceKind::Euka, "euka.csv");
    m.import_csv(&file, "Handle\n@ana\n".as_bytes()).unwrap();
    let json = serde_json::to_value(&m.finish().report.files[0]).unwrap();
    let mut keys: Vec<&str> = json
        .as_object()
        .map(|o| {
            o.keys()
                .map(String::as_str)
                .filter(|k| *k != "rejected")
                .collect()
        })
        .unwrap_or_default();
    let mut names: Vec<&str> = FileReport::column_names().collect();
    names.sort_unstable();
    keys.sort_unstable();
    assert_eq!(names, keys);
}

#[test]
fn report_cells_are_its_counters() {
    let report = MergeReport {
        rows_read: 7,
        products: 3,
        ..MergeReport::default()
    };
    let cell = |name| report.cell(MergeReport::column_index(name).unwrap_or(usize::MAX));
    assert_eq!(cell("rows_read"), Cell::UInt(7));
    assert_eq!(cell("products"), Cell::UInt(3));
    assert_eq!(cell("nonexistent"), Cell::Null);
}

#[test]
fn cell_text_and_json_forms() {
    use chrono::NaiveDate;
    use rust_decimal::Decimal;

    let day = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap();
    let t = day.and_hms_milli_opt(10, 0, 0, 250).unwrap();
    let kinds = [
        crate::import::SourceKind::Euka,
        crate::import::SourceKind::Refunnel,
    ];
    let mut counts = std::collections::BTreeMap::new();
    counts.insert("handle: too short".to_owned(), 2u64);
    counts.insert("handle: empty".to_owned(), 1u64);
    let cases: Vec<(Cell<'_>, &str, serde_json::Value)> = vec![
        (Cell::Null, "", serde_json::Value::Null),
        (Cell::text("=x"), "=x", "=x".into()),
        (Cell::Bool(true), "true", true.into()),
        (Cell::UInt(42), "42", 42.into()),
        (
            Cell::Decimal(Decimal::new(1250, 2)),
            "12.50",
            "12.50".into(),
        ),
        (Cell::Date(day), "2024-05-01", "2024-05-01".into()),
        (
            Cell::DateTime(t),
            "2024-05-01T10:00:00.250",
            "2024-05-01T10:00:00.250Z".into(),
        ),
        (
            Cell::TextList(TextList::source_kinds(&kinds)),
            "euka;refunnel",
            serde_json::json!(["euka", "refunnel"]),
        ),
        (
            Cell::Counts(Counts::new(&counts)),
            "handle: empty=1;handle: too short=2",
            serde_json::json!({"handle: empty": 1, "handle: too short": 2}),
        ),
    ];
    for (cell, text, json) in cases {
        assert_eq!(cell.to_string(), text);
        assert_eq!(cell.to_json(), json);
    }
}
