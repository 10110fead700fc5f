//! Node bindings of `creator_crm::analytics::retention`: BG/NBD (Fader, Hardie & Lee
//! 2005) and Gamma-Gamma models fitted by maximum likelihood, with their predictions.
//!
//! The data are one summary per customer, in columns: `frequency` (repeat events),
//! `recency` (time from the first event to the last) and `T` (time from the first event
//! to the end of observation), in any one time unit; a column is an array of numbers or
//! a `Float64Array` / `Uint32Array` / `Int32Array`. Money (Gamma-Gamma's `monetary`) goes
//! in as a decimal string or a number and comes back as a string. `rfmSummary` and
//! `postingSummaries` build the summaries (in days) from event days and from a merge's
//! videos; `retentionCurve` is the observed curve to set a fit against.

use creator_crm::{
    Error,
    analytics::retention::{self as core},
    import::values,
};
use napi::{
    Env,
    bindgen_prelude::{AsyncTask, Either, Either4, Float64Array, Int32Array, Object, Uint32Array},
};
use napi_derive::napi;
use rust_decimal::Decimal;
use serde_json::Value;

use crate::{
    data::{money, read_all},
    errors::to_napi_error,
    merge::{CoreTask, ToJs, held},
};

/// A column of numbers as JavaScript gives it.
pub type NumberColumn = Either4<Float64Array, Uint32Array, Int32Array, Vec<f64>>;

/// The numbers of a column, copied (so they can cross to a worker thread).
fn numbers(column: &NumberColumn) -> Vec<f64> {
    match column {
        Either4::A(a) => a.to_vec(),
        Either4::B(a) => a.iter().map(|&v| f64::from(v)).collect(),
        Either4::C(a) => a.iter().map(|&v| f64::from(v)).collect(),
        Either4::D(v) => v.clone(),
    }
}

const NOT_A_COUNT: &str = "frequency must be a whole number at least 0";

/// A frequency: a whole number from 0 to 2³² − 1.
fn whole(v: f64) -> Option<u32> {
    (v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= f64::from(u32::MAX)).then_some(v as u32)
}

/// One frequency argument.
fn count(v: f64) -> creator_crm::Result<u32> {
    whole(v).ok_or_else(|| Error::invalid("frequency", NOT_A_COUNT))
}

/// The frequency column as counts; an error names the customer, as core's do.
fn counts(column: &NumberColumn) -> creator_crm::Result<Vec<u32>> {
    numbers(column)
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            whole(v)
                .ok_or_else(|| Error::invalid("frequency", format!("{NOT_A_COUNT} (customer {i})")))
        })
        .collect()
}

/// A fitted parameter with its standard error.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Estimate {
    /// The maximum-likelihood estimate.
    pub value: f64,
    /// Its asymptotic standard error; `null` when the Hessian at the optimum is not
    /// positive definite (too little data).
    pub std_error: Option<f64>,
}

impl From<core::Estimate> for Estimate {
    fn from(e: core::Estimate) -> Self {
        Estimate {
            value: e.value,
            std_error: e.std_error,
        }
    }
}

/// How a maximum-likelihood fit ended.
#[napi(object, object_from_js = false)]
pub struct FitInfo {
    /// The log-likelihood at the optimum, summed over customers.
    pub log_likelihood: f64,
    /// Customers the fit used.
    pub customers: i64,
    /// Optimizer iterations.
    pub iterations: i64,
    /// The optimizer used.
    #[napi(ts_type = "'lbfgs' | 'nelder_mead'")]
    pub method: String,
    /// Whether the optimizer met its convergence test before its iteration limit.
    pub converged: bool,
}

impl From<&core::FitInfo> for FitInfo {
    fn from(i: &core::FitInfo) -> Self {
        let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        FitInfo {
            log_likelihood: i.log_likelihood,
            customers: n(i.customers),
            iterations: n(i.iterations),
            method: i.method.to_owned(),
            converged: i.converged,
        }
    }
}

/// The parameters of a BG/NBD model.
#[napi(object)]
pub struct BgNbdParams {
    /// Shape of the event-rate distribution.
    pub r: f64,
    /// Scale of the event-rate distribution (in the data's time unit).
    pub alpha: f64,
    /// First shape of the drop-out distribution.
    pub a: f64,
    /// Second shape of the drop-out distribution.
    pub b: f64,
}

