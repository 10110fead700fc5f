//! The merge's tables as JavaScript objects, built from core's table definitions
//! (`creator_crm::table`): one object per row, one key per column.
//!
//! Keys are the core column names in camelCase (`tiktok_username` → `tiktokUsername`),
//! the binding's convention for the objects it builds. Values are `Cell::to_json`'s:
//! text → string, bool → boolean, count → number, decimal → decimal string (exact),
//! date → `YYYY-MM-DD`, datetime → RFC 3339 UTC string, list → array of strings, counts
//! → object of numbers, float → number; a null cell → `null` (every key is always
//! present).
//! `tableColumns(table)` lists the columns with their keys.

use creator_crm::{
    Error,
    analytics::{
        ConversionOverall, CreatorConversion, CreatorVideoPerformance, Performer,
        ProductConversion, ProductPerformance, Trend,
    },
    export,
    merge::{
        self, BrandLink, Conflict, Creator, FileReport, MergeReport, Product, Sample, Snapshot,
        Video, VideoProduct,
    },
    table::{ColumnDef, Rejected, Row},
};
use napi::{
    Env,
    bindgen_prelude::{AsyncTask, Object},
};
use napi_derive::napi;
use serde_json::{Map, Value};

use crate::{
    errors::to_napi_error,
    merge::{CoreTask, held},
};

