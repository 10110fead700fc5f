//! Tolerant cell values: money, counts, percents and dates as real exports write them.
//!
//! - Money: `$1,234.56`, `1234.5`, `-$3`, `($12.00)`, `USD 40`, `€9,99`-free (a comma is
//!   always a thousands separator), `$1.2K`. Always a [`Decimal`], never a float.
//! - Counts: `1,234`, `1.2K`, `3M`, `1.5B`, `12.3k`, `987.0` → `u64` (rounded half away from zero).
//! - Percents: `4.5%` or `4.5` → `4.5` (percentage points, not a fraction).
//! - Dates: ISO `2024-03-05`, `2024-03-05 14:30[:00]`, `2024-03-05T14:30:00[.123][Z|+02:00]`
//!   (offsets are converted to UTC), `2024/03/05`, US `03/05/2024` and `3/5/24`, with an
//!   optional `HH:MM[:SS]` and `AM`/`PM`, and Unix seconds (10 digits).
//!
//! **Slash dates are read month first** (`03/05/2024` is March 5), because the exports are
//! US TikTok Shop files. When the first number cannot be a month (`25/03/2024`) the date is
//! read day first instead; that case is unambiguous.
//!
//! Errors name the column and the kind of problem, never the cell's text.

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::{Decimal, prelude::ToPrimitive};

use crate::{
    error::{Error, Result},
    identity::trim,
};

/// Splits a trailing `K`/`M`/`B` multiplier off a number.
fn split_suffix(s: &str) -> (&str, u32) {
    match s.as_bytes().last() {
        Some(b'k' | b'K') => (&s[..s.len() - 1], 3),
        Some(b'm' | b'M') => (&s[..s.len() - 1], 6),
        Some(b'b' | b'B') => (&s[..s.len() - 1], 9),
        _ => (s, 0),
    }
}

/// Most significant digits a [`Decimal`] holds.
const MAX_DIGITS: u32 = 28;

/// Digits with at most one `.` and the separator bytes `skip` accepts, read in one pass
/// into a mantissa and a scale (at most 18 digits, so no overflow); `None` for any other
/// byte, or no digit at all.
fn mantissa_scale(s: &str, skip: impl Fn(u8) -> bool) -> Option<(u64, u32)> {
    let mut mantissa: u64 = 0;
    let (mut digits, mut scale, mut dot) = (0u32, 0u32, false);
    for &b in s.as_bytes() {
        match b {
            b'0'..=b'9' => {
                digits += 1;
                if digits > 18 {
                    return None;
                }
                mantissa = mantissa * 10 + u64::from(b - b'0');
                if dot {
                    scale += 1;
                }
            }
            b'.' if !dot => dot = true,
            _ if skip(b) => {}
            _ => return None,
        }
    }
    (digits > 0).then_some((mantissa, scale))
}

/// The common cells, digits with `,` and `$` and at most one `.`, read in one pass;
/// `None` for anything else, which [`parse_number`] reads the general way (to the same
/// value).
fn plain_decimal(s: &str) -> Option<Decimal> {
    let (mantissa, scale) = mantissa_scale(s, |b| b == b',' || b == b'$')?;
    Decimal::try_from_i128_with_scale(i128::from(mantissa), scale).ok()
}

/// Parses a decimal number after removing currency marks, thousands separators and spaces.
/// Digits are accumulated directly into a mantissa and a scale: no allocation, no copy.
fn parse_number(raw: &str, field: &'static str) -> Result<Decimal> {
    let s = trim(raw);
    match plain_decimal(s) {
        Some(d) => Ok(d),
        None => general_number(s, field),
    }
}

