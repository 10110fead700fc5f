//! `repair_text` never panics, settles after its passes (repairing its own
//! output twice more changes nothing), and borrows when it changes nothing.
#![no_main]

use std::borrow::Cow;

use creator_crm::identity::{collapse_whitespace, repair_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    let once = repair_text(raw);
    if let Cow::Owned(fixed) = &once {
        assert_ne!(fixed, raw, "an unchanged text must come back borrowed");
    }
    let twice = repair_text(&once).into_owned();
    assert_eq!(repair_text(&twice), twice.as_str());

    let collapsed = collapse_whitespace(raw);
    assert_eq!(collapse_whitespace(&collapsed), collapsed);
    assert!(!collapsed.contains("  "));
});
