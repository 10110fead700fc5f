//! TikTok handles.

use crate::error::Result;

/// A normalized TikTok username: lower case, `[a-z0-9._]`, 2–24 chars, not ending in `.`.
///
/// The only way to get one is [`Handle::parse`], so every `Handle` is valid.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct Handle(Box<str>);

impl Handle {
    /// Parses a username, `@name`, or profile URL (`https://www.tiktok.com/@name?lang=en`).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) on field `handle`, with the reason.
    pub fn parse(raw: &str) -> Result<Handle> {
        let _ = raw;
        todo!()
    }

    /// The normalized handle, without `@`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// [`Handle::parse`] returning the normalized text.
///
/// # Errors
/// As [`Handle::parse`].
pub fn normalize_handle(raw: &str) -> Result<String> {
    Handle::parse(raw).map(|h| h.as_str().to_owned())
}
