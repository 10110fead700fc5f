//! Postal addresses: one-line splitting, US states, ZIP codes.

mod us_state;
mod zip;

use compact_str::CompactString;
use smallvec::SmallVec;
use std::fmt;

pub use us_state::us_state_code;
pub use zip::Zip;

use super::text::clean_text;

/// Words that start a secondary address line (`Apt 4`, `Suite 200`, `#12`).
const UNIT_WORDS: &[&str] = &[
    "apt",
    "apartment",
    "suite",
    "ste",
    "unit",
    "fl",
    "floor",
    "bldg",
    "building",
    "rm",
    "room",
    "dept",
    "lot",
    "trlr",
    "spc",
];

/// A postal address with its parts normalized. Empty parts are empty strings.
#[derive(Clone, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
pub struct PostalAddress {
    /// Street line.
    pub line1: CompactString,
    /// Apartment, suite.
    pub line2: CompactString,
    /// City.
    pub city: CompactString,
    /// Two-letter state code for US addresses, else as written.
    pub state: CompactString,
    /// ZIP / postal code as text.
    pub zip: CompactString,
    /// Country (ISO code when known).
    pub country: CompactString,
}

impl PostalAddress {
    /// Splits a one-line address such as `123 Main St, Austin, TX 78701`.
    ///
    /// Parts are read from the end: an optional country (`USA`, `United
    /// States`), then `STATE ZIP` (state by code or name, ZIP optional), then
    /// the city, then the street; a part such as `Apt 4` or `#12` is the second
    /// line. Missing pieces stay empty: nothing is invented. The country is set
    /// to `US` when written, or when a US state and a ZIP were both found.
    ///
    /// ```
    /// use creator_crm::identity::PostalAddress;
    ///
    /// let a = PostalAddress::parse_one_line("123 Main St, Apt 4, Austin, Texas 78701-1234");
    /// assert_eq!(
    ///     [&*a.line1, &*a.line2, &*a.city, &*a.state, &*a.zip, &*a.country],
    ///     ["123 Main St", "Apt 4", "Austin", "TX", "78701-1234", "US"]
    /// );
    ///
    /// let a = PostalAddress::parse_one_line("Austin, TX");
    /// assert_eq!([&*a.line1, &*a.city, &*a.state, &*a.zip], ["", "Austin", "TX", ""]);
    /// ```
    pub fn parse_one_line(raw: &str) -> PostalAddress {
        let text = clean_text(raw);
        // Inline up to 8 parts: street, unit, city, state and ZIP, country, and spare.
        let mut parts: SmallVec<[&str; 8]> = text
            .split([',', ';', '\n'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        let mut address = PostalAddress::default();
        if let Some(country) = parts.last().and_then(|p| country_code(p)) {
            address.country = CompactString::const_new(country);
            parts.pop();
        }
        if let Some(last) = parts.last().copied() {
            if let Some((city, state, zip)) = split_state_zip(last) {
                parts.pop();
                address.state = CompactString::const_new(state);
                address.zip = zip;
                if !city.is_empty() {
                    address.city = CompactString::new(city);
                }
            }
        }
        let found_state = !address.state.is_empty() || !address.zip.is_empty();
        if found_state && address.city.is_empty() {
            let city_candidate = parts
                .last()
                .filter(|p| parts.len() >= 2 || !starts_with_digit(p))
                .filter(|p| !is_unit(p));
            if let Some(city) = city_candidate {
                address.city = CompactString::new(city);
                parts.pop();
            }
        }
        // The first part is the street; later ones are units (`Apt 4`) or more street.
        for (i, part) in parts.into_iter().enumerate() {
            let line = if i > 0 && is_unit(part) {
                &mut address.line2
            } else {
                &mut address.line1
            };
            if !line.is_empty() {
                line.push_str(", ");
            }
            line.push_str(part);
        }
        if address.country.is_empty()
            && us_state_code(&address.state).is_some()
            && !address.zip.is_empty()
        {
            address.country = CompactString::const_new("US");
        }
        address
    }

    /// Builds an address from separate columns: text repaired and collapsed, a
    /// US state name turned into its code, a ZIP normalized when it parses (kept
    /// as written otherwise, e.g. a foreign postal code), a known country name
    /// turned into its ISO code.
    ///
    /// ```
    /// use creator_crm::identity::PostalAddress;
    ///
    /// let a = PostalAddress::from_parts("1 Elm St", "", " Boston ", "massachusetts", "2134", "USA");
    /// assert_eq!([&*a.city, &*a.state, &*a.zip, &*a.country], ["Boston", "MA", "02134", "US"]);
    /// ```
    pub fn from_parts(
        line1: &str,
        line2: &str,
        city: &str,
        state: &str,
        zip: &str,
        country: &str,
    ) -> PostalAddress {
        let state = clean(state);
        let zip = clean(zip);
        let country = clean(country);
        PostalAddress {
            line1: clean(line1),
            line2: clean(line2),
            city: clean(city),
            state: us_state_code(&state).map_or(state, CompactString::const_new),
            zip: Zip::parse(&zip).map_or(zip, |z| CompactString::new(z.as_str())),
            country: country_code(&country).map_or(country, CompactString::const_new),
        }
    }

    /// True when every part is empty.
    pub fn is_empty(&self) -> bool {
        [
            &self.line1,
            &self.line2,
            &self.city,
            &self.state,
            &self.zip,
            &self.country,
        ]
        .iter()
        .all(|p| p.is_empty())
    }
}

impl fmt::Debug for PostalAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PostalAddress(<redacted>)")
    }
}

