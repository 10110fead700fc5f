//! A BG/NBD model of supporters' purchases, backing the retention risk of
//! [`insights`](super::insights).
//!
//! The model is fitted on a population (all supporters of a creator) from each
//! supporter's purchase summary in days: repeat purchase days, days from the
//! first purchase day to the last, days from the first to `now` (UTC days;
//! spends of 0 tokens and spends after `now` are ignored). For a supporter with
//! at least one repeat purchase, the risk is `round(100 × (1 − P(alive)))`
//! (high from 60, medium from 30, as the heuristic), beside the expected
//! purchases in the next `horizon_days`.
//!
//! The heuristic stays, and says why, where the model has nothing to say:
//! too few buyers or repeat buyers to fit it ([`RetentionConfig`]), a fit that
//! fails or does not converge, a supporter who never paid, or one with a single
//! purchase day (BG/NBD assumes every customer alive until their first repeat
//! purchase, so P(alive) would be 1 whatever the silence since).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::model::Supporter;
use crate::analytics::retention::{BgNbd, BgNbdFit, RfmSummary, fit_bgnbd};

/// When [`PurchaseModel::fit`] fits a model, and the horizon of its predictions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RetentionConfig {
    /// Supporters with at least one purchase needed to fit (30).
    pub min_buyers: u64,
    /// Of them, supporters with a repeat purchase day needed to fit (10).
    pub min_repeat_buyers: u64,
    /// Days ahead of the expected purchases (30).
    pub horizon_days: u32,
}

impl Default for RetentionConfig {
    fn default() -> Self {
        RetentionConfig {
            min_buyers: 30,
            min_repeat_buyers: 10,
            horizon_days: 30,
        }
    }
}

/// Why a retention risk is the heuristic's rather than the model's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HeuristicReason {
    /// Insights were asked for one supporter, without a fitted model.
    NoModel,
    /// Too few supporters with purchases to fit the model.
    TooFewBuyers {
        /// Supporters with at least one purchase.
        buyers: u64,
        /// How many the fit needs.
        needed: u64,
    },
    /// Too few supporters with a repeat purchase to fit the model.
    TooFewRepeatBuyers {
        /// Supporters with a repeat purchase day.
        repeat_buyers: u64,
        /// How many the fit needs.
        needed: u64,
    },
    /// The maximum-likelihood fit found no finite optimum, or did not converge.
    FitFailed,
    /// The supporter never paid: the model describes buyers.
    NoPurchases,
    /// The supporter paid on one day only: the model gives no drop-out before a
    /// repeat purchase.
    NoRepeatPurchase,
}

impl HeuristicReason {
    /// The reason in words (numbers only, never personal data).
    pub fn describe(&self) -> String {
        match self {
            HeuristicReason::NoModel => "no purchase model given".to_owned(),
            HeuristicReason::TooFewBuyers { buyers, needed } => {
                format!("{buyers} supporters with purchases, {needed} needed to fit")
            }
            HeuristicReason::TooFewRepeatBuyers {
                repeat_buyers,
                needed,
            } => {
                format!("{repeat_buyers} supporters with repeat purchases, {needed} needed to fit")
            }
            HeuristicReason::FitFailed => "the fit did not converge".to_owned(),
            HeuristicReason::NoPurchases => "no purchases yet".to_owned(),
            HeuristicReason::NoRepeatPurchase => {
                "one purchase day only; the model needs a repeat purchase".to_owned()
            }
        }
    }
}

/// What the BG/NBD said about one supporter.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ModelRisk {
    /// The probability that the supporter still buys.
    pub p_alive: f64,
    /// Expected purchase days in the next `horizon_days`.
    pub expected_purchases: f64,
    /// The horizon of `expected_purchases`, in days.
    pub horizon_days: u32,
    /// The supporter's repeat purchase days.
    pub frequency: u32,
    /// Days from the first purchase day to the last.
    pub recency_days: f64,
    /// Days from the first purchase day to `now`.
    pub age_days: f64,
    /// The model's parameters (in days).
    pub params: BgNbd,
    /// Supporters the model was fitted on.
    pub fitted_on: u64,
}

/// A BG/NBD of supporters' purchases (in days), fitted on a population.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PurchaseModel {
    /// The model.
    pub model: BgNbd,
    /// Supporters it was fitted on.
    pub fitted_on: u64,
    /// The horizon of expected purchases, in days.
    pub horizon_days: u32,
    /// The fit with standard errors (`None` for a model given by its parameters).
    pub fit: Option<BgNbdFit>,
}

