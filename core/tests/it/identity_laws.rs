//! Laws of the identity module, checked on generated inputs.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::borrow::Cow;

use creator_crm::identity::{
    Email, Handle, PersonName, Phone, PhoneKind, PhoneParser, PostalAddress, Region, Zip,
    collapse_whitespace, repair_text, us_state_code,
};
use proptest::prelude::*;

fn regions() -> impl Strategy<Value = Region> {
    prop::sample::select(vec![
        "US", "GB", "FR", "DE", "CA", "MX", "BR", "IN", "RU", "AU",
    ])
    .prop_map(|r| Region::parse(r).unwrap())
}

/// Strings shaped like phone cells: digits, separators, `+`, masks, extension markers.
fn phone_like() -> impl Strategy<Value = String> {
    prop_oneof![
        "[+(]{0,2}[0-9]{0,3}[) ]{0,2}[0-9 ().*xX#•-]{0,18}( ?(x|ext\\.?|#) ?[0-9]{1,5})?",
        "\\(\\+1\\)[2-9][0-9]{2}[0-9*]{5}[0-9]{2}",
        "[2-9][0-9]{2}[-. ][2-9][0-9]{2}[-. ][0-9]{4}",
        "\\+[1-9][0-9]{6,13}",
        "(00|011) ?[1-9][0-9 ]{6,14}",
        any::<String>(),
    ]
}

/// Words of realistic names and notes: ASCII, accented Latin, Greek, Cyrillic,
/// CJK, kana, emoji, numbers. Latin words are capitalized or lower case, as
/// names are; non-ASCII words have two letters or more: a lone garbled letter
/// such as `Ð¸` (`и`) or `Å“` (`œ`) reads as correct text too, and is left
/// alone by design.
fn realistic_text() -> impl Strategy<Value = String> {
    // `Ã`/`Â` start no real word, and `Ãœ` *is* the mojibake of `Ü`.
    let upper = "[A-ZÀÁÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝŁŚŹŻČŘŠŽŒ]";
    // Lower-case `š`, `ž`, `œ` are left out: after an accented capital they
    // form exactly the mojibake of a Latin Extended letter (`Äš` is `Ě`).
    let lower = "[a-zàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßłśźżčř]";
    let latin = format!("{upper}{lower}{{1,9}}|{lower}{{2,10}}");
    let patterns = [
        latin.as_str(),
        "[A-Za-z]{1,10}",
        "[α-ω]{2,8}|[Α-ΡΣ-Ω][α-ω]{1,7}",
        "[а-я]{2,8}|[А-Я][а-я]{1,7}",
        "[\u{4E00}-\u{9FA5}]{1,4}",
        "[\u{3041}-\u{3093}\u{30A1}-\u{30F3}]{1,5}",
        "[\u{1F600}-\u{1F64F}\u{1F389}\u{2764}\u{2728}]{1,3}",
        "[0-9]{1,5}",
    ];
    let word =
        prop::strategy::Union::new(patterns.map(|p| proptest::string::string_regex(p).unwrap()));
    let punctuated = (
        prop::sample::select(vec!["", "¿", "¡", "«", "“", "(", "'"]),
        word,
        prop::sample::select(vec![
            "", "?", "!", "»", "”", ")", ",", ".", "…", "’s", " —", " –", " €",
        ]),
    )
        .prop_map(|(a, w, b)| format!("{a}{w}{b}"));
    prop::collection::vec(punctuated, 0..8).prop_map(|words| words.join(" "))
}

