//! Generated supporter populations for the supporter and tier benchmarks.

use chrono::{DateTime, Duration, TimeZone, Utc};
use creator_crm::{
    supporters::{FanClubMembership, SupporterCounters},
    tiers::TierInput,
};
use rust_decimal::Decimal;

/// The fixed `now` of every benchmark.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// A small deterministic generator (xorshift64*), so inputs are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// `n` supporters with a realistic mix: most spend little, a few spend a lot,
/// activity spread over the last 60 days, a quarter online, a tenth in the fan club.
pub fn counters(n: usize, seed: u64) -> Vec<SupporterCounters> {
    let now = now();
    let mut rng = Rng(seed | 1);
    (0..n)
        .map(|i| {
            let mut c = SupporterCounters::new(
                format!("s{i:08}").into(),
                now - Duration::minutes(rng.below(400 * 1440) as i64),
            );
            let big = rng.below(100) < 3;
            c.tokens_lifetime = if big {
                500 + rng.below(20_000)
            } else {
                rng.below(600)
            };
            c.tokens_30d = rng.below(c.tokens_lifetime + 1);
            c.tokens_7d = rng.below(c.tokens_30d + 1);
            c.gifts_7d = rng.below(3) as u32;
            c.chat_messages_7d = rng.below(15) as u32;
            c.profile_views_7d = rng.below(8) as u32;
            c.live_sessions_7d = rng.below(3) as u32;
            c.live_watch_seconds_7d = rng.below(7_200);
            c.live_gift_tokens_7d = rng.below(200);
            c.likes_7d = rng.below(10) as u32;
            c.last_match_at =
                (rng.below(4) == 0).then(|| now - Duration::minutes(rng.below(20 * 1440) as i64));
            c.last_active_at = Some(now - Duration::minutes(rng.below(60 * 1440) as i64));
            c.first_purchase_at = (c.tokens_lifetime > 0)
                .then(|| now - Duration::minutes(rng.below(120 * 1440) as i64));
            c.online = rng.below(4) == 0;
            c.fan_club = (rng.below(10) == 0).then(|| FanClubMembership {
                tier: 1 + rng.below(3) as u8,
                since: now - Duration::days(30),
                renews_at: None,
            });
            c
        })
        .collect()
}

/// `n` creators with long-tailed monthly earnings.
pub fn creators(n: usize, seed: u64) -> Vec<TierInput> {
    let now = now();
    let mut rng = Rng(seed | 1);
    (0..n)
        .map(|i| {
            let scale = [100, 2_000, 20_000, 200_000][rng.below(4) as usize];
            TierInput {
                id: format!("c{i:08}"),
                joined_at: now - Duration::days(rng.below(900) as i64),
                monthly_earnings: Decimal::new(rng.below(scale * 100) as i64, 2),
            }
        })
        .collect()
}
