//! The creator table.

use std::borrow::Cow;

use super::{Cell, ColumnDef, ColumnType as T, Row, TextList};
use crate::merge::{Creator, Field, masked_text};

/// Scale of money columns in fixed-point representations (Arrow `decimal128(38, 4)`).
pub(crate) const MONEY_SCALE: u32 = 4;

const MONEY: T = T::Decimal { scale: MONEY_SCALE };

const fn col(name: &'static str, ty: T, nullable: bool, doc: &'static str) -> ColumnDef {
    ColumnDef::new(name, ty, nullable, doc)
}

impl Row for Creator {
    const TABLE: &'static str = "creators";

    const COLUMNS: &'static [ColumnDef] = &[
        col(
            "tiktok_username",
            T::Text,
            false,
            "The key: normalized TikTok username.",
        ),
        col(
            "email",
            T::Text,
            true,
            "Best email (never a placeholder or a shared team inbox).",
        ),
        col("phone", T::Text, true, "Best full phone number, E.164."),
        col(
            "phone_masked",
            T::Text,
            true,
            "A masked number (`+1 832*****59`) when no full number is known.",
        ),
        col(
            "phone_verified",
            T::Bool,
            false,
            "True when `phone` is a full number.",
        ),
        col(
            "phone_mask_confirmed",
            T::Bool,
            false,
            "True when a masked number from a source fits the full number.",
        ),
        col("first_name", T::Text, false, "Given name (may be empty)."),
        col("last_name", T::Text, false, "Family name (may be empty)."),
        col(
            "address_line1",
            T::Text,
            false,
            "Street line (may be empty).",
        ),
        col(
            "address_line2",
            T::Text,
            false,
            "Apartment, suite (may be empty).",
        ),
        col("city", T::Text, false, "City (may be empty)."),
        col(
            "state",
            T::Text,
            false,
            "Two-letter state code for US addresses, else as written.",
        ),
        col(
            "zipcode",
            T::Text,
            false,
            "ZIP or postal code as text (may be empty).",
        ),
        col(
            "country",
            T::Text,
            false,
            "Country, ISO code when known (may be empty).",
        ),
        col(
            "follower_count",
            T::UInt64,
            true,
            "Followers from the latest snapshot.",
        ),
        col(
            "total_gmv",
            MONEY,
            false,
            "GMV from the latest snapshot, else the sum of the creator's video GMV.",
        ),
        col(
            "outreach_status",
            T::Text,
            false,
            "`pending`, `approved`, `sent`, `skipped` or `unsubscribed`.",
        ),
        col(
            "sources",
            T::TextList,
            false,
            "Source kinds the creator was seen in, in priority order.",
        ),
        col("email_source", T::Text, true, "Source kind of the email."),
        col(
            "phone_source",
            T::Text,
            true,
            "Source kind of the full phone number.",
        ),
        col(
            "alternates",
            T::UInt64,
            false,
            "Number of losing values kept as alternates.",
        ),
    ];

    fn cell(&self, column: usize) -> Cell<'_> {
        let source = |f: Field| Cell::opt_text(self.provenance_of(f).map(|p| p.source.as_str()));
        match column {
            0 => Cell::text(self.handle.as_str()),
            1 => Cell::opt_text(self.email.as_ref().map(|e| e.as_str())),
            2 => Cell::opt_text(self.phone.as_ref().map(|p| p.as_str())),
            3 => self
                .phone_masked
                .as_ref()
                .map_or(Cell::Null, |m| Cell::Text(Cow::Owned(masked_text(m)))),
            4 => Cell::Bool(self.phone_verified),
            5 => Cell::Bool(self.phone_mask_confirmed),
            6 => Cell::text(&self.first_name),
            7 => Cell::text(&self.last_name),
            8 => Cell::text(&self.address.line1),
            9 => Cell::text(&self.address.line2),
            10 => Cell::text(&self.address.city),
            11 => Cell::text(&self.address.state),
            12 => Cell::text(&self.address.zip),
            13 => Cell::text(&self.address.country),
            14 => self.follower_count.map_or(Cell::Null, Cell::UInt),
            15 => Cell::Decimal(self.total_gmv),
            16 => Cell::text(self.outreach_status.as_str()),
            17 => Cell::TextList(TextList::source_kinds(&self.sources)),
            18 => source(Field::Email),
            19 => source(Field::Phone),
            20 => Cell::UInt(self.alternates.len() as u64),
            _ => Cell::Null,
        }
    }
}
