//! Files given as Arrow record batches (feature `arrow`) merge exactly as the same data
//! given as CSV: the bundled sample data as all-string and as typed columns, random
//! tables (proptest), the typed values' texts, and the errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{collections::BTreeSet, path::PathBuf, sync::Arc};

use arrow_array::{
    ArrayRef, BooleanArray, Date32Array, Date64Array, Decimal128Array, DictionaryArray,
    Float32Array, Float64Array, Int64Array, LargeStringArray, ListArray, NullArray, RecordBatch,
    RecordBatchIterator, StringArray, StringViewArray, TimestampMillisecondArray,
    TimestampSecondArray, UInt64Array, types::Int32Type,
};
use arrow_schema::{ArrowError, DataType, Field, Schema};
use creator_crm::{
    ErrorKind,
    identity::Handle,
    import::{Column, ColumnMapping, SourceKind, decode::decode_cell},
    merge::{Finish, MergeOptions, MergeResult, Merger, SourceFile, SuppressionList},
};
use proptest::prelude::*;

const KINDS: [(SourceKind, &str); 6] = [
    (SourceKind::SampleOrders, "sample_orders.csv"),
    (SourceKind::Euka, "euka.csv"),
    (SourceKind::PhoneNumbers, "phone_numbers.csv"),
    (SourceKind::Refunnel, "refunnel.csv"),
    (SourceKind::Videos, "videos.csv"),
    (SourceKind::Products, "products.csv"),
];

fn sample_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/demo/data")
}

/// A CSV file's header and records, each cell decoded as the importer decodes it (UTF-8,
/// else cp1252), with the line each record starts on (as the importer numbers lines).
struct Table {
    header: Vec<String>,
    rows: Vec<(u64, Vec<String>)>,
}

fn read_table(bytes: &[u8]) -> Table {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = reader.byte_records();
    let header = records.next().unwrap().unwrap();
    let header = header.iter().map(|c| decode_cell(c).into_owned()).collect();
    let rows = records
        .map(|r| {
            let r = r.unwrap();
            // The `csv` crate counts the line before the record's first byte.
            let line = r.position().unwrap().line() + 1;
            (
                line,
                r.iter().map(|c| decode_cell(c).into_owned()).collect(),
            )
        })
        .collect();
    Table { header, rows }
}

/// `table` as CSV text: every cell quoted, line breaks inside cells written as spaces
/// (so that a row's line is its position plus one, as for Arrow rows).
fn write_table(table: &Table) -> String {
    let mut out = String::new();
    let mut line = |cells: &[String]| {
        let cells: Vec<String> = cells
            .iter()
            .map(|c| format!("\"{}\"", c.replace(['\r', '\n'], " ").replace('"', "\"\"")))
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    };
    line(&table.header);
    for (_, row) in &table.rows {
        line(row);
    }
    out
}

/// The cell of column `c` of a row (a short row has none: a null).
fn cell(row: &[String], c: usize) -> Option<&str> {
    row.get(c).map(String::as_str).filter(|s| !s.is_empty())
}

/// How a column of text is given as Arrow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum As {
    Utf8,
    LargeUtf8,
    View,
    Dict,
    Int,
    Float,
    Date,
    Timestamp,
}

/// The typed column that holds exactly the texts of column `c`, if any: integers, floats
/// and dates that print back as the same text.
fn infer(table: &Table, c: usize) -> Option<As> {
    let cells: Vec<&str> = table.rows.iter().filter_map(|(_, r)| cell(r, c)).collect();
    if cells.is_empty() {
        return None;
    }
    let all = |f: &dyn Fn(&str) -> bool| cells.iter().all(|s| f(s));
    if all(&|s| s.parse::<i64>().is_ok_and(|i| i.to_string() == s)) {
        return Some(As::Int);
    }
    if all(&|s| s.parse::<f64>().is_ok_and(|f| f.to_string() == s)) {
        return Some(As::Float);
    }
    let date = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    if all(&|s| s.len() == 10 && date(s).is_some_and(|d| d.format("%Y-%m-%d").to_string() == s)) {
        return Some(As::Date);
    }
    let ts = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").ok();
    if all(&|s| ts(s).is_some_and(|t| t.format("%Y-%m-%d %H:%M:%S").to_string() == s)) {
        return Some(As::Timestamp);
    }
    None
}

