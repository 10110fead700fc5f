//! Mobile bindings of `creator_crm::analytics::retention`: BG/NBD and Gamma-Gamma fitted by
//! maximum likelihood on device, their predictions, and per-customer summaries.
//!
//! The models are records with methods (`BgNbd.pAlive(...)` in Kotlin, `bgNbd.pAlive(...)`
//! in Swift): a model is four numbers, so a host can keep one, send it, or build one from
//! published parameters. Amounts (Gamma-Gamma) are exact decimal strings, as everywhere in
//! the bindings.

use creator_crm::{
    Error,
    analytics::retention::{self as core},
};
use rust_decimal::Decimal;

use crate::errors::CrmError;

/// A fitted parameter with its standard error.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct Estimate {
    /// The maximum-likelihood estimate.
    pub value: f64,
    /// Its asymptotic standard error; `None` when the Hessian at the optimum is not positive
    /// definite (too little data).
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
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct FitInfo {
    /// The log-likelihood at the optimum, summed over customers.
    pub log_likelihood: f64,
    /// Customers the fit used.
    pub customers: u64,
    /// Optimizer iterations.
    pub iterations: u64,
    /// The optimizer used: `lbfgs` or `nelder_mead`.
    pub method: String,
    /// Whether the optimizer met its convergence test before its iteration limit.
    pub converged: bool,
}

impl From<&core::FitInfo> for FitInfo {
    fn from(i: &core::FitInfo) -> Self {
        FitInfo {
            log_likelihood: i.log_likelihood,
            customers: i.customers,
            iterations: i.iterations,
            method: i.method.to_owned(),
            converged: i.converged,
        }
    }
}

/// A BG/NBD model (Fader, Hardie & Lee 2005): Gamma(r, α) event rates and Beta(a, b)
/// drop-out probabilities, in the time unit of the data it was fitted on.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct BgNbd {
    /// Shape of the event-rate distribution.
    pub r: f64,
    /// Scale of the event-rate distribution (in the data's time unit).
    pub alpha: f64,
    /// First shape of the drop-out distribution.
    pub a: f64,
    /// Second shape of the drop-out distribution.
    pub b: f64,
}

impl From<core::BgNbd> for BgNbd {
    fn from(m: core::BgNbd) -> Self {
        BgNbd {
            r: m.r,
            alpha: m.alpha,
            a: m.a,
            b: m.b,
        }
    }
}

impl From<BgNbd> for core::BgNbd {
    fn from(m: BgNbd) -> Self {
        core::BgNbd {
            r: m.r,
            alpha: m.alpha,
            a: m.a,
            b: m.b,
        }
    }
}

#[uniffi::export]
impl BgNbd {
    /// The probability that a customer with `frequency` repeat events, the last at
    /// `recency`, observed for `t` (`T`: from the first event to the end of observation)
    /// is still alive. 1 without repeat events.
    ///
    /// # Errors
    /// `InvalidInput` on field `recency` when it is not in `[0, t]`, on `age` when `t` is
    /// negative or not finite.
    pub fn p_alive(&self, frequency: u32, recency: f64, t: f64) -> Result<f64, CrmError> {
        Ok(core::BgNbd::from(*self).p_alive(frequency, recency, t)?)
    }

    /// Expected repeat events in the next `horizon` of a customer with `frequency` repeat
    /// events, the last at `recency`, observed for `t`.
    ///
    /// # Errors
    /// `InvalidInput` for an invalid summary (see [`BgNbd::p_alive`]), and on field `t`
    /// when `horizon` is negative or too long to evaluate.
    pub fn expected_purchases(
        &self,
        horizon: f64,
        frequency: u32,
        recency: f64,
        t: f64,
    ) -> Result<f64, CrmError> {
        Ok(core::BgNbd::from(*self).expected_purchases(horizon, frequency, recency, t)?)
    }

    /// Expected repeat events of a new customer in `(0, horizon]`.
    ///
    /// # Errors
    /// `InvalidInput` on field `t` when `horizon` is negative or too long to evaluate.
    pub fn expected_purchases_new(&self, horizon: f64) -> Result<f64, CrmError> {
        Ok(core::BgNbd::from(*self).expected_purchases_new(horizon)?)
    }
}

