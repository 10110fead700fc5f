//! Python bindings of `creator_crm::supporters`: scores, segments, inbox tabs,
//! alerts and insights, batch-first.
//!
//! A supporter is given either as **counters** (a dict with `id`,
//! `joined_at` and any of the counter fields of `SupporterCounters`) or as
//! **events** (a dict with `id`, `joined_at`, `time_zone` and an `activity`
//! dict of dated events); a dict with an `activity` key is read as events.

use chrono::{DateTime, Utc};
use creator_crm::supporters::{
    self as core, AlertConfig, AlertInput, CooldownState, EventRsvp, InsightConfig, Score, Scorer,
    ScoringConfig, Signal, Supporter, SupporterCounters, TabOptions, TabPage,
};
use pyo3::{
    prelude::*,
    types::{PyDict, PyList, PyTuple},
};
use serde_json::Value;

use crate::{
    data::{from_py, from_py_or_default, from_value, map_items, record_to_py},
    errors, supporters_arrow,
};

/// The compact score of one supporter.
///
/// Attributes:
///     probability: Conversion probability, 0–100.
///     priority: Inbox priority, 0–150.
///     segment: `"vip"`, `"cold"`, `"dormant"`, `"hot_lead"` or `"active"`.
///     signals: The six signals (0–100) by name: `recent_chat`, `gifting`,
///         `profile_views`, `live_engagement`, `recent_match`, `likes_without_chat`.
#[pyclass(name = "Score", module = "creator_crm", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct PyScore(Score);

#[pymethods]
impl PyScore {
    #[getter]
    fn probability(&self) -> u8 {
        self.0.probability
    }

    #[getter]
    fn priority(&self) -> u8 {
        self.0.priority
    }

    #[getter]
    fn segment(&self) -> &'static str {
        self.0.segment.as_str()
    }

    #[getter]
    fn signals<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for s in Signal::ALL {
            d.set_item(s.as_str(), self.0.signal(s))?;
        }
        Ok(d)
    }

    /// The score as a plain dict.
    ///
    /// Returns:
    ///     `{"probability", "priority", "segment", "signals"}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("probability", self.0.probability)?;
        d.set_item("priority", self.0.priority)?;
        d.set_item("segment", self.0.segment.as_str())?;
        d.set_item("signals", self.signals(py)?)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "Score(probability={}, priority={}, segment='{}')",
            self.0.probability,
            self.0.priority,
            self.0.segment.as_str()
        )
    }
}

/// One supporter in either input form.
enum Input {
    Counters(SupporterCounters),
    Events(Box<Supporter>),
}

