//! Streaming top-k by selection: the best `k` of a stream in O(n) time and
//! O(k) memory, for the inbox tabs.
//!
//! Candidates gather in a buffer of up to `2k`; when it is full,
//! `select_nth_unstable_by` keeps the best `k` and the k-th becomes a cutoff
//! that rejects most later candidates with a single key comparison.

use std::cmp::Ordering;

use super::model::SupporterCounters;

/// Order: key ascending, then supporter id, then index (ids should be
/// unique; the index only makes the order total).
pub(crate) fn compare<K: Ord>(
    supporters: &[SupporterCounters],
    a: &(K, u32),
    b: &(K, u32),
) -> Ordering {
    let id = |i: u32| supporters.get(i as usize).map(|c| &c.id);
    a.0.cmp(&b.0)
        .then_with(|| id(a.1).cmp(&id(b.1)))
        .then(a.1.cmp(&b.1))
}

/// The best `keep` entries seen so far, plus a count of all entries.
pub(crate) struct TopK<'a, K> {
    supporters: &'a [SupporterCounters],
    keep: usize,
    buf: Vec<(K, u32)>,
    cutoff: Option<(K, u32)>,
    total: usize,
}

impl<'a, K: Ord + Copy> TopK<'a, K> {
    pub(crate) fn new(supporters: &'a [SupporterCounters], keep: usize) -> Self {
        TopK {
            supporters,
            keep,
            buf: Vec::with_capacity(keep.min(1 << 16).saturating_mul(2)),
            cutoff: None,
            total: 0,
        }
    }

    #[inline]
    pub(crate) fn push(&mut self, key: K, index: u32) {
        self.total += 1;
        if self.keep == 0 {
            return;
        }
        let entry = (key, index);
        if let Some(cut) = &self.cutoff {
            // Fast path: a worse key can't enter, without looking at ids.
            match entry.0.cmp(&cut.0) {
                Ordering::Greater => return,
                Ordering::Equal if compare(self.supporters, &entry, cut) == Ordering::Greater => {
                    return;
                }
                _ => {}
            }
        }
        self.buf.push(entry);
        if self.buf.len() >= self.keep.saturating_mul(2) {
            self.shrink();
        }
    }

    fn shrink(&mut self) {
        let s = self.supporters;
        if self.buf.len() > self.keep {
            self.buf
                .select_nth_unstable_by(self.keep, |a, b| compare(s, a, b));
            self.buf.truncate(self.keep);
        }
        // After selection the worst kept entry is the largest of the first `keep`.
        self.cutoff = self.buf.iter().copied().max_by(|a, b| compare(s, a, b));
    }

    /// The kept entries' indices in order, skipping `offset`, and the total count.
    pub(crate) fn finish(mut self, offset: usize) -> (Vec<u32>, usize) {
        let s = self.supporters;
        if self.buf.len() > self.keep {
            self.buf
                .select_nth_unstable_by(self.keep, |a, b| compare(s, a, b));
            self.buf.truncate(self.keep);
        }
        self.buf.sort_unstable_by(|a, b| compare(s, a, b));
        let items = self.buf.into_iter().skip(offset).map(|(_, i)| i).collect();
        (items, self.total)
    }
}
