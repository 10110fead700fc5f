//! TikTok Shop creator badge by monthly GMV.
//!
//! Only two bounds are public: silver from 1,000 and gold from 5,000 (USD of
//! monthly GMV). The higher badges' bounds are **assumptions** made here as
//! configurable defaults, to be replaced when the real ones are known:
//!
//! | badge | lower bound (inclusive) | source |
//! |---|---|---|
//! | bronze | — (below silver) | public |
//! | silver | 1,000 | public |
//! | gold | 5,000 | public |
//! | platinum | 25,000 | assumed |
//! | ruby | 50,000 | assumed |
//! | emerald | 100,000 | assumed |
//! | sapphire | 250,000 | assumed |
//! | diamond | 500,000 | assumed |

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// A TikTok Shop badge, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShopBadge {
    /// Below silver.
    Bronze,
    /// 1K–5K.
    Silver,
    /// 5K and up (up to platinum).
    Gold,
    /// Assumed bound.
    Platinum,
    /// Assumed bound.
    Ruby,
    /// Assumed bound.
    Emerald,
    /// Assumed bound.
    Sapphire,
    /// Assumed bound.
    Diamond,
}

impl ShopBadge {
    /// The badges above bronze, in threshold order.
    pub const RANKED: [ShopBadge; 7] = [
        ShopBadge::Silver,
        ShopBadge::Gold,
        ShopBadge::Platinum,
        ShopBadge::Ruby,
        ShopBadge::Emerald,
        ShopBadge::Sapphire,
        ShopBadge::Diamond,
    ];

    /// Whether this badge's bound is public (bronze, silver, gold) rather than assumed.
    pub const fn bound_is_public(self) -> bool {
        matches!(
            self,
            ShopBadge::Bronze | ShopBadge::Silver | ShopBadge::Gold
        )
    }
}

/// Lower bounds (inclusive, monthly GMV) of silver through diamond.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadgeThresholds {
    bounds: [Decimal; 7],
}

impl Default for BadgeThresholds {
    fn default() -> Self {
        BadgeThresholds {
            bounds: [1_000, 5_000, 25_000, 50_000, 100_000, 250_000, 500_000].map(Decimal::from),
        }
    }
}

impl BadgeThresholds {
    /// Lower bounds of silver, gold, platinum, ruby, emerald, sapphire and
    /// diamond; they must be positive and strictly increasing.
    pub fn new(bounds: [Decimal; 7]) -> Result<Self> {
        if bounds.first().is_some_and(|b| *b <= Decimal::ZERO)
            || bounds.windows(2).any(|w| w.first() >= w.get(1))
        {
            return Err(Error::invalid(
                "badge_thresholds",
                "bounds must be positive and strictly increasing",
            ));
        }
        Ok(BadgeThresholds { bounds })
    }

    /// The lower bound of `badge` (`None` for bronze).
    pub fn lower_bound(&self, badge: ShopBadge) -> Option<Decimal> {
        let i = ShopBadge::RANKED.iter().position(|b| *b == badge)?;
        self.bounds.get(i).copied()
    }
}

/// A badge and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadgeDecision {
    /// The badge.
    pub badge: ShopBadge,
    /// The monthly GMV it was decided on.
    pub monthly_gmv: Decimal,
    /// The inclusive lower bound that was reached (`None` for bronze).
    pub threshold: Option<Decimal>,
    /// Whether that bound is an assumption rather than a public figure.
    pub threshold_assumed: bool,
    /// The next badge and its bound, if any.
    pub next: Option<(ShopBadge, Decimal)>,
}

/// The badge for a monthly GMV. Lower bounds are inclusive.
///
/// ```
/// use creator_crm::tiers::{BadgeThresholds, ShopBadge, shop_badge};
/// use rust_decimal_macros::dec;
/// let t = BadgeThresholds::default();
/// assert_eq!(shop_badge(dec!(999.99), &t).badge, ShopBadge::Bronze);
/// assert_eq!(shop_badge(dec!(1000), &t).badge, ShopBadge::Silver);
/// let gold = shop_badge(dec!(5000), &t);
/// assert_eq!((gold.badge, gold.threshold), (ShopBadge::Gold, Some(dec!(5000))));
/// assert!(!gold.threshold_assumed);
/// ```
pub fn shop_badge(monthly_gmv: Decimal, thresholds: &BadgeThresholds) -> BadgeDecision {
    let reached = ShopBadge::RANKED
        .iter()
        .zip(thresholds.bounds)
        .take_while(|(_, bound)| monthly_gmv >= *bound)
        .last();
    let next = ShopBadge::RANKED
        .iter()
        .zip(thresholds.bounds)
        .find(|(_, bound)| monthly_gmv < *bound)
        .map(|(b, bound)| (*b, bound));
    match reached {
        Some((&badge, bound)) => BadgeDecision {
            badge,
            monthly_gmv,
            threshold: Some(bound),
            threshold_assumed: !badge.bound_is_public(),
            next,
        },
        None => BadgeDecision {
            badge: ShopBadge::Bronze,
            monthly_gmv,
            threshold: None,
            threshold_assumed: false,
            next,
        },
    }
}
