//! Related records stored densely: `(key, value)` pairs in a vector, a small hash index of
//! `u32` positions.
//!
//! A `HashMap<K, V>` of large values wastes the empty slots of its power-of-two table on
//! whole values; here the table holds 4-byte positions and the pairs sit packed in a
//! `Vec`, which roughly halves the memory of the sample and video stores.
//!
//! A store that keeps heads only takes a file's rows without looking each one up: they
//! are appended, and settled at the end of the file (sorted by key, the newest row of
//! each key kept). A store settled while empty is left in key order without an index,
//! which its first later upsert builds: a merge that reads each kind once never spends a
//! cache miss per row on a hash table.

use std::hash::Hash;

use hashbrown::HashTable;

/// A map from `K` to `V` that only grows (records are replaced, never removed).
#[derive(Clone)]
pub(crate) struct Keyed<K, V> {
    pairs: Vec<(K, V)>,
    /// Positions by key hash. Empty while `sorted`; else every pair's position.
    index: HashTable<u32>,
    /// The keys are in order and distinct, and the index is not built.
    sorted: bool,
    hasher: ahash::RandomState,
}

impl<K, V> Default for Keyed<K, V> {
    fn default() -> Self {
        Keyed {
            pairs: Vec::new(),
            index: HashTable::new(),
            sorted: false,
            hasher: ahash::RandomState::with_seeds(3, 5, 7, 9),
        }
    }
}

impl<K: Hash + Ord, V> Keyed<K, V> {
    /// A store of `pairs`, whose keys are in order and distinct, without an index.
    fn from_sorted(pairs: Vec<(K, V)>) -> Self {
        Keyed {
            pairs,
            sorted: true,
            ..Keyed::default()
        }
    }

    /// The value under `key`.
    pub(crate) fn get(&self, key: &K) -> Option<&V> {
        let pairs = &self.pairs;
        let i = if self.sorted {
            pairs.binary_search_by(|(k, _)| k.cmp(key)).ok()?
        } else {
            let hash = self.hasher.hash_one(key);
            *self.index.find(hash, |&i| {
                pairs.get(i as usize).is_some_and(|(k, _)| k == key)
            })? as usize
        };
        pairs.get(i).map(|(_, v)| v)
    }

    /// Builds the index of a store left in key order.
    fn build_index(&mut self) {
        if std::mem::replace(&mut self.sorted, false) {
            self.index = index_of(&self.pairs, &self.hasher);
        }
    }

    /// Inserts `value` under `key`, or replaces the value there when `replace(new, old)`;
    /// the position `value` went to, `None` when it was not kept.
    pub(crate) fn upsert(
        &mut self,
        key: K,
        value: V,
        replace: impl Fn(&V, &V) -> bool,
    ) -> Option<usize> {
        self.build_index();
        // One hash and one probe whether the key is new or not.
        let hash = self.hasher.hash_one(&key);
        let Keyed {
            pairs,
            index,
            hasher,
            ..
        } = self;
        let entry = index.entry(
            hash,
            |&j| pairs.get(j as usize).is_some_and(|(k, _)| *k == key),
            |&j| pairs.get(j as usize).map_or(0, |(k, _)| hasher.hash_one(k)),
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(e) => {
                let i = *e.get() as usize;
                let (_, old) = pairs.get_mut(i)?;
                if !replace(&value, old) {
                    return None;
                }
                *old = value;
                Some(i)
            }
            hashbrown::hash_table::Entry::Vacant(e) => {
                let i = super::state::next_id(pairs.len());
                e.insert(i);
                pairs.push((key, value));
                Some(i as usize)
            }
        }
    }

