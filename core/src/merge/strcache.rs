//! A parse cache keyed by raw cell text, without one allocation per key.
//!
//! The keys of a per-file cache (every distinct handle, email, phone, name and address
//! cell of a file) are appended to one text arena and named by their span, so caching a
//! value costs no allocation of its own and dropping the cache frees a few buffers
//! instead of one block per distinct cell.

use hashbrown::HashTable;

/// Raw text → cached parse result.
pub(crate) struct StrCache<V> {
    arena: String,
    table: HashTable<(u32, u32, V)>,
    hasher: ahash::RandomState,
}

impl<V> Default for StrCache<V> {
    fn default() -> Self {
        StrCache {
            arena: String::new(),
            table: HashTable::new(),
            hasher: ahash::RandomState::with_seeds(0x51, 0xca, 0xc4e, 0x5eed),
        }
    }
}

/// The text of the span `(start, len)` in `arena` (empty if out of range, which the
/// cache never produces).
fn span(arena: &str, start: u32, len: u32) -> &str {
    let start = start as usize;
    arena.get(start..start + len as usize).unwrap_or("")
}

impl<V: Copy> StrCache<V> {
    /// The cached value for `key`.
    pub(crate) fn get(&self, key: &str) -> Option<V> {
        let hash = self.hasher.hash_one(key);
        let arena = &self.arena;
        self.table
            .find(hash, |&(s, l, _)| span(arena, s, l) == key)
            .map(|&(_, _, v)| v)
    }

    /// Caches `value` for `key`, replacing an earlier value. A key that would not fit
    /// the arena's `u32` offsets is not cached (the caller parses it again next time).
    pub(crate) fn insert(&mut self, key: &str, value: V) {
        let hash = self.hasher.hash_one(key);
        let StrCache {
            arena,
            table,
            hasher,
        } = self;
        if let Some(e) = table.find_mut(hash, |&(s, l, _)| span(arena, s, l) == key) {
            e.2 = value;
            return;
        }
        let (Ok(start), Ok(len)) = (u32::try_from(arena.len()), u32::try_from(key.len())) else {
            return;
        };
        if start.checked_add(len).is_none() {
            return;
        }
        arena.push_str(key);
        let arena = &*arena;
        table.insert_unique(hash, (start, len, value), |&(s, l, _)| {
            hasher.hash_one(span(arena, s, l))
        });
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
