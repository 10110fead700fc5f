//! SMS encoding and segment counting, the way carriers and Twilio count.
//!
//! A message is GSM-7 when every character is in the GSM 03.38 default alphabet
//! or its extension table; one character outside both makes the whole message
//! UCS-2. GSM-7 fits 160 septets in one segment and 153 per segment once it is
//! concatenated (the user data header takes 7); an extension character costs two
//! septets (escape + code) and the pair is never split across segments. UCS-2
//! fits 70 UTF-16 code units in one segment and 67 per segment once
//! concatenated; a character outside the Basic Multilingual Plane (most emoji)
//! is a surrogate pair, two units, never split across segments.

use std::borrow::Cow;

/// The character set a message is sent in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SmsEncoding {
    /// The GSM 03.38 7-bit default alphabet with its extension table.
    Gsm7,
    /// UCS-2 (UTF-16 on the wire), for any message with a character GSM-7 lacks.
    Ucs2,
}

impl SmsEncoding {
    /// `"GSM-7"` or `"UCS-2"`, the names carriers and Twilio use.
    pub const fn as_str(self) -> &'static str {
        match self {
            SmsEncoding::Gsm7 => "GSM-7",
            SmsEncoding::Ucs2 => "UCS-2",
        }
    }

    /// Code units (septets or UTF-16 units) that fit in a message sent as one segment.
    pub const fn single_segment_units(self) -> u32 {
        match self {
            SmsEncoding::Gsm7 => 160,
            SmsEncoding::Ucs2 => 70,
        }
    }

    /// Code units per segment of a concatenated (multi-part) message.
    pub const fn multi_segment_units(self) -> u32 {
        match self {
            SmsEncoding::Gsm7 => 153,
            SmsEncoding::Ucs2 => 67,
        }
    }
}

/// How a message body is encoded and how many segments it is billed as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SmsSegments {
    /// The encoding the message is sent in.
    pub encoding: SmsEncoding,
    /// Segments the message is split into (0 for an empty body).
    pub segments: u32,
    /// Characters (Unicode scalar values) in the body.
    pub characters: u32,
    /// Code units the body takes: septets for GSM-7 (an extension character is
    /// 2), UTF-16 units for UCS-2 (a surrogate pair is 2).
    pub units: u32,
}

/// The GSM 03.38 default alphabet (one septet each), in code order.
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

/// The GSM 03.38 extension table (escape + code: two septets each).
const GSM_EXTENSION: &str = "\u{c}^{}\\[~]|€";

/// Septets `c` takes in GSM-7: 1 for the default alphabet, 2 for the extension
/// table, `None` when GSM-7 cannot carry it.
pub fn gsm7_septets(c: char) -> Option<u32> {
    if c.is_ascii() {
        // Fast path: the ASCII characters GSM-7 lacks are the controls other
        // than LF/CR/FF and ` (backtick); the extension table's ASCII members
        // cost 2.
        return match c {
            '\n' | '\r' => Some(1),
            '\u{c}' | '^' | '{' | '}' | '\\' | '[' | '~' | ']' | '|' => Some(2),
            '`' => None,
            c if c.is_ascii_control() => None,
            _ => Some(1),
        };
    }
    if GSM_BASIC.contains(c) {
        Some(1)
    } else if GSM_EXTENSION.contains(c) {
        Some(2)
    } else {
        None
    }
}

/// Whether every character of `text` can be sent in GSM-7.
pub fn is_gsm7(text: &str) -> bool {
    text.chars().all(|c| gsm7_septets(c).is_some())
}

/// The encoding and segment count of an SMS body, exactly as carriers and
/// Twilio count them.
///
/// ```
/// use creator_crm::outreach::{SmsEncoding, sms_segments};
///
/// let s = sms_segments(&"a".repeat(161));
/// assert_eq!((s.encoding, s.segments), (SmsEncoding::Gsm7, 2));
/// let s = sms_segments("Hi 👋");
/// assert_eq!((s.encoding.as_str(), s.segments, s.units), ("UCS-2", 1, 5));
/// ```
pub fn sms_segments(text: &str) -> SmsSegments {
    let characters = u32::try_from(text.chars().count()).unwrap_or(u32::MAX);
    let encoding = if is_gsm7(text) {
        SmsEncoding::Gsm7
    } else {
        SmsEncoding::Ucs2
    };
    let unit_of = |c: char| -> u32 {
        match encoding {
            SmsEncoding::Gsm7 => gsm7_septets(c).unwrap_or(1),
            SmsEncoding::Ucs2 => u32::try_from(c.len_utf16()).unwrap_or(2),
        }
    };
    let units: u32 = text.chars().map(unit_of).fold(0u32, u32::saturating_add);
    let segments = if units == 0 {
        0
    } else if units <= encoding.single_segment_units() {
        1
    } else {
        // Greedy packing: a character whose units do not fit in what is left of
        // the segment starts the next one, so nothing is ever split.
        let per = encoding.multi_segment_units();
        let mut segments = 1u32;
        let mut used = 0u32;
        for c in text.chars() {
            let u = unit_of(c);
            if used + u > per {
                segments = segments.saturating_add(1);
                used = 0;
            }
            used += u;
        }
        segments
    };
    SmsSegments {
        encoding,
        segments,
        characters,
        units,
    }
}

