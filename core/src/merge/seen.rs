//! Sets built by appending and sorting: the fingerprints of one file's rows (duplicate-row
//! counting) and the video-product links.
//!
//! Values are pushed onto a vector as they arrive and compacted (sorted, deduplicated,
//! merged into the sorted distinct set, duplicates counted) once per file and whenever
//! many are pending: appending and sorting touch memory in order, where a hash set would
//! take a cache miss per value, and the set costs the size of a value per distinct value.
//! A row whose content was seen before in the same file is a duplicate (the report counts
//! them).

use std::borrow::Cow;

/// Values pending above this many are compacted while a file is still being read.
const COMPACT_AT: usize = 1 << 20;

/// A set of values, appended then compacted.
#[derive(Clone)]
pub(crate) struct SortedSet<T> {
    /// Distinct values compacted so far, sorted.
    seen: Vec<T>,
    /// Values since the last compaction, in arrival order.
    pending: Vec<T>,
}

impl<T> Default for SortedSet<T> {
    fn default() -> Self {
        SortedSet {
            seen: Vec::new(),
            pending: Vec::new(),
        }
    }
}

/// The row fingerprints of one file.
pub(crate) type SeenRows = SortedSet<u64>;

impl<T: Ord + Copy> SortedSet<T> {
    /// Adds a value; the number of duplicates found when this compacts the pending values.
    pub(crate) fn push(&mut self, value: T) -> u64 {
        self.pending.push(value);
        if self.pending.len() >= COMPACT_AT {
            self.compact()
        } else {
            0
        }
    }

    /// Folds the pending values into the distinct set; the number of them that were
    /// duplicates (of a compacted value or of each other).
    pub(crate) fn compact(&mut self) -> u64 {
        if self.pending.is_empty() {
            return 0;
        }
        let mut pending = std::mem::take(&mut self.pending);
        let arrived = pending.len();
        pending.sort_unstable();
        pending.dedup();
        if self.seen.is_empty() {
            // The first compaction of a file: the sorted rows are the set, in place.
            let added = pending.len();
            self.seen = pending;
            return (arrived - added) as u64;
        }
        let merged = merge_distinct(&self.seen, &pending);
        let added = merged.len() - self.seen.len();
        self.seen = merged;
        // The pending vector's buffer is kept for the next rows.
        pending.clear();
        self.pending = pending;
        (arrived - added) as u64
    }

    /// The distinct values, sorted (a copy only while values are pending).
    pub(crate) fn distinct(&self) -> Cow<'_, [T]> {
        if self.pending.is_empty() {
            return Cow::Borrowed(&self.seen);
        }
        let mut pending = self.pending.clone();
        pending.sort_unstable();
        pending.dedup();
        Cow::Owned(merge_distinct(&self.seen, &pending))
    }

    /// Adds every value of `values`.
    pub(crate) fn extend(&mut self, values: impl IntoIterator<Item = T>) {
        for v in values {
            self.push(v);
        }
    }

    /// How many pending values are duplicates, without compacting them.
    pub(crate) fn pending_duplicates(&self) -> u64 {
        if self.pending.is_empty() {
            return 0;
        }
        let mut pending = self.pending.clone();
        pending.sort_unstable();
        pending.dedup();
        let new = pending
            .iter()
            .filter(|f| self.seen.binary_search(f).is_err())
            .count();
        (self.pending.len() - new) as u64
    }

    /// Takes in the values of the same set another merger built; the number of them that
    /// duplicate values here (counted as if they had been pushed here after these).
    pub(crate) fn absorb(&mut self, other: SortedSet<T>) -> u64 {
        if self.seen.is_empty() && self.pending.is_empty() {
            *self = other;
            return 0;
        }
        let mut found = self.compact();
        self.pending = other.seen;
        found += self.compact();
        self.pending = other.pending;
        found + self.compact()
    }

    /// Makes room for `additional` more pending values (up to the compaction threshold;
    /// room the allocator refuses is left out).
    pub(crate) fn reserve(&mut self, additional: usize) {
        let room = COMPACT_AT.saturating_sub(self.pending.len());
        let _ = self.pending.try_reserve_exact(additional.min(room));
    }

    /// Gives back the pending buffer and the set's spare capacity (done after a whole
    /// file; the pending values must have been compacted).
    pub(crate) fn release_pending(&mut self) {
        self.pending = Vec::new();
        self.seen.shrink_to_fit();
    }
}

/// The union of two sorted, distinct sequences, sorted and distinct.
fn merge_distinct<T: Ord + Copy>(a: &[T], b: &[T]) -> Vec<T> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
        match x.cmp(&y) {
            std::cmp::Ordering::Less => {
                out.push(x);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(y);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(x);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(a.get(i..).unwrap_or(&[]));
    out.extend_from_slice(b.get(j..).unwrap_or(&[]));
    out
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use proptest::prelude::*;

    use super::*;

    /// Duplicates a hash set counts for the same rows: the model.
    fn model(rows: &[u64]) -> u64 {
        let mut set = HashSet::new();
        rows.iter().filter(|r| !set.insert(**r)).count() as u64
    }

    proptest! {
        #[test]
        fn counts_what_a_hash_set_counts(
            rows in prop::collection::vec(0u64..64, 0..300),
            cuts in prop::collection::vec(0usize..300, 0..6),
            split in 0usize..300,
        ) {
            // Compacted at arbitrary points, with the count checked before each.
            let mut seen = SeenRows::default();
            let mut found = 0;
            for (i, r) in rows.iter().enumerate() {
                if cuts.contains(&i) {
                    let before = found + seen.pending_duplicates();
                    prop_assert_eq!(before, model(&rows[..i]));
                    found += seen.compact();
                }
                found += seen.push(*r);
            }
            prop_assert_eq!(found + seen.pending_duplicates(), model(&rows));
            prop_assert_eq!(found + seen.compact(), model(&rows));
            // The same rows seen by two mergers, then folded: as if read in turn.
            let split = split.min(rows.len());
            let (mut a, mut b) = (SeenRows::default(), SeenRows::default());
            let mut found = 0;
            for r in &rows[..split] {
                found += a.push(*r);
            }
            found += a.compact();
            for r in &rows[split..] {
                found += b.push(*r);
            }
            // Half of the time `b` still has rows pending (not yet counted) when folded.
            if split % 2 == 0 {
                found += b.compact();
            }
            found += a.absorb(b);
            prop_assert_eq!(found + a.pending_duplicates(), model(&rows));
        }
    }

    #[test]
    fn many_pending_rows_compact_on_their_own() {
        let mut seen = SeenRows::default();
        let mut found = 0;
        for i in 0..(COMPACT_AT as u64 + 10) {
            found += seen.push(i % 1000);
        }
        assert!(seen.pending.len() < COMPACT_AT);
        assert_eq!(seen.seen.len(), 1000);
        assert_eq!(found + seen.compact(), COMPACT_AT as u64 + 10 - 1000);
    }
}
