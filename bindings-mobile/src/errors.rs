//! The one place where core errors become the foreign-language error type.
//!
//! [`CrmError`] has one variant per core [`ErrorKind`], each carrying the
//! short `reason`, the `field` and the source `line` when known. Kotlin sees a
//! sealed `CrmException` class, Swift an `enum CrmError: Error`. Messages never
//! hold personal data.

use std::fmt;

use creator_crm::ErrorKind;

/// A creator-crm error, one variant per kind.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Error)]
pub enum CrmError {
    /// A value could not be understood or is not allowed (code `invalid_input`).
    InvalidInput {
        /// The short reason, without field or line.
        reason: String,
        /// The field or column the error is about.
        field: Option<String>,
        /// The 1-based source line, if the error comes from a file.
        line: Option<u64>,
    },
    /// A source could not be read at all (code `import`).
    Import {
        /// The short reason.
        reason: String,
        /// The field or column concerned.
        field: Option<String>,
        /// The 1-based source line.
        line: Option<u64>,
    },
    /// A template failed to parse, validate or render (code `template`).
    Template {
        /// The short reason.
        reason: String,
        /// The field concerned.
        field: Option<String>,
        /// The 1-based source line.
        line: Option<u64>,
    },
    /// A message may not be sent: consent, quiet hours, opt-out (code `consent`).
    Consent {
        /// The short reason.
        reason: String,
        /// The field concerned.
        field: Option<String>,
        /// The 1-based source line.
        line: Option<u64>,
    },
    /// An action that creators may not take on supporters (code `forbidden`).
    Forbidden {
        /// The short reason.
        reason: String,
        /// The field concerned.
        field: Option<String>,
        /// The 1-based source line.
        line: Option<u64>,
    },
    /// A storage backend failed (code `storage`).
    Storage {
        /// The short reason.
        reason: String,
        /// The field concerned.
        field: Option<String>,
        /// The 1-based source line.
        line: Option<u64>,
    },
    /// A message provider failed (code `messaging`).
    Messaging {
        /// The short reason.
        reason: String,
        /// The field concerned.
        field: Option<String>,
        /// The 1-based source line.
        line: Option<u64>,
    },
    /// A webhook failed verification: signature, freshness or replay (code `webhook`).
    Webhook {
        /// The short reason.
        reason: String,
        /// The field concerned.
        field: Option<String>,
        /// The 1-based source line.
        line: Option<u64>,
    },
    /// A kind this version of the bindings does not know yet.
    Other {
        /// The kind's stable code.
        code: String,
        /// The short reason.
        reason: String,
        /// The field concerned.
        field: Option<String>,
        /// The 1-based source line.
        line: Option<u64>,
    },
}

impl From<creator_crm::Error> for CrmError {
    fn from(err: creator_crm::Error) -> Self {
        let reason = err.reason().to_owned();
        let field = err.field().map(str::to_owned);
        let line = err.line();
        match err.kind() {
            ErrorKind::InvalidInput => CrmError::InvalidInput {
                reason,
                field,
                line,
            },
            ErrorKind::Import => CrmError::Import {
                reason,
                field,
                line,
            },
            ErrorKind::Template => CrmError::Template {
                reason,
                field,
                line,
            },
            ErrorKind::Consent => CrmError::Consent {
                reason,
                field,
                line,
            },
            ErrorKind::Forbidden => CrmError::Forbidden {
                reason,
                field,
                line,
            },
            ErrorKind::Storage => CrmError::Storage {
                reason,
                field,
                line,
            },
            ErrorKind::Messaging => CrmError::Messaging {
                reason,
                field,
                line,
            },
            ErrorKind::Webhook => CrmError::Webhook {
                reason,
                field,
                line,
            },
            other => CrmError::Other {
                code: other.as_str().to_owned(),
                reason,
                field,
                line,
            },
        }
    }
}

/// An exception a Kotlin / Swift callback threw that is not a `CrmException` /
/// `CrmError`: `Other` with code `callback`. Its text stays out of the message (it is the
/// host's and may hold anything).
impl From<uniffi::UnexpectedUniFFICallbackError> for CrmError {
    fn from(_: uniffi::UnexpectedUniFFICallbackError) -> Self {
        CrmError::Other {
            code: CALLBACK_CODE.to_owned(),
            reason: "callback failed".to_owned(),
            field: None,
            line: None,
        }
    }
}

/// The code of [`CrmError::Other`] for an unexpected exception thrown by a callback.
const CALLBACK_CODE: &str = "callback";

