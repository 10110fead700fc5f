//! Phone-number candidates in text, confirmed by `identity::phone` validity.
//!
//! A candidate is a run of digit groups joined by single separators (space,
//! `-`, `.`) or parentheses, optionally opened by `+`, `(` or `(+`. Cheap
//! shape rules reject what is clearly something else before the (slower)
//! number plan is asked ([`E164::from_digits`], the same rule as
//! `Phone::parse`):
//!
//! - 7 to 15 digits (E.164's maximum); longer runs are ids, not phones;
//! - not glued to a word, a price or a larger number (`SKU-4155550134`,
//!   `$4155550134`, `1.5`, `4155550134%`);
//! - dot-separated numbers need three groups or more (`415.555.0134`, not `4155.550134`);
//! - date shapes (`2024-05-01`, `01.05.2024`) are never phones;
//! - in a North American default region, a number written without `+` or an
//!   international prefix has the plan's shape (`identity::nanp_national`).
//!
//! Validity then rules out most other digit runs: in the North American plan the
//! area code and the exchange start with 2–9, which rules out unix timestamps.
//!
//! When a whole run is not a phone, its space-separated sub-runs are tried,
//! so `ids 415 555 0134 2024` still finds the phone.

use crate::identity::{E164, Region, nanp_national};

use super::finding::{Finding, PiiKind, is_word_byte};

const MAX_GROUPS: usize = 8;
const MAX_DIGITS: usize = 15;

/// A run of digit groups: byte spans of each group.
struct Run {
    start: usize,
    plus: bool,
    groups: [(usize, usize); MAX_GROUPS],
    len: usize,
}

pub(super) fn find_phones(text: &str, region: Region, out: &mut Vec<Finding>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let Some(run) = run_at(text, i) else {
            i += 1;
            continue;
        };
        let end = run
            .groups
            .get(run.len.wrapping_sub(1))
            .map_or(i + 1, |g| g.1);
        let mut s = 0;
        while s < run.len {
            let found = (s + 1..=run.len)
                .rev()
                .find_map(|e| candidate(text, &run, s, e, region).map(|span| (e, span)));
            match found {
                Some((e, (start, end))) => {
                    out.push(Finding {
                        kind: PiiKind::Phone,
                        start,
                        end,
                    });
                    s = e;
                }
                None => s += 1,
            }
        }
        i = end.max(i + 1);
    }
}

/// The run starting at `i`, if a phone may start there.
fn run_at(text: &str, i: usize) -> Option<Run> {
    let bytes = text.as_bytes();
    if !start_boundary_ok(text, i) {
        return None;
    }
    let mut j = i;
    let mut plus = false;
    // Openers: "+", "(", "(+", "+(".
    for _ in 0..2 {
        match bytes.get(j) {
            Some(b'+') if !plus => {
                plus = true;
                j += 1;
            }
            Some(b'(') if j == i || plus => j += 1,
            _ => break,
        }
    }
    if !bytes.get(j).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let mut run = Run {
        start: i,
        plus,
        groups: [(0, 0); MAX_GROUPS],
        len: 0,
    };
    loop {
        let gs = j;
        while bytes.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        let slot = run.groups.get_mut(run.len)?;
        *slot = (gs, j);
        run.len += 1;
        // Separator: one of " -." or up to three bytes including a parenthesis.
        let mut k = j;
        let mut paren = false;
        while k - j < 3
            && bytes
                .get(k)
                .is_some_and(|&b| matches!(b, b' ' | b'-' | b'.' | b'(' | b')'))
        {
            paren |= matches!(bytes.get(k), Some(b'(' | b')'));
            k += 1;
        }
        let sep_ok = k - j == 1 || (k - j > 1 && paren);
        if !sep_ok || !bytes.get(k).is_some_and(u8::is_ascii_digit) || run.len == MAX_GROUPS {
            break;
        }
        j = k;
    }
    Some(run)
}

