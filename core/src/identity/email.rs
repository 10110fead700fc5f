//! Email addresses.
//!
//! The syntax check is deliberately pragmatic, not RFC 5322: exports hold
//! addresses people typed, and the questions are "is this usable as a
//! contact?" and "is it a placeholder?". Quoted local parts, comments and IP
//! literals are refused; internationalized (non-ASCII) letters are accepted.

use compact_str::CompactString;
use std::fmt;

use crate::error::{Error, Result};

const FIELD: &str = "email";

/// Values that mean "no email" when they are the whole cell.
const PLACEHOLDER_VALUES: &[&str] = &[
    "-",
    "--",
    "---",
    ".",
    "?",
    "0",
    "n/a",
    "n.a.",
    "na",
    "n / a",
    "none",
    "null",
    "nil",
    "nan",
    "undefined",
    "unknown",
    "no",
    "no email",
    "noemail",
    "no-email",
    "not provided",
    "tbd",
    "x",
    "xx",
    "xxx",
];

/// Local parts that mark an address nobody reads.
const PLACEHOLDER_LOCALS: &[&str] = &[
    "noreply",
    "no-reply",
    "no_reply",
    "donotreply",
    "do-not-reply",
    "do_not_reply",
    "noemail",
    "no-email",
    "none",
    "null",
    "na",
    "n/a",
];

/// Domains reserved for examples and tests (RFC 2606) or commonly typed as filler.
const PLACEHOLDER_DOMAINS: &[&str] = &[
    "example.com",
    "example.org",
    "example.net",
    "test.com",
    "email.invalid",
    "none.com",
    "noemail.com",
    "domain.com",
];

/// Top-level domains that never deliver mail (RFC 2606, RFC 6761).
const RESERVED_TLDS: &[&str] = &["example", "test", "invalid", "localhost", "local"];

/// Local parts of shared team inboxes (see [`Email::is_role_inbox`]).
const ROLE_LOCALS: &[&str] = &[
    "admin",
    "billing",
    "booking",
    "bookings",
    "business",
    "collab",
    "collabs",
    "contact",
    "hello",
    "help",
    "hi",
    "info",
    "inquiries",
    "mail",
    "management",
    "marketing",
    "media",
    "office",
    "partnerships",
    "pr",
    "press",
    "sales",
    "support",
    "team",
];

/// A normalized (trimmed, lower-case), syntactically valid email that is not a placeholder.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(CompactString);

impl Email {
    /// Parses an email. `Ok(None)` for placeholders (`n/a`, `none`, `-`, `test@test.com`, `noreply@…`, empty).
    ///
    /// The value is trimmed, a `mailto:` prefix is dropped and the address is
    /// lower-cased. Placeholders are recognised before the syntax check, so
    /// `n/a` is `Ok(None)` rather than an error.
    ///
    /// ```
    /// use creator_crm::identity::Email;
    ///
    /// assert_eq!(Email::parse(" Maria@Example.ORG.mx ")?.unwrap().as_str(), "maria@example.org.mx");
    /// assert_eq!(Email::parse("n/a")?, None);
    /// assert_eq!(Email::parse("noreply@shop.com")?, None);
    ///
    /// let err = Email::parse("maria@").unwrap_err();
    /// assert_eq!((err.field(), err.reason()), (Some("email"), "empty domain"));
    /// # Ok::<(), creator_crm::Error>(())
    /// ```
    ///
    /// # Errors
    /// `InvalidInput` on field `email` for bad syntax, with reasons such as
    /// `missing @`, `more than one @`, `empty local part`, `empty domain`,
    /// `domain has no dot`, `bad character in local part`, `bad domain label`,
    /// `contains whitespace`, `too long`.
    pub fn parse(raw: &str) -> Result<Option<Email>> {
        let trimmed = raw.trim();
        let trimmed = strip_mailto(trimmed).trim();
        let lower = trimmed.to_lowercase();
        if is_placeholder_value(&lower) {
            return Ok(None);
        }
        let (local, domain) = check_syntax(&lower).map_err(|r| Error::invalid(FIELD, r))?;
        if is_placeholder_address(local, domain) {
            return Ok(None);
        }
        // A trailing dot on the domain (`b.co.`) is the same host: drop it.
        let mut text = CompactString::with_capacity(local.len() + 1 + domain.len());
        text.push_str(local);
        text.push('@');
        text.push_str(domain);
        Ok(Some(Email(text)))
    }

