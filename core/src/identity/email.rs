//! Email addresses.

use crate::error::Result;

/// A normalized (trimmed, lower-case), syntactically valid email that is not a placeholder.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(Box<str>);

impl Email {
    /// Parses an email. `Ok(None)` for placeholders (`n/a`, `none`, `-`, `test@test.com`, `noreply@…`, empty).
    ///
    /// # Errors
    /// `InvalidInput` on field `email` for bad syntax.
    pub fn parse(raw: &str) -> Result<Option<Email>> {
        let _ = raw;
        todo!()
    }

    /// The normalized address.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after `@`.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, d)| d)
    }
}

/// [`Email::parse`] returning the normalized text.
///
/// # Errors
/// As [`Email::parse`].
pub fn normalize_email(raw: &str) -> Result<Option<String>> {
    Email::parse(raw).map(|e| e.map(|e| e.as_str().to_owned()))
}
