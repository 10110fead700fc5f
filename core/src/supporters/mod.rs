//! Supporters: the fans who pay a creator.
//!
//! - [`model`]: the input — a [`Supporter`] with dated activity and a redacted
//!   [`SupporterProfile`], or the [`SupporterCounters`] a host already keeps;
//!   [`SupporterCounters::from_supporter`] turns events into counters given `now`.
//! - [`ScoringConfig`] (documented defaults) compiles into a [`Scorer`], which
//!   turns counters into a compact [`Score`] (9 bytes): six [`Signal`]s,
//!   conversion probability, exactly one [`Segment`] and a priority.
//!   [`Scorer::explain`] says why.
//! - [`inbox_tabs`] builds the five inbox tabs from counters and scores.
//! - [`detect_alerts`] finds candidate alerts; [`deliver_alerts`] applies
//!   expiry and cooldowns with a [`CooldownState`] passed in and returned.
//! - [`insights`]: best contact time, trends, retention risk, fan-club upgrade;
//!   [`insights_for_all`] backs the retention risk with a BG/NBD model of the
//!   population's purchases ([`PurchaseModel`]).
//!
//! Everything takes `now` as a parameter; nothing reads a clock.

pub mod model;

mod alerts;
mod config;
mod contact_time;
mod cooldown;
mod counters;
mod curve;
mod explain;
mod insights;
mod retention;
mod score;
mod span;
mod tabs;
mod topk;

pub use alerts::{
    Alert, AlertConfig, AlertDetail, AlertInput, AlertKind, AlertPriority, detect_alerts,
};
pub use config::{ScoringConfig, SignalWeights};
pub use contact_time::{ActivityHistogram, ContactTime, best_contact_time};
pub use cooldown::{AlertOutcome, CooldownState, deliver_alerts};
pub use curve::{Curve, CurveTable};
pub use explain::{Contribution, Explanation, PriorityPart, SegmentRule};
pub use insights::{
    InsightConfig, RetentionRisk, RiskBasis, RiskLevel, SupporterInsights, Trend, TrendDirection,
    UpgradeHint, insights, insights_for_all, insights_with_model,
};
pub use model::{
    EventRsvp, FanClubMembership, LiveSession, SocialHandle, SpendEvent, SpendFeature, Supporter,
    SupporterActivity, SupporterCounters, SupporterId, SupporterProfile,
};
pub use retention::{HeuristicReason, ModelRisk, PurchaseModel, RetentionConfig, purchase_summary};
pub use score::{Score, Scorer, Segment, Signal};
pub use tabs::{InboxTabs, Page, Tab, TabOptions, TabPage, inbox_tabs, tab};
