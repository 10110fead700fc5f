//! `repair_text` never panics, only ever shortens text (each repair turns a
//! run of characters into one), borrows exactly when it changes nothing, and
//! leaves text without a possible lead character (`Â..=ô`) alone.
//!
//! Repair stops after three passes by design: a fixpoint loop is quadratic on
//! crafted input such as `ÂÂÂ…Â\u{82}`, where every pass peels one layer.
#![no_main]

use std::borrow::Cow;

use creator_crm::identity::{collapse_whitespace, repair_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    let repaired = repair_text(raw);
    match &repaired {
        Cow::Borrowed(same) => assert_eq!(*same, raw),
        Cow::Owned(fixed) => {
            assert_ne!(fixed, raw, "an unchanged text must come back borrowed");
            assert!(fixed.chars().count() < raw.chars().count());
        }
    }
    if !raw.chars().any(|c| ('\u{C2}'..='\u{F4}').contains(&c)) {
        assert!(matches!(repaired, Cow::Borrowed(_)));
    }

    let collapsed = collapse_whitespace(raw);
    assert_eq!(collapse_whitespace(&collapsed), collapsed);
    assert!(!collapsed.contains("  "));
});