/// [`parse_number`] for any accepted form of a trimmed cell.
fn general_number(mut s: &str, field: &'static str) -> Result<Decimal> {
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        negative = true;
        s = inner.trim();
    }
    for cur in ["USD", "US$", "usd"] {
        if let Some(rest) = s.strip_prefix(cur) {
            s = rest.trim_start();
        }
        if let Some(rest) = s.strip_suffix(cur) {
            s = rest.trim_end();
        }
    }
    let (body, exp) = split_suffix(s);
    let mut mantissa: i128 = 0;
    let mut scale: u32 = 0;
    let mut seen = false;
    let mut significant = 0u32;
    let mut dot = false;
    for ch in body.chars() {
        match ch {
            '0'..='9' => {
                seen = true;
                if mantissa != 0 || ch != '0' {
                    significant += 1;
                }
                if significant > MAX_DIGITS || scale >= MAX_DIGITS {
                    return Err(Error::invalid(field, "number too long"));
                }
                mantissa = mantissa * 10 + i128::from(ch as u8 - b'0');
                if dot {
                    scale += 1;
                }
            }
            '.' if !dot => dot = true,
            '-' if !seen && !negative => negative = true,
            '+' if !seen => {}
            ',' | ' ' | '\u{a0}' | '_' | '\'' | '$' | '€' | '£' => {}
            _ => return Err(Error::invalid(field, "not a number")),
        }
    }
    if !seen {
        return Err(Error::invalid(field, "not a number"));
    }
    if exp > 0 {
        if scale >= exp {
            scale -= exp;
        } else {
            let up = exp - scale;
            scale = 0;
            mantissa = mantissa
                .checked_mul(10i128.pow(up))
                .ok_or_else(|| Error::invalid(field, "number out of range"))?;
        }
    }
    if negative {
        mantissa = -mantissa;
    }
    Decimal::try_from_i128_with_scale(mantissa, scale)
        .map_err(|_| Error::invalid(field, "number out of range"))
}

/// Parses money such as `$1,234.56`, `($12.00)` or `$1.2K`.
///
/// # Errors
/// `InvalidInput` on field `field` when the cell is not an amount.
///
/// ```
/// use creator_crm::import::values::parse_money;
/// use rust_decimal::Decimal;
/// assert_eq!(parse_money("$1,234.56", "gmv").unwrap(), Decimal::new(123456, 2));
/// ```
pub fn parse_money(raw: &str, field: &'static str) -> Result<Decimal> {
    parse_number(raw, field)
}

/// Parses a count such as `1,234`, `1.2K` or `3M` (rounded half away from zero).
///
/// # Errors
/// `InvalidInput` on field `field` for text, negative or out-of-range values.
///
/// ```
/// use creator_crm::import::values::parse_count;
/// assert_eq!(parse_count("1.2K", "followers").unwrap(), 1200);
/// ```
pub fn parse_count(raw: &str, field: &'static str) -> Result<u64> {
    let t = trim(raw);
    if let Some(n) = plain_count(t).or_else(|| scaled_count(t)) {
        return Ok(n);
    }
    count_of(parse_number(t, field)?, field)
}

/// A number read as a count: rounded half away from zero; negative or too large is an error.
fn count_of(d: Decimal, field: &'static str) -> Result<u64> {
    if d.is_sign_negative() && !d.is_zero() {
        return Err(Error::invalid(field, "negative count"));
    }
    d.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .to_u64()
        .ok_or_else(|| Error::invalid(field, "number out of range"))
}

/// A whole count written with `,` separators, at most one `.` and a `K`/`M`/`B` suffix that
/// leaves no fraction (`14.1K`, `3M`, `1,234`), read in one pass; `None` for anything else,
/// which the general path reads (to the same value).
fn scaled_count(t: &str) -> Option<u64> {
    let (body, exp) = split_suffix(t);
    let (mantissa, scale) = mantissa_scale(body, |b| b == b',')?;
    if scale > exp {
        return None;
    }
    mantissa.checked_mul(10u64.checked_pow(exp - scale)?)
}

/// A count written as 1 to 19 plain digits (below 10^19, so it fits a `u64`), read in one
/// pass.
pub(crate) fn plain_count(t: &str) -> Option<u64> {
    if t.is_empty() || t.len() > 19 {
        return None;
    }
    let mut n: u64 = 0;
    for &b in t.as_bytes() {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        n = n * 10 + u64::from(digit);
    }
    Some(n)
}

/// Parses a percent such as `4.5%` into percentage points (`4.5`).
///
/// # Errors
/// `InvalidInput` on field `field` when the cell is not a number.
pub fn parse_percent(raw: &str, field: &'static str) -> Result<Decimal> {
    let t = trim(raw);
    let t = t.strip_suffix('%').unwrap_or(t);
    parse_number(t, field)
}

