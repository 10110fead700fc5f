//! TikTok handles.
//!
//! A handle is the creator's key. It arrives as `name`, `@Name`, ` @name `, or
//! as a profile URL (`https://www.tiktok.com/@name?lang=en`,
//! `tiktok.com/@name/video/123`) and is normalized to lower case.
//!
//! A handle is public, so unlike the other identity types its `Debug` shows
//! the value. Error reasons still never quote it.

use compact_str::CompactString;
use std::{fmt, str::FromStr};

use crate::error::{Error, Result};

/// Shortest valid handle, in characters.
pub const HANDLE_MIN_LEN: usize = 2;
/// Longest valid handle, in characters.
pub const HANDLE_MAX_LEN: usize = 24;

const FIELD: &str = "handle";

/// A normalized TikTok username: lower case, `[a-z0-9._]`, 2–24 chars, not ending in `.`.
///
/// The only way to get one is [`Handle::parse`], so every `Handle` is valid.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct Handle(CompactString);

impl Handle {
    /// Parses a username, `@name`, or profile URL (`https://www.tiktok.com/@name?lang=en`).
    ///
    /// Surrounding whitespace and one leading `@` are dropped and the result is
    /// lower-cased. A URL must point at a TikTok profile (`tiktok.com/@name…`);
    /// the path after the name, the query and the fragment are ignored.
    ///
    /// ```
    /// use creator_crm::identity::Handle;
    ///
    /// assert_eq!(Handle::parse(" @Maria.Cruz ")?.as_str(), "maria.cruz");
    /// assert_eq!(Handle::parse("https://www.tiktok.com/@Maria_C?lang=en")?.as_str(), "maria_c");
    /// assert_eq!(Handle::parse("tiktok.com/@maria_c/video/7312")?.as_str(), "maria_c");
    ///
    /// let err = Handle::parse("m").unwrap_err();
    /// assert_eq!((err.field(), err.reason()), (Some("handle"), "too short"));
    /// # Ok::<(), creator_crm::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) on field `handle`, with
    /// one of the reasons `empty`, `not a tiktok profile url`, `bad character`,
    /// `too short`, `too long`, `ends with dot`.
    pub fn parse(raw: &str) -> Result<Handle> {
        let mut out = String::new();
        Handle::normalize_into(raw, &mut out)?;
        Ok(Handle(CompactString::new(&out)))
    }

    /// Writes the normalized handle of `raw` into `out` (cleared first), as
    /// [`Handle::parse`] reads it, without allocating a `Handle`: for looking a creator
    /// up by handle on every row.
    pub(crate) fn normalize_into(raw: &str, out: &mut String) -> Result<()> {
        out.clear();
        let trimmed = super::trim(raw);
        if trimmed.is_empty() {
            return Err(Error::invalid(FIELD, "empty"));
        }
        // The common case, a bare name (`@Ana.B`): only handle characters after an
        // optional `@`, so no scheme, path or port, and a URL only if it is a bare TikTok
        // host. Same answers as the general path below, without its searches.
        let bare = trimmed.strip_prefix('@').unwrap_or(trimmed);
        let name = if push_lower_name(bare, out) && !is_tiktok_host(trimmed) {
            bare
        } else {
            out.clear();
            let name = match profile_url_name(trimmed) {
                Some(name) => name,
                None => general_name(trimmed)?,
            };
            if !push_lower_name(name, out) {
                return Err(Error::invalid(FIELD, "bad character"));
            }
            name
        };
        check_shape(name)
    }

    /// A handle from text [`Handle::normalize_into`] produced.
    pub(crate) fn from_normalized(name: &str) -> Handle {
        Handle(CompactString::new(name))
    }

    /// The normalized handle, without `@`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Appends `name` lower-cased to `out` when every byte is a handle character; false (and
/// nothing appended) otherwise.
fn push_lower_name(name: &str, out: &mut String) -> bool {
    if !name.bytes().all(is_name_byte) {
        return false;
    }
    let start = out.len();
    out.push_str(name);
    if let Some(pushed) = out.get_mut(start..) {
        pushed.make_ascii_lowercase();
    }
    true
}

/// The name in the common profile URL shape, `http[s]://[sub.]tiktok.com/@name[/?#…]`
/// (the host in any case), read in one pass; `None` for anything else, which
/// [`general_name`] reads (to the same name: a proptest holds them together).
fn profile_url_name(s: &str) -> Option<&str> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))?;
    let slash = rest
        .bytes()
        .position(|b| matches!(b, b'/' | b'?' | b'#' | b':'))?;
    let (host, path) = (rest.get(..slash)?, rest.get(slash..)?);
    if !is_tiktok_host(host) {
        return None;
    }
    let name = path.strip_prefix("/@")?;
    let end = name
        .bytes()
        .position(|b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(name.len());
    name.get(..end)
}

