//! Canonical columns, header matching and caller-provided column mappings.
//!
//! Every source export names its columns a little differently (`Phone #`,
//! `phone`, `Affiliate items sold ` with a trailing space, a BOM before the
//! first header). Headers are compared after [`normalize_header`]: ASCII
//! letters and digits only, lower-cased. Each normalized header is looked up
//! first in the caller's [`ColumnMapping`], then in the built-in aliases.

use std::str::FromStr;

use crate::error::{Error, Result};

macro_rules! columns {
    ($($(#[doc = $doc:literal])* $variant:ident = $name:literal [$($alias:literal),*]),* $(,)?) => {
        /// A canonical column: what a cell means, whatever the export calls it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Column {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Column {
            /// Every column, in declaration order.
            pub const ALL: &'static [Column] = &[$(Column::$variant,)*];

            /// The stable snake_case name (used in column mappings and error fields).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Column::$variant => $name,)*
                }
            }

            /// Normalized header spellings recognised for this column.
            pub const fn aliases(self) -> &'static [&'static str] {
                match self {
                    $(Column::$variant => &[$($alias),*],)*
                }
            }
        }
    };
}

columns! {
    /// The creator's TikTok username (or profile URL).
    Handle = "handle" ["handle", "username", "buyerusername", "creatorusername", "creator",
        "tiktokusername", "tiktokhandle", "creatorhandle", "tiktok", "user"],
    /// A profile URL (refunnel), used when no username is given.
    Profile = "profile" ["profile", "profileurl", "profilelink", "url"],
    /// Email address.
    Email = "email" ["email", "emailaddress", "mail", "contactemail"],
    /// Phone number, full or masked.
    Phone = "phone" ["phone", "phonenumber", "phoneno", "mobile", "tel", "telephone"],
    /// Full name of the recipient.
    Recipient = "recipient" ["recipient", "recipientname", "fullname", "name"],
    /// Given name.
    FirstName = "first_name" ["firstname", "givenname", "first"],
    /// Family name.
    LastName = "last_name" ["lastname", "surname", "familyname", "last"],
    /// A one-line postal address (`123 Main St, Austin, TX 78701`).
    Address = "address" ["address", "fulladdress", "mailingaddress", "shippingaddress"],
    /// Street line.
    AddressLine1 = "address_line1" ["addressline1", "address1", "street", "streetaddress"],
    /// Apartment, suite.
    AddressLine2 = "address_line2" ["addressline2", "address2", "apt", "suite"],
    /// City.
    City = "city" ["city", "town"],
    /// State or province.
    State = "state" ["state", "province", "region", "stateprovince"],
    /// ZIP or postal code.
    Zipcode = "zipcode" ["zipcode", "zip", "postalcode", "postcode", "zippostalcode"],
    /// Country.
    Country = "country" ["country", "countryregion", "countrycode"],
    /// Sample order id.
    OrderId = "order_id" ["orderid", "order"],
    /// Product SKU id.
    SkuId = "sku_id" ["skuid", "sku"],
    /// Product id.
    ProductId = "product_id" ["productid"],
    /// Product name.
    ProductName = "product_name" ["productname", "product", "itemname"],
    /// Product variation.
    Variation = "variation" ["variation", "variant"],
    /// Quantity ordered.
    Quantity = "quantity" ["quantity", "qty"],
    /// Order status.
    OrderStatus = "order_status" ["orderstatus", "status"],
    /// When the order was created.
    CreatedTime = "created_time" ["createdtime", "created", "createdat", "orderdate"],
    /// When the order shipped.
    ShippedTime = "shipped_time" ["shippedtime", "shipped", "shippedat"],
    /// When the order was delivered.
    DeliveredTime = "delivered_time" ["deliveredtime", "delivered", "deliveredat"],
    /// Follower count.
    Followers = "followers" ["followers", "followercount", "follower"],
    /// Earned media value.
    Emv = "emv" ["emv", "earnedmediavalue"],
    /// Gross merchandise value.
    Gmv = "gmv" ["gmv", "totalgmv", "revenue"],
    /// Platform name (refunnel).
    Platform = "platform" ["platform"],
    /// Date of the last post.
    LastPost = "last_post" ["lastpost", "lastpostdate", "lastposted"],
    /// Number of posts.
    TotalPosts = "total_posts" ["totalposts", "posts"],
    /// Likes.
    Likes = "likes" ["likes", "shoppablevideolikes", "videolikes"],
    /// Comments.
    Comments = "comments" ["comments", "shoppablevideocomments", "videocomments"],
    /// Shares.
    Shares = "shares" ["shares"],
    /// Engagement rate (percent).
    Engagement = "engagement" ["engagement", "engagementrate", "er"],
    /// Impressions.
    Impressions = "impressions" ["impressions", "shoppablevideoimpressions", "videoimpressions",
        "views"],
    /// Video title.
    VideoName = "video_name" ["videoname", "videotitle", "title"],
    /// Video URL; the video id is taken from it.
    VideoLink = "video_link" ["videolink", "videourl", "link"],
    /// Explicit video id.
    VideoId = "video_id" ["videoid"],
    /// When the video was posted.
    VideoPostDate = "video_post_date" ["videopostdate", "postdate", "posted", "posttime"],
    /// Items sold.
    ItemsSold = "items_sold" ["itemssold", "affiliateitemssold", "unitssold"],
    /// Orders.
    Orders = "orders" ["orders", "affiliateorders", "ordercount"],
    /// Click-through rate (percent).
    Ctr = "ctr" ["ctr", "affiliatectr", "clickthroughrate"],
    /// Estimated commission.
    Commission = "commission" ["commission", "estcommission", "estimatedcommission"],
}

