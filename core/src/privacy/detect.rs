//! Finding personal data in free text: emails, phone numbers, IP addresses
//! and street addresses.
//!
//! Detection is a hand-written byte scanner: a cheap pass decides which
//! detectors can possibly match (an email needs `@`, an IPv6 address needs
//! `:`, everything else needs a digit), then each detector looks for
//! candidates and confirms them with the authoritative parser
//! ([`std::net`] for IP addresses, `identity::phone` validity for phone
//! numbers). The scanners (`phone_scan`, `address_scan`) share only the
//! types of `finding.rs` with this module, never the other way round. Text with none of the trigger bytes costs one pass over its bytes.
//!
//! What is detected, and what is deliberately left alone, is listed on
//! [`Detector`].

use std::net::{Ipv4Addr, Ipv6Addr};

use super::{
    address_scan,
    finding::{Finding, PiiKind, is_word_byte},
    phone_scan,
};
use crate::identity::Region;

/// Which kinds a [`Detector`] looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Kinds {
    /// Email addresses.
    pub email: bool,
    /// Phone numbers.
    pub phone: bool,
    /// IPv4 and IPv6 addresses.
    pub ip: bool,
    /// Street addresses.
    pub address: bool,
}

impl Kinds {
    /// Every kind.
    pub const ALL: Kinds = Kinds {
        email: true,
        phone: true,
        ip: true,
        address: true,
    };

    /// These kinds without IP addresses (used for fields that hold version numbers).
    #[must_use]
    pub const fn without_ip(self) -> Kinds {
        Kinds { ip: false, ..self }
    }
}

impl Default for Kinds {
    fn default() -> Self {
        Kinds::ALL
    }
}

/// Finds personal data in text.
///
/// Detected (the "supported formats", each covered by the property tests):
///
/// - **Emails**: `local@domain.tld` with ASCII or UTF-8 local parts and
///   domains, any case, with `+tags`, dots, `mailto:` prefixes and
///   surrounding punctuation. Obfuscated forms (`jane at example dot com`)
///   are not detected.
/// - **Phones**: E.164 (`+14155550134`), international numbers after `+`, `00`
///   or the default region's international prefix (`011` in the US) with
///   spaces, dashes, dots or parentheses (`+44 20 7946 0958`,
///   `(+1)3159212129`), and numbers of the default region (US unless set)
///   in their usual shapes (`(415) 555-0134`, `415.555.0134`,
///   `415-555-0134`, `4155550134`, `1-415-555-0134`). A candidate counts
///   only when it is a *valid* number, as [`Phone::parse`](crate::identity::Phone::parse)
///   decides it. International numbers written without a prefix are read as
///   default-region numbers.
/// - **IP addresses**: IPv4 dotted quads and IPv6 addresses (compressed,
///   full, with embedded IPv4), confirmed by [`std::net`] parsing, also with
///   a `:port` or `/prefix` after them. A bare `1.2.3.4` is an IP address:
///   it cannot be told apart from a four-part version number, and privacy
///   wins. `v1.2.3.4` (a letter right before) is not. IPv6 needs five hex
///   digits or more (`::1` and `a::b` are left alone).
/// - **Street addresses** (best effort): a house number, one to four
///   capitalised street-name words or ordinals, and a street suffix
///   (`St`, `Ave`, `Rd`, `Blvd`, `Dr`, `Ln`, …), with an optional unit
///   (`Apt 4B`, `Suite 200`, `#12`) and an optional `, City, ST 12345` tail.
///   All-lower-case addresses (`12 main st`) are not detected, and a number
///   before a street-like phrase is taken for an address (`Top 10 Park Ave
///   restaurants` loses `10 Park Ave`).
///
/// Left alone (the false-positive corpus of the tests): prices
/// (`$1,234.56`), dates (`2024-05-01`, `05/01/2024`), ISO timestamps,
/// unix timestamps (seconds and milliseconds), long order ids and SKU ids,
/// UUIDs, percentages, decimals, three-part and `v`-prefixed version
/// numbers, times (`10:30:00`), ZIP codes on their own.
///
/// ```
/// use creator_crm::privacy::{Detector, PiiKind};
///
/// let found = Detector::default().find("mail jane@example.com or call (415) 555-0134");
/// let kinds: Vec<PiiKind> = found.iter().map(|f| f.kind).collect();
/// assert_eq!(kinds, [PiiKind::Email, PiiKind::Phone]);
/// assert_eq!(found[0].start, 5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detector {
    region: Region,
    kinds: Kinds,
}

