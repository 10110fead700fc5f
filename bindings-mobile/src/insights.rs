//! Mobile bindings of supporter explanations and insights: why a score is
//! what it is, best contact time, trends, retention risk, fan-club upgrade.

use std::time::SystemTime;

use creator_crm::supporters as core;

use crate::{
    errors::CrmError,
    retention::{BgNbd, BgNbdFit, RfmSummary},
    supporter_config::{InsightConfig, ScoringConfig, scorer},
    supporter_events::{Supporter, to_core},
    supporters::{SupporterCounters, SupporterScore},
    time::from_system_time,
};

/// One of the six signals of a score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum Signal {
    /// Chat messages in the last 7 days.
    RecentChat,
    /// Tokens spent, weighted to recent spending.
    Gifting,
    /// Profile views in the last 7 days.
    ProfileViews,
    /// Live attendance, watch time and live gifts in the last 7 days.
    LiveEngagement,
    /// A match within 7 days, fading out at 14 days.
    RecentMatch,
    /// Likes in the last 7 days from a supporter who did not chat.
    LikesWithoutChat,
}

impl From<core::Signal> for Signal {
    fn from(s: core::Signal) -> Self {
        match s {
            core::Signal::RecentChat => Signal::RecentChat,
            core::Signal::Gifting => Signal::Gifting,
            core::Signal::ProfileViews => Signal::ProfileViews,
            core::Signal::LiveEngagement => Signal::LiveEngagement,
            core::Signal::RecentMatch => Signal::RecentMatch,
            core::Signal::LikesWithoutChat => Signal::LikesWithoutChat,
        }
    }
}

/// The segment rule that matched, with the values it compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SegmentRule {
    /// Lifetime tokens at or above the VIP threshold.
    LifetimeTokens {
        /// The supporter's lifetime tokens.
        tokens: u64,
        /// The threshold.
        threshold: u64,
    },
    /// Days without activity at or above a threshold (Cold, Dormant).
    Inactive {
        /// Whole days without activity.
        days: i64,
        /// The threshold.
        threshold: u16,
    },
    /// Probability at or above the hot-lead threshold.
    Probability {
        /// The probability.
        probability: u8,
        /// The threshold.
        threshold: u8,
    },
    /// No other rule matched.
    Default,
}

impl From<core::SegmentRule> for SegmentRule {
    fn from(r: core::SegmentRule) -> Self {
        match r {
            core::SegmentRule::LifetimeTokens { tokens, threshold } => {
                SegmentRule::LifetimeTokens { tokens, threshold }
            }
            core::SegmentRule::Inactive { days, threshold } => {
                SegmentRule::Inactive { days, threshold }
            }
            core::SegmentRule::Probability {
                probability,
                threshold,
            } => SegmentRule::Probability {
                probability,
                threshold,
            },
            core::SegmentRule::Default => SegmentRule::Default,
        }
    }
}

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum Weekday {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl From<chrono::Weekday> for Weekday {
    fn from(w: chrono::Weekday) -> Self {
        match w {
            chrono::Weekday::Mon => Weekday::Mon,
            chrono::Weekday::Tue => Weekday::Tue,
            chrono::Weekday::Wed => Weekday::Wed,
            chrono::Weekday::Thu => Weekday::Thu,
            chrono::Weekday::Fri => Weekday::Fri,
            chrono::Weekday::Sat => Weekday::Sat,
            chrono::Weekday::Sun => Weekday::Sun,
        }
    }
}

/// One signal's part in the probability.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Contribution {
    /// The signal.
    pub signal: Signal,
    /// The signal's value, 0–100.
    pub value: u8,
    /// Its weight, percent.
    pub weight: u8,
    /// Points it adds: `value × weight / 100`.
    pub points: f64,
}

/// A score and why.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ScoreExplanation {
    /// The score.
    pub score: SupporterScore,
    /// Signals with a non-zero contribution, largest first.
    pub contributions: Vec<Contribution>,
    /// Bonus for being online.
    pub online_bonus: u8,
    /// Bonus for fan-club membership.
    pub fan_club_bonus: u8,
    /// Weighted sum plus bonuses before the cap at 100.
    pub uncapped_probability: u32,
    /// The segment rule that matched.
    pub segment_rule: SegmentRule,
    /// The parts of the priority (`probability`, `online`, `vip`, `live_7d`,
    /// `gift_7d`), before the cap.
    pub priority_parts: Vec<PriorityPart>,
}

