//! Node bindings of `creator_crm::tiers`: TikTok Shop badge, the 7-tier
//! classification, minimum days in a tier and monthly GMV.
//!
//! Money goes in as a decimal string or a number and comes back as a string.

use creator_crm::{
    Error,
    tiers::{
        self as core, BadgeThresholds, GmvObservation, PreviousTier, TierDecision, TierInput,
        TierThresholds, YearMonth,
    },
};
use napi::Env;
use napi_derive::napi;
use rust_decimal::Decimal;
use serde_json::Value;

use crate::{
    data::{instant, money, money_as_string, parse, read, read_all, read_or_default, write},
    errors::to_napi_error,
};

/// The TikTok Shop badge for a monthly GMV (lower bounds inclusive): silver
/// from 1,000 and gold from 5,000 (public); platinum 25,000, ruby 50,000,
/// emerald 100,000, sapphire 250,000, diamond 500,000 (assumed defaults;
/// pass 7 increasing `thresholds` to change them).
///
/// ```js
/// shopBadge('5000').badge // 'gold'
/// ```
#[napi(
    catch_unwind,
    ts_args_type = "monthlyGmv: string | number, thresholds?: Array<string | number> | undefined | null",
    ts_return_type = "BadgeDecision"
)]
pub fn shop_badge(
    env: &Env,
    monthly_gmv: Value,
    thresholds: Option<Vec<Value>>,
) -> napi::Result<Value> {
    let err = |e: Error| to_napi_error(env, &e);
    let gmv = money(monthly_gmv, "monthly_gmv").map_err(err)?;
    let t = match thresholds {
        None => BadgeThresholds::default(),
        Some(values) => {
            let bounds = read_all(values, "thresholds", money).map_err(err)?;
            let bounds: [Decimal; 7] = bounds
                .try_into()
                .map_err(|_| err(Error::invalid("thresholds", "expected 7 bounds")))?;
            BadgeThresholds::new(bounds).map_err(err)?
        }
    };
    write(env, &core::shop_badge(gmv, &t))
}

/// Classifies creators (`{ id, joined_at, monthly_earnings }`) into the 7
/// tiers, Legends included: `floor(n × 0.001)` slots for the top earners,
/// ties at the cut excluded, newcomers keep their slot unused.
#[napi(
    catch_unwind,
    ts_args_type = "creators: Array<TierInput>, now: string, thresholds?: TierThresholds | undefined | null",
    ts_return_type = "Array<TierDecision>"
)]
pub fn classify_creators(
    env: &Env,
    creators: Vec<Value>,
    now: String,
    thresholds: Option<Value>,
) -> napi::Result<Value> {
    let now = instant(env, &now, "now")?;
    let t: TierThresholds = read_or_default(env, thresholds, "thresholds")?;
    t.validate().map_err(|e| to_napi_error(env, &e))?;
    let creators: Vec<TierInput> = read_all(creators, "creators", |v, what| {
        parse(money_as_string(v, "monthly_earnings"), what)
    })
    .map_err(|e| to_napi_error(env, &e))?;
    write(env, &core::classify_population(&creators, &t, now))
}

/// Keeps a creator in their previous tier (`{ tier, since }`) until they
/// spent `minDays` whole days in it; leaving Newcomer is never held.
#[napi(
    catch_unwind,
    ts_args_type = "decision: TierDecision, previous: PreviousTier | undefined | null, minDays: number, now: string",
    ts_return_type = "StableTier"
)]
pub fn apply_minimum_days(
    env: &Env,
    decision: Value,
    previous: Option<Value>,
    min_days: u32,
    now: String,
) -> napi::Result<Value> {
    let decision: TierDecision = read(env, decision, "decision")?;
    let previous: Option<PreviousTier> = match previous {
        Some(p) if !p.is_null() => Some(read(env, p, "previous")?),
        _ => None,
    };
    let now = instant(env, &now, "now")?;
    write(
        env,
        &core::apply_minimum_days(decision, previous, min_days, now),
    )
}

/// The GMV of one calendar month from `{ date, gmv }` observations: summed
/// amounts, or with `cumulative` running totals (last in the month minus last
/// before it; `null` without both).
#[napi(
    catch_unwind,
    ts_args_type = "observations: Array<GmvObservation>, year: number, month: number, cumulative?: boolean | undefined | null"
)]
pub fn monthly_gmv(
    env: &Env,
    observations: Vec<Value>,
    year: i32,
    month: u32,
    cumulative: Option<bool>,
) -> napi::Result<Option<String>> {
    let month = YearMonth::new(year, month).map_err(|e| to_napi_error(env, &e))?;
    let obs: Vec<GmvObservation> = read_all(observations, "observations", |v, what| {
        parse(money_as_string(v, "gmv"), what)
    })
    .map_err(|e| to_napi_error(env, &e))?;
    let gmv = if cumulative.unwrap_or(false) {
        core::monthly_gmv_from_snapshots(&obs, month)
    } else {
        Some(core::monthly_gmv(&obs, month))
    };
    Ok(gmv.map(|d| d.to_string()))
}