/// The parameters of a fitted BG/NBD model, each with its standard error.
#[napi(object, object_from_js = false)]
pub struct BgNbdEstimates {
    /// `r`.
    pub r: Estimate,
    /// `α`.
    pub alpha: Estimate,
    /// `a`.
    pub a: Estimate,
    /// `b`.
    pub b: Estimate,
}

/// A BG/NBD model: Gamma(r, α) event rates and Beta(a, b) drop-out probabilities, in the
/// time unit of the data it was fitted on. `fitBgnbd` fits one; `new BgNbd({ r, alpha,
/// a, b })` is a model of known parameters (no `estimates` or `fitInfo` then).
///
/// ```js
/// const m = fitBgnbd(frequency, recency, T)
/// m.pAlive(2, 30.43, 38.86) // ≈ 0.73 on the CDNOW sample
/// ```
#[napi]
pub struct BgNbd {
    model: core::BgNbd,
    fit: Option<core::BgNbdFit>,
}

fn bgnbd_of(fit: core::BgNbdFit) -> BgNbd {
    BgNbd {
        model: fit.model,
        fit: Some(fit),
    }
}

#[napi]
impl BgNbd {
    /// The model with these parameters.
    #[napi(constructor, catch_unwind)]
    pub fn new(params: BgNbdParams) -> Self {
        BgNbd {
            model: core::BgNbd {
                r: params.r,
                alpha: params.alpha,
                a: params.a,
                b: params.b,
            },
            fit: None,
        }
    }

    /// Shape of the event-rate distribution.
    #[napi(getter, catch_unwind)]
    pub fn r(&self) -> f64 {
        self.model.r
    }

    /// Scale of the event-rate distribution (in the data's time unit).
    #[napi(getter, catch_unwind)]
    pub fn alpha(&self) -> f64 {
        self.model.alpha
    }

    /// First shape of the drop-out distribution.
    #[napi(getter, catch_unwind)]
    pub fn a(&self) -> f64 {
        self.model.a
    }

    /// Second shape of the drop-out distribution.
    #[napi(getter, catch_unwind)]
    pub fn b(&self) -> f64 {
        self.model.b
    }

    /// Each parameter with its standard error; `null` for a model not fitted here.
    #[napi(getter, catch_unwind)]
    pub fn estimates(&self) -> Option<BgNbdEstimates> {
        self.fit.as_ref().map(|f| BgNbdEstimates {
            r: f.r.into(),
            alpha: f.alpha.into(),
            a: f.a.into(),
            b: f.b.into(),
        })
    }

    /// How the fit ended; `null` for a model not fitted here.
    #[napi(getter, catch_unwind)]
    pub fn fit_info(&self) -> Option<FitInfo> {
        self.fit.as_ref().map(|f| FitInfo::from(&f.info))
    }

    /// The probability that a customer with `frequency` repeat events, the last at
    /// `recency`, observed for `T`, is still alive (1 without repeat events).
    ///
    /// Throws an `InvalidInputError` (`field: "recency"`, `"age"` or `"frequency"`) when
    /// `recency` is not in `[0, T]`, `T` is negative or not finite, or `frequency` is not
    /// a whole number.
    #[napi(
        catch_unwind,
        ts_args_type = "frequency: number, recency: number, T: number"
    )]
    pub fn p_alive(&self, env: &Env, frequency: f64, recency: f64, age: f64) -> napi::Result<f64> {
        count(frequency)
            .and_then(|f| self.model.p_alive(f, recency, age))
            .map_err(|e| to_napi_error(env, &e))
    }

    /// Expected repeat events in the next `t` of a customer with `frequency` repeat
    /// events, the last at `recency`, observed for `T`.
    ///
    /// Throws an `InvalidInputError` as `pAlive` does, and on field `t` when `t` is
    /// negative or too long to evaluate.
    #[napi(
        catch_unwind,
        ts_args_type = "t: number, frequency: number, recency: number, T: number"
    )]
    pub fn expected_purchases(
        &self,
        env: &Env,
        t: f64,
        frequency: f64,
        recency: f64,
        age: f64,
    ) -> napi::Result<f64> {
        count(frequency)
            .and_then(|f| self.model.expected_purchases(t, f, recency, age))
            .map_err(|e| to_napi_error(env, &e))
    }

    /// Expected repeat events of a new customer in `(0, t]`.
    ///
    /// Throws an `InvalidInputError` (`field: "t"`) when `t` is negative or too long to
    /// evaluate.
    #[napi(catch_unwind)]
    pub fn expected_purchases_new(&self, env: &Env, t: f64) -> napi::Result<f64> {
        self.model
            .expected_purchases_new(t)
            .map_err(|e| to_napi_error(env, &e))
    }
}

