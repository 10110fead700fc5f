//! Checks every vector of the shared `tests/vectors/identity.json`, the file
//! the Python, Node and Kotlin suites read too.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::PathBuf;

use creator_crm::{
    Error,
    identity::{Phone, Region, normalize_email, normalize_handle, repair_text},
};
use serde_json::{Value, json};

fn vectors() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/identity.json");
    let text = std::fs::read_to_string(&path).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn section<'a>(all: &'a Value, name: &str) -> &'a [Value] {
    let list = all[name].as_array().unwrap();
    assert!(list.len() >= 25, "{name}: only {} vectors", list.len());
    list
}

/// The expectation of a vector as `Ok(output)` or `Err((kind, field))`.
fn expected(v: &Value) -> Result<Value, (String, String)> {
    match v.get("error") {
        Some(kind) => Err((
            kind.as_str().unwrap().to_owned(),
            v["field"].as_str().unwrap().to_owned(),
        )),
        None => Ok(v["output"].clone()),
    }
}

fn actual(r: Result<Value, Error>) -> Result<Value, (String, String)> {
    r.map_err(|e| {
        (
            e.kind().as_str().to_owned(),
            e.field().unwrap_or("").to_owned(),
        )
    })
}

fn check(name: &str, vectors: &[Value], run: impl Fn(&Value) -> Result<Value, Error>) {
    let failures: Vec<String> = vectors
        .iter()
        .filter_map(|v| {
            let (want, got) = (expected(v), actual(run(v)));
            (want != got).then(|| format!("{name} {}: want {want:?}, got {got:?}", v["input"]))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn input(v: &Value) -> &str {
    v["input"].as_str().unwrap()
}

#[test]
fn handle_vectors() {
    let all = vectors();
    check("handle", section(&all, "handle"), |v| {
        normalize_handle(input(v)).map(Value::from)
    });
}

#[test]
fn email_vectors() {
    let all = vectors();
    check("email", section(&all, "email"), |v| {
        normalize_email(input(v)).map(Value::from)
    });
}

#[test]
fn repair_text_vectors() {
    let all = vectors();
    check("repair_text", section(&all, "repair_text"), |v| {
        Ok(Value::from(repair_text(input(v)).into_owned()))
    });
}

/// A phone as the vectors write it; a masked one also says what is visible.
fn phone_json(p: &Phone) -> Value {
    let mut out = json!({
        "kind": p.kind().as_str(),
        "e164": p.e164().map(|n| n.as_str()),
        "country_code": p.country_code(),
        "extension": p.extension(),
    });
    if let (Some(m), Some(fields)) = (p.masked(), out.as_object_mut()) {
        fields.insert("masked_prefix".into(), json!(&*m.prefix));
        fields.insert("masked_suffix".into(), json!(&*m.suffix));
        fields.insert("national_length".into(), json!(m.national_len));
    }
    out
}

#[test]
fn phone_vectors() {
    let all = vectors();
    check("phone", section(&all, "phone"), |v| {
        let region = Region::parse(v["region"].as_str().unwrap()).unwrap();
        Phone::parse(input(v), region).map(|p| phone_json(&p))
    });
}

/// A dotted release number (`9.0.43`) as numbers, so `9.0.100` sorts after `9.0.43`.
fn release(version: &str) -> Vec<u32> {
    version
        .split('.')
        .map(|part| {
            part.parse()
                .unwrap_or_else(|_| panic!("release {version:?}"))
        })
        .collect()
}

#[test]
fn phone_metadata_is_not_older_than_the_vectors() {
    let all = vectors();
    let oracle = all["phone_metadata"]["version"].as_str().unwrap();
    let ours = creator_crm::identity::phone_metadata_version();
    assert!(
        release(ours) >= release(oracle),
        "phone metadata {ours} is older than the vectors' libphonenumber {oracle}: \
         regenerate core/src/identity/phone/metadata.xml (tests/vectors/phone_oracle.py --metadata)"
    );
}

#[test]
fn release_numbers_compare_as_numbers() {
    assert!(release("9.0.100") > release("9.0.43"));
    assert!(release("9.0.42") < release("9.0.43"));
    assert!(release("10.0.0") > release("9.9.99"));
}

#[test]
fn phone_vectors_batched_equal_single() {
    let all = vectors();
    let list = section(&all, "phone");
    let raws: Vec<&str> = list
        .iter()
        .filter(|v| v["region"] == "US")
        .map(input)
        .collect();
    let batched = creator_crm::identity::parse_phones(&raws, Region::US);
    for (raw, got) in raws.iter().zip(batched) {
        let single = Phone::parse(raw, Region::US);
        assert_eq!(
            actual(got.map(|p| phone_json(&p))),
            actual(single.map(|p| phone_json(&p))),
            "{raw:?}"
        );
    }
}