    /// `(key, value)` pairs, in insertion order (key order for a store settled while
    /// empty).
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.pairs.iter().map(|(k, v)| (k, v))
    }

    /// The map with every pair passed through `f`, which must keep distinct keys
    /// distinct (the index is rebuilt at its final size, without growing).
    pub(crate) fn remapped(self, mut f: impl FnMut(K, V) -> (K, V)) -> Self {
        let pairs: Vec<(K, V)> = self.pairs.into_iter().map(|(k, v)| f(k, v)).collect();
        let index = index_of(&pairs, &self.hasher);
        Keyed {
            pairs,
            index,
            sorted: false,
            hasher: self.hasher,
        }
    }

    /// `(key, value)` pairs in insertion order, consuming the map.
    pub(crate) fn into_pairs(self) -> impl Iterator<Item = (K, V)> {
        self.pairs.into_iter()
    }

    /// Values in insertion order.
    pub(crate) fn values(&self) -> impl Iterator<Item = &V> {
        self.pairs.iter().map(|(_, v)| v)
    }

    /// Keys in insertion order.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &K> {
        self.pairs.iter().map(|(k, _)| k)
    }

    /// Number of records.
    pub(crate) fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Makes room for `additional` more records, so that they are added without growing
    /// the vector or rehashing the index. Room the allocator refuses is left out (the
    /// store then grows as it fills).
    pub(crate) fn reserve(&mut self, additional: usize) {
        self.build_index();
        let _ = self.pairs.try_reserve_exact(additional);
        let (pairs, hasher) = (&self.pairs, &self.hasher);
        let _ = self.index.try_reserve(additional, |&j| {
            pairs.get(j as usize).map_or(0, |(k, _)| hasher.hash_one(k))
        });
    }

    /// Gives back the spare capacity of the pair vector (it doubles as it grows, so up to
    /// half of a large store can be slack).
    pub(crate) fn shrink_to_fit(&mut self) {
        self.pairs.shrink_to_fit();
    }
}

/// The index of `pairs`, at its final size (no growing).
fn index_of<K: Hash, V>(pairs: &[(K, V)], hasher: &ahash::RandomState) -> HashTable<u32> {
    let mut index = HashTable::with_capacity(pairs.len());
    for (i, (k, _)) in (0u32..).zip(pairs) {
        index.insert_unique(hasher.hash_one(k), i, |&j| {
            pairs.get(j as usize).map_or(0, |(k, _)| hasher.hash_one(k))
        });
    }
    index
}

/// Related records of one kind: per key, a head every merge keeps (what the creator
/// table and the report read: creator, provenance, the metrics `finish` uses) and, unless
/// the merger keeps heads only ([`super::MergeOptions::related_records`] off), the rest of
/// the record, stored apart at the head's position.
#[derive(Clone)]
pub(crate) struct Records<K, H, D> {
    heads: Keyed<K, H>,
    details: Option<Vec<D>>,
    /// Heads added since the last [`Records::settle`] (only when no details are kept).
    pending: Vec<(K, H)>,
}

impl<K: Hash + Ord, H, D> Records<K, H, D> {
    /// An empty store; `details` says whether the rest of each record is kept.
    pub(crate) fn new(details: bool) -> Self {
        Records {
            heads: Keyed::default(),
            details: details.then(Vec::new),
            pending: Vec::new(),
        }
    }

    /// The heads, by key (settled: see [`Records::add`]).
    pub(crate) fn heads(&self) -> &Keyed<K, H> {
        &self.heads
    }

    /// Whether the rest of each record is kept.
    pub(crate) fn has_details(&self) -> bool {
        self.details.is_some()
    }

    /// Number of records (settled).
    pub(crate) fn len(&self) -> usize {
        self.heads.len()
    }

    /// Adds a record as a row of a file brings it. A store that keeps heads only appends
    /// it, to be settled with the rest of the file's rows by [`Records::settle`] (which
    /// the store must get before it is read); one that keeps details upserts it at once.
    pub(crate) fn add(
        &mut self,
        key: K,
        head: H,
        detail: Option<D>,
        replace: impl Fn(&H, &H) -> bool,
    ) {
        if self.details.is_none() {
            self.pending.push((key, head));
        } else {
            self.upsert(key, head, detail, replace);
        }
    }

