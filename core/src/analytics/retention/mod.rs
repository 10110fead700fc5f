//! Retention models: BG/NBD for how often people come back and whether they are still
//! around, Gamma-Gamma for how much they spend.
//!
//! Both are fitted by maximum likelihood with [`argmin`] on the logarithms of their
//! parameters (so every parameter stays positive without constraints), and report the
//! parameters with standard errors from the Hessian of the log-likelihood at the optimum.
//! The data are one summary per customer (a supporter's purchases, or a creator's posts):
//!
//! - `frequency`: repeat events (events after the first, one per time unit at most when
//!   counting days or weeks);
//! - `recency`: time from the first to the last event (0 when `frequency` is 0);
//! - `age` (`T` in the literature): time from the first event to the end of observation.
//!
//! Any time unit works (weeks in the CDNOW anchor) as long as predictions use the same one.
//! [`RfmSummary::from_event_days`] builds a summary from event dates. The models are
//! statistics, so they work in `f64`; amounts come in and go out as
//! [`rust_decimal::Decimal`].

mod bgnbd;
mod gamma_gamma;
mod special;
mod summary;

pub use bgnbd::{BgNbd, BgNbdFit, fit_bgnbd};
pub use gamma_gamma::{GammaGamma, GammaGammaFit, fit_gamma_gamma};
pub use summary::{RetentionPoint, RfmSummary, posting_summaries, retention_curve};

/// A fitted parameter with its standard error.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Estimate {
    /// The maximum-likelihood estimate.
    pub value: f64,
    /// Its asymptotic standard error (`None` when the Hessian at the optimum is not
    /// positive definite, e.g. on too little data).
    pub std_error: Option<f64>,
}

/// How a maximum-likelihood fit ended.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FitInfo {
    /// The log-likelihood at the optimum (summed over customers).
    pub log_likelihood: f64,
    /// Customers the fit used.
    pub customers: u64,
    /// Optimizer iterations.
    pub iterations: u64,
    /// The optimizer used (`"lbfgs"` or `"nelder_mead"`).
    pub method: &'static str,
    /// Whether the optimizer met its convergence test before its iteration limit.
    pub converged: bool,
}