impl Input {
    fn read(value: Value, what: &str) -> PyResult<Input> {
        if value.get("activity").is_some() {
            Ok(Input::Events(Box::new(from_value(value, what)?)))
        } else {
            Ok(Input::Counters(from_value(value, what)?))
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

fn read_counters(
    supporters: &Bound<'_, PyAny>,
    now: DateTime<Utc>,
) -> PyResult<Vec<SupporterCounters>> {
    if supporters_arrow::is_table(supporters)? {
        return supporters_arrow::read_counters(supporters);
    }
    map_items(supporters, "supporters", |v, what| {
        Ok(Input::read(v, what)?.counters(now))
    })
}

fn scorer(config: Option<&Bound<'_, PyAny>>) -> PyResult<Scorer> {
    let cfg: ScoringConfig = from_py_or_default(config, "config")?;
    Scorer::new(cfg).map_err(errors::to_py_err)
}

fn read_now(now: &Bound<'_, PyAny>) -> PyResult<DateTime<Utc>> {
    from_py(now, "now")
}

/// Aggregates supporters given as events into counters.
///
/// Args:
///     supporters: An iterable of supporter dicts in events form (`id`,
///         `joined_at`, `time_zone`, `activity`, ...) or counters form.
///     now: The instant the counters are for (`datetime` or ISO 8601 string).
///
/// Returns:
///     A list of counters dicts, one per supporter, in input order.
///
/// Raises:
///     InvalidInputError: A supporter or `now` has the wrong shape.
#[pyfunction]
pub fn supporter_counters<'py>(
    py: Python<'py>,
    supporters: &Bound<'py, PyAny>,
    now: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyList>> {
    let now = read_now(now)?;
    let counters = read_counters(supporters, now)?;
    let items = counters
        .iter()
        .map(|c| record_to_py(py, c))
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}

/// Scores supporters: signals, conversion probability, segment and priority.
///
/// Args:
///     supporters: An iterable of supporter dicts (counters or events form),
///         or tabular Arrow data of counters (pyarrow Table / RecordBatch,
///         polars or pandas DataFrame; columns named like the counter fields,
///         `id` and `joined_at` required), read without per-value Python objects.
///     now: The instant to score at (`datetime` or ISO 8601 string).
///     config: Optional scoring settings overriding the defaults (weights,
///         curves, thresholds; see `ScoringConfig` in the Rust docs).
///
/// Returns:
///     A list of `Score`, one per supporter, in input order; for Arrow input a
///     `pyarrow.Table` with columns `id`, `probability`, `priority`,
///     `segment` and one per signal (needs pyarrow).
///
/// Raises:
///     InvalidInputError: A supporter, `now` or `config` is invalid.
#[pyfunction]
#[pyo3(signature = (supporters, now, config = None))]
pub fn score_supporters<'py>(
    py: Python<'py>,
    supporters: &Bound<'py, PyAny>,
    now: &Bound<'py, PyAny>,
    config: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let now = read_now(now)?;
    let scorer = scorer(config)?;
    let counters = read_counters(supporters, now)?;
    let scores = py.detach(|| scorer.score_all(&counters, now));
    if supporters_arrow::is_table(supporters)? {
        return supporters_arrow::scores_to_arrow(py, &counters, &scores);
    }
    let items = scores.into_iter().map(PyScore).collect::<Vec<_>>();
    Ok(PyList::new(py, items)?.into_any())
}

/// Scores one supporter and explains the result.
///
/// Args:
///     supporter: A supporter dict (counters or events form).
///     now: The instant to score at.
///     config: Optional scoring settings.
///
/// Returns:
///     A dict: `score`, `contributions` (signal, value, weight, points;
///     largest first), `online_bonus`, `fan_club_bonus`,
///     `uncapped_probability`, `segment_rule`, `priority_parts`.
///
/// Raises:
///     InvalidInputError: The supporter, `now` or `config` is invalid.
#[pyfunction]
#[pyo3(signature = (supporter, now, config = None))]
pub fn explain_score<'py>(
    py: Python<'py>,
    supporter: &Bound<'py, PyAny>,
    now: &Bound<'py, PyAny>,
    config: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let now = read_now(now)?;
    let c = Input::read(crate::data::to_value(supporter)?, "supporter")?.counters(now);
    record_to_py(py, &scorer(config)?.explain(&c, now))
}

fn page_dict<'py>(
    py: Python<'py>,
    page: &TabPage,
    counters: &[SupporterCounters],
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let ids: Vec<&str> = page
        .items
        .iter()
        .filter_map(|&i| counters.get(i as usize).map(|c| c.id.as_str()))
        .collect();
    d.set_item("ids", ids)?;
    d.set_item("indices", page.items.clone())?;
    d.set_item("total", page.total)?;
    Ok(d)
}

/// Builds the five inbox tabs.
///
/// VIP: top `vip_size` by lifetime tokens. Hot leads: by probability. All
/// (with a payment): by last activity. Dormant: by last activity. New
/// (first purchase within `new_within_days`): by join date. Ties: id.
///
/// Args:
///     supporters: An iterable of supporter dicts (counters or events form),
///         or tabular Arrow data of counters (as in `score_supporters`).
///     now: The instant to score at.
///     config: Optional scoring settings.
///     vip_size: Size of the VIP tab.
///     offset: Items to skip in the other tabs.
///     limit: Items per page in the other tabs.
///     new_within_days: Window of the New tab.
///
/// Returns:
///     A dict with keys `vip`, `hot_leads`, `all`, `dormant`, `new`, each
///     `{"ids": [...], "indices": [...], "total": int}`.
///
/// Raises:
///     InvalidInputError: A supporter, `now` or `config` is invalid.
#[pyfunction]
#[pyo3(signature = (supporters, now, *, config = None, vip_size = 10, offset = 0, limit = 50, new_within_days = 30))]
#[allow(clippy::too_many_arguments)]
pub fn inbox_tabs<'py>(
    py: Python<'py>,
    supporters: &Bound<'py, PyAny>,
    now: &Bound<'py, PyAny>,
    config: Option<&Bound<'py, PyAny>>,
    vip_size: usize,
    offset: usize,
    limit: usize,
    new_within_days: u16,
) -> PyResult<Bound<'py, PyDict>> {
    let now = read_now(now)?;
    let scorer = scorer(config)?;
    let counters = read_counters(supporters, now)?;
    let opts = TabOptions {
        vip_size,
        new_within_days,
        page: core::Page { offset, limit },
    };
    let tabs = py
        .detach(|| {
            let scores = scorer.score_all(&counters, now);
            core::inbox_tabs(&counters, &scores, now, &opts)
        })
        .map_err(errors::to_py_err)?;
    let d = PyDict::new(py);
    d.set_item("vip", page_dict(py, &tabs.vip, &counters)?)?;
    d.set_item("hot_leads", page_dict(py, &tabs.hot_leads, &counters)?)?;
    d.set_item("all", page_dict(py, &tabs.all, &counters)?)?;
    d.set_item("dormant", page_dict(py, &tabs.dormant, &counters)?)?;
    d.set_item("new", page_dict(py, &tabs.new, &counters)?)?;
    Ok(d)
}

