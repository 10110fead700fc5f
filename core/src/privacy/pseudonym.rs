//! Stable pseudonymous supporter ids: a keyed hash (HMAC-SHA256) of the
//! host's id, so creators can recognise a supporter across sessions without
//! learning the host's id, and nobody without the key can link the two.

use std::fmt;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::{
    error::{Error, Result},
    supporters::SupporterId,
};

/// Domain separation for the HMAC input, so the same key used elsewhere
/// cannot produce colliding values.
const CONTEXT: &[u8] = b"creator-crm/supporter-pseudonym/v1\0";

/// Minimum key length in bytes.
pub const MIN_KEY_LEN: usize = 16;

/// A pseudonymous supporter id: `sp_` and 16 lower-case hex digits (the
/// first 64 bits of HMAC-SHA256(key, id)). Stable for a given key and id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PseudonymousId(String);

impl PseudonymousId {
    /// The id as text (`sp_3f9a…`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A short tag for labels: the first four hex digits (`3f9a`).
    pub fn short(&self) -> &str {
        self.0.get(3..7).unwrap_or(&self.0)
    }
}

impl fmt::Display for PseudonymousId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Turns host supporter ids into [`PseudonymousId`]s with a key the host
/// supplies (and keeps secret). Use one key per creator when ids must not be
/// linkable across creators.
///
/// `Debug` does not show the key.
///
/// ```
/// use creator_crm::privacy::Pseudonymizer;
/// use creator_crm::supporters::SupporterId;
///
/// let p = Pseudonymizer::new(b"a host secret of 16+ bytes").unwrap();
/// let a = p.pseudonym(&SupporterId::from("s-42"));
/// assert_eq!(a, p.pseudonym(&SupporterId::from("s-42")));
/// assert!(a.as_str().starts_with("sp_") && a.as_str().len() == 19);
/// assert_ne!(a, p.pseudonym(&SupporterId::from("s-43")));
/// ```
#[derive(Clone)]
pub struct Pseudonymizer {
    mac: Hmac<Sha256>,
}

impl fmt::Debug for Pseudonymizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pseudonymizer { key: <redacted> }")
    }
}

impl Pseudonymizer {
    /// A pseudonymizer keyed with `key` (at least [`MIN_KEY_LEN`] bytes).
    ///
    /// # Errors
    /// `InvalidInput` on field `key` when the key is shorter than 16 bytes.
    pub fn new(key: &[u8]) -> Result<Self> {
        if key.len() < MIN_KEY_LEN {
            return Err(Error::invalid(
                "key",
                "pseudonym key must be at least 16 bytes",
            ));
        }
        let mac = Hmac::<Sha256>::new_from_slice(key)
            .map_err(|_| Error::invalid("key", "unusable pseudonym key"))?;
        Ok(Pseudonymizer { mac })
    }

    /// The pseudonymous id of `id`.
    pub fn pseudonym(&self, id: &SupporterId) -> PseudonymousId {
        let mut mac = self.mac.clone();
        mac.update(CONTEXT);
        mac.update(id.as_str().as_bytes());
        let digest = mac.finalize().into_bytes();
        let mut out = String::with_capacity(19);
        out.push_str("sp_");
        out.push_str(&hex::encode(digest.get(..8).unwrap_or_default()));
        PseudonymousId(out)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn keys_matter_and_short_keys_are_rejected() {
        let id = SupporterId::from("s-1");
        let a = Pseudonymizer::new(&[1; 16]).unwrap().pseudonym(&id);
        let b = Pseudonymizer::new(&[2; 16]).unwrap().pseudonym(&id);
        assert_ne!(a, b);
        assert_eq!(a.short().len(), 4);
        let e = Pseudonymizer::new(b"short").unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidInput);
        assert_eq!(e.field(), Some("key"));
        assert!(!format!("{:?}", Pseudonymizer::new(&[7; 16]).unwrap()).contains('7'));
    }
}
