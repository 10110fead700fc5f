//! Reading the source exports: CSV files in, canonical rows out.
//!
//! The pieces, in the order a file goes through them:
//!
//! - [`decode`]: a UTF-8 BOM is skipped; each cell is UTF-8 when valid, else cp1252.
//! - [`columns`]: headers are matched to canonical [`Column`]s regardless of case, spaces
//!   and punctuation, with an optional caller [`ColumnMapping`].
//! - [`SourceReader`]: streams a file in large chunks through the crate's own CSV scanner
//!   (`scan`: the records, cells and line numbers the `csv` crate reads with
//!   `has_headers(false)` and `flexible(true)`, found by scanning 64-byte blocks for the
//!   structural bytes at once) and hands out [`RawRow`] views (no per-cell copy) with
//!   1-based line numbers. sample_orders' description row under the header is detected and
//!   skipped.
//! - [`values`]: tolerant parsers for money, counts, percents and dates.
//!
//! - `arrow` (feature `arrow`): Arrow record batches instead of CSV bytes, each value
//!   turned into the text a CSV export of it holds, then read as above.
//!
//! What a row *means* (which fields become creator data, samples, videos, …) is decided
//! by [`crate::merge`], which consumes these rows.

#[cfg(feature = "arrow")]
pub mod arrow;
pub mod columns;
pub mod decode;
mod reader;
mod scan;
pub mod values;

use std::{fmt, str::FromStr};

pub use columns::{Column, ColumnIndex, ColumnMapping};
pub use reader::{RawRow, SourceReader};

use crate::error::{Error, Result};

/// Where a row comes from: one of the six source exports, or a manual edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SourceKind {
    /// An edit made by a person in the CRM. Never overwritten by an import.
    Manual,
    /// Euka contact list.
    Euka,
    /// Raw phone-number export (repeats rows).
    PhoneNumbers,
    /// Refunnel 6-month metrics.
    Refunnel,
    /// TikTok Shop free-sample orders.
    SampleOrders,
    /// Video performance export (last 90 days).
    Videos,
    /// Product analytics.
    Products,
}

impl SourceKind {
    /// Every kind.
    pub const ALL: [SourceKind; 7] = [
        SourceKind::Manual,
        SourceKind::Euka,
        SourceKind::PhoneNumbers,
        SourceKind::Refunnel,
        SourceKind::SampleOrders,
        SourceKind::Videos,
        SourceKind::Products,
    ];

    /// The stable snake_case name (`"sample_orders"`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            SourceKind::Manual => "manual",
            SourceKind::Euka => "euka",
            SourceKind::PhoneNumbers => "phone_numbers",
            SourceKind::Refunnel => "refunnel",
            SourceKind::SampleOrders => "sample_orders",
            SourceKind::Videos => "videos",
            SourceKind::Products => "products",
        }
    }

    /// Columns a file of this kind must have: each inner list is "one of these".
    pub const fn required_columns(self) -> &'static [&'static [Column]] {
        match self {
            SourceKind::Manual => &[],
            SourceKind::Euka | SourceKind::PhoneNumbers | SourceKind::SampleOrders => {
                &[&[Column::Handle]]
            }
            SourceKind::Refunnel => &[&[Column::Handle, Column::Profile]],
            SourceKind::Videos => &[&[Column::Handle], &[Column::VideoLink, Column::VideoId]],
            SourceKind::Products => &[&[Column::ProductId]],
        }
    }
}

impl serde::Serialize for SourceKind {
    /// As its stable name ([`SourceKind::as_str`]).
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// From its stable name, as [`SourceKind::from_str`] reads it.
impl<'de> serde::Deserialize<'de> for SourceKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let raw = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        raw.parse().map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SourceKind {
    type Err = Error;

    /// Parses `"sample_orders"`, `"euka"`, `"phone_numbers"`, `"refunnel"`, `"videos"`
    /// (also `"video_data"`), `"products"`, `"manual"`.
    fn from_str(s: &str) -> Result<SourceKind> {
        let n = columns::normalize_header(s.as_bytes());
        Ok(match n.as_str() {
            "manual" => SourceKind::Manual,
            "euka" => SourceKind::Euka,
            "phonenumbers" | "phones" => SourceKind::PhoneNumbers,
            "refunnel" => SourceKind::Refunnel,
            "sampleorders" | "samples" => SourceKind::SampleOrders,
            "videos" | "videodata" | "video" => SourceKind::Videos,
            "products" | "productdata" => SourceKind::Products,
            _ => return Err(Error::invalid("source kind", "unknown source kind")),
        })
    }
}
