//! Phone-number candidates in text, confirmed by `phonenumber` validity.
//!
//! A candidate is a run of digit groups joined by single separators (space,
//! `-`, `.`) or parentheses, optionally opened by `+`, `(` or `(+`. Cheap
//! shape rules reject what is clearly something else before the (slower)
//! `phonenumber` parser is asked:
//!
//! - 7 to 15 digits (E.164's maximum); longer runs are ids, not phones;
//! - not glued to a word, a price or a larger number (`SKU-4155550134`,
//!   `$4155550134`, `1.5`, `4155550134%`);
//! - dot-separated numbers need three groups or more (`415.555.0134`, not `4155.550134`);
//! - date shapes (`2024-05-01`, `01.05.2024`) are never phones;
//! - for US numbers, the North American plan: area code and exchange start
//!   with 2–9 (this alone rules out unix timestamps).
//!
//! When a whole run is not a phone, its space-separated sub-runs are tried,
//! so `ids 415 555 0134 2024` still finds the phone.

use phonenumber::country::Id;

use super::detect::{Finding, PiiKind, is_word_byte};

const MAX_GROUPS: usize = 8;
const MAX_DIGITS: usize = 15;

/// A run of digit groups: byte spans of each group.
struct Run {
    start: usize,
    plus: bool,
    groups: [(usize, usize); MAX_GROUPS],
    len: usize,
}

pub(super) fn find_phones(text: &str, region: Id, out: &mut Vec<Finding>) {
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
fn candidate(text: &str, run: &Run, s: usize, e: usize, region: Id) -> Option<(usize, usize)> {
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

fn is_valid_number(digits: &str, plus: bool, region: Id) -> bool {
    let international = if plus {
        Some(digits)
    } else if let Some(rest) = digits.strip_prefix("00") {
        Some(rest)
    } else if region == Id::US {
        digits.strip_prefix("011")
    } else {
        None
    };
    match international {
        Some(number) => {
            number.len() >= 8
                && phonenumber::parse(None, format!("+{number}"))
                    .is_ok_and(|p| phonenumber::is_valid(&p))
        }
        None => {
            (region != Id::US || plausible_nanp(digits))
                && phonenumber::parse(Some(region), digits).is_ok_and(|p| is_valid(&p))
        }
    }
}

/// `phonenumber::is_valid`, asked more cheaply: the number is valid when,
/// for one of the regions of its country code, the general pattern and the
/// pattern of some number type (fixed line, mobile, toll free, …) match its
/// national number. `phonenumber::is_valid` asks the same questions but
/// runs the full type classification twice (once to pick the region, once
/// to classify), some twenty cached-regex lookups per number; this stops at
/// the first matching type, usually after two.
fn is_valid(number: &phonenumber::PhoneNumber) -> bool {
    let national = number.national().to_string();
    let Some(metas) = phonenumber::metadata::DATABASE.by_code(&number.code().value()) else {
        return false;
    };
    metas.iter().any(|meta| {
        let d = meta.descriptors();
        d.general().is_match(&national)
            && [
                d.fixed_line(),
                d.mobile(),
                d.toll_free(),
                d.premium_rate(),
                d.shared_cost(),
                d.voip(),
                d.personal_number(),
                d.pager(),
                d.uan(),
                d.voicemail(),
            ]
            .into_iter()
            .flatten()
            .any(|t| t.is_match(&national))
    })
}

/// A ten-digit North American number (optionally after a `1`) whose area
/// code and exchange start with 2–9.
fn plausible_nanp(digits: &str) -> bool {
    let national = match digits.len() {
        11 => digits.strip_prefix('1').unwrap_or(digits),
        _ => digits,
    };
    let b = national.as_bytes();
    b.len() == 10 && b.first().is_some_and(|&d| d >= b'2') && b.get(3).is_some_and(|&d| d >= b'2')
}

#[cfg(test)]
mod tests {
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

    #[test]
    fn validity_agrees_with_phonenumber() {
        for raw in [
            "+14155550134",
            "+12125550199",
            "+442079460958",
            "+33142764978",
            "+4930901820",
            "+16502530000",
            "+14165550134",
            "+19995550134",
            "+1415555013",
            "+440000000000",
            "+861012345678",
            "+61255501234",
            "+819012345678",
        ] {
            if let Ok(n) = phonenumber::parse(None, raw) {
                assert_eq!(super::is_valid(&n), phonenumber::is_valid(&n), "{raw}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn validity_agrees_with_phonenumber_on_random_numbers(
            cc in proptest::sample::select(&[1u16, 7, 33, 34, 44, 49, 52, 55, 61, 81, 86, 91, 234, 971][..]),
            national in "[1-9][0-9]{6,11}",
        ) {
            if let Ok(n) = phonenumber::parse(None, format!("+{cc}{national}")) {
                proptest::prop_assert_eq!(super::is_valid(&n), phonenumber::is_valid(&n));
            }
        }
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