impl Default for Detector {
    fn default() -> Self {
        Detector {
            region: Region::US,
            kinds: Kinds::ALL,
        }
    }
}

impl Detector {
    /// A detector for every kind, reading numbers without a country code as US numbers.
    pub fn new() -> Self {
        Detector::default()
    }

    /// Reads numbers written without a country code as numbers of `region`.
    #[must_use]
    pub fn with_region(mut self, region: Region) -> Self {
        self.region = region;
        self
    }

    /// Looks only for `kinds`.
    #[must_use]
    pub fn with_kinds(mut self, kinds: Kinds) -> Self {
        self.kinds = kinds;
        self
    }

    /// The kinds this detector looks for.
    pub fn kinds(&self) -> Kinds {
        self.kinds
    }

    /// The region used for numbers written without a country code.
    pub fn region(&self) -> Region {
        self.region
    }

    /// Every piece of personal data in `text`, in text order, non-overlapping.
    pub fn find(&self, text: &str) -> Vec<Finding> {
        let mut out = Vec::new();
        self.find_into(text, self.kinds, &mut out);
        out
    }

    /// Appends the findings for `kinds` in `text` to `out` (cleared first),
    /// in text order, non-overlapping. Reusing `out` avoids an allocation per call.
    ///
    /// Detection runs to a fixed point: the text with the findings replaced
    /// by placeholders is scanned again (a value glued to another one, as in
    /// `+1 415 200 0000:415.200.0000`, only shows once its neighbour is
    /// gone), so redacting a redacted text changes nothing.
    pub fn find_into(&self, text: &str, kinds: Kinds, out: &mut Vec<Finding>) {
        self.scan(text, kinds, out);
        let mut more = Vec::new();
        // Each pass removes at least one value; a few passes are plenty.
        for _ in 0..4 {
            let Some(redacted) = apply_placeholders(text, out) else {
                return;
            };
            self.scan(&redacted, kinds, &mut more);
            if more.is_empty() {
                return;
            }
            let mapped: Vec<Finding> = more
                .iter()
                .map(|f| Finding {
                    kind: f.kind,
                    start: to_original(out, f.start),
                    end: to_original(out, f.end),
                })
                .collect();
            out.extend(mapped);
            resolve_overlaps(out);
        }
    }

    /// One detection pass.
    fn scan(&self, text: &str, kinds: Kinds, out: &mut Vec<Finding>) {
        out.clear();
        let bytes = text.as_bytes();
        let triggers = bytes.iter().fold(0u8, |acc, &b| {
            acc | TRIGGERS.get(usize::from(b)).copied().unwrap_or(0)
        });
        let has_at = triggers & AT != 0;
        let has_digit = triggers & DIGIT != 0;
        let has_colon = triggers & COLON != 0;
        if kinds.email && has_at {
            find_emails(bytes, out);
        }
        if kinds.ip && has_digit {
            find_ipv4(text, out);
        }
        if kinds.ip && has_colon {
            find_ipv6(text, out);
        }
        if kinds.phone && has_digit {
            phone_scan::find_phones(text, self.region, out);
        }
        if kinds.address && has_digit {
            address_scan::find_addresses(bytes, out);
        }
        resolve_overlaps(out);
    }
}

/// `text` with each finding replaced by its placeholder; `None` when there are none.
pub(super) fn apply_placeholders(text: &str, found: &[Finding]) -> Option<String> {
    if found.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for f in found {
        out.push_str(text.get(at..f.start).unwrap_or_default());
        out.push_str(f.kind.placeholder());
        at = f.end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    Some(out)
}

/// Maps a byte offset of the placeholder text back to the original text
/// (`found`: the sorted findings that made the placeholder text). An offset
/// inside a placeholder maps to the finding's start.
fn to_original(found: &[Finding], pos: usize) -> usize {
    let mut shift: isize = 0; // original minus placeholder-text offsets so far
    for f in found {
        let start_here = f.start.checked_add_signed(-shift).unwrap_or(0);
        if pos < start_here {
            break;
        }
        let placeholder_end = start_here + f.kind.placeholder().len();
        if pos < placeholder_end {
            return f.start;
        }
        let len = isize::try_from(f.end - f.start).unwrap_or(0);
        let ph = isize::try_from(f.kind.placeholder().len()).unwrap_or(0);
        shift += len - ph;
    }
    pos.checked_add_signed(shift).unwrap_or(pos)
}

const AT: u8 = 1;
const DIGIT: u8 = 2;
const COLON: u8 = 4;

/// Which detectors a byte can wake: one table lookup per byte of text.
static TRIGGERS: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b'@' as usize] = AT;
    t[b':' as usize] = COLON;
    let mut d = b'0';
    while d <= b'9' {
        t[d as usize] = DIGIT;
        d += 1;
    }
    t
};

