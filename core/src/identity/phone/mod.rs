//! Phone numbers: full E.164 numbers and masked numbers.
//!
//! This module is the one place that decides what a valid number is and what its
//! canonical key (E.164) is: identity, merge and privacy all ask it
//! ([`Phone::parse`] for raw text, [`E164::from_digits`] for digits already cut
//! out of text, [`nanp_national`] for the North American plan's shape, and
//! `PhoneKeys` (`key.rs`) for the key merge groups a phone cell's spellings by).
//!
//! [`Phone::parse`] works in three steps:
//!
//! 1. **lex** the raw text into digits, hidden digits and an extension
//!    (`x123`, `ext. 5`, `#45`, `;ext=12`); a vanity number (`1-800-FLOWERS`)
//!    has its letters read as keypad digits, other letters are refused;
//! 2. if any digit is hidden (`*`, `x`/`X` runs, `•`, `#`, `?`, `_`), build a
//!    [`MaskedPhone`] **without** reading the number plan, which would drop the
//!    mask and read the rest as a wrong number;
//! 3. otherwise split country code and national number following
//!    libphonenumber's rules (international and national prefixes, the
//!    region's own country code written without `+`) and keep the number only
//!    if it is valid, on libphonenumber's metadata of the release in
//!    [`metadata_version`] (see `metadata.rs`; `plan.rs` says why
//!    `phonenumber::parse` is not used, `valid.rs` how validity stays fast).
//!
//! # Deliberate differences from libphonenumber
//!
//! Everywhere else the answer is libphonenumber's: the shared vectors
//! (`tests/vectors/identity.json`, `phone_bulk.json`) are generated from Python
//! `phonenumbers` by `tests/vectors/phone_oracle.py`, whose `POLICY` list holds
//! each of these with its reason and checks that libphonenumber does differ:
//!
//! - **Masks** (`(+1)832*****59`, `***-***-1234`, `+1 415-555-****`,
//!   `415-555-xx12`, `1-832-•••-••59`) are [`MaskedPhone`]s; libphonenumber
//!   drops the mask characters and reads a wrong (usually invalid) number.
//! - **`00`** is an international prefix in every region: `00 44 20 7946 0958`
//!   is a UK number with region US (libphonenumber only reads `00` so where it
//!   is the region's own international prefix).
//! - **Stray letters**: a value with letters that is not a vanity number (fewer
//!   than three letters besides `x`, letters before the first digit as in
//!   `Tel 415 555 1234`, non-Latin letters) is an error `contains letters`;
//!   libphonenumber drops the letters or the label and reads the digits.
//! - **Stray punctuation** (`650 253 0000 !`) is an error `bad character`;
//!   libphonenumber ignores it.
//!
//! Parsing a number costs well under a microsecond once its calling code's
//! patterns are compiled; [`PhoneParser`] caches results per distinct raw string
//! for batches.

mod batch;
mod key;
mod mask;
mod metadata;
mod plan;
mod scan;
mod valid;

use compact_str::CompactString;
use std::{fmt, str::FromStr};

pub use batch::{DEFAULT_CACHE_CAPACITY, PhoneParser, parse_phones};
pub(crate) use key::{CellKey, PhoneKeys};
pub use mask::MaskedPhone;
pub use metadata::metadata_version;
pub use plan::nanp_national;

use crate::error::{Error, Result};

const FIELD: &str = "phone";

/// An ISO 3166-1 alpha-2 region used to read numbers written without a country code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Region(phonenumber::country::Id);

impl Region {
    /// The United States, the default region.
    pub const US: Region = Region(phonenumber::country::Id::US);

