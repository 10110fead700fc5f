//! The notebook's dashboard as pure functions over a [`MergeResult`], and retention models.
//!
//! Every table is a function of a merge built with [`MergeOptions::related_records`] on
//! (the default), returning typed rows in a deterministic order with stable tie-breaks:
//!
//! - [`top_performers`]: creators ranked by GMV, items sold or orders of the videos they
//!   posted in a [`Period`];
//! - [`trending`]: each creator's change between two periods, with the base every growth
//!   rate is computed on;
//! - [`video_performance`]: video totals and rates per creator;
//! - [`product_performance`]: product analytics joined with the videos linked to each product;
//! - [`sample_conversion`], [`sample_conversion_by_product`], [`sample_conversion_overall`]:
//!   sample → video conversion by the rule of [`conversion`];
//! - [`dashboard`]: all of the above from one call.
//!
//! [`retention`] fits BG/NBD and Gamma-Gamma models by maximum likelihood.
//!
//! Every row type is a [`crate::table::Row`] (its columns named, typed and documented once),
//! so [`crate::export::write_csv`] writes any of these tables as formula-safe CSV and the
//! bindings build them like the merge's tables.
//!
//! Money stays [`rust_decimal::Decimal`]. Rates and ratios (conversion, growth, CTR) are
//! `f64`: they are not money, and every rate sits beside the counts or amounts it is
//! computed from, so an exact figure can always be recomputed. Nothing here reads the clock:
//! periods are parameters.
//!
//! [`MergeResult`]: crate::merge::MergeResult
//! [`MergeOptions::related_records`]: crate::merge::MergeOptions::related_records

pub mod conversion;
mod dashboard;
mod facts;
mod performance;
mod period;
pub mod retention;

pub use conversion::{
    ConversionOverall, CreatorConversion, DEFAULT_WITHIN_DAYS, ProductConversion,
    sample_conversion, sample_conversion_by_product, sample_conversion_overall,
};
pub use dashboard::{Dashboard, DashboardOptions, dashboard};
pub use performance::{
    CreatorVideoPerformance, Metric, Performer, ProductPerformance, Trend, product_performance,
    top_performers, trending, video_performance,
};
pub use period::Period;

/// `part / whole` as a ratio, `None` when `whole` is zero.
pub(crate) fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}
