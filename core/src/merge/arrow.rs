//! Importing files given as Arrow record batches (feature `arrow`): the rows of
//! [`crate::import::arrow`] through the path of a CSV file's rows.

use std::sync::Arc;

use arrow_array::RecordBatchReader;

use super::{ImportProgress, ProgressHook, SourceFile, state::MergeState};
use crate::{
    error::{Error, ErrorKind, Result},
    import::arrow::{ArrowColumns, BatchCells, IntoBatch, RowKind, stream_error},
};

impl MergeState {
    /// [`super::Merger::import_reader`].
    pub(crate) fn import_reader<R: RecordBatchReader>(
        &mut self,
        file: &SourceFile,
        reader: R,
    ) -> Result<()> {
        let columns = ArrowColumns::new(file.kind, &reader.schema(), &file.columns)?;
        self.import_resolved(file, Some(columns), reader)
    }

    /// [`super::Merger::import_batches`].
    pub(crate) fn import_batches<B: IntoBatch>(
        &mut self,
        file: &SourceFile,
        batches: impl IntoIterator<Item = B>,
    ) -> Result<()> {
        self.import_resolved(file, None, batches)
    }

    /// Imports `batches` of `file`, whose columns are `columns` when known before the
    /// first batch (else read from it).
    fn import_resolved<B: IntoBatch>(
        &mut self,
        file: &SourceFile,
        columns: Option<ArrowColumns>,
        batches: impl IntoIterator<Item = B>,
    ) -> Result<()> {
        let mut batches = batches.into_iter();
        let (columns, first) = match columns {
            Some(columns) => (columns, None),
            None => {
                // The header comes with the first batch: without one the file has none.
                let Some(first) = batches.next() else {
                    return Err(Error::new(ErrorKind::Import, "empty file"));
                };
                let first = first.into_batch().map_err(|_| stream_error(2))?;
                let columns = ArrowColumns::new(file.kind, &first.schema(), &file.columns)?;
                (columns, Some(first))
            }
        };
        let mut rows = FileRows::new(self, file, columns)?;
        let result = match &first {
            Some(batch) => rows.batch(self, batch),
            None => Ok(()),
        };
        rows.finish(self, result, batches)
    }

    /// [`super::Merger::import_readers`].
    pub(crate) fn import_readers<R: RecordBatchReader + Send>(
        &mut self,
        inputs: Vec<(SourceFile, R)>,
        threads: usize,
    ) -> Result<()> {
        let threads = threads.clamp(1, inputs.len().max(1));
        if threads == 1 {
            let mut first_err = None;
            for (file, reader) in inputs {
                if let Err(e) = self.import_reader(&file, reader) {
                    first_err.get_or_insert(e);
                }
            }
            return first_err.map_or(Ok(()), Err);
        }
        // Inputs with the same name share a thread (their rows meet as in one file),
        // the others are dealt out in turn.
        let mut shares: Vec<Vec<(usize, (SourceFile, R))>> =
            (0..threads).map(|_| Vec::new()).collect();
        let mut names: Vec<(Arc<str>, usize)> = Vec::new();
        let mut next = 0;
        for (i, (file, reader)) in inputs.into_iter().enumerate() {
            let share = match names.iter().find(|(n, _)| *n == file.name) {
                Some((_, s)) => *s,
                None => {
                    let s = next % threads;
                    next += 1;
                    names.push((Arc::clone(&file.name), s));
                    s
                }
            };
            if let Some(share) = shares.get_mut(share) {
                share.push((i, (file, reader)));
            }
        }
        self.import_in_shares(shares, |merger, (file, reader)| {
            merger.import_reader(&file, reader)
        })
    }
}

/// The rows of one file read so far.
struct FileRows<'f> {
    file: &'f SourceFile,
    columns: ArrowColumns,
    ctx: super::accumulate::RowCtx,
    /// Rows of the file so far, blank and description rows included (the next row's
    /// line is `seen + 2`).
    seen: u64,
    /// Data rows read.
    rows: u64,
    first: bool,
    description_rows: u64,
    progress: Option<ProgressHook>,
}

impl<'f> FileRows<'f> {
    fn new(state: &mut MergeState, file: &'f SourceFile, columns: ArrowColumns) -> Result<Self> {
        let ctx = state.row_ctx(file)?;
        Ok(FileRows {
            file,
            columns,
            ctx,
            seen: 0,
            rows: 0,
            first: true,
            description_rows: 0,
            progress: state.options.progress.clone(),
        })
    }

    fn tell(&self, done: bool) {
        if let Some(hook) = &self.progress {
            hook.report(&ImportProgress {
                file: &self.file.name,
                kind: self.file.kind,
                bytes_read: 0,
                total_bytes: None,
                rows_read: self.rows,
                done,
            });
        }
    }

    /// The line of the next row.
    fn next_line(&self) -> u64 {
        self.seen.saturating_add(2)
    }

    /// Adds every row of `batch`.
    fn batch(&mut self, state: &mut MergeState, batch: &arrow_array::RecordBatch) -> Result<()> {
        self.columns.check_batch(&batch.schema())?;
        let cells = BatchCells::new(batch);
        let mut row: Vec<&str> = Vec::with_capacity(batch.num_columns());
        for i in 0..cells.rows() {
            let line = self.next_line();
            self.seen += 1;
            cells.row(i, &mut row);
            match self.columns.classify(&row, self.first) {
                RowKind::Blank => continue,
                RowKind::Description => {
                    self.first = false;
                    self.description_rows += 1;
                    continue;
                }
                RowKind::Data => self.first = false,
            }
            state.take_inputs(1)?;
            state.add_row(&self.ctx, line, &self.columns.raw_row(&row));
            self.rows += 1;
            if self.rows % ProgressHook::EVERY_ROWS == 0 {
                self.tell(false);
            }
        }
        Ok(())
    }

    /// Adds the rows of the remaining `batches` unless `result` is already an error, then
    /// ends the file.
    fn finish<B: IntoBatch>(
        mut self,
        state: &mut MergeState,
        mut result: Result<()>,
        batches: impl Iterator<Item = B>,
    ) -> Result<()> {
        if result.is_ok() {
            for batch in batches {
                result = match batch.into_batch() {
                    Ok(batch) => self.batch(state, &batch),
                    Err(_) => Err(stream_error(self.next_line())),
                };
                if result.is_err() {
                    break;
                }
            }
        }
        self.tell(true);
        state.end_file(&self.ctx, self.description_rows);
        result
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::sync::Arc;

    use arrow_array::{ArrayRef, RecordBatch, StringArray};

    use super::*;
    use crate::{
        import::SourceKind,
        merge::{Finish, MAX_INPUTS, MergeOptions},
    };

    /// Past [`MAX_INPUTS`] Arrow rows are refused as CSV rows are; what was taken stays.
    #[test]
    fn rows_past_the_input_limit_are_a_typed_error() {
        let handles: ArrayRef = Arc::new(StringArray::from(vec!["ana", "bo"]));
        let batch = RecordBatch::try_from_iter([("handle", handles)]).unwrap();
        let mut m = MergeState::new(MergeOptions::default());
        m.inputs = MAX_INPUTS - 1;
        let file = SourceFile::new(SourceKind::Euka, "euka");
        let err = m.import_batches(&file, [&batch]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Import);
        assert_eq!(
            err.reason(),
            "more than 268435456 rows and stored values in one merge"
        );
        let r = m.finish(Finish::Everything);
        assert_eq!(r.report.rows_read, 1);
        assert_eq!(r.creators.len(), 1);
    }
}
