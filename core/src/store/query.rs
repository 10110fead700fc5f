//! Listing creators: filters, sorts, stable cursor paging and text search, with the
//! semantics every store gives.
//!
//! A page is ordered by the sort field, then by handle (unique), so the order is total.
//! Creators without a value for the sort field (no follower count) come last in either
//! direction. The cursor of a page names the last creator's position in that order; the
//! next page holds the creators strictly after it, so paging never repeats or skips a
//! creator that was there before the paging began, whatever is inserted meanwhile.
//!
//! A store that holds its creators in memory (or a host store over a plain table) can
//! answer with [`page_of`] over its rows; a database store translates
//! [`CreatorFilter`] and the order into its own query and gives the same pages.

use std::cmp::Ordering;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::StoredCreator;
use crate::{
    error::{Error, Result},
    identity::Email,
    merge::OutreachStatus,
    tiers::{CreatorTier, ShopBadge},
};

/// Which creators a list holds. Every condition given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreatorFilter {
    /// Badge level.
    pub badge: Option<ShopBadge>,
    /// Tier.
    pub tier: Option<CreatorTier>,
    /// Seen for this brand.
    pub brand: Option<String>,
    /// Has every one of these tags.
    pub tags: Vec<String>,
    /// Outreach status.
    pub outreach_status: Option<OutreachStatus>,
    /// Whitelisted or not.
    pub whitelisted: Option<bool>,
    /// Has a full phone number, or not.
    pub has_phone: Option<bool>,
    /// Has an email, or not.
    pub has_email: Option<bool>,
}

impl CreatorFilter {
    /// Whether `c` passes the filter.
    pub fn matches(&self, c: &StoredCreator) -> bool {
        let p = &c.profile;
        self.badge.is_none_or(|b| p.badge == Some(b))
            && self.tier.is_none_or(|t| p.tier == Some(t))
            && self.brand.as_ref().is_none_or(|b| c.brands.contains(b))
            && self.tags.iter().all(|t| p.tags.contains(t))
            && self.outreach_status.is_none_or(|s| p.outreach_status == s)
            && self.whitelisted.is_none_or(|w| p.whitelisted == w)
            && self
                .has_phone
                .is_none_or(|h| c.creator.phone.is_some() == h)
            && self
                .has_email
                .is_none_or(|h| c.creator.email.is_some() == h)
    }
}

/// What a list is ordered by (then by handle); serialized as [`SortField::as_str`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SortField {
    /// The handle.
    #[default]
    #[serde(rename = "tiktok_username")]
    Handle,
    /// Followers from the latest snapshot.
    #[serde(rename = "follower_count")]
    FollowerCount,
    /// Total GMV.
    #[serde(rename = "total_gmv")]
    TotalGmv,
}

