//! What a merge produces: creators with provenance, and their related records.

use compact_str::CompactString;
use std::{fmt, sync::Arc};

use serde::{Deserialize, Serialize};

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use crate::{
    identity::{E164, Email, Handle, MaskedPhone, PostalAddress},
    import::SourceKind,
};

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Provenance {
    /// The source kind of the file (or [`SourceKind::Manual`]).
    pub source: SourceKind,
    /// The file's name as given to the merger.
    pub file: Arc<str>,
    /// The 1-based line in that file.
    pub line: u64,
    /// When the value was observed: the file's export time, else the row's own date.
    pub observed_at: Option<NaiveDateTime>,
}

/// A creator field that survivorship decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Field {
    /// Email address.
    Email,
    /// Full phone number.
    Phone,
    /// Masked phone number (evidence only).
    MaskedPhone,
    /// First and last name, decided together.
    Name,
    /// Postal address, decided as a whole so its parts never mix sources.
    Address,
    /// Follower count (latest snapshot).
    FollowerCount,
    /// Total GMV (latest snapshot).
    TotalGmv,
}

impl Field {
    /// The stable snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Field::Email => "email",
            Field::Phone => "phone",
            Field::MaskedPhone => "masked_phone",
            Field::Name => "name",
            Field::Address => "address",
            Field::FollowerCount => "follower_count",
            Field::TotalGmv => "total_gmv",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a creator stands in outreach. New creators start [`OutreachStatus::Pending`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutreachStatus {
    /// Not yet reviewed.
    #[default]
    Pending,
    /// Approved for outreach.
    Approved,
    /// Contacted.
    Sent,
    /// Deliberately not contacted.
    Skipped,
    /// Asked not to be contacted.
    Unsubscribed,
}

impl OutreachStatus {
    /// The stable snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            OutreachStatus::Pending => "pending",
            OutreachStatus::Approved => "approved",
            OutreachStatus::Sent => "sent",
            OutreachStatus::Skipped => "skipped",
            OutreachStatus::Unsubscribed => "unsubscribed",
        }
    }
}

/// The provenance of one resolved field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProvenance {
    /// The field.
    pub field: Field,
    /// Where its value came from.
    pub provenance: Provenance,
}

/// A value that lost survivorship but is kept.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alternate {
    /// The field it is a value of.
    pub field: Field,
    /// The value as text (E.164 for phones, `first last` for names, one line for addresses).
    pub value: String,
    /// Where it came from.
    pub provenance: Provenance,
}

impl fmt::Debug for Alternate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Alternate")
            .field("field", &self.field)
            .field("value", &"<redacted>")
            .field("provenance", &self.provenance)
            .finish()
    }
}

/// One merged creator.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Creator {
    /// The key: normalized TikTok username.
    pub handle: Handle,
    /// Best email, if any (never a placeholder or a shared team inbox).
    pub email: Option<Email>,
    /// Best full phone number, if any.
    pub phone: Option<E164>,
    /// A masked phone seen for this creator, when no full number is known.
    pub phone_masked: Option<MaskedPhone>,
    /// True whenever `phone` is a full number (the source data model's meaning); false when
    /// only a mask, or nothing, is known.
    pub phone_verified: bool,
    /// True when a masked number from a source fits the full number `phone` (a
    /// "masked phone upgraded" in the report); always false without a full number.
    pub phone_mask_confirmed: bool,
    /// Given name (may be empty).
    pub first_name: CompactString,
    /// Family name (may be empty).
    pub last_name: CompactString,
    /// Postal address (parts may be empty).
    pub address: PostalAddress,
    /// Followers from the latest snapshot.
    pub follower_count: Option<u64>,
    /// GMV from the latest snapshot, else the sum of the creator's video GMV.
    pub total_gmv: Decimal,
    /// Outreach status; `Pending` for merged creators.
    pub outreach_status: OutreachStatus,
    /// The sources the creator was seen in, in priority order.
    pub sources: Vec<SourceKind>,
    /// Provenance of every filled field.
    pub provenance: Vec<FieldProvenance>,
    /// Losing values, kept.
    pub alternates: Vec<Alternate>,
}

impl Creator {
    /// The provenance of `field`, if it is filled.
    pub fn provenance_of(&self, field: Field) -> Option<&Provenance> {
        self.provenance
            .iter()
            .find(|p| p.field == field)
            .map(|p| &p.provenance)
    }
}

