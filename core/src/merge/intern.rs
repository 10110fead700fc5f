//! Value interning: every distinct value is stored once and named by a `u32`; strings in
//! one text arena.
//!
//! Candidates then compare and dedupe by id, and a value seen on many rows
//! (a city, a state, a product name) costs its bytes once.

use std::hash::Hash;

use super::{ids::IdIndex, state::next_id};
use crate::identity::{E164, Email, MaskedPhone};

/// How an interned value is hashed and compared.
pub(crate) trait InternKey {
    /// The part of the value that identifies it.
    type Key: Hash + Eq + ?Sized;
    /// The key of this value.
    fn key(&self) -> &Self::Key;
}

impl InternKey for Email {
    type Key = str;
    fn key(&self) -> &str {
        self.as_str()
    }
}

impl InternKey for E164 {
    type Key = str;
    fn key(&self) -> &str {
        self.as_str()
    }
}

impl InternKey for MaskedPhone {
    type Key = MaskedPhone;
    fn key(&self) -> &MaskedPhone {
        self
    }
}

/// A set of distinct values, each with a dense `u32` id in insertion order.
#[derive(Clone)]
pub(crate) struct Interner<T> {
    items: Vec<T>,
    table: IdIndex,
    hasher: ahash::RandomState,
}

impl<T: InternKey> Default for Interner<T> {
    fn default() -> Self {
        Interner {
            items: Vec::new(),
            table: IdIndex::default(),
            hasher: ahash::RandomState::with_seeds(0x5eed, 0xc0ffee, 0xfeed, 0xbeef),
        }
    }
}

impl<T: InternKey> Interner<T> {
    /// The id of the value whose key is `key`, if present.
    pub(crate) fn find(&self, key: &T::Key) -> Option<u32> {
        let items = &self.items;
        self.table.find(self.hasher.hash_one(key), |id| {
            items.get(id as usize).is_some_and(|it| it.key() == key)
        })
    }

    /// The id of the value whose key is `key`, inserting `make()` when absent.
    pub(crate) fn intern_with(&mut self, key: &T::Key, make: impl FnOnce() -> T) -> u32 {
        let Interner {
            items,
            table,
            hasher,
        } = self;
        let found = table.find_or_insert(
            hasher.hash_one(key),
            |id| items.get(id as usize).is_some_and(|it| it.key() == key),
            || next_id(items.len()),
        );
        found.unwrap_or_else(|id| {
            items.push(make());
            id
        })
    }

    /// The values, each at the index of its id.
    pub(crate) fn into_items(self) -> Vec<T> {
        self.items
    }

    /// The value with id `id`.
    ///
    /// # Panics
    /// Never for an id this interner gave: ids are dense positions of values that are
    /// never removed (a merger folding another in maps the other's ids to its own first).
    #[allow(clippy::expect_used)]
    pub(crate) fn get(&self, id: u32) -> &T {
        self.items
            .get(id as usize)
            .expect("an interned id names a value of its own interner")
    }
}

/// Strings appended one after another into one buffer, each named by a dense `u32` id in
/// insertion order: no allocation per string, and dropping them frees two buffers.
#[derive(Default, Clone)]
pub(crate) struct TextArena {
    text: String,
    /// End offset of each string in `text`; string `i` starts where `i - 1` ends.
    ends: Vec<usize>,
}

impl TextArena {
    /// Appends `s`; its id.
    pub(crate) fn push(&mut self, s: &str) -> u32 {
        let id = next_id(self.ends.len());
        self.text.push_str(s);
        self.ends.push(self.text.len());
        id
    }

    /// The string with id `id`.
    ///
    /// # Panics
    /// Never for an id this arena gave: string `i` is the text between the end of string
    /// `i - 1` and its own end, both offsets of pushes made on char boundaries, and no
    /// string is ever removed.
    #[allow(clippy::expect_used)]
    pub(crate) fn get(&self, id: u32) -> &str {
        let i = id as usize;
        let start = match i.checked_sub(1) {
            Some(prev) => self.ends.get(prev).copied(),
            None => Some(0),
        };
        start
            .zip(self.ends.get(i).copied())
            .and_then(|(start, end)| self.text.get(start..end))
            .expect("a text id names a string of its own arena")
    }

    /// Number of strings.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The strings in id order.
    #[allow(clippy::expect_used)]
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let s = self
                .text
                .get(start..end)
                .expect("the arena's ends are char boundaries in order");
            start = end;
            s
        })
    }
}

/// A set of distinct strings kept in a [`TextArena`], each with a dense `u32` id.
#[derive(Clone)]
pub(crate) struct StrInterner {
    arena: TextArena,
    table: IdIndex,
    hasher: ahash::RandomState,
}

impl Default for StrInterner {
    fn default() -> Self {
        StrInterner {
            arena: TextArena::default(),
            table: IdIndex::default(),
            hasher: ahash::RandomState::with_seeds(0x5eed, 0xc0ffee, 0xfeed, 0xbeef),
        }
    }
}

impl StrInterner {
    /// The id of `s`, inserting it when absent.
    pub(crate) fn intern(&mut self, s: &str) -> u32 {
        let StrInterner {
            arena,
            table,
            hasher,
        } = self;
        let found = table.find_or_insert(
            hasher.hash_one(s),
            |id| arena.get(id) == s,
            || next_id(arena.ends.len()),
        );
        found.unwrap_or_else(|id| {
            arena.push(s);
            id
        })
    }

    /// The string with id `id` (see [`TextArena::get`]).
    pub(crate) fn str(&self, id: u32) -> &str {
        self.arena.get(id)
    }

    /// The strings in id order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> {
        self.arena.iter()
    }

    /// Number of distinct strings.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.arena.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_value_same_id() {
        let mut i = StrInterner::default();
        let a = i.intern("austin");
        let b = i.intern("boston");
        assert_ne!(a, b);
        assert_eq!(i.intern("austin"), a);
        assert_eq!(i.str(b), "boston");
        for n in 0..10_000 {
            i.intern(&n.to_string());
        }
        assert_eq!(i.intern("austin"), a);
        assert_eq!(i.len(), 10_002);
        assert_eq!(i.iter().nth(1), Some("boston"));
    }

    #[test]
    fn arena_keeps_every_string_apart() {
        let mut a = TextArena::default();
        let ids: Vec<u32> = ["", "ab", "", "cde", "ab"]
            .iter()
            .map(|s| a.push(s))
            .collect();
        assert_eq!(ids, [0, 1, 2, 3, 4]);
        let got: Vec<&str> = a.iter().collect();
        assert_eq!(got, ["", "ab", "", "cde", "ab"]);
        assert_eq!(a.get(3), "cde");
        assert_eq!(a.len(), 5);
    }
}