/// A cursor over ASCII digits and separators.
struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    /// Reads 1..=max digits; returns (value, digit count).
    fn digits(&mut self, max: usize) -> Option<(u32, usize)> {
        let start = self.i;
        let mut v: u32 = 0;
        while let Some(c) = self.peek() {
            if !c.is_ascii_digit() || self.i - start == max {
                break;
            }
            v = v * 10 + u32::from(c - b'0');
            self.i += 1;
        }
        let n = self.i - start;
        (n > 0).then_some((v, n))
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn skip_spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.i += 1;
        }
    }
    fn rest(&self) -> &[u8] {
        self.b.get(self.i..).unwrap_or(&[])
    }
}

fn bad_date(field: &'static str) -> Error {
    Error::invalid(field, "unrecognised date")
}

/// Parses the date part into days since 1970-01-01; see the module docs for the accepted
/// forms.
fn parse_date_part(c: &mut Cursor<'_>, field: &'static str) -> Result<i64> {
    let (a, an) = c.digits(4).ok_or_else(|| bad_date(field))?;
    let sep = c.peek().ok_or_else(|| bad_date(field))?;
    if !matches!(sep, b'-' | b'/' | b'.') {
        return Err(bad_date(field));
    }
    c.i += 1;
    let (b, _) = c.digits(2).ok_or_else(|| bad_date(field))?;
    if !c.eat(sep) {
        return Err(bad_date(field));
    }
    let (y2, yn) = c.digits(4).ok_or_else(|| bad_date(field))?;
    let (year, month, day) = if an == 4 {
        (a, b, y2)
    } else {
        let year = match yn {
            4 => y2,
            2 => 2000 + y2,
            _ => return Err(bad_date(field)),
        };
        if sep == b'-' || sep == b'.' || a > 12 {
            // `DD-MM-YYYY` / `DD.MM.YYYY` are day first in every locale that writes them;
            // a slash date whose first number cannot be a month is day first too.
            (year, b, a)
        } else {
            (year, a, b)
        }
    };
    checked_days(year, month, day).ok_or_else(|| bad_date(field))
}

/// Parses `HH:MM[:SS[.fff]] [AM|PM]` and an optional `Z`/`±hh[:mm]` offset; returns the
/// seconds since midnight and the offset in seconds east of UTC.
fn parse_time_part(c: &mut Cursor<'_>, field: &'static str) -> Result<(i64, i64)> {
    let (mut h, _) = c.digits(2).ok_or_else(|| bad_date(field))?;
    if !c.eat(b':') {
        return Err(bad_date(field));
    }
    let (m, _) = c.digits(2).ok_or_else(|| bad_date(field))?;
    let mut s = 0;
    if c.eat(b':') {
        s = c.digits(2).ok_or_else(|| bad_date(field))?.0;
        if c.eat(b'.') || c.eat(b',') {
            while c.peek().is_some_and(|b| b.is_ascii_digit()) {
                c.i += 1;
            }
        }
    }
    c.skip_spaces();
    let rest = c.rest();
    let ampm = rest
        .get(..2)
        .and_then(|x| <[u8; 2]>::try_from(x).ok())
        .map(|x| x.map(|b| b.to_ascii_uppercase()));
    match ampm {
        Some([b'A', b'M']) => {
            if h == 12 {
                h = 0;
            }
            c.i += 2;
        }
        Some([b'P', b'M']) => {
            if h < 12 {
                h += 12;
            }
            c.i += 2;
        }
        _ => {}
    }
    c.skip_spaces();
    let mut offset = 0i64;
    if c.eat(b'Z') {
    } else if c.rest().eq_ignore_ascii_case(b"UTC") || c.rest().eq_ignore_ascii_case(b"GMT") {
        c.i += 3;
    } else if let Some(sign) = c.peek().filter(|b| *b == b'+' || *b == b'-') {
        c.i += 1;
        let (oh, _) = c.digits(2).ok_or_else(|| bad_date(field))?;
        c.eat(b':');
        let om = c.digits(2).map_or(0, |x| x.0);
        let secs = i64::from(oh) * 3600 + i64::from(om) * 60;
        offset = if sign == b'+' { secs } else { -secs };
    }
    if h > 23 || m > 59 || s > 59 {
        return Err(bad_date(field));
    }
    Ok((
        i64::from(h) * 3600 + i64::from(m) * 60 + i64::from(s),
        offset,
    ))
}