/// [`clean_text`] as a part of an address.
fn clean(s: &str) -> CompactString {
    clean_text(s).into()
}

fn starts_with_digit(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// `Apt 4`, `Suite 200`, `#12`, `Unit B`.
fn is_unit(part: &str) -> bool {
    if part.starts_with('#') {
        return true;
    }
    let first = part
        .split(|c: char| c.is_whitespace() || c == '.' || c == '#')
        .next()
        .unwrap_or("");
    // Unit words are ASCII: a word with any other letter is none of them.
    UNIT_WORDS.iter().any(|w| w.eq_ignore_ascii_case(first)) && part.len() > first.len()
}

/// ISO code of a country written as a whole address part.
fn country_code(part: &str) -> Option<&'static str> {
    // Lower-cased without dots and spaces, in a buffer longer than any name listed.
    let mut buf = [0u8; 32];
    let mut len = 0;
    for c in part.chars().filter(|c| !matches!(c, '.' | ' ')) {
        for lower in c.to_lowercase() {
            let end = len + lower.len_utf8();
            lower.encode_utf8(buf.get_mut(len..end)?);
            len = end;
        }
    }
    let code = match std::str::from_utf8(buf.get(..len)?).ok()? {
        "us" | "usa" | "unitedstates" | "unitedstatesofamerica" => "US",
        "canada" => "CA",
        "mexico" | "méxico" => "MX",
        "uk" | "unitedkingdom" | "greatbritain" | "gb" => "GB",
        _ => return None,
    };
    Some(code)
}

/// Reads `[City] STATE [ZIP]` or a lone `ZIP` from the end of one part.
/// Returns the city words left in front (possibly empty), the state code (or
/// empty) and the normalized ZIP (or empty).
fn split_state_zip(part: &str) -> Option<(&str, &'static str, CompactString)> {
    let words = LastWords::of(part);
    let mut end = words.count;
    let mut zip = CompactString::default();
    if let Some(last) = end
        .checked_sub(1)
        .and_then(|i| words.get(i))
        .and_then(|&(a, b)| part.get(a..b))
    {
        // Only 5 or 9 digits here: a 4-digit word could be a house number.
        let digits = last.chars().filter(char::is_ascii_digit).count();
        if digits == 5 || digits == 9 {
            if let Ok(z) = Zip::parse(last) {
                zip = CompactString::new(z.as_str());
                end -= 1;
            }
        }
    }
    // The state is the last one to three words (`TX`, `New York`, `District of Columbia`).
    for take in (1..=3.min(end)).rev() {
        let (start_byte, _) = *words.get(end - take)?;
        let (_, end_byte) = *words.get(end - 1)?;
        let state_text = part.get(start_byte..end_byte)?;
        if let Some(code) = us_state_code(state_text) {
            let city = part.get(..start_byte).unwrap_or("").trim();
            return Some((city, code, zip));
        }
    }
    // A lone ZIP with no state: only when it is the whole part.
    (!zip.is_empty() && end == 0).then_some(("", "", zip))
}

/// How many whitespace-separated words a text has, and the byte ranges of the last four
/// (all [`split_state_zip`] looks at), without allocating.
struct LastWords {
    /// The last `min(count, 4)` ranges, in order.
    spans: [(usize, usize); 4],
    count: usize,
}

impl LastWords {
    fn of(s: &str) -> LastWords {
        let mut words = LastWords {
            spans: [(0, 0); 4],
            count: 0,
        };
        let mut start = None;
        for (i, c) in s.char_indices() {
            match (c.is_whitespace(), start) {
                (true, Some(st)) => {
                    words.push((st, i));
                    start = None;
                }
                (false, None) => start = Some(i),
                _ => {}
            }
        }
        if let Some(st) = start {
            words.push((st, s.len()));
        }
        words
    }