/// Keeps non-overlapping findings, in text order. Where two overlap, the
/// kind found first wins (emails, then IP addresses, then phones, then
/// street addresses: `192.168.10.10` is an IP address even though its digits
/// also make a valid phone number), then the earlier, then the longer.
fn resolve_overlaps(out: &mut Vec<Finding>) {
    if out.len() < 2 {
        return;
    }
    let rank = |k: PiiKind| match k {
        PiiKind::Email => 0,
        PiiKind::Ip => 1,
        PiiKind::Phone => 2,
        PiiKind::Address => 3,
    };
    out.sort_by(|a, b| {
        rank(a.kind)
            .cmp(&rank(b.kind))
            .then(a.start.cmp(&b.start))
            .then(b.end.cmp(&a.end))
    });
    let mut kept: Vec<Finding> = Vec::with_capacity(out.len());
    for f in out.drain(..) {
        if kept.iter().all(|k| f.end <= k.start || f.start >= k.end) {
            kept.push(f);
        }
    }
    kept.sort_by_key(|f| f.start);
    *out = kept;
}

fn is_local_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-') || b >= 0x80
}

fn is_domain_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-') || b >= 0x80
}

fn find_emails(bytes: &[u8], out: &mut Vec<Finding>) {
    let mut floor = 0; // no email may start before the end of the previous one
    for (at, _) in bytes.iter().enumerate().filter(|(_, b)| **b == b'@') {
        if at < floor {
            continue;
        }
        let mut start = at;
        while start > floor && bytes.get(start - 1).is_some_and(|&b| is_local_byte(b)) {
            start -= 1;
        }
        while bytes
            .get(start)
            .is_some_and(|&b| matches!(b, b'.' | b'-' | b'+'))
        {
            start += 1;
        }
        let mut end = at + 1;
        while bytes.get(end).is_some_and(|&b| is_domain_byte(b)) {
            end += 1;
        }
        while end > at + 1
            && bytes
                .get(end - 1)
                .is_some_and(|&b| matches!(b, b'.' | b'-'))
        {
            end -= 1;
        }
        let Some(local) = bytes.get(start..at) else {
            continue;
        };
        // The longest valid domain, cut before a '-' or '.' if need be
        // (`jane@example.com-2024` is `jane@example.com`).
        while end > at + 1 && !bytes.get(at + 1..end).is_some_and(valid_domain) {
            end -= 1;
            while end > at + 1 && !matches!(bytes.get(end), Some(b'-' | b'.')) {
                end -= 1;
            }
        }
        if !local.is_empty() && end > at + 1 {
            out.push(Finding {
                kind: PiiKind::Email,
                start,
                end,
            });
            floor = end;
        }
    }
}

/// A domain with at least two non-empty labels and an alphabetic (or
/// internationalised) top-level label of two characters or more.
fn valid_domain(domain: &[u8]) -> bool {
    let mut labels = 0;
    let mut last: &[u8] = &[];
    for label in domain.split(|&b| b == b'.') {
        if label.is_empty() {
            return false;
        }
        labels += 1;
        last = label;
    }
    labels >= 2
        && last.len() >= 2
        && last
            .iter()
            .all(|&b| b.is_ascii_alphabetic() || b >= 0x80 || b == b'-')
}

/// Starts of what was already found: an address ends where an email begins
/// (`1.2.3.4jane@example.com` holds both), so that redacting is idempotent.
fn found_starts(out: &[Finding]) -> Vec<usize> {
    out.iter()
        .filter(|f| f.kind == PiiKind::Email)
        .map(|f| f.start)
        .collect()
}

