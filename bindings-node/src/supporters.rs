//! Node bindings of `creator_crm::supporters`: scores, segments, inbox tabs,
//! alerts and insights, batch-first.
//!
//! A supporter is a plain object in **counters** form (`id`, `joined_at` and
//! any counter field of `SupporterCounters`) or in **events** form (`id`,
//! `joined_at`, `time_zone` and an `activity` object of dated events); an
//! object with an `activity` key is read as events. Timestamps are ISO 8601
//! strings (`date.toISOString()`).

use chrono::{DateTime, Utc};
use creator_crm::{
    Error,
    supporters::{
        self as core, AlertConfig, AlertInput, CooldownState, EventRsvp, InsightConfig, Scorer,
        ScoringConfig, Signal, Supporter, SupporterCounters, TabOptions as CoreTabOptions,
    },
};
use napi::{Env, Task, bindgen_prelude::AsyncTask};
use napi_derive::napi;
use serde_json::Value;

use crate::{
    data::{instant, parse, read_all, read_or_default, write},
    errors::to_napi_error,
};

/// The six signals of a score, each 0–100.
#[napi(object)]
pub struct Signals {
    /// Chat messages in the last 7 days.
    pub recent_chat: u32,
    /// Tokens spent, weighted to recent spending.
    pub gifting: u32,
    /// Profile views in the last 7 days.
    pub profile_views: u32,
    /// Live attendance, watch time and live gifts in the last 7 days.
    pub live_engagement: u32,
    /// A match within 7 days, fading out at 14.
    pub recent_match: u32,
    /// Likes in the last 7 days without chat.
    pub likes_without_chat: u32,
}

/// The compact score of one supporter.
#[napi(object)]
pub struct Score {
    /// Conversion probability, 0–100.
    pub probability: u32,
    /// Inbox priority, 0–150.
    pub priority: u32,
    /// The one segment.
    #[napi(ts_type = "'vip' | 'cold' | 'dormant' | 'hot_lead' | 'active'")]
    pub segment: String,
    /// The six signals.
    pub signals: Signals,
}

impl From<core::Score> for Score {
    fn from(s: core::Score) -> Self {
        let v = |sig| u32::from(s.signal(sig));
        Score {
            probability: u32::from(s.probability),
            priority: u32::from(s.priority),
            segment: s.segment.as_str().to_owned(),
            signals: Signals {
                recent_chat: v(Signal::RecentChat),
                gifting: v(Signal::Gifting),
                profile_views: v(Signal::ProfileViews),
                live_engagement: v(Signal::LiveEngagement),
                recent_match: v(Signal::RecentMatch),
                likes_without_chat: v(Signal::LikesWithoutChat),
            },
        }
    }
}

/// One inbox tab page.
#[napi(object)]
pub struct TabPage {
    /// Supporter ids in tab order.
    pub ids: Vec<String>,
    /// Their indices in the input array.
    pub indices: Vec<u32>,
    /// Members of the whole tab.
    pub total: u32,
}

/// The five inbox tabs.
#[napi(object)]
pub struct InboxTabs {
    /// Top VIPs by lifetime spend.
    pub vip: TabPage,
    /// Hot leads by probability.
    pub hot_leads: TabPage,
    /// Everyone with a payment, by last activity.
    pub all: TabPage,
    /// Dormant supporters, by last activity.
    pub dormant: TabPage,
    /// First purchase within the window, by join date.
    pub new: TabPage,
}

/// Tab sizes and paging.
#[napi(object)]
pub struct TabOptions {
    /// Size of the VIP tab (default 10).
    pub vip_size: Option<u32>,
    /// Items to skip in the other tabs (default 0).
    pub offset: Option<u32>,
    /// Items per page in the other tabs (default 50).
    pub limit: Option<u32>,
    /// Window of the New tab in days (default 30).
    pub new_within_days: Option<u32>,
}

/// One supporter in either input form.
enum Input {
    Counters(SupporterCounters),
    Events(Box<Supporter>),
}

