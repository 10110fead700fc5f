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
//! Tabs hold indices into the input slice. One pass over the input feeds a
//! streaming top-k per tab: selection (`select_nth_unstable_by`) over a
//! buffer of `2k` keeps the best `offset + limit`, and only those are sorted,
//! so a page costs O(n + k log k) time and O(k) memory, not O(n log n).

use std::cmp::Reverse;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{
    model::SupporterCounters,
    score::{Score, Segment},
    topk::TopK,
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
    check(supporters, scores)?;
    let keep = |p: Page| p.offset.saturating_add(p.limit);
    let long = keep(options.page);
    let mut vip = TopK::new(supporters, options.vip_size);
    let mut hot = TopK::new(supporters, long);
    let mut all = TopK::new(supporters, long);
    let mut dormant = TopK::new(supporters, long);
    let mut new = TopK::new(supporters, long);
    let (now_us, window) = (ts(now), new_window(options));
    // One pass over the input feeds every tab.
    for ((c, s), i) in supporters.iter().zip(scores).zip(0u32..) {
        match s.segment {
            Segment::Vip => vip.push(Reverse(c.tokens_lifetime), i),
            Segment::HotLead => hot.push(Reverse((s.probability, s.priority)), i),
            Segment::Dormant => dormant.push(recency(c), i),
            Segment::Cold | Segment::Active => {}
        }
        if c.tokens_lifetime > 0 {
            all.push(recency(c), i);
        }
        if is_new(c, now_us, window) {
            new.push(Reverse(ts(c.joined_at)), i);
        }
    }
    let page = |(items, total)| TabPage { items, total };
    let offset = options.page.offset;
    Ok(InboxTabs {
        vip: page(vip.finish(0)),
        hot_leads: page(hot.finish(offset)),
        all: page(all.finish(offset)),
        dormant: page(dormant.finish(offset)),
        new: page(new.finish(offset)),
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
    check(supporters, scores)?;
    let page = match which {
        Tab::Vip => Page {
            offset: 0,
            limit: options.vip_size,
        },
        _ => options.page,
    };
    let keep = page.offset.saturating_add(page.limit);
    let rows = supporters.iter().zip(scores).zip(0u32..);
    let (now_us, window) = (ts(now), new_window(options));
    let (items, total) = match which {
        Tab::Vip => {
            let mut t = TopK::new(supporters, keep);
            for ((c, s), i) in rows {
                if s.segment == Segment::Vip {
                    t.push(Reverse(c.tokens_lifetime), i);
                }
            }
            t.finish(page.offset)
        }
        Tab::HotLeads => {
            let mut t = TopK::new(supporters, keep);
            for ((_, s), i) in rows {
                if s.segment == Segment::HotLead {
                    t.push(Reverse((s.probability, s.priority)), i);
                }
            }
            t.finish(page.offset)
        }
        Tab::All | Tab::Dormant => {
            let mut t = TopK::new(supporters, keep);
            for ((c, s), i) in rows {
                let member = match which {
                    Tab::All => c.tokens_lifetime > 0,
                    _ => s.segment == Segment::Dormant,
                };
                if member {
                    t.push(recency(c), i);
                }
            }
            t.finish(page.offset)
        }
        Tab::New => {
            let mut t = TopK::new(supporters, keep);
            for ((c, _), i) in rows {
                if is_new(c, now_us, window) {
                    t.push(Reverse(ts(c.joined_at)), i);
                }
            }
            t.finish(page.offset)
        }
    };
    Ok(TabPage { items, total })
}

fn check(supporters: &[SupporterCounters], scores: &[Score]) -> Result<()> {
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
    Ok(())
}

fn recency(c: &SupporterCounters) -> Reverse<i64> {
    Reverse(c.last_active_at.map_or(i64::MIN, ts))
}

fn new_window(options: &TabOptions) -> i64 {
    i64::from(options.new_within_days).saturating_mul(86_400_000_000)
}

fn is_new(c: &SupporterCounters, now_us: i64, window: i64) -> bool {
    c.first_purchase_at
        .is_some_and(|t| now_us.saturating_sub(ts(t)) <= window)
}

fn ts(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}