/// Number of canonical columns.
pub const COLUMN_COUNT: usize = Column::ALL.len();

impl FromStr for Column {
    type Err = Error;

    /// Parses a column name: its snake_case name or any alias, compared normalized.
    fn from_str(s: &str) -> Result<Column> {
        let n = normalize_header(s.as_bytes());
        Column::ALL
            .iter()
            .copied()
            .find(|c| normalize_header(c.as_str().as_bytes()) == n || c.aliases().contains(&&*n))
            .ok_or_else(|| Error::invalid("column", "unknown column name"))
    }
}

/// Lower-cased ASCII letters and digits of a header; everything else (spaces,
/// punctuation, a BOM, non-ASCII) is dropped. `Phone #` → `phone`.
pub fn normalize_header(raw: &[u8]) -> String {
    raw.iter()
        .filter(|b| b.is_ascii_alphanumeric())
        .map(|b| char::from(b.to_ascii_lowercase()))
        .collect()
}

/// A caller's own header names for canonical columns. Takes precedence over the built-in aliases.
///
/// ```
/// use creator_crm::import::{Column, ColumnMapping};
/// let mut mapping = ColumnMapping::new();
/// mapping.insert("TT Name", Column::Handle);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMapping {
    entries: Vec<(String, Column)>,
}

impl ColumnMapping {
    /// An empty mapping (built-in aliases only).
    pub fn new() -> Self {
        Self::default()
    }

    /// Maps the header `header` (matched normalized) to `column`.
    pub fn insert(&mut self, header: &str, column: Column) -> &mut Self {
        let key = normalize_header(header.as_bytes());
        self.entries.retain(|(h, _)| *h != key);
        self.entries.push((key, column));
        self
    }

    /// Builds a mapping from `(header, column name)` pairs, as bindings receive them.
    ///
    /// # Errors
    /// `InvalidInput` on field `column` for an unknown column name.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self> {
        let mut m = ColumnMapping::new();
        for (header, column) in pairs {
            m.insert(header, column.parse()?);
        }
        Ok(m)
    }

    fn get(&self, normalized: &str) -> Option<Column> {
        self.entries
            .iter()
            .find(|(h, _)| h == normalized)
            .map(|(_, c)| *c)
    }

    /// True when no header is mapped.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Which cell of a record holds each canonical column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnIndex {
    index: [Option<u16>; COLUMN_COUNT],
}

impl ColumnIndex {
    /// Resolves a header row. The first header matching a column wins; unknown headers are ignored.
    pub fn from_headers<'h>(
        headers: impl IntoIterator<Item = &'h [u8]>,
        mapping: &ColumnMapping,
    ) -> ColumnIndex {
        let mut index = [None; COLUMN_COUNT];
        for (i, raw) in headers.into_iter().enumerate() {
            let Ok(pos) = u16::try_from(i) else { break };
            let n = normalize_header(raw);
            if n.is_empty() {
                continue;
            }
            let column = mapping.get(&n).or_else(|| {
                Column::ALL
                    .iter()
                    .copied()
                    .find(|c| c.aliases().contains(&n.as_str()))
            });
            if let Some(c) = column {
                let slot = &mut index[c as usize];
                if slot.is_none() {
                    *slot = Some(pos);
                }
            }
        }
        ColumnIndex { index }
    }

    /// The cell position of `column`, if the file has it.
    pub fn position(&self, column: Column) -> Option<usize> {
        self.index[column as usize].map(usize::from)
    }

    /// True when the file has `column`.
    pub fn has(&self, column: Column) -> bool {
        self.index[column as usize].is_some()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn idx(headers: &[&str], mapping: &ColumnMapping) -> ColumnIndex {
        ColumnIndex::from_headers(headers.iter().map(|h| h.as_bytes()), mapping)
    }

    #[test]
    fn headers_match_regardless_of_case_space_and_punctuation() {
        let i = idx(
            &[
                "\u{feff}Order ID",
                "Phone #",
                "Affiliate items sold ",
                "BUYER USERNAME",
            ],
            &ColumnMapping::new(),
        );
        assert_eq!(i.position(Column::OrderId), Some(0));
        assert_eq!(i.position(Column::Phone), Some(1));
        assert_eq!(i.position(Column::ItemsSold), Some(2));
        assert_eq!(i.position(Column::Handle), Some(3));
        assert!(!i.has(Column::Email));
    }

    #[test]
    fn caller_mapping_wins_over_aliases() {
        let mut m = ColumnMapping::new();
        m.insert("Name", Column::Handle);
        let i = idx(&["name", "TT"], &m);
        assert_eq!(i.position(Column::Handle), Some(0));
        assert!(!i.has(Column::Recipient));
    }

    #[test]
    fn column_names_parse() {
        assert_eq!("tiktok_username".parse::<Column>().unwrap(), Column::Handle);
        assert_eq!("first_name".parse::<Column>().unwrap(), Column::FirstName);
        assert_eq!("Phone #".parse::<Column>().unwrap(), Column::Phone);
        let m = ColumnMapping::from_pairs([("Creator", "handle")]).unwrap();
        assert!(!m.is_empty());
        assert!(ColumnMapping::from_pairs([("x", "nope")]).is_err());
    }
}
