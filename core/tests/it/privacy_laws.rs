//! Laws of the privacy module, checked on generated data: planted personal
//! data never survives (100% recall on the supported formats), ordinary
//! values always do (0 false positives on the corpus).
#![allow(clippy::unwrap_used, missing_docs)]

use chrono::{TimeZone, Utc};
use creator_crm::{
    identity::{Phone, Region},
    privacy::*,
    supporters::{SocialHandle, Supporter, SupporterActivity, SupporterProfile},
};
use proptest::prelude::*;
use serde_json::{Value, json};

// ---------------------------------------------------------------- generators

/// Real US area codes (phonenumber validates area code and exchange).
const AREA_CODES: &[&str] = &[
    "415", "212", "646", "312", "213", "617", "202", "305", "512", "206",
];

fn arb_us_phone() -> impl Strategy<Value = String> {
    (
        prop::sample::select(AREA_CODES),
        200u32..1000,
        0u32..10_000,
        0usize..9,
    )
        .prop_filter("N11 exchanges are service codes", |(_, ex, _, _)| {
            ex % 100 != 11
        })
        .prop_map(|(a, ex, line, fmt)| match fmt {
            0 => format!("+1{a}{ex}{line:04}"),
            1 => format!("({a}) {ex}-{line:04}"),
            2 => format!("{a}.{ex}.{line:04}"),
            3 => format!("{a}-{ex}-{line:04}"),
            4 => format!("{a}{ex}{line:04}"),
            5 => format!("1-{a}-{ex}-{line:04}"),
            6 => format!("+1 {a} {ex} {line:04}"),
            7 => format!("+1 ({a}) {ex}-{line:04}"),
            _ => format!("(+1){a}{ex}{line:04}"),
        })
}

fn arb_intl_phone() -> impl Strategy<Value = String> {
    (0u32..1000, 0usize..6).prop_map(|(n, fmt)| match fmt {
        0 => format!("+44 20 7946 0{n:03}"),
        1 => format!("+4420794610{:02}", n % 100),
        2 => format!("0044 20 7946 0{n:03}"),
        3 => format!("+44 (0)20 7946 0{n:03}"),
        4 => format!("+33 1 42 76 {:02} {:02}", n % 100, (n / 10) % 100),
        _ => format!("+49 30 {:07}", 2_000_000 + n),
    })
}

fn arb_phone() -> impl Strategy<Value = String> {
    prop_oneof![3 => arb_us_phone(), 1 => arb_intl_phone()]
        .prop_filter("planted phones are valid numbers", |p| {
            Phone::parse(p, Region::US).is_ok_and(|n| n.e164().is_some())
        })
}

fn arb_email() -> impl Strategy<Value = String> {
    (
        "[a-z][a-z0-9]{0,8}",
        prop::option::of("[._+-][a-z0-9]{1,6}"),
        "[a-z][a-z0-9-]{0,8}[a-z0-9]",
        prop::option::of("[a-z]{2,6}"),
        "(com|org|io|co|net|museum|de)",
        0usize..4,
    )
        .prop_map(|(user, tag, host, sub, tld, shape)| {
            let local = format!("{user}{}", tag.unwrap_or_default());
            let domain = match sub {
                Some(s) => format!("{s}.{host}.{tld}"),
                None => format!("{host}.{tld}"),
            };
            match shape {
                0 => format!("{local}@{domain}"),
                1 => format!("{local}@{domain}").to_uppercase(),
                2 => format!("mailto:{local}@{domain}"),
                _ => {
                    let mut cs: Vec<char> = format!("{local}@{domain}").chars().collect();
                    if let Some(c) = cs.first_mut() {
                        *c = c.to_ascii_uppercase();
                    }
                    cs.into_iter().collect()
                }
            }
        })
}