    /// Parses a region code such as `"US"` or `"gb"`.
    ///
    /// ```
    /// use creator_crm::identity::Region;
    /// assert_eq!(Region::parse("gb")?.as_str(), "GB");
    /// assert_eq!(Region::parse("US")?.country_code(), 1);
    /// assert!(Region::parse("ZZ").is_err());
    /// # Ok::<(), creator_crm::Error>(())
    /// ```
    ///
    /// # Errors
    /// `InvalidInput` on field `region` for an unknown code.
    pub fn parse(code: &str) -> Result<Region> {
        let code = code.trim().to_ascii_uppercase();
        let id = phonenumber::country::Id::from_str(&code)
            .map_err(|_| Error::invalid("region", "unknown region code"))?;
        let region = Region(id);
        if region_country_code(region).is_none() {
            return Err(Error::invalid("region", "unknown region code"));
        }
        Ok(region)
    }

    /// The two-letter code, upper case.
    pub fn as_str(self) -> &'static str {
        self.metadata().map_or("", phonenumber::Metadata::id)
    }

    /// The region's country calling code (`1` for US, `44` for GB).
    pub fn country_code(self) -> u16 {
        region_country_code(self).unwrap_or(0)
    }

    fn metadata(self) -> Option<&'static phonenumber::Metadata> {
        metadata::database().by_id(self.0.as_ref())
    }

    /// The national (trunk) prefix, such as `1` in the US and `0` in the UK.
    fn national_prefix(self) -> Option<&'static str> {
        self.metadata()?
            .national_prefix()
            .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    }

    /// The prefix dialled before a country code, such as `011` in the US.
    fn international_prefix(self) -> Option<&'static str> {
        let meta = self.metadata()?;
        meta.preferred_international_prefix()
            .or_else(|| meta.international_prefix().map(|r| r.as_str()))
            .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    }
}

fn region_country_code(region: Region) -> Option<u16> {
    region.metadata().map(phonenumber::Metadata::country_code)
}

impl Default for Region {
    fn default() -> Self {
        Region::US
    }
}

impl FromStr for Region {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        Region::parse(s)
    }
}

/// A full, valid phone number in E.164 form (`+14155550123`). The only phone that can be a match key.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct E164 {
    number: CompactString,
    country_code: u16,
}

impl E164 {
    /// The number as `+` and digits.
    pub fn as_str(&self) -> &str {
        &self.number
    }

    /// The country calling code (`1` for `+1…`).
    pub fn country_code(&self) -> u16 {
        self.country_code
    }

    /// The national significant number: the digits after the country code.
    pub fn national_number(&self) -> &str {
        let cc_len = match self.country_code {
            0..=9 => 1,
            10..=99 => 2,
            _ => 3,
        };
        self.number.get(1 + cc_len..).unwrap_or("")
    }

    /// The full number that `digits` (ASCII digits as written, separators
    /// removed) stand for, with `plus` when a `+` was written before them: read
    /// internationally after `+`, `00` or `region`'s international prefix, else
    /// as a national number of `region`. The same answer [`Phone::parse`] gives
    /// for the text `+digits` or `digits`.
    ///
    /// ```
    /// use creator_crm::identity::{E164, Region};
    /// let n = E164::from_digits("4155550134", false, Region::US)?;
    /// assert_eq!(n.as_str(), "+14155550134");
    /// assert_eq!(E164::from_digits("00442079460958", false, Region::US)?.country_code(), 44);
    /// assert!(E164::from_digits("1700000000", false, Region::US).is_err());
    /// # Ok::<(), creator_crm::Error>(())
    /// ```
    ///
    /// # Errors
    /// `InvalidInput` on field `phone`, with the reasons of [`Phone::parse`]
    /// (`bad character` for anything but ASCII digits).
    pub fn from_digits(digits: &str, plus: bool, region: Region) -> Result<E164> {
        from_digits(digits, plus, region).map_err(|reason| Error::invalid(FIELD, reason))
    }
}

fn from_digits(digits: &str, plus: bool, region: Region) -> Result<E164, &'static str> {
    if digits.is_empty() {
        return Err("no digits");
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("bad character");
    }
    let (international, skip) = if plus {
        (true, 0)
    } else {
        idd_len(region, |p| digits.len() > p.len() && digits.starts_with(p))
            .map_or((false, 0), |n| (true, n))
    };
    let significant = digits.get(skip..).unwrap_or("");
    check_len(significant)?;
    resolve(international, significant, region)
}

