#![allow(clippy::unwrap_used, clippy::panic)]
use super::*;

fn e164(raw: &str, region: &str) -> String {
    match Phone::parse(raw, Region::parse(region).unwrap()) {
        Ok(Phone::E164 { number, .. }) => number.as_str().to_owned(),
        other => panic!("{raw:?}: expected a full number, got {other:?}"),
    }
}

fn masked(raw: &str) -> MaskedPhone {
    match Phone::parse(raw, Region::US) {
        Ok(Phone::Masked(m)) => m,
        other => panic!("{raw:?}: expected a masked number, got {other:?}"),
    }
}

fn reason(raw: &str) -> String {
    let e = Phone::parse(raw, Region::US).unwrap_err();
    assert_eq!(e.field(), Some("phone"));
    e.reason().to_owned()
}

#[test]
fn full_numbers() {
    assert_eq!(e164("(+1)3159212129", "US"), "+13159212129");
    assert_eq!(e164("+1 650-253-0000", "US"), "+16502530000");
    assert_eq!(e164("650.253.0000", "US"), "+16502530000");
    assert_eq!(e164("1 (650) 253-0000", "US"), "+16502530000");
    assert_eq!(e164("+33142764978", "US"), "+33142764978");
    assert_eq!(e164("00 44 20 7946 0958", "US"), "+442079460958");
    assert_eq!(e164("011 44 20 7946 0958", "US"), "+442079460958");
    assert_eq!(e164("020 7946 0958", "GB"), "+442079460958");
    assert_eq!(e164("+44 (0)20 7946 0958", "US"), "+442079460958");
    assert_eq!(e164("tel:+1-650-253-0000", "US"), "+16502530000");
    assert_eq!(e164("１６５０２５３００００", "US"), "+16502530000");
    assert_eq!(e164("1-800-FLOWERS", "US"), "+18003569377");
    assert_eq!(e164("++1 415 555 2671", "US"), "+14155552671");
    // Area codes opened after the `phonenumber` crate's metadata (9.0.33).
    assert_eq!(e164("(273) 234-5678", "US"), "+12732345678");
    assert_eq!(e164("+1 274 234 5678", "US"), "+12742345678");
}

#[test]
fn extensions() {
    for raw in [
        "415-555-1234 x123",
        "415 555 1234 ext. 123",
        "+14155551234;ext=123",
    ] {
        let p = Phone::parse(raw, Region::US).unwrap();
        assert_eq!(p.e164().unwrap().as_str(), "+14155551234", "{raw}");
        assert_eq!(p.extension(), Some("123"), "{raw}");
    }
    let p = Phone::parse("650-253-0000 #45", Region::US).unwrap();
    assert_eq!(p.extension(), Some("45"));
}

#[test]
fn masks() {
    let m = masked("(+1)832*****59");
    assert_eq!(
        (m.country_code, &*m.prefix, &*m.suffix, m.national_len),
        (Some(1), "832", "59", 10)
    );
    let m = masked("***-***-1234");
    assert_eq!(
        (m.country_code, &*m.prefix, &*m.suffix, m.national_len),
        (Some(1), "", "1234", 10)
    );
    let m = masked("+1 415-555-****");
    assert_eq!(
        (m.country_code, &*m.prefix, &*m.suffix, m.national_len),
        (Some(1), "415555", "", 10)
    );
    let m = masked("415-555-xx12");
    assert_eq!((&*m.prefix, &*m.suffix), ("415555", "12"));
    let m = masked("1-832-•••-••59");
    assert_eq!((&*m.prefix, &*m.suffix, m.national_len), ("832", "59", 10));
    let m = masked("+44 20 7946 ****");
    assert_eq!(
        (m.country_code, &*m.prefix, m.national_len),
        (Some(44), "207946", 10)
    );
    assert_eq!(m.hidden_len(), 4);
    let m = masked("+44 (0)20 7946 ****");
    assert_eq!(
        (m.country_code, &*m.prefix, m.national_len),
        (Some(44), "207946", 10)
    );
    let m = masked("+1 1 832 *** **59");
    assert_eq!((&*m.prefix, m.national_len), ("832", 10));
    // A leading 8 in Russia is part of the number (+7 800 …), never stripped here.
    let m = masked("+7 800 123-**-**");
    assert_eq!((&*m.prefix, m.national_len), ("800123", 10));
}

