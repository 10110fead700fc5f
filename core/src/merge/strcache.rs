//! A parse cache keyed by raw cell text, without one allocation per key.
//!
//! The keys of a per-file cache (every distinct handle, email, phone, name and address
//! cell of a file) are appended to one text arena and named by their span, so caching a
//! value costs no allocation of its own and dropping the cache frees a few buffers
//! instead of one block per distinct cell.

use hashbrown::HashTable;

use super::ids::spread;

/// Raw text → cached parse result.
pub(crate) struct StrCache<V> {
    arena: String,
    table: HashTable<Entry<V>>,
    hasher: ahash::RandomState,
}

/// A cached key (its span in the arena and 32 bits of its hash) and its value.
///
/// With the hash bits in the entry the table grows without reading any key back from
/// the arena, and a lookup reads a key's text only when those bits match.
#[derive(Clone, Copy)]
struct Entry<V> {
    hash: u32,
    start: u32,
    len: u32,
    value: V,
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
        let hash = self.hasher.hash_one(key) as u32;
        let arena = &self.arena;
        self.table
            .find(spread(hash), |e| {
                e.hash == hash && span(arena, e.start, e.len) == key
            })
            .map(|e| e.value)
    }

    /// Caches `value` for `key`, replacing an earlier value. A key that would not fit
    /// the arena's `u32` offsets is not cached (the caller parses it again next time).
    pub(crate) fn insert(&mut self, key: &str, value: V) {
        let hash = self.hasher.hash_one(key) as u32;
        let StrCache { arena, table, .. } = self;
        let found = table.entry(
            spread(hash),
            |e| e.hash == hash && span(arena, e.start, e.len) == key,
            |e| spread(e.hash),
        );
        let vacant = match found {
            hashbrown::hash_table::Entry::Occupied(mut e) => {
                e.get_mut().value = value;
                return;
            }
            hashbrown::hash_table::Entry::Vacant(v) => v,
        };
        let (Ok(start), Ok(len)) = (u32::try_from(arena.len()), u32::try_from(key.len())) else {
            return;
        };
        if start.checked_add(len).is_none() {
            return;
        }
        arena.push_str(key);
        vacant.insert(Entry {
            hash,
            start,
            len,
            value,
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