impl Input {
    fn read(value: Value, what: &str) -> Result<Input, Error> {
        if value.get("activity").is_some() {
            Ok(Input::Events(Box::new(parse(value, what)?)))
        } else {
            Ok(Input::Counters(parse(value, what)?))
        }
    }

    fn counters(&self, now: DateTime<Utc>) -> SupporterCounters {
        match self {
            Input::Counters(c) => c.clone(),
            Input::Events(s) => SupporterCounters::from_supporter(s, now),
        }
    }

    fn rsvps(&self) -> &[EventRsvp] {
        match self {
            Input::Counters(_) => &[],
            Input::Events(s) => &s.activity.event_rsvps,
        }
    }
}

/// Everything a scoring call needs, read on the JavaScript thread.
struct Batch {
    scorer: Scorer,
    now: DateTime<Utc>,
    counters: Vec<SupporterCounters>,
}

fn batch(
    env: &Env,
    supporters: Vec<Value>,
    now: String,
    config: Option<Value>,
) -> napi::Result<Batch> {
    let now = instant(env, &now, "now")?;
    let cfg: ScoringConfig = read_or_default(env, config, "config")?;
    let scorer = Scorer::new(cfg).map_err(|e| to_napi_error(env, &e))?;
    let counters = read_all(supporters, "supporters", |v, what| {
        Ok(Input::read(v, what)?.counters(now))
    })
    .map_err(|e| to_napi_error(env, &e))?;
    Ok(Batch {
        scorer,
        now,
        counters,
    })
}

impl Batch {
    fn scores(&self) -> Vec<Score> {
        self.scorer
            .score_all(&self.counters, self.now)
            .into_iter()
            .map(Score::from)
            .collect()
    }

    fn tabs(&self, opts: &CoreTabOptions) -> Result<InboxTabs, Error> {
        let scores = self.scorer.score_all(&self.counters, self.now);
        let t = core::inbox_tabs(&self.counters, &scores, self.now, opts)?;
        let page = |p: core::TabPage| TabPage {
            ids: p
                .items
                .iter()
                .filter_map(|&i| self.counters.get(i as usize).map(|c| c.id.to_string()))
                .collect(),
            indices: p.items,
            total: u32::try_from(p.total).unwrap_or(u32::MAX),
        };
        Ok(InboxTabs {
            vip: page(t.vip),
            hot_leads: page(t.hot_leads),
            all: page(t.all),
            dormant: page(t.dormant),
            new: page(t.new),
        })
    }
}

fn tab_options(options: Option<TabOptions>) -> CoreTabOptions {
    let d = CoreTabOptions::default();
    let Some(o) = options else { return d };
    CoreTabOptions {
        vip_size: o.vip_size.map_or(d.vip_size, |v| v as usize),
        new_within_days: o
            .new_within_days
            .map_or(d.new_within_days, |v| u16::try_from(v).unwrap_or(u16::MAX)),
        page: core::Page {
            offset: o.offset.map_or(d.page.offset, |v| v as usize),
            limit: o.limit.map_or(d.page.limit, |v| v as usize),
        },
    }
}

/// Aggregates supporters given as events into counters (one per supporter).
#[napi(
    catch_unwind,
    ts_args_type = "supporters: Array<SupporterInput>, now: string",
    ts_return_type = "Array<SupporterCounters>"
)]
pub fn supporter_counters(env: &Env, supporters: Vec<Value>, now: String) -> napi::Result<Value> {
    let b = batch(env, supporters, now, None)?;
    write(env, &b.counters)
}

/// Scores supporters: signals, conversion probability, segment and priority,
/// one per supporter in input order. `config` overrides scoring defaults
/// (snake_case keys of `ScoringConfig`).
///
/// ```js
/// scoreSupporters([{ id: 's1', joined_at: '2025-01-01T00:00:00Z', tokens_lifetime: 1000 }], new Date().toISOString())[0].segment // 'vip'
/// ```
#[napi(
    catch_unwind,
    ts_args_type = "supporters: Array<SupporterInput>, now: string, config?: ScoringConfig | undefined | null"
)]
pub fn score_supporters(
    env: &Env,
    supporters: Vec<Value>,
    now: String,
    config: Option<Value>,
) -> napi::Result<Vec<Score>> {
    Ok(batch(env, supporters, now, config)?.scores())
}

