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

/// A run of characters that re-encodes to one UTF-8 sequence.
struct Candidate {
    /// Index of the first character.
    start: usize,
    /// Number of characters used.
    len: usize,
    /// The character the sequence encodes.
    decoded: char,
}

/// One repair pass; `None` when nothing was replaced.
///
/// A pass first finds every candidate sequence, then repairs them all, but
/// only if at least one of them is *strong* evidence of mojibake (see
/// [`is_strong`]). So `Ø»` alone (a correct letter and a quote) stays, while
/// the same pair inside a garbled Arabic word is repaired with the rest.
fn repair_once(s: &str) -> Option<String> {
    // Every repair starts at a lead byte `C2..=F4`, read as `Â..=ô`, followed by a
    // character read from a continuation byte `80..=BF`: text without such a pair (ASCII,
    // correct accented names such as `García`) has nothing to repair.
    if s.is_ascii() || !may_have_lead_then_continuation(s) || !has_lead_then_continuation(s) {
        return None;
    }
    let chars: Vec<char> = s.chars().collect();
    let mut candidates = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match decode_at(&chars, i) {
            Some((decoded, len)) => {
                candidates.push(Candidate {
                    start: i,
                    len,
                    decoded,
                });
                i += len;
            }
            None => i += 1,
        }
    }
    let strong = candidates
        .iter()
        .enumerate()
        .any(|(k, c)| is_strong(&chars, &candidates, k, c));
    if !strong {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    let mut next = candidates.iter().peekable();
    let mut i = 0;
    while let Some(&ch) = chars.get(i) {
        match next.peek() {
            Some(c) if c.start == i => {
                out.push(c.decoded);
                i += c.len;
                next.next();
            }
            _ => {
                out.push(ch);
                i += 1;
            }
        }
    }
    Some(out)
}

/// A byte-level test that is true whenever [`has_lead_then_continuation`] is: a lead
/// character `Â..=ô` is encoded `C3 82..=B4`, and a character read as a continuation byte
/// (U+0080..=U+00BF, or a Windows-1252 symbol such as `€` or `™`) is encoded starting
/// with `C2`, `C5`, `C6`, `CB` or `E2`. Correct accented text (`García`: `C3 AD 61`)
/// fails it at once.
fn may_have_lead_then_continuation(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr_iter(0xC3, b).any(|i| {
        b.get(i + 1).is_some_and(|x| (0x82..=0xB4).contains(x))
            && b.get(i + 2)
                .is_some_and(|x| matches!(x, 0xC2 | 0xC5 | 0xC6 | 0xCB | 0xE2))
    })
}

/// Whether a character read as a lead byte (`Â..=ô`) is directly followed by one read as a
/// continuation byte: the start of every candidate [`decode_at`] can find.
fn has_lead_then_continuation(s: &str) -> bool {
    let mut after_lead = false;
    for c in s.chars() {
        if after_lead && byte_of(c).is_some_and(|b| (0x80..=0xBF).contains(&b)) {
            return true;
        }
        after_lead = ('\u{C2}'..='\u{F4}').contains(&c);
    }
    false
}

/// Whether a candidate alone proves the text is mojibake:
///
/// - its lead is `Ã` or `Â` (UTF-8 of U+0080..=U+00FF: accented Latin, NBSP),
///   or it encodes a 3- or 4-byte character (`â€™`, CJK, emoji);
/// - or one of its characters is a C1 control, which correct text never holds;
/// - or it sits inside a word: followed by a letter, preceded by a lower-case
///   letter (`PaweÅ‚`), or touching another candidate (`Ð¿Ñ€Ð¸`).
///
/// A lone accented capital followed by punctuation (`JOSÉ…`, `Ø»`) is not
/// strong, so correct text of that shape stays as it is.
fn is_strong(chars: &[char], candidates: &[Candidate], k: usize, c: &Candidate) -> bool {
    let lead = chars.get(c.start).copied().unwrap_or_default();
    if c.len > 2 || lead == 'Ã' || lead == 'Â' {
        return true;
    }
    let seq = chars.get(c.start..c.start + c.len).unwrap_or_default();
    if seq.iter().any(|ch| ('\u{80}'..='\u{9F}').contains(ch)) {
        return true;
    }
    let end = c.start + c.len;
    let next_is_letter = chars.get(end).is_some_and(|ch| ch.is_alphabetic());
    let prev_is_lower = c
        .start
        .checked_sub(1)
        .and_then(|p| chars.get(p))
        .is_some_and(|ch| ch.is_lowercase());
    let touches_prev = k
        .checked_sub(1)
        .and_then(|p| candidates.get(p))
        .is_some_and(|p| p.start + p.len == c.start);
    let touches_next = candidates.get(k + 1).is_some_and(|n| n.start == end);
    next_is_letter || prev_is_lower || touches_prev || touches_next
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
    plausible(decoded).then_some((decoded, len))
}

