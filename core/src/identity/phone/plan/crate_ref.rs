//! The `phonenumber` crate's own validator on the embedded metadata, made to match
//! whole numbers: the reference the fast path (`valid.rs`) is tested against.
//!
//! The crate accepts a pattern match that starts at position 0 and ends anywhere;
//! libphonenumber matches the whole number. Each number pattern is loaded here as
//! `(?:pattern)$`, so the crate's answer is libphonenumber's.

use std::sync::LazyLock;

use phonenumber::metadata::Database;

static FULL_MATCH: LazyLock<Database> = LazyLock::new(|| {
    let xml = include_str!("../metadata.xml")
        .replace("<nationalNumberPattern>", "<nationalNumberPattern>(?:")
        .replace("</nationalNumberPattern>", ")$</nationalNumberPattern>");
    #[allow(clippy::unwrap_used)]
    Database::parse(xml).unwrap()
});

/// `phonenumber::is_valid` on the crate's own number for `(cc, national)`.
pub(crate) fn crate_is_valid(cc: u16, national: &str) -> bool {
    phone_number(cc, national).is_some_and(|n| phonenumber::is_valid_with(&FULL_MATCH, &n))
}

/// Builds the crate's `PhoneNumber` for `(cc, national)` through its public
/// serde representation, which is how the crate itself stores numbers.
pub(crate) fn phone_number(cc: u16, national: &str) -> Option<phonenumber::PhoneNumber> {
    let zeros = national.bytes().take_while(|b| *b == b'0').count();
    let value: u64 = match national.get(zeros..)? {
        "" => 0,
        rest => rest.parse().ok()?,
    };
    let zeros = u8::try_from(zeros).ok()?;
    if value >= 1 << 56 {
        return None;
    }
    let packed = (u64::from(zeros) << 56) | value;
    let json = serde_json::json!({
        "code": { "value": cc, "source": "plus" },
        "national": { "value": packed },
        "extension": null,
        "carrier": null,
    });
    serde_json::from_value(json).ok()
}
