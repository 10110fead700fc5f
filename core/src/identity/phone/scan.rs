//! Reading a raw phone string into digits, mask marks and an extension,
//! before any number plan is consulted.
//!
//! This step is what keeps masked numbers away from `phonenumber::parse`,
//! which would drop the mask characters and read the rest as a (wrong) number.

use compact_str::CompactString;
use smallvec::SmallVec;

/// Tokens a number keeps inline: written phone numbers have at most 15 digits, plus a few
/// of a trunk or international prefix.
const INLINE_TOKENS: usize = 24;

/// One significant character of the number part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Token {
    /// A digit, as its ASCII byte.
    Digit(u8),
    /// A hidden digit (`*`, `x`, `•`, `#`, ...).
    Hidden,
}

/// A raw phone string, lexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Scanned {
    /// A `+` was written before the first digit.
    pub plus: bool,
    /// Digits and hidden digits of the number part, separators removed (inline, without
    /// an allocation, up to [`INLINE_TOKENS`]).
    pub tokens: SmallVec<[Token; INLINE_TOKENS]>,
    /// Extension digits (`x123`, `ext. 5`, `#45`, `;ext=12`).
    pub extension: Option<CompactString>,
}

impl Scanned {
    /// True when at least one digit is hidden.
    pub fn is_masked(&self) -> bool {
        self.tokens.contains(&Token::Hidden)
    }

    /// The visible digits as ASCII text (only meaningful when not masked); inline, with
    /// no allocation, for any number short enough to be one.
    pub fn digits(&self) -> CompactString {
        self.tokens
            .iter()
            .filter_map(|t| match t {
                Token::Digit(d) => Some(char::from(*d)),
                Token::Hidden => None,
            })
            .collect()
    }
}

/// Longest extension kept, in digits (libphonenumber's limit is 7 for `x`, more for `ext`).
const MAX_EXTENSION_DIGITS: usize = 10;

/// Lexes `raw`. Errors are reasons for `Error::invalid("phone", …)`.
pub(super) fn scan(raw: &str) -> Result<Scanned, &'static str> {
    let mut s = raw.trim();
    if s.is_empty() {
        return Err("empty");
    }
    if let Some(rest) = strip_prefix_ignore_case(s, "tel:") {
        s = rest.trim_start();
    }
    let (number, extension) = split_extension(s);

    let vanity = is_vanity(number);
    let mut plus = false;
    let mut tokens = SmallVec::new();
    let mut letters = false;
    let mut bad = false;
    for c in number.chars() {
        if let Some(d) = digit_value(c) {
            tokens.push(Token::Digit(b'0' + d));
        } else if let Some(d) = keypad_digit(c).filter(|_| vanity) {
            tokens.push(Token::Digit(d));
        } else if is_mask(c) {
            tokens.push(Token::Hidden);
        } else if c == '+' || c == '\u{FF0B}' {
            // Only before the first digit (`++1 …` is `+1 …`, as libphonenumber reads it).
            if !tokens.is_empty() {
                bad = true;
            }
            plus = true;
        } else if is_separator(c) {
        } else if c.is_alphabetic() {
            letters = true;
        } else {
            bad = true;
        }
    }
    if letters {
        return Err("contains letters");
    }
    if bad {
        return Err("bad character");
    }
    Ok(Scanned {
        plus,
        tokens,
        extension: extension.map(CompactString::new),
    })
}

/// Whether `number` is a vanity number such as `1-800-FLOWERS`: it starts with a
/// digit (after a `+` and separators), its letters are Latin, and at least three of
/// them are not the `x` that marks hidden digits (libphonenumber's rule for reading
/// letters as keypad digits is three letters). `415-555-xx12` stays a mask and
/// `call me` a note.
fn is_vanity(number: &str) -> bool {
    let starts_with_digit = number
        .chars()
        .find(|c| !(is_separator(*c) || matches!(c, '+' | '\u{FF0B}')))
        .is_some_and(|c| digit_value(c).is_some());
    let letters = number.chars().filter(|c| c.is_alphabetic());
    let mut keypad = 0;
    for c in letters {
        if !c.is_ascii_alphabetic() {
            return false;
        }
        if !c.eq_ignore_ascii_case(&'x') {
            keypad += 1;
        }
    }
    starts_with_digit && keypad >= 3
}

/// The telephone keypad digit of a Latin letter (`ABC` 2 … `WXYZ` 9), as an ASCII byte.
fn keypad_digit(c: char) -> Option<u8> {
    let digit = match c.to_ascii_uppercase() {
        'A'..='C' => b'2',
        'D'..='F' => b'3',
        'G'..='I' => b'4',
        'J'..='L' => b'5',
        'M'..='O' => b'6',
        'P'..='S' => b'7',
        'T'..='V' => b'8',
        'W'..='Z' => b'9',
        _ => return None,
    };
    Some(digit)
}

/// The value of an ASCII, full-width or Arabic-Indic decimal digit.
fn digit_value(c: char) -> Option<u8> {
    let base = match c {
        '0'..='9' => '0',
        '\u{FF10}'..='\u{FF19}' => '\u{FF10}',
        '\u{0660}'..='\u{0669}' => '\u{0660}',
        '\u{06F0}'..='\u{06F9}' => '\u{06F0}',
        _ => return None,
    };
    u8::try_from(u32::from(c) - u32::from(base)).ok()
}

