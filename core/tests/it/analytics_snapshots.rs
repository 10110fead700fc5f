//! The dashboard tables of the bundled sample data (`examples/demo/data`), pinned as the
//! CSV the export writes. Regenerate after an intended change with
//! `INSTA_UPDATE=always cargo test -p creator-crm --test it analytics_snapshots` and review
//! the diff.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{fs::File, io::BufReader, path::PathBuf};

use chrono::NaiveDate;
use creator_crm::{
    analytics::{Dashboard, DashboardOptions, Period, dashboard},
    export::write_csv,
    identity::Handle,
    import::SourceKind,
    merge::{Finish, MergeOptions, MergeResult, Merger, SourceFile, SuppressionList},
    table::{Cell, ColumnType, Row},
};

fn merge_sample() -> MergeResult {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/demo/data");
    let mut suppression = SuppressionList::new("golden");
    for line in std::fs::read_to_string(dir.join("erased.txt"))
        .unwrap()
        .lines()
    {
        suppression.suppress_handle(&Handle::parse(line).unwrap());
    }
    let mut m = Merger::new(MergeOptions {
        suppression,
        related_records: true,
        ..MergeOptions::default()
    });
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

/// The demo's dashboard: the last 30 days of its videos against the 30 before.
fn sample_dashboard() -> Dashboard {
    let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    let period = Period::new(d(10, 22), d(11, 21)).unwrap();
    dashboard(&merge_sample(), &DashboardOptions::new(period)).unwrap()
}

fn csv<R: Row>(rows: &[R]) -> String {
    let mut out = Vec::new();
    write_csv(rows, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn sample_tables() {
    let d = sample_dashboard();
    assert_eq!(
        (d.previous.start(), d.previous.end()),
        (
            NaiveDate::from_ymd_opt(2025, 9, 22).unwrap(),
            NaiveDate::from_ymd_opt(2025, 10, 22).unwrap()
        )
    );
    insta::assert_snapshot!("top_by_gmv", csv(&d.top_by_gmv));
    insta::assert_snapshot!("top_by_items_sold", csv(&d.top_by_items_sold));
    insta::assert_snapshot!("top_by_orders", csv(&d.top_by_orders));
    insta::assert_snapshot!("trending", csv(&d.trending));
    insta::assert_snapshot!("videos_by_creator", csv(&d.videos_by_creator));
    insta::assert_snapshot!("products", csv(&d.products));
    insta::assert_snapshot!("conversion_by_creator", csv(&d.conversion_by_creator));
    insta::assert_snapshot!("conversion_by_product", csv(&d.conversion_by_product));
    insta::assert_snapshot!(
        "conversion_overall",
        csv(std::slice::from_ref(&d.conversion_overall))
    );
}

/// Every cell of every analytics table has its column's type, and is null only where the
/// column says it may be; the CSV has the table's header and one record per row.
#[test]
fn sample_tables_keep_their_column_definitions() {
    fn check<R: Row>(rows: &[R]) {
        assert!(!rows.is_empty(), "{}", R::TABLE);
        for row in rows {
            for (c, cell) in R::COLUMNS.iter().zip(row.cells()) {
                let fits = match (c.ty, &cell) {
                    (_, Cell::Null) => c.nullable,
                    (ColumnType::Text, Cell::Text(_))
                    | (ColumnType::UInt64, Cell::UInt(_))
                    | (ColumnType::Decimal { .. }, Cell::Decimal(_)) => true,
                    (ColumnType::Float64, Cell::Float(x)) => x.is_finite(),
                    _ => false,
                };
                assert!(fits, "{}.{}: {cell:?}", R::TABLE, c.name);
            }
        }
        let text = csv(rows);
        let mut reader = ::csv::Reader::from_reader(text.as_bytes());
        let header: Vec<&str> = reader.headers().unwrap().iter().collect();
        assert_eq!(
            header,
            R::column_names().collect::<Vec<_>>(),
            "{}",
            R::TABLE
        );
        assert_eq!(reader.records().count(), rows.len(), "{}", R::TABLE);
    }
    let d = sample_dashboard();
    check(&d.top_by_gmv);
    check(&d.trending);
    check(&d.videos_by_creator);
    check(&d.products);
    check(&d.conversion_by_creator);
    check(&d.conversion_by_product);
    check(std::slice::from_ref(&d.conversion_overall));
}

/// The dashboard's tables by name (what the bindings' CSV exports write) are the tables
/// pinned above, in the order of `DASHBOARD_TABLES`.
#[test]
fn dashboard_csv_names_every_table() {
    use creator_crm::export::{DASHBOARD_TABLES, dashboard_csv, write_dashboard_table};
    let d = sample_dashboard();
    let tables = dashboard_csv(&d).unwrap();
    let names: Vec<&str> = tables.iter().map(|(name, _)| *name).collect();
    assert_eq!(names, DASHBOARD_TABLES);
    let by_name = |name: &str| &tables.iter().find(|(n, _)| *n == name).unwrap().1;
    assert_eq!(by_name("top_by_gmv"), &csv(&d.top_by_gmv));
    assert_eq!(by_name("top_by_orders"), &csv(&d.top_by_orders));
    assert_eq!(by_name("trending"), &csv(&d.trending));
    assert_eq!(by_name("products"), &csv(&d.products));
    assert_eq!(
        by_name("conversion_by_product"),
        &csv(&d.conversion_by_product)
    );
    assert_eq!(
        by_name("conversion_overall"),
        &csv(std::slice::from_ref(&d.conversion_overall))
    );
    let err = write_dashboard_table(&d, "top", Vec::new()).unwrap_err();
    assert_eq!(err.field(), Some("table"));
    assert!(
        err.to_string().contains("top_by_gmv, top_by_items_sold"),
        "{err}"
    );
}
