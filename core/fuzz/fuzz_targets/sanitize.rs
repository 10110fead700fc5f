//! Fuzzes the privacy sanitizer and text redaction: no panics, findings
//! in bounds and on character boundaries, redaction idempotent.
//!
//! Run with `cargo fuzz run sanitize` from `core/` (nightly).
#![no_main]

use creator_crm::privacy::{Policy, redact_text, sanitize_json};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };

    // Free text.
    let r = redact_text(text);
    let mut last_end = 0;
    for f in &r.found {
        assert!(f.start >= last_end && f.start < f.end && f.end <= text.len());
        assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
        last_end = f.end;
    }
    assert!(redact_text(&r.text).is_clean(), "redaction is not idempotent");

    // JSON documents, and the text as a JSON string value.
    let policy = Policy::default();
    let docs = [
        serde_json::from_str::<serde_json::Value>(text).ok(),
        Some(serde_json::Value::String(text.to_owned())),
    ];
    for doc in docs.into_iter().flatten() {
        let once = sanitize_json(doc, &policy);
        let twice = sanitize_json(once.value.clone(), &policy);
        assert_eq!(twice.value, once.value, "sanitizing is not idempotent");
        assert!(twice.removed.is_empty());
    }
});
