//! The dashboard tables of [`crate::analytics`]: top performers, trends, video and product
//! performance, and sample → video conversion.
//!
//! Rates and ratios are [`ColumnType::Float64`] (absent when their base is zero, except the
//! contract's per-creator `rate`, which always has samples); money is a decimal at the
//! money scale; counts are unsigned.

use super::{Cell, ColumnDef, ColumnType as T, Row, creator::MONEY_SCALE};
use crate::analytics::{
    ConversionOverall, CreatorConversion, CreatorVideoPerformance, Performer, ProductConversion,
    ProductPerformance, Trend,
};

const MONEY: T = T::Decimal { scale: MONEY_SCALE };

const fn col(name: &'static str, ty: T, nullable: bool, doc: &'static str) -> ColumnDef {
    ColumnDef::new(name, ty, nullable, doc)
}

const USERNAME: ColumnDef = col("tiktok_username", T::Text, false, "The creator.");

fn uint(v: Option<u64>) -> Cell<'static> {
    v.map_or(Cell::Null, Cell::UInt)
}

fn float(v: Option<f64>) -> Cell<'static> {
    v.map_or(Cell::Null, Cell::Float)
}

fn dec(v: Option<rust_decimal::Decimal>) -> Cell<'static> {
    v.map_or(Cell::Null, Cell::Decimal)
}

impl Row for Performer {
    const TABLE: &'static str = "top_performers";

    const COLUMNS: &'static [ColumnDef] = &[
        col("rank", T::UInt64, false, "1-based place in the ranking."),
        USERNAME,
        col(
            "gmv",
            MONEY,
            false,
            "GMV of the creator's videos posted in the period.",
        ),
        col("items_sold", T::UInt64, false, "Items sold through them."),
        col("orders", T::UInt64, false, "Orders through them."),
        col(
            "videos",
            T::UInt64,
            false,
            "Videos the creator posted in the period.",
        ),
    ];

    fn cell(&self, column: usize) -> Cell<'_> {
        match column {
            0 => Cell::UInt(u64::from(self.rank)),
            1 => Cell::text(self.tiktok_username.as_str()),
            2 => Cell::Decimal(self.gmv),
            3 => Cell::UInt(self.items_sold),
            4 => Cell::UInt(self.orders),
            5 => Cell::UInt(self.videos),
            _ => Cell::Null,
        }
    }
}

impl Row for Trend {
    const TABLE: &'static str = "trending";

    const COLUMNS: &'static [ColumnDef] = &[
        USERNAME,
        col(
            "metric",
            T::Text,
            false,
            "The metric compared: gmv, items_sold or orders.",
        ),
        col(
            "previous",
            MONEY,
            false,
            "Its value in the earlier period: the base of growth.",
        ),
        col("current", MONEY, false, "Its value in the later period."),
        col(
            "change",
            MONEY,
            false,
            "current - previous (negative when it fell).",
        ),
        col(
            "growth",
            T::Float64,
            true,
            "change / previous (0.5 is +50 %); null when previous is zero.",
        ),
        col(
            "previous_videos",
            T::UInt64,
            false,
            "Videos posted in the earlier period.",
        ),
        col(
            "current_videos",
            T::UInt64,
            false,
            "Videos posted in the later period.",
        ),
    ];

    fn cell(&self, column: usize) -> Cell<'_> {
        match column {
            0 => Cell::text(self.tiktok_username.as_str()),
            1 => Cell::text(self.metric.as_str()),
            2 => Cell::Decimal(self.previous),
            3 => Cell::Decimal(self.current),
            4 => Cell::Decimal(self.change),
            5 => float(self.growth),
            6 => Cell::UInt(self.previous_videos),
            7 => Cell::UInt(self.current_videos),
            _ => Cell::Null,
        }
    }
}

impl Row for CreatorVideoPerformance {
    const TABLE: &'static str = "video_performance";

    const COLUMNS: &'static [ColumnDef] = &[
        USERNAME,
        col("videos", T::UInt64, false, "Number of videos."),
        col("gmv", MONEY, false, "Their GMV."),
        col("items_sold", T::UInt64, false, "Affiliate items sold."),
        col("orders", T::UInt64, false, "Affiliate orders."),
        col(
            "impressions",
            T::UInt64,
            false,
            "Shoppable video impressions.",
        ),
        col("likes", T::UInt64, false, "Likes."),
        col("comments", T::UInt64, false, "Comments."),
        col(
            "gmv_per_video",
            MONEY,
            false,
            "gmv / videos, rounded to cents (half to even).",
        ),
        col(
            "engagement_rate",
            T::Float64,
            true,
            "(likes + comments) / impressions; null without impressions.",
        ),
        col(
            "order_rate",
            T::Float64,
            true,
            "orders / impressions; null without impressions.",
        ),
    ];

    fn cell(&self, column: usize) -> Cell<'_> {
        match column {
            0 => Cell::text(self.tiktok_username.as_str()),
            1 => Cell::UInt(self.videos),
            2 => Cell::Decimal(self.gmv),
            3 => Cell::UInt(self.items_sold),
            4 => Cell::UInt(self.orders),
            5 => Cell::UInt(self.impressions),
            6 => Cell::UInt(self.likes),
            7 => Cell::UInt(self.comments),
            8 => Cell::Decimal(self.gmv_per_video),
            9 => float(self.engagement_rate),
            10 => float(self.order_rate),
            _ => Cell::Null,
        }
    }
}

