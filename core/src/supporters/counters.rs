//! Events → counters, given `now`.

use chrono::{DateTime, Duration, Utc};

use super::model::{SpendFeature, Supporter, SupporterCounters};

/// `t` lies in the window of `days` days ending at `now`: `now - days < t <= now`.
pub(crate) fn within_days(t: DateTime<Utc>, now: DateTime<Utc>, days: i64) -> bool {
    t <= now && t > now - Duration::days(days)
}

fn sat_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl SupporterCounters {
    /// Aggregates a supporter's events into counters as seen at `now`.
    /// Events after `now` are ignored, so the result is the same whatever
    /// the host recorded later.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use creator_crm::supporters::*;
    /// let now = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
    /// let mut s = Supporter {
    ///     id: "s-1".into(),
    ///     display_name: None,
    ///     joined_at: Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap(),
    ///     time_zone: chrono_tz::Europe::Paris,
    ///     fan_club: None,
    ///     online: false,
    ///     activity: SupporterActivity::default(),
    ///     profile: SupporterProfile::default(),
    /// };
    /// s.activity.spends.push(SpendEvent { at: now, tokens: 50, feature: SpendFeature::Ppv });
    /// let c = SupporterCounters::from_supporter(&s, now);
    /// assert_eq!((c.tokens_lifetime, c.tokens_7d), (50, 50));
    /// assert_eq!(c.last_active_at, Some(now));
    /// ```
    pub fn from_supporter(s: &Supporter, now: DateTime<Utc>) -> SupporterCounters {
        let a = &s.activity;
        let mut c = SupporterCounters::new(s.id.clone(), s.joined_at);
        c.online = s.online;
        c.fan_club = s.fan_club;
        let seen = |t: DateTime<Utc>, last: &mut Option<DateTime<Utc>>| {
            if t <= now && last.is_none_or(|l| t > l) {
                *last = Some(t);
            }
        };
        let mut last_active = None;
        for e in a.spends.iter().filter(|e| e.at <= now) {
            c.tokens_lifetime = c.tokens_lifetime.saturating_add(e.tokens);
            if within_days(e.at, now, 30) {
                c.tokens_30d = c.tokens_30d.saturating_add(e.tokens);
            }
            if within_days(e.at, now, 7) {
                c.tokens_7d = c.tokens_7d.saturating_add(e.tokens);
                if e.feature == SpendFeature::LiveGift {
                    c.gifts_7d = c.gifts_7d.saturating_add(1);
                }
            }
            if c.first_purchase_at.is_none_or(|f| e.at < f) {
                c.first_purchase_at = Some(e.at);
            }
            seen(e.at, &mut c.last_purchase_at);
            seen(e.at, &mut last_active);
        }
        c.chat_messages_7d = sat_u32(
            a.chat_messages
                .iter()
                .filter(|t| within_days(**t, now, 7))
                .count(),
        );
        c.profile_views_7d = sat_u32(
            a.profile_views
                .iter()
                .filter(|t| within_days(**t, now, 7))
                .count(),
        );
        c.likes_7d = sat_u32(a.likes.iter().filter(|t| within_days(**t, now, 7)).count());
        for t in a
            .chat_messages
            .iter()
            .chain(&a.profile_views)
            .chain(&a.likes)
            .chain(&a.matches)
        {
            seen(*t, &mut last_active);
        }
        for t in &a.matches {
            seen(*t, &mut c.last_match_at);
        }
        for l in &a.live_sessions {
            seen(l.at, &mut last_active);
            if within_days(l.at, now, 7) {
                c.live_sessions_7d = c.live_sessions_7d.saturating_add(1);
                c.live_watch_seconds_7d = c
                    .live_watch_seconds_7d
                    .saturating_add(u64::from(l.watch_seconds));
                c.live_gift_tokens_7d = c.live_gift_tokens_7d.saturating_add(l.gift_tokens);
            }
        }
        for r in &a.event_rsvps {
            seen(r.at, &mut last_active);
        }
        c.last_active_at = last_active;
        c
    }
}