/// The name in a trimmed, non-empty handle cell, validated, not yet lower-cased: a profile
/// URL's name, else the cell without one leading `@`.
fn general_name(trimmed: &str) -> Result<&str> {
    let name = if looks_like_url(trimmed) {
        profile_name(trimmed).ok_or_else(|| Error::invalid(FIELD, "not a tiktok profile url"))?
    } else {
        trimmed.strip_prefix('@').unwrap_or(trimmed)
    };
    validate(name)?;
    Ok(name)
}

/// Checks the characters and length of a name with `@` and URL already removed.
fn validate(name: &str) -> Result<()> {
    if !name.is_empty() && !name.bytes().all(is_name_byte) {
        return Err(Error::invalid(FIELD, "bad character"));
    }
    check_shape(name)
}

/// The checks of [`validate`] after the characters: length and the final dot.
fn check_shape(name: &str) -> Result<()> {
    if name.is_empty() {
        return Err(Error::invalid(FIELD, "empty"));
    }
    // Only ASCII is left, so bytes are characters.
    if name.len() < HANDLE_MIN_LEN {
        return Err(Error::invalid(FIELD, "too short"));
    }
    if name.len() > HANDLE_MAX_LEN {
        return Err(Error::invalid(FIELD, "too long"));
    }
    if name.ends_with('.') {
        return Err(Error::invalid(FIELD, "ends with dot"));
    }
    Ok(())
}

/// A byte a handle may hold (before lower-casing).
fn is_name_byte(b: u8) -> bool {
    NAME_BYTES.get(usize::from(b)).copied().unwrap_or(false)
}

/// [`is_name_byte`] as a table: ASCII letters, digits, `.` and `_`.
const NAME_BYTES: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || c == b'.' || c == b'_';
        b += 1;
    }
    t
};

/// A scheme, a path, or a bare TikTok host: the value is meant as a URL.
fn looks_like_url(s: &str) -> bool {
    s.contains('/') || is_tiktok_host(host_of(s))
}

/// `s` split around its first `://` (found through its colons: cheaper than a substring
/// searcher on text this short).
fn split_scheme(s: &str) -> Option<(&str, &str)> {
    let at = s
        .match_indices(':')
        .map(|(i, _)| i)
        .find(|&i| s.get(i..).is_some_and(|t| t.starts_with("://")))?;
    Some((s.get(..at)?, s.get(at + 3..)?))
}

/// The host part of `s` (scheme, path, query, fragment and port removed).
fn host_of(s: &str) -> &str {
    let rest = split_scheme(s).map_or(s, |(_, r)| r);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = rest.get(..end).unwrap_or(rest);
    host.split_once(':').map_or(host, |(h, _)| h)
}

fn is_tiktok_host(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    host.eq_ignore_ascii_case("tiktok.com")
        || host
            .len()
            .checked_sub(".tiktok.com".len())
            .and_then(|i| host.get(i..))
            .is_some_and(|tail| tail.eq_ignore_ascii_case(".tiktok.com"))
}

/// The `name` of `…tiktok.com/@name…`, or `None` when the URL is not a TikTok profile.
fn profile_name(url: &str) -> Option<&str> {
    let rest = split_scheme(url).map_or(url, |(_, r)| r);
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    if !is_tiktok_host(host_of(rest)) {
        return None;
    }
    let path = rest.get(host_end..)?.strip_prefix('/')?;
    let name = path.strip_prefix('@')?;
    let end = name.find(['/', '?', '#']).unwrap_or(name.len());
    name.get(..end)
}

impl FromStr for Handle {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        Handle::parse(s)
    }
}

/// Deserializing validates: a stored handle is parsed like any input.
impl<'de> serde::Deserialize<'de> for Handle {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let raw = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Handle::parse(&raw).map_err(serde::de::Error::custom)
    }
}

impl AsRef<str> for Handle {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Handle").field(&&*self.0).finish()
    }
}