#[test]
fn mask_consistency() {
    let m = masked("(+1)832*****59");
    let yes = Phone::parse("+1 832 555 0159", Region::US).unwrap();
    let no = Phone::parse("+1 832 555 0158", Region::US).unwrap();
    let other_cc = Phone::parse("+44 20 7946 0959", Region::US).unwrap();
    assert!(m.is_consistent_with(yes.e164().unwrap()));
    assert!(!m.is_consistent_with(no.e164().unwrap()));
    assert!(!m.is_consistent_with(other_cc.e164().unwrap()));
    let anywhere = MaskedPhone {
        country_code: None,
        ..m
    };
    assert!(anywhere.is_consistent_with(yes.e164().unwrap()));
}

#[test]
fn errors() {
    assert_eq!(reason(""), "empty");
    assert_eq!(reason("   "), "empty");
    assert_eq!(reason("call me"), "contains letters");
    assert_eq!(reason("415 555 1234 a"), "contains letters");
    assert_eq!(reason("Tel 415 555 1234"), "contains letters");
    assert_eq!(reason("abc"), "contains letters");
    assert_eq!(reason("-"), "no digits");
    assert_eq!(reason("***-***-****"), "no visible digits");
    assert_eq!(reason("(+1)832****59"), "too few digits");
    assert_eq!(reason("(+1)832******59"), "too many digits");
    assert_eq!(reason("91"), "too few digits");
    assert_eq!(reason("911"), "not a valid number");
    assert_eq!(reason("555-1234"), "not a valid number");
    assert_eq!(reason("+1 555 555 5555"), "not a valid number");
    assert_eq!(reason("+86101234567"), "not a valid number");
    assert_eq!(reason("+97233142764978"), "not a valid number");
    assert_eq!(reason("+999 1234 ****"), "unknown country code");
    assert_eq!(reason("12345678901234567890"), "too many digits");
    assert_eq!(reason("415;555"), "bad character");
}

#[test]
fn accessors_and_debug_hide_the_number() {
    let p = Phone::parse("+1 650-253-0000 x12", Region::US).unwrap();
    assert_eq!(p.kind(), PhoneKind::E164);
    assert_eq!(p.country_code(), Some(1));
    assert_eq!(p.e164().unwrap().national_number(), "6502530000");
    let debug = format!("{p:?} {:?}", p.e164().unwrap());
    assert!(!debug.contains("650") && !debug.contains("12"), "{debug}");
    let m = Phone::parse("(+1)832*****59", Region::US).unwrap();
    assert_eq!(m.kind().as_str(), "masked");
    assert!(!format!("{m:?}").contains("832"));
}

#[test]
fn region_codes() {
    assert_eq!(Region::parse(" gb ").unwrap(), Region::parse("GB").unwrap());
    assert_eq!(Region::default(), Region::US);
    assert_eq!(Region::US.as_str(), "US");
    assert_eq!(Region::parse("FR").unwrap().country_code(), 33);
    assert_eq!(Region::parse("").unwrap_err().field(), Some("region"));
}

