//! Person names.
//!
//! Names are repaired ([`repair_text`]) and whitespace-collapsed, but their
//! case is kept as the person wrote it: `maria` stays `maria`, `McDonald`
//! and `de la Cruz` are not "fixed" by a capitalization rule that would get
//! them wrong.

use std::fmt;

use super::text::{collapse_whitespace, repair_text};

/// Generational suffixes and degrees that may follow a comma (`John Smith, Jr.`).
const SUFFIXES: &[&str] = &[
    "jr", "sr", "ii", "iii", "iv", "v", "phd", "md", "dds", "esq", "mba",
];

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
    ///
    /// The first word is the given name, the rest the family name. A single
    /// comma means `Last, First` (`Cruz, Maria`), unless what follows it is a
    /// suffix (`John Smith, Jr.`), which stays with the family name.
    ///
    /// ```
    /// use creator_crm::identity::PersonName;
    ///
    /// let n = PersonName::from_full("  maria  de la  cruz ").unwrap();
    /// assert_eq!((n.first.as_str(), n.last.as_str()), ("maria", "de la cruz"));
    ///
    /// let n = PersonName::from_full("MartÃ­nez, JosÃ©").unwrap();
    /// assert_eq!((n.first.as_str(), n.last.as_str()), ("José", "Martínez"));
    ///
    /// assert_eq!(PersonName::from_full(" \t "), None);
    /// ```
    pub fn from_full(raw: &str) -> Option<PersonName> {
        let repaired = repair_text(raw);
        let name = collapse_whitespace(&repaired);
        let (first, last) = split_full(&name)?;
        Some(PersonName {
            first: first.to_owned(),
            last: last.to_owned(),
        })
    }

    /// Hands the given and family name [`PersonName::from_full`] reads in `raw` to `out`,
    /// without allocating for clean text; false (and `out` not called) when there is no
    /// name.
    pub(crate) fn read_full(raw: &str, out: impl FnOnce(&str, &str)) -> bool {
        let repaired = repair_text(raw);
        let name = collapse_whitespace(&repaired);
        let Some((first, last)) = split_full(&name) else {
            return false;
        };
        out(first, last);
        true
    }

    /// Hands the parts [`PersonName::from_parts`] builds from `first` and `last` to `out`,
    /// as [`PersonName::read_full`] does; false when there is no name.
    pub(crate) fn read_parts(first: &str, last: &str, out: impl FnOnce(&str, &str)) -> bool {
        let (first, last) = (repair_text(first), repair_text(last));
        let (first, last) = (collapse_whitespace(&first), collapse_whitespace(&last));
        if first.is_empty() && last.is_empty() {
            return false;
        }
        out(&first, &last);
        true
    }

    /// Builds a name from separate first/last columns. `None` when both are empty.
    ///
    /// ```
    /// use creator_crm::identity::PersonName;
    ///
    /// let n = PersonName::from_parts(" Ana ", "de la  Cruz").unwrap();
    /// assert_eq!(n.full(), "Ana de la Cruz");
    /// assert_eq!(PersonName::from_parts("", " "), None);
    /// ```
    pub fn from_parts(first: &str, last: &str) -> Option<PersonName> {
        let clean = |s: &str| collapse_whitespace(&repair_text(s)).into_owned();
        let name = PersonName {
            first: clean(first),
            last: clean(last),
        };
        (!name.first.is_empty() || !name.last.is_empty()).then_some(name)
    }

    /// First and last name joined by a space (either may be empty).
    pub fn full(&self) -> String {
        match (self.first.is_empty(), self.last.is_empty()) {
            (false, false) => format!("{} {}", self.first, self.last),
            (false, true) => self.first.clone(),
            _ => self.last.clone(),
        }
    }
}

/// The given and family name of a repaired, whitespace-collapsed full name; `None` when it
/// is empty. The first word is the given name, the rest the family name; a single comma
/// means `Last, First` unless a suffix follows it.
fn split_full(name: &str) -> Option<(&str, &str)> {
    if name.is_empty() {
        return None;
    }
    if let Some((last, first)) = name.split_once(',') {
        let (last, first) = (last.trim(), first.trim());
        let is_suffix = SUFFIXES.contains(&first.trim_end_matches('.').to_lowercase().as_str());
        if !first.contains(',') && !last.is_empty() && !first.is_empty() && !is_suffix {
            return Some((first, last));
        }
    }
    Some(name.split_once(' ').unwrap_or((name, "")))
}

impl fmt::Debug for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PersonName(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn split(raw: &str) -> (String, String) {
        let n = PersonName::from_full(raw).unwrap();
        (n.first, n.last)
    }

    #[test]
    fn splits_first_word() {
        assert_eq!(split("Maria Cruz"), ("Maria".into(), "Cruz".into()));
        assert_eq!(
            split("  maria  de la  cruz "),
            ("maria".into(), "de la cruz".into())
        );
        assert_eq!(split("Cher"), ("Cher".into(), String::new()));
        assert_eq!(
            split("JosÃ© MartÃ\u{AD}nez"),
            ("José".into(), "Martínez".into())
        );
        assert_eq!(split("李 小龙"), ("李".into(), "小龙".into()));
    }

    #[test]
    fn comma_forms() {
        assert_eq!(split("Cruz, Maria"), ("Maria".into(), "Cruz".into()));
        assert_eq!(
            split("de la Cruz,Maria Elena"),
            ("Maria Elena".into(), "de la Cruz".into())
        );
        assert_eq!(
            split("John Smith, Jr."),
            ("John".into(), "Smith, Jr.".into())
        );
        assert_eq!(split("a, b, c"), ("a,".into(), "b, c".into()));
    }

    #[test]
    fn empty_is_none() {
        assert_eq!(PersonName::from_full(""), None);
        assert_eq!(PersonName::from_full("\u{a0}\n"), None);
        assert_eq!(PersonName::from_parts(" ", ""), None);
        let only_last = PersonName::from_parts("", "Cruz").unwrap();
        assert_eq!(only_last.full(), "Cruz");
    }

    #[test]
    fn debug_is_redacted() {
        let n = PersonName::from_full("Maria Cruz").unwrap();
        assert_eq!(format!("{n:?}"), "PersonName(<redacted>)");
    }
}
