//! Erasure that survives re-imports: a salted, hashed suppression list.
//!
//! When a person asks to be erased, the host deletes their data and keeps only
//! `SHA-256(salt ‖ kind ‖ normalized value)` of their handle, email and phone.
//! A merge leaves out every creator whose handle, or any email or full phone
//! seen for them, hashes to an entry, so importing an old CSV cannot bring
//! them back. The salt is the host's secret; without it the hashes cannot be
//! checked against guessed values.

use std::collections::HashSet;

use sha2::{Digest, Sha256};

use crate::identity::{E164, Email, Handle};

/// A set of suppression hashes with the host's salt.
#[derive(Clone, Default)]
pub struct SuppressionList {
    salt: Vec<u8>,
    hashes: HashSet<[u8; 32]>,
}

impl std::fmt::Debug for SuppressionList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SuppressionList")
            .field("entries", &self.hashes.len())
            .finish_non_exhaustive()
    }
}

impl SuppressionList {
    /// An empty list whose hashes use `salt`.
    pub fn new(salt: impl AsRef<[u8]>) -> Self {
        SuppressionList {
            salt: salt.as_ref().to_vec(),
            hashes: HashSet::new(),
        }
    }

    fn hash(&self, kind: &[u8], value: &str) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(&self.salt);
        h.update(kind);
        h.update([0u8]);
        h.update(value.as_bytes());
        h.finalize().into()
    }

    /// The hash stored for a handle.
    pub fn handle_hash(&self, handle: &Handle) -> [u8; 32] {
        self.handle_text_hash(handle.as_str())
    }

    /// [`SuppressionList::handle_hash`] of a normalized handle's text.
    pub(crate) fn handle_text_hash(&self, handle: &str) -> [u8; 32] {
        self.hash(b"handle", handle)
    }

    /// The hash stored for an email.
    pub fn email_hash(&self, email: &Email) -> [u8; 32] {
        self.hash(b"email", email.as_str())
    }

    /// The hash stored for a full phone number.
    pub fn phone_hash(&self, phone: &E164) -> [u8; 32] {
        self.hash(b"phone", phone.as_str())
    }

    /// Suppresses a handle.
    pub fn suppress_handle(&mut self, handle: &Handle) {
        let h = self.handle_hash(handle);
        self.hashes.insert(h);
    }

    /// Suppresses an email.
    pub fn suppress_email(&mut self, email: &Email) {
        let h = self.email_hash(email);
        self.hashes.insert(h);
    }

    /// Suppresses a phone number.
    pub fn suppress_phone(&mut self, phone: &E164) {
        let h = self.phone_hash(phone);
        self.hashes.insert(h);
    }

    /// Adds a stored hash (as the host kept it).
    pub fn insert_hash(&mut self, hash: [u8; 32]) {
        self.hashes.insert(hash);
    }

    /// True when `hash` is in the list.
    pub fn contains(&self, hash: &[u8; 32]) -> bool {
        self.hashes.contains(hash)
    }

    /// The stored hashes, for the host to persist (unordered).
    pub fn hashes(&self) -> impl Iterator<Item = &[u8; 32]> {
        self.hashes.iter()
    }

    /// The salt the hashes use (for a plan that carries the list to other processes).
    pub(crate) fn salt(&self) -> &[u8] {
        &self.salt
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// True when nothing is suppressed.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn salted_hashes_match_only_with_the_same_salt() {
        let h = Handle::parse("@Erased.Person").unwrap();
        let mut a = SuppressionList::new("salt-a");
        a.suppress_handle(&h);
        assert!(a.contains(&a.handle_hash(&h)));
        let b = SuppressionList::new("salt-b");
        assert!(!a.contains(&b.handle_hash(&h)));
        assert_eq!(a.len(), 1);
        assert!(!format!("{a:?}").contains("erased"));
    }
}