/// The JavaScript key of a column: its core name in camelCase.
fn key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for ch in name.chars() {
        if ch == '_' {
            upper = true;
        } else if upper {
            out.extend(ch.to_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

fn keys(columns: &[ColumnDef]) -> Vec<String> {
    columns.iter().map(|c| key(c.name)).collect()
}

/// A row as an object with `keys` (one per column), values as `Cell::to_json` writes them.
fn row_object<T: Row>(row: &T, keys: &[String]) -> Map<String, Value> {
    keys.iter()
        .enumerate()
        .map(|(i, k)| (k.clone(), row.cell(i).to_json()))
        .collect()
}

/// The column of [`Rejected`] that its nesting in a file's report makes redundant.
const REJECTED_FILE: &str = "file";

/// The rows of one table as an array of objects.
pub fn table<T: Row>(rows: &[T]) -> Value {
    let keys = keys(T::COLUMNS);
    Value::Array(
        rows.iter()
            .map(|row| Value::Object(row_object(row, &keys)))
            .collect(),
    )
}

/// One row as an object (a one-row table: the overall conversion).
pub fn row<T: Row>(row: &T) -> Value {
    Value::Object(row_object(row, &keys(T::COLUMNS)))
}

/// The report as an object: every column of core's report table, and `files`, one
/// object per file (the file-report columns and its `rejected` rows, each with the
/// columns of a rejected row but `file`, which its place already says).
pub fn report(report: &MergeReport) -> Value {
    let mut obj = row_object(report, &keys(MergeReport::COLUMNS));
    let file_keys = keys(FileReport::COLUMNS);
    let rejected_cols: Vec<(usize, String)> = Rejected::COLUMNS
        .iter()
        .enumerate()
        .filter(|(_, c)| c.name != REJECTED_FILE)
        .map(|(i, c)| (i, key(c.name)))
        .collect();
    let files = report
        .files
        .iter()
        .map(|f| {
            let mut file = row_object(f, &file_keys);
            let rejected = f
                .rejected
                .iter()
                .map(|issue| {
                    let row = Rejected {
                        file: &f.name,
                        issue,
                    };
                    Value::Object(
                        rejected_cols
                            .iter()
                            .map(|(i, k)| (k.clone(), row.cell(*i).to_json()))
                            .collect(),
                    )
                })
                .collect();
            file.insert("rejected".to_owned(), Value::Array(rejected));
            Value::Object(file)
        })
        .collect();
    obj.insert("files".to_owned(), Value::Array(files));
    Value::Object(obj)
}

/// One column of a result table.
#[napi(object)]
pub struct ColumnInfo {
    /// The core column name (snake_case), as in the CSV export and the other bindings.
    pub name: String,
    /// The key of the column in the JavaScript objects (camelCase).
    pub key: String,
    /// `text`, `bool`, `uint64`, `decimal`, `date`, `datetime`, `text_list`, `counts` or
    /// `float64`.
    #[napi(
        ts_type = "'text' | 'bool' | 'uint64' | 'decimal' | 'date' | 'datetime' | 'text_list' | 'counts' | 'float64'"
    )]
    pub r#type: String,
    /// Whether the value may be `null`.
    pub nullable: bool,
    /// What the column holds.
    pub doc: String,
}

/// The table names `tableColumns` knows.
const TABLES: &[(&str, &[ColumnDef])] = &[
    (Creator::TABLE, Creator::COLUMNS),
    (Sample::TABLE, Sample::COLUMNS),
    (Video::TABLE, Video::COLUMNS),
    (VideoProduct::TABLE, VideoProduct::COLUMNS),
    (Snapshot::TABLE, Snapshot::COLUMNS),
    (BrandLink::TABLE, BrandLink::COLUMNS),
    (Product::TABLE, Product::COLUMNS),
    (Conflict::TABLE, Conflict::COLUMNS),
    (MergeReport::TABLE, MergeReport::COLUMNS),
    (FileReport::TABLE, FileReport::COLUMNS),
    (Rejected::TABLE, Rejected::COLUMNS),
    (Performer::TABLE, Performer::COLUMNS),
    (Trend::TABLE, Trend::COLUMNS),
    (
        CreatorVideoPerformance::TABLE,
        CreatorVideoPerformance::COLUMNS,
    ),
    (ProductPerformance::TABLE, ProductPerformance::COLUMNS),
    (CreatorConversion::TABLE, CreatorConversion::COLUMNS),
    (ProductConversion::TABLE, ProductConversion::COLUMNS),
    (ConversionOverall::TABLE, ConversionOverall::COLUMNS),
];

/// The columns of a result table, in order, as core defines them: `"creators"`,
/// `"samples"`, `"videos"`, `"video_products"`, `"snapshots"`, `"brand_links"`,
/// `"products"`, `"conflicts"`, `"report"` (the report's totals), `"files"` (a file's
/// report) or `"rejected"` (a rejected row; in a file's report without `file`), and the
/// analytics tables `"top_performers"`, `"trending"`, `"video_performance"`,
/// `"product_performance"`, `"sample_conversion"`, `"sample_conversion_by_product"` and
/// `"sample_conversion_overall"`. Every object of that table has exactly these keys.
///
/// Throws an `InvalidInputError` (`field: "table"`) for another name.
///
/// ```js
/// tableColumns('creators').map((c) => c.key) // ['tiktokUsername', 'email', ...]
/// ```
#[napi(catch_unwind, ts_args_type = "table: TableName")]
pub fn table_columns(env: Env, table: String) -> napi::Result<Vec<ColumnInfo>> {
    let (_, columns) = TABLES
        .iter()
        .find(|(name, _)| *name == table)
        .ok_or_else(|| to_napi_error(&env, &Error::invalid("table", "unknown table")))?;
    Ok(columns
        .iter()
        .map(|c| ColumnInfo {
            name: c.name.to_owned(),
            key: key(c.name),
            r#type: c.ty.as_str().to_owned(),
            nullable: c.nullable,
            doc: c.doc.to_owned(),
        })
        .collect())
}

/// One of the merge's tables as CSV that is safe to open in a spreadsheet: a header of
/// core's column names (snake_case, `tableColumns(table).map((c) => c.name)`: the same
/// file in every language), then one record per row; a text cell that a spreadsheet would
/// run as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) is written with a
/// leading `'`. `table` is `"creators"` (the default), `"samples"`, `"videos"`,
/// `"video_products"`, `"snapshots"`, `"brand_links"`, `"products"`, `"conflicts"`, or
/// the report's `"files"` and `"rejected"` rows.
///
/// Throws an `InvalidInputError` (`field: "table"`) for another name.
///
/// ```js
/// fs.writeFileSync('creators.csv', toCsv(result))
/// ```
#[napi(catch_unwind, ts_args_type = "result: MergeResult, table?: TableName")]
pub fn to_csv(env: &Env, result: Object<'_>, table: Option<String>) -> napi::Result<String> {
    let r = held(env, &result)?;
    merge_csv(&r, table.as_deref()).map_err(|e| to_napi_error(env, &e))
}

/// `toCsv` off the JavaScript thread (a bad `result` still throws synchronously).
#[napi(
    catch_unwind,
    ts_args_type = "result: MergeResult, table?: TableName",
    ts_return_type = "Promise<string>"
)]
pub fn to_csv_async(
    env: &Env,
    result: Object<'_>,
    table: Option<String>,
) -> napi::Result<AsyncTask<CoreTask<String>>> {
    let r = held(env, &result)?;
    Ok(AsyncTask::new(CoreTask::new(move || {
        merge_csv(&r, table.as_deref())
    })))
}

fn merge_csv(r: &merge::MergeResult, table: Option<&str>) -> creator_crm::Result<String> {
    let table = table.unwrap_or(Creator::TABLE);
    export::to_csv_string(|out| export::write_merge_table(r, table, out))
}
