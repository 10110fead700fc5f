//! # creator-crm
//!
//! The domain logic of a creator CRM as a library: pure functions and small
//! types, with storage and messaging left to the host through traits.
//!
//! How the pieces fit:
//!
//! - [`identity`] normalizes who a creator is: handle, phone, email, name, address.
//! - [`import`] reads the six source exports (CSV) into canonical rows.
//! - [`merge`] turns those rows into one creator table with provenance and a report.
//! - [`table`] defines the result tables once (columns, types, cells); [`export`] and every
//!   binding build their output from it.
//! - [`export`] writes results as CSV that is safe to open in a spreadsheet.
//! - [`host`] is what bindings share: in-memory rows by column name, shape errors that
//!   never quote input, and the rule for times without an offset (UTC).
//! - [`privacy`] keeps supporters' personal data from creators: the creator-safe
//!   supporter view, the JSON sanitizer, text redaction and forbidden actions.
//! - [`tiers`] ranks creators: TikTok Shop badge by monthly GMV and the 7-tier classification.
//! - [`analytics`] computes the dashboard's tables over a merge (top performers, trends,
//!   sample → video conversion) and fits retention models (BG/NBD, Gamma-Gamma).
//! - [`supporters`] scores the fans who pay a creator: signals, segments, inbox tabs, alerts, insights.
//! - [`outreach`] welcomes approved creators: templates, SMS encoding, inbound keywords,
//!   quiet hours by state, webhook signatures and delivery events.
//! - [`messaging`] is the edge to the host's providers: the `EmailSender` / `SmsSender` traits.
//!
//! Rules kept throughout: no clock reads (`now` is a parameter), no global
//! state, no network, money is [`rust_decimal::Decimal`], and errors ([`Error`])
//! never carry personal data.

pub mod analytics;
pub mod crm;
pub mod error;
pub mod export;
pub mod host;
pub mod identity;
pub mod import;
pub mod merge;
pub mod messaging;
pub mod outbox;
pub mod outreach;
pub mod privacy;
pub mod store;
pub mod supporters;
pub mod table;
pub mod tiers;

/// The string type of short text fields in merged records (names, address parts):
/// text up to 24 bytes is held inline, without a heap allocation.
pub use compact_str::CompactString;
pub use error::{Error, ErrorKind, Result};