impl CrmError {
    /// The stable code of the error's kind (`invalid_input`, ...).
    pub fn code(&self) -> &str {
        match self {
            CrmError::InvalidInput { .. } => ErrorKind::InvalidInput.as_str(),
            CrmError::Import { .. } => ErrorKind::Import.as_str(),
            CrmError::Template { .. } => ErrorKind::Template.as_str(),
            CrmError::Consent { .. } => ErrorKind::Consent.as_str(),
            CrmError::Forbidden { .. } => ErrorKind::Forbidden.as_str(),
            CrmError::Storage { .. } => ErrorKind::Storage.as_str(),
            CrmError::Messaging { .. } => ErrorKind::Messaging.as_str(),
            CrmError::Webhook { .. } => ErrorKind::Webhook.as_str(),
            CrmError::Other { code, .. } => code,
        }
    }

    fn parts(&self) -> (&str, Option<&str>, Option<u64>) {
        match self {
            CrmError::InvalidInput {
                reason,
                field,
                line,
            }
            | CrmError::Import {
                reason,
                field,
                line,
            }
            | CrmError::Template {
                reason,
                field,
                line,
            }
            | CrmError::Consent {
                reason,
                field,
                line,
            }
            | CrmError::Forbidden {
                reason,
                field,
                line,
            }
            | CrmError::Storage {
                reason,
                field,
                line,
            }
            | CrmError::Messaging {
                reason,
                field,
                line,
            }
            | CrmError::Webhook {
                reason,
                field,
                line,
            }
            | CrmError::Other {
                reason,
                field,
                line,
                ..
            } => (reason, field.as_deref(), *line),
        }
    }
}

/// Same text as the core error's `Display`: `line 3: invalid phone: too few digits`.
impl fmt::Display for CrmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (reason, field, line) = self.parts();
        if let Some(line) = line {
            write!(f, "line {line}: ")?;
        }
        match (self, field) {
            (CrmError::InvalidInput { .. }, Some(field)) => write!(f, "invalid {field}: ")?,
            (_, Some(field)) => write!(f, "{}: {field}: ", self.code())?,
            (_, None) => write!(f, "{}: ", self.code())?,
        }
        f.write_str(reason)
    }
}

impl std::error::Error for CrmError {}

/// A core error as data: what batch calls return for a value that failed.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ErrorInfo {
    /// Stable error code: `invalid_input`, `import`, ...
    pub code: String,
    /// The full message, e.g. `invalid phone: contains letters`.
    pub message: String,
    /// The short reason, without field or line.
    pub reason: String,
    /// The field or column the error is about, if any.
    pub field: Option<String>,
    /// The 1-based source line, if the error comes from a file.
    pub line: Option<u64>,
}

impl From<&creator_crm::Error> for ErrorInfo {
    fn from(err: &creator_crm::Error) -> Self {
        ErrorInfo {
            code: err.kind().as_str().to_owned(),
            message: err.to_string(),
            reason: err.reason().to_owned(),
            field: err.field().map(str::to_owned),
            line: err.line(),
        }
    }
}

#[cfg(test)]
mod tests {
    use creator_crm::{Error, ErrorKind};

    use super::*;

    const KINDS: [ErrorKind; 8] = [
        ErrorKind::InvalidInput,
        ErrorKind::Import,
        ErrorKind::Template,
        ErrorKind::Consent,
        ErrorKind::Forbidden,
        ErrorKind::Storage,
        ErrorKind::Messaging,
        ErrorKind::Webhook,
    ];

    #[test]
    fn every_kind_keeps_its_code_and_display() {
        for kind in KINDS {
            for core in [
                Error::new(kind, "went wrong"),
                Error::new(kind, "went wrong").with_field("phone"),
                Error::new(kind, "went wrong")
                    .with_field("phone")
                    .with_line(7),
            ] {
                let expected = core.to_string();
                let ffi = CrmError::from(core);
                assert_eq!(ffi.code(), kind.as_str());
                assert_eq!(ffi.to_string(), expected);
                assert!(!matches!(ffi, CrmError::Other { .. }), "{kind:?}");
            }
        }
    }

    #[test]
    fn error_info_carries_the_parts() {
        let core = Error::invalid("email", "empty domain").with_line(3);
        let info = ErrorInfo::from(&core);
        assert_eq!(info.code, "invalid_input");
        assert_eq!(info.message, "line 3: invalid email: empty domain");
        assert_eq!(info.reason, "empty domain");
        assert_eq!(info.field.as_deref(), Some("email"));
        assert_eq!(info.line, Some(3));
    }
}