impl Row for ProductPerformance {
    const TABLE: &'static str = "product_performance";

    const COLUMNS: &'static [ColumnDef] = &[
        col("product_id", T::Text, false, "Product id."),
        col("name", T::Text, true, "Name from product analytics."),
        col("gmv", MONEY, true, "GMV from product analytics."),
        col(
            "items_sold",
            T::UInt64,
            true,
            "Items sold from product analytics.",
        ),
        col("orders", T::UInt64, true, "Orders from product analytics."),
        col("videos", T::UInt64, false, "Videos linked to the product."),
        col(
            "creators",
            T::UInt64,
            false,
            "Distinct creators of those videos.",
        ),
        col(
            "video_gmv",
            MONEY,
            false,
            "GMV of those videos (a video linked to several products counts for each).",
        ),
    ];

    fn cell(&self, column: usize) -> Cell<'_> {
        match column {
            0 => Cell::text(&self.product_id),
            1 => Cell::opt_text(self.name.as_deref()),
            2 => dec(self.gmv),
            3 => uint(self.items_sold),
            4 => uint(self.orders),
            5 => Cell::UInt(self.videos),
            6 => Cell::UInt(self.creators),
            7 => Cell::Decimal(self.video_gmv),
            _ => Cell::Null,
        }
    }
}

impl Row for CreatorConversion {
    const TABLE: &'static str = "sample_conversion";

    const COLUMNS: &'static [ColumnDef] = &[
        USERNAME,
        col(
            "samples",
            T::UInt64,
            false,
            "Samples the creator received (cancelled orders excluded).",
        ),
        col(
            "converted",
            T::UInt64,
            false,
            "Samples followed by a video within the window.",
        ),
        col("rate", T::Float64, false, "converted / samples, in [0, 1]."),
    ];

    fn cell(&self, column: usize) -> Cell<'_> {
        match column {
            0 => Cell::text(self.tiktok_username.as_str()),
            1 => Cell::UInt(self.samples),
            2 => Cell::UInt(self.converted),
            3 => Cell::Float(self.rate),
            _ => Cell::Null,
        }
    }
}

impl Row for ProductConversion {
    const TABLE: &'static str = "sample_conversion_by_product";

    const COLUMNS: &'static [ColumnDef] = &[
        col(
            "product_name",
            T::Text,
            true,
            "Product name as the sample export gives it.",
        ),
        col(
            "samples",
            T::UInt64,
            false,
            "Samples of it sent (cancelled orders excluded).",
        ),
        col("converted", T::UInt64, false, "How many converted."),
        col("rate", T::Float64, false, "converted / samples, in [0, 1]."),
        col(
            "creators",
            T::UInt64,
            false,
            "Distinct creators who received it.",
        ),
        col(
            "converted_creators",
            T::UInt64,
            false,
            "Distinct creators with a converted sample of it.",
        ),
    ];

    fn cell(&self, column: usize) -> Cell<'_> {
        match column {
            0 => Cell::opt_text(self.product_name.as_deref()),
            1 => Cell::UInt(self.samples),
            2 => Cell::UInt(self.converted),
            3 => Cell::Float(self.rate),
            4 => Cell::UInt(self.creators),
            5 => Cell::UInt(self.converted_creators),
            _ => Cell::Null,
        }
    }
}

impl Row for ConversionOverall {
    const TABLE: &'static str = "sample_conversion_overall";

    const COLUMNS: &'static [ColumnDef] = &[
        col(
            "within_days",
            T::UInt64,
            false,
            "The conversion window, in days.",
        ),
        col(
            "samples",
            T::UInt64,
            false,
            "Samples (cancelled orders excluded).",
        ),
        col("converted", T::UInt64, false, "Samples that converted."),
        col(
            "rate",
            T::Float64,
            true,
            "converted / samples; null without samples.",
        ),
        col(
            "undated",
            T::UInt64,
            false,
            "Samples without any time, which cannot convert (included in samples).",
        ),
        col(
            "cancelled",
            T::UInt64,
            false,
            "Cancelled orders, left out of every other count.",
        ),
        col(
            "creators",
            T::UInt64,
            false,
            "Distinct creators with samples.",
        ),
        col(
            "converted_creators",
            T::UInt64,
            false,
            "Distinct creators with a converted sample.",
        ),
        col(
            "creator_rate",
            T::Float64,
            true,
            "converted_creators / creators; null without creators.",
        ),
    ];

    fn cell(&self, column: usize) -> Cell<'_> {
        match column {
            0 => Cell::UInt(u64::from(self.within_days)),
            1 => Cell::UInt(self.samples),
            2 => Cell::UInt(self.converted),
            3 => float(self.rate),
            4 => Cell::UInt(self.undated),
            5 => Cell::UInt(self.cancelled),
            6 => Cell::UInt(self.creators),
            7 => Cell::UInt(self.converted_creators),
            8 => float(self.creator_rate),
            _ => Cell::Null,
        }
    }
}
