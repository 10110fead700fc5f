//! Alert delivery: expiry and the per-(supporter, kind) cooldown, with the
//! state passed in and returned (nothing is remembered between calls).

use std::{cmp::Reverse, collections::BTreeMap};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::{
    alerts::{Alert, AlertConfig, AlertKind},
    model::SupporterId,
};

/// When each (supporter, kind) last had an alert delivered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CooldownState {
    delivered: BTreeMap<SupporterId, BTreeMap<AlertKind, DateTime<Utc>>>,
}

impl CooldownState {
    /// An empty state.
    pub fn new() -> Self {
        CooldownState::default()
    }

    /// When an alert of `kind` was last delivered for `supporter`.
    pub fn last_delivered(
        &self,
        supporter: &SupporterId,
        kind: AlertKind,
    ) -> Option<DateTime<Utc>> {
        self.delivered.get(supporter)?.get(&kind).copied()
    }

    /// Number of (supporter, kind) entries held.
    pub fn len(&self) -> usize {
        self.delivered.values().map(BTreeMap::len).sum()
    }

    /// Whether no entry is held.
    pub fn is_empty(&self) -> bool {
        self.delivered.is_empty()
    }

    fn record(&mut self, supporter: &SupporterId, kind: AlertKind, at: DateTime<Utc>) {
        self.delivered
            .entry(supporter.clone())
            .or_default()
            .insert(kind, at);
    }

    /// Drops entries whose cooldown is over at `now` (they no longer suppress
    /// anything), keeping the state bounded.
    fn prune(&mut self, now: DateTime<Utc>, cooldown: Duration) {
        self.delivered.retain(|_, kinds| {
            kinds.retain(|_, at| *at > now || now - *at < cooldown);
            !kinds.is_empty()
        });
    }
}

/// What happened to each candidate alert.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertOutcome {
    /// Delivered now, most urgent first (then supporter id, kind).
    pub delivered: Vec<Alert>,
    /// Held back by the cooldown of an earlier delivery (or a duplicate in this batch).
    pub suppressed: Vec<Alert>,
    /// Expired before delivery; these start no cooldown.
    pub expired: Vec<Alert>,
}

/// Delivers candidate alerts at `now`: expired ones are dropped, and a
/// (supporter, kind) delivered less than `cfg.cooldown_seconds` ago (or
/// already delivered in this batch) is suppressed. Returns the outcome and
/// the new state. The result does not depend on the order of `candidates`.
///
/// ```
/// use chrono::{Duration, TimeZone, Utc};
/// use creator_crm::supporters::*;
/// let now = Utc.with_ymd_and_hms(2026, 3, 1, 20, 0, 0).unwrap();
/// let alert = |at| Alert {
///     supporter: "s-1".into(),
///     kind: AlertKind::VipOnline,
///     priority: AlertPriority::Urgent,
///     created_at: at,
///     expires_at: None,
///     detail: AlertDetail::None,
/// };
/// let cfg = AlertConfig::default();
/// let (first, state) = deliver_alerts(CooldownState::new(), vec![alert(now)], &cfg, now);
/// assert_eq!(first.delivered.len(), 1);
/// let later = now + Duration::minutes(59);
/// let (second, state) = deliver_alerts(state, vec![alert(later)], &cfg, later);
/// assert_eq!(second.suppressed.len(), 1);
/// let hour = now + Duration::hours(1);
/// let (third, _) = deliver_alerts(state, vec![alert(hour)], &cfg, hour);
/// assert_eq!(third.delivered.len(), 1);
/// ```
pub fn deliver_alerts(
    mut state: CooldownState,
    mut candidates: Vec<Alert>,
    cfg: &AlertConfig,
    now: DateTime<Utc>,
) -> (AlertOutcome, CooldownState) {
    let cooldown = Duration::seconds(cfg.cooldown_seconds.max(0));
    candidates.sort_by(|a, b| {
        Reverse(a.priority)
            .cmp(&Reverse(b.priority))
            .then_with(|| a.supporter.cmp(&b.supporter))
            .then(a.kind.cmp(&b.kind))
            .then_with(|| a.cmp(b))
    });
    let mut out = AlertOutcome::default();
    for alert in candidates {
        if alert.expires_at.is_some_and(|e| e <= now) {
            out.expired.push(alert);
            continue;
        }
        let cooling = state
            .last_delivered(&alert.supporter, alert.kind)
            .is_some_and(|at| at > now || now - at < cooldown);
        if cooling {
            out.suppressed.push(alert);
        } else {
            state.record(&alert.supporter, alert.kind, now);
            out.delivered.push(alert);
        }
    }
    state.prune(now, cooldown);
    (out, state)
}