impl FromStr for E164 {
    type Err = Error;

    /// Reads a stored E.164 string back (`+` and digits, valid for its
    /// country). Anything else, formatted numbers included, is refused: use
    /// [`Phone::parse`] for raw input.
    ///
    /// ```
    /// use creator_crm::identity::E164;
    /// let n: E164 = "+442079460958".parse()?;
    /// assert_eq!((n.country_code(), n.national_number()), (44, "2079460958"));
    /// assert!("+44 20 7946 0958".parse::<E164>().is_err());
    /// # Ok::<(), creator_crm::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<Self> {
        let digits = s
            .strip_prefix('+')
            .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| Error::invalid(FIELD, "not in e.164 form"))?;
        let number = plan::international(digits).map_err(|reason| Error::invalid(FIELD, reason))?;
        if number.as_str() != s {
            return Err(Error::invalid(FIELD, "not in e.164 form"));
        }
        Ok(number)
    }
}

/// As its E.164 text.
impl serde::Serialize for E164 {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Deserializing validates, as [`E164::from_str`] does.
impl<'de> serde::Deserialize<'de> for E164 {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let raw = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        raw.parse().map_err(serde::de::Error::custom)
    }
}

impl fmt::Debug for E164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("E164(<redacted>)")
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

impl PhoneKind {
    /// `"e164"` or `"masked"`, the names the bindings use.
    pub const fn as_str(self) -> &'static str {
        match self {
            PhoneKind::E164 => "e164",
            PhoneKind::Masked => "masked",
        }
    }
}

/// A parsed phone number.
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum Phone {
    /// A full, valid number, with its extension if one was written.
    E164 {
        /// The number.
        number: E164,
        /// The extension digits (`x123`, `ext. 5`), if any.
        extension: Option<CompactString>,
    },
    /// A masked number.
    Masked(MaskedPhone),
}

impl Phone {
    /// Parses a raw phone. Masks are detected before `phonenumber` parses.
    ///
    /// ```
    /// use creator_crm::identity::{Phone, PhoneKind, Region};
    ///
    /// let p = Phone::parse("(+1)3159212129", Region::US)?;
    /// assert_eq!(p.e164().map(|n| n.as_str()), Some("+13159212129"));
    ///
    /// let p = Phone::parse("650.253.0000 ext. 5", Region::US)?;
    /// assert_eq!((p.e164().map(|n| n.as_str()), p.extension()), (Some("+16502530000"), Some("5")));
    ///
    /// let p = Phone::parse("+1 415-555-****", Region::US)?;
    /// assert_eq!((p.kind(), p.e164(), p.country_code()), (PhoneKind::Masked, None, Some(1)));
    ///
    /// let p = Phone::parse("1-800-FLOWERS", Region::US)?;
    /// assert_eq!(p.e164().map(|n| n.as_str()), Some("+18003569377"));
    ///
    /// let err = Phone::parse("call me", Region::US).unwrap_err();
    /// assert_eq!((err.field(), err.reason()), (Some("phone"), "contains letters"));
    /// # Ok::<(), creator_crm::Error>(())
    /// ```
    ///
    /// # Errors
    /// `InvalidInput` on field `phone`, with one of the reasons `empty`,
    /// `contains letters`, `bad character`, `no digits`, `no visible digits`,
    /// `too few digits`, `too many digits`, `unknown country code`,
    /// `not a valid number`.
    pub fn parse(raw: &str, default_region: Region) -> Result<Phone> {
        parse_raw(raw, default_region).map_err(|reason| Error::invalid(FIELD, reason))
    }

    /// Whether the number is full or masked.
    pub fn kind(&self) -> PhoneKind {
        match self {
            Phone::E164 { .. } => PhoneKind::E164,
            Phone::Masked(_) => PhoneKind::Masked,
        }
    }

    /// The full number, `None` when masked.
    pub fn e164(&self) -> Option<&E164> {
        match self {
            Phone::E164 { number, .. } => Some(number),
            Phone::Masked(_) => None,
        }
    }