/// [`Handle::parse`] returning the normalized text.
///
/// ```
/// assert_eq!(creator_crm::identity::normalize_handle("@Foo")?, "foo");
/// # Ok::<(), creator_crm::Error>(())
/// ```
///
/// # Errors
/// As [`Handle::parse`].
pub fn normalize_handle(raw: &str) -> Result<String> {
    Handle::parse(raw).map(|h| h.as_str().to_owned())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn ok(raw: &str) -> String {
        Handle::parse(raw).unwrap().as_str().to_owned()
    }

    fn reason(raw: &str) -> String {
        let e = Handle::parse(raw).unwrap_err();
        assert_eq!(e.field(), Some("handle"));
        assert_eq!(e.kind(), crate::ErrorKind::InvalidInput);
        e.reason().to_owned()
    }

    #[test]
    fn plain_and_at_forms() {
        assert_eq!(ok("foo"), "foo");
        assert_eq!(ok("@Foo"), "foo");
        assert_eq!(ok("  @Foo_Bar.9 \t"), "foo_bar.9");
        assert_eq!(ok("ab"), "ab");
        assert_eq!(ok(&"a".repeat(24)), "a".repeat(24));
        assert_eq!(ok("._x"), "._x");
    }

    #[test]
    fn profile_urls() {
        assert_eq!(ok("https://www.tiktok.com/@name?lang=en"), "name");
        assert_eq!(ok("tiktok.com/@name/video/123"), "name");
        assert_eq!(ok("www.tiktok.com/@Name/"), "name");
        assert_eq!(ok("http://m.tiktok.com/@Name#top"), "name");
        assert_eq!(ok("HTTPS://WWW.TIKTOK.COM/@Name"), "name");
        assert_eq!(ok("https://www.tiktok.com:443/@name"), "name");
    }

    #[test]
    fn precise_reasons() {
        assert_eq!(reason(""), "empty");
        assert_eq!(reason("   "), "empty");
        assert_eq!(reason("@"), "empty");
        assert_eq!(reason("a"), "too short");
        assert_eq!(reason(&"a".repeat(25)), "too long");
        assert_eq!(reason("foo."), "ends with dot");
        assert_eq!(reason("foo bar"), "bad character");
        assert_eq!(reason("@@foo"), "bad character");
        assert_eq!(reason("josé"), "bad character");
        assert_eq!(
            reason("https://instagram.com/@foo"),
            "not a tiktok profile url"
        );
        assert_eq!(
            reason("https://vm.tiktok.com/ZMabc/"),
            "not a tiktok profile url"
        );
        assert_eq!(reason("tiktok.com"), "not a tiktok profile url");
        assert_eq!(reason("https://www.tiktok.com/@"), "empty");
        assert_eq!(reason("https://www.tiktok.com/@a"), "too short");
        assert_eq!(reason("eviltiktok.com/@foo"), "not a tiktok profile url");
    }

    #[test]
    fn errors_never_quote_the_value() {
        let e = Handle::parse("secret value!").unwrap_err();
        assert!(!e.to_string().contains("secret"));
    }

    #[test]
    fn from_str_and_debug() {
        let h: Handle = "@Foo".parse().unwrap();
        assert_eq!(format!("{h:?}"), "Handle(\"foo\")");
        assert_eq!(normalize_handle("@Foo").unwrap(), "foo");
    }

    #[test]
    fn serde_round_trip_validates() {
        let h: Handle = serde_json::from_str("\"@Foo\"").unwrap();
        assert_eq!(serde_json::to_string(&h).unwrap(), "\"foo\"");
        let err = serde_json::from_str::<Handle>("\"a\"").unwrap_err();
        assert_eq!(err.to_string(), "invalid handle: too short");
    }

    proptest::proptest! {
        /// The bare-name and profile-URL shortcuts of `normalize_into` answer as the
        /// general path does.
        #[test]
        fn bare_name_shortcut_agrees_with_the_general_path(
            raw in "[ @]{0,2}[a-zA-Z0-9._@:/?#-]{0,30}|(www\\.)?[tT]ik[tT]ok\\.com\\.?|(https?://|HTTPS://|ftp://)?((www|m|vm|x@)\\.)?([tT]ik[tT]ok|example)\\.com\\.?(:[0-9]{2})?(/@?[a-zA-Z0-9._@-]{0,26}([/?#:][a-z=@]{0,5})?)?",
        ) {
            let mut out = String::new();
            let fast = Handle::normalize_into(&raw, &mut out).map(|()| out.clone());
            let trimmed = raw.trim();
            let general = if trimmed.is_empty() {
                Err(Error::invalid(FIELD, "empty"))
            } else {
                general_name(trimmed).map(str::to_ascii_lowercase)
            };
            proptest::prop_assert_eq!(
                fast.map_err(|e| e.reason().to_owned()),
                general.map_err(|e| e.reason().to_owned())
            );
        }
    }
}