fn find_ipv4(text: &str, out: &mut Vec<Finding>) {
    let bytes = text.as_bytes();
    let stops = found_starts(out);
    let mut i = 0;
    while i < bytes.len() {
        let starts = bytes.get(i).is_some_and(u8::is_ascii_digit)
            && (i == 0
                || bytes
                    .get(i - 1)
                    .is_some_and(|&b| !is_word_byte(b) && b != b'.'));
        if !starts {
            i += 1;
            continue;
        }
        let mut end = i;
        while bytes
            .get(end)
            .is_some_and(|&b| b.is_ascii_digit() || b == b'.')
            && !stops.contains(&end)
        {
            end += 1;
        }
        let mut cand_end = end;
        while cand_end > i && bytes.get(cand_end - 1) == Some(&b'.') {
            cand_end -= 1;
        }
        let after_ok = cand_end != end
            || stops.contains(&end)
            || bytes.get(end).is_none_or(|&b| !is_word_byte(b));
        let candidate = text.get(i..cand_end).unwrap_or_default();
        if after_ok
            && candidate.bytes().filter(|&b| b == b'.').count() == 3
            && candidate.parse::<Ipv4Addr>().is_ok()
        {
            out.push(Finding {
                kind: PiiKind::Ip,
                start: i,
                end: cand_end,
            });
        }
        i = end.max(i + 1);
    }
}

fn is_v6_byte(b: u8) -> bool {
    b.is_ascii_hexdigit() || b == b':' || b == b'.'
}

fn find_ipv6(text: &str, out: &mut Vec<Finding>) {
    let bytes = text.as_bytes();
    let stops = found_starts(out);
    let mut i = 0;
    while i < bytes.len() {
        if bytes.get(i) != Some(&b':') {
            i += 1;
            continue;
        }
        let mut start = i;
        while start > 0 && bytes.get(start - 1).is_some_and(|&b| is_v6_byte(b)) {
            start -= 1;
        }
        let mut end = i;
        while bytes.get(end).is_some_and(|&b| is_v6_byte(b)) && !stops.contains(&end) {
            end += 1;
        }
        let before_ok = start == 0 || bytes.get(start - 1).is_some_and(|&b| !is_word_byte(b));
        let after_ok = stops.contains(&end) || bytes.get(end).is_none_or(|&b| !is_word_byte(b));
        if before_ok && after_ok {
            // Sentence punctuation after the address is not part of it; a
            // lone trailing ':' is not either (but a trailing '::' is).
            let mut cand_end = end;
            while cand_end > start && bytes.get(cand_end - 1) == Some(&b'.') {
                cand_end -= 1;
            }
            if bytes.get(cand_end.wrapping_sub(1)) == Some(&b':')
                && bytes.get(cand_end.wrapping_sub(2)) != Some(&b':')
            {
                cand_end -= 1;
            }
            let candidate = text.get(start..cand_end).unwrap_or_default();
            // Two colons and five hex digits at least (or an embedded IPv4):
            // `a::b` and `::1` are not anybody's address.
            let hex_digits = candidate.bytes().filter(u8::is_ascii_hexdigit).count();
            if candidate.bytes().filter(|&b| b == b':').count() >= 2
                && (hex_digits >= 5 || candidate.contains('.'))
                && candidate.parse::<Ipv6Addr>().is_ok()
            {
                out.push(Finding {
                    kind: PiiKind::Ip,
                    start,
                    end: cand_end,
                });
            }
        }
        i = end.max(i + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(PiiKind, &str)> {
        Detector::default()
            .find(text)
            .into_iter()
            .map(|f| (f.kind, &text[f.start..f.end]))
            .collect()
    }

    #[test]
    fn emails_in_several_shapes() {
        assert_eq!(
            kinds("write to Jane.Doe+fans@Mail.Example.co.uk."),
            [(PiiKind::Email, "Jane.Doe+fans@Mail.Example.co.uk")]
        );
        assert_eq!(
            kinds("<mailto:j_d-1@ex-ample.io>"),
            [(PiiKind::Email, "j_d-1@ex-ample.io")]
        );
        assert_eq!(
            kinds("josé@correo.es, x@y.z"),
            [(PiiKind::Email, "josé@correo.es")]
        );
        assert!(kinds("@handle and a@b and @ alone").is_empty());
    }

    #[test]
    fn ip_addresses() {
        assert_eq!(
            kinds("from 192.168.1.20:8080 and 2001:db8::8a2e:370:7334."),
            [
                (PiiKind::Ip, "192.168.1.20"),
                (PiiKind::Ip, "2001:db8::8a2e:370:7334")
            ]
        );
        assert_eq!(
            kinds("[::ffff:10.0.0.1]"),
            [(PiiKind::Ip, "::ffff:10.0.0.1")]
        );
        assert_eq!(kinds("1.2.3.4"), [(PiiKind::Ip, "1.2.3.4")]);
        assert!(kinds("v1.2.3.4 1.2.3 1.2.3.4.5 999.1.1.1 10:30:00 std::net").is_empty());
    }
}