    /// The masked number, `None` when full.
    pub fn masked(&self) -> Option<&MaskedPhone> {
        match self {
            Phone::E164 { .. } => None,
            Phone::Masked(m) => Some(m),
        }
    }

    /// The country calling code, when known.
    pub fn country_code(&self) -> Option<u16> {
        match self {
            Phone::E164 { number, .. } => Some(number.country_code()),
            Phone::Masked(m) => m.country_code,
        }
    }

    /// The extension digits of a full number, if any.
    pub fn extension(&self) -> Option<&str> {
        match self {
            Phone::E164 { extension, .. } => extension.as_deref(),
            Phone::Masked(_) => None,
        }
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Phone::E164 { .. } => f.write_str("Phone::E164(<redacted>)"),
            Phone::Masked(_) => f.write_str("Phone::Masked(<redacted>)"),
        }
    }
}

/// Significant digits beyond which no number, prefixes included, is plausible.
const MAX_DIGITS: usize = 17;
/// Fewest digits of anything that could be a number (libphonenumber's minimum too).
const MIN_DIGITS: usize = 3;

/// [`Phone::parse`] with the error as a static reason (cheap to cache).
pub(super) fn parse_raw(raw: &str, region: Region) -> Result<Phone, &'static str> {
    parse_with(raw, region, |international, digits| {
        resolve(international, digits, region)
    })
}

/// Country code, national number and validity of canonical digits: the
/// expensive, pure step, which batch parsing caches by its arguments.
pub(super) fn resolve(
    international: bool,
    significant: &str,
    region: Region,
) -> Result<E164, &'static str> {
    if international {
        plan::international(significant)
    } else {
        plan::national(significant, region)
    }
}

/// [`parse_raw`] with the number-plan step supplied by the caller.
pub(super) fn parse_with(
    raw: &str,
    region: Region,
    mut resolve: impl FnMut(bool, &str) -> Result<E164, &'static str>,
) -> Result<Phone, &'static str> {
    let scanned = scan::scan(raw)?;
    if scanned.tokens.is_empty() {
        return Err("no digits");
    }
    let (international, skip) = international_prefix(&scanned, region);
    let tokens = scanned.tokens.get(skip..).unwrap_or_default();
    if scanned.is_masked() {
        return mask::build(tokens, international, region).map(Phone::Masked);
    }
    let digits = scanned.digits();
    let significant = digits.get(skip..).unwrap_or("");
    check_len(significant)?;
    let number = resolve(international, significant)?;
    Ok(Phone::E164 {
        number,
        extension: scanned.extension,
    })
}

/// Significant digits (prefixes removed) of a plausible length.
fn check_len(significant: &str) -> Result<(), &'static str> {
    if significant.len() < MIN_DIGITS {
        return Err("too few digits");
    }
    if significant.len() > MAX_DIGITS {
        return Err("too many digits");
    }
    Ok(())
}

/// The length of the international prefix the digits start with, by
/// `starts_with`: `region`'s own (`011` in the US) or `00`, read as one in every
/// region (a deliberate difference from libphonenumber).
fn idd_len(region: Region, starts_with: impl Fn(&str) -> bool) -> Option<usize> {
    if let Some(idd) = region.international_prefix().filter(|p| starts_with(p)) {
        return Some(idd.len());
    }
    starts_with("00").then_some(2)
}

/// Whether the number is written internationally, and how many leading
/// digits (`00`, `011`) to skip. A written `+` needs no skipping.
fn international_prefix(scanned: &scan::Scanned, region: Region) -> (bool, usize) {
    if scanned.plus {
        return (true, 0);
    }
    let starts_with = |prefix: &str| {
        prefix.len() < scanned.tokens.len()
            && scanned
                .tokens
                .iter()
                .zip(prefix.bytes())
                .all(|(t, b)| *t == scan::Token::Digit(b))
    };
    idd_len(region, starts_with).map_or((false, 0), |n| (true, n))
}

#[cfg(test)]
mod tests;
