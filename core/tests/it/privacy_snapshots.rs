//! Snapshots of the sanitizer on the sample supporter document
//! (`tests/data/supporter_sample.json`, also the benchmark input): the
//! sanitized document and its removal report.
#![allow(clippy::unwrap_used, missing_docs)]

use creator_crm::privacy::{Policy, redact_text, sanitize_json};
use serde_json::{Value, json};

const SAMPLE: &str = include_str!("../data/supporter_sample.json");

#[test]
fn sanitized_sample_document() {
    let doc: Value = serde_json::from_str(SAMPLE).unwrap();
    let out = sanitize_json(doc, &Policy::default());
    insta::assert_json_snapshot!("sanitized_sample", out.value);
    insta::assert_json_snapshot!("sanitized_sample_report", out.removed);
}

#[test]
fn allow_list_on_the_sample() {
    let doc: Value = serde_json::from_str(SAMPLE).unwrap();
    let policy = Policy::new().allow_only([
        "supporter.id",
        "supporter.display_name",
        "supporter.contact",
        "score",
        "items[*].title",
        "chat_preview.text",
    ]);
    let out = sanitize_json(doc, &policy);
    insta::assert_json_snapshot!(
        "allow_listed_sample",
        json!({"value": out.value, "removed": out.removed})
    );
}

#[test]
fn redacted_chat_preview() {
    let r = redact_text(
        "omg loved the stream!! text me at 415.555.0134 or jane.doe@gmail.com, \
         I'm at 123 Main St, Austin, TX 78701 (ip 198.51.100.7). order 578123456789012345",
    );
    insta::assert_json_snapshot!("redacted_chat_preview", r);
}
