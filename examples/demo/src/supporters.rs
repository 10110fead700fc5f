//! A deterministic sample population of supporters for the report: the bundled data has
//! creators' exports only, so the demo makes up fans the way a host would hand them in.
//! No personal data: ids and activity only.

use chrono::{DateTime, Duration, Utc};
use creator_crm::supporters::{
    FanClubMembership, LiveSession, SpendEvent, SpendFeature, Supporter, SupporterActivity,
    SupporterProfile,
};

/// A small linear congruential generator: the same population on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

/// `n` supporters as of `now`: regulars who buy every few days, fans who went quiet,
/// one-time buyers, big spenders, and some who never paid.
pub fn population(n: usize, now: DateTime<Utc>) -> Vec<Supporter> {
    let mut rng = Lcg(20_251_121);
    let zones = [
        chrono_tz::America::New_York,
        chrono_tz::America::Los_Angeles,
        chrono_tz::Europe::London,
        chrono_tz::Asia::Tokyo,
    ];
    (0..n)
        .map(|i| {
            let kind = rng.next(10);
            let mut a = SupporterActivity::default();
            let hours = |h: u64| now - Duration::hours(i64::try_from(h).unwrap_or(0));
            // kind 0: never paid; 1–2: one purchase; 3–6: regular; 7–8: went quiet; 9: big spender.
            let (purchases, gap_days, quiet_days, tokens) = match kind {
                0 => (0, 0, rng.next(60), 0),
                1 | 2 => (1, 0, rng.next(80), 20 + rng.next(80)),
                3..=6 => (
                    3 + rng.next(8),
                    2 + rng.next(6),
                    rng.next(4),
                    10 + rng.next(60),
                ),
                7 | 8 => (
                    2 + rng.next(5),
                    3 + rng.next(8),
                    20 + rng.next(60),
                    10 + rng.next(60),
                ),
                _ => (
                    5 + rng.next(10),
                    1 + rng.next(4),
                    rng.next(3),
                    150 + rng.next(300),
                ),
            };
            for k in 0..purchases {
                let h = (quiet_days + k * gap_days) * 24 + rng.next(20);
                a.spends.push(SpendEvent {
                    at: hours(h),
                    tokens,
                    feature: [
                        SpendFeature::Chat,
                        SpendFeature::LiveGift,
                        SpendFeature::Ppv,
                    ][usize::try_from(k % 3).unwrap_or(0)],
                });
                a.chat_messages.push(hours(h + 1));
            }
            for _ in 0..rng.next(6) {
                a.profile_views.push(hours(
                    (quiet_days * 24).saturating_sub(5) + rng.next(24 * 5),
                ));
            }
            if kind >= 3 && rng.next(3) == 0 {
                a.live_sessions.push(LiveSession {
                    at: hours(quiet_days * 24 + rng.next(48)),
                    watch_seconds: u32::try_from(300 + rng.next(3_000)).unwrap_or(0),
                    gifts: u32::try_from(rng.next(3)).unwrap_or(0),
                    gift_tokens: 10 * rng.next(3),
                });
            }
            let fan_club = (kind >= 5 && rng.next(2) == 0).then(|| FanClubMembership {
                tier: u8::try_from(1 + rng.next(3)).unwrap_or(1),
                since: now - Duration::days(90),
                renews_at: None,
            });
            Supporter {
                id: format!("fan-{i:03}").into(),
                display_name: None,
                joined_at: now - Duration::days(120 + i64::try_from(rng.next(400)).unwrap_or(0)),
                time_zone: zones[i % zones.len()],
                fan_club,
                online: rng.next(8) == 0,
                activity: a,
                profile: SupporterProfile::default(),
            }
        })
        .collect()
}
