//! Phone numbers: full E.164 numbers and masked numbers.

use crate::error::Result;

/// An ISO 3166-1 alpha-2 region used to read numbers written without a country code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Region(phonenumber::country::Id);

impl Region {
    /// The United States, the default region.
    pub const US: Region = Region(phonenumber::country::Id::US);

    /// Parses a region code such as `"US"` or `"gb"`.
    ///
    /// # Errors
    /// `InvalidInput` on field `region` for an unknown code.
    pub fn parse(code: &str) -> Result<Region> {
        let _ = code;
        todo!()
    }
}

impl Default for Region {
    fn default() -> Self {
        Region::US
    }
}

/// A full, valid phone number in E.164 form (`+14155550123`). The only phone that can be a match key.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct E164(Box<str>);

impl E164 {
    /// The number as `+` and digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The country calling code (`1` for `+1…`).
    pub fn country_code(&self) -> u16 {
        todo!()
    }
}

/// A phone number with hidden digits, such as `(+1)832*****59` or `***-***-1234`.
///
/// It is evidence about a number, never a key: it keeps what is visible.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MaskedPhone {
    /// Country calling code when written (`+1`), else the default region's.
    pub country_code: Option<u16>,
    /// Visible national digits before the mask.
    pub prefix: Box<str>,
    /// Visible national digits after the mask.
    pub suffix: Box<str>,
    /// Number of national digits, hidden ones included.
    pub national_len: usize,
}

impl MaskedPhone {
    /// True when `number` could be the number behind this mask.
    pub fn is_consistent_with(&self, number: &E164) -> bool {
        let _ = number;
        todo!()
    }
}

/// Whether a [`Phone`] is full or masked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PhoneKind {
    /// A full number in E.164 form.
    E164,
    /// A number with hidden digits.
    Masked,
}

/// A parsed phone number.
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum Phone {
    /// A full, valid number, with its extension if one was written.
    E164 {
        /// The number.
        number: E164,
        /// The extension digits (`x123`, `ext. 5`), if any.
        extension: Option<Box<str>>,
    },
    /// A masked number.
    Masked(MaskedPhone),
}

impl Phone {
    /// Parses a raw phone. Masks are detected before `phonenumber` parses.
    ///
    /// # Errors
    /// `InvalidInput` on field `phone`: empty, letters, too few/many digits, not a valid number.
    pub fn parse(raw: &str, default_region: Region) -> Result<Phone> {
        let _ = (raw, default_region);
        todo!()
    }
}

/// Parses many phones at once, reusing the work for repeated values.
#[derive(Debug)]
pub struct PhoneParser {
    region: Region,
}

impl PhoneParser {
    /// A parser for numbers written without a country code in `region`.
    pub fn new(region: Region) -> Self {
        PhoneParser { region }
    }

    /// Same result as [`Phone::parse`] with this parser's region.
    ///
    /// # Errors
    /// As [`Phone::parse`].
    pub fn parse(&mut self, raw: &str) -> Result<Phone> {
        Phone::parse(raw, self.region)
    }
}

/// Parses every value of `raws`; the same results as calling [`Phone::parse`] on each.
pub fn parse_phones<S: AsRef<str>>(raws: &[S], default_region: Region) -> Vec<Result<Phone>> {
    let mut parser = PhoneParser::new(default_region);
    raws.iter().map(|r| parser.parse(r.as_ref())).collect()
}
