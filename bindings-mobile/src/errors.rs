//! The one place where core errors become the foreign-language error type.
//!
//! [`CrmError`] has one variant per core [`ErrorKind`], each carrying the
//! short `reason`, the `field` and the source `line` when known. Kotlin sees a
//! sealed `CrmException` class, Swift an `enum CrmError: Error`. Messages never
//! hold personal data, except [`CrmError::Host`]: the text of an exception the host's
//! own code threw (a store, a callback), handed back to the host unchanged.
//!
//! A `CrmError` a callback threw travels through core as the source of the core error,
//! and comes back out of the call as that same value (`From<creator_crm::Error>` looks
//! for it first).

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
    /// A store held another version of a row than a change expected (code `conflict`).
    /// A host store throws it from `apply` to make the `Crm` facade re-read and retry.
    Conflict {
        /// The short reason.
        reason: String,
        /// What was stale (`creator`, `cooldowns`, ...).
        field: Option<String>,
        /// Always `None`.
        line: Option<u64>,
    },
    /// An exception that host code (a Kotlin / Swift store or callback) threw and that is
    /// not a `CrmException` / `CrmError` (code `host`). uniffi cannot hand back the
    /// thrown object itself: this carries its class and message instead.
    Host {
        /// The exception's class: in Kotlin its qualified name
        /// (`java.io.IOException`), in Swift the error's description.
        class_name: String,
        /// The exception's message as thrown (`None` when it had none); host text,
        /// which may hold anything.
        host_message: Option<String>,
        /// The store or sender method that threw it (`apply`, `creators`, `send_email`,
        /// `send_sms`, ...), when known.
        method: Option<String>,
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
        // What a foreign callback threw comes back as it was thrown.
        if let Some(thrown) =
            std::error::Error::source(&err).and_then(|s| s.downcast_ref::<CrmError>())
        {
            return thrown.clone();
        }
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
            ErrorKind::Conflict => CrmError::Conflict {
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
/// `CrmError`: [`CrmError::Host`] with its class and message. uniffi hands over Kotlin's
/// `stackTraceToString()` (the first line is `class: message`, the frames follow) and
/// Swift's `String(describing: error)`; the frames are dropped.
impl From<uniffi::UnexpectedUniFFICallbackError> for CrmError {
    fn from(err: uniffi::UnexpectedUniFFICallbackError) -> Self {
        host_exception(&err.reason)
    }
}

/// The class and message of a thrown exception, from its text.
fn host_exception(text: &str) -> CrmError {
    let head = text.split("\n\tat ").next().unwrap_or(text);
    let head = head
        .strip_suffix('\n')
        .map_or(head, |h| h.strip_suffix('\r').unwrap_or(h));
    let (class_name, host_message) = match head.split_once(": ") {
        Some((class, message)) => (class, Some(message.to_owned())),
        None => (head, None),
    };
    CrmError::Host {
        class_name: class_name.to_owned(),
        host_message,
        method: None,
    }
}

/// The code of [`CrmError::Host`].
const HOST_CODE: &str = "host";

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
            CrmError::Conflict { .. } => ErrorKind::Conflict.as_str(),
            CrmError::Host { .. } => HOST_CODE,
            CrmError::Webhook { .. } => ErrorKind::Webhook.as_str(),
            CrmError::Other { code, .. } => code,
        }
    }

    /// Reason, field and line; `None` for [`CrmError::Host`].
    fn parts(&self) -> Option<(&str, Option<&str>, Option<u64>)> {
        Some(match self {
            CrmError::Host { .. } => return None,
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
            | CrmError::Conflict {
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
        })
    }
}

/// Same text as the core error's `Display`: `line 3: invalid phone: too few digits`;
/// `host: java.io.IOException: disk full` for [`CrmError::Host`].
impl fmt::Display for CrmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some((reason, field, line)) = self.parts() else {
            if let CrmError::Host {
                class_name,
                host_message,
                ..
            } = self
            {
                write!(f, "{HOST_CODE}: {class_name}")?;
                if let Some(m) = host_message {
                    write!(f, ": {m}")?;
                }
            }
            return Ok(());
        };
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

    const KINDS: [ErrorKind; 9] = [
        ErrorKind::InvalidInput,
        ErrorKind::Import,
        ErrorKind::Template,
        ErrorKind::Consent,
        ErrorKind::Forbidden,
        ErrorKind::Storage,
        ErrorKind::Messaging,
        ErrorKind::Webhook,
        ErrorKind::Conflict,
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
    fn a_thrown_exception_keeps_its_class_and_message() {
        let kotlin = "java.io.IOException: disk full: /data\n\tat Store.apply(Store.kt:3)\n";
        let e = CrmError::from(uniffi::UnexpectedUniFFICallbackError::new(kotlin));
        assert_eq!(
            e,
            CrmError::Host {
                class_name: "java.io.IOException".into(),
                host_message: Some("disk full: /data".into()),
                method: None,
            }
        );
        assert_eq!(e.to_string(), "host: java.io.IOException: disk full: /data");
        let bare = CrmError::from(uniffi::UnexpectedUniFFICallbackError::new(
            "kotlin.NotImplementedError\n\tat X.y(X.kt:1)",
        ));
        assert_eq!(bare.to_string(), "host: kotlin.NotImplementedError");
        assert_eq!(bare.code(), "host");
    }

    #[test]
    fn a_thrown_crm_error_comes_back_out_of_core_unchanged() {
        let thrown = CrmError::Storage {
            reason: "offline".into(),
            field: Some("apply".into()),
            line: None,
        };
        let core = Error::new(ErrorKind::Storage, "host store failed").with_source(thrown.clone());
        assert_eq!(CrmError::from(core), thrown);
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
