//! Redacting personal data in free text (notes, chat previews, bios).

use serde::{Deserialize, Serialize};

use super::{
    detect::{Detector, Kinds, apply_placeholders},
    finding::Finding,
};

/// A redacted text and what was found in it (kinds and byte spans in the
/// original text, never the values).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redacted {
    /// The text with every finding replaced by its placeholder (`[email]`, `[phone]`, …).
    pub text: String,
    /// What was replaced, in text order. Spans refer to the original text.
    pub found: Vec<Finding>,
}

impl Redacted {
    /// True when nothing was found (the text is unchanged).
    pub fn is_clean(&self) -> bool {
        self.found.is_empty()
    }
}

/// `Debug` shows the findings and only the length of the text: what the
/// detectors cannot see (a name in a sentence) may still be in it.
impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redacted")
            .field("text", &format_args!("<{} bytes>", self.text.len()))
            .field("found", &self.found)
            .finish()
    }
}

/// Replaces emails, phone numbers, IP addresses and street addresses in
/// `text` with `[email]`, `[phone]`, `[ip]` and `[address]`, using the
/// default [`Detector`] (US as the default phone region).
///
/// ```
/// use creator_crm::privacy::{PiiKind, redact_text};
///
/// let r = redact_text("text me at 415.555.0134 or jane@example.com, order 578123456789012345");
/// assert_eq!(r.text, "text me at [phone] or [email], order 578123456789012345");
/// assert_eq!(r.found[0].kind, PiiKind::Phone);
/// assert_eq!((r.found[0].start, r.found[0].end), (11, 23));
/// ```
pub fn redact_text(text: &str) -> Redacted {
    Detector::default().redact(text)
}

impl Detector {
    /// [`redact_text`] with this detector's region and kinds.
    pub fn redact(&self, text: &str) -> Redacted {
        let mut found = Vec::new();
        self.find_into(text, self.kinds(), &mut found);
        let text = apply(text, &found).unwrap_or_else(|| text.to_owned());
        Redacted { text, found }
    }

    /// Redacts `text` in place for `kinds`, appending findings to `found`
    /// (cleared first). Returns true when the text changed.
    pub(crate) fn redact_in_place(
        &self,
        text: &mut String,
        kinds: Kinds,
        found: &mut Vec<Finding>,
    ) -> bool {
        self.find_into(text, kinds, found);
        match apply(text, found) {
            Some(redacted) => {
                *text = redacted;
                true
            }
            None => false,
        }
    }
}

fn apply(text: &str, found: &[Finding]) -> Option<String> {
    apply_placeholders(text, found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privacy::PiiKind;

    #[test]
    fn redacts_every_kind() {
        let r = redact_text(
            "Hi! I'm jane.doe@gmail.com, +44 20 7946 0958, from 10.1.2.3, at 12 Oak Ave.",
        );
        assert_eq!(r.text, "Hi! I'm [email], [phone], from [ip], at [address]");
        let kinds: Vec<PiiKind> = r.found.iter().map(|f| f.kind).collect();
        assert_eq!(
            kinds,
            [
                PiiKind::Email,
                PiiKind::Phone,
                PiiKind::Ip,
                PiiKind::Address
            ]
        );
    }

    #[test]
    fn glued_values_are_all_found_with_original_spans() {
        let text = "+1 415 200 0000:415.200.0000 and fe80::1:2a@b.co";
        let r = redact_text(text);
        assert_eq!(r.text, "[phone]:[phone] and [ip]:[email]");
        let spans: Vec<&str> = r.found.iter().map(|f| &text[f.start..f.end]).collect();
        assert_eq!(
            spans,
            ["+1 415 200 0000", "415.200.0000", "fe80::1", "2a@b.co"]
        );
        assert!(redact_text(&r.text).is_clean());
    }

    #[test]
    fn clean_text_is_unchanged() {
        let text = "Thanks for the gift 🎁! Order 578123456789012345 ships 2024-05-01, $1,234.56.";
        let r = redact_text(text);
        assert!(r.is_clean());
        assert_eq!(r.text, text);
    }
}
