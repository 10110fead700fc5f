//! The related-record tables: samples, videos, video-product links, snapshots, brand links
//! and products.

use super::{Cell, ColumnDef, ColumnType as T, Row, creator::MONEY_SCALE};
use crate::merge::{BrandLink, Product, Provenance, Sample, Snapshot, Video, VideoProduct};

const MONEY: T = T::Decimal { scale: MONEY_SCALE };
/// Percent points (click-through, engagement) at the money scale.
const PERCENT: T = T::Decimal { scale: MONEY_SCALE };

const fn col(name: &'static str, ty: T, nullable: bool, doc: &'static str) -> ColumnDef {
    ColumnDef::new(name, ty, nullable, doc)
}

const SOURCE_FILE: ColumnDef = col(
    "source_file",
    T::Text,
    false,
    "The file the kept row came from.",
);
const SOURCE_LINE: ColumnDef = col(
    "source_line",
    T::UInt64,
    false,
    "The kept row's 1-based line in that file.",
);

fn uint(v: Option<u64>) -> Cell<'static> {
    v.map_or(Cell::Null, Cell::UInt)
}

fn dec(v: Option<rust_decimal::Decimal>) -> Cell<'static> {
    v.map_or(Cell::Null, Cell::Decimal)
}

fn time(v: Option<chrono::NaiveDateTime>) -> Cell<'static> {
    v.map_or(Cell::Null, Cell::DateTime)
}

fn file(p: &Provenance) -> Cell<'_> {
    Cell::text(&p.file)
}

impl Row for Sample {
    const TABLE: &'static str = "samples";

    const COLUMNS: &'static [ColumnDef] = &[
        col("order_id", T::Text, false, "Order id."),
        col(
            "sku_id",
            T::Text,
            false,
            "SKU id (empty when the export has none).",
        ),
        col(
            "tiktok_username",
            T::Text,
            false,
            "The creator who received the sample.",
        ),
        col("product_name", T::Text, true, "Product name."),
        col("variation", T::Text, true, "Variation."),
        col("quantity", T::UInt64, true, "Quantity."),
        col("status", T::Text, true, "Order status as exported."),
        col(
            "created_at",
            T::DateTime,
            true,
            "When the order was created (UTC).",
        ),
        col("shipped_at", T::DateTime, true, "When it shipped (UTC)."),
        col(
            "delivered_at",
            T::DateTime,
            true,
            "When it was delivered (UTC).",
        ),
        SOURCE_FILE,
        SOURCE_LINE,
    ];

    fn cell(&self, column: usize) -> Cell<'_> {
        match column {
            0 => Cell::text(&self.order_id),
            1 => Cell::text(&self.sku_id),
            2 => Cell::text(self.handle.as_str()),
            3 => Cell::opt_text(self.product_name.as_deref()),
            4 => Cell::opt_text(self.variation.as_deref()),
            5 => uint(self.quantity),
            6 => Cell::opt_text(self.status.as_deref()),
            7 => time(self.created_at),
            8 => time(self.shipped_at),
            9 => time(self.delivered_at),
            10 => file(&self.provenance),
            11 => Cell::UInt(self.provenance.line),
            _ => Cell::Null,
        }
    }
}

impl Row for Video {
    const TABLE: &'static str = "videos";

    const COLUMNS: &'static [ColumnDef] = &[
        col(
            "video_id",
            T::Text,
            false,
            "Video id (from the URL when the export has no id column).",
        ),
        col(
            "tiktok_username",
            T::Text,
            false,
            "The creator who posted it.",
        ),
        col("name", T::Text, true, "Title."),
        col("posted_at", T::DateTime, true, "When it was posted (UTC)."),
        col("gmv", MONEY, true, "GMV."),
        col("items_sold", T::UInt64, true, "Affiliate items sold."),
        col("orders", T::UInt64, true, "Affiliate orders."),
        col(
            "impressions",
            T::UInt64,
            true,
            "Shoppable video impressions.",
        ),
        col("likes", T::UInt64, true, "Likes."),
        col("comments", T::UInt64, true, "Comments."),
        col(
            "ctr",
            PERCENT,
            true,
            "Click-through rate in percent points.",
        ),
        col("commission", MONEY, true, "Estimated commission."),
        SOURCE_FILE,
        SOURCE_LINE,
    ];

    fn cell(&self, column: usize) -> Cell<'_> {
        match column {
            0 => Cell::text(&self.video_id),
            1 => Cell::text(self.handle.as_str()),
            2 => Cell::opt_text(self.name.as_deref()),
            3 => time(self.posted_at),
            4 => dec(self.gmv),
            5 => uint(self.items_sold),
            6 => uint(self.orders),
            7 => uint(self.impressions),
            8 => uint(self.likes),
            9 => uint(self.comments),
            10 => dec(self.ctr),
            11 => dec(self.commission),
            12 => file(&self.provenance),
            13 => Cell::UInt(self.provenance.line),
            _ => Cell::Null,
        }
    }
}