#[test]
fn batch_equals_single() {
    let raws = [
        "(+1)3159212129",
        "n/a",
        "(+1)832*****59",
        "(+1)3159212129",
        "",
        "+33142764978",
    ];
    let mut parser = PhoneParser::with_capacity(Region::US, 2);
    for raw in raws.iter().chain(raws.iter()) {
        let single = Phone::parse(raw, Region::US);
        let batched = parser.parse(raw);
        assert_eq!(single.as_ref().ok(), batched.as_ref().ok());
        assert_eq!(
            single.as_ref().err().map(|e| e.reason().to_owned()),
            batched.as_ref().err().map(|e| e.reason().to_owned())
        );
    }
    assert!(parser.cached_len() <= 2);
    assert!(!format!("{parser:?}").contains("315"));
}

#[test]
fn e164_from_str_round_trips() {
    let p = Phone::parse("(+1)3159212129", Region::US).unwrap();
    let n = p.e164().unwrap();
    assert_eq!(&n.as_str().parse::<E164>().unwrap(), n);
    for bad in [
        "",
        "+",
        "3159212129",
        "+1 315 921 2129",
        "+15555555555",
        "+1315921212a",
    ] {
        assert_eq!(
            bad.parse::<E164>().unwrap_err().field(),
            Some("phone"),
            "{bad:?}"
        );
    }
    // A national prefix written after the country code is not E.164.
    assert!("+113159212129".parse::<E164>().is_err());
}

proptest::proptest! {
    /// Digits cut out of text read as `Phone::parse` reads them written out.
    #[test]
    fn from_digits_equals_parse(
        digits in "(00|011|1)?[0-9]{6,13}",
        plus: bool,
        region in proptest::sample::select(vec!["US", "GB", "FR", "DE", "RU", "AU"]),
    ) {
        let region = Region::parse(region).unwrap();
        let text = if plus { format!("+{digits}") } else { digits.clone() };
        let parsed = Phone::parse(&text, region).map(|p| p.e164().cloned());
        let direct = E164::from_digits(&digits, plus, region).map(Some);
        proptest::prop_assert_eq!(
            parsed.map_err(|e| e.reason().to_owned()),
            direct.map_err(|e| e.reason().to_owned())
        );
    }
}

#[test]
fn cell_keys() {
    let us = PhoneKeys::new(Region::US);
    let gb = PhoneKeys::new(Region::parse("GB").unwrap());
    let mut key = String::new();
    let mut k = |keys: PhoneKeys, raw: &str| keys.key(raw, &mut key).map(|c| (c, key.clone()));
    let intl = |s: &str| Some((CellKey::International, s.to_owned()));
    let national = |s: &str| Some((CellKey::National, s.to_owned()));
    assert_eq!(k(us, "(+1)3159212129"), intl("+13159212129"));
    assert_eq!(k(us, "315-921-2129"), intl("+13159212129"));
    assert_eq!(k(us, "1 (315) 921.2129"), intl("+13159212129"));
    assert_eq!(k(us, "+44 20 7946 0958"), intl("+442079460958"));
    // Outside the North American shape, or in another region: digits as written.
    assert_eq!(k(us, "0044 20 7946 0958"), national("00442079460958"));
    assert_eq!(k(gb, "315-921-2129"), national("3159212129"));
    // Anything the parser must see itself.
    for raw in [
        "(+1)832*****59",
        "1-800-FLOWERS",
        "650 253 0000 x5",
        "++1 415",
        "",
        " - ",
    ] {
        assert_eq!(k(us, raw), None, "{raw:?}");
    }
}

proptest::proptest! {
    /// A cell's key reads as the cell does: the same number, or the same error.
    #[test]
    fn key_reads_as_the_cell(
        raw in r"\+?[ ()]{0,2}(00|011|1)?[0-9 .()-]{0,14}",
        region in proptest::sample::select(vec!["US", "CA", "GB", "FR", "RU"]),
    ) {
        let region = Region::parse(region).unwrap();
        let mut key = String::new();
        if PhoneKeys::new(region).key(&raw, &mut key).is_some() {
            let read = |s: &str| Phone::parse(s, region).map_err(|e| e.reason().to_owned());
            proptest::prop_assert_eq!(read(&key), read(&raw));
        }
    }
}
