//! The canonical key of a phone cell, found without parsing it.
//!
//! Merge reads the same number written many ways (`(+1)3159212129`, `315-921-2129`,
//! `+1 315 921 2129`) on many rows; it parses each distinct *key* once. The key is decided
//! here, beside [`super::Phone::parse`], so that one module says both what a valid number is
//! and which spellings are the same number: a key is text that [`super::Phone::parse`] reads
//! exactly as it reads the cell (`key_reads_as_the_cell` in `tests.rs` holds it to that).

use super::{Region, plan::nanp_national};

/// What kind of key a phone cell reduced to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CellKey {
    /// `+digits`: the number written internationally (or a North American national number
    /// given its `+1`). When valid, its E.164 text is the key itself, so a key already
    /// known as a number is that number.
    International,
    /// Digits written nationally, outside the North American shape: parsed as written.
    National,
}

/// Reduces phone cells to their canonical key in one region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PhoneKeys {
    /// The region's calling code is `+1` (the North American plan).
    nanp: bool,
}

impl PhoneKeys {
    /// Keys for numbers read in `region`.
    pub(crate) fn new(region: Region) -> Self {
        PhoneKeys {
            nanp: region.country_code() == 1,
        }
    }

    /// The key of a cell made only of digits, spaces, `-`, `.`, `(`, `)` and one leading
    /// `+`, written into `key`: `+digits` when written internationally; in a `+1` region,
    /// digits of the plan's shape ([`nanp_national`]) become `+1` and the national
    /// number; other digits stay as they are. `None` (parse the raw text) for anything
    /// else: masks, letters, extensions, no digits.
    pub(crate) fn key(self, raw: &str, key: &mut String) -> Option<CellKey> {
        key.clear();
        let mut plus = false;
        for b in raw.bytes() {
            match b {
                b'0'..=b'9' => key.push(char::from(b)),
                b'+' if key.is_empty() && !plus => plus = true,
                b' ' | b'-' | b'.' | b'(' | b')' => {}
                _ => return None,
            }
        }
        if key.is_empty() {
            return None;
        }
        if plus {
            key.insert(0, '+');
            return Some(CellKey::International);
        }
        if self.nanp
            && let Some(national) = nanp_national(key).map(str::len)
        {
            let trunk = key.len() - national;
            key.replace_range(..trunk, "+1");
            return Some(CellKey::International);
        }
        Some(CellKey::National)
    }
}