fn arb_ip() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<[u8; 4]>().prop_map(|o| std::net::Ipv4Addr::from(o).to_string()),
        any::<u128>().prop_map(|v| std::net::Ipv6Addr::from(v).to_string()),
        any::<[u8; 4]>().prop_map(|o| format!("::ffff:{}", std::net::Ipv4Addr::from(o))),
        (any::<u16>(), any::<u16>()).prop_map(|(a, b)| format!("fe80::{a:x}:{b:x}")),
    ]
}

fn arb_street_address() -> impl Strategy<Value = String> {
    (
        1u32..20_000,
        prop::sample::select(
            &[
                "Main",
                "Oak",
                "Elm",
                "Sunset",
                "Martin Luther King",
                "5th",
                "Park",
                "Lake Shore",
            ][..],
        ),
        prop::sample::select(
            &[
                "St", "Street", "Ave", "Avenue", "Rd", "Road", "Blvd", "Dr", "Ln", "Way", "Ct",
                "Pl",
            ][..],
        ),
        prop::option::of(prop::sample::select(
            &[", Apt 4B", " Suite 200", " #12", ", Austin, TX 78701"][..],
        )),
    )
        .prop_map(|(n, name, suffix, tail)| format!("{n} {name} {suffix}{}", tail.unwrap_or("")))
}

/// Planted personal data: the value and the kind it must be reported as.
fn arb_pii() -> impl Strategy<Value = (String, PiiKind)> {
    prop_oneof![
        arb_email().prop_map(|v| (v, PiiKind::Email)),
        arb_phone().prop_map(|v| (v, PiiKind::Phone)),
        arb_ip().prop_map(|v| (v, PiiKind::Ip)),
        arb_street_address().prop_map(|v| (v, PiiKind::Address)),
    ]
}

/// Text around a planted value.
fn arb_context() -> impl Strategy<Value = (String, String)> {
    (
        prop::sample::select(
            &[
                "",
                "hi ",
                "reach me: ",
                "(",
                "\"",
                "<",
                "call/text ",
                "ok\n",
                "是 ",
            ][..],
        ),
        prop::sample::select(&["", " thanks", ".", ")", "\"", ">", ", ok?", "!", "\nbye"][..]),
    )
        .prop_map(|(a, b)| (a.to_owned(), b.to_owned()))
}

/// Personal-data keys in every spelling.
fn arb_personal_key() -> impl Strategy<Value = String> {
    let words: &[&[&str]] = &[
        &["real", "name"],
        &["email", "address"],
        &["phone", "number"],
        &["ip", "address"],
        &["device", "id"],
        &["user", "agent"],
        &["first", "name"],
        &["date", "of", "birth"],
        &["home", "address"],
        &["zip", "code"],
        &["last", "login", "ip"],
        &["supporter", "email"],
        &["mobile", "phone"],
        &["lat"],
        &["lng"],
        &["city"],
        &["country"],
        &["dob"],
    ];
    (prop::sample::select(words), 0usize..7).prop_map(|(w, style)| spell(w, style))
}

fn capitalize(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

fn spell(words: &[&str], style: usize) -> String {
    match style {
        0 => words.join("_"),
        1 => words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                if i == 0 {
                    (*w).to_owned()
                } else {
                    capitalize(w)
                }
            })
            .collect(),
        2 => words
            .iter()
            .map(|w| capitalize(w))
            .collect::<Vec<_>>()
            .join("-"),
        3 => words.concat().to_uppercase(),
        4 => words.iter().map(|w| capitalize(w)).collect(),
        5 => words.join("-"),
        _ => words.join(" ").to_uppercase(),
    }
}

