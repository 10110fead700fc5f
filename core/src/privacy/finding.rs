//! What the scanners report: the kind and byte span of a piece of personal data.
//!
//! Kept apart from `detect.rs` so that the scanners it drives (`phone_scan`,
//! `address_scan`) and the detector depend on this module, not on each other.

use serde::{Deserialize, Serialize};

/// A kind of personal data found in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PiiKind {
    /// An email address.
    Email,
    /// A phone number.
    Phone,
    /// An IPv4 or IPv6 address.
    Ip,
    /// A street address.
    Address,
}

impl PiiKind {
    /// The text put in place of a redacted value: `[email]`, `[phone]`, `[ip]`, `[address]`.
    pub const fn placeholder(self) -> &'static str {
        match self {
            PiiKind::Email => "[email]",
            PiiKind::Phone => "[phone]",
            PiiKind::Ip => "[ip]",
            PiiKind::Address => "[address]",
        }
    }

    /// A stable snake_case name (`"email"`, `"phone"`, `"ip"`, `"address"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            PiiKind::Email => "email",
            PiiKind::Phone => "phone",
            PiiKind::Ip => "ip",
            PiiKind::Address => "address",
        }
    }
}

/// One piece of personal data found in a text: its kind and its byte span in
/// the *original* text. Never the value itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Finding {
    /// What was found.
    pub kind: PiiKind,
    /// Byte offset where it starts.
    pub start: usize,
    /// Byte offset just past its end.
    pub end: usize,
}

/// True when byte `b` is an ASCII letter, digit or `_`.
pub(super) fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}