/// UTF-8 bytes of `text` read as Windows-1252: the mojibake exports produce.
fn garble(text: &str) -> String {
    encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(text.as_bytes())
        .0
        .into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn handle_normalization_is_idempotent(raw in prop_oneof![
        "[ @]{0,2}[A-Za-z0-9._]{0,26}[ ]?",
        "(https?://)?(www\\.)?tiktok\\.com/@[A-Za-z0-9._]{0,26}(/video/[0-9]{1,5})?(\\?lang=en)?",
        any::<String>(),
    ]) {
        if let Ok(h) = Handle::parse(&raw) {
            prop_assert_eq!(&Handle::parse(h.as_str()).unwrap(), &h);
            prop_assert_eq!(&Handle::parse(&format!("@{}", h.as_str())).unwrap(), &h);
            let url = format!("https://www.tiktok.com/@{}?lang=en", h.as_str());
            prop_assert_eq!(&Handle::parse(&url).unwrap(), &h);
        }
    }

    #[test]
    fn email_normalization_is_idempotent(raw in prop_oneof![
        " ?[A-Za-z0-9._+'-]{0,12}@[A-Za-z0-9.-]{0,12}(\\.[A-Za-z]{2,3})? ?",
        any::<String>(),
    ]) {
        if let Ok(Some(e)) = Email::parse(&raw) {
            prop_assert_eq!(Email::parse(e.as_str()).unwrap(), Some(e));
        }
    }

    #[test]
    fn e164_reparses_to_itself_in_any_region(raw in phone_like(), region in regions(), other in regions()) {
        if let Ok(Phone::E164 { number, .. }) = Phone::parse(&raw, region) {
            prop_assert!(number.as_str().starts_with('+'));
            let again = Phone::parse(number.as_str(), other).unwrap();
            prop_assert_eq!(again.e164(), Some(&number));
            prop_assert_eq!(again.extension(), None);
        }
    }

    #[test]
    fn a_masked_phone_never_yields_a_number(
        raw in phone_like(),
        at in any::<prop::sample::Index>(),
        mask in prop::sample::select(vec!["*", "•", "XX", "##", "xxx"]),
        region in regions(),
    ) {
        // Hide visible digits, as exports do. A single `x` or `#` between
        // digits reads as an extension (`0000x12`), so those hide a run.
        let digits: Vec<usize> = raw.char_indices().filter(|(_, c)| c.is_ascii_digit()).map(|(i, _)| i).collect();
        prop_assume!(!digits.is_empty());
        let i = digits[at.index(digits.len())];
        let hidden = format!("{}{}{}", &raw[..i], mask, &raw[i + 1..]);
        if let Ok(p) = Phone::parse(&hidden, region) {
            prop_assert_eq!(p.kind(), PhoneKind::Masked);
            prop_assert!(p.e164().is_none());
        }
    }

    #[test]
    fn a_masked_phone_is_consistent_with_the_number_it_hides(
        national in "[2-9][0-9]{2}[2-9][0-9]{6}",
        start in 0usize..10,
        len in 1usize..10,
    ) {
        let full = Phone::parse(&format!("+1{national}"), Region::US);
        prop_assume!(full.is_ok());
        let full = full.unwrap();
        let end = (start + len).min(10);
        let masked_text: String = national
            .chars()
            .enumerate()
            .map(|(i, c)| if (start..end).contains(&i) { '*' } else { c })
            .collect();
        prop_assume!(masked_text.chars().any(|c| c.is_ascii_digit()));
        let masked = Phone::parse(&format!("(+1){masked_text}"), Region::US).unwrap();
        prop_assert!(masked.masked().unwrap().is_consistent_with(full.e164().unwrap()));
    }

    #[test]
    fn batched_phones_equal_single_ones(raws in prop::collection::vec(phone_like(), 0..40), region in regions()) {
        let mut parser = PhoneParser::with_capacity(region, 8);
        for raw in raws.iter().chain(raws.iter()) {
            let single = Phone::parse(raw, region).map_err(|e| e.reason().to_owned());
            let batched = parser.parse(raw).map_err(|e| e.reason().to_owned());
            prop_assert_eq!(single, batched);
        }
    }

    #[test]
    fn nothing_panics(raw in any::<String>(), region in regions()) {
        let _ = Handle::parse(&raw);
        let _ = Email::parse(&raw);
        let _ = Phone::parse(&raw, region);
        let _ = repair_text(&raw);
        let _ = collapse_whitespace(&raw);
        let _ = PersonName::from_full(&raw);
        let _ = PersonName::from_parts(&raw, &raw);
        let _ = us_state_code(&raw);
        let _ = Zip::parse(&raw);
        let _ = PostalAddress::parse_one_line(&raw);
        let _ = PostalAddress::from_parts(&raw, &raw, &raw, &raw, &raw, &raw);
    }

    #[test]
    fn nothing_panics_on_phone_like_text(raw in phone_like(), region in regions()) {
        let _ = Phone::parse(&raw, region);
    }

    #[test]
    fn repair_leaves_correct_text_alone(text in realistic_text()) {
        let repaired = repair_text(&text);
        prop_assert!(matches!(repaired, Cow::Borrowed(_)), "{:?} became {:?}", text, repaired);
        prop_assert_eq!(repaired, text.as_str());
    }

    #[test]
    fn repair_undoes_single_and_double_mojibake(text in realistic_text()) {
        let once = garble(&text);
        prop_assert_eq!(repair_text(&once), text.as_str());
        let twice = garble(&once);
        prop_assert_eq!(repair_text(&twice), text.as_str());
    }

    #[test]
    fn repair_only_shortens_and_borrows_when_unchanged(raw in any::<String>()) {
        // Repair makes at most three passes by design (a fixpoint loop is
        // quadratic on crafted input), so the law is about each call.
        match repair_text(&raw) {
            Cow::Borrowed(same) => prop_assert_eq!(same, raw.as_str()),
            Cow::Owned(fixed) => {
                prop_assert_ne!(&fixed, &raw);
                prop_assert!(fixed.chars().count() < raw.chars().count());
            }
        }
    }

    #[test]
    fn collapse_whitespace_is_idempotent_and_clean(raw in any::<String>()) {
        let once = collapse_whitespace(&raw).into_owned();
        prop_assert_eq!(collapse_whitespace(&once), once.as_str());
        prop_assert!(!once.contains("  "));
        prop_assert_eq!(once.trim(), once.as_str());
    }
}