impl ToJs for BgNbd {
    type Js<'env> = BgNbd;
    fn to_js(self, _env: &Env) -> napi::Result<BgNbd> {
        Ok(self)
    }
}

/// The columns of a BG/NBD fit, read on the JavaScript thread.
fn bgnbd_data(
    frequency: &NumberColumn,
    recency: &NumberColumn,
    age: &NumberColumn,
) -> creator_crm::Result<(Vec<u32>, Vec<f64>, Vec<f64>)> {
    Ok((counts(frequency)?, numbers(recency), numbers(age)))
}

/// Fits a BG/NBD model by maximum likelihood to per-customer `frequency`, `recency` and
/// `T` (see the module docs). On the CDNOW sample it gives the published r = 0.243,
/// α = 4.414, a = 0.793, b = 2.426.
///
/// Throws an `InvalidInputError` when the columns differ in length or are empty, a
/// recency is outside `[0, T]`, a `T` is negative or not finite, a frequency is not a
/// whole number or above one million (the customer's index is in the message), or on
/// field `fit` when no optimum is found.
///
/// ```js
/// const m = fitBgnbd([2, 1, 0], [30.43, 1.71, 0], [38.86, 38.86, 38.86])
/// ```
#[napi(
    catch_unwind,
    ts_args_type = "frequency: NumberColumn, recency: NumberColumn, T: NumberColumn"
)]
pub fn fit_bgnbd(
    env: &Env,
    frequency: NumberColumn,
    recency: NumberColumn,
    age: NumberColumn,
) -> napi::Result<BgNbd> {
    bgnbd_data(&frequency, &recency, &age)
        .and_then(|(f, r, t)| core::fit_bgnbd(&f, &r, &t))
        .map(bgnbd_of)
        .map_err(|e| to_napi_error(env, &e))
}

/// `fitBgnbd` off the JavaScript thread (the columns are read first, so a bad value
/// still throws synchronously).
#[napi(
    catch_unwind,
    ts_args_type = "frequency: NumberColumn, recency: NumberColumn, T: NumberColumn",
    ts_return_type = "Promise<BgNbd>"
)]
pub fn fit_bgnbd_async(
    env: &Env,
    frequency: NumberColumn,
    recency: NumberColumn,
    age: NumberColumn,
) -> napi::Result<AsyncTask<CoreTask<BgNbd>>> {
    let (f, r, t) = bgnbd_data(&frequency, &recency, &age).map_err(|e| to_napi_error(env, &e))?;
    Ok(AsyncTask::new(CoreTask::new(move || {
        core::fit_bgnbd(&f, &r, &t).map(bgnbd_of)
    })))
}

/// The parameters of a Gamma-Gamma model.
#[napi(object)]
pub struct GammaGammaParams {
    /// Shape of each transaction's value around the customer's mean.
    pub p: f64,
    /// Shape of the distribution of the customers' scale.
    pub q: f64,
    /// Scale of the distribution of the customers' scale (`v` in `lifetimes`).
    pub gamma: f64,
}

/// The parameters of a fitted Gamma-Gamma model, each with its standard error.
#[napi(object, object_from_js = false)]
pub struct GammaGammaEstimates {
    /// `p`.
    pub p: Estimate,
    /// `q`.
    pub q: Estimate,
    /// `γ`.
    pub gamma: Estimate,
}

/// A Gamma-Gamma spend model. `fitGammaGamma` fits one; `new GammaGamma({ p, q, gamma })`
/// is a model of known parameters (no `estimates` or `fitInfo` then).
#[napi]
pub struct GammaGamma {
    model: core::GammaGamma,
    fit: Option<core::GammaGammaFit>,
}

fn gamma_gamma_of(fit: core::GammaGammaFit) -> GammaGamma {
    GammaGamma {
        model: fit.model,
        fit: Some(fit),
    }
}

#[napi]
impl GammaGamma {
    /// The model with these parameters.
    #[napi(constructor, catch_unwind)]
    pub fn new(params: GammaGammaParams) -> Self {
        GammaGamma {
            model: core::GammaGamma {
                p: params.p,
                q: params.q,
                gamma: params.gamma,
            },
            fit: None,
        }
    }

    /// Shape of each transaction's value around the customer's mean.
    #[napi(getter, catch_unwind)]
    pub fn p(&self) -> f64 {
        self.model.p
    }