/// A JSON tree with planted personal data. Returns the tree and the planted
/// values that must not survive.
fn arb_doc() -> impl Strategy<Value = (Value, Vec<String>)> {
    let leaf = prop_oneof![
        // A personal key holding a name that no text detector could find.
        (arb_personal_key(), "[A-Z][a-z]{3,8} [A-Z][a-z]{3,8}")
            .prop_map(|(k, v)| (json!({ k: v.clone() }), vec![v])),
        // An ordinary key holding free text with personal data in it.
        (
            prop::sample::select(&["note", "bio", "text", "message"][..]),
            arb_context(),
            arb_pii()
        )
            .prop_map(|(k, (a, b), (v, _))| (json!({ k: format!("{a}{v}{b}") }), vec![v])),
        // An ordinary value.
        arb_ordinary().prop_map(|v| (json!({ "amount": v }), vec![])),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(|items| {
                let planted = items.iter().flat_map(|(_, p)| p.clone()).collect();
                (
                    Value::Array(items.into_iter().map(|(v, _)| v).collect()),
                    planted,
                )
            }),
            (
                prop::sample::select(&["supporter", "contact", "items", "meta"][..]),
                inner.clone(),
                inner
            )
                .prop_map(|(k, (a, pa), (b, pb))| {
                    let mut obj = a.as_object().cloned().unwrap_or_default();
                    obj.insert(k.to_owned(), b);
                    (Value::Object(obj), [pa, pb].concat())
                }),
        ]
    })
}

// ------------------------------------------------------------ ordinary corpus