/// Seconds in a day.
const DAY: i64 = 86_400;

/// Parses a date or date-time into Unix seconds (UTC); a date alone is midnight. Offsets
/// are converted to UTC. What [`parse_datetime`] reads, without building a date-time.
///
/// # Errors
/// `InvalidInput` on field `field` for anything not listed in the module docs.
///
/// ```
/// use creator_crm::import::values::parse_timestamp;
/// assert_eq!(parse_timestamp("03/05/2024 2:30 PM", "created_time").unwrap(), 1_709_649_000);
/// ```
pub fn parse_timestamp(raw: &str, field: &'static str) -> Result<i64> {
    let t = trim(raw);
    match fixed_layout(t.as_bytes()) {
        Some(secs) => Ok(secs),
        None => general_timestamp(t, field),
    }
}

/// The number written by `N` ASCII digits at `at`: the digits are read without a branch
/// each, and checked at once.
#[inline(always)]
fn digits_at<const N: usize>(b: &[u8], at: usize) -> Option<u32> {
    let digits: &[u8; N] = b.get(at..at + N)?.try_into().ok()?;
    let mut n = 0u32;
    let mut bad = false;
    for &c in digits {
        let d = c.wrapping_sub(b'0');
        bad |= d > 9;
        n = n * 10 + u32::from(d);
    }
    (!bad).then_some(n)
}

/// Days since 1970-01-01 of a valid proleptic Gregorian date (years 0 to 9999 written as
/// digits), else `None`. In unsigned arithmetic: divisions of unsigned numbers by
/// constants are cheaper.
#[inline]
fn checked_days(year: u32, month: u32, day: u32) -> Option<i64> {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        1..=12 => 31,
        _ => return None,
    };
    if day == 0 || day > month_days {
        return None;
    }
    // Years start in March, so that the leap day ends one; counted from 400 years (one
    // cycle of 146_097 days) before year 0, so that January of year 0 is not negative.
    let (y, m) = if month <= 2 {
        (year + 399, month + 9)
    } else {
        (year + 400, month - 3)
    };
    let day_of_year = (153 * m + 2) / 5 + day - 1;
    let days = y * 365 + y / 4 - y / 100 + y / 400 + day_of_year;
    // 719_468 days from 0000-03-01 to 1970-01-01.
    Some(i64::from(days) - 146_097 - 719_468)
}

/// `HH:MM:SS` at `h`: the hour, and the time in seconds.
#[inline(always)]
fn clock_at(b: &[u8], h: usize) -> Option<(u32, i64)> {
    let (hh, mm, ss) = (
        digits_at::<2>(b, h)?,
        digits_at::<2>(b, h + 3)?,
        digits_at::<2>(b, h + 6)?,
    );
    let ok =
        b.get(h + 2) == Some(&b':') && b.get(h + 5) == Some(&b':') && hh < 24 && mm < 60 && ss < 60;
    ok.then(|| (hh, i64::from(hh * 3600 + mm * 60 + ss)))
}

/// `YYYY-MM-DD` at the start of `b`, in days since 1970-01-01.
#[inline(always)]
fn iso_days(b: &[u8]) -> Option<i64> {
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    checked_days(
        digits_at::<4>(b, 0)?,
        digits_at::<2>(b, 5)?,
        digits_at::<2>(b, 8)?,
    )
}