    /// Shape of the distribution of the customers' scale.
    #[napi(getter, catch_unwind)]
    pub fn q(&self) -> f64 {
        self.model.q
    }

    /// Scale of the distribution of the customers' scale.
    #[napi(getter, catch_unwind)]
    pub fn gamma(&self) -> f64 {
        self.model.gamma
    }

    /// Each parameter with its standard error; `null` for a model not fitted here.
    #[napi(getter, catch_unwind)]
    pub fn estimates(&self) -> Option<GammaGammaEstimates> {
        self.fit.as_ref().map(|f| GammaGammaEstimates {
            p: f.p.into(),
            q: f.q.into(),
            gamma: f.gamma.into(),
        })
    }

    /// How the fit ended; `null` for a model not fitted here.
    #[napi(getter, catch_unwind)]
    pub fn fit_info(&self) -> Option<FitInfo> {
        self.fit.as_ref().map(|f| FitInfo::from(&f.info))
    }

    /// The expected value of a transaction of a customer with `frequency` repeat
    /// transactions averaging `monetary`, rounded to cents (the population mean with
    /// `frequency` 0).
    ///
    /// Throws an `InvalidInputError` (`field: "monetary"`) when `monetary` is negative or
    /// the expectation is infinite for this model.
    #[napi(
        catch_unwind,
        ts_args_type = "frequency: number, monetary: DecimalString | number"
    )]
    pub fn expected_spend(
        &self,
        env: &Env,
        frequency: f64,
        monetary: Value,
    ) -> napi::Result<String> {
        let run = || -> creator_crm::Result<String> {
            let f = count(frequency)?;
            let m = money(monetary, "monetary")?;
            self.model.expected_spend(f, m).map(|d| d.to_string())
        };
        run().map_err(|e| to_napi_error(env, &e))
    }
}

impl ToJs for GammaGamma {
    type Js<'env> = GammaGamma;
    fn to_js(self, _env: &Env) -> napi::Result<GammaGamma> {
        Ok(self)
    }
}

/// A monetary column as JavaScript gives it.
pub type MoneyColumn = Either<Float64Array, Vec<Value>>;

fn gamma_gamma_data(
    frequency: &NumberColumn,
    monetary: MoneyColumn,
) -> creator_crm::Result<(Vec<u32>, Vec<Decimal>)> {
    let values: Vec<Value> = match monetary {
        Either::A(a) => a.iter().map(|&v| Value::from(v)).collect(),
        Either::B(v) => v,
    };
    Ok((counts(frequency)?, read_all(values, "monetary", money)?))
}

/// Fits a Gamma-Gamma model by maximum likelihood to per-customer `frequency` (repeat
/// transactions) and `monetary` (their average value, a decimal string or a number);
/// customers with `frequency` 0 are skipped. On the CDNOW sample it gives the published
/// p = 6.25, q = 3.74, γ = 15.44.
///
/// Throws an `InvalidInputError` when the columns differ in length, a customer with
/// repeat transactions has a monetary value of 0 or less, no customer has repeat
/// transactions, or on field `fit` when no optimum is found.
#[napi(
    catch_unwind,
    ts_args_type = "frequency: NumberColumn, monetary: Array<DecimalString | number> | Float64Array"
)]
pub fn fit_gamma_gamma(
    env: &Env,
    frequency: NumberColumn,
    monetary: MoneyColumn,
) -> napi::Result<GammaGamma> {
    gamma_gamma_data(&frequency, monetary)
        .and_then(|(f, m)| core::fit_gamma_gamma(&f, &m))
        .map(gamma_gamma_of)
        .map_err(|e| to_napi_error(env, &e))
}

/// `fitGammaGamma` off the JavaScript thread (the columns are read first, so a bad value
/// still throws synchronously).
#[napi(
    catch_unwind,
    ts_args_type = "frequency: NumberColumn, monetary: Array<DecimalString | number> | Float64Array",
    ts_return_type = "Promise<GammaGamma>"
)]
pub fn fit_gamma_gamma_async(
    env: &Env,
    frequency: NumberColumn,
    monetary: MoneyColumn,
) -> napi::Result<AsyncTask<CoreTask<GammaGamma>>> {
    let (f, m) = gamma_gamma_data(&frequency, monetary).map_err(|e| to_napi_error(env, &e))?;
    Ok(AsyncTask::new(CoreTask::new(move || {
        core::fit_gamma_gamma(&f, &m).map(gamma_gamma_of)
    })))
}

