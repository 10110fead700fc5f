//! In-memory rows named by column: how bindings pass rows that are not a CSV file.

use ahash::AHashMap;

use crate::{
    error::Result,
    import::{Column, SourceKind},
    merge::{MergeOptions, MergeResult, Merger, SourceFile},
};

/// Adds in-memory rows of `kind` to `merger`, as if they were the rows of a file named
/// `name`. Each row is a list of `(column, value)` cells, the column named as in the
/// exports and matched like a CSV header (any case and punctuation: `"Phone #"`,
/// `"phone"`); cells of unknown columns are ignored, and a missing value is a cell left
/// out. A row's line in the report is its 1-based position.
///
/// ```
/// use creator_crm::{host::add_rows, import::SourceKind, merge::{MergeOptions, Merger}};
/// let mut m = Merger::new(MergeOptions::default());
/// let rows = [vec![("Handle", "@Ana"), ("Email", "ana@mailbox.org"), ("mood", "x")]];
/// add_rows(&mut m, SourceKind::Euka, "euka", rows).unwrap();
/// let r = m.finish();
/// assert_eq!(r.creators[0].handle.as_str(), "ana");
/// ```
pub fn add_rows<'a, R, C>(merger: &mut Merger, kind: SourceKind, name: &str, rows: R) -> Result<()>
where
    R: IntoIterator<Item = C>,
    C: IntoIterator<Item = (&'a str, &'a str)>,
{
    let file = SourceFile::new(kind, name);
    // Rows repeat their column names: each name is parsed once.
    let mut names: AHashMap<Box<str>, Option<Column>> = AHashMap::new();
    let mut cells: Vec<(Column, &str)> = Vec::new();
    for (i, row) in rows.into_iter().enumerate() {
        cells.clear();
        for (column, value) in row {
            let parsed = match names.get(column) {
                Some(c) => *c,
                None => {
                    let c = column.parse::<Column>().ok();
                    names.insert(column.into(), c);
                    c
                }
            };
            if let Some(c) = parsed {
                cells.push((c, value));
            }
        }
        merger.add_cells(&file, i as u64 + 1, &cells)?;
    }
    Ok(())
}

/// Merges in-memory rows of several source kinds: each kind's rows are added with
/// [`add_rows`] under the kind's name (`"euka"`), then the merge is finished with every
/// related record. The result is the one of CSV files holding the same rows, except that
/// lines are row positions.
///
/// # Errors
/// What [`add_rows`] returns.
///
/// ```
/// use creator_crm::{host::merge_rows, import::SourceKind, merge::MergeOptions};
/// let euka = vec![vec![("handle", "@Ana"), ("phone", "(415) 555-2671")]];
/// let orders = vec![vec![("Buyer Username", "ana"), ("Order ID", "1"), ("SKU ID", "9")]];
/// let r = merge_rows(
///     MergeOptions::default(),
///     [(SourceKind::Euka, euka), (SourceKind::SampleOrders, orders)],
/// )
/// .unwrap();
/// assert_eq!(r.creators[0].phone.as_ref().unwrap().as_str(), "+14155552671");
/// assert_eq!(r.samples.len(), 1);
/// ```
pub fn merge_rows<'a, S, R, C>(options: MergeOptions, sources: S) -> Result<MergeResult>
where
    S: IntoIterator<Item = (SourceKind, R)>,
    R: IntoIterator<Item = C>,
    C: IntoIterator<Item = (&'a str, &'a str)>,
{
    let mut merger = Merger::new(options);
    for (kind, rows) in sources {
        add_rows(&mut merger, kind, kind.as_str(), rows)?;
    }
    Ok(merger.finish())
}