/// A fitted [`BgNbd`]: the model, each parameter with its standard error, and how the fit
/// went. Its methods are the model's.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct BgNbdFit {
    /// The model at the maximum-likelihood estimate.
    pub model: BgNbd,
    /// `r` with its standard error.
    pub r: Estimate,
    /// `α` with its standard error.
    pub alpha: Estimate,
    /// `a` with its standard error.
    pub a: Estimate,
    /// `b` with its standard error.
    pub b: Estimate,
    /// Log-likelihood, customers, iterations, optimizer.
    pub info: FitInfo,
}

impl From<&core::BgNbdFit> for BgNbdFit {
    fn from(f: &core::BgNbdFit) -> Self {
        BgNbdFit {
            model: f.model.into(),
            r: f.r.into(),
            alpha: f.alpha.into(),
            a: f.a.into(),
            b: f.b.into(),
            info: (&f.info).into(),
        }
    }
}

#[uniffi::export]
impl BgNbdFit {
    /// [`BgNbd::p_alive`] of the fitted model.
    ///
    /// # Errors
    /// As [`BgNbd::p_alive`].
    pub fn p_alive(&self, frequency: u32, recency: f64, t: f64) -> Result<f64, CrmError> {
        self.model.p_alive(frequency, recency, t)
    }

    /// [`BgNbd::expected_purchases`] of the fitted model.
    ///
    /// # Errors
    /// As [`BgNbd::expected_purchases`].
    pub fn expected_purchases(
        &self,
        horizon: f64,
        frequency: u32,
        recency: f64,
        t: f64,
    ) -> Result<f64, CrmError> {
        self.model
            .expected_purchases(horizon, frequency, recency, t)
    }

    /// [`BgNbd::expected_purchases_new`] of the fitted model.
    ///
    /// # Errors
    /// As [`BgNbd::expected_purchases_new`].
    pub fn expected_purchases_new(&self, horizon: f64) -> Result<f64, CrmError> {
        self.model.expected_purchases_new(horizon)
    }
}

/// Fits a BG/NBD model by maximum likelihood to per-customer `frequency` (repeat events),
/// `recency` (time of the last event after the first) and `t` (`T`: time from the first
/// event to the end of observation), all in one time unit. On the CDNOW sample it gives the
/// published r = 0.243, α = 4.414, a = 0.793, b = 2.426.
///
/// # Errors
/// `InvalidInput` when the lists differ in length or are empty, a recency is outside
/// `[0, T]`, a `T` is negative or not finite, a frequency is above one million (the
/// customer's index is in the reason), or on field `fit` when no optimum is found.
#[uniffi::export]
pub fn fit_bgnbd(
    frequency: Vec<u32>,
    recency: Vec<f64>,
    t: Vec<f64>,
) -> Result<BgNbdFit, CrmError> {
    Ok(BgNbdFit::from(&core::fit_bgnbd(&frequency, &recency, &t)?))
}

/// A Gamma-Gamma spend model (Fader & Hardie 2013).
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct GammaGamma {
    /// Shape of each transaction's value around the customer's mean.
    pub p: f64,
    /// Shape of the distribution of the customers' scale.
    pub q: f64,
    /// Scale of the distribution of the customers' scale (`v` in `lifetimes`).
    pub gamma: f64,
}

impl From<core::GammaGamma> for GammaGamma {
    fn from(m: core::GammaGamma) -> Self {
        GammaGamma {
            p: m.p,
            q: m.q,
            gamma: m.gamma,
        }
    }
}

impl From<GammaGamma> for core::GammaGamma {
    fn from(m: GammaGamma) -> Self {
        core::GammaGamma {
            p: m.p,
            q: m.q,
            gamma: m.gamma,
        }
    }
}

fn amount(raw: &str, field: &'static str) -> Result<Decimal, CrmError> {
    raw.trim()
        .parse::<Decimal>()
        .map_err(|_| Error::invalid(field, "not a decimal amount").into())
}

#[uniffi::export]
impl GammaGamma {
    /// The expected value of a transaction of a customer with `frequency` repeat
    /// transactions averaging `monetary` (a decimal string), rounded to cents; with
    /// `frequency` 0 the population mean.
    ///
    /// # Errors
    /// `InvalidInput` on field `monetary` when it is not a decimal, is negative, or the
    /// expectation is infinite for the model.
    pub fn expected_spend(&self, frequency: u32, monetary: String) -> Result<String, CrmError> {
        let m = amount(&monetary, "monetary")?;
        Ok(core::GammaGamma::from(*self)
            .expected_spend(frequency, m)?
            .to_string())
    }
}

