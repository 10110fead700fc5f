//! Every table of the dashboard from one call.

use chrono::Days;

use super::{
    ConversionOverall, CreatorConversion, CreatorVideoPerformance, DEFAULT_WITHIN_DAYS, Metric,
    Performer, Period, ProductConversion, ProductPerformance, Trend,
    conversion::{self, Outcomes},
    facts::Facts,
    performance::{PeriodTotals, product_performance_of, top_of, trend_of, video_performance_of},
};
use crate::{
    error::{Error, Result},
    merge::MergeResult,
};

/// What [`dashboard`] computes its tables over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DashboardOptions {
    /// The period of the top-performer tables and the later period of the trend.
    pub period: Period,
    /// The earlier period of the trend; `None` means the same number of days right before
    /// `period`.
    pub previous: Option<Period>,
    /// How many creators each top-performer table lists.
    pub top: usize,
    /// The sample → video conversion window in days.
    pub within_days: u32,
}

impl DashboardOptions {
    /// Options for `period`: the trend against the period before it, top 10, 30-day window.
    pub fn new(period: Period) -> Self {
        DashboardOptions {
            period,
            previous: None,
            top: 10,
            within_days: DEFAULT_WITHIN_DAYS,
        }
    }

    /// The earlier period of the trend.
    ///
    /// # Errors
    /// `InvalidInput` on field `period` when the period before `period` falls outside the
    /// calendar.
    pub fn previous_period(&self) -> Result<Period> {
        if let Some(p) = self.previous {
            return Ok(p);
        }
        let days = Days::new(self.period.days().unsigned_abs());
        let start = self
            .period
            .start()
            .checked_sub_days(days)
            .ok_or_else(|| Error::invalid("period", "period starts too early to compare"))?;
        Period::new(start, self.period.start())
    }
}

/// All tables of the dashboard.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Dashboard {
    /// The period of the top-performer tables.
    pub period: Period,
    /// The earlier period of `trending`.
    pub previous: Period,
    /// Top creators by GMV in `period`.
    pub top_by_gmv: Vec<Performer>,
    /// Top creators by items sold in `period`.
    pub top_by_items_sold: Vec<Performer>,
    /// Top creators by orders in `period`.
    pub top_by_orders: Vec<Performer>,
    /// GMV change from `previous` to `period` per creator.
    pub trending: Vec<Trend>,
    /// Video performance by creator (all videos).
    pub videos_by_creator: Vec<CreatorVideoPerformance>,
    /// Product performance.
    pub products: Vec<ProductPerformance>,
    /// Sample → video conversion per creator.
    pub conversion_by_creator: Vec<CreatorConversion>,
    /// Sample → video conversion per product name.
    pub conversion_by_product: Vec<ProductConversion>,
    /// Sample → video conversion overall.
    pub conversion_overall: ConversionOverall,
}

/// Every table of the dashboard for `result`: the same tables as the functions of each,
/// with the conversion rule and each period's totals computed once for all of them.
///
/// # Errors
/// `InvalidInput` when `options` has no earlier period and the one before `period` falls
/// outside the calendar.
pub fn dashboard(result: &MergeResult, options: &DashboardOptions) -> Result<Dashboard> {
    let previous = options.previous_period()?;
    let period = options.period;
    let facts = Facts::of(result, true);
    let current = PeriodTotals::of(&facts, period);
    let before = PeriodTotals::of(&facts, previous);
    let outcomes = Outcomes::of(&facts, options.within_days);
    Ok(Dashboard {
        period,
        previous,
        top_by_gmv: top_of(&facts, &current, Metric::Gmv, options.top),
        top_by_items_sold: top_of(&facts, &current, Metric::ItemsSold, options.top),
        top_by_orders: top_of(&facts, &current, Metric::Orders, options.top),
        trending: trend_of(&facts, &before, &current, Metric::Gmv),
        videos_by_creator: video_performance_of(&facts),
        products: product_performance_of(&facts),
        conversion_by_creator: conversion::by_creator(&facts, &outcomes),
        conversion_by_product: conversion::by_product(&outcomes),
        conversion_overall: conversion::overall(&outcomes),
    })
}