    /// Folds the heads added since the last call into the store, by the same rule as
    /// [`Records::upsert`]: per key, the head `replace` prefers. They are sorted by key
    /// (in order through memory, where looking each up would miss the cache), the best of
    /// each key kept; into an empty store they go as they are, in key order.
    ///
    /// The result does not depend on the order of the pending heads as long as `replace`
    /// orders any two heads of a key strictly (rows of a file differ in line).
    pub(crate) fn settle(&mut self, replace: impl Fn(&H, &H) -> bool) {
        if self.pending.is_empty() {
            return;
        }
        let mut pending = std::mem::take(&mut self.pending);
        pending.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        // `later` is dropped; the better head of the two stays in `kept`.
        pending.dedup_by(|later, kept| {
            if later.0 != kept.0 {
                return false;
            }
            if replace(&later.1, &kept.1) {
                std::mem::swap(later, kept);
            }
            true
        });
        if self.heads.len() == 0 {
            pending.shrink_to_fit();
            self.heads = Keyed::from_sorted(pending);
            return;
        }
        for (k, h) in pending.drain(..) {
            self.heads.upsert(k, h, &replace);
        }
        // The emptied buffer stays for the next rows (in-memory rows settle one by one);
        // `shrink_to_fit` gives it back after a whole file.
        self.pending = pending;
    }

    /// Adds a record, or replaces the one under `key` when `replace(new, old)` (of heads).
    /// `detail` is `None` exactly when this store keeps no details (both come from the
    /// same options); a record that breaks that is not stored.
    pub(crate) fn upsert(
        &mut self,
        key: K,
        head: H,
        detail: Option<D>,
        replace: impl Fn(&H, &H) -> bool,
    ) {
        if self.details.is_some() && detail.is_none() {
            return;
        }
        let Some(i) = self.heads.upsert(key, head, replace) else {
            return;
        };
        if let (Some(details), Some(detail)) = (&mut self.details, detail) {
            match details.get_mut(i) {
                Some(d) => *d = detail,
                None => details.push(detail),
            }
        }
    }

    /// `(key, head, detail)` of every record in insertion order; empty when details are
    /// not kept.
    pub(crate) fn iter_full(&self) -> impl Iterator<Item = (&K, &H, &D)> {
        let details = self.details.as_deref().unwrap_or(&[]);
        self.heads.iter().zip(details).map(|((k, h), d)| (k, h, d))
    }

    /// The store with every record passed through `f`, which must keep distinct keys
    /// distinct.
    pub(crate) fn remapped(self, mut f: impl FnMut(K, H, Option<D>) -> (K, H, Option<D>)) -> Self {
        let Records { heads, details, .. } = self;
        let keep = details.is_some();
        let mut old = details.unwrap_or_default().into_iter();
        let mut new = Vec::with_capacity(if keep { heads.len() } else { 0 });
        let heads = heads.remapped(|k, h| {
            let (k, h, d) = f(k, h, old.next());
            new.extend(d);
            (k, h)
        });
        Records {
            heads,
            details: keep.then_some(new),
            pending: Vec::new(),
        }
    }

    /// `(key, head, detail)` of every record in insertion order, consuming the store;
    /// detail `None` when details are not kept.
    pub(crate) fn into_records(self) -> impl Iterator<Item = (K, H, Option<D>)> {
        let mut details = self.details.unwrap_or_default().into_iter();
        self.heads
            .into_pairs()
            .map(move |(k, h)| (k, h, details.next()))
    }

    /// Makes room for `additional` more records of a file: pending heads, or records
    /// and details ([`Keyed::reserve`]).
    pub(crate) fn reserve(&mut self, additional: usize) {
        match &mut self.details {
            None => {
                let _ = self.pending.try_reserve_exact(additional);
            }
            Some(d) => {
                self.heads.reserve(additional);
                let _ = d.try_reserve_exact(additional);
            }
        }
    }

    /// Keeps only the records `keep(key, head)` accepts (settled first, with
    /// `replace` as in [`Records::settle`]); the index is rebuilt.
    pub(crate) fn retain(
        &mut self,
        replace: impl Fn(&H, &H) -> bool,
        mut keep: impl FnMut(&K, &H) -> bool,
    ) {
        self.settle(replace);
        let heads = std::mem::take(&mut self.heads);
        let hasher = heads.hasher.clone();
        let sorted = heads.sorted;
        let mut old = self.details.take().map(Vec::into_iter);
        let mut pairs = Vec::with_capacity(heads.len());
        let mut details = old.as_ref().map(|d| Vec::with_capacity(d.len()));
        for (k, h) in heads.into_pairs() {
            let d = old.as_mut().and_then(Iterator::next);
            if keep(&k, &h) {
                pairs.push((k, h));
                if let (Some(out), Some(d)) = (details.as_mut(), d) {
                    out.push(d);
                }
            }
        }
        let index = if sorted {
            HashTable::new()
        } else {
            index_of(&pairs, &hasher)
        };
        self.heads = Keyed {
            pairs,
            index,
            sorted,
            hasher,
        };
        self.details = details;
    }

