//! Text repair: mojibake and whitespace.
//!
//! Mojibake here is UTF-8 text whose bytes were decoded as Windows-1252 (or
//! Latin-1), so `é` (bytes `C3 A9`) shows as `Ã©`. The repair is local: each
//! run of characters that re-encodes to **one complete, well-formed UTF-8
//! sequence** is replaced by the character it encodes; everything else is left
//! alone. Correct text practically never contains such a run (it takes an
//! accented capital such as `Ã` directly followed by a symbol such as `©`), so
//! `Ñandú`, a lone `Ã`, CJK and emoji come back unchanged, and borrowed. Text
//! garbled twice (`MÃƒÂ¼ller`) is repaired by repeating the pass.

use std::borrow::Cow;

/// Most passes made; text garbled three times over is not seen in practice.
const MAX_PASSES: usize = 3;

/// Repairs mojibake (UTF-8 read as cp1252 or Latin-1, once or twice): `JosÃ© MartÃ­nez` → `José Martínez`.
/// Text that is already right comes back unchanged (borrowed).
///
/// ```
/// use std::borrow::Cow;
/// use creator_crm::identity::repair_text;
///
/// assert_eq!(repair_text("JosÃ© MartÃ­nez"), "José Martínez");
/// assert_eq!(repair_text("MÃƒÂ¼ller"), "Müller");
/// assert_eq!(repair_text("Itâ€™s ðŸ˜€"), "It’s 😀");
/// assert!(matches!(repair_text("Ñandú 東京 🎉"), Cow::Borrowed("Ñandú 東京 🎉")));
/// ```
pub fn repair_text(raw: &str) -> Cow<'_, str> {
    let mut text = Cow::Borrowed(raw);
    for _ in 0..MAX_PASSES {
        match repair_once(&text) {
            Some(fixed) => text = Cow::Owned(fixed),
            None => break,
        }
    }
    text
}

/// One repair pass; `None` when nothing was replaced.
fn repair_once(s: &str) -> Option<String> {
    // Every repair starts at a lead byte `C2..=F4`, read as `Â..=ô`.
    if s.is_ascii() || !s.chars().any(|c| ('\u{C2}'..='\u{F4}').contains(&c)) {
        return None;
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out: Option<String> = None;
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if let Some((fixed, used)) = decode_at(&chars, i) {
            let out = out.get_or_insert_with(|| chars.iter().take(i).collect());
            out.push(fixed);
            i += used;
        } else {
            if let Some(out) = out.as_mut() {
                out.push(c);
            }
            i += 1;
        }
    }
    out
}

/// If the characters at `i` re-encode to one well-formed UTF-8 sequence for
/// a plausible character, that character and how many input chars it used.
fn decode_at(chars: &[char], i: usize) -> Option<(char, usize)> {
    let lead = byte_of(*chars.get(i)?)?;
    let len = match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let mut bytes = [lead, 0, 0, 0];
    for (k, slot) in bytes.iter_mut().enumerate().take(len).skip(1) {
        let b = byte_of(*chars.get(i + k)?)?;
        if !(0x80..=0xBF).contains(&b) {
            return None;
        }
        *slot = b;
    }
    let decoded = std::str::from_utf8(bytes.get(..len)?)
        .ok()?
        .chars()
        .next()?;
    plausible(decoded, len).then_some((decoded, len))
}

/// Characters that mojibake of real text decodes to. Refusing the rest (C1
/// controls, private use, unassigned-looking code points) keeps accidental
/// look-alikes in correct text from being "repaired".
fn plausible(c: char, len: usize) -> bool {
    let cp = u32::from(c);
    match len {
        2 => !c.is_control(),
        3 => {
            c.is_alphanumeric()
                || (0x2000..=0x206F).contains(&cp) // general punctuation: ’ “ ” – — …
                || (0x20A0..=0x20CF).contains(&cp) // currency: €
                || (0x2100..=0x2BFF).contains(&cp) // letterlike, arrows, symbols, dingbats: ™ ★ ♥ ✓
                || (0x3000..=0x303F).contains(&cp) // CJK punctuation
                || (0xFE00..=0xFE0F).contains(&cp) // variation selectors (emoji)
                || (0xFF00..=0xFFEF).contains(&cp) // full-width forms
        }
        _ => c.is_alphanumeric() || (0x1F000..=0x1FAFF).contains(&cp), // emoji, symbols
    }
}

