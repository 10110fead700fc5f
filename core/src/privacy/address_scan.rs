//! Street addresses in text, best effort.
//!
//! Shape: a house number (`12`, `221B`, `12-14`), one to four street-name
//! words that start with a capital letter (or ordinals like `5th`, or
//! compass points), a street suffix (`St`, `Street`, `Ave`, `Rd`, `Blvd`,
//! …, any case, optional `.`), then optionally a compass point, a unit
//! (`Apt 4B`, `Suite 200`, `Unit 3`, `#12`) and a `, City, ST 12345` tail.
//! Requiring capitalised street names keeps `2 people on the way` and
//! `10 miles down the road` out; the price is that all-lower-case
//! addresses are missed.

use super::finding::{Finding, PiiKind, is_word_byte};

const SUFFIXES: &[&str] = &[
    "st",
    "street",
    "ave",
    "av",
    "avenue",
    "rd",
    "road",
    "blvd",
    "boulevard",
    "dr",
    "drive",
    "ln",
    "lane",
    "way",
    "ct",
    "court",
    "pl",
    "place",
    "ter",
    "terrace",
    "pkwy",
    "parkway",
    "hwy",
    "highway",
    "cir",
    "circle",
    "sq",
    "square",
    "trl",
    "trail",
    "aly",
    "alley",
    "cres",
    "crescent",
    "row",
];
const UNITS: &[&str] = &[
    "apt",
    "apartment",
    "suite",
    "ste",
    "unit",
    "fl",
    "floor",
    "rm",
    "room",
];
const DIRECTIONS: &[&str] = &["n", "s", "e", "w", "ne", "nw", "se", "sw"];

pub(super) fn find_addresses(bytes: &[u8], out: &mut Vec<Finding>) {
    let mut i = 0;
    while i < bytes.len() {
        let at_start = bytes.get(i).is_some_and(u8::is_ascii_digit)
            && (i == 0
                || bytes
                    .get(i - 1)
                    .is_some_and(|&b| !is_word_byte(b) && b != b'.' && b != b','));
        if at_start && let_some_address(bytes, i, out) {
            i = out.last().map_or(i + 1, |f| f.end);
        } else {
            i += 1;
        }
    }
}

/// A word of ASCII letters/digits (and inner `'`) starting at `i`: its end.
fn word_end(bytes: &[u8], i: usize) -> usize {
    let mut j = i;
    while bytes
        .get(j)
        .is_some_and(|&b| b.is_ascii_alphanumeric() || (b == b'\'' && j > i))
    {
        j += 1;
    }
    j
}

fn eq_any(word: &[u8], list: &[&str]) -> bool {
    list.iter().any(|w| w.as_bytes().eq_ignore_ascii_case(word))
}

fn is_ordinal(word: &[u8]) -> bool {
    let digits = word.iter().take_while(|b| b.is_ascii_digit()).count();
    let rest = word.get(digits..).unwrap_or_default();
    digits > 0 && eq_any(rest, &["st", "nd", "rd", "th"])
}

fn is_name_word(word: &[u8]) -> bool {
    word.first().is_some_and(u8::is_ascii_uppercase)
        && word.iter().all(|b| b.is_ascii_alphabetic() || *b == b'\'')
        || is_ordinal(word)
}

/// Skips one space (or `. `/`, ` when `punct`) at `j`; returns the next word start.
fn skip_space(bytes: &[u8], mut j: usize, punct: bool) -> usize {
    if punct && matches!(bytes.get(j), Some(b'.' | b',')) {
        j += 1;
    }
    if bytes.get(j) == Some(&b' ') {
        j += 1;
    }
    j
}

fn let_some_address(bytes: &[u8], i: usize, out: &mut Vec<Finding>) -> bool {
    // House number: digits, optional letter or "-digits".
    let mut j = i;
    while bytes.get(j).is_some_and(u8::is_ascii_digit) {
        j += 1;
    }
    if j - i > 6 {
        return false;
    }
    if bytes.get(j) == Some(&b'-') && bytes.get(j + 1).is_some_and(u8::is_ascii_digit) {
        j += 1;
        while bytes.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
    } else if bytes.get(j).is_some_and(u8::is_ascii_alphabetic)
        && !bytes.get(j + 1).is_some_and(u8::is_ascii_alphanumeric)
    {
        j += 1;
    }
    if bytes.get(j) != Some(&b' ') {
        return false;
    }
    j += 1;
    // Street name words, then the suffix.
    let mut names = 0;
    let end = loop {
        let we = word_end(bytes, j);
        let word = bytes.get(j..we).unwrap_or_default();
        if word.is_empty() || names > 4 {
            return false;
        }
        if names > 0 && eq_any(word, SUFFIXES) {
            let suffix_ok = bytes.get(we).is_none_or(|&b| !is_word_byte(b));
            if suffix_ok {
                break if bytes.get(we) == Some(&b'.') {
                    we + 1
                } else {
                    we
                };
            }
        }
        if !is_name_word(word) && !eq_any(word, DIRECTIONS) {
            return false;
        }
        names += 1;
        j = skip_space(bytes, we, false);
        if j == we {
            return false;
        }
    };
    let end = extend_tail(bytes, end);
    out.push(Finding {
        kind: PiiKind::Address,
        start: i,
        end,
    });
    true
}