/// The work of [`score_supporters_async`], run on the libuv thread pool.
pub struct ScoreTask(Option<Batch>);

impl Task for ScoreTask {
    type Output = Vec<Score>;
    type JsValue = Vec<Score>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(self.0.take().map(|b| b.scores()).unwrap_or_default())
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        Ok(output)
    }
}

/// `scoreSupporters` off the JavaScript thread (input is read first, so bad
/// input still throws synchronously).
#[napi(
    catch_unwind,
    ts_args_type = "supporters: Array<SupporterInput>, now: string, config?: ScoringConfig | undefined | null",
    ts_return_type = "Promise<Array<Score>>"
)]
pub fn score_supporters_async(
    env: Env,
    supporters: Vec<Value>,
    now: String,
    config: Option<Value>,
) -> napi::Result<AsyncTask<ScoreTask>> {
    let b = batch(&env, supporters, now, config)?;
    Ok(AsyncTask::new(ScoreTask(Some(b))))
}

/// Scores one supporter and explains it: contributing signals (largest
/// first), bonuses, the segment rule and the priority parts.
#[napi(
    catch_unwind,
    ts_args_type = "supporter: SupporterInput, now: string, config?: ScoringConfig | undefined | null",
    ts_return_type = "Explanation"
)]
pub fn explain_score(
    env: &Env,
    supporter: Value,
    now: String,
    config: Option<Value>,
) -> napi::Result<Value> {
    let b = batch(env, vec![supporter], now, config)?;
    match b.counters.first() {
        Some(c) => write(env, &b.scorer.explain(c, b.now)),
        None => Ok(Value::Null),
    }
}

/// Builds the five inbox tabs (VIP top 10 by lifetime spend; Hot leads by
/// probability; All with a payment and Dormant by last activity; New by join
/// date; ties by id), paged by `options`.
#[napi(
    catch_unwind,
    ts_args_type = "supporters: Array<SupporterInput>, now: string, options?: TabOptions | undefined | null, config?: ScoringConfig | undefined | null"
)]
pub fn inbox_tabs(
    env: &Env,
    supporters: Vec<Value>,
    now: String,
    options: Option<TabOptions>,
    config: Option<Value>,
) -> napi::Result<InboxTabs> {
    let b = batch(env, supporters, now, config)?;
    b.tabs(&tab_options(options))
        .map_err(|e| to_napi_error(env, &e))
}

/// The work of [`inbox_tabs_async`], run on the libuv thread pool.
pub struct TabsTask(Option<(Batch, CoreTabOptions)>);

impl Task for TabsTask {
    type Output = InboxTabs;
    type JsValue = InboxTabs;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let (b, opts) = self
            .0
            .take()
            .ok_or_else(|| napi::Error::from_reason("task already run"))?;
        b.tabs(&opts)
            .map_err(|e| napi::Error::from_reason(e.to_string()))
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        Ok(output)
    }
}

/// `inboxTabs` off the JavaScript thread.
#[napi(
    catch_unwind,
    ts_args_type = "supporters: Array<SupporterInput>, now: string, options?: TabOptions | undefined | null, config?: ScoringConfig | undefined | null",
    ts_return_type = "Promise<InboxTabs>"
)]
pub fn inbox_tabs_async(
    env: Env,
    supporters: Vec<Value>,
    now: String,
    options: Option<TabOptions>,
    config: Option<Value>,
) -> napi::Result<AsyncTask<TabsTask>> {
    let b = batch(&env, supporters, now, config)?;
    Ok(AsyncTask::new(TabsTask(Some((b, tab_options(options))))))
}

