//! Checks every case of the shared `tests/vectors/merge.json`, the file the Python, Node
//! and Kotlin suites read too: small exports as CSV text per source kind, and the tables
//! and report the merge gives, every column by its [`Row`] name.
//!
//! After an intended change, rewrite the expectations with
//! `CREATOR_CRM_UPDATE_VECTORS=1 cargo test -p creator-crm --test it vectors_merge` and
//! review the diff of the JSON file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use creator_crm::{
    identity::Region,
    import::SourceKind,
    merge::{
        BrandLink, Conflict, Creator, FileReport, MergeOptions, MergeReport, Merger, Product,
        Sample, Snapshot, SourceFile, SourcePriority, Video, VideoProduct,
    },
    table::{Rejected, Row},
};
use serde_json::{Map, Value, json};

fn path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/merge.json")
}

/// A row as an object of column name → cell in its JSON form.
fn row_json<R: Row>(row: &R) -> Value {
    Value::Object(
        R::column_names()
            .zip(row.cells())
            .map(|(name, cell)| (name.to_owned(), cell.to_json()))
            .collect(),
    )
}

fn rows_json<R: Row>(rows: &[R]) -> Value {
    Value::Array(rows.iter().map(row_json).collect())
}

/// The report: its counters, and per file its counters and first rejected rows.
fn report_json(report: &MergeReport) -> Value {
    let mut out = row_json(report);
    let files = report
        .files
        .iter()
        .map(|f| {
            let mut file = row_json(f);
            let rejected = f
                .rejected
                .iter()
                .map(|issue| {
                    let mut r = row_json(&Rejected {
                        file: &f.name,
                        issue,
                    });
                    if let Value::Object(m) = &mut r {
                        m.remove("file");
                    }
                    r
                })
                .collect();
            file["rejected"] = Value::Array(rejected);
            file
        })
        .collect();
    out["files"] = Value::Array(files);
    out
}

/// The column definitions of every table, as the vectors file states them.
fn tables() -> Value {
    fn defs<R: Row>() -> Value {
        R::COLUMNS
            .iter()
            .map(|c| json!({"name": c.name, "type": c.ty.as_str(), "nullable": c.nullable}))
            .collect()
    }
    json!({
        "creators": defs::<Creator>(),
        "samples": defs::<Sample>(),
        "videos": defs::<Video>(),
        "video_products": defs::<VideoProduct>(),
        "snapshots": defs::<Snapshot>(),
        "brand_links": defs::<BrandLink>(),
        "products": defs::<Product>(),
        "conflicts": defs::<Conflict>(),
        "report": defs::<MergeReport>(),
        "report_files": defs::<FileReport>(),
        "report_rejected": defs::<Rejected<'_>>(),
    })
}

/// What the merge of one case gives.
fn run(case: &Value) -> Value {
    let mut options = MergeOptions::default();
    if let Some(region) = case.get("region") {
        options.region = Region::parse(region.as_str().unwrap()).unwrap();
    }
    if let Some(order) = case.get("priorities") {
        let names = order
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap());
        options.priority = SourcePriority::from_names(names).unwrap();
    }
    let mut merger = Merger::new(options);
    for source in case["sources"].as_array().unwrap() {
        let kind: SourceKind = source["kind"].as_str().unwrap().parse().unwrap();
        let file = SourceFile::new(kind, format!("{}.csv", kind.as_str()));
        let csv = source["csv"].as_str().unwrap();
        merger.import_csv(&file, csv.as_bytes()).unwrap();
    }
    let r = merger.finish();
    json!({
        "creators": rows_json(&r.creators),
        "samples": rows_json(&r.samples),
        "videos": rows_json(&r.videos),
        "video_products": rows_json(&r.video_products),
        "snapshots": rows_json(&r.snapshots),
        "brand_links": rows_json(&r.brand_links),
        "products": rows_json(&r.products),
        "conflicts": rows_json(&r.conflicts),
        "report": report_json(&r.report),
    })
}

#[test]
fn merge_vectors() {
    let text = std::fs::read_to_string(path()).unwrap();
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    if std::env::var_os("CREATOR_CRM_UPDATE_VECTORS").is_some() {
        doc["tables"] = tables();
        for case in doc["cases"].as_array_mut().unwrap() {
            case["expected"] = run(case);
        }
        let out = serde_json::to_string_pretty(&doc).unwrap() + "\n";
        std::fs::write(path(), out).unwrap();
        return;
    }
    assert_eq!(doc["tables"], tables(), "the column definitions changed");
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 10, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let got = run(case);
        let want = &case["expected"];
        let Some(want) = want.as_object() else {
            panic!("{name}: no expectation");
        };
        for (section, want) in want {
            if got[section] != *want {
                failures.push(format!(
                    "{name}.{section}:\nwant {}\ngot  {}",
                    serde_json::to_string_pretty(want).unwrap(),
                    serde_json::to_string_pretty(&got[section]).unwrap()
                ));
            }
        }
        let sections: Map<String, Value> = want.clone();
        assert_eq!(
            sections.keys().collect::<Vec<_>>(),
            got.as_object().unwrap().keys().collect::<Vec<_>>(),
            "{name}: sections"
        );
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
