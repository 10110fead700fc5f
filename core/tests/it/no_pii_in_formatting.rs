//! No personal data leaks through formatting: every type of the crate that
//! can hold personal data (identity, supporters, privacy) and every error
//! built from personal input is formatted with `{:?}` (and `{}` where it
//! exists, `{:#?}` too) with a planted email, phone, name and address, and
//! none of them may appear.
#![allow(clippy::unwrap_used, missing_docs)]

use chrono::{TimeZone, Utc};
use creator_crm::{
    Error,
    identity::{Email, Handle, PersonName, Phone, PhoneParser, PostalAddress, Region, Zip},
    privacy::*,
    supporters::{SocialHandle, Supporter, SupporterActivity, SupporterId, SupporterProfile},
};

const EMAIL: &str = "zebulon.quartermaine@zqmail.net";
const PHONE: &str = "+1 (415) 555-0134";
const NAME: &str = "Zebulon Quartermaine";
const STREET: &str = "742 Evergreen Terrace";

/// Pieces that must never show up, whatever the formatting.
const SECRETS: &[&str] = &[
    "zebulon",
    "Zebulon",
    "ZEBULON",
    "quartermaine",
    "Quartermaine",
    "zqmail",
    "4155550134",
    "555-0134",
    "555 0134",
    "5550134",
    "0134",
    "Evergreen",
    "Springfield",
    "203.0.113.9",
];

fn assert_clean(what: &str, shown: &str) {
    for s in SECRETS {
        assert!(!shown.contains(s), "{what} shows {s:?}: {shown}");
    }
}

macro_rules! check_debug {
    ($($e:expr),+ $(,)?) => {$(
        let v = $e;
        assert_clean(stringify!($e), &format!("{v:?}"));
        assert_clean(stringify!($e), &format!("{v:#?}"));
    )+};
}

macro_rules! check_error {
    ($($e:expr),+ $(,)?) => {$(
        let e: Error = $e;
        assert_clean(stringify!($e), &format!("{e} {e:?} {e:#?}"));
    )+};
}

fn supporter() -> Supporter {
    Supporter {
        id: "s-1".into(),
        display_name: Some(format!("{NAME} {EMAIL}")),
        joined_at: Utc.with_ymd_and_hms(2025, 1, 2, 3, 4, 5).unwrap(),
        time_zone: chrono_tz::America::Chicago,
        fan_club: None,
        online: true,
        activity: SupporterActivity::default(),
        profile: SupporterProfile {
            real_name: Some(NAME.into()),
            email: Some(EMAIL.into()),
            phone: Some(PHONE.into()),
            social_handles: vec![SocialHandle {
                platform: "instagram".into(),
                handle: "zebulon.q".into(),
            }],
            city: Some("Springfield".into()),
            region: Some("Oregon".into()),
            country: Some("US".into()),
            location: Some(STREET.into()),
            ip_address: Some("203.0.113.9".into()),
            device: Some("Pixel 8".into()),
        },
    }
}

#[test]
fn identity_types_print_no_personal_data() {
    let phone = Phone::parse(PHONE, Region::US).unwrap();
    let masked = Phone::parse("(+1)415*****34", Region::US).unwrap();
    let mut parser = PhoneParser::new(Region::US);
    parser.parse(PHONE).unwrap();
    check_debug!(
        Email::parse(EMAIL).unwrap().unwrap(),
        phone.clone(),
        phone.e164().cloned().unwrap(),
        masked,
        parser,
        PersonName::from_full(NAME).unwrap(),
        PersonName::from_parts("Zebulon", "Quartermaine").unwrap(),
        PostalAddress::parse_one_line(&format!("{STREET}, Springfield, OR 97403")),
        Zip::parse("97403").unwrap(),
    );
}

#[test]
fn identity_errors_print_no_personal_data() {
    check_error!(
        Email::parse(&format!("{NAME} <{EMAIL}")).unwrap_err(),
        Email::parse("zebulon.quartermaine@@zqmail.net").unwrap_err(),
        Phone::parse(&format!("{NAME} {PHONE}"), Region::US).unwrap_err(),
        Phone::parse("+1 415 555 0134 0134 0134 0134", Region::US).unwrap_err(),
        Handle::parse(EMAIL).unwrap_err(),
        Handle::parse(NAME).unwrap_err(),
        Zip::parse("Springfield").unwrap_err(),
        Region::parse("Zebulon").unwrap_err(),
    );
}

#[test]
fn supporter_types_print_no_personal_data() {
    let s = supporter();
    check_debug!(s.profile.clone(), s.profile.social_handles.clone(), s);
}

#[test]
fn privacy_types_print_no_personal_data() {
    let keys = Pseudonymizer::new(b"formatting-test-key").unwrap();
    let s = supporter();
    let text = format!("{NAME} here: {EMAIL}, {PHONE}, {STREET} Rd, 203.0.113.9");
    let doc = serde_json::json!({
        "real_name": NAME, "note": text, "contact": {"email": EMAIL},
        "fans": {EMAIL: 1, PHONE: 2},
    });
    let body = SupporterAction::SendMessage { body: text.clone() };
    let guard = ActionGuard::new(&keys);
    let now = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
    let denied = guard.authorize("creator-1", &s.id, &body, now).unwrap_err();
    check_debug!(
        redact_text(&text),
        Detector::default().find(&text),
        sanitize_json(doc.clone(), &Policy::default()),
        sanitize_json_str(&doc.to_string(), &Policy::default()).unwrap(),
        SupporterView::new(&s, ViewId::Host),
        SupporterView::new(&s, ViewId::Pseudonymous(&keys)),
        body.clone(),
        denied.audit.clone(),
        keys.pseudonym(&SupporterId::from(EMAIL)),
        keys.clone(),
    );
    assert_clean("Denied", &format!("{denied} {denied:?}"));
    check_error!(
        denied.into(),
        sanitize_json_str(&format!("{{\"note\": \"{EMAIL}"), &Policy::default()).unwrap_err(),
        Pseudonymizer::new(b"zebulon").unwrap_err(),
    );
    // Serialized forms too.
    let view = serde_json::to_string(&SupporterView::new(&s, ViewId::Host)).unwrap();
    assert_clean("SupporterView json", &view);
    // Redacted text is the data channel: names in free text stay (no
    // detector can tell a name from a word), everything detectable is gone.
    let redacted = serde_json::to_string(&redact_text(&text)).unwrap();
    for s in [EMAIL, "555-0134", "Evergreen", "203.0.113.9"] {
        assert!(!redacted.contains(s), "{s} in {redacted}");
    }
}
