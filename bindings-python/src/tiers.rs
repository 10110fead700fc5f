//! Python bindings of `creator_crm::tiers`: TikTok Shop badge, the 7-tier
//! classification, monthly GMV and the minimum days in a tier.
//!
//! Money goes in as `decimal.Decimal`, `int` or a numeric string and comes
//! back as a string (exact; wrap it in `decimal.Decimal`).

use creator_crm::{
    Error,
    tiers::{
        self as core, BadgeThresholds, GmvObservation, PreviousTier, TierDecision, TierInput,
        TierThresholds, YearMonth,
    },
};
use pyo3::{intern, prelude::*, types::PyList};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::{
    data::{from_py, from_py_or_default, from_value, map_items, record_to_py, to_value},
    errors,
};

fn decimal_to_py<'py>(py: Python<'py>, d: Decimal) -> PyResult<Bound<'py, PyAny>> {
    py.import(intern!(py, "decimal"))?
        .getattr(intern!(py, "Decimal"))?
        .call1((d.to_string(),))
}

/// Money fields accept numbers too: the core reads money from exact strings.
fn money_as_string(mut value: Value, field: &str) -> Value {
    if let Some(v) = value.get_mut(field) {
        if let Value::Number(n) = v {
            *v = Value::String(n.to_string());
        }
    }
    value
}

fn read_money(obj: &Bound<'_, PyAny>, what: &'static str) -> PyResult<Decimal> {
    let wrapped = serde_json::json!({ "m": to_value(obj)? });
    from_value(money_as_string(wrapped, "m")["m"].take(), what)
}

fn badge_thresholds(thresholds: Option<&Bound<'_, PyAny>>) -> PyResult<BadgeThresholds> {
    match thresholds {
        Some(t) if !t.is_none() => {
            let bounds: Vec<Decimal> = t
                .try_iter()?
                .map(|b| read_money(&b?, "thresholds"))
                .collect::<PyResult<_>>()?;
            let bounds: [Decimal; 7] = bounds.try_into().map_err(|_| {
                errors::to_py_err(Error::invalid("thresholds", "expected 7 bounds"))
            })?;
            BadgeThresholds::new(bounds).map_err(errors::to_py_err)
        }
        _ => Ok(BadgeThresholds::default()),
    }
}

/// The TikTok Shop badge for a monthly GMV (lower bounds inclusive).
///
/// Silver (1,000) and gold (5,000) bounds are public; platinum (25,000), ruby
/// (50,000), emerald (100,000), sapphire (250,000) and diamond (500,000) are
/// assumed defaults.
///
/// Args:
///     monthly_gmv: The month's GMV (`Decimal`, `int` or numeric string).
///     thresholds: Optional lower bounds of silver through diamond (7 values,
///         strictly increasing).
///
/// Returns:
///     A dict: `badge`, `monthly_gmv`, `threshold` (the bound reached, or
///     `None` for bronze), `threshold_assumed`, `next` (`[badge, bound]` or `None`).
///
/// Raises:
///     InvalidInputError: The GMV or thresholds are invalid.
#[pyfunction]
#[pyo3(signature = (monthly_gmv, thresholds = None))]
pub fn shop_badge<'py>(
    py: Python<'py>,
    monthly_gmv: &Bound<'py, PyAny>,
    thresholds: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let gmv = read_money(monthly_gmv, "monthly_gmv")?;
    record_to_py(py, &core::shop_badge(gmv, &badge_thresholds(thresholds)?))
}

/// Classifies creators into the 7 tiers, Legends included (top 0.1 % of the
/// population: `floor(n × 0.001)` slots, ties at the cut excluded).
///
/// Args:
///     creators: An iterable of dicts `{"id", "joined_at", "monthly_earnings"}`.
///     now: The instant of classification.
///     thresholds: Optional tier bounds (`newcomer_days`, `rising`,
///         `established`, `star`, `superstar`, `legend_share`).
///
/// Returns:
///     A list of decisions `{"tier", "rule": {...}}`, one per creator, in input order.
///
/// Raises:
///     InvalidInputError: A creator or the thresholds are invalid.
#[pyfunction]
#[pyo3(signature = (creators, now, thresholds = None))]
pub fn classify_creators<'py>(
    py: Python<'py>,
    creators: &Bound<'py, PyAny>,
    now: &Bound<'py, PyAny>,
    thresholds: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyList>> {
    let now = from_py(now, "now")?;
    let t: TierThresholds = from_py_or_default(thresholds, "thresholds")?;
    t.validate().map_err(errors::to_py_err)?;
    let creators: Vec<TierInput> = map_items(creators, "creators", |v, what| {
        from_value(money_as_string(v, "monthly_earnings"), what)
    })?;
    let items = core::classify_population(&creators, &t, now)
        .iter()
        .map(|d| record_to_py(py, d))
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}

/// Keeps a creator in their previous tier until they spent `min_days` in it.
///
/// Args:
///     decision: A decision from `classify_creators`.
///     previous: `{"tier", "since"}` of the tier held before, or `None`.
///     min_days: Minimum whole days in a tier (0 disables).
///     now: The instant of classification.
///
/// Returns:
///     `{"decision": {...}, "since": str}`; `decision.rule.rule` is `"held"`
///     when the previous tier was kept.
///
/// Raises:
///     InvalidInputError: An argument is invalid.
#[pyfunction]
pub fn apply_minimum_days<'py>(
    py: Python<'py>,
    decision: &Bound<'py, PyAny>,
    previous: Option<&Bound<'py, PyAny>>,
    min_days: u32,
    now: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let decision: TierDecision = from_py(decision, "decision")?;
    let previous: Option<PreviousTier> = match previous {
        Some(p) if !p.is_none() => Some(from_py(p, "previous")?),
        _ => None,
    };
    let now = from_py(now, "now")?;
    record_to_py(
        py,
        &core::apply_minimum_days(decision, previous, min_days, now),
    )
}

/// The GMV of one calendar month from dated observations.
///
/// Args:
///     observations: An iterable of `{"date", "gmv"}` dicts.
///     year: The year.
///     month: The month, 1–12.
///     cumulative: `False` (default): observations are amounts (video GMV by
///         post date), summed. `True`: they are running totals; the month's
///         GMV is the last total in the month minus the last one before it.
///
/// Returns:
///     A `decimal.Decimal`, or `None` for cumulative totals without a
///     snapshot in the month or before it.
///
/// Raises:
///     InvalidInputError: An observation or the month is invalid.
#[pyfunction]
#[pyo3(signature = (observations, year, month, cumulative = false))]
pub fn monthly_gmv<'py>(
    py: Python<'py>,
    observations: &Bound<'py, PyAny>,
    year: i32,
    month: u32,
    cumulative: bool,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let month = YearMonth::new(year, month).map_err(errors::to_py_err)?;
    let obs: Vec<GmvObservation> = map_items(observations, "observations", |v, what| {
        from_value(money_as_string(v, "gmv"), what)
    })?;
    let gmv = if cumulative {
        core::monthly_gmv_from_snapshots(&obs, month)
    } else {
        Some(core::monthly_gmv(&obs, month))
    };
    gmv.map(|d| decimal_to_py(py, d)).transpose()
}

/// Adds the functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(shop_badge, m)?)?;
    m.add_function(wrap_pyfunction!(classify_creators, m)?)?;
    m.add_function(wrap_pyfunction!(apply_minimum_days, m)?)?;
    m.add_function(wrap_pyfunction!(monthly_gmv, m)?)?;
    Ok(())
}
