//! Privacy: what a creator may see of their supporters, and what may leave
//! the API.
//!
//! - [`redact_text`] / [`Detector`]: find and replace emails, phone numbers,
//!   IP addresses and street addresses in free text.
//! - [`sanitize_json`] / [`Policy`]: remove personal-data fields (any
//!   spelling, any depth) and redact personal data in string values of a
//!   JSON document, reporting paths and kinds, never values.
//! - [`SupporterView`]: what a creator may see of a supporter — a type with
//!   no personal-data field, carrying a [`PseudonymousId`] from a
//!   [`Pseudonymizer`] (HMAC-SHA256 with a host key) when asked.
//! - [`ActionGuard`]: checks a [`SupporterAction`] on one supporter, rejects
//!   the forbidden ones with [`ErrorKind::Forbidden`](crate::ErrorKind::Forbidden)
//!   and yields an [`AuditRecord`] for every attempt.
//!
//! Every report in this module ([`Finding`], [`Removal`]) says *where* and
//! *what kind*, never the value found.

mod actions;
mod address_scan;
mod detect;
mod finding;
pub mod keys;
mod path;
mod phone_scan;
mod policy;
mod pseudonym;
mod redact;
mod sanitize;
mod view;

pub use actions::{ActionGuard, ActionKind, AuditRecord, Denied, SupporterAction};
pub use detect::{Detector, Kinds};
pub use finding::{Finding, PiiKind};
pub use keys::normalize_key;
pub use policy::Policy;
pub use pseudonym::{MIN_KEY_LEN, Pseudonymizer, PseudonymousId};
pub use redact::{Redacted, redact_text};
pub use sanitize::{
    Removal, RemovalKind, Sanitized, SanitizedJson, sanitize_json, sanitize_json_str,
};
pub(crate) use view::public_name as shown_display_name;
pub use view::{MAX_DISPLAY_NAME_CHARS, NameSource, SupporterView, ViewId, ViewScore};