impl Row for VideoProduct {
    const TABLE: &'static str = "video_products";

    const COLUMNS: &'static [ColumnDef] = &[
        col("video_id", T::Text, false, "Video id."),
        col("product_id", T::Text, false, "Product id."),
    ];

    fn cell(&self, column: usize) -> Cell<'_> {
        match column {
            0 => Cell::text(&self.video_id),
            1 => Cell::text(&self.product_id),
            _ => Cell::Null,
        }
    }
}

impl Row for Snapshot {
    const TABLE: &'static str = "snapshots";

    const COLUMNS: &'static [ColumnDef] = &[
        col("tiktok_username", T::Text, false, "The creator."),
        col("date", T::Date, true, "The day the metrics describe."),
        col("source", T::Text, false, "Source kind of the row."),
        col("followers", T::UInt64, true, "Followers."),
        col("gmv", MONEY, true, "GMV."),
        col("emv", MONEY, true, "Earned media value."),
        col("total_posts", T::UInt64, true, "Number of posts."),
        col("likes", T::UInt64, true, "Likes."),
        col("comments", T::UInt64, true, "Comments."),
        col("shares", T::UInt64, true, "Shares."),
        col(
            "engagement",
            PERCENT,
            true,
            "Engagement rate in percent points.",
        ),
        col("impressions", T::UInt64, true, "Impressions."),
        col("last_post", T::Date, true, "Day of the last post."),
        SOURCE_FILE,
        SOURCE_LINE,
    ];

    fn cell(&self, column: usize) -> Cell<'_> {
        match column {
            0 => Cell::text(self.handle.as_str()),
            1 => self.date.map_or(Cell::Null, Cell::Date),
            2 => Cell::text(self.source.as_str()),
            3 => uint(self.followers),
            4 => dec(self.gmv),
            5 => dec(self.emv),
            6 => uint(self.total_posts),
            7 => uint(self.likes),
            8 => uint(self.comments),
            9 => uint(self.shares),
            10 => dec(self.engagement),
            11 => uint(self.impressions),
            12 => self.last_post.map_or(Cell::Null, Cell::Date),
            13 => file(&self.provenance),
            14 => Cell::UInt(self.provenance.line),
            _ => Cell::Null,
        }
    }
}

impl Row for BrandLink {
    const TABLE: &'static str = "brand_links";

    const COLUMNS: &'static [ColumnDef] = &[
        col(
            "brand",
            T::Text,
            false,
            "Brand name as given with the file.",
        ),
        col(
            "tiktok_username",
            T::Text,
            false,
            "The creator seen in the brand's file.",
        ),
    ];

    fn cell(&self, column: usize) -> Cell<'_> {
        match column {
            0 => Cell::text(&self.brand),
            1 => Cell::text(self.handle.as_str()),
            _ => Cell::Null,
        }
    }
}

impl Row for Product {
    const TABLE: &'static str = "products";

    const COLUMNS: &'static [ColumnDef] = &[
        col("product_id", T::Text, false, "Product id."),
        col("name", T::Text, true, "Name."),
        col("gmv", MONEY, true, "GMV."),
        col("items_sold", T::UInt64, true, "Items sold."),
        col("orders", T::UInt64, true, "Orders."),
        SOURCE_FILE,
        SOURCE_LINE,
    ];

    fn cell(&self, column: usize) -> Cell<'_> {
        match column {
            0 => Cell::text(&self.product_id),
            1 => Cell::opt_text(self.name.as_deref()),
            2 => dec(self.gmv),
            3 => uint(self.items_sold),
            4 => uint(self.orders),
            5 => file(&self.provenance),
            6 => Cell::UInt(self.provenance.line),
            _ => Cell::Null,
        }
    }
}