/// One customer's summary for the retention models, in days.
#[napi(object)]
pub struct RfmSummary {
    /// Repeat events: distinct event days after the first.
    pub frequency: u32,
    /// Days from the first to the last event day.
    pub recency: f64,
    /// Days from the first event day to the end of observation (`T`).
    pub age: f64,
}

impl From<core::RfmSummary> for RfmSummary {
    fn from(s: core::RfmSummary) -> Self {
        RfmSummary {
            frequency: s.frequency,
            recency: s.recency,
            age: s.age,
        }
    }
}

/// One creator's posting summary (`postingSummaries`).
#[napi(object, object_from_js = false)]
pub struct PostingSummary {
    /// The creator.
    pub tiktok_username: String,
    /// Repeat posting days: distinct post days after the first.
    pub frequency: u32,
    /// Days from the first post day to the last.
    pub recency: f64,
    /// Days from the first post day to `until` (`T`).
    pub age: f64,
}

/// The summary of events on `days` (`YYYY-MM-DD`, any order, repeats count once per day)
/// observed until `until`; `null` when no event falls on or before `until` (later events
/// are ignored).
///
/// Throws an `InvalidInputError` (`field: "day"` or `"until"`) for a day that cannot be
/// read.
///
/// ```js
/// rfmSummary(['2025-03-01', '2025-03-04', '2025-03-04', '2025-03-09'], '2025-03-31') // { frequency: 2, recency: 8, age: 30 }
/// ```
#[napi(catch_unwind)]
pub fn rfm_summary(
    env: &Env,
    days: Vec<String>,
    until: String,
) -> napi::Result<Option<RfmSummary>> {
    let run = || -> creator_crm::Result<Option<RfmSummary>> {
        let until = values::parse_date(&until, "until")?;
        let days = days
            .iter()
            .map(|d| values::parse_date(d, "day"))
            .collect::<creator_crm::Result<Vec<_>>>()?;
        Ok(core::RfmSummary::from_event_days(days, until).map(RfmSummary::from))
    };
    run().map_err(|e| to_napi_error(env, &e))
}

/// Each creator's posting summary from the merged videos' post days, observed until
/// `until` (`YYYY-MM-DD`), by handle: the data for a BG/NBD of creators' posting, in
/// days. Creators without a dated video on or before `until` are left out.
///
/// ```js
/// const s = postingSummaries(result, '2025-07-01')
/// const m = fitBgnbd(s.map((c) => c.frequency), s.map((c) => c.recency), s.map((c) => c.age))
/// ```
#[napi(catch_unwind, ts_args_type = "result: MergeResult, until: string")]
pub fn posting_summaries(
    env: &Env,
    result: Object<'_>,
    until: String,
) -> napi::Result<Vec<PostingSummary>> {
    let r = held(env, &result)?;
    let until = values::parse_date(&until, "until").map_err(|e| to_napi_error(env, &e))?;
    Ok(core::posting_summaries(&r, until)
        .into_iter()
        .map(|(handle, s)| PostingSummary {
            tiktok_username: handle.as_str().to_owned(),
            frequency: s.frequency,
            recency: s.recency,
            age: s.age,
        })
        .collect())
}

/// One point of a retention curve.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct RetentionPoint {
    /// Days since each customer's first event.
    pub day: u32,
    /// Customers observed for at least `day` days (`age ≥ day`): the base of `share`.
    pub observed: i64,
    /// Of them, those with an event `day` days or more after their first.
    pub retained: i64,
    /// `retained / observed`; `null` when no customer was observed that long.
    pub share: Option<f64>,
}

/// The observed retention curve: for each of `days`, the share of customers still active
/// that many days after their first event, among those observed at least that long (a
/// customer who started late never counts as lost). Day 0 retains everyone observed.
#[napi(catch_unwind)]
pub fn retention_curve(summaries: Vec<RfmSummary>, days: Vec<u32>) -> Vec<RetentionPoint> {
    let summaries: Vec<core::RfmSummary> = summaries
        .into_iter()
        .map(|s| core::RfmSummary {
            frequency: s.frequency,
            recency: s.recency,
            age: s.age,
        })
        .collect();
    let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    core::retention_curve(&summaries, &days)
        .into_iter()
        .map(|p| RetentionPoint {
            day: p.day,
            observed: n(p.observed),
            retained: n(p.retained),
            share: p.share,
        })
        .collect()
}