/// Characters that exports use in place of hidden digits.
fn is_mask(c: char) -> bool {
    matches!(
        c,
        '*' | 'x' | 'X' | '#' | '?' | '•' | '●' | '∗' | '✱' | '_' | '＊'
    )
}

/// Punctuation written between digit groups.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '.' | '·' | '(' | ')' | '[' | ']' | '/' | '\u{2010}'
                ..='\u{2015}' | '\u{2212}' | '\u{00AD}'
        )
}

/// ASCII-case-insensitive `strip_prefix`.
fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| s.get(prefix.len()..))
        .flatten()
}

/// ASCII-case-insensitive `strip_suffix`.
fn strip_suffix_ignore_case<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let at = s.len().checked_sub(suffix.len())?;
    let tail = s.get(at..)?;
    tail.eq_ignore_ascii_case(suffix)
        .then(|| s.get(..at))
        .flatten()
}

/// Splits a trailing extension off: `… x123`, `… ext. 5`, `… extension 12`,
/// `… #45`, `…;ext=12`.
///
/// A single `x` followed by digits is an extension; a run such as `xx12` or
/// `***-x123` is a mask, so the character before the marker must be a digit,
/// a closing bracket or whitespace, and the number part must hold a digit.
fn split_extension(s: &str) -> (&str, Option<&str>) {
    let body = s.trim_end();
    let digits_start = body
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit())
        .last()
        .map(|(i, _)| i);
    let Some(digits_start) = digits_start else {
        return (s, None);
    };
    let (head, ext) = body.split_at(digits_start);
    if ext.len() > MAX_EXTENSION_DIGITS {
        return (s, None);
    }
    let head = head.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ':' | '='));
    const MARKERS: [&str; 6] = [";ext", "extension", "ext", "ex", "x", "#"];
    for marker in MARKERS {
        let Some(number) = strip_suffix_ignore_case(head, marker) else {
            continue;
        };
        let before_ok = number
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit() || c.is_whitespace() || c == ')');
        let number_has_digit = number.chars().any(|c| c.is_ascii_digit());
        // `x123` after a mask is part of the mask unless clearly separated.
        let after_mask = number.trim_end().chars().next_back().is_some_and(is_mask);
        if before_ok && number_has_digit && !after_mask {
            return (number.trim_end(), Some(ext));
        }
        return (s, None);
    }
    (s, None)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn ext(s: &str) -> (String, Option<String>) {
        let (n, e) = split_extension(s);
        (n.to_owned(), e.map(str::to_owned))
    }

    #[test]
    fn extensions() {
        assert_eq!(
            ext("415-555-1234 x123"),
            ("415-555-1234".into(), Some("123".into()))
        );
        assert_eq!(
            ext("415-555-1234x123"),
            ("415-555-1234".into(), Some("123".into()))
        );
        assert_eq!(
            ext("650-253-0000 ext. 5"),
            ("650-253-0000".into(), Some("5".into()))
        );
        assert_eq!(
            ext("650-253-0000 EXT 5"),
            ("650-253-0000".into(), Some("5".into()))
        );
        assert_eq!(
            ext("650-253-0000 extension 12"),
            ("650-253-0000".into(), Some("12".into()))
        );
        assert_eq!(
            ext("650-253-0000 #45"),
            ("650-253-0000".into(), Some("45".into()))
        );
        assert_eq!(
            ext("+16502530000;ext=12"),
            ("+16502530000".into(), Some("12".into()))
        );
    }

    #[test]
    fn masks_are_not_extensions() {
        assert_eq!(ext("415-555-xx12").1, None);
        assert_eq!(ext("415-555-x123").1, None);
        assert_eq!(ext("***-***-1234").1, None);
        assert_eq!(ext("###-###-1234").1, None);
        assert_eq!(ext("x123").1, None);
        assert_eq!(ext("(+1)832*****59").1, None);
    }

    #[test]
    fn tokens() {
        let s = scan("(+1)832*****59").unwrap();
        assert!(s.plus && s.is_masked());
        assert_eq!(s.tokens.len(), 11);
        let s = scan("１６５０ ２５３ ００００").unwrap();
        assert_eq!(s.digits(), "16502530000");
        assert_eq!(scan("1-800-FLOWERS").unwrap().digits(), "18003569377");
        assert_eq!(scan("1 800 got junk").unwrap().digits(), "18004685865");
        assert_eq!(scan("++1 415 555 2671").unwrap().digits(), "14155552671");
        assert_eq!(scan("call me"), Err("contains letters"));
        assert_eq!(scan("415 555 1234 a"), Err("contains letters"));
        assert_eq!(scan("Tel 415 555 1234"), Err("contains letters"));
        assert_eq!(scan("415 555 Ж234 abc"), Err("contains letters"));
        assert!(scan("415-555-xx12").unwrap().is_masked());
        assert!(scan("XXX-XXX-1234").unwrap().is_masked());
        assert_eq!(scan("650 253 0000 !"), Err("bad character"));
        assert_eq!(scan("650+253"), Err("bad character"));
        assert_eq!(scan(" \t"), Err("empty"));
    }
}