/// One part of the inbox priority.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PriorityPart {
    /// `probability`, `online`, `vip`, `live_7d` or `gift_7d`.
    pub part: String,
    /// Points it adds.
    pub points: u8,
}

/// Scores one supporter and explains the result, with the given scoring
/// configuration (the defaults when `config` is `None`).
///
/// # Errors
/// [`CrmError::InvalidInput`] for a timestamp out of range or an incoherent
/// configuration.
#[uniffi::export(default(config = None))]
pub fn explain_score(
    supporter: SupporterCounters,
    now: SystemTime,
    config: Option<ScoringConfig>,
) -> Result<ScoreExplanation, CrmError> {
    let now = from_system_time(now)?;
    let c = core::SupporterCounters::try_from(&supporter)?;
    let e = scorer(config)?.explain(&c, now);
    Ok(ScoreExplanation {
        score: e.score.into(),
        contributions: e
            .contributions
            .iter()
            .map(|c| Contribution {
                signal: c.signal.into(),
                value: c.value,
                weight: c.weight,
                points: c.points,
            })
            .collect(),
        online_bonus: e.online_bonus,
        fan_club_bonus: e.fan_club_bonus,
        uncapped_probability: e.uncapped_probability,
        priority_parts: e
            .priority_parts
            .iter()
            .map(|p| PriorityPart {
                part: p.part.to_owned(),
                points: p.points,
            })
            .collect(),
        segment_rule: e.segment_rule.into(),
    })
}

/// Best contact time in the supporter's own time zone.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ContactTime {
    /// Local hour, 0–23.
    pub hour: u8,
    /// The best weekday at that hour, when one stands out.
    pub weekday: Option<Weekday>,
    /// How much to trust it, 0–100.
    pub confidence: u8,
    /// Events it rests on.
    pub events: u32,
}

/// Direction of a measure between two equal windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum TrendDirection {
    /// +20 % or more.
    Rising,
    /// Within ±20 %.
    Stable,
    /// −20 % or less.
    Falling,
    /// Activity only in the recent window.
    New,
    /// No activity in either window (`none` in the core; renamed so Swift's
    /// `Optional.none` stays unambiguous).
    NoActivity,
}

impl From<core::TrendDirection> for TrendDirection {
    fn from(d: core::TrendDirection) -> Self {
        match d {
            core::TrendDirection::Rising => TrendDirection::Rising,
            core::TrendDirection::Stable => TrendDirection::Stable,
            core::TrendDirection::Falling => TrendDirection::Falling,
            core::TrendDirection::New => TrendDirection::New,
            core::TrendDirection::None => TrendDirection::NoActivity,
        }
    }
}

/// A measure over the recent window against the one before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct Trend {
    /// The direction.
    pub direction: TrendDirection,
    /// The recent window's amount.
    pub recent: u64,
    /// The previous window's amount.
    pub previous: u64,
}

impl From<core::Trend> for Trend {
    fn from(t: core::Trend) -> Self {
        Trend {
            direction: t.direction.into(),
            recent: t.recent,
            previous: t.previous,
        }
    }
}

/// Retention risk level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum RiskLevel {
    /// Score below 30.
    Low,
    /// Score 30–59.
    Medium,
    /// Score 60 or more.
    High,
}

/// Why a retention risk is the heuristic's rather than the purchase model's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum HeuristicReason {
    /// Insights were asked for without a purchase model (`supporterInsights`).
    NoModel,
    /// Too few supporters with purchases to fit the model.
    TooFewBuyers {
        /// Supporters with at least one purchase.
        buyers: u64,
        /// How many the fit needs.
        needed: u64,
    },
    /// Too few supporters with a repeat purchase day to fit the model.
    TooFewRepeatBuyers {
        /// Supporters with a repeat purchase day.
        repeat_buyers: u64,
        /// How many the fit needs.
        needed: u64,
    },
    /// The fit found no finite optimum, or did not converge.
    FitFailed,
    /// The supporter never paid: the model describes buyers.
    NoPurchases,
    /// The supporter paid on one day only: the model gives no drop-out before a repeat
    /// purchase.
    NoRepeatPurchase,
}

