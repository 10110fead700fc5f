//! A hash index of dense `u32` ids whose keys are stored elsewhere (a creator table, an
//! interner's values), each entry carrying 32 bits of its key's hash.
//!
//! With the hash bits at hand the index grows without reading a single key back (a
//! `HashTable<u32>` would hash every key again on each doubling, reading it from wherever
//! it lives), and a lookup reads a key only when those bits match too.

use hashbrown::HashTable;

/// An index of ids by key hash; the caller compares keys.
#[derive(Default)]
pub(crate) struct IdIndex {
    /// Per entry: the key's 32 hash bits above, the id below.
    table: HashTable<u64>,
}

/// The 32 bits of a key's hash an entry keeps.
#[inline]
fn bits(hash: u64) -> u32 {
    hash as u32
}

/// The table's hash of a key whose hash bits are `h`: a multiplication by an odd
/// constant spreads them over the 64 bits (a hash table reads its bucket from the low
/// bits and a 7-bit tag from the top ones).
#[inline]
pub(crate) fn spread(h: u32) -> u64 {
    u64::from(h).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

#[inline]
fn entry_hash(e: u64) -> u64 {
    spread((e >> 32) as u32)
}

impl IdIndex {
    /// The id whose key has hash `hash` and satisfies `is_key`.
    #[inline]
    pub(crate) fn find(&self, hash: u64, mut is_key: impl FnMut(u32) -> bool) -> Option<u32> {
        let h = bits(hash);
        self.table
            .find(spread(h), |&e| (e >> 32) as u32 == h && is_key(e as u32))
            .map(|&e| e as u32)
    }

    /// Adds `id` under `hash` (the caller knows its key is not in the index yet).
    #[inline]
    pub(crate) fn insert(&mut self, hash: u64, id: u32) {
        let h = bits(hash);
        self.table
            .insert_unique(spread(h), (u64::from(h) << 32) | u64::from(id), |&e| {
                entry_hash(e)
            });
    }

    /// The id whose key has hash `hash` and satisfies `is_key`, else `Err` of the id
    /// `new_id()` gives, added under `hash`: one probe either way.
    #[inline]
    pub(crate) fn find_or_insert(
        &mut self,
        hash: u64,
        mut is_key: impl FnMut(u32) -> bool,
        new_id: impl FnOnce() -> u32,
    ) -> Result<u32, u32> {
        let h = bits(hash);
        match self.table.entry(
            spread(h),
            |&e| (e >> 32) as u32 == h && is_key(e as u32),
            |&e| entry_hash(e),
        ) {
            hashbrown::hash_table::Entry::Occupied(e) => Ok(*e.get() as u32),
            hashbrown::hash_table::Entry::Vacant(e) => {
                let id = new_id();
                e.insert((u64::from(h) << 32) | u64::from(id));
                Err(id)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::IdIndex;

    #[test]
    fn finds_each_id_by_its_key_through_growth_and_equal_hash_bits() {
        let keys: Vec<String> = (0..50_000).map(|i| format!("k{i}")).collect();
        let state = ahash::RandomState::with_seeds(1, 2, 3, 4);
        // Every fourth key shares its hash with the previous one: the key comparison,
        // not the hash, tells them apart.
        let hash = |i: usize| state.hash_one(i - i % 2 * usize::from(i % 4 == 1));
        let mut index = IdIndex::default();
        for (i, k) in keys.iter().enumerate() {
            let id = u32::try_from(i).unwrap();
            let got = index.find_or_insert(hash(i), |j| keys[j as usize] == *k, || id);
            assert_eq!(got, Err(id));
        }
        for (i, k) in keys.iter().enumerate() {
            let id = u32::try_from(i).unwrap();
            assert_eq!(index.find(hash(i), |j| keys[j as usize] == *k), Some(id));
            assert_eq!(
                index.find_or_insert(hash(i), |j| keys[j as usize] == *k, || u32::MAX),
                Ok(id)
            );
        }
        assert_eq!(index.find(hash(7), |_| false), None);
        let mut by_insert = IdIndex::default();
        by_insert.insert(hash(3), 3);
        assert_eq!(by_insert.find(hash(3), |j| j == 3), Some(3));
    }
}
