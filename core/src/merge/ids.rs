//! Hash tables of small entries in one array, probed in order: the index of dense `u32`
//! ids whose keys are stored elsewhere ([`IdIndex`]: a creator table, an interner's
//! values) and the parse caches ([`super::strcache::StrCache`]).
//!
//! Each entry carries 32 bits of its key's hash and sits in one array kept at most half
//! full, probed linearly from the key's slot: a lookup reads one cache line of the table,
//! where a table of control bytes and buckets reads two, then the key itself only when the
//! hash bits match. The table grows without reading a key back (the bits say where each
//! entry goes). Lookups are what importing a row costs most: every creator, email, phone,
//! interned text and cached cell is found through one.

/// An entry of a [`Probed`] table.
pub(crate) trait Slot: Copy {
    /// A free slot.
    const FREE: Self;
    /// Whether this slot is free.
    fn is_free(&self) -> bool;
    /// The 32 hash bits of the entry's key.
    fn bits(&self) -> u32;
}

/// A hash table of [`Slot`]s; the caller compares keys.
#[derive(Clone)]
pub(crate) struct Probed<E> {
    /// A power of two long (or empty).
    slots: Vec<E>,
    /// Entries held.
    len: usize,
}

impl<E> Default for Probed<E> {
    fn default() -> Self {
        Probed {
            slots: Vec::new(),
            len: 0,
        }
    }
}

/// Fewest slots of a non-empty table.
const MIN_SLOTS: usize = 16;

/// The 32 bits of a key's hash an entry keeps.
#[inline]
pub(crate) fn bits(hash: u64) -> u32 {
    hash as u32
}

/// Where a probe for an entry with hash bits `h` starts, in `slots` slots (a power of two):
/// the top bits of the bits spread over 64 by an odd multiplier.
#[inline]
fn home(h: u32, slots: usize) -> usize {
    let spread = u64::from(h).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let shift = 64 - slots.trailing_zeros();
    usize::try_from(spread.checked_shr(shift).unwrap_or(0)).unwrap_or(0)
}

/// What [`Probed::entry`] found.
pub(crate) enum Found<'a, E> {
    /// The entry of the key.
    Taken(&'a mut E),
    /// The free slot where the key's entry goes.
    Free(Vacant<'a, E>),
}

/// A free slot of a table, to fill with [`Vacant::insert`].
pub(crate) struct Vacant<'a, E> {
    table: &'a mut Probed<E>,
    at: usize,
}

impl<E: Slot> Vacant<'_, E> {
    /// Fills the slot with `entry` (which must have the key's hash bits).
    pub(crate) fn insert(self, entry: E) {
        if let Some(slot) = self.table.slots.get_mut(self.at) {
            *slot = entry;
            self.table.len += 1;
        }
    }
}

impl<E: Slot> Probed<E> {
    /// The slot holding the entry with hash bits `h` that `is_key` accepts, or the free
    /// slot where it would go, and which of the two; `None` for a table without slots.
    #[inline]
    fn probe(&self, h: u32, mut is_key: impl FnMut(&E) -> bool) -> Option<(usize, bool)> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut at = home(h, self.slots.len());
        // At most half the slots are taken, so a free one ends every probe.
        for _ in 0..self.slots.len() {
            let e = self.slots.get(at)?;
            if e.is_free() {
                return Some((at, false));
            }
            if e.bits() == h && is_key(e) {
                return Some((at, true));
            }
            at = (at + 1) & mask;
        }
        None
    }

    /// The entry with hash bits `h` that `is_key` accepts.
    #[inline]
    pub(crate) fn find(&self, h: u32, is_key: impl FnMut(&E) -> bool) -> Option<&E> {
        match self.probe(h, is_key)? {
            (at, true) => self.slots.get(at),
            (_, false) => None,
        }
    }

    /// The entry with hash bits `h` that `is_key` accepts, or the free slot for it: one
    /// probe either way.
    #[inline]
    pub(crate) fn entry(&mut self, h: u32, is_key: impl FnMut(&E) -> bool) -> Option<Found<'_, E>> {
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let (at, taken) = self.probe(h, is_key)?;
        Some(if taken {
            Found::Taken(self.slots.get_mut(at)?)
        } else {
            Found::Free(Vacant { table: self, at })
        })
    }

    /// Frees every slot, keeping the array.
    pub(crate) fn clear(&mut self) {
        self.slots.fill(E::FREE);
        self.len = 0;
    }

    /// Doubles the slots, placing every entry again by its hash bits.
    #[cold]
    fn grow(&mut self) {
        let n = (self.slots.len() * 2).max(MIN_SLOTS);
        let old = std::mem::replace(&mut self.slots, vec![E::FREE; n]);
        let mask = n - 1;
        for e in old.into_iter().filter(|e| !e.is_free()) {
            let mut at = home(e.bits(), n);
            while let Some(slot) = self.slots.get_mut(at) {
                if slot.is_free() {
                    *slot = e;
                    break;
                }
                at = (at + 1) & mask;
            }
        }
    }
}

/// An [`IdIndex`] entry: the key's 32 hash bits above, the id below. (The entry of id
/// `u32::MAX` with hash bits `u32::MAX` would read as free: no merge holds four billion
/// values.)
impl Slot for u64 {
    const FREE: u64 = u64::MAX;
    fn is_free(&self) -> bool {
        *self == u64::MAX
    }
    fn bits(&self) -> u32 {
        (*self >> 32) as u32
    }
}

/// An index of ids by key hash; the caller compares keys.
#[derive(Default, Clone)]
pub(crate) struct IdIndex {
    table: Probed<u64>,
}

impl IdIndex {
    /// The id whose key has hash `hash` and satisfies `is_key`.
    #[inline]
    pub(crate) fn find(&self, hash: u64, mut is_key: impl FnMut(u32) -> bool) -> Option<u32> {
        self.table
            .find(bits(hash), |&e| is_key(e as u32))
            .map(|&e| e as u32)
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
        mut is_key: impl FnMut(u32) -> bool,
        new_id: impl FnOnce() -> u32,
    ) -> Result<u32, u32> {
        let h = bits(hash);
        let id = match self.table.entry(h, |&e| is_key(e as u32)) {
            Some(Found::Taken(e)) => return Ok(*e as u32),
            Some(Found::Free(slot)) => {
                let id = new_id();
                slot.insert((u64::from(h) << 32) | u64::from(id));
                id
            }
            None => new_id(),
        };
        Err(id)
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
