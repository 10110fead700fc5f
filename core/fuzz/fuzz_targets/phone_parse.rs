//! `Phone::parse` never panics, and what it returns obeys the module's laws:
//! an E.164 number re-parses to itself, batched parsing equals single parsing,
//! and a value with a mask character never becomes a full number.
#![no_main]

use creator_crm::identity::{Phone, PhoneParser, Region};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    for region in [Region::US, Region::parse("GB").unwrap_or_default()] {
        let single = Phone::parse(raw, region);
        let batched = PhoneParser::new(region).parse(raw);
        assert_eq!(
            single.as_ref().ok(),
            batched.as_ref().ok(),
            "batched differs from single"
        );
        match &single {
            Ok(Phone::E164 { number, .. }) => {
                assert!(number.as_str().starts_with('+'));
                let again = Phone::parse(number.as_str(), Region::US);
                assert_eq!(again.ok().as_ref().and_then(Phone::e164), Some(number));
                assert!(!raw.contains(['*', '•', '●']), "a masked value became a full number");
            }
            Ok(Phone::Masked(m)) => {
                assert!(m.prefix.len() + m.suffix.len() < m.national_len);
            }
            Err(e) => assert_eq!(e.field(), Some("phone")),
        }
    }
});
