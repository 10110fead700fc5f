//! Checks every case of the shared `tests/vectors/privacy.json`, the file the Python,
//! Node and Kotlin suites read too: JSON documents and their sanitized form (with the
//! paths and kinds removed), texts and their redacted form (with the kinds found).
//!
//! After an intended change, rewrite the expectations with
//! `CREATOR_CRM_UPDATE_VECTORS=1 cargo test -p creator-crm --test it vectors_privacy` and
//! review the diff of the JSON file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use creator_crm::privacy::{Policy, redact_text, sanitize_json};
use serde_json::{Value, json};

fn path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/privacy.json")
}

fn sanitized(input: &Value) -> Value {
    let out = sanitize_json(input.clone(), &Policy::default());
    let removed: Vec<Value> = out
        .removed
        .iter()
        .map(|r| json!({"path": r.path, "kind": r.kind.as_str()}))
        .collect();
    json!({"output": out.value, "removed": removed})
}

fn redacted(input: &Value) -> Value {
    let out = redact_text(input.as_str().unwrap());
    let found: Vec<&str> = out.found.iter().map(|f| f.kind.as_str()).collect();
    json!({"output": out.text, "found": found})
}

/// Fills or checks `output` and `removed`/`found` of every case of `section`.
fn each(doc: &mut Value, section: &str, run: fn(&Value) -> Value, update: bool) -> Vec<String> {
    let cases = doc[section].as_array_mut().unwrap();
    assert!(cases.len() >= 5, "{section}: only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let got = run(&case["input"]);
        for (key, value) in got.as_object().unwrap() {
            if update {
                case[key] = value.clone();
            } else if case[key] != *value {
                failures.push(format!(
                    "{section} {}.{key}: want {}, got {value}",
                    case["name"], case[key]
                ));
            }
        }
    }
    failures
}

#[test]
fn privacy_vectors() {
    let text = std::fs::read_to_string(path()).unwrap();
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    let update = std::env::var_os("CREATOR_CRM_UPDATE_VECTORS").is_some();
    let mut failures = each(&mut doc, "sanitize_json", sanitized, update);
    failures.extend(each(&mut doc, "redact_text", redacted, update));
    if update {
        let out = serde_json::to_string_pretty(&doc).unwrap() + "\n";
        std::fs::write(path(), out).unwrap();
        return;
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