/// Ordinary values that must come through untouched.
fn arb_ordinary() -> impl Strategy<Value = String> {
    prop_oneof![
        (1u32..100_000, 0u32..100).prop_map(|(d, c)| format!(
            "${},{:03}.{c:02}",
            d / 1000 + 1,
            d % 1000
        )),
        (0u32..10_000, 0u32..100).prop_map(|(d, c)| format!("${d}.{c:02}")),
        (2000u32..2040, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        (2000u32..2040, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{m:02}/{d:02}/{y}")),
        (2000u32..2040, 1u32..13, 1u32..29, 0u32..24, 0u32..60)
            .prop_map(|(y, mo, d, h, mi)| format!("{y}-{mo:02}-{d:02}T{h:02}:{mi:02}:00Z")),
        (2000u32..2040, 1u32..13, 1u32..29, 0u32..24, 0u32..60).prop_map(
            |(y, mo, d, h, mi)| format!("{y}-{mo:02}-{d:02} {h:02}:{mi:02}:07.123+02:00")
        ),
        (100_000_000_000_000_000u64..999_999_999_999_999_999).prop_map(|n| n.to_string()),
        (1_000_000_000u64..2_000_000_000).prop_map(|n| n.to_string()),
        (1_000_000_000_000u64..2_000_000_000_000).prop_map(|n| n.to_string()),
        (0u64..10_000_000_000).prop_map(|n| format!("SKU-{n:010}")),
        any::<u128>().prop_map(|v| {
            let h = format!("{v:032x}");
            format!(
                "{}-{}-{}-{}-{}",
                &h[..8],
                &h[8..12],
                &h[12..16],
                &h[16..20],
                &h[20..]
            )
        }),
        (0u32..1000, 0u32..10).prop_map(|(p, d)| format!("{p}.{d}%")),
        (0u32..30, 0u32..30, 0u32..300).prop_map(|(a, b, c)| format!("{a}.{b}.{c}")),
        (0u32..30, 0u32..30, 0u32..30, 0u32..300)
            .prop_map(|(a, b, c, d)| format!("v{a}.{b}.{c}.{d}")),
        (0u32..24, 0u32..60, 0u32..60).prop_map(|(h, m, s)| format!("{h:02}:{m:02}:{s:02}")),
        (10_000u32..99_999).prop_map(|z| z.to_string()),
    ]
}

/// A fixed corpus of ordinary values, for the reported false-positive rate.
const CORPUS: &[&str] = &[
    "$1,234.56",
    "$4.99",
    "USD 1234.56",
    "1.234,56 €",
    "€12",
    "£1,000,000",
    "¥5000",
    "2024-05-01",
    "05/01/2024",
    "2024/05/01",
    "01.05.2024",
    "May 1, 2024",
    "1 May 2024",
    "2024-05-01T10:30:00Z",
    "2024-05-01T10:30:00.123+02:00",
    "2024-05-01 10:30:00",
    "Wed, 01 May 2024 10:30:00 GMT",
    "1714521600",
    "1714521600123",
    "1714521600.123",
    "578123456789012345",
    "1729384756201938475",
    "order 578123456789012345 shipped",
    "SKU-1234567890",
    "sku_20240501_0001",
    "ABC-123-4567",
    "PO#4155550134",
    "550e8400-e29b-41d4-a716-446655440000",
    "9f1c2d3e-4b5a-6789-abcd-ef0123456789",
    "12.5%",
    "100%",
    "-3.25%",
    "0.1234567",
    "3.14159265",
    "1234567.89",
    "1,234,567",
    "1234567",
    "1.2K",
    "3M",
    "12.3K followers",
    "1.2.3",
    "v1.2.3.4",
    "2.0.0-beta.1",
    "version 10.4.1",
    "10:30",
    "10:30:00",
    "22:15:07.123",
    "78701",
    "78701-1234",
    "room 101",
    "2 people on the way",
    "10 miles down the road",
    "x: 12, y: 34",
    "a::b",
    "std::net::Ipv4Addr",
    "00:1a:2b:3c:4d:5e",
    "#ff00aa",
    "@starlight_fan",
    "me @ home",
    "user@",
    "@example.com",
    "ISBN 978-0-306-40615-7",
    "+1",
    "+15",
    "(555)",
    "1-800",
    "Call me maybe",
    "lat/lng unknown",
    "127 likes",
    "4 8 15 16 23 42",
    "1 2 3 4 5 6 7 8 9 10",
    "3.0.0.0.1",
    "256.1.1.1",
];

fn unchanged_by_sanitizer(v: &str) -> bool {
    let doc = json!({ "value": v, "list": [v], "nested": { "text": v } });
    sanitize_json(doc.clone(), &Policy::default()).value == doc
}

#[test]
fn false_positive_rate_on_the_ordinary_corpus_is_zero() {
    let changed: Vec<&str> = CORPUS
        .iter()
        .copied()
        .filter(|v| !redact_text(v).is_clean() || !unchanged_by_sanitizer(v))
        .collect();
    #[allow(clippy::cast_precision_loss)]
    let rate = changed.len() as f64 / CORPUS.len() as f64;
    println!(
        "privacy false-positive rate: {}/{} = {rate:.4} (changed: {changed:?})",
        changed.len(),
        CORPUS.len()
    );
    assert!(changed.is_empty(), "{changed:?}");
}

#[test]
fn version_and_id_fields_keep_their_shapes() {
    let doc = json!({"app_version": "1.2.3.4", "osVersion": "10.0.19045.1", "order_id": "4155550134", "sku": "2125550134"});
    assert_eq!(sanitize_json(doc.clone(), &Policy::default()).value, doc);
    // Outside such fields a dotted quad is an IP address: privacy wins.
    assert_eq!(redact_text("build 1.2.3.4").text, "build [ip]");
}

// ----------------------------------------------------------------------- laws

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn planted_values_never_survive_redact_text((value, kind) in arb_pii(), (a, b) in arb_context()) {
        let text = format!("{a}{value}{b}");
        let r = redact_text(&text);
        prop_assert!(!r.text.contains(&value), "{kind:?} {value:?} survived in {:?}", r.text);
        prop_assert!(r.found.iter().any(|f| f.kind == kind), "{kind:?} not reported for {value:?}");
        let report = serde_json::to_string(&r.found).unwrap();
        prop_assert!(!report.contains(&value));
    }

    #[test]
    fn redaction_is_idempotent(
        parts in prop::collection::vec(
            prop_oneof![arb_pii().prop_map(|(v, _)| v), arb_ordinary(), "[ a-z0-9.:@()+#,-]{0,12}"],
            1..8,
        ),
        seps in prop::collection::vec(prop::sample::select(&[" ", "", "-", ".", ":", "@", "\n", ", "][..]), 8),
    ) {
        let text: String = parts.iter().zip(seps.iter().cycle()).map(|(p, s)| format!("{p}{s}")).collect();
        let once = redact_text(&text);
        let twice = redact_text(&once.text);
        prop_assert!(twice.is_clean(), "{text:?} -> {:?} -> {:?}", once.text, twice.text);
    }

    #[test]
    fn ordinary_values_survive(value in arb_ordinary(), (a, b) in arb_context()) {
        let text = format!("{a}{value}{b}");
        let r = redact_text(&text);
        prop_assert!(r.is_clean(), "{value:?} was redacted: {:?}", r.text);
        prop_assert!(unchanged_by_sanitizer(&value));
    }

    #[test]
    fn sanitized_documents_hold_none_of_the_planted_data((doc, planted) in arb_doc()) {
        let out = sanitize_json(doc, &Policy::default());
        let text = serde_json::to_string(&out.value).unwrap();
        let report = serde_json::to_string(&out.removed).unwrap();
        for value in &planted {
            prop_assert!(!text.contains(value.as_str()), "{value:?} survived in {text}");
            prop_assert!(!report.contains(value.as_str()), "{value:?} in the report");
        }
        // Sanitizing twice changes nothing more.
        let again = sanitize_json(out.value.clone(), &Policy::default());
        prop_assert_eq!(again.value, out.value);
        prop_assert!(again.removed.is_empty());
    }

    #[test]
    fn personal_keys_go_in_every_spelling(key in arb_personal_key(), depth in 0usize..4) {
        let mut doc = json!({ key.clone(): "x" });
        for _ in 0..depth {
            doc = json!({ "items": [doc] });
        }
        let out = sanitize_json(doc, &Policy::default());
        prop_assert!(!serde_json::to_string(&out.value).unwrap().contains(&key));
        prop_assert_eq!(out.removed.len(), 1);
        prop_assert_eq!(out.removed[0].kind, RemovalKind::PersonalField);
    }

    #[test]
    fn supporter_views_hold_no_personal_data(
        name in "[A-Z][a-z]{3,8} [A-Z][a-z]{3,8}",
        email in arb_email(),
        phone in arb_phone(),
        handle in "[a-z]{4,10}[0-9]{2}",
        display in prop::option::of(prop_oneof![
            "[A-Z][a-z]{2,10}( [A-Z][a-z]{2,10})?".prop_map(|s| s),
            arb_email(),
            arb_phone(),
        ]),
    ) {
        let supporter = Supporter {
            id: "s-1".into(),
            display_name: display,
            joined_at: Utc.with_ymd_and_hms(2025, 1, 2, 3, 4, 5).unwrap(),
            time_zone: chrono_tz::Asia::Tokyo,
            fan_club: None,
            online: true,
            activity: SupporterActivity::default(),
            profile: SupporterProfile {
                real_name: Some(name.clone()),
                email: Some(email.clone()),
                phone: Some(phone.clone()),
                social_handles: vec![SocialHandle { platform: "instagram".into(), handle: handle.clone() }],
                city: Some("Springfield".into()),
                region: Some("Oregon".into()),
                country: Some("Narnia".into()),
                location: Some("44.0462,-123.0220".into()),
                ip_address: Some("203.0.113.9".into()),
                device: Some("Pixel 8 Pro".into()),
            },
        };
        let keys = Pseudonymizer::new(b"law-test-key-0123456789").unwrap();
        for id in [ViewId::Host, ViewId::Pseudonymous(&keys)] {
            let view = SupporterView::new(&supporter, id);
            let shown = format!("{} {view:?}", serde_json::to_string(&view).unwrap());
            for secret in [&name, &email, &phone, &handle, "Springfield", "Oregon", "Narnia", "44.0462", "203.0.113.9", "Pixel", "Tokyo"] {
                prop_assert!(!shown.contains(secret), "{secret:?} in {shown}");
            }
        }
    }
}
