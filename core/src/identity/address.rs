//! Postal addresses.

use crate::error::Result;

/// A US ZIP code kept as text (leading zeros!): 5 digits or ZIP+4 (`12345-6789`).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Zip(Box<str>);

impl Zip {
    /// Parses `02134`, `02134-1234`, `021341234`.
    ///
    /// # Errors
    /// `InvalidInput` on field `zipcode`.
    pub fn parse(raw: &str) -> Result<Zip> {
        let _ = raw;
        todo!()
    }

    /// The ZIP as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The two-letter code of a US state, DC or territory from its name or code, any case.
pub fn us_state_code(raw: &str) -> Option<&'static str> {
    let _ = raw;
    todo!()
}

/// A postal address with its parts normalized. Empty parts are empty strings.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct PostalAddress {
    /// Street line.
    pub line1: String,
    /// Apartment, suite.
    pub line2: String,
    /// City.
    pub city: String,
    /// Two-letter state code for US addresses, else as written.
    pub state: String,
    /// ZIP / postal code as text.
    pub zip: String,
    /// Country (ISO code when known).
    pub country: String,
}

impl PostalAddress {
    /// Splits a one-line address such as `123 Main St, Austin, TX 78701`.
    pub fn parse_one_line(raw: &str) -> PostalAddress {
        let _ = raw;
        todo!()
    }
}