/// Characters that mojibake of real text decodes to: letters of the common
/// scripts, punctuation, symbols and emoji. Refusing the rest (IPA, rare
/// scripts, format characters, private use) keeps look-alikes in correct text, such as
/// `É’` in `CAFÉ’S`, from being "repaired".
fn plausible(c: char) -> bool {
    let cp = u32::from(c);
    match cp {
        // C1 controls come back only from double mojibake of the bytes
        // Windows-1252 leaves undefined (`0x81`, `0x8D`, ...); the next pass
        // turns them into what they encode.
        0x0080..=0x009F => true,
        0x00A0..=0x024F => true, // Latin-1 supplement, Latin extended A/B
        0x02C6 | 0x02DC => true, // ˆ ˜: Windows-1252 characters, seen in double mojibake
        0x0300..=0x036F => true, // combining diacritics (decomposed accents)
        // Greek, Cyrillic, Hebrew, Arabic: letters only.
        0x0370..=0x052F | 0x0590..=0x06FF => c.is_alphabetic(),
        0x0800..=0xFFFF => {
            c.is_alphanumeric()
                || (0x2000..=0x206F).contains(&cp) // general punctuation: ’ “ ” – — …
                || (0x20A0..=0x20CF).contains(&cp) // currency: €
                || (0x2100..=0x2BFF).contains(&cp) // letterlike, arrows, symbols, dingbats: ™ ★ ♥ ✓
                || (0x3000..=0x303F).contains(&cp) // CJK punctuation
                || (0xFE00..=0xFE0F).contains(&cp) // variation selectors (emoji)
                || (0xFF00..=0xFFEF).contains(&cp) // full-width forms
        }
        0x1_0000.. => c.is_alphanumeric() || (0x1F000..=0x1FAFF).contains(&cp), // emoji
        _ => false,
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

/// Mojibake repaired ([`repair_text`]) and whitespace collapsed
/// ([`collapse_whitespace`]); borrowed when nothing changes.
pub(crate) fn clean_text(s: &str) -> Cow<'_, str> {
    match repair_text(s) {
        Cow::Borrowed(b) => collapse_whitespace(b),
        Cow::Owned(o) => Cow::Owned(collapse_whitespace(&o).into_owned()),
    }
}

/// Whether the only white space (`is_space`) in `items` is single plain spaces (`space`).
fn single_spaces<T: Copy + PartialEq>(
    items: impl Iterator<Item = T>,
    space: T,
    is_space: impl Fn(T) -> bool,
) -> bool {
    let mut prev_space = false;
    let mut items = items;
    items.all(|c| {
        let white = is_space(c);
        let ok = !white || (c == space && !prev_space);
        prev_space = white;
        ok
    })
}

/// [`str::trim`], returning at once when `s` starts and ends with a visible ASCII
/// character (every Unicode white space is either ASCII at or below U+0020 or not ASCII),
/// as almost every cell does once the reader has trimmed it.
pub(crate) fn trim(s: &str) -> &str {
    let visible = |b: Option<&u8>| b.is_some_and(|&b| (0x21..0x80).contains(&b));
    let b = s.as_bytes();
    if visible(b.first()) && visible(b.last()) {
        s
    } else {
        s.trim()
    }
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
    let trimmed = trim(raw);
    // Every white space outside ASCII is encoded starting with byte C2, E1, E2 or E3: text
    // without those bytes is checked byte by byte (ASCII white space is U+0009..=U+000D
    // and U+0020).
    let clean = if trimmed.is_ascii() || !trimmed.bytes().any(|b| matches!(b, 0xC2 | 0xE1..=0xE3)) {
        single_spaces(trimmed.bytes(), b' ', |b| matches!(b, b'\t'..=b'\r' | b' '))
    } else {
        single_spaces(trimmed.chars(), ' ', char::is_whitespace)
    };
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
        assert_eq!(repair_text("ÃƒËœÃ…â€š"), "Øł");
        assert_eq!(repair_text("Ã£Â\u{81}Â\u{81}"), "ぁ");
        assert_eq!(repair_text("Ã\u{a0}"), "à");
    }

    #[test]
    fn scripts_and_weak_sequences() {
        // "Иван и Мария": the lone `и` is weak alone, repaired with the rest.
        assert_eq!(repair_text("Ð˜Ð²Ð°Ð½ Ð¸ ÐœÐ°Ñ€Ð¸Ñ\u{8f}"), "Иван и Мария");
        assert_eq!(repair_text("PaweÅ‚ Å»ak"), "Paweł Żak");
        assert_eq!(repair_text("Î•Î»Î»Î¬Î´Î±"), "Ελλάδα");
        assert_eq!(repair_text("È™i"), "și");
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

    proptest::proptest! {
        /// The early return of `trim` never changes its answer.
        #[test]
        fn trim_is_str_trim(s in "[ \t\n\u{b}\u{c}\r\u{a0}\u{3000}a-z!~\u{7f}é]{0,8}") {
            proptest::prop_assert_eq!(trim(&s), s.trim());
        }

        /// Collapsing equals splitting on white space and joining with one space.
        #[test]
        fn collapse_is_split_and_join(s in "[ \t\n\u{b}\u{c}\r\u{a0}a-c]{0,12}") {
            let want = s.split_whitespace().collect::<Vec<_>>().join(" ");
            let got = collapse_whitespace(&s);
            proptest::prop_assert_eq!(got.as_ref(), want.as_str());
        }

        /// The byte-level test never misses a pair the character-level test finds.
        #[test]
        fn byte_prefilter_never_misses_a_lead_pair(
            s in "[a ÃÂÅÆËâôõ€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ\u{80}-\u{bf}íé©®±¼]{0,10}",
        ) {
            if has_lead_then_continuation(&s) {
                proptest::prop_assert!(may_have_lead_then_continuation(&s));
            }
        }

        /// Collapsing non-ASCII text answers as splitting and joining does.
        #[test]
        fn collapse_non_ascii(s in "[ \t\u{85}\u{a0}\u{1680}\u{2000}\u{2028}\u{202f}\u{205f}\u{3000}aéí€]{0,10}") {
            let want = s.split_whitespace().collect::<Vec<_>>().join(" ");
            let got = collapse_whitespace(&s);
            proptest::prop_assert_eq!(got.as_ref(), want.as_str());
        }
    }
}