fn column(table: &Table, c: usize, rows: std::ops::Range<usize>, how: As) -> ArrayRef {
    let cells = || {
        table.rows[rows.clone()]
            .iter()
            .map(move |(_, r)| cell(r, c))
    };
    match how {
        As::Utf8 => Arc::new(StringArray::from_iter(cells())),
        As::LargeUtf8 => Arc::new(LargeStringArray::from_iter(cells())),
        As::View => Arc::new(StringViewArray::from_iter(cells())),
        As::Dict => Arc::new(cells().collect::<DictionaryArray<Int32Type>>()),
        As::Int => Arc::new(Int64Array::from_iter(
            cells().map(|s| s.map(|s| s.parse::<i64>().unwrap())),
        )),
        As::Float => Arc::new(Float64Array::from_iter(
            cells().map(|s| s.map(|s| s.parse::<f64>().unwrap())),
        )),
        As::Date => Arc::new(Date32Array::from_iter(cells().map(|s| {
            s.map(|s| {
                let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
                (d - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()).num_days() as i32
            })
        }))),
        As::Timestamp => Arc::new(TimestampSecondArray::from_iter(cells().map(|s| {
            s.map(|s| {
                chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
                    .unwrap()
                    .and_utc()
                    .timestamp()
            })
        }))),
    }
}

/// `table` as record batches of `batch_rows` rows, each column given as `how(c)`.
fn batches(table: &Table, batch_rows: usize, how: impl Fn(usize) -> As) -> Vec<RecordBatch> {
    let hows: Vec<As> = (0..table.header.len()).map(&how).collect();
    let fields: Vec<Field> = table
        .header
        .iter()
        .enumerate()
        .map(|(c, name)| {
            let sample = column(table, c, 0..0, hows[c]);
            Field::new(name, sample.data_type().clone(), true)
        })
        .collect();
    let schema = Arc::new(Schema::new(fields));
    let mut out = Vec::new();
    let mut start = 0;
    while start < table.rows.len() {
        let end = (start + batch_rows).min(table.rows.len());
        let columns = (0..table.header.len())
            .map(|c| column(table, c, start..end, hows[c]))
            .collect();
        out.push(RecordBatch::try_new(Arc::clone(&schema), columns).unwrap());
        start = end;
    }
    out
}

/// The options of the golden sample merge: the bundled erased people suppressed.
fn options() -> MergeOptions {
    let mut suppression = SuppressionList::new("arrow");
    for line in std::fs::read_to_string(sample_dir().join("erased.txt"))
        .unwrap()
        .lines()
    {
        suppression.suppress_handle(&Handle::parse(line).unwrap());
    }
    MergeOptions {
        suppression,
        ..MergeOptions::default()
    }
}

/// Every bundled file as a table whose cells hold no line break.
fn sample_tables() -> Vec<(SourceKind, &'static str, Table)> {
    KINDS
        .iter()
        .map(|&(kind, name)| {
            let bytes = std::fs::read(sample_dir().join(name)).unwrap();
            let table = read_table(write_table(&read_table(&bytes)).as_bytes());
            (kind, name, table)
        })
        .collect()
}

fn csv_merge(tables: &[(SourceKind, &str, Table)]) -> MergeResult {
    let mut m = Merger::new(options());
    for (kind, name, table) in tables {
        let csv = write_table(table);
        m.import_csv(&SourceFile::new(*kind, *name), csv.as_bytes())
            .unwrap();
    }
    m.finish(Finish::Everything)
}

fn arrow_merge(
    tables: &[(SourceKind, &str, Table)],
    how: impl Fn(&Table, usize) -> As,
) -> MergeResult {
    let mut m = Merger::new(options());
    for (kind, name, table) in tables {
        let batches = batches(table, 97, |c| how(table, c));
        m.import_batches(&SourceFile::new(*kind, *name), &batches)
            .unwrap();
    }
    m.finish(Finish::Everything)
}