/// A fitted [`GammaGamma`] with standard errors and how the fit went. Its method is the
/// model's.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct GammaGammaFit {
    /// The model at the maximum-likelihood estimate.
    pub model: GammaGamma,
    /// `p` with its standard error.
    pub p: Estimate,
    /// `q` with its standard error.
    pub q: Estimate,
    /// `γ` with its standard error.
    pub gamma: Estimate,
    /// Log-likelihood, customers, iterations, optimizer.
    pub info: FitInfo,
}

#[uniffi::export]
impl GammaGammaFit {
    /// [`GammaGamma::expected_spend`] of the fitted model.
    ///
    /// # Errors
    /// As [`GammaGamma::expected_spend`].
    pub fn expected_spend(&self, frequency: u32, monetary: String) -> Result<String, CrmError> {
        self.model.expected_spend(frequency, monetary)
    }
}

/// Fits a Gamma-Gamma model by maximum likelihood to per-customer `frequency` (repeat
/// transactions) and `monetary` (their average value, decimal strings). Customers with
/// `frequency` 0 are skipped. On the CDNOW sample it gives the published p = 6.25,
/// q = 3.74, γ = 15.44.
///
/// # Errors
/// `InvalidInput` when an amount is not a decimal, the lists differ in length, a customer
/// with repeat transactions has an amount of 0 or less (the index is in the reason), no
/// customer has repeat transactions, or on field `fit` when no optimum is found.
#[uniffi::export]
pub fn fit_gamma_gamma(
    frequency: Vec<u32>,
    monetary: Vec<String>,
) -> Result<GammaGammaFit, CrmError> {
    let monetary = monetary
        .iter()
        .map(|m| amount(m, "monetary"))
        .collect::<Result<Vec<_>, _>>()?;
    let f = core::fit_gamma_gamma(&frequency, &monetary)?;
    Ok(GammaGammaFit {
        model: f.model.into(),
        p: f.p.into(),
        q: f.q.into(),
        gamma: f.gamma.into(),
        info: (&f.info).into(),
    })
}

/// One customer's summary for the retention models, in days.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
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

impl From<RfmSummary> for core::RfmSummary {
    fn from(s: RfmSummary) -> Self {
        core::RfmSummary {
            frequency: s.frequency,
            recency: s.recency,
            age: s.age,
        }
    }
}

/// A day given as `YYYY-MM-DD`.
pub(crate) fn day(raw: &str, field: &'static str) -> Result<chrono::NaiveDate, CrmError> {
    raw.trim()
        .parse::<chrono::NaiveDate>()
        .map_err(|_| Error::invalid(field, "not an ISO 8601 date").into())
}

/// The summary of events on `days` (`YYYY-MM-DD`, any order, repeats count once per day)
/// observed until `until`; `None` when no event falls on or before `until`.
///
/// # Errors
/// `InvalidInput` on field `date` for a day that is not `YYYY-MM-DD`.
#[uniffi::export]
pub fn rfm_summary(days: Vec<String>, until: String) -> Result<Option<RfmSummary>, CrmError> {
    let until = day(&until, "date")?;
    let days = days
        .iter()
        .map(|d| day(d, "date"))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(core::RfmSummary::from_event_days(days, until).map(Into::into))
}

/// One point of a [`retention_curve`].
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct RetentionPoint {
    /// Days since each customer's first event.
    pub day: u32,
    /// Customers observed at least `day` days: the base of `share`.
    pub observed: u64,
    /// Of them, those with an event `day` days or more after their first.
    pub retained: u64,
    /// `retained / observed`; `None` when nobody was observed that long.
    pub share: Option<f64>,
}

/// The observed retention curve of `summaries` at each of `days`: the share of customers
/// still active that many days after their first event, among those observed that long.
#[uniffi::export]
pub fn retention_curve(summaries: Vec<RfmSummary>, days: Vec<u32>) -> Vec<RetentionPoint> {
    let summaries: Vec<core::RfmSummary> = summaries.into_iter().map(Into::into).collect();
    core::retention_curve(&summaries, &days)
        .into_iter()
        .map(|p| RetentionPoint {
            day: p.day,
            observed: p.observed,
            retained: p.retained,
            share: p.share,
        })
        .collect()
}
