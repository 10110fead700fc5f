//! The five inbox tabs, built from counters and their scores.
//!
//! | tab | members | order (ties: supporter id ascending) |
//! |---|---|---|
//! | VIP | segment VIP | lifetime tokens, highest first; top 10 |
//! | Hot leads | segment Hot lead | probability, then priority, highest first |
//! | All | anyone with a payment (lifetime tokens > 0) | last activity, most recent first (never active last) |
//! | Dormant | segment Dormant | last activity, most recent first |
//! | New | first purchase at most 30 days before `now` | join date, newest first |
//!
//! Tabs hold indices into the input slice. The top of a tab is found by
//! selection (`select_nth_unstable_by`) and only that part is sorted, so a
//! page costs O(n + k log k), not O(n log n).

use std::cmp::{Ordering, Reverse};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{
    model::SupporterCounters,
    score::{Score, Segment},
};
use crate::{Error, Result};

/// Which tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tab {
    /// Top VIPs by lifetime spend.
    Vip,
    /// Hot leads by probability.
    HotLeads,
    /// Everyone with a payment, by last activity.
    All,
    /// Dormant supporters, by last activity.
    Dormant,
    /// Recent first purchases, by join date.
    New,
}

/// A window into a long tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    /// Items to skip.
    pub offset: usize,
    /// Items to return at most.
    pub limit: usize,
}

impl Default for Page {
    /// The first 50.
    fn default() -> Self {
        Page {
            offset: 0,
            limit: 50,
        }
    }
}

/// Tab sizes and windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TabOptions {
    /// How many VIPs the VIP tab shows (default 10).
    pub vip_size: usize,
    /// A first purchase at most this many days old makes a supporter New (default 30).
    pub new_within_days: u16,
    /// The page of the Hot leads, All, Dormant and New tabs.
    pub page: Page,
}

impl Default for TabOptions {
    fn default() -> Self {
        TabOptions {
            vip_size: 10,
            new_within_days: 30,
            page: Page::default(),
        }
    }
}

/// One tab page: the indices of its supporters in order, and how many
/// supporters the whole tab has.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TabPage {
    /// Indices into the input, in tab order.
    pub items: Vec<u32>,
    /// Members of the tab in total (all pages).
    pub total: usize,
}

/// All five tabs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxTabs {
    /// VIP tab.
    pub vip: TabPage,
    /// Hot leads tab.
    pub hot_leads: TabPage,
    /// All tab.
    pub all: TabPage,
    /// Dormant tab.
    pub dormant: TabPage,
    /// New tab.
    pub new: TabPage,
}

/// Builds all five tabs. `scores[i]` must be the score of `supporters[i]`.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use creator_crm::supporters::*;
/// let now = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
/// let mut a = SupporterCounters::new("a".into(), now);
/// a.tokens_lifetime = 5_000;
/// a.last_active_at = Some(now);
/// let b = SupporterCounters::new("b".into(), now);
/// let all = vec![a, b];
/// let scores = Scorer::default().score_all(&all, now);
/// let tabs = inbox_tabs(&all, &scores, now, &TabOptions::default()).unwrap();
/// assert_eq!(tabs.vip.items, vec![0]);
/// assert_eq!(tabs.all.total, 1); // only `a` has paid
/// ```
pub fn inbox_tabs(
    supporters: &[SupporterCounters],
    scores: &[Score],
    now: DateTime<Utc>,
    options: &TabOptions,
) -> Result<InboxTabs> {
    Ok(InboxTabs {
        vip: tab(supporters, scores, Tab::Vip, now, options)?,
        hot_leads: tab(supporters, scores, Tab::HotLeads, now, options)?,
        all: tab(supporters, scores, Tab::All, now, options)?,
        dormant: tab(supporters, scores, Tab::Dormant, now, options)?,
        new: tab(supporters, scores, Tab::New, now, options)?,
    })
}

/// Builds one tab (the VIP tab ignores `options.page` and shows `vip_size`).
pub fn tab(
    supporters: &[SupporterCounters],
    scores: &[Score],
    which: Tab,
    now: DateTime<Utc>,
    options: &TabOptions,
) -> Result<TabPage> {
    if supporters.len() != scores.len() {
        return Err(Error::invalid(
            "scores",
            "one score per supporter is required",
        ));
    }
    if u32::try_from(supporters.len()).is_err() {
        return Err(Error::invalid(
            "supporters",
            "at most u32::MAX supporters per call",
        ));
    }
    let page = match which {
        Tab::Vip => Page {
            offset: 0,
            limit: options.vip_size,
        },
        _ => options.page,
    };
    let rows = supporters.iter().zip(scores).zip(0u32..);
    let recency = |c: &SupporterCounters| Reverse(c.last_active_at.map_or(i64::MIN, ts));
    Ok(match which {
        Tab::Vip => top(
            supporters,
            rows.filter(|((_, s), _)| s.segment == Segment::Vip)
                .map(|((c, _), i)| (Reverse(c.tokens_lifetime), i))
                .collect(),
            page,
        ),
        Tab::HotLeads => top(
            supporters,
            rows.filter(|((_, s), _)| s.segment == Segment::HotLead)
                .map(|((_, s), i)| (Reverse((s.probability, s.priority)), i))
                .collect(),
            page,
        ),
        Tab::All => top(
            supporters,
            rows.filter(|((c, _), _)| c.tokens_lifetime > 0)
                .map(|((c, _), i)| (recency(c), i))
                .collect(),
            page,
        ),
        Tab::Dormant => top(
            supporters,
            rows.filter(|((_, s), _)| s.segment == Segment::Dormant)
                .map(|((c, _), i)| (recency(c), i))
                .collect(),
            page,
        ),
        Tab::New => {
            let window = i64::from(options.new_within_days) * 86_400_000_000;
            let now_us = ts(now);
            top(
                supporters,
                rows.filter(|((c, _), _)| {
                    c.first_purchase_at
                        .is_some_and(|t| now_us.saturating_sub(ts(t)) <= window)
                })
                .map(|((c, _), i)| (Reverse(ts(c.joined_at)), i))
                .collect(),
                page,
            )
        }
    })
}

fn ts(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

/// Sorts the page `page` of `entries` by key, then supporter id, then index,
/// selecting before sorting.
fn top<K: Ord + Copy>(
    supporters: &[SupporterCounters],
    mut entries: Vec<(K, u32)>,
    page: Page,
) -> TabPage {
    let total = entries.len();
    let id = |i: u32| supporters.get(i as usize).map(|c| &c.id);
    let cmp = |a: &(K, u32), b: &(K, u32)| -> Ordering {
        a.0.cmp(&b.0)
            .then_with(|| id(a.1).cmp(&id(b.1)))
            .then(a.1.cmp(&b.1))
    };
    let end = page.offset.saturating_add(page.limit).min(total);
    if end < total && end > 0 {
        entries.select_nth_unstable_by(end, cmp);
        entries.truncate(end);
    } else if end == 0 {
        entries.clear();
    }
    entries.sort_unstable_by(cmp);
    TabPage {
        items: entries
            .into_iter()
            .skip(page.offset)
            .map(|(_, i)| i)
            .collect(),
        total,
    }
}
