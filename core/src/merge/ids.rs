//! A hash index of dense `u32` ids whose keys are stored elsewhere (a creator table, an
//! interner's values), each entry carrying 32 bits of its key's hash.
//!
//! Entries are single words in one array, probed in order from the key's slot (linear
//! probing, kept at most half full): a lookup reads one cache line of the index, where a
//! table of control bytes and buckets reads two, then the key itself only when the hash
//! bits match. The index grows without reading a key back (the bits say where each entry
//! goes). Lookups are what importing a row costs most: every creator, email, phone and
//! interned text is found through one.

/// An index of ids by key hash; the caller compares keys.
#[derive(Default)]
pub(crate) struct IdIndex {
    /// Per slot: the key's 32 hash bits above, the id below; [`EMPTY`] when free. A power
    /// of two long (or empty).
    slots: Vec<u64>,
    /// Entries held.
    len: usize,
}

/// A free slot. (The entry of id `u32::MAX` with hash bits `u32::MAX` would read as free:
/// no merge holds four billion values.)
const EMPTY: u64 = u64::MAX;

/// Fewest slots of a non-empty index.
const MIN_SLOTS: usize = 16;

/// The 32 bits of a key's hash an entry keeps.
#[inline]
fn bits(hash: u64) -> u32 {
    hash as u32
}

/// A key's hash bits `h` spread over 64 bits by an odd multiplier; a table takes its slot
/// from the top bits.
#[inline]
pub(crate) fn spread(h: u32) -> u64 {
    u64::from(h).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// Where a probe for an entry with hash bits `h` starts, in `slots` slots (a power of two).
#[inline]
fn home(h: u32, slots: usize) -> usize {
    let shift = 64 - slots.trailing_zeros();
    usize::try_from(spread(h).checked_shr(shift).unwrap_or(0)).unwrap_or(0)
}

impl IdIndex {
    /// The slot holding the entry with hash bits `h` whose id satisfies `is_key`, or the
    /// free slot where it would go; `None` for an index without slots.
    #[inline]
    fn probe(&self, h: u32, mut is_key: impl FnMut(u32) -> bool) -> Option<(usize, Option<u32>)> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut at = home(h, self.slots.len());
        // At most half the slots are taken, so a free one ends every probe.
        for _ in 0..self.slots.len() {
            let e = *self.slots.get(at)?;
            if e == EMPTY {
                return Some((at, None));
            }
            if (e >> 32) as u32 == h && is_key(e as u32) {
                return Some((at, Some(e as u32)));
            }
            at = (at + 1) & mask;
        }
        None
    }

    /// The id whose key has hash `hash` and satisfies `is_key`.
    #[inline]
    pub(crate) fn find(&self, hash: u64, is_key: impl FnMut(u32) -> bool) -> Option<u32> {
        self.probe(bits(hash), is_key)?.1
    }

    /// Adds `id` under `hash` (the caller knows its key is not in the index yet).
    #[inline]
    pub(crate) fn insert(&mut self, hash: u64, id: u32) {
        let _ = self.find_or_insert(hash, |_| false, || id);
    }

    /// The id whose key has hash `hash` and satisfies `is_key`, else `Err` of the id
    /// `new_id()` gives, added under `hash`: one probe either way.
    #[inline]
    pub(crate) fn find_or_insert(
        &mut self,
        hash: u64,
        is_key: impl FnMut(u32) -> bool,
        new_id: impl FnOnce() -> u32,
    ) -> Result<u32, u32> {
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let h = bits(hash);
        let found = self.probe(h, is_key);
        if let Some((_, Some(id))) = found {
            return Ok(id);
        }
        let id = new_id();
        if let Some(slot) = found.and_then(|(at, _)| self.slots.get_mut(at)) {
            *slot = (u64::from(h) << 32) | u64::from(id);
            self.len += 1;
        }
        Err(id)
    }

    /// Doubles the slots, placing every entry again by its hash bits.
    #[cold]
    fn grow(&mut self) {
        let n = (self.slots.len() * 2).max(MIN_SLOTS);
        let old = std::mem::replace(&mut self.slots, vec![EMPTY; n]);
        let mask = n - 1;
        for e in old.into_iter().filter(|&e| e != EMPTY) {
            let mut at = home((e >> 32) as u32, n);
            while let Some(slot) = self.slots.get_mut(at) {
                if *slot == EMPTY {
                    *slot = e;
                    break;
                }
                at = (at + 1) & mask;
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
