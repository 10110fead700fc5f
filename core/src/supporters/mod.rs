//! Supporters: the fans who pay a creator.
//!
//! - [`model`]: the input — a [`Supporter`] with dated activity and a redacted
//!   [`SupporterProfile`], or the [`SupporterCounters`] a host already keeps.
//! - [`counters`](SupporterCounters::from_supporter): events → counters, given `now`.

pub mod model;

mod counters;

pub use model::{
    EventRsvp, FanClubMembership, LiveSession, SocialHandle, SpendEvent, SpendFeature, Supporter,
    SupporterActivity, SupporterCounters, SupporterId, SupporterProfile,
};
