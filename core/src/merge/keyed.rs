//! Related records stored densely: keys and values in vectors, a small hash index of `u32`.
//!
//! A `HashMap<K, V>` of large values wastes the empty slots of its power-of-two table on
//! whole values; here the table holds 4-byte positions and the values sit packed in a
//! `Vec`, which roughly halves the memory of the sample and video stores.

use std::hash::Hash;

use hashbrown::HashTable;

/// A map from `K` to `V` that only grows (records are replaced, never removed).
pub(crate) struct Keyed<K, V> {
    keys: Vec<K>,
    values: Vec<V>,
    index: HashTable<u32>,
    hasher: ahash::RandomState,
}

impl<K, V> Default for Keyed<K, V> {
    fn default() -> Self {
        Keyed {
            keys: Vec::new(),
            values: Vec::new(),
            index: HashTable::new(),
            hasher: ahash::RandomState::with_seeds(3, 5, 7, 9),
        }
    }
}

impl<K: Hash + Eq, V> Keyed<K, V> {
    fn position(&self, key: &K) -> Option<usize> {
        let hash = self.hasher.hash_one(key);
        let keys = &self.keys;
        self.index
            .find(hash, |&i| keys.get(i as usize) == Some(key))
            .map(|&i| i as usize)
    }

    /// The value under `key`.
    pub(crate) fn get(&self, key: &K) -> Option<&V> {
        self.position(key).and_then(|i| self.values.get(i))
    }

    /// Inserts `value` under `key`, or replaces the value there when `replace(new, old)`;
    /// the position `value` went to, `None` when it was not kept.
    pub(crate) fn upsert(
        &mut self,
        key: K,
        value: V,
        replace: impl Fn(&V, &V) -> bool,
    ) -> Option<usize> {
        // One hash and one probe whether the key is new or not.
        let hash = self.hasher.hash_one(&key);
        let Keyed {
            keys,
            values,
            index,
            hasher,
        } = self;
        let entry = index.entry(
            hash,
            |&j| keys.get(j as usize) == Some(&key),
            |&j| keys.get(j as usize).map_or(0, |k| hasher.hash_one(k)),
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(e) => {
                let i = *e.get() as usize;
                let old = values.get_mut(i)?;
                if !replace(&value, old) {
                    return None;
                }
                *old = value;
                Some(i)
            }
            hashbrown::hash_table::Entry::Vacant(e) => {
                let i = u32::try_from(keys.len()).unwrap_or(u32::MAX);
                e.insert(i);
                keys.push(key);
                values.push(value);
                Some(i as usize)
            }
        }
    }

    /// `(key, value)` pairs in insertion order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.keys.iter().zip(self.values.iter())
    }

    /// The map with every pair passed through `f`, which must keep distinct keys
    /// distinct (the index is rebuilt at its final size, without growing).
    pub(crate) fn remapped(self, mut f: impl FnMut(K, V) -> (K, V)) -> Self {
        let n = self.keys.len();
        let mut keys = Vec::with_capacity(n);
        let mut values = Vec::with_capacity(n);
        for (k, v) in self.keys.into_iter().zip(self.values) {
            let (k, v) = f(k, v);
            keys.push(k);
            values.push(v);
        }
        let hasher = self.hasher;
        let mut index = HashTable::with_capacity(n);
        for (i, k) in (0u32..).zip(&keys) {
            index.insert_unique(hasher.hash_one(k), i, |&j| {
                keys.get(j as usize).map_or(0, |k| hasher.hash_one(k))
            });
        }
        Keyed {
            keys,
            values,
            index,
            hasher,
        }
    }

    /// `(key, value)` pairs in insertion order, consuming the map.
    pub(crate) fn into_pairs(self) -> impl Iterator<Item = (K, V)> {
        self.keys.into_iter().zip(self.values)
    }

    /// Values in insertion order.
    pub(crate) fn values(&self) -> impl Iterator<Item = &V> {
        self.values.iter()
    }

    /// Keys in insertion order.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &K> {
        self.keys.iter()
    }

    /// Number of records.
    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }

    /// Makes room for `additional` more records, so that they are added without growing
    /// the vectors or rehashing the index. Room the allocator refuses is left out (the
    /// store then grows as it fills).
    pub(crate) fn reserve(&mut self, additional: usize) {
        let _ = self.keys.try_reserve_exact(additional);
        let _ = self.values.try_reserve_exact(additional);
        let (keys, hasher) = (&self.keys, &self.hasher);
        let _ = self.index.try_reserve(additional, |&j| {
            keys.get(j as usize).map_or(0, |k| hasher.hash_one(k))
        });
    }

    /// Gives back the spare capacity of the key and value vectors (the vectors double as
    /// they grow, so up to half of a large store can be slack).
    pub(crate) fn shrink_to_fit(&mut self) {
        self.keys.shrink_to_fit();
        self.values.shrink_to_fit();
    }

    /// Approximate heap bytes.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.keys.capacity() * std::mem::size_of::<K>()
            + self.values.capacity() * std::mem::size_of::<V>()
            + self.index.capacity() * (std::mem::size_of::<u32>() + 1)
    }
}

/// Related records of one kind: per key, a head every merge keeps (what the creator
/// table and the report read: creator, provenance, the metrics `finish` uses) and, unless
/// the merger keeps heads only ([`super::MergeOptions::related_records`] off), the rest of
/// the record, stored apart at the head's position.
pub(crate) struct Records<K, H, D> {
    heads: Keyed<K, H>,
    details: Option<Vec<D>>,
}

impl<K: Hash + Eq, H, D> Records<K, H, D> {
    /// An empty store; `details` says whether the rest of each record is kept.
    pub(crate) fn new(details: bool) -> Self {
        Records {
            heads: Keyed::default(),
            details: details.then(Vec::new),
        }
    }

    /// The heads, by key.
    pub(crate) fn heads(&self) -> &Keyed<K, H> {
        &self.heads
    }

    /// Whether the rest of each record is kept.
    pub(crate) fn has_details(&self) -> bool {
        self.details.is_some()
    }

    /// Number of records.
    pub(crate) fn len(&self) -> usize {
        self.heads.len()
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
        let Records { heads, details } = self;
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

    /// Makes room for `additional` more records ([`Keyed::reserve`]).
    pub(crate) fn reserve(&mut self, additional: usize) {
        self.heads.reserve(additional);
        if let Some(d) = &mut self.details {
            let _ = d.try_reserve_exact(additional);
        }
    }

    /// Gives back spare capacity.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.heads.shrink_to_fit();
        if let Some(d) = &mut self.details {
            d.shrink_to_fit();
        }
    }

    /// Approximate heap bytes.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.heads.heap_bytes()
            + self
                .details
                .as_ref()
                .map_or(0, |d| d.capacity() * std::mem::size_of::<D>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upsert_keeps_or_replaces() {
        let mut k: Keyed<u64, u32> = Keyed::default();
        for i in 0..1000u64 {
            k.upsert(i % 100, u32::try_from(i).unwrap_or(0), |new, old| new > old);
        }
        assert_eq!(k.len(), 100);
        assert_eq!(k.get(&7), Some(&907));
        assert_eq!(k.iter().next(), Some((&0, &900)));
        assert!(k.heap_bytes() > 0);
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