/// The GSM-7 stand-in Twilio's smart encoding sends for a character, if any.
fn smart_replacement(c: char) -> Option<&'static str> {
    Some(match c {
        // Double quotes.
        '\u{ab}' | '\u{bb}' | '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2ba}'
        | '\u{2ee}' | '\u{275d}' | '\u{275e}' | '\u{301d}' | '\u{301e}' | '\u{ff02}' => "\"",
        // Single quotes, apostrophes, accents used as quotes.
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2b9}' | '\u{2bb}' | '\u{2bc}'
        | '\u{2bd}' | '\u{2c8}' | '\u{2ca}' | '\u{2cb}' | '\u{b4}' | '`' | '\u{275b}'
        | '\u{275c}' | '\u{313}' | '\u{314}' | '\u{fe10}' | '\u{fe11}' | '\u{ff07}' => "'",
        '\u{2039}' => "<",
        '\u{203a}' => ">",
        // Dashes, hyphens, bullets.
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2043}' | '\u{2212}' | '\u{23bc}' | '\u{23bd}' | '\u{fe63}' | '\u{ff0d}'
        | '\u{2022}' => "-",
        // Slashes, backslashes, bars, low lines.
        '\u{f7}' | '\u{2044}' | '\u{2215}' | '\u{29f8}' | '\u{338}' | '\u{ff0f}' => "/",
        '\u{29f5}' | '\u{29f9}' | '\u{20e5}' | '\u{fe68}' | '\u{ff3c}' => "\\",
        '\u{2223}' | '\u{23b8}' | '\u{23b9}' | '\u{23d0}' | '\u{239c}' | '\u{239f}'
        | '\u{20d2}' | '\u{20d3}' | '\u{ff5c}' => "|",
        '\u{332}' | '\u{ff3f}' => "_",
        '\u{bc}' => "1/4",
        '\u{bd}' => "1/2",
        '\u{be}' => "3/4",
        '\u{2026}' => "...",
        // Spaces of every width, and invisible characters.
        '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => " ",
        '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}' => "",
        _ => return None,
    })
}

/// Replaces curly quotes, dashes, ellipses, odd spaces and their look-alikes
/// with GSM-7 equivalents, as Twilio's smart encoding does. Other characters
/// (accented letters, emoji) are kept, so a message that needs UCS-2 still
/// gets it. Borrows when nothing changes.
///
/// ```
/// use creator_crm::outreach::smart_encode;
///
/// assert_eq!(smart_encode("“Hi” — it’s here…"), "\"Hi\" - it's here...");
/// ```
pub fn smart_encode(text: &str) -> Cow<'_, str> {
    let Some(first) = text
        .char_indices()
        .find(|&(_, c)| smart_replacement(c).is_some())
    else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..first.0]);
    for c in text[first.0..].chars() {
        match smart_replacement(c) {
            Some(r) => out.push_str(r),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// How SMS bodies are prepared and checked before they are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SmsPolicy {
    /// Apply [`smart_encode`] before counting and sending.
    pub smart_encoding: bool,
    /// Warn when a body takes more than this many segments.
    pub warn_above_segments: u32,
}

impl Default for SmsPolicy {
    /// Smart encoding on, a warning past 2 segments.
    fn default() -> Self {
        SmsPolicy {
            smart_encoding: true,
            warn_above_segments: 2,
        }
    }
}

/// An SMS body as it will be sent, with its count and any warning.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PreparedSms {
    /// The body after smart encoding (when the policy asks for it).
    pub body: String,
    /// Its encoding and segments.
    pub segments: SmsSegments,
    /// Set when the body takes more segments than the policy's threshold.
    pub warning: Option<SmsWarning>,
}

/// Something about an SMS body that staff should see before sending it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SmsWarning {
    /// The body takes `segments` segments, more than the configured `limit`.
    TooManySegments {
        /// Segments the body takes.
        segments: u32,
        /// The policy's threshold.
        limit: u32,
    },
}

impl std::fmt::Display for SmsWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SmsWarning::TooManySegments { segments, limit } => {
                write!(f, "message takes {segments} segments, more than {limit}")
            }
        }
    }
}

impl SmsPolicy {
    /// Prepares `body` for sending under this policy.
    pub fn prepare(&self, body: &str) -> PreparedSms {
        let body = if self.smart_encoding {
            smart_encode(body).into_owned()
        } else {
            body.to_owned()
        };
        let segments = sms_segments(&body);
        let warning =
            (segments.segments > self.warn_above_segments).then_some(SmsWarning::TooManySegments {
                segments: segments.segments,
                limit: self.warn_above_segments,
            });
        PreparedSms {
            body,
            segments,
            warning,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alphabet_tables_have_the_standard_sizes() {
        // 128 code points minus the escape: 127 characters; 10 in the extension table
        // (form feed, ^ { } \\ [ ~ ] | and the euro sign).
        assert_eq!(GSM_BASIC.chars().count(), 127);
        assert_eq!(GSM_EXTENSION.chars().count(), 10);
        for c in GSM_BASIC.chars() {
            assert_eq!(gsm7_septets(c), Some(1), "{c:?}");
        }
        for c in GSM_EXTENSION.chars() {
            assert_eq!(gsm7_septets(c), Some(2), "{c:?}");
        }
    }

    #[test]
    fn ascii_fast_path_agrees_with_the_tables() {
        for b in 0u8..128 {
            let c = char::from(b);
            let slow = if GSM_BASIC.contains(c) {
                Some(1)
            } else if GSM_EXTENSION.contains(c) {
                Some(2)
            } else {
                None
            };
            assert_eq!(gsm7_septets(c), slow, "{c:?}");
        }
    }
}
