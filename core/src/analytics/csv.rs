//! The analytics tables as CSV that is safe to open in a spreadsheet.
//!
//! Text cells (handles, product names and ids) go through [`escape_cell`]; numbers the
//! library formats itself are written as they are, so a negative change stays a number.
//! Rates are written with full `f64` precision; an absent rate (no base) is an empty cell.
//!
//! ```
//! use creator_crm::analytics::{csv::write_csv, sample_conversion};
//! # fn show(result: &creator_crm::merge::MergeResult) -> creator_crm::Result<()> {
//! let mut out = Vec::new();
//! write_csv(&sample_conversion(result, 30), &mut out)?;
//! # Ok(()) }
//! ```

use std::io::Write;

use crate::{
    error::{Error, ErrorKind, Result},
    export::escape_cell,
};

use super::{
    ConversionOverall, CreatorConversion, CreatorVideoPerformance, Performer, ProductConversion,
    ProductPerformance, Trend,
};

/// A row of an analytics table that can be written as CSV.
pub trait CsvRow {
    /// The header, in column order.
    const COLUMNS: &'static [&'static str];
    /// The row's cells in column order, text cells already escaped.
    fn cells(&self) -> Vec<String>;
}

fn text(s: &str) -> String {
    escape_cell(s).into_owned()
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

/// Writes `rows` with a header row.
///
/// # Errors
/// [`ErrorKind::Import`] when the writer fails.
pub fn write_csv<R: CsvRow, W: Write>(rows: &[R], out: W) -> Result<()> {
    let fail = |e: csv::Error| Error::new(ErrorKind::Import, "cannot write csv").with_source(e);
    let mut w = csv::Writer::from_writer(out);
    w.write_record(R::COLUMNS).map_err(fail)?;
    for r in rows {
        w.write_record(r.cells()).map_err(fail)?;
    }
    w.flush()
        .map_err(|e| Error::new(ErrorKind::Import, "cannot write csv").with_source(e))
}

impl CsvRow for Performer {
    const COLUMNS: &'static [&'static str] = &[
        "rank",
        "tiktok_username",
        "gmv",
        "items_sold",
        "orders",
        "videos",
    ];
    fn cells(&self) -> Vec<String> {
        vec![
            self.rank.to_string(),
            text(self.tiktok_username.as_str()),
            self.gmv.to_string(),
            self.items_sold.to_string(),
            self.orders.to_string(),
            self.videos.to_string(),
        ]
    }
}

impl CsvRow for Trend {
    const COLUMNS: &'static [&'static str] = &[
        "tiktok_username",
        "metric",
        "previous",
        "current",
        "change",
        "growth",
        "previous_videos",
        "current_videos",
    ];
    fn cells(&self) -> Vec<String> {
        vec![
            text(self.tiktok_username.as_str()),
            self.metric.as_str().to_owned(),
            self.previous.to_string(),
            self.current.to_string(),
            self.change.to_string(),
            opt(self.growth),
            self.previous_videos.to_string(),
            self.current_videos.to_string(),
        ]
    }
}

impl CsvRow for CreatorVideoPerformance {
    const COLUMNS: &'static [&'static str] = &[
        "tiktok_username",
        "videos",
        "gmv",
        "items_sold",
        "orders",
        "impressions",
        "likes",
        "comments",
        "gmv_per_video",
        "engagement_rate",
        "order_rate",
    ];
    fn cells(&self) -> Vec<String> {
        vec![
            text(self.tiktok_username.as_str()),
            self.videos.to_string(),
            self.gmv.to_string(),
            self.items_sold.to_string(),
            self.orders.to_string(),
            self.impressions.to_string(),
            self.likes.to_string(),
            self.comments.to_string(),
            self.gmv_per_video.to_string(),
            opt(self.engagement_rate),
            opt(self.order_rate),
        ]
    }
}

impl CsvRow for ProductPerformance {
    const COLUMNS: &'static [&'static str] = &[
        "product_id",
        "name",
        "gmv",
        "items_sold",
        "orders",
        "videos",
        "creators",
        "video_gmv",
    ];
    fn cells(&self) -> Vec<String> {
        vec![
            text(&self.product_id),
            text(self.name.as_deref().unwrap_or("")),
            opt(self.gmv),
            opt(self.items_sold),
            opt(self.orders),
            self.videos.to_string(),
            self.creators.to_string(),
            self.video_gmv.to_string(),
        ]
    }
}

impl CsvRow for CreatorConversion {
    const COLUMNS: &'static [&'static str] = &["tiktok_username", "samples", "converted", "rate"];
    fn cells(&self) -> Vec<String> {
        vec![
            text(self.tiktok_username.as_str()),
            self.samples.to_string(),
            self.converted.to_string(),
            self.rate.to_string(),
        ]
    }
}

impl CsvRow for ProductConversion {
    const COLUMNS: &'static [&'static str] = &[
        "product_name",
        "samples",
        "converted",
        "rate",
        "creators",
        "converted_creators",
    ];
    fn cells(&self) -> Vec<String> {
        vec![
            text(self.product_name.as_deref().unwrap_or("")),
            self.samples.to_string(),
            self.converted.to_string(),
            self.rate.to_string(),
            self.creators.to_string(),
            self.converted_creators.to_string(),
        ]
    }
}

impl CsvRow for ConversionOverall {
    const COLUMNS: &'static [&'static str] = &[
        "within_days",
        "samples",
        "converted",
        "rate",
        "undated",
        "cancelled",
        "creators",
        "converted_creators",
        "creator_rate",
    ];
    fn cells(&self) -> Vec<String> {
        vec![
            self.within_days.to_string(),
            self.samples.to_string(),
            self.converted.to_string(),
            opt(self.rate),
            self.undated.to_string(),
            self.cancelled.to_string(),
            self.creators.to_string(),
            self.converted_creators.to_string(),
            opt(self.creator_rate),
        ]
    }
}
