#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::*;
use crate::{
    identity::Handle,
    import::SourceKind,
    merge::{Product, Provenance, Sample},
    table::rejected_rows,
};

fn csv_of<R: Row>(rows: &[R]) -> String {
    let mut out = Vec::new();
    write_csv(rows, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn provenance(line: u64) -> Provenance {
    Provenance {
        source: SourceKind::SampleOrders,
        file: Arc::from("orders.csv"),
        line,
        observed_at: None,
    }
}

#[test]
fn formula_prefixes_are_escaped() {
    for bad in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
        assert!(escape_cell(bad).starts_with('\''), "{bad:?}");
    }
    for ok in ["", "ana", "1", "'quoted", " =x"] {
        assert_eq!(escape_cell(ok), ok);
    }
}

#[test]
fn every_text_cell_is_escaped_and_numbers_are_not() {
    let handle = Handle::parse("ana").unwrap();
    let shipped = NaiveDate::from_ymd_opt(2024, 5, 1).and_then(|d| d.and_hms_opt(10, 30, 0));
    let samples = [Sample {
        order_id: "=cmd|' /C calc'!A0".into(),
        sku_id: "-1".into(),
        handle,
        product_name: Some("@SUM(A1), \"quoted\"".into()),
        variation: None,
        quantity: Some(2),
        status: Some("+shipped".into()),
        created_at: None,
        shipped_at: shipped,
        delivered_at: None,
        provenance: provenance(3),
    }];
    assert_eq!(
        csv_of(&samples),
        "order_id,sku_id,tiktok_username,product_name,variation,quantity,status,created_at,shipped_at,delivered_at,source_file,source_line\n\
         '=cmd|' /C calc'!A0,'-1,ana,\"'@SUM(A1), \"\"quoted\"\"\",,2,'+shipped,,2024-05-01T10:30:00,,orders.csv,3\n"
    );
}

#[test]
fn negative_money_is_written_as_a_number() {
    let products = [Product {
        product_id: "p1".into(),
        name: None,
        gmv: Some(Decimal::new(-1250, 2)),
        items_sold: None,
        orders: Some(0),
        provenance: provenance(2),
    }];
    assert_eq!(
        csv_of(&products),
        "product_id,name,gmv,items_sold,orders,source_file,source_line\np1,,-12.50,,0,orders.csv,2\n"
    );
}

#[test]
fn the_report_tables_are_written_too() {
    let mut m = crate::merge::Merger::new(crate::merge::MergeOptions::default());
    let csv = "Handle,Email\n@ana,ana@mailbox.org\nx,x@mailbox.org\n@bo,not an email\n";
    m.import_csv(
        &crate::merge::SourceFile::new(SourceKind::Euka, "euka.csv"),
        csv.as_bytes(),
    )
    .unwrap();
    let report = m.finish().report;
    assert_eq!(
        csv_of(&report.files),
        "name,kind,rows_read,rows_rejected,duplicates_collapsed,description_rows_skipped,rejected_by_reason,dropped_by_reason\n\
         euka.csv,euka,3,1,0,0,handle: too short=1,email: invalid syntax=1\n"
    );
    let rejected: Vec<_> = rejected_rows(&report).collect();
    assert_eq!(
        csv_of(&rejected),
        "file,line,field,reason\neuka.csv,3,handle,too short\n"
    );
}