impl From<core::HeuristicReason> for HeuristicReason {
    fn from(r: core::HeuristicReason) -> Self {
        match r {
            core::HeuristicReason::NoModel => HeuristicReason::NoModel,
            core::HeuristicReason::TooFewBuyers { buyers, needed } => {
                HeuristicReason::TooFewBuyers { buyers, needed }
            }
            core::HeuristicReason::TooFewRepeatBuyers {
                repeat_buyers,
                needed,
            } => HeuristicReason::TooFewRepeatBuyers {
                repeat_buyers,
                needed,
            },
            core::HeuristicReason::FitFailed => HeuristicReason::FitFailed,
            core::HeuristicReason::NoPurchases => HeuristicReason::NoPurchases,
            core::HeuristicReason::NoRepeatPurchase => HeuristicReason::NoRepeatPurchase,
        }
    }
}

impl From<HeuristicReason> for core::HeuristicReason {
    fn from(r: HeuristicReason) -> Self {
        match r {
            HeuristicReason::NoModel => core::HeuristicReason::NoModel,
            HeuristicReason::TooFewBuyers { buyers, needed } => {
                core::HeuristicReason::TooFewBuyers { buyers, needed }
            }
            HeuristicReason::TooFewRepeatBuyers {
                repeat_buyers,
                needed,
            } => core::HeuristicReason::TooFewRepeatBuyers {
                repeat_buyers,
                needed,
            },
            HeuristicReason::FitFailed => core::HeuristicReason::FitFailed,
            HeuristicReason::NoPurchases => core::HeuristicReason::NoPurchases,
            HeuristicReason::NoRepeatPurchase => core::HeuristicReason::NoRepeatPurchase,
        }
    }
}

#[uniffi::export]
impl HeuristicReason {
    /// The reason in words (numbers only, never personal data).
    pub fn describe(&self) -> String {
        core::HeuristicReason::from(*self).describe()
    }
}

/// What the BG/NBD purchase model said about one supporter.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct ModelRisk {
    /// The probability that the supporter still buys.
    pub p_alive: f64,
    /// Expected purchase days in the next `horizon_days`.
    pub expected_purchases: f64,
    /// The horizon of `expected_purchases`, in days.
    pub horizon_days: u32,
    /// The supporter's repeat purchase days.
    pub frequency: u32,
    /// Days from the first purchase day to the last.
    pub recency_days: f64,
    /// Days from the first purchase day to `now`.
    pub age_days: f64,
    /// The model's parameters (in days).
    pub params: BgNbd,
    /// Supporters the model was fitted on.
    pub fitted_on: u64,
}

impl From<core::ModelRisk> for ModelRisk {
    fn from(m: core::ModelRisk) -> Self {
        ModelRisk {
            p_alive: m.p_alive,
            expected_purchases: m.expected_purchases,
            horizon_days: m.horizon_days,
            frequency: m.frequency,
            recency_days: m.recency_days,
            age_days: m.age_days,
            params: m.params.into(),
            fitted_on: m.fitted_on,
        }
    }
}

/// What a retention risk was computed from.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Enum)]
pub enum RiskBasis {
    /// The BG/NBD model of purchases: the score is `round(100 × (1 − P(alive)))`.
    Model {
        /// The model's numbers for the supporter.
        risk: ModelRisk,
    },
    /// The heuristic of inactivity and falling trends, and why the model was not used.
    Heuristic {
        /// Why not the model.
        reason: HeuristicReason,
    },
}

/// How likely a supporter is to drift away, and why.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RetentionRisk {
    /// The level.
    pub level: RiskLevel,
    /// The score, 0–100.
    pub score: u8,
    /// Whole days since the last activity.
    pub days_inactive: i64,
    /// Spending is falling.
    pub spending_falling: bool,
    /// Engagement is falling.
    pub engagement_falling: bool,
    /// The purchase model or the heuristic, with its numbers.
    pub basis: RiskBasis,
    /// The basis and its numbers in words (no personal data).
    pub explanation: String,
}

impl From<core::RetentionRisk> for RetentionRisk {
    fn from(r: core::RetentionRisk) -> Self {
        RetentionRisk {
            level: match r.level {
                core::RiskLevel::Low => RiskLevel::Low,
                core::RiskLevel::Medium => RiskLevel::Medium,
                core::RiskLevel::High => RiskLevel::High,
            },
            score: r.score,
            days_inactive: r.days_inactive,
            spending_falling: r.spending_falling,
            engagement_falling: r.engagement_falling,
            basis: match r.basis {
                core::RiskBasis::BgNbd(m) => RiskBasis::Model { risk: m.into() },
                core::RiskBasis::Heuristic { reason } => RiskBasis::Heuristic {
                    reason: reason.into(),
                },
            },
            explanation: r.explanation,
        }
    }
}

