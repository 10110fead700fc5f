//! The crate's one error type.
//!
//! Every fallible operation returns [`Error`]: a small boxed value with an
//! [`ErrorKind`] (what went wrong, for programs), the name of the field or
//! column concerned, the source line when it came from a file, and a short
//! lower-case reason (for people).
//!
//! **No personal data ever enters an error.** Reasons are static text or
//! built from lengths, counts, ids and field names, never from the value that
//! was rejected, so an error can be logged, shown or sent to a crash reporter
//! as it is.

use std::{borrow::Cow, fmt};

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What kind of failure an [`Error`] is. Bindings map each kind to one
/// exception class / error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A value could not be understood or is not allowed (a handle, phone, email, date, ...).
    InvalidInput,
    /// A source could not be read at all (I/O, encoding, a missing required column).
    Import,
    /// A template failed to parse, validate or render.
    Template,
    /// A message may not be sent: consent missing or revoked, quiet hours, missing opt-out.
    Consent,
    /// An action that creators may not take on supporters.
    Forbidden,
    /// A storage backend failed.
    Storage,
    /// A change expected a version of a stored row that the store no longer holds; the
    /// caller re-reads and retries.
    Conflict,
    /// A message provider failed.
    Messaging,
    /// A webhook failed verification: bad signature, stale timestamp or a replay.
    Webhook,
}

impl ErrorKind {
    /// A stable snake_case name, used as the error `code` in every binding.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::Import => "import",
            ErrorKind::Template => "template",
            ErrorKind::Consent => "consent",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::Storage => "storage",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Messaging => "messaging",
            ErrorKind::Webhook => "webhook",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error of this crate. See the [module docs](self) for the rules it keeps.
pub struct Error(Box<Repr>);

struct Repr {
    kind: ErrorKind,
    field: Option<Cow<'static, str>>,
    reason: Cow<'static, str>,
    line: Option<u64>,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl Error {
    /// A new error of `kind` with a short, lower-case `reason` that holds no personal data.
    pub fn new(kind: ErrorKind, reason: impl Into<Cow<'static, str>>) -> Self {
        Error(Box::new(Repr {
            kind,
            field: None,
            reason: reason.into(),
            line: None,
            source: None,
        }))
    }

    /// An [`ErrorKind::InvalidInput`] error about `field`.
    pub fn invalid(
        field: impl Into<Cow<'static, str>>,
        reason: impl Into<Cow<'static, str>>,
    ) -> Self {
        Error::new(ErrorKind::InvalidInput, reason).with_field(field)
    }

    /// Names the field or column the error is about.
    #[must_use]
    pub fn with_field(mut self, field: impl Into<Cow<'static, str>>) -> Self {
        self.0.field = Some(field.into());
        self
    }

    /// Records the 1-based line of the source file the error comes from.
    #[must_use]
    pub fn with_line(mut self, line: u64) -> Self {
        self.0.line = Some(line);
        self
    }

    /// Keeps the underlying cause. The cause's own `Display` must not hold personal data either.
    #[must_use]
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.0.source = Some(Box::new(source));
        self
    }

    /// What kind of error this is.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The field or column the error is about, if any.
    pub fn field(&self) -> Option<&str> {
        self.0.field.as_deref()
    }

    /// The short reason, without field or line.
    pub fn reason(&self) -> &str {
        &self.0.reason
    }

    /// The 1-based source line, if the error comes from a file.
    pub fn line(&self) -> Option<u64> {
        self.0.line
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.0.line {
            write!(f, "line {line}: ")?;
        }
        match (&self.0.kind, &self.0.field) {
            (ErrorKind::InvalidInput, Some(field)) => write!(f, "invalid {field}: ")?,
            (_, Some(field)) => write!(f, "{}: {field}: ", self.0.kind)?,
            (kind, None) => write!(f, "{kind}: ")?,
        }
        f.write_str(&self.0.reason)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("field", &self.0.field)
            .field("line", &self.0.line)
            .field("reason", &self.0.reason)
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source.as_deref().map(|e| e as _)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_line_field_and_reason() {
        let e = Error::invalid("phone", "too few digits").with_line(12);
        assert_eq!(e.to_string(), "line 12: invalid phone: too few digits");
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert_eq!(e.field(), Some("phone"));
        assert_eq!(e.line(), Some(12));
    }

    #[test]
    fn display_without_field() {
        let e = Error::new(ErrorKind::Storage, "row not found");
        assert_eq!(e.to_string(), "storage: row not found");
    }

    #[test]
    fn error_is_small_and_thread_safe() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Error>();
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
    }
}