/// May a phone start at byte `i`? Not inside a word, a number, an id or a price.
fn start_boundary_ok(text: &str, i: usize) -> bool {
    let bytes = text.as_bytes();
    let Some(&first) = bytes.get(i) else {
        return false;
    };
    if !(first.is_ascii_digit() || first == b'+' || first == b'(') {
        return false;
    }
    let Some(before) = text.get(..i) else {
        return false;
    };
    let mut rev = before.chars().rev();
    match rev.next() {
        None => true,
        Some(c) if c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '#' | '/' | '\\' | '+') => {
            false
        }
        Some('€' | '£' | '¥' | '₹') => false,
        Some('.' | ',' | '-') => !rev.next().is_some_and(|c| c.is_ascii_alphanumeric()),
        Some(_) => true,
    }
}

/// May a phone end just before byte `end`?
fn end_boundary_ok(bytes: &[u8], end: usize) -> bool {
    let next_is_digit = bytes.get(end + 1).is_some_and(u8::is_ascii_digit);
    match bytes.get(end) {
        None => true,
        // An extension: "415-555-0134x12".
        Some(b'x') => next_is_digit,
        Some(&b) if is_word_byte(b) || b == b'%' => false,
        Some(b'.' | b',' | b'-' | b':' | b'/') => !next_is_digit,
        Some(_) => true,
    }
}

/// The byte span of groups `s..e` of `run` when they form a valid phone number.
fn candidate(text: &str, run: &Run, s: usize, e: usize, region: Region) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let groups = run.groups.get(s..e)?;
    let (first, last) = (groups.first()?, groups.last()?);
    // Sub-runs may only be cut at spaces.
    let cut_ok = |at: usize| bytes.get(at) == Some(&b' ');
    if s > 0 && !cut_ok(first.0 - 1) {
        return None;
    }
    if e < run.len {
        if !cut_ok(last.1) {
            return None;
        }
    } else if !end_boundary_ok(bytes, last.1) {
        return None;
    }
    let start = if s == 0 {
        run.start
    } else if bytes.get(first.0 - 1) == Some(&b'(') {
        first.0 - 1
    } else {
        first.0
    };
    let plus = s == 0 && run.plus;

    let mut digits = [0u8; MAX_DIGITS];
    let mut n = 0;
    for &(gs, ge) in groups {
        for &d in bytes.get(gs..ge)? {
            *digits.get_mut(n)? = d;
            n += 1;
        }
    }
    if n < 7 {
        return None;
    }
    let seps = groups.len() - 1;
    let dotted = groups.windows(2).any(|w| {
        w.first()
            .zip(w.get(1))
            .is_some_and(|(a, b)| bytes.get(a.1..b.0).is_some_and(|sep| sep.contains(&b'.')))
    });
    if dotted && seps < 2 {
        return None;
    }
    let len = |k: usize| groups.get(k).map_or(0, |g| g.1 - g.0);
    let date_shaped = (groups.len() >= 3 && len(0) == 4 && len(1) == 2 && len(2) == 2)
        || (groups.len() == 3 && len(0) == 2 && len(1) == 2 && len(2) == 4);
    if date_shaped && !plus {
        return None;
    }
    let digits = std::str::from_utf8(digits.get(..n)?).ok()?;
    if is_valid_number(digits, plus, region) {
        Some((start, last.1))
    } else {
        None
    }
}

/// Whether the digits are a valid full number, as `identity::phone` decides it
/// (the one validity rule of the crate), long enough not to be a short code
/// written with `+` (eight digits with the country code), and, written nationally
/// in a North American region, of the plan's shape ([`nanp_national`]: ten digits,
/// or eleven after the trunk `1`). libphonenumber strips trunk and country codes
/// repeatedly, so it reads the millisecond timestamp `1113142000000` as
/// `+13142000000`; in free text such a run is not a phone.
fn is_valid_number(digits: &str, plus: bool, region: Region) -> bool {
    let national_nanp = !plus && region.country_code() == 1 && !digits.starts_with('0');
    if national_nanp && nanp_national(digits).is_none() {
        return false;
    }
    E164::from_digits(digits, plus, region).is_ok_and(|n| n.as_str().len() > 8)
}

