#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::Value;

use super::*;
use crate::{
    import::SourceKind,
    merge::{Creator, MergeOptions, Merger, SourceFile},
    table::Row,
};

fn creator_rows(creators: &[Creator]) -> Vec<Vec<Value>> {
    creators
        .iter()
        .map(|c| c.cells().map(|cell| cell.to_json()).collect())
        .collect()
}

#[test]
fn rows_by_column_name_merge_like_the_same_csv() {
    let csv = "Handle,Email,Phone #,Address,First Name\n\
               @Ana,ana@mailbox.org,(415) 555-2671,\"1 Elm St, Seattle, WA 98101\",Ana\n\
               a,short@mailbox.org,,,\n\
               @bo,,+1 702-250-****,,Bo\n";
    let mut from_csv = Merger::new(MergeOptions::default());
    from_csv
        .import_csv(&SourceFile::new(SourceKind::Euka, "euka"), csv.as_bytes())
        .unwrap();
    let from_csv = from_csv.finish();

    // As Node passes them: objects of column → optional value, any key order.
    let rows: Vec<HashMap<String, Option<String>>> = csv
        .lines()
        .skip(1)
        .map(|line| {
            let mut r = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(line.as_bytes());
            let record = r.records().next().unwrap().unwrap();
            ["Handle", "Email", "Phone #", "Address", "First Name"]
                .iter()
                .zip(record.iter())
                .map(|(k, v)| (k.to_string(), (!v.is_empty()).then(|| v.to_owned())))
                .chain([("Mood".to_owned(), Some("ignored".to_owned()))])
                .collect()
        })
        .collect();
    let from_rows = merge_rows(
        MergeOptions::default(),
        [(
            SourceKind::Euka,
            rows.iter().map(|row| {
                row.iter()
                    .filter_map(|(k, v)| Some((k.as_str(), v.as_deref()?)))
            }),
        )],
    )
    .unwrap();
    assert_eq!(
        creator_rows(&from_rows.creators),
        creator_rows(&from_csv.creators)
    );
    assert_eq!(from_rows.report.rows_read, 3);
    assert_eq!(from_rows.report.rows_rejected, 1);
    // A row's line is its 1-based position.
    assert_eq!(from_rows.report.files[0].rejected[0].line, 2);
    assert_eq!(from_rows.report.files[0].name, "euka");
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Record {
    count: u64,
    tags: Vec<String>,
    kind: Kind,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    Gold,
}

#[test]
fn shape_reasons_never_quote_the_input() {
    let secret = "jane.doe@mailbox.org";
    for json in [
        format!(r#"{{"count": "{secret}", "tags": [], "kind": "gold"}}"#),
        format!(r#"{{"count": 1, "tags": ["{secret}", 2], "kind": "gold"}}"#),
        format!(r#"{{"count": 1, "tags": [], "kind": "{secret}"}}"#),
        format!(r#"{{"count": 1, "tags": [], "kind": "gold", "{secret}": 1}}"#),
        format!(r#"{{"count": 1, "tags": "{secret}", "kind": "gold"}}"#),
        format!(r#"{{"count": 1, "tags": [], "kind": "gold"}} {secret}"#),
        format!(r#"["{secret}"]"#),
        r#"{"count": -1, "tags": [], "kind": "gold"}"#.to_owned(),
    ] {
        let e = serde_json::from_str::<Record>(&json).unwrap_err();
        let reason = shape_reason(&e);
        assert!(
            !reason.contains("jane") && !reason.contains("-1"),
            "{reason}"
        );
        let err = shape_error("records[2]", &e);
        assert_eq!(err.field(), Some("records[2]"));
        assert!(!err.to_string().contains("jane"), "{err}");
    }
}

#[test]
fn shape_reasons_name_what_was_expected() {
    let reason = |json: &str| shape_reason(&serde_json::from_str::<Record>(json).unwrap_err());
    assert_eq!(
        reason(r#"{"count": "x", "tags": [], "kind": "gold"}"#),
        "expected u64"
    );
    assert_eq!(
        reason(r#"{"count": 1, "tags": [], "kind": "silver"}"#),
        "expected `gold`"
    );
    assert_eq!(
        reason(r#"{"count": 1, "tags": []}"#),
        "missing field `kind`"
    );
    assert_eq!(
        reason(r#"{"count": 1, "tags": [], "kind": "gold"} x"#),
        "invalid json at line 1 column 42"
    );
}

#[test]
fn times_without_an_offset_are_utc() {
    for (input, want) in [
        ("2024-02-29", "2024-02-29"),
        ("2024-05-01T10:00:00", "2024-05-01T10:00:00Z"),
        ("2024-05-01T10:00", "2024-05-01T10:00:00Z"),
        ("2024-05-01T10:00:00.123456", "2024-05-01T10:00:00.123456Z"),
        ("2024-05-01T10:00:00Z", "2024-05-01T10:00:00Z"),
        ("2024-05-01T10:00:00+00:00", "2024-05-01T10:00:00Z"),
        ("2024-05-01T01:30:00+05:30", "2024-04-30T20:00:00Z"),
        (" 2024-05-01T10:00:00-07:00 ", "2024-05-01T17:00:00Z"),
    ] {
        assert_eq!(json_time(input).unwrap(), want, "{input}");
    }
    for bad in ["", "2024-02-30", "2024-05-01T25:00:00", "05/01/2024", "now"] {
        let e = json_time(bad).unwrap_err();
        assert_eq!(e.field(), Some("time"), "{bad}");
    }
}