/// Extends an address past a compass point, a unit and a `, City, ST 12345` tail.
fn extend_tail(bytes: &[u8], mut end: usize) -> usize {
    // Compass point: "NW".
    let j = skip_space(bytes, end, false);
    let we = word_end(bytes, j);
    if j > end && eq_any(bytes.get(j..we).unwrap_or_default(), DIRECTIONS) {
        end = if bytes.get(we) == Some(&b'.') {
            we + 1
        } else {
            we
        };
    }
    // Unit: ", Apt 4B", " Suite 200", " #12".
    let j = skip_space(bytes, end, true);
    if j > end {
        let (k, is_unit) = if bytes.get(j) == Some(&b'#') {
            (j + 1, true)
        } else {
            let we = word_end(bytes, j);
            let unit = eq_any(bytes.get(j..we).unwrap_or_default(), UNITS);
            (
                skip_space(
                    bytes,
                    if bytes.get(we) == Some(&b'.') {
                        we + 1
                    } else {
                        we
                    },
                    false,
                ),
                unit,
            )
        };
        let ue = word_end(bytes, k);
        if is_unit
            && ue > k
            && bytes
                .get(k..ue)
                .is_some_and(|w| w.iter().any(u8::is_ascii_digit))
        {
            end = ue;
        }
    }
    // ", City Name, ST 12345(-6789)".
    let mut j = skip_space(bytes, end, true);
    if j == end || bytes.get(end) != Some(&b',') {
        return end;
    }
    let mut city_words = 0;
    loop {
        let we = word_end(bytes, j);
        if !is_name_word(bytes.get(j..we).unwrap_or_default()) || city_words == 3 {
            return end;
        }
        city_words += 1;
        if bytes.get(we) == Some(&b',') {
            j = skip_space(bytes, we, true);
            break;
        }
        j = skip_space(bytes, we, false);
        if j == we {
            return end;
        }
    }
    let we = word_end(bytes, j);
    let state = bytes.get(j..we).unwrap_or_default();
    if state.len() != 2 || !state.iter().all(u8::is_ascii_uppercase) {
        return end;
    }
    let state_end = we;
    let z = skip_space(bytes, we, false);
    let ze = word_end(bytes, z);
    let zip = bytes.get(z..ze).unwrap_or_default();
    if z > we && zip.len() == 5 && zip.iter().all(u8::is_ascii_digit) {
        if bytes.get(ze) == Some(&b'-')
            && bytes
                .get(ze + 1..ze + 5)
                .is_some_and(|p| p.iter().all(u8::is_ascii_digit))
            && !bytes.get(ze + 5).is_some_and(u8::is_ascii_alphanumeric)
        {
            return ze + 5;
        }
        if bytes.get(ze) != Some(&b'-') {
            return ze;
        }
    }
    state_end
}

#[cfg(test)]
mod tests {
    use crate::privacy::{Detector, PiiKind};

    fn addresses(text: &str) -> Vec<&str> {
        Detector::default()
            .find(text)
            .into_iter()
            .filter(|f| f.kind == PiiKind::Address)
            .map(|f| &text[f.start..f.end])
            .collect()
    }

    #[test]
    fn street_addresses() {
        assert_eq!(addresses("ship to 123 Main St, thanks"), ["123 Main St"]);
        assert_eq!(
            addresses("123 Main St, Austin, TX 78701 please"),
            ["123 Main St, Austin, TX 78701"]
        );
        assert_eq!(
            addresses("1600 Pennsylvania Avenue NW, Washington, DC 20500"),
            ["1600 Pennsylvania Avenue NW, Washington, DC 20500"]
        );
        assert_eq!(addresses("221B Baker Street."), ["221B Baker Street."]);
        assert_eq!(
            addresses("at 42 W 5th Ave Apt 4B now"),
            ["42 W 5th Ave Apt 4B"]
        );
        assert_eq!(
            addresses("350 Fifth Avenue, Suite 200"),
            ["350 Fifth Avenue, Suite 200"]
        );
        assert_eq!(
            addresses("12 St Marks Pl, New York, NY 10003-1234"),
            ["12 St Marks Pl, New York, NY 10003-1234"]
        );
    }

    #[test]
    fn ordinary_text_is_not_an_address() {
        for s in [
            "2 people on the way",
            "10 miles down the road",
            "Chapter 5 Drive Safely",
            "we sold 100 Court tickets",
            "version 2.3 Road map",
        ] {
            assert!(addresses(s).is_empty(), "{s}");
        }
    }
}