fn assert_same(arrow: &MergeResult, csv: &MergeResult) {
    assert_eq!(arrow.report, csv.report);
    assert_eq!(arrow.creators, csv.creators);
    assert_eq!(arrow.conflicts, csv.conflicts);
    assert_eq!(arrow.samples, csv.samples);
    assert_eq!(arrow.videos, csv.videos);
    assert_eq!(arrow.video_products, csv.video_products);
    assert_eq!(arrow.snapshots, csv.snapshots);
    assert_eq!(arrow.brand_links, csv.brand_links);
    assert_eq!(arrow.products, csv.products);
    assert_eq!(arrow, csv);
}

#[test]
fn the_sample_data_as_string_columns_merges_as_its_csv() {
    let tables = sample_tables();
    let csv = csv_merge(&tables);
    // The merge is not trivial: rows are rejected, values dropped, conflicts found.
    assert!(csv.report.rows_rejected > 0 && csv.report.conflicts > 0);
    assert!(csv.report.files.iter().any(|f| !f.rejected.is_empty()));
    let kinds = [As::Utf8, As::LargeUtf8, As::View, As::Dict];
    let arrow = arrow_merge(&tables, |_, c| kinds[c % kinds.len()]);
    assert_same(&arrow, &csv);
}

#[test]
fn the_sample_data_as_typed_columns_merges_as_its_csv() {
    let tables = sample_tables();
    let mut typed = BTreeSet::new();
    for (_, _, table) in &tables {
        for c in 0..table.header.len() {
            if let Some(how) = infer(table, c) {
                typed.insert(format!("{how:?}"));
            }
        }
    }
    // Integers (ids, counts, phones, ZIPs) and dates occur (floats are pinned on their own).
    assert_eq!(
        typed.into_iter().collect::<Vec<_>>(),
        ["Date", "Int"],
        "typed columns found in the sample data"
    );
    let csv = csv_merge(&tables);
    let arrow = arrow_merge(&tables, |t, c| infer(t, c).unwrap_or(As::Dict));
    assert_same(&arrow, &csv);
}

#[test]
fn rows_are_numbered_as_their_csv_lines_and_rejections_match() {
    // The videos export holds cells that span lines: its CSV lines and the Arrow rows'
    // lines differ only by them, row for row.
    let bytes = std::fs::read(sample_dir().join("videos.csv")).unwrap();
    let table = read_table(&bytes);
    let mut csv = Merger::new(MergeOptions::default());
    let file = SourceFile::new(SourceKind::Videos, "videos.csv");
    csv.import_csv(&file, &bytes[..]).unwrap();
    let csv = csv.finish(Finish::Everything);
    let mut arrow = Merger::new(MergeOptions::default());
    arrow
        .import_batches(&file, batches(&table, 50, |_| As::Utf8))
        .unwrap();
    let arrow = arrow.finish(Finish::Everything);
    let (c, a) = (&csv.report.files[0], &arrow.report.files[0]);
    assert!(!c.rejected.is_empty());
    assert_eq!(a.rows_read, c.rows_read);
    assert_eq!(a.rows_rejected, c.rows_rejected);
    assert_eq!(a.rejected_by_reason, c.rejected_by_reason);
    assert_eq!(a.dropped_by_reason, c.dropped_by_reason);
    let row_line = |csv_line: u64| {
        let i = table.rows.iter().position(|(l, _)| *l == csv_line).unwrap();
        i as u64 + 2
    };
    let relined: Vec<_> = c
        .rejected
        .iter()
        .map(|i| (row_line(i.line), i.field.clone(), i.reason.clone()))
        .collect();
    let got: Vec<_> = a
        .rejected
        .iter()
        .map(|i| (i.line, i.field.clone(), i.reason.clone()))
        .collect();
    assert_eq!(got, relined);
    assert_eq!(arrow.creators.len(), csv.creators.len());
    assert_eq!(arrow.videos.len(), csv.videos.len());
}

fn batch(columns: Vec<(&str, ArrayRef)>) -> RecordBatch {
    RecordBatch::try_from_iter(columns).unwrap()
}

fn strings(values: &[Option<&str>]) -> ArrayRef {
    Arc::new(StringArray::from(values.to_vec()))
}

fn import(kind: SourceKind, batches: &[RecordBatch]) -> creator_crm::Result<MergeResult> {
    let mut m = Merger::new(MergeOptions::default());
    m.import_batches(&SourceFile::new(kind, "t"), batches)?;
    Ok(m.finish(Finish::Everything))
}

