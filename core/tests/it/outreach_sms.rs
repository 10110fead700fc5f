//! SMS encoding and segments, as carriers and Twilio count them, and smart encoding.
#![allow(clippy::unwrap_used)]

use creator_crm::outreach::{
    SmsEncoding::{Gsm7, Ucs2},
    SmsPolicy, SmsWarning, smart_encode, sms_segments,
};
use proptest::prelude::*;

fn count(text: &str) -> (&'static str, u32, u32) {
    let s = sms_segments(text);
    (s.encoding.as_str(), s.segments, s.units)
}

#[test]
fn gsm7_boundaries() {
    assert_eq!(count(""), ("GSM-7", 0, 0));
    assert_eq!(count("a"), ("GSM-7", 1, 1));
    assert_eq!(count(&"a".repeat(160)), ("GSM-7", 1, 160));
    assert_eq!(count(&"a".repeat(161)), ("GSM-7", 2, 161));
    assert_eq!(count(&"a".repeat(306)), ("GSM-7", 2, 306));
    assert_eq!(count(&"a".repeat(307)), ("GSM-7", 3, 307));
    assert_eq!(count(&"a".repeat(459)), ("GSM-7", 3, 459));
    assert_eq!(count(&"a".repeat(460)), ("GSM-7", 4, 460));
}

#[test]
fn extension_characters_count_two_and_are_never_split() {
    for c in ['^', '{', '}', '\\', '[', '~', ']', '|', '€', '\u{c}'] {
        assert_eq!(count(&c.to_string()), ("GSM-7", 1, 2), "{c:?}");
    }
    // 80 euro signs are 160 septets: one segment; one more character makes two.
    assert_eq!(count(&"€".repeat(80)), ("GSM-7", 1, 160));
    assert_eq!(count(&format!("{}a", "€".repeat(80))), ("GSM-7", 2, 161));
    // 152 plain characters then an extension character: it does not fit in
    // the first 153-septet segment's last septet, so it moves whole to the next.
    let text = format!("{}€{}", "a".repeat(152), "a".repeat(10));
    assert_eq!(count(&text), ("GSM-7", 2, 164));
    // 152 + € at 153..154 moved + 151 more: 2 + 151 = 153 fills segment two exactly.
    let text = format!("{}€{}", "a".repeat(152), "a".repeat(151));
    assert_eq!(count(&text), ("GSM-7", 2, 305));
    let text = format!("{}€{}", "a".repeat(152), "a".repeat(152));
    assert_eq!(count(&text), ("GSM-7", 3, 306));
    // Without the split rule 306 septets would be 2 segments.
    let text = format!("{}{}", "a".repeat(153), "a".repeat(153));
    assert_eq!(count(&text), ("GSM-7", 2, 306));
}

#[test]
fn gsm_letters_that_are_not_ascii_stay_gsm7() {
    assert_eq!(count("Ça coûte 5€ à Zürich"), ("UCS-2", 1, 20)); // û is not GSM
    assert_eq!(
        count("Ça coute 5€ à Zürich, ¿sí? ñ Ø ß ΔΦΓΛΩΠΨΣΘΞ"),
        ("UCS-2", 1, 43)
    ); // í is not GSM
    assert_eq!(
        count("Ça coute 5€ à Zürich ¿ñ Ø ß ΔΦΓΛΩΠΨΣΘΞ"),
        ("GSM-7", 1, 39)
    );
}

#[test]
fn one_non_gsm_character_makes_the_message_ucs2() {
    assert_eq!(count("hello`"), ("UCS-2", 1, 6)); // backtick is not in GSM-7
    assert_eq!(count("it’s"), ("UCS-2", 1, 4));
    assert_eq!(count(&"a".repeat(70)), ("GSM-7", 1, 70));
    assert_eq!(count(&format!("{}’", "a".repeat(69))), ("UCS-2", 1, 70));
    assert_eq!(count(&format!("{}’", "a".repeat(70))), ("UCS-2", 2, 71));
    assert_eq!(count(&format!("{}’", "a".repeat(133))), ("UCS-2", 2, 134));
    assert_eq!(count(&format!("{}’", "a".repeat(134))), ("UCS-2", 3, 135));
    // Extension characters cost one unit in UCS-2.
    assert_eq!(count("€’"), ("UCS-2", 1, 2));
}

#[test]
fn emoji_are_two_units_and_never_split() {
    assert_eq!(count("👋"), ("UCS-2", 1, 2));
    assert_eq!(count(&"👋".repeat(35)), ("UCS-2", 1, 70));
    assert_eq!(count(&"👋".repeat(36)), ("UCS-2", 2, 72));
    // 66 units then an emoji: it would straddle the 67-unit boundary, so it starts segment 2.
    let text = format!("{}👋{}", "a".repeat(66), "a".repeat(65));
    assert_eq!(count(&text), ("UCS-2", 2, 133));
    let text = format!("{}👋{}", "a".repeat(66), "a".repeat(66));
    assert_eq!(count(&text), ("UCS-2", 3, 134));
    // Family emoji: 7 scalar values, 11 UTF-16 units.
    let s = sms_segments("👨‍👩‍👧‍👦");
    assert_eq!((s.encoding, s.characters, s.units), (Ucs2, 7, 11));
}

