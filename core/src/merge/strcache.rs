//! A parse cache keyed by raw cell text, without one allocation per key.
//!
//! The keys of a per-file cache (every distinct handle, email, phone, name and address
//! cell of a file) are appended to one text arena and named by their span, so caching a
//! value costs no allocation of its own and dropping the cache frees a few buffers
//! instead of one block per distinct cell.

use super::ids::{Found, Probed, Slot, bits};

/// Raw text → cached parse result.
pub(crate) struct StrCache<V> {
    arena: String,
    table: Probed<Option<Entry<V>>>,
    hasher: ahash::RandomState,
}

/// A cached key (its span in the arena and 32 bits of its hash) and its value.
#[derive(Clone, Copy)]
pub(crate) struct Entry<V> {
    hash: u32,
    start: u32,
    len: u32,
    value: V,
}

impl<V: Copy> Slot for Option<Entry<V>> {
    const FREE: Self = None;
    fn is_free(&self) -> bool {
        self.is_none()
    }
    fn bits(&self) -> u32 {
        self.as_ref().map_or(0, |e| e.hash)
    }
}

impl<V> Default for StrCache<V> {
    fn default() -> Self {
        StrCache {
            arena: String::new(),
            table: Probed::default(),
            hasher: ahash::RandomState::with_seeds(0x51, 0xca, 0xc4e, 0x5eed),
        }
    }
}

/// The text of the span `(start, len)` in `arena`.
///
/// # Panics
/// Never for an entry's span: the cache appends each key to the arena whole and records
/// where it starts and how long it is, so the span is in range and on char boundaries.
#[allow(clippy::expect_used)]
fn span(arena: &str, start: u32, len: u32) -> &str {
    let start = start as usize;
    arena
        .get(start..start + len as usize)
        .expect("an entry's span is a key appended to its own arena")
}

/// Whether `e` is the entry of `key`.
fn is_entry<V>(arena: &str, key: &str, e: &Option<Entry<V>>) -> bool {
    e.as_ref()
        .is_some_and(|e| span(arena, e.start, e.len) == key)
}

impl<V: Copy> StrCache<V> {
    /// The cached value for `key`.
    pub(crate) fn get(&self, key: &str) -> Option<V> {
        let h = bits(self.hasher.hash_one(key));
        let arena = &self.arena;
        self.table
            .find(h, |e| is_entry(arena, key, e))
            .and_then(|e| e.map(|e| e.value))
    }

    /// Caches `value` for `key`, replacing an earlier value. A key that would not fit
    /// the arena's `u32` offsets is not cached (the caller parses it again next time).
    pub(crate) fn insert(&mut self, key: &str, value: V) {
        let h = bits(self.hasher.hash_one(key));
        let StrCache { arena, table, .. } = self;
        let slot = match table.entry(h, |e| is_entry(arena, key, e)) {
            Some(Found::Taken(Some(e))) => {
                e.value = value;
                return;
            }
            Some(Found::Free(slot)) => slot,
            Some(Found::Taken(None)) | None => return,
        };
        let (Ok(start), Ok(len)) = (u32::try_from(arena.len()), u32::try_from(key.len())) else {
            return;
        };
        if start.checked_add(len).is_none() {
            return;
        }
        arena.push_str(key);
        slot.insert(Some(Entry {
            hash: h,
            start,
            len,
            value,
        }));
    }

    /// Forgets every entry, keeping the allocations.
    pub(crate) fn clear(&mut self) {
        self.arena.clear();
        self.table.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::StrCache;

    #[test]
    fn keys_are_found_by_text_and_values_replaced() {
        let mut c: StrCache<u32> = StrCache::default();
        assert_eq!(c.get("a"), None);
        for i in 0..1000u32 {
            c.insert(&format!("key {i}"), i);
        }
        c.insert("", 7);
        c.insert("key 5", 55);
        assert_eq!(c.get("key 5"), Some(55));
        assert_eq!(c.get("key 999"), Some(999));
        assert_eq!(c.get(""), Some(7));
        assert_eq!(c.get("key 1000"), None);
        c.clear();
        assert_eq!(c.get("key 5"), None);
    }
}