fn import_csv(kind: SourceKind, csv: &str) -> creator_crm::Result<MergeResult> {
    let mut m = Merger::new(MergeOptions::default());
    m.import_csv(&SourceFile::new(kind, "t"), csv.as_bytes())?;
    Ok(m.finish(Finish::Everything))
}

#[test]
fn typed_values_merge_as_the_text_a_csv_holds() {
    // Refunnel: counts, money and percents as numbers, the post date as each date type.
    let day = 20_020; // 2024-10-24
    let b = batch(vec![
        (
            "username",
            strings(&[Some("ana"), Some("bo"), Some("cy"), Some("di")]),
        ),
        (
            "followers",
            Arc::new(Float64Array::from(vec![1200.0, 1e20, 12.5, f64::NAN])),
        ),
        (
            "gmv",
            Arc::new(
                Decimal128Array::from(vec![Some(123_456), Some(-5), None, Some(10)])
                    .with_precision_and_scale(12, 2)
                    .unwrap(),
            ),
        ),
        (
            "engagement",
            Arc::new(Float32Array::from(vec![0.1, 4.5, 100.0, 7.25])),
        ),
        (
            "last_post",
            Arc::new(Date32Array::from(vec![day, day + 1, day + 2, day + 3])),
        ),
        (
            "Mood",
            Arc::new(BooleanArray::from(vec![true, false, true, true])),
        ),
    ]);
    let csv = "username,followers,gmv,engagement,last_post,Mood\n\
               ana,1200,1234.56,0.1,2024-10-24,true\n\
               bo,100000000000000000000,-0.05,4.5,2024-10-25,false\n\
               cy,12.5,,100,2024-10-26,true\n\
               di,,0.10,7.25,2024-10-27,true\n";
    let arrow = import(SourceKind::Refunnel, &[b]).unwrap();
    let text = import_csv(SourceKind::Refunnel, csv).unwrap();
    assert_eq!(arrow, text);
    // 1e20 followers is out of range, as the 21-digit text is.
    assert_eq!(arrow.report.values_dropped, 1);
    let followers: Vec<_> = arrow.snapshots.iter().map(|s| s.followers).collect();
    assert_eq!(followers, [Some(1200), None, Some(13), None]);

    // Timestamps with and without a zone: the instant in UTC.
    let ms = 1_709_649_000_250; // 2024-03-05 14:30:00.250 UTC
    let orders = batch(vec![
        (
            "Order ID",
            Arc::new(UInt64Array::from(vec![5_770_001, 5_770_002])),
        ),
        ("SKU ID", Arc::new(Int64Array::from(vec![9, 9]))),
        ("Buyer Username", strings(&[Some("ana"), Some("bo")])),
        (
            "Created Time",
            Arc::new(TimestampMillisecondArray::from(vec![ms, ms])),
        ),
        (
            "Shipped Time",
            Arc::new(TimestampMillisecondArray::from(vec![ms, ms]).with_timezone("+02:00")),
        ),
        (
            "Delivered Time",
            Arc::new(Date64Array::from(vec![ms, 86_400_000])),
        ),
        ("Quantity", Arc::new(NullArray::new(2))),
    ]);
    let csv = "Order ID,SKU ID,Buyer Username,Created Time,Shipped Time,Delivered Time,Quantity\n\
               5770001,9,ana,2024-03-05 14:30:00.250,2024-03-05T16:30:00+02:00,2024-03-05 14:30:00.250,\n\
               5770002,9,bo,2024-03-05 14:30:00,2024-03-05 14:30:00Z,1970-01-02,\n";
    let arrow = import(SourceKind::SampleOrders, &[orders]).unwrap();
    let text = import_csv(SourceKind::SampleOrders, csv).unwrap();
    assert_eq!(arrow.samples, text.samples);
    assert_eq!(arrow.creators, text.creators);
    assert_eq!(arrow.report.values_dropped, 0);
    let created = arrow.samples[0].created_at.unwrap();
    assert_eq!(created.to_string(), "2024-03-05 14:30:00");
    assert_eq!(arrow.samples[0].shipped_at, Some(created));
}