/// Finds candidate alerts (before cooldowns) for a batch of supporters.
///
/// Args:
///     supporters: An iterable of supporter dicts; RSVPs are read from the
///         events form (`activity.event_rsvps`).
///     now: The instant of detection.
///     config: Optional scoring settings.
///     alert_config: Optional alert settings (cooldown, spike factor, ...).
///
/// Returns:
///     A list of alert dicts (`supporter`, `kind`, `priority`, `created_at`,
///     `expires_at`, `detail`), to pass to `deliver_alerts`.
///
/// Raises:
///     InvalidInputError: An argument is invalid.
#[pyfunction]
#[pyo3(signature = (supporters, now, config = None, alert_config = None))]
pub fn detect_alerts<'py>(
    py: Python<'py>,
    supporters: &Bound<'py, PyAny>,
    now: &Bound<'py, PyAny>,
    config: Option<&Bound<'py, PyAny>>,
    alert_config: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let now = read_now(now)?;
    let scorer = scorer(config)?;
    let alert_cfg: AlertConfig = from_py_or_default(alert_config, "alert_config")?;
    let inputs = map_items(supporters, "supporters", Input::read)?;
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
    record_to_py(py, &core::detect_alerts(&alert_inputs, &alert_cfg, now))
}

/// Delivers candidate alerts: drops expired ones and applies the
/// per-(supporter, kind) cooldown, counted from delivered alerts.
///
/// Args:
///     candidates: Alert dicts, as `detect_alerts` returns them.
///     state: The cooldown state returned by the previous call, or `None`.
///     now: The instant of delivery.
///     alert_config: Optional alert settings.
///
/// Returns:
///     A tuple `(outcome, state)`: `outcome` has `delivered` (most urgent
///     first), `suppressed` and `expired` lists; `state` is the new cooldown
///     state to pass to the next call.
///
/// Raises:
///     InvalidInputError: An argument is invalid.
#[pyfunction]
#[pyo3(signature = (candidates, state, now, alert_config = None))]
pub fn deliver_alerts<'py>(
    py: Python<'py>,
    candidates: &Bound<'py, PyAny>,
    state: Option<&Bound<'py, PyAny>>,
    now: &Bound<'py, PyAny>,
    alert_config: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyTuple>> {
    let now = read_now(now)?;
    let cfg: AlertConfig = from_py_or_default(alert_config, "alert_config")?;
    let state: CooldownState = from_py_or_default(state, "state")?;
    let candidates = map_items(candidates, "candidates", from_value)?;
    let (outcome, state) = core::deliver_alerts(state, candidates, &cfg, now);
    PyTuple::new(py, [record_to_py(py, &outcome)?, record_to_py(py, &state)?])
}

/// Insights per supporter: best contact time (in the supporter's time zone,
/// `None` without activity), spending and engagement trends, retention risk,
/// likely fan-club upgrade.
///
/// Args:
///     supporters: An iterable of supporter dicts in events form.
///     now: The instant of analysis.
///     config: Optional insight settings.
///
/// Returns:
///     A list of insight dicts, one per supporter, in input order.
///
/// Raises:
///     InvalidInputError: An argument is invalid.
#[pyfunction]
#[pyo3(signature = (supporters, now, config = None))]
pub fn supporter_insights<'py>(
    py: Python<'py>,
    supporters: &Bound<'py, PyAny>,
    now: &Bound<'py, PyAny>,
    config: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyList>> {
    let now = read_now(now)?;
    let cfg: InsightConfig = from_py_or_default(config, "config")?;
    let people: Vec<Supporter> = map_items(supporters, "supporters", from_value)?;
    let items = people
        .iter()
        .map(|s| record_to_py(py, &core::insights(s, &cfg, now)))
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}

/// Adds the classes and functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyScore>()?;
    m.add_function(wrap_pyfunction!(supporter_counters, m)?)?;
    m.add_function(wrap_pyfunction!(score_supporters, m)?)?;
    m.add_function(wrap_pyfunction!(explain_score, m)?)?;
    m.add_function(wrap_pyfunction!(inbox_tabs, m)?)?;
    m.add_function(wrap_pyfunction!(detect_alerts, m)?)?;
    m.add_function(wrap_pyfunction!(deliver_alerts, m)?)?;
    m.add_function(wrap_pyfunction!(supporter_insights, m)?)?;
    Ok(())
}