/// The layouts the exports write on nearly every row, read at fixed positions:
/// `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS` and `MM/DD/YYYY HH:MM:SS AM`. `None` for anything
/// else (or an invalid date), which [`general_timestamp`] reads or rejects; a proptest
/// holds both to the same answers.
fn fixed_layout(b: &[u8]) -> Option<i64> {
    match b.len() {
        10 => Some(iso_days(b)? * DAY),
        19 if b.get(10) == Some(&b' ') => Some(iso_days(b)? * DAY + clock_at(b, 11)?.1),
        22 if b.get(2) == Some(&b'/')
            && b.get(5) == Some(&b'/')
            && b.get(10) == Some(&b' ')
            && b.get(19) == Some(&b' ') =>
        {
            let month = digits_at::<2>(b, 0)?;
            // A first number above 12 is a day (read by the general path).
            if month > 12 {
                return None;
            }
            let days = checked_days(digits_at::<4>(b, 6)?, month, digits_at::<2>(b, 3)?)?;
            let (hour, clock) = clock_at(b, 11)?;
            // 12 AM is midnight, 12 PM noon; 1 PM to 11 PM are 12 hours on.
            let shift = match [
                b.get(20)?.to_ascii_uppercase(),
                b.get(21)?.to_ascii_uppercase(),
            ] {
                [b'A', b'M'] if hour == 12 => -12,
                [b'P', b'M'] if hour < 12 => 12,
                [b'A' | b'P', b'M'] => 0,
                _ => return None,
            };
            Some(days * DAY + clock + shift * 3600)
        }
        _ => None,
    }
}

/// [`parse_timestamp`] for any accepted form.
fn general_timestamp(t: &str, field: &'static str) -> Result<i64> {
    let b = t.as_bytes();
    if b.len() == 10 && b.iter().all(u8::is_ascii_digit) {
        return t.parse().map_err(|_| bad_date(field));
    }
    let mut c = Cursor { b, i: 0 };
    let days = parse_date_part(&mut c, field)?;
    if c.eat(b'T') || c.peek() == Some(b' ') {
        c.skip_spaces();
        if c.rest().is_empty() {
            return Ok(days * DAY);
        }
        let (secs, offset) = parse_time_part(&mut c, field)?;
        c.skip_spaces();
        if !c.rest().is_empty() {
            return Err(bad_date(field));
        }
        return Ok(days * DAY + secs - offset);
    }
    if !c.rest().is_empty() {
        return Err(bad_date(field));
    }
    Ok(days * DAY)
}

/// Parses a date or date-time; a date alone is midnight. Offsets are converted to UTC.
///
/// # Errors
/// `InvalidInput` on field `field` for anything not listed in the module docs.
///
/// ```
/// use creator_crm::import::values::parse_datetime;
/// let t = parse_datetime("03/05/2024 2:30 PM", "created_time").unwrap();
/// assert_eq!(t.to_string(), "2024-03-05 14:30:00");
/// ```
pub fn parse_datetime(raw: &str, field: &'static str) -> Result<NaiveDateTime> {
    let secs = parse_timestamp(raw, field)?;
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|d| d.naive_utc())
        .ok_or_else(|| bad_date(field))
}