#[test]
fn ids_given_as_numbers_keep_their_digits() {
    // A product id read as a float (pandas does with a missing value) is still the id.
    let b = batch(vec![
        (
            "Product ID",
            Arc::new(Float64Array::from(vec![Some(1_729_900_000_003.0), None])),
        ),
        ("Product Name", strings(&[Some("Glow Serum"), Some("x")])),
    ]);
    let r = import(SourceKind::Products, &[b]).unwrap();
    assert_eq!(r.products.len(), 1);
    assert_eq!(r.products[0].product_id, "1729900000003");
    assert_eq!(r.report.files[0].rejected[0].line, 3);
}

#[test]
fn headers_match_as_csv_headers_and_unknown_fields_are_ignored() {
    let b = batch(vec![
        ("\u{feff}  USER name ", strings(&[Some("@Ana")])),
        ("Phone #", strings(&[Some("(+1)3159212129")])),
        (
            "favourite colour",
            Arc::new(ListArray::new_null(
                Arc::new(Field::new_list_field(DataType::Int32, true)),
                1,
            )),
        ),
    ]);
    let r = import(SourceKind::PhoneNumbers, &[b]).unwrap();
    assert_eq!(r.creators[0].handle.as_str(), "ana");
    assert_eq!(
        r.creators[0].phone.as_ref().unwrap().as_str(),
        "+13159212129"
    );
    // A caller's own header names apply.
    let mut mapping = ColumnMapping::new();
    mapping.insert("TT", Column::Handle);
    let b = batch(vec![("TT", strings(&[Some("bo")]))]);
    let mut m = Merger::new(MergeOptions::default());
    m.import_batches(
        &SourceFile::new(SourceKind::Euka, "t").columns(mapping),
        [&b],
    )
    .unwrap();
    assert_eq!(m.handles()[0].as_str(), "bo");
}

#[test]
fn blank_rows_and_the_description_row_are_skipped_and_lines_kept() {
    let b1 = batch(vec![
        (
            "Order ID",
            strings(&[Some("Platform unique order ID."), None, Some("5770001")]),
        ),
        (
            "Buyer Username",
            strings(&[Some("Buyer's TikTok username."), Some("  "), Some("ana")]),
        ),
    ]);
    let b2 = batch(vec![
        ("Order ID", strings(&[Some("5770002"), Some("5770003")])),
        (
            "Buyer Username",
            strings(&[Some("bad handle!"), Some("bo")]),
        ),
    ]);
    let r = import(SourceKind::SampleOrders, &[b1, b2]).unwrap();
    let f = &r.report.files[0];
    assert_eq!(f.description_rows_skipped, 1);
    assert_eq!(f.rows_read, 3);
    assert_eq!(f.rejected.len(), 1);
    // Line 1 is the header; the bad row is the 4th row of all batches.
    assert_eq!(f.rejected[0].line, 5);
    assert_eq!(f.rejected[0].field.as_deref(), Some("handle"));
    let lines: Vec<u64> = r.samples.iter().map(|s| s.provenance.line).collect();
    assert_eq!(lines, [4, 6]);
}

#[test]
fn duplicate_rows_are_counted_as_in_a_csv() {
    let b = batch(vec![
        (
            "handle",
            strings(&[Some("ana"), Some(" ana "), Some("ana"), Some("ana")]),
        ),
        (
            "extra",
            strings(&[Some("x"), Some("x"), Some("y"), Some("x ")]),
        ),
    ]);
    let r = import(SourceKind::Euka, &[b]).unwrap();
    let csv = import_csv(
        SourceKind::Euka,
        "handle,extra\nana,x\n ana ,x\nana,y\nana,x \n",
    )
    .unwrap();
    assert_eq!(r.report.duplicates_collapsed, 2);
    assert_eq!(r.report, csv.report);
}

