//! Agreement with libphonenumber on 2,378 full numbers: every region's example
//! numbers (international and national layouts), a number in every North American
//! area code, and random digit strings in US layouts. `tests/vectors/phone_bulk.json`
//! is generated from Python `phonenumbers` (the release of core's metadata, see
//! `phone_metadata` in identity.json) by `tests/vectors/phone_oracle.py --bulk`.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use creator_crm::identity::{Phone, Region};
use serde_json::Value;

/// Inputs where the result differs from libphonenumber, each for a known
/// reason. Kept exact, so a fix (or a new difference) shows up here.
const KNOWN_DIFFERENCES: &[(&str, &str, &str)] = &[];

#[test]
fn agrees_with_libphonenumber() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/phone_bulk.json");
    let cases: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(cases.len() > 2_000);
    let mut differences = Vec::new();
    for case in &cases {
        let raw = case["input"].as_str().unwrap();
        let region = case["region"].as_str().unwrap();
        let want = case["e164"].as_str();
        let got = Phone::parse(raw, Region::parse(region).unwrap());
        let got = got
            .ok()
            .and_then(|p| p.e164().map(|n| n.as_str().to_owned()));
        if got.as_deref() != want {
            differences.push((raw, region, format!("want {want:?}, got {got:?}")));
        }
    }
    let known: Vec<(&str, &str)> = KNOWN_DIFFERENCES.iter().map(|(r, g, _)| (*r, *g)).collect();
    let found: Vec<(&str, &str)> = differences.iter().map(|(r, g, _)| (*r, *g)).collect();
    assert_eq!(
        found, known,
        "differences from libphonenumber: {differences:#?}"
    );
}