impl SortField {
    /// The stable snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            SortField::Handle => "tiktok_username",
            SortField::FollowerCount => "follower_count",
            SortField::TotalGmv => "total_gmv",
        }
    }

    /// The field named `name` (as [`SortField::as_str`] gives).
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidInput`] on `order_by` for another name.
    pub fn parse(name: &str) -> Result<SortField> {
        [
            SortField::Handle,
            SortField::FollowerCount,
            SortField::TotalGmv,
        ]
        .into_iter()
        .find(|f| f.as_str() == name)
        .ok_or_else(|| Error::invalid("order_by", "unknown sort field"))
    }
}

/// A position in a list's order: the sort value and handle of the last creator of a
/// page. Opaque to callers; its text form is [`Cursor::as_str`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Cursor(String);

impl Cursor {
    /// The cursor's text, to hand back for the next page.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A cursor from its text.
    pub fn from_text(text: impl Into<String>) -> Cursor {
        Cursor(text.into())
    }

    /// The cursor naming `c`'s position in the list `query` asks for.
    pub(crate) fn of(query: &CreatorQuery, c: &StoredCreator) -> Cursor {
        let value = match sort_value(query.sort, c) {
            SortValue::None => String::new(),
            SortValue::Count(n) => n.to_string(),
            SortValue::Money(d) => d.to_string(),
        };
        Cursor(format!(
            "{}:{}:{}:{}",
            query.sort.as_str(),
            if query.descending { "desc" } else { "asc" },
            value,
            c.creator.handle.as_str()
        ))
    }

    /// The position this cursor names, checked against the query it is used with.
    pub(crate) fn position(&self, query: &CreatorQuery) -> Result<(SortValue, String)> {
        let bad = || Error::invalid("cursor", "not a cursor of this query");
        let mut parts = self.0.splitn(4, ':');
        let (Some(field), Some(dir), Some(value), Some(handle)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let dir_ok = dir == if query.descending { "desc" } else { "asc" };
        if field != query.sort.as_str() || !dir_ok || handle.is_empty() {
            return Err(bad());
        }
        let value = match (query.sort, value.is_empty()) {
            (SortField::Handle, true) | (_, true) => SortValue::None,
            (SortField::Handle, false) => return Err(bad()),
            (SortField::FollowerCount, false) => {
                SortValue::Count(value.parse().map_err(|_| bad())?)
            }
            (SortField::TotalGmv, false) => SortValue::Money(value.parse().map_err(|_| bad())?),
        };
        Ok((value, handle.to_owned()))
    }
}

/// A request for one page of creators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreatorQuery {
    /// Which creators.
    pub filter: CreatorFilter,
    /// Ordered by.
    pub sort: SortField,
    /// Largest first.
    pub descending: bool,
    /// At most this many (at least 1 is given when there are any).
    pub limit: usize,
    /// Start after this position (from the previous page's `next_cursor`).
    pub cursor: Option<Cursor>,
}

impl Default for CreatorQuery {
    fn default() -> Self {
        CreatorQuery {
            filter: CreatorFilter::default(),
            sort: SortField::Handle,
            descending: false,
            limit: 50,
            cursor: None,
        }
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreatorPage {
    /// The creators of the page, in the list's order.
    pub items: Vec<StoredCreator>,
    /// The cursor of the next page; `None` on the last page.
    pub next_cursor: Option<Cursor>,
    /// How many creators pass the filter in all.
    pub total: u64,
}

/// A creator's value of a sort field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum SortValue {
    None,
    Count(u64),
    Money(Decimal),
}

fn sort_value(field: SortField, c: &StoredCreator) -> SortValue {
    match field {
        SortField::Handle => SortValue::None,
        SortField::FollowerCount => c
            .creator
            .follower_count
            .map_or(SortValue::None, SortValue::Count),
        SortField::TotalGmv => SortValue::Money(c.creator.total_gmv),
    }
}

/// Order of two positions `(value, handle)` in a list: by value (absent values last
/// either way), then by handle ascending.
fn position_order(
    descending: bool,
    (va, ha): (&SortValue, &str),
    (vb, hb): (&SortValue, &str),
) -> Ordering {
    let by_value = match (va, vb) {
        (SortValue::None, SortValue::None) => Ordering::Equal,
        (SortValue::None, _) => Ordering::Greater,
        (_, SortValue::None) => Ordering::Less,
        _ if descending => vb.cmp(va),
        _ => va.cmp(vb),
    };
    by_value.then_with(|| ha.cmp(hb))
}

/// Order of two creators in the list `query` asks for.
pub fn list_order(query: &CreatorQuery, a: &StoredCreator, b: &StoredCreator) -> Ordering {
    position_order(
        query.descending,
        (&sort_value(query.sort, a), a.creator.handle.as_str()),
        (&sort_value(query.sort, b), b.creator.handle.as_str()),
    )
}

/// The page `query` asks for, out of every creator of the workspace.
///
/// # Errors
/// [`crate::ErrorKind::InvalidInput`] on `cursor` for a cursor of another query.
pub fn page_of<'a>(
    creators: impl IntoIterator<Item = &'a StoredCreator>,
    query: &CreatorQuery,
) -> Result<CreatorPage> {
    let after = query
        .cursor
        .as_ref()
        .map(|c| c.position(query))
        .transpose()?;
    let mut total = 0u64;
    let mut items: Vec<&StoredCreator> = Vec::new();
    for c in creators {
        if !query.filter.matches(c) {
            continue;
        }
        total += 1;
        let past = after.as_ref().is_none_or(|(v, h)| {
            position_order(
                query.descending,
                (&sort_value(query.sort, c), c.creator.handle.as_str()),
                (v, h),
            ) == Ordering::Greater
        });
        if past {
            items.push(c);
        }
    }
    items.sort_by(|a, b| list_order(query, a, b));
    let limit = query.limit.max(1);
    let more = items.len() > limit;
    items.truncate(limit);
    let next_cursor = if more {
        items.last().map(|c| Cursor::of(query, c))
    } else {
        None
    };
    Ok(CreatorPage {
        items: items.into_iter().cloned().collect(),
        next_cursor,
        total,
    })
}

/// Whether `text` (already lowercased and trimmed, not empty) is part of the creator's
/// handle, first or last name, "first last", or email, case-insensitively.
pub fn matches_text(c: &StoredCreator, text: &str) -> bool {
    let cr = &c.creator;
    matches_text_fields(
        cr.handle.as_str(),
        &cr.first_name,
        &cr.last_name,
        cr.email.as_ref().map(Email::as_str),
        text,
    )
}

/// [`matches_text`] over a creator's handle, names and email, for a store that holds
/// them as columns.
pub(crate) fn matches_text_fields(
    handle: &str,
    first_name: &str,
    last_name: &str,
    email: Option<&str>,
    text: &str,
) -> bool {
    let full = format!("{first_name} {last_name}");
    handle.contains(text)
        || full.to_lowercase().contains(text)
        || email.is_some_and(|e| e.to_lowercase().contains(text))
}

/// The search text as [`matches_text`] takes it: trimmed and lowercased; `None` when
/// nothing is left.
pub fn search_text(text: &str) -> Option<String> {
    let t = text.trim().to_lowercase();
    (!t.is_empty()).then_some(t)
}

/// The search `text` asks for over every creator of the workspace, in handle order.
pub fn search_of<'a>(
    creators: impl IntoIterator<Item = &'a StoredCreator>,
    text: &str,
    limit: usize,
) -> Vec<StoredCreator> {
    let Some(text) = search_text(text) else {
        return Vec::new();
    };
    let mut found: Vec<&StoredCreator> = creators
        .into_iter()
        .filter(|c| matches_text(c, &text))
        .collect();
    found.sort_by(|a, b| a.creator.handle.cmp(&b.creator.handle));
    found.truncate(limit);
    found.into_iter().cloned().collect()
}
