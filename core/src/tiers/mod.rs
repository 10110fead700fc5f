//! Creator tiers: the TikTok Shop badge and the 7-tier classification.
//!
//! - [`monthly_gmv`] / [`monthly_gmv_from_snapshots`] turn dated
//!   [`GmvObservation`]s into a month's GMV.
//! - [`shop_badge`] gives the TikTok Shop [`ShopBadge`] for a monthly GMV
//!   ([`BadgeThresholds`]: silver and gold bounds are public, the rest assumed).
//! - [`classify_creator`] / [`classify_population`] give the [`CreatorTier`]
//!   (Newcomer … Legend) with the [`TierRule`] that decided it.
//! - [`apply_minimum_days`] keeps a creator in a tier for a minimum time.
//! - [`LegendSummary`] / [`LegendCut`] give [`classify_population`]'s Legends over a
//!   partitioned population (a small global pass for the top 0.1 %).
//!
//! Money is [`rust_decimal::Decimal`]; `now` is always a parameter.

mod badge;
mod classify;
mod gmv;
mod partitioned;
mod stability;

pub use badge::{BadgeDecision, BadgeThresholds, ShopBadge, shop_badge};
pub use classify::{
    CreatorTier, TierDecision, TierInput, TierRule, TierThresholds, classify_creator,
    classify_population,
};
pub use gmv::{GmvObservation, YearMonth, monthly_gmv, monthly_gmv_from_snapshots};
pub use partitioned::{LegendCut, LegendSummary, legend_keep};
pub use stability::{PreviousTier, StableTier, apply_minimum_days};
