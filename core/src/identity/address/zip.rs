//! US ZIP codes.

use std::fmt;

use compact_str::CompactString;

use crate::error::{Error, Result};

const FIELD: &str = "zipcode";

/// A US ZIP code kept as text (leading zeros!): 5 digits or ZIP+4 (`12345-6789`), inline.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Zip(CompactString);

impl Zip {
    /// Parses `02134`, `02134-1234`, `021341234`, `02134 1234`.
    ///
    /// A 4-digit value (or 8 digits for ZIP+4) is a ZIP whose leading zero a
    /// spreadsheet dropped (`2134` for Boston's `02134`): no other reading
    /// exists for a US ZIP, so the zero is restored. Any other length is an
    /// error, never a guess.
    ///
    /// ```
    /// use creator_crm::identity::Zip;
    ///
    /// assert_eq!(Zip::parse(" 02134 ")?.as_str(), "02134");
    /// assert_eq!(Zip::parse("021341234")?.as_str(), "02134-1234");
    /// assert_eq!(Zip::parse("2134")?.as_str(), "02134");
    /// assert_eq!(Zip::parse("2134")?.five(), "02134");
    /// assert!(Zip::parse("123").is_err());
    /// # Ok::<(), creator_crm::Error>(())
    /// ```
    ///
    /// # Errors
    /// `InvalidInput` on field `zipcode`: `empty`, `bad character`, `wrong length`.
    pub fn parse(raw: &str) -> Result<Zip> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(Error::invalid(FIELD, "empty"));
        }
        // Inline buffers: a ZIP has at most 10 bytes, and longer input is an error.
        let mut digits = CompactString::default();
        let mut separators = 0;
        for c in s.chars() {
            match c {
                '0'..='9' => digits.push(c),
                '-' | ' ' | '\u{2013}' if separators == 0 => separators += 1,
                _ => return Err(Error::invalid(FIELD, "bad character")),
            }
        }
        if digits.len() == 4 || digits.len() == 8 {
            digits.insert(0, '0');
        }
        let zip = match digits.len() {
            5 if separators == 0 => digits,
            9 => {
                let (five, four) = digits.split_at(5);
                let mut zip = CompactString::new(five);
                zip.push('-');
                zip.push_str(four);
                zip
            }
            _ => return Err(Error::invalid(FIELD, "wrong length")),
        };
        Ok(Zip(zip))
    }

    /// The ZIP as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 5-digit ZIP without the `+4` part.
    pub fn five(&self) -> &str {
        self.0.get(..5).unwrap_or(&self.0)
    }
}

impl fmt::Debug for Zip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Zip(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn ok(raw: &str) -> String {
        Zip::parse(raw).unwrap().as_str().to_owned()
    }

    fn reason(raw: &str) -> String {
        let e = Zip::parse(raw).unwrap_err();
        assert_eq!(e.field(), Some("zipcode"));
        e.reason().to_owned()
    }

    #[test]
    fn forms() {
        assert_eq!(ok("78701"), "78701");
        assert_eq!(ok("02134-1234"), "02134-1234");
        assert_eq!(ok("02134 1234"), "02134-1234");
        assert_eq!(ok("021341234"), "02134-1234");
        assert_eq!(ok("2134"), "02134");
        assert_eq!(ok("2134-1234"), "02134-1234");
        assert_eq!(ok("21341234"), "02134-1234");
    }

    #[test]
    fn errors() {
        assert_eq!(reason(""), "empty");
        assert_eq!(reason("123"), "wrong length");
        assert_eq!(reason("123456"), "wrong length");
        assert_eq!(reason("78-701"), "wrong length");
        assert_eq!(reason("SW1A 2AA"), "bad character");
        assert_eq!(reason("78701--1234"), "bad character");
    }

    #[test]
    fn debug_is_redacted() {
        assert_eq!(
            format!("{:?}", Zip::parse("78701").unwrap()),
            "Zip(<redacted>)"
        );
    }
}