/// A likely fan-club upgrade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct UpgradeHint {
    /// The current tier (`None` for a non-member).
    pub current_tier: Option<u8>,
    /// The tier the supporter is likely to take.
    pub suggested_tier: u8,
    /// Tokens spent in the last 30 days.
    pub tokens_30d: u64,
    /// The 30-day spend that suggests the upgrade.
    pub threshold: u64,
}

impl From<core::UpgradeHint> for UpgradeHint {
    fn from(u: core::UpgradeHint) -> Self {
        UpgradeHint {
            current_tier: u.current_tier,
            suggested_tier: u.suggested_tier,
            tokens_30d: u.tokens_30d,
            threshold: u.threshold,
        }
    }
}

/// What [`supporter_insights`] finds for one supporter.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SupporterInsights {
    /// Best contact time; `None` without activity (never a made-up default).
    pub best_contact_time: Option<ContactTime>,
    /// Tokens, 30 days against the 30 before.
    pub spending_trend: Trend,
    /// Chats, profile views, likes, live sessions and matches, 14 days against the 14 before.
    pub engagement_trend: Trend,
    /// Retention risk.
    pub retention_risk: RetentionRisk,
    /// A likely fan-club upgrade, if any.
    pub fan_club_upgrade: Option<UpgradeHint>,
}

impl From<core::SupporterInsights> for SupporterInsights {
    fn from(i: core::SupporterInsights) -> Self {
        SupporterInsights {
            best_contact_time: i.best_contact_time.map(|c| ContactTime {
                hour: c.hour,
                weekday: c.weekday.map(Weekday::from),
                confidence: c.confidence,
                events: c.events,
            }),
            spending_trend: i.spending_trend.into(),
            engagement_trend: i.engagement_trend.into(),
            retention_risk: i.retention_risk.into(),
            fan_club_upgrade: i.fan_club_upgrade.map(Into::into),
        }
    }
}

/// Insights for a batch of supporters in events form, in input order, with the given
/// settings (the defaults when `config` is `None`). Each retention risk is the heuristic's
/// (`HeuristicReason.NoModel`): [`supporter_insights_for_all`] and
/// [`supporter_insights_with_model`] back it with the purchase model.
///
/// # Errors
/// [`CrmError::InvalidInput`] for an unknown time zone or a timestamp out of range.
#[uniffi::export(default(config = None))]
pub fn supporter_insights(
    supporters: Vec<Supporter>,
    now: SystemTime,
    config: Option<InsightConfig>,
) -> Result<Vec<SupporterInsights>, CrmError> {
    let now = from_system_time(now)?;
    let cfg: core::InsightConfig = config.map(Into::into).unwrap_or_default();
    Ok(to_core(&supporters)?
        .iter()
        .map(|s| core::insights(s, &cfg, now).into())
        .collect())
}

/// When the purchase model is fitted, and the horizon of its predictions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct RetentionConfig {
    /// Supporters with at least one purchase needed to fit.
    #[uniffi(default = 30)]
    pub min_buyers: u64,
    /// Of them, supporters with a repeat purchase day needed to fit.
    #[uniffi(default = 10)]
    pub min_repeat_buyers: u64,
    /// Days ahead of the expected purchases.
    #[uniffi(default = 30)]
    pub horizon_days: u32,
}

impl From<RetentionConfig> for core::RetentionConfig {
    fn from(c: RetentionConfig) -> Self {
        core::RetentionConfig {
            min_buyers: c.min_buyers,
            min_repeat_buyers: c.min_repeat_buyers,
            horizon_days: c.horizon_days,
        }
    }
}

impl From<core::RetentionConfig> for RetentionConfig {
    fn from(c: core::RetentionConfig) -> Self {
        RetentionConfig {
            min_buyers: c.min_buyers,
            min_repeat_buyers: c.min_repeat_buyers,
            horizon_days: c.horizon_days,
        }
    }
}

/// The documented default retention configuration (30 buyers, 10 repeat buyers, 30 days).
#[uniffi::export]
pub fn default_retention_config() -> RetentionConfig {
    core::RetentionConfig::default().into()
}

