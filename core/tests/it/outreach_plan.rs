//! Consent-link tokens and campaign planning.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use creator_crm::{
    ErrorKind,
    identity::Email,
    outreach::{
        Campaign, Channel, ConsentClaim, OutreachTarget, QuietHours, SkipReason, idempotency_key,
        plan_outreach, sign_consent_token, verify_consent_token,
    },
};
use proptest::prelude::*;

const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

fn now() -> DateTime<Utc> {
    // Wednesday 2026-06-03 14:00 UTC = 10:00 New York, 07:00 Los Angeles.
    Utc.with_ymd_and_hms(2026, 6, 3, 14, 0, 0).unwrap()
}

fn claim() -> ConsentClaim {
    ConsentClaim {
        workspace: "acme".into(),
        creator: "cr_42".into(),
        text_version: "sms-2026-01".into(),
        expires_at: now() + Duration::days(14),
    }
}

#[test]
fn consent_tokens_verify_until_they_expire() {
    let token = sign_consent_token(KEY, &claim()).unwrap();
    assert!(
        token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
    );
    assert_eq!(verify_consent_token(KEY, &token, now()).unwrap(), claim());
    let at_expiry = claim().expires_at;
    let err = verify_consent_token(KEY, &token, at_expiry).unwrap_err();
    assert_eq!((err.kind(), err.reason()), (ErrorKind::Consent, "expired"));
    let err = verify_consent_token(b"another-key-of-sixteen+", &token, now()).unwrap_err();
    assert_eq!(err.reason(), "bad signature");
    assert_eq!(
        verify_consent_token(KEY, "nonsense", now())
            .unwrap_err()
            .reason(),
        "malformed"
    );
    assert!(sign_consent_token(b"short", &claim()).is_err());
    let bad = ConsentClaim {
        creator: "a\0b".into(),
        ..claim()
    };
    assert_eq!(
        sign_consent_token(KEY, &bad).unwrap_err().field(),
        Some("creator")
    );
}

proptest! {
    /// Changing any byte of a token makes it fail verification.
    #[test]
    fn tampered_tokens_fail(i in any::<prop::sample::Index>(), c in "[A-Za-z0-9_-]") {
        let token = sign_consent_token(KEY, &claim()).unwrap();
        let pos = i.index(token.len());
        let mut bytes = token.clone().into_bytes();
        prop_assume!(bytes[pos] != c.as_bytes()[0] && bytes[pos] != b'.');
        bytes[pos] = c.as_bytes()[0];
        let tampered = String::from_utf8(bytes).unwrap();
        prop_assert!(verify_consent_token(KEY, &tampered, now()).is_err());
    }
}

fn target(creator: &str, phone: Option<&str>, consent: bool) -> OutreachTarget {
    OutreachTarget {
        creator: creator.into(),
        email: Email::parse(&format!("{creator}@acmebeauty.co")).unwrap(),
        phone: phone.map(|p| p.parse().unwrap()),
        sms_consent: consent,
        email_stopped: false,
        state: None,
    }
}

fn campaign() -> Campaign {
    Campaign {
        workspace: "acme".into(),
        id: "welcome-2026-06".into(),
        email_template: "welcome".into(),
        sms_template: Some("welcome".into()),
    }
}

#[test]
fn plan_sends_email_to_all_and_sms_only_with_consent_inside_quiet_hours() {
    let targets = vec![
        target("ny", Some("+12125550123"), true),
        target("la", Some("+14155550123"), true),
        target("noconsent", Some("+12125550124"), false),
        target("nophone", None, true),
        OutreachTarget {
            email: None,
            ..target("noemail", Some("+12125550125"), true)
        },
        OutreachTarget {
            email_stopped: true,
            ..target("stopped", None, false)
        },
    ];
    let plan = plan_outreach(&targets, &campaign(), now(), &QuietHours::default());
    let got: Vec<(&str, Channel, DateTime<Utc>)> = plan
        .messages
        .iter()
        .map(|m| (m.creator.as_str(), m.channel, m.not_before))
        .collect();
    assert_eq!(
        got,
        vec![
            ("ny", Channel::Email, now()),
            ("ny", Channel::Sms, now()),
            ("la", Channel::Email, now()),
            // 07:00 in Los Angeles: the SMS waits for 08:00 there.
            ("la", Channel::Sms, now() + Duration::hours(1)),
            ("noconsent", Channel::Email, now()),
            ("nophone", Channel::Email, now()),
            ("noemail", Channel::Sms, now()),
        ]
    );
    let skipped: Vec<(&str, Channel, SkipReason)> = plan
        .skipped
        .iter()
        .map(|s| (s.creator.as_str(), s.channel, s.reason))
        .collect();
    assert_eq!(
        skipped,
        vec![
            ("noconsent", Channel::Sms, SkipReason::NoConsent),
            ("nophone", Channel::Sms, SkipReason::NoAddress),
            ("noemail", Channel::Email, SkipReason::NoAddress),
            ("stopped", Channel::Email, SkipReason::Stopped),
            ("stopped", Channel::Sms, SkipReason::NoAddress),
        ]
    );
}

#[test]
fn idempotency_keys_are_deterministic_and_distinct() {
    let k = idempotency_key("acme", "cr_1", "welcome", Channel::Email, "c1");
    assert_eq!(
        k,
        idempotency_key("acme", "cr_1", "welcome", Channel::Email, "c1")
    );
    assert_eq!(k.len(), 35);
    assert!(k.starts_with("ob_"));
    for other in [
        idempotency_key("acme2", "cr_1", "welcome", Channel::Email, "c1"),
        idempotency_key("acme", "cr_2", "welcome", Channel::Email, "c1"),
        idempotency_key("acme", "cr_1", "welcome2", Channel::Email, "c1"),
        idempotency_key("acme", "cr_1", "welcome", Channel::Sms, "c1"),
        idempotency_key("acme", "cr_1", "welcome", Channel::Email, "c2"),
        // Length prefixes: moving a character between fields changes the key.
        idempotency_key("acm", "ecr_1", "welcome", Channel::Email, "c1"),
    ] {
        assert_ne!(k, other);
    }
    let targets = vec![
        target("a", Some("+12125550123"), true),
        target("b", None, false),
    ];
    let first = plan_outreach(&targets, &campaign(), now(), &QuietHours::default());
    let again = plan_outreach(
        &targets,
        &campaign(),
        now() + Duration::hours(3),
        &QuietHours::default(),
    );
    let keys = |p: &creator_crm::outreach::OutreachPlan| {
        p.messages
            .iter()
            .map(|m| m.idempotency_key.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(keys(&first), keys(&again));
    let mut unique = keys(&first);
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 3);
}