#[test]
fn smart_encoding_replaces_typographic_characters() {
    let cases = [
        ("“Hi” ‘there’", "\"Hi\" 'there'"),
        ("wait… now – or — never", "wait... now - or - never"),
        ("a\u{a0}b\u{2009}c", "a b c"),
        ("zero\u{200b}width", "zerowidth"),
        ("½ off", "1/2 off"),
        ("«quoted»", "\"quoted\""),
        ("plain text", "plain text"),
        ("emoji 👋 stays", "emoji 👋 stays"),
    ];
    for (input, expected) in cases {
        assert_eq!(smart_encode(input), expected, "{input:?}");
    }
    assert!(matches!(
        smart_encode("plain"),
        std::borrow::Cow::Borrowed(_)
    ));
    let text = "Hi Alex, it’s “live” — join now…";
    assert_eq!(sms_segments(text).encoding, Ucs2);
    assert_eq!(sms_segments(&smart_encode(text)).encoding, Gsm7);
}

#[test]
fn policy_warns_past_the_segment_threshold() {
    let policy = SmsPolicy::default();
    let short = policy.prepare("it’s short");
    assert_eq!(short.body, "it's short");
    assert_eq!(short.segments.encoding, Gsm7);
    assert_eq!(short.warning, None);
    let long = policy.prepare(&"a".repeat(307));
    assert_eq!(
        long.warning,
        Some(SmsWarning::TooManySegments {
            segments: 3,
            limit: 2
        })
    );
    assert_eq!(
        long.warning.unwrap().to_string(),
        "message takes 3 segments, more than 2"
    );
    let raw = SmsPolicy {
        smart_encoding: false,
        warn_above_segments: 1,
    }
    .prepare("it’s");
    assert_eq!((raw.body.as_str(), raw.segments.encoding), ("it’s", Ucs2));
}

/// Splits `text` into segments by the rules, as a carrier would.
fn split(text: &str) -> Vec<String> {
    let s = sms_segments(text);
    let (single, per) = match s.encoding {
        Gsm7 => (160, 153),
        Ucs2 => (70, 67),
    };
    let unit = |c: char| match s.encoding {
        Gsm7 => creator_crm::outreach::gsm7_septets(c).unwrap() as usize,
        Ucs2 => c.len_utf16(),
    };
    if s.units as usize <= single {
        return if text.is_empty() {
            vec![]
        } else {
            vec![text.to_owned()]
        };
    }
    let mut out = vec![String::new()];
    let mut used = 0;
    for c in text.chars() {
        if used + unit(c) > per {
            out.push(String::new());
            used = 0;
        }
        used += unit(c);
        out.last_mut().unwrap().push(c);
    }
    out
}

fn sms_text() -> impl Strategy<Value = String> {
    let chars = prop_oneof![
        8 => proptest::char::range('a', 'z'),
        2 => Just('€'),
        2 => Just('{'),
        1 => Just('’'),
        1 => Just('👋'),
        1 => Just('é'),
    ];
    proptest::collection::vec(chars, 0..400).prop_map(|v| v.into_iter().collect())
}

proptest! {
    /// Segments never exceed their capacity, never split a character, and
    /// the count agrees with an independent split.
    #[test]
    fn segments_are_consistent(text in sms_text()) {
        let s = sms_segments(&text);
        let parts = split(&text);
        prop_assert_eq!(parts.len() as u32, s.segments);
        prop_assert_eq!(parts.concat(), text.clone());
        let cap = if s.segments > 1 { s.encoding.multi_segment_units() } else { s.encoding.single_segment_units() };
        // A part's size in the message's encoding: a UCS-2 part that happens to hold
        // only GSM characters still travels as UTF-16 (`€` and `{` one unit, not two).
        let units = |p: &str| if s.encoding == Ucs2 { p.encode_utf16().count() as u32 } else { sms_segments(p).units };
        for p in &parts {
            prop_assert!(units(p) <= cap);
        }
        prop_assert_eq!(s.encoding == Gsm7, !text.contains(['’', '👋']));
        prop_assert!(s.segments as usize * (cap as usize) >= s.units as usize);
    }

    /// Smart encoding is idempotent and never increases the segment count of
    /// text whose only non-GSM characters it replaces.
    #[test]
    fn smart_encoding_laws(text in "[a-z “”‘’—…]{0,300}") {
        let once = smart_encode(&text).into_owned();
        prop_assert_eq!(smart_encode(&once).into_owned(), once.clone());
        prop_assert_eq!(sms_segments(&once).encoding, Gsm7);
        prop_assert!(sms_segments(&once).segments <= sms_segments(&text).segments.max(1) * 3);
    }
}
