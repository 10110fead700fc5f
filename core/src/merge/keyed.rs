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

    /// Inserts `value` under `key`, or replaces the value there when `replace(new, old)`.
    pub(crate) fn upsert(&mut self, key: K, value: V, replace: impl Fn(&V, &V) -> bool) {
        if let Some(i) = self.position(&key) {
            if let Some(old) = self.values.get_mut(i)
                && replace(&value, old)
            {
                *old = value;
            }
            return;
        }
        let hash = self.hasher.hash_one(&key);
        let i = u32::try_from(self.keys.len()).unwrap_or(u32::MAX);
        self.keys.push(key);
        self.values.push(value);
        let (keys, hasher) = (&self.keys, &self.hasher);
        self.index.insert_unique(hash, i, |&j| {
            keys.get(j as usize).map_or(0, |k| hasher.hash_one(k))
        });
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
}
