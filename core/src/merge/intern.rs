//! Value interning: every distinct value is stored once and named by a `u32`.
//!
//! Candidates then compare and dedupe by id, and a value seen on many rows
//! (a city, a state, a product name) costs its bytes once.

use std::hash::Hash;

use hashbrown::HashTable;

use crate::identity::{E164, Email, MaskedPhone};

/// How an interned value is hashed and compared.
pub(crate) trait InternKey {
    /// The part of the value that identifies it.
    type Key: Hash + Eq + ?Sized;
    /// The key of this value.
    fn key(&self) -> &Self::Key;
}

impl InternKey for Box<str> {
    type Key = str;
    fn key(&self) -> &str {
        self
    }
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
pub(crate) struct Interner<T> {
    items: Vec<T>,
    table: HashTable<u32>,
    hasher: ahash::RandomState,
}

impl<T: InternKey> Default for Interner<T> {
    fn default() -> Self {
        Interner {
            items: Vec::new(),
            table: HashTable::new(),
            hasher: ahash::RandomState::with_seeds(0x5eed, 0xc0ffee, 0xfeed, 0xbeef),
        }
    }
}

impl<T: InternKey> Interner<T> {
    /// The id of the value whose key is `key`, if present.
    pub(crate) fn find(&self, key: &T::Key) -> Option<u32> {
        let hash = self.hasher.hash_one(key);
        let items = &self.items;
        self.table
            .find(hash, |&id| {
                items.get(id as usize).is_some_and(|it| it.key() == key)
            })
            .copied()
    }

    /// The id of the value whose key is `key`, inserting `make()` when absent.
    pub(crate) fn intern_with(&mut self, key: &T::Key, make: impl FnOnce() -> T) -> u32 {
        if let Some(id) = self.find(key) {
            return id;
        }
        let hash = self.hasher.hash_one(key);
        let id = u32::try_from(self.items.len()).unwrap_or(u32::MAX);
        self.items.push(make());
        let (items, hasher) = (&self.items, &self.hasher);
        self.table.insert_unique(hash, id, |&i| {
            items
                .get(i as usize)
                .map_or(0, |it| hasher.hash_one(it.key()))
        });
        id
    }

    /// The values, each at the index of its id.
    pub(crate) fn into_items(self) -> Vec<T> {
        self.items
    }

    /// The value with id `id`.
    pub(crate) fn get(&self, id: u32) -> Option<&T> {
        self.items.get(id as usize)
    }

    /// Number of distinct values.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }
}

impl Interner<Box<str>> {
    /// Interns a string.
    pub(crate) fn intern(&mut self, s: &str) -> u32 {
        self.intern_with(s, || Box::from(s))
    }

    /// The string with id `id`, or `""`.
    pub(crate) fn str(&self, id: u32) -> &str {
        self.get(id).map_or("", |s| s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_value_same_id() {
        let mut i = Interner::<Box<str>>::default();
        let a = i.intern("austin");
        let b = i.intern("boston");
        assert_ne!(a, b);
        assert_eq!(i.intern("austin"), a);
        assert_eq!(i.str(b), "boston");
        assert_eq!(i.find("boston"), Some(b));
        assert_eq!(i.find("nope"), None);
        for n in 0..10_000 {
            i.intern(&n.to_string());
        }
        assert_eq!(i.find("austin"), Some(a));
        assert_eq!(i.len(), 10_002);
    }
}
