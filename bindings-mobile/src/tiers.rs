//! Mobile bindings of `creator_crm::tiers`: TikTok Shop badge and the
//! 7-tier classification. Money is a decimal string (`"1234.56"`).

use std::time::SystemTime;

use creator_crm::{Error, tiers as core};
use rust_decimal::Decimal;

use crate::{errors::CrmError, time::from_system_time};

fn money(raw: &str, field: &'static str) -> Result<Decimal, CrmError> {
    raw.trim()
        .parse::<Decimal>()
        .map_err(|_| Error::invalid(field, "not a decimal amount").into())
}

/// A TikTok Shop badge and why.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BadgeDecision {
    /// `bronze`, `silver`, `gold`, `platinum`, `ruby`, `emerald`, `sapphire` or `diamond`.
    pub badge: String,
    /// The inclusive lower bound reached (`None` for bronze).
    pub threshold: Option<String>,
    /// Whether that bound is an assumption rather than a public figure.
    pub threshold_assumed: bool,
}

fn badge_name(b: core::ShopBadge) -> String {
    serde_json::to_value(b)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The TikTok Shop badge for a monthly GMV, with the default bounds (silver
/// 1,000 and gold 5,000 public; the higher ones assumed).
///
/// # Errors
/// [`CrmError::InvalidInput`] when `monthly_gmv` is not a decimal.
#[uniffi::export]
pub fn shop_badge(monthly_gmv: String) -> Result<BadgeDecision, CrmError> {
    let d = core::shop_badge(
        money(&monthly_gmv, "monthly_gmv")?,
        &core::BadgeThresholds::default(),
    );
    Ok(BadgeDecision {
        badge: badge_name(d.badge),
        threshold: d.threshold.map(|t| t.to_string()),
        threshold_assumed: d.threshold_assumed,
    })
}

/// One creator to classify.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CreatorInput {
    /// The creator's key.
    pub id: String,
    /// When the creator joined.
    pub joined_at: SystemTime,
    /// Monthly earnings, a decimal string.
    pub monthly_earnings: String,
}

/// A creator tier and the rule that gave it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TierDecision {
    /// `newcomer`, `emerging`, `rising`, `established`, `star`, `superstar` or `legend`.
    pub tier: String,
    /// `newcomer`, `top_share`, `earnings` or `held`.
    pub rule: String,
    /// The earnings bound reached, for the earnings rule (`None` for Emerging).
    pub threshold: Option<String>,
}

/// Classifies creators into the 7 tiers with the default bounds, Legends
/// included (`floor(n × 0.001)` slots, ties at the cut excluded).
///
/// # Errors
/// [`CrmError::InvalidInput`] for an amount that is not a decimal or a
/// timestamp out of range.
#[uniffi::export]
pub fn classify_creators(
    creators: Vec<CreatorInput>,
    now: SystemTime,
) -> Result<Vec<TierDecision>, CrmError> {
    let now = from_system_time(now)?;
    let inputs = creators
        .iter()
        .map(|c| {
            Ok(core::TierInput {
                id: c.id.clone(),
                joined_at: from_system_time(c.joined_at)?,
                monthly_earnings: money(&c.monthly_earnings, "monthly_earnings")?,
            })
        })
        .collect::<Result<Vec<_>, CrmError>>()?;
    let decisions = core::classify_population(&inputs, &core::TierThresholds::default(), now);
    Ok(decisions
        .iter()
        .map(|d| {
            let v = serde_json::to_value(d).unwrap_or_default();
            let s = |x: &serde_json::Value| x.as_str().map(str::to_owned);
            TierDecision {
                tier: s(&v["tier"]).unwrap_or_default(),
                rule: s(&v["rule"]["rule"]).unwrap_or_default(),
                threshold: match d.rule {
                    core::TierRule::Earnings { threshold, .. } => threshold.map(|t| t.to_string()),
                    _ => None,
                },
            }
        })
        .collect())
}
