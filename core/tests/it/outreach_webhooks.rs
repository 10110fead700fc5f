//! Webhook signatures against Twilio's published vectors and HMAC vectors
//! computed independently (Python's `hmac`), freshness, and payload parsing.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, Duration};
use creator_crm::{
    ErrorKind,
    outreach::{
        DeliveryEventKind as K, Provider, check_freshness, parse_mailgun_webhook,
        parse_twilio_status, twilio_signature, verify_mailgun_signature, verify_mailgun_webhook,
        verify_twilio_body_signature, verify_twilio_signature,
    },
};
use proptest::prelude::*;
use serde_json::json;

// Twilio's published example (its docs and SDK test suites).
const TOKEN: &str = "12345";
const URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";
const PARAMS: [(&str, &str); 5] = [
    ("CallSid", "CA1234567890ABCDE"),
    ("Digits", "1234"),
    ("From", "+14158675309"),
    ("To", "+18005551212"),
    ("Caller", "+14158675309"),
];

#[test]
fn twilio_published_vectors() {
    assert_eq!(
        twilio_signature(TOKEN, URL, &PARAMS),
        "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    );
    assert!(verify_twilio_signature(
        TOKEN,
        URL,
        &PARAMS,
        "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    ));
    // Duplicate parameters: sorted by name, then value.
    let dup = [
        ("Sid", "CA123"),
        ("SidAccount", "AC123"),
        ("Digits", "5678"),
        ("Digits", "1234"),
    ];
    assert_eq!(
        twilio_signature(TOKEN, URL, &dup),
        "IK+Dwps556ElfBT0I3Rgjkr1wJU="
    );
}

#[test]
fn twilio_urls_with_and_without_the_default_port() {
    // A port on the URL: the signature made without it still verifies.
    let with_port = URL.replace(".com", ".com:1234");
    assert!(verify_twilio_signature(
        TOKEN,
        &with_port,
        &PARAMS,
        "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    ));
    // Signed with http and port 1234.
    let http_port = with_port.replace("https", "http");
    assert!(verify_twilio_signature(
        TOKEN,
        &http_port,
        &PARAMS,
        "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="
    ));
    // Signed with the default port added (443 for https, 80 for http).
    assert!(verify_twilio_signature(
        TOKEN,
        URL,
        &PARAMS,
        "kvajT1Ptam85bY51eRf/AJRuM3w="
    ));
    let http = URL.replace("https", "http");
    assert!(verify_twilio_signature(
        TOKEN,
        &http,
        &PARAMS,
        "0ZXoZLH/DfblKGATFgpif+LLRf4="
    ));
}

#[test]
fn twilio_json_bodies_sign_the_url_with_body_sha256() {
    let body = br#"{"property": "value", "boolean": true}"#;
    let url = format!(
        "{URL}&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
    );
    assert!(verify_twilio_body_signature(
        TOKEN,
        &url,
        body,
        "a9nBmqA0ju/hNViExpshrM61xv4="
    ));
    // A changed body, a missing hash or a wrong signature all fail.
    assert!(!verify_twilio_body_signature(
        TOKEN,
        &url,
        b"{}",
        "a9nBmqA0ju/hNViExpshrM61xv4="
    ));
    assert!(!verify_twilio_body_signature(
        TOKEN,
        URL,
        body,
        "a9nBmqA0ju/hNViExpshrM61xv4="
    ));
    assert!(!verify_twilio_body_signature(
        TOKEN,
        &url,
        body,
        "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    ));
}

#[test]
fn twilio_rejects_tampering() {
    let sig = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
    assert!(!verify_twilio_signature("12346", URL, &PARAMS, sig));
    assert!(!verify_twilio_signature(
        TOKEN,
        "https://mycompany.com/myapp.php?foo=1&bar=3",
        &PARAMS,
        sig
    ));
    let mut changed = PARAMS;
    changed[1].1 = "1235";
    assert!(!verify_twilio_signature(TOKEN, URL, &changed, sig));
    assert!(!verify_twilio_signature(TOKEN, URL, &PARAMS, ""));
    assert!(!verify_twilio_signature(
        TOKEN,
        URL,
        &PARAMS,
        "RSOYDt4T1cUTdK1PDd93/VVr8B8"
    ));
    assert!(!verify_twilio_signature(TOKEN, "not a url", &PARAMS, sig));
}

// HMAC-SHA256(key, timestamp + token), hex, computed with Python's hmac module.
const MG: [(&str, &str, &str, &str); 2] = [
    (
        "key-7f3a5c9d1e2b4f60",
        "1767225600",
        "b7f1c2d3e4a5968778695a4b3c2d1e0f9a8b7c6d5e4f3a2b1c",
        "b1f5bbb769c91f2b7abfc18df0f8752e94aa0aa42a232f2df9bc9cce93e6aae6",
    ),
    (
        "7d2e9c4b1a8f6e3d5c7b9a1f2e4d6c8b",
        "1529006854",
        "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0",
        "9c3aa45c58dddd857d8b5533ff805ccbdc4aff3449cacad072a593674fde7cbf",
    ),
];

#[test]
fn mailgun_vectors() {
    for (key, ts, token, sig) in MG {
        assert!(verify_mailgun_signature(key, ts, token, sig));
        assert!(verify_mailgun_signature(
            key,
            ts,
            token,
            &sig.to_uppercase()
        ));
        assert!(!verify_mailgun_signature(key, "1529006855", token, sig));
        assert!(!verify_mailgun_signature("other", ts, token, sig));
        assert!(!verify_mailgun_signature(key, ts, token, &sig[..62]));
        assert!(!verify_mailgun_signature(key, ts, token, "zz"));
    }
}

#[test]
fn freshness_is_a_separate_check() {
    let now = DateTime::from_timestamp(1_767_225_600, 0).unwrap();
    let five = Duration::minutes(5);
    assert!(check_freshness(1_767_225_600 - 300, now, five).is_ok());
    assert!(check_freshness(1_767_225_600 + 300, now, five).is_ok());
    let err = check_freshness(1_767_225_600 - 301, now, five).unwrap_err();
    assert_eq!(
        (err.kind(), err.reason()),
        (ErrorKind::Webhook, "stale timestamp")
    );
    let err = check_freshness(1_767_225_600 + 301, now, five).unwrap_err();
    assert_eq!(err.reason(), "timestamp in the future");
    assert!(check_freshness(i64::MAX, now, five).is_err());
}

fn mailgun_body(event: serde_json::Value) -> Vec<u8> {
    let (key, ts, token, sig) = MG[0];
    let _ = key;
    serde_json::to_vec(&json!({
        "signature": {"timestamp": ts, "token": token, "signature": sig},
        "event-data": event,
    }))
    .unwrap()
}

#[test]
fn mailgun_events() {
    let cases = [
        (json!({"event": "delivered"}), Some(K::Delivered)),
        (
            json!({"event": "failed", "severity": "permanent", "delivery-status": {"code": 550}}),
            Some(K::Bounced),
        ),
        (
            json!({"event": "failed", "severity": "temporary", "delivery-status": {"code": 421}}),
            Some(K::Failed),
        ),
        (json!({"event": "rejected"}), Some(K::Failed)),
        (json!({"event": "opened"}), Some(K::Opened)),
        (
            json!({"event": "clicked", "url": "https://discord.gg/x"}),
            Some(K::Clicked),
        ),
        (json!({"event": "complained"}), Some(K::Complained)),
        (json!({"event": "unsubscribed"}), Some(K::Unsubscribed)),
        (json!({"event": "accepted"}), None),
    ];
    for (mut data, kind) in cases {
        data["id"] = json!("evt-1");
        data["timestamp"] = json!(1767225600.25);
        data["recipient"] = json!("jo@acmebeauty.co");
        data["user-variables"] = json!({"outbox_id": "ob_9"});
        data["message"] = json!({"headers": {"message-id": "2026.abc@mg.acme"}});
        let hook = parse_mailgun_webhook(&mailgun_body(data)).unwrap();
        assert_eq!(hook.event.as_ref().map(|e| e.kind), kind);
        if let Some(e) = hook.event {
            assert_eq!(e.provider, Provider::Mailgun);
            assert_eq!(e.event_id, "evt-1");
            assert_eq!(e.outbox_id.as_deref(), Some("ob_9"));
            assert_eq!(e.provider_message_id.as_deref(), Some("2026.abc@mg.acme"));
            assert_eq!(e.occurred_at.unwrap().timestamp_millis(), 1_767_225_600_250);
            assert!(!format!("{e:?}").contains("jo@acmebeauty.co"));
            match e.kind {
                K::Bounced => assert_eq!(e.code.as_deref(), Some("550")),
                K::Failed if e.code.is_some() => assert_eq!(e.code.as_deref(), Some("421")),
                _ => {}
            }
        }
    }
    assert!(K::Unsubscribed.stops_channel() && K::Complained.stops_channel());
    assert!(!K::Bounced.stops_channel());
}

#[test]
fn mailgun_webhook_verified_end_to_end() {
    let body = mailgun_body(json!({"event": "delivered", "id": "e1"}));
    let now = DateTime::from_timestamp(1_767_225_660, 0).unwrap();
    let hook = verify_mailgun_webhook(MG[0].0, &body, now, Duration::minutes(5)).unwrap();
    assert_eq!(hook.event.unwrap().kind, K::Delivered);
    let err = verify_mailgun_webhook("wrong", &body, now, Duration::minutes(5)).unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::Webhook, Some("signature"))
    );
    let later = now + Duration::hours(1);
    let err = verify_mailgun_webhook(MG[0].0, &body, later, Duration::minutes(5)).unwrap_err();
    assert_eq!(err.reason(), "stale timestamp");
    let err = parse_mailgun_webhook(b"[1, 2").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Webhook);
    let err =
        parse_mailgun_webhook(br#"{"signature": {"timestamp": "1", "token": "t"}}"#).unwrap_err();
    assert_eq!(err.field(), Some("signature"));
}

#[test]
fn twilio_status_callbacks() {
    let url = "https://crm.acme.co/twilio/status?ws=1&outbox_id=ob%201";
    let cb = |status: &str, code: Option<&str>| {
        let mut p = vec![
            ("MessageSid", "SM123".to_owned()),
            ("MessageStatus", status.to_owned()),
            ("To", "+14155550123".to_owned()),
        ];
        if let Some(c) = code {
            p.push(("ErrorCode", c.to_owned()));
        }
        parse_twilio_status(url, &p).unwrap()
    };
    let e = cb("delivered", None).unwrap();
    assert_eq!((e.kind, e.provider), (K::Delivered, Provider::Twilio));
    assert_eq!(e.event_id, "SM123:delivered");
    assert_eq!(e.outbox_id.as_deref(), Some("ob 1"));
    assert_eq!(e.provider_message_id.as_deref(), Some("SM123"));
    assert!(!format!("{e:?}").contains("4155550123"));
    assert_eq!(cb("undelivered", Some("30003")).unwrap().kind, K::Failed);
    assert_eq!(cb("undelivered", Some("30006")).unwrap().kind, K::Bounced);
    assert_eq!(
        cb("failed", Some("21211")).unwrap().code.as_deref(),
        Some("21211")
    );
    assert_eq!(cb("read", None).unwrap().kind, K::Opened);
    for status in ["queued", "accepted", "sending", "sent"] {
        assert_eq!(cb(status, None), None, "{status}");
    }
    let err = parse_twilio_status(url, &[("MessageStatus", "sent")]).unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::Webhook, Some("MessageSid"))
    );
}

proptest! {
    /// A signature made by the same rule always verifies; any other one does not.
    #[test]
    fn twilio_roundtrip(
        token in "[a-f0-9]{32}",
        path in "[a-z/]{0,20}",
        params in proptest::collection::vec(("[A-Za-z]{1,8}", "[ -~]{0,12}"), 0..6),
        port in proptest::option::of(1u16..65535),
    ) {
        let host = match port { Some(p) => format!("h.example:{p}"), None => "h.example".to_owned() };
        let url = format!("https://{host}/{path}");
        let sig = twilio_signature(&token, &url, &params);
        prop_assert!(verify_twilio_signature(&token, &url, &params, &sig));
        let stripped = format!("https://h.example/{path}");
        prop_assert!(verify_twilio_signature(&token, &url, &params, &twilio_signature(&token, &stripped, &params)));
        let mut reordered = params.clone();
        reordered.reverse();
        prop_assert!(verify_twilio_signature(&token, &url, &reordered, &sig));
        let mut more = params.clone();
        more.push(("Zz".to_owned(), "1".to_owned()));
        prop_assert!(!verify_twilio_signature(&token, &url, &more, &sig));
    }
}
