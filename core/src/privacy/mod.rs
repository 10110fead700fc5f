//! Privacy: what a creator may see of their supporters, and what may leave
//! the API.
//!
//! - [`redact_text`] / [`Detector`]: find and replace emails, phone numbers,
//!   IP addresses and street addresses in free text.
//! - [`sanitize_json`] / [`Policy`]: remove personal-data fields (any
//!   spelling, any depth) and redact personal data in string values of a
//!   JSON document, reporting paths and kinds, never values.
//!
//! Every report in this module ([`Finding`], [`Removal`]) says *where* and
//! *what kind*, never the value found.

mod address_scan;
mod detect;
pub mod keys;
mod path;
mod phone_scan;
mod policy;
mod redact;
mod sanitize;

pub use detect::{Detector, Finding, Kinds, PiiKind};
pub use keys::normalize_key;
pub use policy::Policy;
pub use redact::{Redacted, redact_text};
pub use sanitize::{Removal, RemovalKind, Sanitized, sanitize_json, sanitize_json_str};