/// The byte a character came from when bytes were decoded as Windows-1252,
/// or as Latin-1 (which maps `0x80..=0x9F` to C1 controls). `None` for
/// characters neither decoding produces.
fn byte_of(c: char) -> Option<u8> {
    if let Ok(b) = u8::try_from(u32::from(c)) {
        return Some(b);
    }
    let b = match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    };
    Some(b)
}

/// Trims and collapses every run of whitespace to one space.
///
/// Every Unicode white space counts (tabs, newlines, no-break spaces, ...).
/// Borrows when nothing but trimming is needed.
///
/// ```
/// use creator_crm::identity::collapse_whitespace;
/// assert_eq!(collapse_whitespace("  Maria \t de\u{a0}la\n Cruz "), "Maria de la Cruz");
/// ```
pub fn collapse_whitespace(raw: &str) -> Cow<'_, str> {
    let trimmed = raw.trim();
    let mut prev_space = false;
    let clean = trimmed.chars().all(|c| {
        let ok = !c.is_whitespace() || (c == ' ' && !prev_space);
        prev_space = c.is_whitespace();
        ok
    });
    if clean {
        return Cow::Borrowed(trimmed);
    }
    let mut out = String::with_capacity(trimmed.len());
    for word in trimmed.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn borrowed(s: &str) -> bool {
        matches!(repair_text(s), Cow::Borrowed(b) if b == s)
    }

    #[test]
    fn repairs_single_and_double_mojibake() {
        assert_eq!(repair_text("JosÃ© MartÃ\u{AD}nez"), "José Martínez");
        assert_eq!(repair_text("MÃƒÂ¼ller"), "Müller");
        assert_eq!(repair_text("FranÃ§ois"), "François");
        assert_eq!(repair_text("SÃ£o Paulo"), "São Paulo");
        assert_eq!(
            repair_text("BjÃ¶rk GuÃ°mundsdÃ³ttir"),
            "Björk Guðmundsdóttir"
        );
        assert_eq!(repair_text("Ã‰milie"), "Émilie");
        assert_eq!(repair_text("naÃ¯ve cafÃ©"), "naïve café");
        assert_eq!(repair_text("â‚¬5 â€“ â€œhiâ€\u{9d}"), "€5 – “hi”");
        assert_eq!(repair_text("æ\u{9d}±äº¬"), "東京");
        assert_eq!(repair_text("ðŸŽ‰ party"), "🎉 party");
        assert_eq!(repair_text("Ã\u{a0}"), "à");
    }

    #[test]
    fn mixed_right_and_wrong() {
        assert_eq!(repair_text("José MartÃ\u{AD}nez"), "José Martínez");
        assert_eq!(repair_text("😀 JosÃ©"), "😀 José");
    }

    #[test]
    fn leaves_correct_text_alone() {
        for s in [
            "",
            "plain ascii",
            "José Martínez",
            "Ñandú",
            "Ã",
            "Ãlvaro",
            "SÃO PAULO",
            "Müller",
            "東京タワー",
            "🎉🎉",
            "Zoë «Çà et là»",
            "¿Qué?",
            "ß",
            "naïve café",
            "Œuvre",
            "It’s “quoted” — ok…",
            "€100",
            "Å×Ø",
            "Ω≈ç√∫",
        ] {
            assert!(borrowed(s), "{s:?} changed to {:?}", repair_text(s));
        }
    }

    #[test]
    fn windows_1252_table_agrees_with_encoding_rs() {
        for b in 0x80u8..=0xFF {
            let bytes = [b];
            let (decoded, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
            for c in decoded.chars() {
                assert_eq!(byte_of(c), Some(b), "{c:?}");
            }
        }
    }

    #[test]
    fn collapses_whitespace() {
        assert_eq!(collapse_whitespace("  a  b\t\nc  "), "a b c");
        assert_eq!(collapse_whitespace("a\u{a0}b"), "a b");
        assert_eq!(collapse_whitespace("   "), "");
        assert!(matches!(collapse_whitespace(" a b "), Cow::Borrowed("a b")));
        assert!(matches!(collapse_whitespace("a b"), Cow::Borrowed("a b")));
    }
}