    fn push(&mut self, span: (usize, usize)) {
        let kept = self.count.min(self.spans.len());
        match self.spans.get_mut(kept) {
            Some(slot) => *slot = span,
            None => {
                self.spans.rotate_left(1);
                if let Some(last) = self.spans.last_mut() {
                    *last = span;
                }
            }
        }
        self.count += 1;
    }

    /// The range of word `i` (0-based), if it is one of the last four.
    fn get(&self, i: usize) -> Option<&(usize, usize)> {
        let first_kept = self.count.saturating_sub(self.spans.len());
        if i >= self.count {
            return None;
        }
        self.spans.get(i.checked_sub(first_kept)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(raw: &str) -> [CompactString; 6] {
        let a = PostalAddress::parse_one_line(raw);
        [a.line1, a.line2, a.city, a.state, a.zip, a.country]
    }

    #[test]
    fn common_one_line_forms() {
        assert_eq!(
            parts("123 Main St, Austin, TX 78701"),
            ["123 Main St", "", "Austin", "TX", "78701", "US"]
        );
        assert_eq!(
            parts("123 Main St, Apt 4, Austin, Texas 78701-1234"),
            ["123 Main St", "Apt 4", "Austin", "TX", "78701-1234", "US"]
        );
        assert_eq!(
            parts("  9 Elm   Rd,  Boston,  MA  02134 , USA "),
            ["9 Elm Rd", "", "Boston", "MA", "02134", "US"]
        );
        assert_eq!(
            parts("5 Oak Ave, New York, New York 10001"),
            ["5 Oak Ave", "", "New York", "NY", "10001", "US"]
        );
        assert_eq!(
            parts("5 Oak Ave, Brooklyn NY 11201"),
            ["5 Oak Ave", "", "Brooklyn", "NY", "11201", "US"]
        );
        assert_eq!(
            parts("1 Loop Rd #12, Chicago, IL"),
            ["1 Loop Rd #12", "", "Chicago", "IL", "", ""]
        );
        assert_eq!(
            parts("1 Loop Rd, #12, Chicago, IL"),
            ["1 Loop Rd", "#12", "Chicago", "IL", "", ""]
        );
    }

    #[test]
    fn missing_pieces() {
        assert_eq!(parts(""), ["", "", "", "", "", ""]);
        assert_eq!(parts("123 Main St"), ["123 Main St", "", "", "", "", ""]);
        assert_eq!(parts("Austin, TX"), ["", "", "Austin", "TX", "", ""]);
        assert_eq!(parts("TX 78701"), ["", "", "", "TX", "78701", "US"]);
        assert_eq!(
            parts("123 Main St, 78701"),
            ["123 Main St", "", "", "", "78701", ""]
        );
        assert_eq!(
            parts("123 Main St, Austin"),
            ["123 Main St, Austin", "", "", "", "", ""]
        );
        assert_eq!(
            parts("10 Downing St, London SW1A 2AA, UK"),
            ["10 Downing St, London SW1A 2AA", "", "", "", "", "GB"]
        );
    }

    #[test]
    fn from_parts_and_debug() {
        let a = PostalAddress::from_parts(" 1  Elm St ", "", "Boston", "ma.", "02134 1234", "");
        assert_eq!(
            [&*a.line1, &*a.state, &*a.zip, &*a.country],
            ["1 Elm St", "MA", "02134-1234", ""]
        );
        let a = PostalAddress::from_parts("", "", "Toronto", "ON", "M5V 2T6", "Canada");
        assert_eq!([&*a.state, &*a.zip, &*a.country], ["ON", "M5V 2T6", "CA"]);
        assert!(PostalAddress::from_parts(" ", "", "", "", "", "").is_empty());
        assert_eq!(format!("{a:?}"), "PostalAddress(<redacted>)");
    }

    proptest::proptest! {
        /// `LastWords` counts every word and keeps the ranges of the last four, as a list of
        /// every word's range would give them.
        #[test]
        fn last_words_are_the_last_of_every_word(
            words in proptest::collection::vec("[a-zA-Z0-9#.-]{1,6}", 0..9),
            sep in "( |  |\\t|\u{a0}|\u{3000})",
            pad in proptest::bool::ANY,
        ) {
            let text = if pad { format!("{sep}{}{sep}", words.join(&sep)) } else { words.join(&sep) };
            let mut every = Vec::new();
            let mut at = 0;
            for w in text.split_whitespace() {
                let start = at + text.get(at..).and_then(|t| t.find(w)).unwrap_or(0);
                every.push((start, start + w.len()));
                at = start + w.len();
            }
            let last = LastWords::of(&text);
            proptest::prop_assert_eq!(last.count, every.len());
            for (i, span) in every.iter().enumerate() {
                let kept = i + 4 >= every.len();
                proptest::prop_assert_eq!(last.get(i), kept.then_some(span));
            }
            proptest::prop_assert_eq!(last.get(every.len()), None);
        }
    }
}