impl fmt::Debug for Creator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Creator")
            .field("handle", &self.handle.as_str())
            .field("email", &self.email.as_ref().map(|_| "<redacted>"))
            .field("phone", &self.phone.as_ref().map(|_| "<redacted>"))
            .field(
                "phone_masked",
                &self.phone_masked.as_ref().map(|_| "<redacted>"),
            )
            .field("phone_verified", &self.phone_verified)
            .field("phone_mask_confirmed", &self.phone_mask_confirmed)
            .field("name", &"<redacted>")
            .field("address", &"<redacted>")
            .field("follower_count", &self.follower_count)
            .field("total_gmv", &self.total_gmv)
            .field("outreach_status", &self.outreach_status)
            .field("sources", &self.sources)
            .field("alternates", &self.alternates.len())
            .finish()
    }
}

/// Why two values for one field were both kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    /// Sources disagree; the winner is the value, the rest are alternates.
    DifferentValues,
    /// A full number does not fit a masked number seen for the same creator.
    MaskMismatch,
}

impl ConflictKind {
    /// The stable snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            ConflictKind::DifferentValues => "different_values",
            ConflictKind::MaskMismatch => "mask_mismatch",
        }
    }
}

/// A reported disagreement. Holds the handle and field, never the values.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Conflict {
    /// The creator.
    pub handle: Handle,
    /// The field.
    pub field: Field,
    /// What kind of disagreement.
    pub kind: ConflictKind,
    /// Source of the winning value.
    pub chosen: SourceKind,
    /// Sources of the other values (distinct, in priority order).
    pub others: Vec<SourceKind>,
}

/// A free-sample order line, deduplicated by `(order_id, sku_id)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sample {
    /// Order id.
    pub order_id: String,
    /// SKU id (empty when the export has none).
    pub sku_id: String,
    /// The creator who received it.
    pub handle: Handle,
    /// Product name.
    pub product_name: Option<String>,
    /// Variation.
    pub variation: Option<String>,
    /// Quantity.
    pub quantity: Option<u64>,
    /// Order status as exported.
    pub status: Option<String>,
    /// Created time.
    pub created_at: Option<NaiveDateTime>,
    /// Shipped time.
    pub shipped_at: Option<NaiveDateTime>,
    /// Delivered time.
    pub delivered_at: Option<NaiveDateTime>,
    /// Where the kept row came from.
    pub provenance: Provenance,
}

/// A video, deduplicated by `video_id`; the latest observed metrics win.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Video {
    /// Video id (from the URL when no id column is given).
    pub video_id: String,
    /// The creator.
    pub handle: Handle,
    /// Title.
    pub name: Option<String>,
    /// When it was posted.
    pub posted_at: Option<NaiveDateTime>,
    /// GMV.
    pub gmv: Option<Decimal>,
    /// Affiliate items sold.
    pub items_sold: Option<u64>,
    /// Affiliate orders.
    pub orders: Option<u64>,
    /// Shoppable video impressions.
    pub impressions: Option<u64>,
    /// Likes.
    pub likes: Option<u64>,
    /// Comments.
    pub comments: Option<u64>,
    /// Click-through rate in percent points.
    pub ctr: Option<Decimal>,
    /// Estimated commission.
    pub commission: Option<Decimal>,
    /// Where the kept row came from.
    pub provenance: Provenance,
}

/// A link between a video and a product.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct VideoProduct {
    /// Video id.
    pub video_id: String,
    /// Product id.
    pub product_id: String,
}

/// A creator's metrics at one time, deduplicated by `(creator, date, source)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The creator.
    pub handle: Handle,
    /// The day it describes (observation date), if known.
    pub date: Option<NaiveDate>,
    /// Source kind.
    pub source: SourceKind,
    /// Followers.
    pub followers: Option<u64>,
    /// GMV.
    pub gmv: Option<Decimal>,
    /// Earned media value.
    pub emv: Option<Decimal>,
    /// Number of posts.
    pub total_posts: Option<u64>,
    /// Likes.
    pub likes: Option<u64>,
    /// Comments.
    pub comments: Option<u64>,
    /// Shares.
    pub shares: Option<u64>,
    /// Engagement rate in percent points.
    pub engagement: Option<Decimal>,
    /// Impressions.
    pub impressions: Option<u64>,
    /// Date of the last post.
    pub last_post: Option<NaiveDate>,
    /// Where the kept row came from.
    pub provenance: Provenance,
}

/// A creator seen in a brand's file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BrandLink {
    /// Brand name as given with the file.
    pub brand: String,
    /// The creator.
    pub handle: Handle,
}

/// A product from product analytics, deduplicated by `product_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    /// Product id.
    pub product_id: String,
    /// Name.
    pub name: Option<String>,
    /// GMV.
    pub gmv: Option<Decimal>,
    /// Items sold.
    pub items_sold: Option<u64>,
    /// Orders.
    pub orders: Option<u64>,
    /// Where the kept row came from.
    pub provenance: Provenance,
}
