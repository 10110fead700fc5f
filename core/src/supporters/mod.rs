//! Supporters: the fans who pay a creator.
//!
//! - [`model`]: the input — a [`Supporter`] with dated activity and a redacted
//!   [`SupporterProfile`], or the [`SupporterCounters`] a host already keeps;
//!   [`SupporterCounters::from_supporter`] turns events into counters given `now`.
//! - [`ScoringConfig`] (documented defaults) compiles into a [`Scorer`], which
//!   turns counters into a compact [`Score`]: six [`Signal`]s, conversion
//!   probability, exactly one [`Segment`] and a priority. [`Scorer::explain`]
//!   says why.
//!
//! Everything takes `now` as a parameter; nothing reads a clock.

pub mod model;

mod config;
mod counters;
mod curve;
mod explain;
mod score;

pub use config::{ScoringConfig, SignalWeights};
pub use curve::{Curve, CurveTable};
pub use explain::{Contribution, Explanation, PriorityPart, SegmentRule};
pub use model::{
    EventRsvp, FanClubMembership, LiveSession, SocialHandle, SpendEvent, SpendFeature, Supporter,
    SupporterActivity, SupporterCounters, SupporterId, SupporterProfile,
};
pub use score::{Score, Scorer, Segment, Signal};