/// Insights for every supporter of a population at `now`, in input order, on device: the
/// BG/NBD purchase model is fitted once on all of them and backs each retention risk it
/// can; where it cannot be fitted (too few buyers, no convergence), every risk is the
/// heuristic's and its basis says why.
///
/// # Errors
/// [`CrmError::InvalidInput`] for an unknown time zone or a timestamp out of range.
#[uniffi::export(default(config = None, retention = None))]
pub fn supporter_insights_for_all(
    supporters: Vec<Supporter>,
    now: SystemTime,
    config: Option<InsightConfig>,
    retention: Option<RetentionConfig>,
) -> Result<Vec<SupporterInsights>, CrmError> {
    let now = from_system_time(now)?;
    let cfg: core::InsightConfig = config.map(Into::into).unwrap_or_default();
    let retention: core::RetentionConfig = retention.map(Into::into).unwrap_or_default();
    Ok(
        core::insights_for_all(&to_core(&supporters)?, &cfg, &retention, now)
            .into_iter()
            .map(Into::into)
            .collect(),
    )
}

/// A BG/NBD of supporters' purchases (in days), fitted on a population or given by its
/// parameters.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PurchaseModel {
    /// The model (in days).
    pub model: BgNbd,
    /// Supporters it was fitted on.
    pub fitted_on: u64,
    /// The horizon of expected purchases, in days.
    pub horizon_days: u32,
    /// The fit with standard errors; `None` for a model given by its parameters.
    #[uniffi(default = None)]
    pub fit: Option<BgNbdFit>,
}

impl From<&PurchaseModel> for core::PurchaseModel {
    fn from(m: &PurchaseModel) -> Self {
        // The fit's details stay on the foreign side: predictions need the parameters only.
        core::PurchaseModel::new(m.model.into(), m.fitted_on, m.horizon_days)
    }
}

/// The purchase model of a population, or why there is none.
// Returned once across the FFI and lowered at once: the size of a variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum PurchaseModelFit {
    /// The model was fitted.
    Fitted {
        /// The model.
        model: PurchaseModel,
    },
    /// The model could not be fitted: the heuristic backs every risk instead.
    NotFitted {
        /// Why.
        reason: HeuristicReason,
    },
}

/// Fits the purchase model on the purchases of `supporters` as of `now` (spends of at
/// least one token, in UTC days), to keep and apply with
/// [`supporter_insights_with_model`].
///
/// # Errors
/// [`CrmError::InvalidInput`] for an unknown time zone or a timestamp out of range.
#[uniffi::export(default(retention = None))]
pub fn fit_purchase_model(
    supporters: Vec<Supporter>,
    now: SystemTime,
    retention: Option<RetentionConfig>,
) -> Result<PurchaseModelFit, CrmError> {
    let now = from_system_time(now)?;
    let retention: core::RetentionConfig = retention.map(Into::into).unwrap_or_default();
    Ok(
        match core::PurchaseModel::fit(&to_core(&supporters)?, &retention, now) {
            Ok(m) => PurchaseModelFit::Fitted {
                model: PurchaseModel {
                    model: m.model.into(),
                    fitted_on: m.fitted_on,
                    horizon_days: m.horizon_days,
                    fit: m.fit.as_ref().map(BgNbdFit::from),
                },
            },
            Err(reason) => PurchaseModelFit::NotFitted {
                reason: reason.into(),
            },
        },
    )
}

/// Insights for supporters at `now`, in input order, each retention risk backed by `model`
/// where it has something to say about the supporter (a repeat purchase day), else the
/// heuristic with the reason.
///
/// # Errors
/// [`CrmError::InvalidInput`] for an unknown time zone or a timestamp out of range.
#[uniffi::export(default(config = None))]
pub fn supporter_insights_with_model(
    supporters: Vec<Supporter>,
    now: SystemTime,
    model: PurchaseModel,
    config: Option<InsightConfig>,
) -> Result<Vec<SupporterInsights>, CrmError> {
    let now = from_system_time(now)?;
    let cfg: core::InsightConfig = config.map(Into::into).unwrap_or_default();
    let model = core::PurchaseModel::from(&model);
    Ok(to_core(&supporters)?
        .iter()
        .map(|s| core::insights_with_model(s, &cfg, &model, now).into())
        .collect())
}

/// A supporter's purchase summary in UTC days as of `now` (spends of at least one token,
/// at or before `now`); `None` without such a spend.
///
/// # Errors
/// [`CrmError::InvalidInput`] for an unknown time zone or a timestamp out of range.
#[uniffi::export]
pub fn purchase_summary(
    supporter: Supporter,
    now: SystemTime,
) -> Result<Option<RfmSummary>, CrmError> {
    let now = from_system_time(now)?;
    let s = creator_crm::supporters::Supporter::try_from(&supporter)?;
    Ok(core::purchase_summary(&s, now).map(Into::into))
}
