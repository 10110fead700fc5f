//! Masked phone numbers such as `(+1)832*****59`: what is visible, kept as evidence.

use compact_str::CompactString;
use std::fmt;

use super::{E164, Region, plan, region_country_code, scan::Token};

/// A phone number with hidden digits, such as `(+1)832*****59` or `***-***-1234`.
///
/// It is evidence about a number, never a key: it keeps what is visible.
/// Visible digits *between* two hidden runs (`8**-555-**59`) are not kept.
///
/// ```
/// use creator_crm::identity::{Phone, Region};
///
/// let Phone::Masked(mask) = Phone::parse("(+1)832*****59", Region::US)? else { unreachable!() };
/// assert_eq!(mask.country_code, Some(1));
/// assert_eq!((&*mask.prefix, &*mask.suffix, mask.national_len), ("832", "59", 10));
///
/// let full = Phone::parse("+1 832 555 0159", Region::US)?;
/// assert!(mask.is_consistent_with(full.e164().unwrap()));
/// # Ok::<(), creator_crm::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct MaskedPhone {
    /// Country calling code when written (`+1`), else the default region's.
    pub country_code: Option<u16>,
    /// Visible national digits before the mask.
    pub prefix: CompactString,
    /// Visible national digits after the mask.
    pub suffix: CompactString,
    /// Number of national digits, hidden ones included.
    pub national_len: usize,
}

impl MaskedPhone {
    /// True when `number` could be the number behind this mask: same country
    /// code (when known), same national length, same visible prefix and suffix.
    pub fn is_consistent_with(&self, number: &E164) -> bool {
        let national = match self.country_code {
            Some(cc) if cc != number.country_code() => return false,
            Some(_) => number.national_number(),
            // Without a country code, compare with the last digits.
            None => {
                let digits = number.as_str().trim_start_matches('+');
                match digits.len().checked_sub(self.national_len) {
                    Some(at) => digits.get(at..).unwrap_or(""),
                    None => return false,
                }
            }
        };
        national.len() == self.national_len
            && national.starts_with(&*self.prefix)
            && national.ends_with(&*self.suffix)
    }

    /// Number of hidden digits.
    pub fn hidden_len(&self) -> usize {
        self.national_len
            .saturating_sub(self.prefix.len() + self.suffix.len())
    }
}

impl fmt::Debug for MaskedPhone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MaskedPhone(<redacted>)")
    }
}

/// Longest E.164 number, in digits, country code included.
const E164_MAX_DIGITS: usize = 15;

/// Builds a [`MaskedPhone`] from lexed tokens holding at least one hidden digit.
///
/// `international` is the token slice after a written `+`, `00` or the
/// region's international prefix, or `None` for a nationally written number.
pub(super) fn build(
    tokens: &[Token],
    international: bool,
    region: Region,
) -> Result<MaskedPhone, &'static str> {
    let (cc, national) = if international {
        let (cc, rest) = split_country_code(tokens)?;
        // `+44 (0)20 7946 ****`: a trunk `0` written after the country code.
        let trunk = plan::national_prefix_for_code(cc).filter(|p| *p == "0" || cc == 1);
        (cc, strip_national_prefix(rest, cc, trunk))
    } else {
        let cc = region_country_code(region).ok_or("unknown region")?;
        (
            cc,
            strip_national_prefix(tokens, cc, region.national_prefix()),
        )
    };
    let prefix: CompactString = national.iter().map_while(digit).collect();
    let tail = national.iter().rev().map_while(digit).count();
    let suffix: CompactString = national
        .get(national.len() - tail..)
        .unwrap_or_default()
        .iter()
        .map_while(digit)
        .collect();
    if prefix.is_empty() && suffix.is_empty() {
        return Err("no visible digits");
    }
    let len = national.len();
    let cc_len = itoa::Buffer::new().format(cc).len();
    if cc == 1 {
        // North American numbering plan: always 10 national digits.
        if len < 10 {
            return Err("too few digits");
        }
        if len > 10 {
            return Err("too many digits");
        }
    } else if len < 4 {
        return Err("too few digits");
    } else if cc_len + len > E164_MAX_DIGITS {
        return Err("too many digits");
    }
    Ok(MaskedPhone {
        country_code: Some(cc),
        prefix,
        suffix,
        national_len: len,
    })
}

fn digit(t: &Token) -> Option<char> {
    match t {
        Token::Digit(d) => Some(char::from(*d)),
        Token::Hidden => None,
    }
}

/// Reads the country calling code at the start of `tokens`.
fn split_country_code(tokens: &[Token]) -> Result<(u16, &[Token]), &'static str> {
    let lead: String = tokens.iter().take(3).map_while(digit).collect();
    let (cc, rest) = plan::split_country_code(&lead).ok_or("unknown country code")?;
    let used = lead.len() - rest.len();
    Ok((cc, tokens.get(used..).unwrap_or_default()))
}

/// Drops the national (trunk) prefix: `1` of `1-832-***-**59` in North
/// America (only from 11 digits), `0` of `020 7946 ****` in the UK.
fn strip_national_prefix<'t>(tokens: &'t [Token], cc: u16, prefix: Option<&str>) -> &'t [Token] {
    let Some(prefix) = prefix else {
        return tokens;
    };
    let n = prefix.len();
    let matches = tokens.len() > n
        && tokens
            .iter()
            .zip(prefix.bytes())
            .all(|(t, p)| *t == Token::Digit(p));
    if !matches || (cc == 1 && tokens.len() != 11) {
        return tokens;
    }
    tokens.get(n..).unwrap_or(tokens)
}