    /// Gives back spare capacity.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.heads.shrink_to_fit();
        self.pending.shrink_to_fit();
        if let Some(d) = &mut self.details {
            d.shrink_to_fit();
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The heads of a store, by key.
    fn by_key<H: Copy>(r: &Records<u64, H, ()>) -> Vec<(u64, H)> {
        let mut v: Vec<(u64, H)> = r.heads().iter().map(|(k, h)| (*k, *h)).collect();
        v.sort_unstable_by_key(|(k, _)| *k);
        v
    }

    proptest! {
        /// Rows added then settled file by file keep what upserting each row at once
        /// keeps, and every key is found by `get` whether the store is indexed or not.
        #[test]
        fn settled_rows_keep_what_upserts_keep(
            rows in prop::collection::vec((0u64..40, 0u32..1000), 0..200),
            cuts in prop::collection::vec(0usize..200, 0..4),
        ) {
            // Heads are (value, row number): distinct, so `newer` orders any two strictly.
            let newer = |new: &(u32, usize), old: &(u32, usize)| new > old;
            let mut model: Records<u64, (u32, usize), ()> = Records::new(false);
            let mut settled: Records<u64, (u32, usize), ()> = Records::new(false);
            for (i, &(key, value)) in rows.iter().enumerate() {
                if cuts.contains(&i) {
                    settled.settle(newer);
                }
                model.upsert(key, (value, i), None, newer);
                settled.add(key, (value, i), None, newer);
            }
            settled.settle(newer);
            prop_assert_eq!(by_key(&settled), by_key(&model));
            for (k, h) in by_key(&model) {
                prop_assert_eq!(settled.heads().get(&k), Some(&h));
            }
            prop_assert_eq!(settled.heads().get(&40), None);
        }
    }

    #[test]
    fn upsert_keeps_or_replaces() {
        let mut k: Keyed<u64, u32> = Keyed::default();
        for i in 0..1000u64 {
            k.upsert(i % 100, u32::try_from(i).unwrap_or(0), |new, old| new > old);
        }
        assert_eq!(k.len(), 100);
        assert_eq!(k.get(&7), Some(&907));
        assert_eq!(k.iter().next(), Some((&0, &900)));
    }

    #[test]
    fn records_keep_each_detail_with_its_head() {
        let newer = |new: &(u32, u8), old: &(u32, u8)| new.0 > old.0;
        let mut full: Records<u64, (u32, u8), String> = Records::new(true);
        let mut lean: Records<u64, (u32, u8), String> = Records::new(false);
        for i in 0..300u32 {
            let key = u64::from(i % 50);
            let head = (
                i.wrapping_mul(7919) % 1000,
                u8::try_from(i % 7).unwrap_or(0),
            );
            full.upsert(key, head, Some(format!("row {i}")), newer);
            lean.upsert(key, head, None, newer);
        }
        assert_eq!(full.len(), 50);
        assert_eq!(lean.len(), 50);
        assert!(!lean.has_details() && lean.iter_full().next().is_none());
        // The detail stored is the one that came with the surviving head.
        for (k, h, d) in full.iter_full() {
            let i = (0..300u32)
                .filter(|i| u64::from(i % 50) == *k)
                .max_by_key(|i| (i.wrapping_mul(7919) % 1000, std::cmp::Reverse(*i)))
                .unwrap_or(0);
            assert_eq!(
                (h.0, d.as_str()),
                (i.wrapping_mul(7919) % 1000, format!("row {i}").as_str())
            );
            assert_eq!(lean.heads().get(k), Some(h));
        }
        // A detail missing where details are kept is refused, never misaligned.
        full.upsert(999, (1, 1), None, newer);
        assert_eq!(full.heads().get(&999), None);
        let moved = full.remapped(|k, h, d| (k + 1000, h, d.map(|d| d + "!")));
        assert!(
            moved
                .iter_full()
                .all(|(k, _, d)| *k >= 1000 && d.ends_with('!'))
        );
        assert_eq!(moved.into_records().count(), 50);
    }
}