/// Parses a date (a time part, if any, is read and dropped).
///
/// # Errors
/// As [`parse_datetime`].
pub fn parse_date(raw: &str, field: &'static str) -> Result<NaiveDate> {
    parse_datetime(raw, field).map(|d| d.date())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use rust_decimal_macros::dec;

    use super::*;

    #[test]
    fn money_forms() {
        assert_eq!(parse_money("$1,234.56", "gmv").unwrap(), dec!(1234.56));
        assert_eq!(parse_money(" 1234.5 ", "gmv").unwrap(), dec!(1234.5));
        assert_eq!(parse_money("-$3", "gmv").unwrap(), dec!(-3));
        assert_eq!(parse_money("($12.00)", "gmv").unwrap(), dec!(-12.00));
        assert_eq!(parse_money("USD 40", "gmv").unwrap(), dec!(40));
        assert_eq!(parse_money("$1.2K", "gmv").unwrap(), dec!(1200));
        assert_eq!(parse_money("0", "gmv").unwrap(), dec!(0));
        let e = parse_money("abc", "gmv").unwrap_err();
        assert_eq!(e.to_string(), "invalid gmv: not a number");
        assert!(parse_money("$", "gmv").is_err());
        assert!(parse_money("", "gmv").is_err());
    }

    #[test]
    fn count_forms() {
        assert_eq!(parse_count("1,234", "f").unwrap(), 1234);
        assert_eq!(parse_count("1.2K", "f").unwrap(), 1200);
        assert_eq!(parse_count("12.3k", "f").unwrap(), 12300);
        assert_eq!(parse_count("3M", "f").unwrap(), 3_000_000);
        assert_eq!(parse_count("1.5B", "f").unwrap(), 1_500_000_000);
        assert_eq!(parse_count("987.5", "f").unwrap(), 988);
        assert_eq!(parse_count("42", "f").unwrap(), 42);
        assert!(parse_count("-5", "f").is_err());
        assert!(parse_count("lots", "f").is_err());
    }

    #[test]
    fn percent_is_points() {
        assert_eq!(parse_percent("4.5%", "ctr").unwrap(), dec!(4.5));
        assert_eq!(parse_percent("0.8", "ctr").unwrap(), dec!(0.8));
    }

    fn dt(s: &str) -> String {
        parse_datetime(s, "d").unwrap().to_string()
    }

    #[test]
    fn date_forms() {
        assert_eq!(dt("2024-03-05"), "2024-03-05 00:00:00");
        assert_eq!(dt("2024-03-05 14:30:09"), "2024-03-05 14:30:09");
        assert_eq!(dt("2024-03-05 14:30"), "2024-03-05 14:30:00");
        assert_eq!(dt("2024-03-05T14:30:09Z"), "2024-03-05 14:30:09");
        assert_eq!(dt("2024-03-05T14:30:09.123+02:00"), "2024-03-05 12:30:09");
        assert_eq!(dt("2024/03/05"), "2024-03-05 00:00:00");
        assert_eq!(dt("03/05/2024"), "2024-03-05 00:00:00");
        assert_eq!(dt("3/5/24"), "2024-03-05 00:00:00");
        assert_eq!(dt("25/03/2024"), "2024-03-25 00:00:00");
        assert_eq!(dt("03/05/2024 2:30 PM"), "2024-03-05 14:30:00");
        assert_eq!(dt("03/05/2024 12:10:00 AM"), "2024-03-05 00:10:00");
        assert_eq!(dt("05.03.2024"), "2024-03-05 00:00:00");
        assert_eq!(dt("1709649000"), "2024-03-05 14:30:00");
    }

    #[test]
    fn bad_dates_are_typed_errors() {
        for s in [
            "",
            "yesterday",
            "2024-13-01",
            "02/30/2024",
            "2024-03-05 25:00",
            "03/05",
        ] {
            let e = parse_datetime(s, "created_time").unwrap_err();
            assert_eq!(
                e.to_string(),
                "invalid created_time: unrecognised date",
                "{s}"
            );
        }
    }

    proptest::proptest! {
        /// Unix seconds computed directly equal chrono's date arithmetic, and every date
        /// chrono rejects is rejected.
        #[test]
        fn timestamps_are_chronos(
            y in 0i32..=9999, m in 1u32..=12, d in 1u32..=31,
            h in 0u32..24, mi in 0u32..60, se in 0u32..60,
            off_min in -840i64..=840, form in 0usize..4,
        ) {
            let (sign, oabs) = if off_min < 0 { ('-', -off_min) } else { ('+', off_min) };
            let (raw, secs, offset) = match form {
                0 => (format!("{y:04}-{m:02}-{d:02}"), 0, 0),
                1 => (format!("{y:04}-{m:02}-{d:02} {h:02}:{mi:02}:{se:02}"), h * 3600 + mi * 60 + se, 0),
                2 => (format!("{m:02}/{d:02}/{y:04} {h:02}:{mi:02}"), h * 3600 + mi * 60, 0),
                _ => (
                    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{se:02}{sign}{:02}:{:02}", oabs / 60, oabs % 60),
                    h * 3600 + mi * 60 + se,
                    off_min * 60,
                ),
            };
            let want = NaiveDate::from_ymd_opt(y, m, d).map(|date| {
                date.and_hms_opt(0, 0, 0).map_or(0, |t| t.and_utc().timestamp()) + i64::from(secs) - offset
            });
            let got = parse_timestamp(&raw, "d").ok();
            proptest::prop_assert_eq!(got, want);
            if let Some(w) = want {
                let dt = parse_datetime(&raw, "d").unwrap();
                proptest::prop_assert_eq!(dt.and_utc().timestamp(), w);
            }
        }
    }

    /// At the calendar's edges (year 0, leap days, the ends of months, days and hours) the
    /// fixed-position layouts give the general reading's answer too: every edge, each run.
    #[test]
    fn fixed_layouts_read_the_calendar_edges_as_the_general_path() {
        for raw in [
            "0000-01-01",
            "0000-02-29",
            "0000-03-01",
            "0001-02-29",
            "1900-02-29",
            "2000-02-29",
            "2024-02-29",
            "2023-02-29",
            "1969-12-31 23:59:59",
            "1970-01-01 00:00:00",
            "9999-12-31 23:59:59",
            "2024-04-31",
            "2024-13-01",
            "2024-00-10",
            "2024-01-00",
            "12/31/1999 11:59:59 PM",
            "01/01/2000 12:00:00 AM",
            "01/01/2000 12:00:00 PM",
            "02/29/1900 01:00:00 AM",
            "02/29/2000 01:00:00 AM",
            "01/01/0000 12:30:00 AM",
            "06/15/2024 13:05:00 PM",
            "06/15/2024 24:00:00 AM",
        ] {
            let general = general_timestamp(raw, "t").ok();
            assert_eq!(fixed_layout(raw.as_bytes()).or(general), general, "{raw}");
            assert_eq!(parse_timestamp(raw, "t").ok(), general, "{raw}");
            if raw.len() == 10 || raw.len() == 19 {
                assert_eq!(fixed_layout(raw.as_bytes()), general, "{raw}");
            }
        }
    }

    proptest::proptest! {
        /// The one-pass reading of plain numbers gives the general reading's value.
        #[test]
        fn plain_numbers_read_as_the_general_path(raw in "[0-9$,.]{1,22}") {
            if let Some(d) = plain_decimal(&raw) {
                proptest::prop_assert_eq!(Some(d), general_number(&raw, "n").ok());
            }
        }

        /// The one-pass reading of scaled counts gives the general reading's count.
        #[test]
        fn scaled_counts_read_as_the_general_path(raw in "[0-9,]{0,10}(\\.[0-9,]{0,5})?[kKmMbB]?") {
            if let Some(n) = scaled_count(&raw) {
                let general = general_number(&raw, "n").and_then(|d| count_of(d, "n"));
                proptest::prop_assert_eq!(Some(n), general.ok());
            }
        }

        /// Days since 1970 are chrono's, for every year, month and day written as digits.
        #[test]
        fn checked_days_are_chronos(year in 0u32..=9999, month in 0u32..=13, day in 0u32..=32) {
            let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
            let chrono_days = i32::try_from(year)
                .ok()
                .and_then(|y| chrono::NaiveDate::from_ymd_opt(y, month, day))
                .map(|d| (d - epoch).num_days());
            proptest::prop_assert_eq!(checked_days(year, month, day), chrono_days);
        }

        /// The fixed-position layouts give the general reading's answer, valid or not.
        #[test]
        fn fixed_layouts_read_as_the_general_path(
            raw in "[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}|[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} (AM|PM|am|pm|Am|XM)",
            realistic in proptest::bool::ANY,
        ) {
            // Half the cases with realistic fields, so that valid dates are common.
            let raw = if realistic {
                let mut b = raw.into_bytes();
                let clamp = |b: &mut Vec<u8>, i: usize, hi: u8| if let Some(c) = b.get_mut(i) { *c = b'0' + (*c - b'0') % hi; };
                if b.get(4) == Some(&b'-') { clamp(&mut b, 5, 2); clamp(&mut b, 8, 3); clamp(&mut b, 11, 3); }
                else { clamp(&mut b, 0, 2); clamp(&mut b, 3, 3); clamp(&mut b, 11, 2); }
                String::from_utf8(b).unwrap()
            } else {
                raw
            };
            let general = general_timestamp(&raw, "t").ok();
            if let Some(fixed) = fixed_layout(raw.as_bytes()) {
                proptest::prop_assert_eq!(Some(fixed), general);
            } else if raw.len() == 10 || raw.len() == 19 {
                // ISO layouts are always answered on the fixed path when valid.
                proptest::prop_assert_eq!(general, None);
            }
            proptest::prop_assert_eq!(parse_timestamp(&raw, "t").ok(), general);
        }
    }
}