#[cfg(test)]
mod tests {
    use crate::identity::{Phone, Region};
    use crate::privacy::{Detector, PiiKind};

    fn phones(text: &str) -> Vec<&str> {
        Detector::default()
            .find(text)
            .into_iter()
            .filter(|f| f.kind == PiiKind::Phone)
            .map(|f| &text[f.start..f.end])
            .collect()
    }

    #[test]
    fn many_phone_shapes() {
        for p in [
            "+14155550134",
            "(415) 555-0134",
            "415.555.0134",
            "415-555-0134",
            "4155550134",
            "1-415-555-0134",
            "+1 415 555 0134",
            "+44 20 7946 0958",
            "0044 20 7946 0958",
            "011 44 20 7946 0958",
            "(+1)3159212129",
            "+33 1 42 76 49 78",
            "+49 30 901820",
        ] {
            assert_eq!(phones(&format!("call {p}, thanks")), [p], "{p}");
        }
    }

    /// Whether identity reads `raw` as a full number.
    fn valid(raw: &str) -> bool {
        Phone::parse(raw, Region::US).is_ok_and(|p| p.e164().is_some())
    }

    #[test]
    fn found_exactly_when_identity_reads_a_valid_number() {
        // Expectations are libphonenumber 9.0.43's `is_valid_number`.
        for (raw, want) in [
            ("+14155550134", true),
            ("+12125550199", true),
            ("+12735550134", true),
            ("+442079460958", true),
            ("+33142764978", true),
            ("+4930901820", true),
            ("+16502530000", true),
            ("+14165550134", true),
            ("+19995550134", false),
            ("+1415555013", false),
            ("+440000000000", false),
            ("+861012345678", true),
            ("+86101234567", false),
            ("+97233142764978", false),
            ("+61255501234", true),
            ("+819012345678", true),
        ] {
            assert_eq!(valid(raw), want, "{raw}");
            assert_eq!(
                !phones(&format!("call {raw} now")).is_empty(),
                want,
                "{raw}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn found_exactly_when_identity_reads_a_valid_random_number(
            cc in proptest::sample::select(&[1u16, 7, 33, 34, 44, 49, 52, 55, 61, 81, 86, 91, 234, 971][..]),
            national in "[1-9][0-9]{6,11}",
        ) {
            let raw = format!("+{cc}{national}");
            proptest::prop_assert_eq!(!phones(&format!("call {raw} now")).is_empty(), valid(&raw));
        }
    }

    #[test]
    fn timestamps_are_not_phones_though_libphonenumber_reads_some() {
        // libphonenumber 9.0.43 reads both as +13142000000.
        assert!(valid("1113142000000"));
        assert_eq!(
            phones("at 1113142000000 and 113142000000 ms"),
            Vec::<&str>::new()
        );
        assert_eq!(phones("at 13142000000 ms"), ["13142000000"]);
    }

    #[test]
    fn sub_runs_are_tried() {
        assert_eq!(phones("ids 415 555 0134 2024"), ["415 555 0134"]);
        assert_eq!(phones("tel:4155550134x12"), ["4155550134"]);
    }

    #[test]
    fn ordinary_numbers_are_not_phones() {
        for s in [
            "$1,234.56",
            "2024-05-01",
            "2024-05-01T10:30:00Z",
            "578123456789012345",
            "1714521600",
            "1714521600000",
            "SKU-4155550134",
            "order #4155550134",
            "$4155550134",
            "4155.550134",
            "12.5%",
            "1.2.3",
            "550e8400-e29b-41d4-a716-446655440000",
        ] {
            assert!(phones(s).is_empty(), "{s}");
        }
    }
}