impl PurchaseModel {
    /// A model with known parameters (in days), e.g. fitted elsewhere.
    pub fn new(model: BgNbd, fitted_on: u64, horizon_days: u32) -> Self {
        PurchaseModel {
            model,
            fitted_on,
            horizon_days,
            fit: None,
        }
    }

    /// Fits the model on the purchases of `supporters` as of `now`.
    ///
    /// # Errors
    /// The [`HeuristicReason`] the heuristic will give instead: too few buyers or
    /// repeat buyers for `cfg`, or a fit that fails or does not converge.
    pub fn fit(
        supporters: &[Supporter],
        cfg: &RetentionConfig,
        now: DateTime<Utc>,
    ) -> std::result::Result<PurchaseModel, HeuristicReason> {
        let summaries: Vec<RfmSummary> = supporters
            .iter()
            .filter_map(|s| purchase_summary(s, now))
            .collect();
        let buyers = summaries.len() as u64;
        if buyers < cfg.min_buyers.max(1) {
            return Err(HeuristicReason::TooFewBuyers {
                buyers,
                needed: cfg.min_buyers.max(1),
            });
        }
        let repeat_buyers = summaries.iter().filter(|s| s.frequency > 0).count() as u64;
        if repeat_buyers < cfg.min_repeat_buyers.max(1) {
            return Err(HeuristicReason::TooFewRepeatBuyers {
                repeat_buyers,
                needed: cfg.min_repeat_buyers.max(1),
            });
        }
        let frequency: Vec<u32> = summaries.iter().map(|s| s.frequency).collect();
        let recency: Vec<f64> = summaries.iter().map(|s| s.recency).collect();
        let age: Vec<f64> = summaries.iter().map(|s| s.age).collect();
        let fit = fit_bgnbd(&frequency, &recency, &age).map_err(|_| HeuristicReason::FitFailed)?;
        if !fit.info.converged {
            return Err(HeuristicReason::FitFailed);
        }
        Ok(PurchaseModel {
            model: fit.model,
            fitted_on: buyers,
            horizon_days: cfg.horizon_days,
            fit: Some(fit),
        })
    }

    /// What the model says about `s` at `now`.
    ///
    /// # Errors
    /// [`HeuristicReason::NoPurchases`] or [`HeuristicReason::NoRepeatPurchase`] when
    /// the model has nothing to say about `s`; [`HeuristicReason::FitFailed`] when
    /// the model's parameters cannot evaluate the supporter's summary.
    pub fn risk_of(
        &self,
        s: &Supporter,
        now: DateTime<Utc>,
    ) -> std::result::Result<ModelRisk, HeuristicReason> {
        let sum = purchase_summary(s, now).ok_or(HeuristicReason::NoPurchases)?;
        if sum.frequency == 0 {
            return Err(HeuristicReason::NoRepeatPurchase);
        }
        let p_alive = self
            .model
            .p_alive(sum.frequency, sum.recency, sum.age)
            .map_err(|_| HeuristicReason::FitFailed)?;
        let expected_purchases = self
            .model
            .expected_purchases(
                f64::from(self.horizon_days),
                sum.frequency,
                sum.recency,
                sum.age,
            )
            .map_err(|_| HeuristicReason::FitFailed)?;
        if !(p_alive.is_finite() && expected_purchases.is_finite()) {
            return Err(HeuristicReason::FitFailed);
        }
        Ok(ModelRisk {
            p_alive,
            expected_purchases,
            horizon_days: self.horizon_days,
            frequency: sum.frequency,
            recency_days: sum.recency,
            age_days: sum.age,
            params: self.model,
            fitted_on: self.fitted_on,
        })
    }
}

/// A supporter's purchase summary in UTC days as of `now` (spends of at least one
/// token, at or before `now`); `None` without such a spend.
pub fn purchase_summary(s: &Supporter, now: DateTime<Utc>) -> Option<RfmSummary> {
    RfmSummary::from_event_days(
        s.activity
            .spends
            .iter()
            .filter(|e| e.tokens > 0 && e.at <= now)
            .map(|e| e.at.date_naive()),
        now.date_naive(),
    )
}