#[test]
fn errors_name_the_column_never_a_value() {
    let secret = "ana.secret@mailbox.org";
    // A missing required column: as for a CSV file.
    let b = batch(vec![("email", strings(&[Some(secret)]))]);
    let e = import(SourceKind::Euka, &[b]).unwrap_err();
    let c = import_csv(SourceKind::Euka, &format!("email\n{secret}\n")).unwrap_err();
    assert_eq!(
        (e.kind(), e.field(), e.reason()),
        (c.kind(), c.field(), c.reason())
    );
    assert_eq!(e.to_string(), "import: handle: missing required column");
    // A known column of a type without text.
    let list = ListArray::new_null(Arc::new(Field::new_list_field(DataType::Utf8, true)), 1);
    let b = batch(vec![
        ("handle", strings(&[Some("ana")])),
        ("Email Address", Arc::new(list) as ArrayRef),
    ]);
    let e = import(SourceKind::Euka, &[b]).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Import);
    assert_eq!(e.to_string(), "import: email: unsupported column type");
    // No batch at all: no header.
    let e = import(SourceKind::Euka, &[]).unwrap_err();
    assert_eq!(e.reason(), "empty file");
    // A later batch with other columns.
    let b1 = batch(vec![("handle", strings(&[Some("ana")]))]);
    let b2 = batch(vec![("email", strings(&[Some(secret)]))]);
    let e = import(SourceKind::Euka, &[b1, b2]).unwrap_err();
    assert_eq!(e.reason(), "batch columns differ from the first batch");
    // A stream that fails: the line its next row would have, not the stream's text.
    let b = batch(vec![("handle", strings(&[Some("ana"), Some("bo")]))]);
    let stream = vec![
        Ok(b.clone()),
        Err(ArrowError::ComputeError(format!("bad value {secret}"))),
        Ok(b),
    ];
    let mut m = Merger::new(MergeOptions::default());
    let e = m
        .import_batches(&SourceFile::new(SourceKind::Euka, "t"), stream)
        .unwrap_err();
    assert_eq!(e.to_string(), "line 4: import: cannot read batch");
    assert!(std::error::Error::source(&e).is_none());
    // Rows before the error stay merged.
    assert_eq!(m.finish(Finish::Everything).report.rows_read, 2);
    // A row error holds no value either.
    let b = batch(vec![
        ("handle", strings(&[Some("ana")])),
        ("email", strings(&[Some("not an email")])),
    ]);
    let r = import(SourceKind::Euka, &[b]).unwrap();
    let report = format!("{:?}", r.report);
    assert!(!report.contains("not an email"), "{report}");
}

#[test]
fn a_reader_with_no_batch_is_a_file_with_a_header_and_no_row() {
    let schema = Arc::new(Schema::new(vec![Field::new(
        "handle",
        DataType::Utf8,
        true,
    )]));
    let reader = RecordBatchIterator::new(Vec::<Result<RecordBatch, ArrowError>>::new(), schema);
    let mut m = Merger::new(MergeOptions::default());
    m.import_reader(&SourceFile::new(SourceKind::Euka, "t"), reader)
        .unwrap();
    let r = m.finish(Finish::Everything);
    assert_eq!(r.report.files.len(), 1);
    assert_eq!(r.report.rows_read, 0);
    let schema = Arc::new(Schema::new(vec![Field::new("email", DataType::Utf8, true)]));
    let reader = RecordBatchIterator::new(Vec::<Result<RecordBatch, ArrowError>>::new(), schema);
    let e = m
        .import_reader(&SourceFile::new(SourceKind::Euka, "u"), reader)
        .unwrap_err();
    assert_eq!(e.reason(), "missing required column");
}

#[test]
fn many_readers_on_threads_merge_as_one_after_another() {
    let tables = sample_tables();
    let inputs = || {
        tables
            .iter()
            .map(|(kind, name, table)| {
                let b = batches(table, 128, |_| As::Utf8);
                let schema = b[0].schema();
                (
                    SourceFile::new(*kind, *name),
                    RecordBatchIterator::new(b.into_iter().map(Ok), schema),
                )
            })
            .collect::<Vec<_>>()
    };
    let mut one = Merger::new(options());
    one.import_readers(inputs(), 1).unwrap();
    let mut three = Merger::new(options());
    three.import_readers(inputs(), 3).unwrap();
    assert_eq!(
        three.finish(Finish::Everything),
        one.finish(Finish::Everything)
    );
}