    /// The normalized address.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after `@`.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, d)| d)
    }

    /// The part before `@`.
    pub fn local_part(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(l, _)| l)
    }

    /// True for a shared team inbox such as `info@…`, `hello@…`, `support@…`:
    /// valid, but a poor key, since several creators may share it.
    ///
    /// ```
    /// use creator_crm::identity::Email;
    /// assert!(Email::parse("Hello@agency.com")?.unwrap().is_role_inbox());
    /// assert!(!Email::parse("maria@agency.com")?.unwrap().is_role_inbox());
    /// # Ok::<(), creator_crm::Error>(())
    /// ```
    pub fn is_role_inbox(&self) -> bool {
        let local = self.local_part();
        let base = local.split('+').next().unwrap_or(local);
        ROLE_LOCALS.contains(&base)
    }
}

/// As its normalized text.
impl serde::Serialize for Email {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Deserializing validates: a stored email is parsed like any input, and a placeholder
/// is refused.
impl<'de> serde::Deserialize<'de> for Email {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let raw = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        match Email::parse(&raw) {
            Ok(Some(e)) => Ok(e),
            Ok(None) => Err(serde::de::Error::custom("invalid email: placeholder email")),
            Err(e) => Err(serde::de::Error::custom(e)),
        }
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Email(<redacted>)")
    }
}

fn strip_mailto(s: &str) -> &str {
    match s.get(..7) {
        Some(head) if head.eq_ignore_ascii_case("mailto:") => s.get(7..).unwrap_or(""),
        _ => s,
    }
}

fn is_placeholder_value(lower: &str) -> bool {
    lower.is_empty() || PLACEHOLDER_VALUES.contains(&lower)
}

fn is_placeholder_address(local: &str, domain: &str) -> bool {
    let base = local.split('+').next().unwrap_or(local);
    if PLACEHOLDER_LOCALS.contains(&base) || PLACEHOLDER_DOMAINS.contains(&domain) {
        return true;
    }
    let tld = domain.rsplit('.').next().unwrap_or(domain);
    if RESERVED_TLDS.contains(&tld) {
        return true;
    }
    // `test@test.com`-style filler: the local part repeats the domain's name.
    let name = domain.split('.').next().unwrap_or(domain);
    matches!(base, "test" | "email" | "fake" | "asdf") && base == name
}

/// Longest address (RFC 5321 path limit).
const MAX_LEN: usize = 254;
/// Longest local part (RFC 5321).
const MAX_LOCAL_LEN: usize = 64;
/// Longest domain label (RFC 1035).
const MAX_LABEL_LEN: usize = 63;

/// The symbols a local part may hold besides letters and digits.
const LOCAL_SYMBOLS: &str = "!#$%&'*+/=?^_`{|}~.-";

/// The ASCII bytes a local part may hold: letters, digits and [`LOCAL_SYMBOLS`].
const LOCAL_ASCII: [bool; 128] = {
    let mut t = [false; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    let symbols = LOCAL_SYMBOLS.as_bytes();
    let mut i = 0;
    while i < symbols.len() {
        t[symbols[i] as usize] = true;
        i += 1;
    }
    t
};

/// Checks a trimmed, lower-cased address and splits it at `@`.
fn check_syntax(s: &str) -> Result<(&str, &str), &'static str> {
    if s.chars().any(char::is_whitespace) {
        return Err("contains whitespace");
    }
    let (local, domain) = match s.split_once('@') {
        None => return Err("missing @"),
        Some((_, d)) if d.contains('@') => return Err("more than one @"),
        Some(parts) => parts,
    };
    if local.is_empty() {
        return Err("empty local part");
    }
    if domain.is_empty() {
        return Err("empty domain");
    }
    if s.len() > MAX_LEN || local.len() > MAX_LOCAL_LEN {
        return Err("too long");
    }
    let local_ok = if local.is_ascii() {
        local
            .bytes()
            .all(|b| LOCAL_ASCII.get(usize::from(b)) == Some(&true))
    } else {
        local
            .chars()
            .all(|c| c.is_alphanumeric() || LOCAL_SYMBOLS.contains(c))
    };
    if !local_ok {
        return Err("bad character in local part");
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err("misplaced dot in local part");
    }
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    if !domain.contains('.') {
        return Err("domain has no dot");
    }
    for label in domain.split('.') {
        let label_ok = !label.is_empty()
            && label.len() <= MAX_LABEL_LEN
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-');
        if !label_ok {
            return Err("bad domain label");
        }
    }
    let tld = domain.rsplit('.').next().unwrap_or("");
    if tld.chars().count() < 2 || tld.chars().all(|c| c.is_ascii_digit()) {
        return Err("bad top-level domain");
    }
    Ok((local, domain))
}

