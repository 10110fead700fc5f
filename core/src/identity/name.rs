//! Person names.

/// A person's name, repaired and whitespace-collapsed. Either part may be empty.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct PersonName {
    /// Given name.
    pub first: String,
    /// Family name (everything after the first word of a full name).
    pub last: String,
}

impl PersonName {
    /// Splits a full name such as a `Recipient` column. `None` when nothing is left.
    pub fn from_full(raw: &str) -> Option<PersonName> {
        let _ = raw;
        todo!()
    }

    /// Builds a name from separate first/last columns. `None` when both are empty.
    pub fn from_parts(first: &str, last: &str) -> Option<PersonName> {
        let _ = (first, last);
        todo!()
    }
}