/// Candidate alerts (before cooldowns): `vip_online`, `hot_lead_active`,
/// `dormant_reactivation`, `spending_spike`, `fan_club_renewal_due`,
/// `event_rsvp`, `milestone_reached`. RSVPs come from the events form.
#[napi(
    catch_unwind,
    ts_args_type = "supporters: Array<SupporterInput>, now: string, config?: ScoringConfig | undefined | null, alertConfig?: AlertConfig | undefined | null",
    ts_return_type = "Array<Alert>"
)]
pub fn detect_alerts(
    env: &Env,
    supporters: Vec<Value>,
    now: String,
    config: Option<Value>,
    alert_config: Option<Value>,
) -> napi::Result<Value> {
    let now: DateTime<Utc> = instant(env, &now, "now")?;
    let cfg: ScoringConfig = read_or_default(env, config, "config")?;
    let scorer = Scorer::new(cfg).map_err(|e| to_napi_error(env, &e))?;
    let alert_cfg: AlertConfig = read_or_default(env, alert_config, "alert_config")?;
    let inputs =
        read_all(supporters, "supporters", Input::read).map_err(|e| to_napi_error(env, &e))?;
    let counters: Vec<SupporterCounters> = inputs.iter().map(|i| i.counters(now)).collect();
    let alert_inputs: Vec<AlertInput<'_>> = inputs
        .iter()
        .zip(&counters)
        .map(|(i, c)| AlertInput {
            counters: c,
            score: scorer.score(c, now),
            rsvps: i.rsvps(),
        })
        .collect();
    write(env, &core::detect_alerts(&alert_inputs, &alert_cfg, now))
}

/// The outcome of a delivery and the cooldown state to keep.
#[napi(object)]
pub struct Delivery {
    /// `{ delivered, suppressed, expired }` lists of alerts.
    #[napi(ts_type = "AlertOutcome")]
    pub outcome: Value,
    /// Pass it to the next `deliverAlerts` call.
    #[napi(ts_type = "CooldownState")]
    pub state: Value,
}

/// Delivers candidate alerts: drops expired ones and applies the 1-hour
/// cooldown per (supporter, kind), counted from delivered alerts.
#[napi(
    catch_unwind,
    ts_args_type = "candidates: Array<Alert>, state: CooldownState | undefined | null, now: string, alertConfig?: AlertConfig | undefined | null"
)]
pub fn deliver_alerts(
    env: &Env,
    candidates: Vec<Value>,
    state: Option<Value>,
    now: String,
    alert_config: Option<Value>,
) -> napi::Result<Delivery> {
    let now: DateTime<Utc> = instant(env, &now, "now")?;
    let cfg: AlertConfig = read_or_default(env, alert_config, "alert_config")?;
    let state: CooldownState = read_or_default(env, state, "state")?;
    let candidates =
        read_all(candidates, "candidates", parse).map_err(|e| to_napi_error(env, &e))?;
    let (outcome, state) = core::deliver_alerts(state, candidates, &cfg, now);
    Ok(Delivery {
        outcome: write(env, &outcome)?,
        state: write(env, &state)?,
    })
}

/// Insights per supporter (events form): best contact time in their time zone
/// (`null` without activity), spending and engagement trends, retention risk,
/// likely fan-club upgrade.
#[napi(
    catch_unwind,
    ts_args_type = "supporters: Array<SupporterRecord>, now: string, config?: InsightConfig | undefined | null",
    ts_return_type = "Array<SupporterInsights>"
)]
pub fn supporter_insights(
    env: &Env,
    supporters: Vec<Value>,
    now: String,
    config: Option<Value>,
) -> napi::Result<Value> {
    let now: DateTime<Utc> = instant(env, &now, "now")?;
    let cfg: InsightConfig = read_or_default(env, config, "config")?;
    let people: Vec<Supporter> =
        read_all(supporters, "supporters", parse).map_err(|e| to_napi_error(env, &e))?;
    let out: Vec<_> = people
        .iter()
        .map(|s| core::insights(s, &cfg, now))
        .collect();
    write(env, &out)
}