/// [`Email::parse`] returning the normalized text.
///
/// ```
/// use creator_crm::identity::normalize_email;
/// assert_eq!(normalize_email(" Foo@Bar.com ")?.as_deref(), Some("foo@bar.com"));
/// assert_eq!(normalize_email("none")?, None);
/// # Ok::<(), creator_crm::Error>(())
/// ```
///
/// # Errors
/// As [`Email::parse`].
pub fn normalize_email(raw: &str) -> Result<Option<String>> {
    Email::parse(raw).map(|e| e.map(|e| e.as_str().to_owned()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn ok(raw: &str) -> Option<String> {
        normalize_email(raw).unwrap()
    }

    fn reason(raw: &str) -> String {
        let e = Email::parse(raw).unwrap_err();
        assert_eq!(e.field(), Some("email"));
        e.reason().to_owned()
    }

    #[test]
    fn normalizes() {
        assert_eq!(ok(" Foo@Bar.com ").as_deref(), Some("foo@bar.com"));
        assert_eq!(ok("MAILTO:Foo@Bar.com").as_deref(), Some("foo@bar.com"));
        assert_eq!(
            ok("first.last+tag@sub.domain.co.uk").as_deref(),
            Some("first.last+tag@sub.domain.co.uk")
        );
        assert_eq!(ok("josé@correo.es").as_deref(), Some("josé@correo.es"));
        assert_eq!(ok("a@b.co.").as_deref(), Some("a@b.co"));
    }

    #[test]
    fn placeholders() {
        for raw in [
            "",
            "  ",
            "n/a",
            "N/A",
            "na",
            "none",
            "NULL",
            "-",
            "test@test.com",
            "noreply@shop.com",
            "no-reply@tiktok.com",
            "someone@example.com",
            "a@foo.test",
            "no-reply+x@shop.com",
        ] {
            assert_eq!(ok(raw), None, "{raw:?}");
        }
    }

    #[test]
    fn syntax_errors() {
        assert_eq!(reason("foo@"), "empty domain");
        assert_eq!(reason("@bar.com"), "empty local part");
        assert_eq!(reason("foo"), "missing @");
        assert_eq!(reason("foo@bar@baz.com"), "more than one @");
        assert_eq!(reason("foo bar@baz.com"), "contains whitespace");
        assert_eq!(reason("foo@bar"), "domain has no dot");
        assert_eq!(reason("foo@bar..com"), "bad domain label");
        assert_eq!(reason("foo@-bar.com"), "bad domain label");
        assert_eq!(reason("foo@bar.c"), "bad top-level domain");
        assert_eq!(reason("foo@1.2.3.4"), "bad top-level domain");
        assert_eq!(reason(".foo@bar.com"), "misplaced dot in local part");
        assert_eq!(reason("fo,o@bar.com"), "bad character in local part");
        assert_eq!(reason(&format!("{}@bar.com", "a".repeat(65))), "too long");
    }

    #[test]
    fn role_inbox_and_debug() {
        let e = Email::parse("Info+shop@brand.com").unwrap().unwrap();
        assert!(e.is_role_inbox());
        assert_eq!(e.domain(), "brand.com");
        assert_eq!(e.local_part(), "info+shop");
        assert_eq!(format!("{e:?}"), "Email(<redacted>)");
    }
}