/// Cells a random table draws from: handles (good, bad, spaced), emails, phones, money,
/// counts, dates, blanks and CSV-hostile text.
const CELLS: &[&str] = &[
    "",
    " ",
    "ana",
    "@Ana",
    " BO ",
    "https://www.tiktok.com/@cy?lang=en",
    "bad handle!",
    "x",
    "ana@mailbox.org",
    "n/a",
    "not-an-email",
    "(+1)3159212129",
    "(+1)832*****59",
    "415-555-2671",
    "$1,234.56",
    "12.3K",
    "3M",
    "4.5%",
    "2024-03-05",
    "03/05/2024 2:30 PM",
    "a,b",
    "say \"hi\"",
    "Jos\u{e9}",
    "JosÃ©",
    "123 Main St, Austin, TX 78701",
    "02134",
    "TX",
    "5770001",
    "7300000000000000000",
];

/// Headers a random table draws from: aliases of known columns and an unknown one.
const HEADERS: &[&str] = &[
    "handle",
    "Username",
    "email",
    "Phone #",
    "First Name",
    "Last Name",
    "address",
    "City",
    "State",
    "Zip",
    "followers",
    "gmv",
    "engagement",
    "last_post",
    "Order ID",
    "SKU ID",
    "Created Time",
    "Video link",
    "Video ID",
    "GMV",
    "Product ID",
    "notes",
];

fn csv_cell(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// A random table given as CSV text and as Arrow string batches (cut anywhere) gives
    /// the same merge, whatever the kind.
    #[test]
    fn random_tables_merge_alike_as_csv_and_as_arrow(
        kind in proptest::sample::select(KINDS.iter().map(|k| k.0).collect::<Vec<_>>()),
        headers in proptest::sample::subsequence(HEADERS.to_vec(), 1..8),
        rows in proptest::collection::vec(
            proptest::collection::vec(proptest::sample::select(CELLS.to_vec()), 8),
            0..12,
        ),
        cut in 1usize..5,
    ) {
        let mut csv = headers.iter().map(|h| csv_cell(h)).collect::<Vec<_>>().join(",");
        csv.push('\n');
        for row in &rows {
            let cells: Vec<String> = row[..headers.len()].iter().map(|c| csv_cell(c)).collect();
            csv.push_str(&cells.join(","));
            csv.push('\n');
        }
        let table = Table {
            header: headers.iter().map(|h| h.to_string()).collect(),
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, r)| (i as u64 + 2, r[..headers.len()].iter().map(|c| c.to_string()).collect()))
                .collect(),
        };
        let from_csv = import_csv(kind, &csv);
        let b = batches(&table, cut, |c| if c % 2 == 0 { As::Utf8 } else { As::Dict });
        let b = if b.is_empty() {
            // No row: one empty batch carries the header.
            vec![batches(&Table { header: table.header.clone(), rows: vec![(2, vec![String::new(); headers.len()])] }, 1, |_| As::Utf8)[0].slice(0, 0)]
        } else {
            b
        };
        let from_arrow = import(kind, &b);
        match (from_csv, from_arrow) {
            (Ok(c), Ok(a)) => prop_assert_eq!(a, c),
            (Err(c), Err(a)) => prop_assert_eq!(a.to_string(), c.to_string()),
            (c, a) => prop_assert!(false, "csv {:?} arrow {:?}", c.err(), a.err()),
        }
    }

    /// Integers given as an Arrow integer column merge as their decimal text.
    #[test]
    fn integer_columns_merge_as_their_digits(
        values in proptest::collection::vec(proptest::option::of(any::<i64>()), 1..10),
    ) {
        let handles: Vec<String> = (0..values.len()).map(|i| format!("c{i}")).collect();
        let b = batch(vec![
            ("username", Arc::new(StringArray::from_iter_values(&handles)) as ArrayRef),
            ("followers", Arc::new(Int64Array::from(values.clone()))),
            ("total posts", Arc::new(Int64Array::from(values.clone()))),
        ]);
        let mut csv = String::from("username,followers,total posts\n");
        for (h, v) in handles.iter().zip(&values) {
            let v = v.map(|v| v.to_string()).unwrap_or_default();
            csv.push_str(&format!("{h},{v},{v}\n"));
        }
        prop_assert_eq!(
            import(SourceKind::Refunnel, &[b]).unwrap(),
            import_csv(SourceKind::Refunnel, &csv).unwrap()
        );
    }
}
